package dev.tern.local.testkit;

import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference SPF implementation for tests: pyspf ({@code python3-spf} over dnspython, installed
 * when missing), asking only the DNS server given (e.g. a {@link dev.tern.local.testkit.dns.KnotDns}
 * on loopback), never the system's resolvers. Runs a batch of checks in one Python process.
 */
public final class Pyspf {

    /** One SPF check: client address, MAIL FROM (empty for the null sender), HELO name. */
    public record Query(String ip, String sender, String helo) {
    }

    /** pyspf's answer: the result keyword ({@code pass}, {@code temperror}, ...) and its explanation. */
    public record Answer(String result, String explanation) {
    }

    private static final String SCRIPT = """
            import sys, dns.resolver, spf
            r = dns.resolver.Resolver(configure=False)
            r.nameservers = ['127.0.0.1']
            r.port = int(sys.argv[1])
            r.lifetime = 5
            dns.resolver.default_resolver = r
            for line in sys.stdin:
                ip, sender, helo = line.rstrip('\\n').split('\\t')
                result, explanation = spf.check2(i=ip, s=sender, h=helo, receiver='mx.tern.test')
                print(result + '\\t' + explanation.replace('\\n', ' '), flush=True)
            """;

    private Pyspf() {
    }

    /** pyspf's result for each query, asking the DNS server at 127.0.0.1:{@code dnsPort}. */
    public static List<Answer> check(int dnsPort, List<Query> queries) {
        Path python = DebianTools.python3Module("spf, dns.resolver", "python3-spf");
        try {
            Path script = Files.createTempFile("tern-pyspf-", ".py");
            try {
                Files.writeString(script, SCRIPT);
                Process p = new ProcessBuilder(List.of(python.toString(), script.toString(), Integer.toString(dnsPort)))
                        .redirectErrorStream(true).start();
                var input = new StringBuilder();
                for (Query q : queries) {
                    input.append(q.ip()).append('\t').append(q.sender()).append('\t').append(q.helo()).append('\n');
                }
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input.toString().getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("pyspf did not finish within 120 s");
                }
                var answers = new ArrayList<Answer>();
                for (String line : out.lines().toList()) {
                    int tab = line.indexOf('\t');
                    if (tab < 0) {
                        throw new IllegalStateException("pyspf failed: " + out);
                    }
                    answers.add(new Answer(line.substring(0, tab), line.substring(tab + 1)));
                }
                if (answers.size() != queries.size() || p.exitValue() != 0) {
                    throw new IllegalStateException("pyspf answered " + answers.size() + " of " + queries.size()
                            + " queries: " + out);
                }
                return answers;
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
