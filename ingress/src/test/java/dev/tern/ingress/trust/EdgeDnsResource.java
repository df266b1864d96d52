package dev.tern.ingress.trust;

import dev.tern.local.testkit.dns.KnotDns;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real DNS server (knot, on a free loopback port) with the test zone of the edge-check tests,
 * and a policy that turns on SPF, DKIM verification, DMARC, a recipients file, a DNS block list
 * (listing 127.0.0.2) and greylisting (for clients other than 127.0.0.1, .2 and .4); ingress is
 * pointed at both.
 */
public final class EdgeDnsResource implements QuarkusTestResourceLifecycleManager {

    static final String ZONE = """
            pass TXT "v=spf1 ip4:127.0.0.0/8 -all"
            fail TXT "v=spf1 ip4:192.0.2.1 -all exp=why.fail.edge.test"
            why.fail TXT "%{d} never sends from %{i}"
            soft TXT "v=spf1 ~all"
            perm TXT "v=spf1 frobnicate:x -all"
            temp TXT "v=spf1 include:x.broken.test -all"
            _dmarc.quar TXT "v=DMARC1; p=quarantine"
            _dmarc.reject TXT "v=DMARC1; p=reject"
            """;

    private KnotDns dns;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            String publicKey = Files.readString(Path.of("src/test/resources/test-dkim.pub")).strip();
            dns = KnotDns.builder()
                    .zone("edge.test", ZONE)
                    .zone("example.org", "test._domainkey TXT \"v=DKIM1; k=ed25519; p=" + publicKey + "\"\n"
                            + "_dmarc TXT \"v=DMARC1; p=reject\"")
                    .zone("other.test", "@ TXT \"v=spf1 ip4:127.0.0.0/8 -all\"")
                    .zone("bl.test", "2.0.0.127 A 127.0.0.2\n4.0.0.127 A 127.255.255.254")
                    .servfail("broken.test")
                    .start();
            dir = Files.createTempDirectory("tern-edge-");
            Files.copy(Path.of("src/test/resources/test-users.htpasswd"), dir.resolve("users.htpasswd"));
            Files.writeString(dir.resolve("recipients.txt"), "bob@example.org\n@catchall.example.org\n");
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, """
                    relay:
                      local-domains: [example.org, catchall.example.org]
                      trusted-networks: [192.0.2.0/24]
                      users-file: users.htpasswd
                      recipients: recipients.txt
                    retry: [1m]
                    checks:
                      authserv-id: mx.tern.test
                      spf: {fail: reject, softfail: defer, temperror: defer, permerror: reject}
                      dkim: {}
                      dmarc: {}
                      quarantine-to: quarantine@example.org
                      dnsbl: {zones: [{zone: bl.test}]}
                      greylisting: {delay: 1h, retry-window: 2h, whitelist: [127.0.0.1/32, 127.0.0.2/32, 127.0.0.4/32]}
                    """);
            return Map.of("tern.dns.servers", dns.server(), "tern.dns.timeout", "2s", "tern.policy", policy.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (dns != null) {
            dns.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
