package dev.tern.ingress.milter;

import dev.tern.local.testkit.milter.ClamavMilter;
import dev.tern.local.testkit.milter.Rspamd;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real rspamd (milter mode) and clamav-milter for an ingress under test, and a policy that runs
 * both on port 25 mail, rspamd first, quarantining at an rspamd score of 7.
 */
public final class ScannersResource implements QuarkusTestResourceLifecycleManager {

    private Rspamd rspamd;
    private ClamavMilter clamav;

    @Override
    public Map<String, String> start() {
        rspamd = Rspamd.start();
        clamav = ClamavMilter.start();
        try {
            Path policy = Files.createTempFile("tern-milter-policy-", ".yaml");
            Files.writeString(policy, """
                    relay:
                      local-domains: [example.org]
                    milters:
                      - name: rspamd
                        address: inet:127.0.0.1:%d
                        on-error: tempfail
                        timeout: 2m
                        listeners: [smtp]
                        quarantine-score: 7
                      - name: clamav
                        address: inet:127.0.0.1:%d
                        timeout: 2m
                    """.formatted(rspamd.milterPort(), clamav.milterPort()));
            return Map.of("tern.policy", policy.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (rspamd != null) {
            rspamd.close();
        }
        if (clamav != null) {
            clamav.close();
        }
    }
}
