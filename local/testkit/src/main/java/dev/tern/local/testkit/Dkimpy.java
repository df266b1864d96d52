package dev.tern.local.testkit;

import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier for tests: dkimpy ({@code python3-dkim}, installed when missing),
 * given the public key record as DNS would return it, so no DNS is needed.
 */
public final class Dkimpy {

    private static final String SCRIPT = """
            import sys, dkim
            txt = open(sys.argv[2], 'rb').read()
            def dns(name, timeout=5):
                return txt if name == sys.argv[3].encode() else None
            print(dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=dns))
            """;

    private Dkimpy() {
    }

    /**
     * Whether dkimpy accepts the first signature of {@code message}, with {@code txtRecord}
     * (e.g. {@code v=DKIM1; k=rsa; p=...}) as the TXT record of {@code dnsName}
     * ({@code <selector>._domainkey.<domain>.}).
     */
    public static boolean verifies(byte[] message, String dnsName, String txtRecord) {
        DebianTools.ensure("dkimverify", "python3-dkim");
        try {
            Path dir = Files.createTempDirectory("tern-dkimpy-");
            try {
                Path script = Files.writeString(dir.resolve("verify.py"), SCRIPT);
                Path txt = Files.writeString(dir.resolve("record.txt"), txtRecord);
                Path eml = Files.write(dir.resolve("message.eml"), message);
                Process p = new ProcessBuilder(List.of("/usr/bin/python3", script.toString(), eml.toString(),
                        txt.toString(), dnsName)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("dkimpy did not finish within 30 s");
                }
                String last = out.lines().reduce((a, b) -> b).orElse("");
                if (!last.equals("True") && !last.equals("False")) {
                    throw new IllegalStateException("dkimpy failed: " + out);
                }
                return last.equals("True");
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
