package dev.tern.local.testkit;

import dev.tern.local.testkit.tools.DebianTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent DKIM implementation for tests: dkimpy ({@code python3-dkim}, installed when
 * missing). It verifies with the public key record handed to it as DNS would return it, so no DNS
 * is needed, and signs with a private key file.
 */
public final class Dkimpy {

    private static final String SCRIPT = """
            import sys, dkim
            txt = open(sys.argv[2], 'rb').read()
            def dns(name, timeout=5):
                return txt if name == sys.argv[3].encode() else None
            print(dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=dns))
            """;
    private static final String SIGN_SCRIPT = """
            import sys, dkim
            header, body = sys.argv[5].split('/')
            sig = dkim.sign(open(sys.argv[1], 'rb').read(), sys.argv[3].encode(), sys.argv[4].encode(),
                            open(sys.argv[2], 'rb').read(), canonicalize=(header.encode(), body.encode()),
                            signature_algorithm=sys.argv[6].encode(), length=sys.argv[7] == 'l', linesep=b'\\r\\n')
            sys.stdout.buffer.write(sig)
            """;

    private Dkimpy() {
    }

    /**
     * Whether dkimpy accepts the first signature of {@code message}, with {@code txtRecord}
     * (e.g. {@code v=DKIM1; k=rsa; p=...}) as the TXT record of {@code dnsName}
     * ({@code <selector>._domainkey.<domain>.}).
     */
    public static boolean verifies(byte[] message, String dnsName, String txtRecord) {
        String out = new String(run(SCRIPT, message, txtRecord.getBytes(StandardCharsets.US_ASCII), dnsName),
                StandardCharsets.UTF_8).strip();
        String last = out.lines().reduce((a, b) -> b).orElse("");
        if (!last.equals("True") && !last.equals("False")) {
            throw new IllegalStateException("dkimpy failed: " + out);
        }
        return last.equals("True");
    }

    /**
     * The {@code DKIM-Signature} field (with CRLF line ends) dkimpy makes for {@code message}.
     *
     * @param privateKey       for {@code rsa-sha256}/{@code rsa-sha1} a PEM private key; for
     *                         {@code ed25519-sha256} the base64 of the 32-byte seed, as dkimpy wants it
     * @param canonicalization e.g. {@code relaxed/simple}
     * @param bodyLength       whether to add {@code l=}
     */
    public static String sign(byte[] message, String selector, String domain, String privateKey, String algorithm,
            String canonicalization, boolean bodyLength) {
        byte[] out = run(SIGN_SCRIPT, message, privateKey.getBytes(StandardCharsets.US_ASCII), selector, domain,
                canonicalization, algorithm, bodyLength ? "l" : "-");
        String header = new String(out, StandardCharsets.US_ASCII);
        if (!header.startsWith("DKIM-Signature:")) {
            throw new IllegalStateException("dkimpy did not sign: " + header);
        }
        return header;
    }

    /** Runs {@code script} with the message file, the second file and {@code args}; its stdout. */
    private static byte[] run(String script, byte[] message, byte[] file, String... args) {
        DebianTools.ensure("dkimverify", "python3-dkim");
        return ScratchDir.use("tern-dkimpy-", dir -> {
            Path py = Files.writeString(dir.resolve("script.py"), script);
            Path second = Files.write(dir.resolve("file"), file);
            Path eml = Files.write(dir.resolve("message.eml"), message);
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", py.toString(), eml.toString(),
                    second.toString()));
            command.addAll(List.of(args));
            var done = ScratchDir.run("dkimpy", new ProcessBuilder(command).redirectErrorStream(true));
            if (done.exitValue() != 0) {
                throw new IllegalStateException("dkimpy failed: " + new String(done.output(), StandardCharsets.UTF_8));
            }
            return done.output();
        });
    }
}
