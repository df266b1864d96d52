package dev.tern.delivery.support;

import dev.tern.local.runtime.process.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fixes the loopback ports of the test's remote servers before the delivery app starts and writes
 * the policy that routes to them. The servers themselves (SMTP sink, LMTP sink, DNS) are started
 * by each test class on these ports ({@link TestPorts}), because test classes and resources may
 * live in different class loaders; ports travel through system properties, which they share.
 *
 * <p>Policy: {@code relay.test} → SMTP sink (smarthost route), {@code lmtp.test} → LMTP sink,
 * {@code secure.test} → SMTP sink with verified TLS required, {@code rate.test} → SMTP sink at 2/s,
 * {@code probe.test} backing off for 1 m, and one operator bounce rule (BounceClassificationIT),
 * {@code shaped.test} (MX rollup {@code *.shaped-mx.test}) at 20/s and 3 connections cluster-wide,
 * {@code backoff.test} backing off for 4 s after a 421, {@code egress.test} from 127.0.0.2,
 * {@code pool.egress.test} from the pool 127.0.0.2 + 127.0.0.3, {@code warm-a.egress.test} and
 * {@code warm-b.egress.test} from 127.0.0.4, which is limited to 1 connection and 4 msg/s across
 * every destination; {@code spill.egress.test} from the pool 127.0.0.5 (1 msg/min) + 127.0.0.6;
 * {@code auth.test} and {@code badauth.test} → the authenticating Postfix relay as
 * {@link #RELAY_LOGIN} with the right and a wrong password ({@code auth-secret} files written
 * here), {@code cleartext.test} → a relay without STARTTLS with the right one;
 * everything else by MX through the test DNS server (MX port = the SMTP sink's
 * port), retry ladder {@code [2s, 4s]} ({@code [1s, 10m]} under {@link LongRetryTierProfile}).
 */
public final class DeliveryTestResource implements QuarkusTestResourceLifecycleManager {

    /** The smarthost user of the {@code auth.test} routes, as Cyrus SASL names it: user@realm. */
    public static final String RELAY_USER = "tern";
    public static final String RELAY_REALM = "relay.test";
    public static final String RELAY_LOGIN = RELAY_USER + "@" + RELAY_REALM;
    public static final String RELAY_PASSWORD = "correct horse battery staple";

    @Override
    public Map<String, String> start() {
        int smtp = TestPorts.smtp();
        int lmtp = TestPorts.lmtp();
        int dns = TestPorts.dns();
        Path right;
        Path wrong;
        try {
            right = secret(RELAY_PASSWORD + "\n");
            wrong = secret("not the password");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String policy = """
                routes:
                  - match: auth.test
                    via: smtp://%1$s@127.0.0.1:%2$d
                    auth-secret: %3$s
                  - match: badauth.test
                    via: smtp://%1$s@127.0.0.1:%2$d
                    auth-secret: %4$s
                  - match: cleartext.test
                    via: smtp://%1$s@127.0.0.1:%5$d
                    auth-secret: %3$s
                """.formatted(RELAY_LOGIN.replace("@", "%40"), TestPorts.relay(), right, wrong, TestPorts.cleartext())
                + """
                  - match: relay.test
                    via: smtp://127.0.0.1:%d
                  - match: lmtp.test
                    via: lmtp://127.0.0.1:%d
                  - match: secure.test
                    via: smtp://127.0.0.1:%d
                  - match: rate.test
                    via: smtp://127.0.0.1:%d
                  - match: egress.test
                    via: smtp://127.0.0.1:%d
                  - match: "*.egress.test"
                    via: smtp://127.0.0.1:%d
                sources:
                  127.0.0.4: {max-connections: 1, rate: 4/s}
                  127.0.0.5: {rate: 1/m}
                source-pools:
                  pair: [127.0.0.2, 127.0.0.3]
                  warming: [127.0.0.5, 127.0.0.6]
                destinations:
                  default:
                    connect-timeout: 3s
                    command-timeout: 10s
                    data-timeout: 10s
                  secure.test:
                    tls: required
                  rate.test:
                    rate: 2/s
                  shaped.test:
                    mx-rollup: "*.shaped-mx.test"
                    rate: 20/s
                    max-connections: 3
                    max-messages-per-connection: 10
                  backoff.test:
                    backoff: 4s
                  probe.test:
                    backoff: 1m
                  egress.test:
                    source-ip: 127.0.0.2
                  pool.egress.test:
                    source-pool: pair
                  warm-a.egress.test:
                    source-ip: 127.0.0.4
                  warm-b.egress.test:
                    source-ip: 127.0.0.4
                  spill.egress.test:
                    source-pool: warming
                  per-ip.egress.test:
                    source-pool: pair
                    per-source: true
                    max-connections: 1
                    rate: 4/s
                  per-ip-backoff.egress.test:
                    source-pool: pair
                    per-source: true
                    backoff: 1m
                bounce-rules:
                  - {match: "(?i)tern-rule-probe", category: rate-limited, action: backoff}
                retry: [2s, 4s]
                max-queue-lifetime: 1h
                """.formatted(smtp, lmtp, smtp, smtp, smtp, smtp).replace("retry: [2s, 4s]", "retry: " + retryLadder());
        try {
            Path file = Files.createTempFile("tern-delivery-test-policy", ".yaml");
            Files.writeString(file, policy);
            file.toFile().deleteOnExit();
            return Map.of(
                    "tern.policy", file.toString(),
                    "tern.delivery.mx-port", Integer.toString(smtp),
                    "tern.dns.servers", "127.0.0.1:" + dns,
                    "tern.dns.timeout", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String retryLadder = "[2s, 4s]";

    @Override
    public void setContext(Context context) {
        if (LongRetryTierProfile.class.getName().equals(context.testProfile())) {
            retryLadder = "[1s, 10m]";
        }
    }

    /** The policy's retry ladder: {@code [1s, 10m]} under {@link LongRetryTierProfile}. */
    private String retryLadder() {
        return retryLadder;
    }

    // A Kubernetes Secret mounted as a file; deleted with the JVM.
    private static Path secret(String content) throws IOException {
        Path file = Files.createTempFile("tern-relay-password", "");
        Files.writeString(file, content);
        file.toFile().deleteOnExit();
        return file;
    }

    @Override
    public void stop() {
    }

    /** Ports chosen once per JVM, shared through system properties. */
    public static final class TestPorts {
        private TestPorts() {
        }

        public static synchronized int smtp() {
            return port("delivery-test.smtp-port");
        }

        public static synchronized int lmtp() {
            return port("delivery-test.lmtp-port");
        }

        public static synchronized int dns() {
            return port("delivery-test.dns-port");
        }

        /** The authenticating Postfix relay. */
        public static synchronized int relay() {
            return port("delivery-test.relay-port");
        }

        /** A relay that offers AUTH but not STARTTLS. */
        public static synchronized int cleartext() {
            return port("delivery-test.cleartext-port");
        }

        private static int port(String key) {
            String v = System.getProperty(key);
            if (v == null) {
                v = Integer.toString(FreePorts.pick());
                System.setProperty(key, v);
            }
            return Integer.parseInt(v);
        }
    }
}
