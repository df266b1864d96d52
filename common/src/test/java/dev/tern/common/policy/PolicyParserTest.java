package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

    private static final String FULL = """
            relay:
              local-domains: [Example.org]
              trusted-networks: [127.0.0.0/8, "::1/128", 10.1.2.3]
            routes:
              - match: example.test
                via: smtp://127.0.0.1:2526
              - match: "*.lmtp.test"
                via: lmtp://127.0.0.1:2424
            destinations:
              default: {max-connections: 20, max-messages-per-connection: 100, rate: 100/s}
              gmail.com: {mx-rollup: "*.google.com", max-connections: 10, rate: 50/s, tls: required}
            retry: [10s, 30s, 1m]
            max-queue-lifetime: 5d
            delay-notice-after: 4h
            """;

    @Test
    void readsTheDesignDocumentShape() throws Exception {
        Policy p = PolicyParser.parse(FULL, null);
        assertThat(p.relay().isLocalDomain("EXAMPLE.org")).isTrue();
        assertThat(p.relay().isTrusted(InetAddress.getByName("127.9.9.9"))).isTrue();
        assertThat(p.relay().isTrusted(InetAddress.getByName("::1"))).isTrue();
        assertThat(p.relay().isTrusted(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(p.relay().isTrusted(InetAddress.getByName("10.1.2.4"))).isFalse();
        assertThat(p.transportFor("example.test").toString()).isEqualTo("smtp://127.0.0.1:2526");
        assertThat(p.transportFor("a.lmtp.test").kind()).isEqualTo(Transport.Kind.LMTP);
        assertThat(p.transportFor("lmtp.test")).isEqualTo(Transport.MX);
        assertThat(p.transportFor("other.org")).isEqualTo(Transport.MX);
        assertThat(p.destinationFor("gmail.com").maxConnections()).isEqualTo(10);
        assertThat(p.destinationFor("gmail.com").maxMessagesPerConnection()).isEqualTo(100);
        assertThat(p.destinationFor("gmail.com").tls()).isEqualTo(TlsMode.REQUIRED);
        assertThat(p.destinationFor("gmail.com").mxRollup()).isEqualTo("*.google.com");
        assertThat(p.destinationFor("yahoo.com").rate().perSecond()).isEqualTo(100.0);
        assertThat(p.retry()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1));
        assertThat(p.maxQueueLifetime()).isEqualTo(Duration.ofDays(5));
    }

    @Test
    void emptyFileMeansDefaults() {
        Policy p = PolicyParser.parse("", null);
        assertThat(p.retry()).isEqualTo(Policy.DEFAULT_RETRY);
        assertThat(p.defaultDestination()).isEqualTo(DestinationPolicy.BUILT_IN);
        assertThat(p.relay().localDomains()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay: {trusted-networks: [10.0.0/8x]}|relay.trusted-networks[0]",
        "relay: {trusted-networks: [example.com]}|relay.trusted-networks[0]",
        "relay: {local-domains: [\"bad domain\"]}|relay.local-domains[0]",
        "relay: {users-file: /nonexistent/users}|relay.users-file",
        "relay: {local-domain: [a.b]}|relay.local-domain",
        "routes: [{match: a.test, via: ftp://x}]|routes[0].via",
        "routes: [{match: a.test}]|routes[0].via",
        "destinations: {gmail.com: {rate: fast}}|destinations.gmail.com.rate",
        "destinations: {gmail.com: {max-connections: -1}}|destinations.gmail.com.max-connections",
        "destinations: {gmail.com: {max-conections: 3}}|destinations.gmail.com.max-conections",
        "destinations: {default: {tls: maybe}}|destinations.default.tls",
        "destinations: {a.test: {source-ip: mail.example.com}}|destinations.a.test.source-ip",
        "destinations: {a.test: {source-ip: 10.0.0.0/8}}|destinations.a.test.source-ip",
        "destinations: {a.test: {source-pool: nowhere}}|destinations.a.test.source-pool",
        "'{source-pools: {p: [10.0.0.1]}, destinations: {a.test: {source-pool: p, source-ip: 10.0.0.1}}}'|destinations.a.test.source-pool",
        "destinations: {a.test: {per-source: true}}|destinations.a.test.per-source",
        "destinations: {a.test: {source-ip: 10.0.0.1, per-source: maybe}}|destinations.a.test.per-source",
        "dkim: {example.org: {selector: s1, key-file: /nonexistent.pem}}|dkim.example.org.key-file",
        "dkim: {example.org: {key-file: /nonexistent.pem}}|dkim.example.org.selector",
        "dkim: {example.org: {selector: 'bad selector', key-file: x.pem}}|dkim.example.org.selector",
        "dkim: {'bad domain': {selector: s1, key-file: x.pem}}|dkim.bad domain",
        "dkim: {example.org: {selector: s1, key-file: x.pem, canon: simple}}|dkim.example.org.canon",
        "sources: {10.0.0.x: {rate: 5/s}}|sources.10.0.0.x",
        "sources: {10.0.0.1: {rate: 0/s}}|sources.10.0.0.1.rate",
        "sources: {10.0.0.1: {max-connections: 0}}|sources.10.0.0.1.max-connections",
        "sources: {10.0.0.1: {weight: 2}}|sources.10.0.0.1.weight",
        "source-pools: {p: []}|source-pools.p",
        "source-pools: {p: [10.0.0.1, 10.0.0.1]}|source-pools.p",
        "source-pools: {p: [eth0]}|source-pools.p[0]",
        "retry: [1m, ten]|retry[1]",
        "retry: [5m, 1m]|retry[1]",
        "retry: []|retry",
        "max-queue-lifetime: forever|max-queue-lifetime",
        "retries: [1m]|retries",
        "relay: [1, 2]|relay",
        "'relay: {local-domains: [a'|(file)",
    })
    void badKeysAreNamed(String yaml, String key) {
        assertThatThrownBy(() -> PolicyParser.parse(yaml, null))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    @Test
    void egressAddressesResolveToTheirLimitsAndEitherKeyReplacesTheInheritedOne() {
        var p = PolicyParser.parse("""
                sources:
                  192.0.2.10: {max-connections: 50, rate: 200/s}
                  "2001:db8:0::7": {rate: 1000/h}
                source-pools:
                  bulk: [192.0.2.10, 192.0.2.11, "2001:db8::7"]
                destinations:
                  default: {source-pool: bulk}
                  partner.test: {source-ip: 192.0.2.11}
                  gmail.com: {rate: 50/s}
                """, null);
        assertThat(p.defaultDestination().egress()).containsExactly(
                new EgressSource("192.0.2.10", 50, Rate.parse("200/s")),
                EgressSource.unlimited("192.0.2.11"),
                new EgressSource("2001:db8:0:0:0:0:0:7", 0, Rate.parse("1000/h")));
        assertThat(p.destinationFor("gmail.com").egress()).as("inherited from default")
                .isEqualTo(p.defaultDestination().egress());
        assertThat(p.destinationFor("partner.test").egress()).containsExactly(EgressSource.unlimited("192.0.2.11"));
        assertThat(PolicyParser.parse("", null).defaultDestination().egress()).as("the system's choice").isEmpty();
    }

    @Test
    void ratesParse() {
        assertThat(Rate.parse("50/s").emissionInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(Rate.parse("600/m").perSecond()).isEqualTo(10.0);
        assertThat(Rate.parse("3600/h").toString()).isEqualTo("3600/h");
    }

    @Test
    void cidrMatchesPrefixBitsOnly() throws Exception {
        Cidr c = Cidr.parse("192.168.4.0/22");
        assertThat(c.contains(InetAddress.getByName("192.168.7.255"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("192.168.8.0"))).isFalse();
        assertThat(c.contains(InetAddress.getByName("::ffff:192.168.5.1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:1::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("192.0.2.1"))).isFalse();
    }

    @Test
    void routesMatchFirstWins() {
        var p = PolicyParser.parse("""
                routes:
                  - {match: "*.example.com", via: "smtp://127.0.0.1:1"}
                  - {match: "*", via: "smtp://127.0.0.1:2"}
                """, null);
        assertThat(p.transportFor("a.example.com").port()).isEqualTo(1);
        assertThat(p.transportFor("example.com").port()).isEqualTo(2);
        assertThat(p.routes()).hasSize(2);
        assertThat(List.copyOf(p.destinations().keySet())).isEmpty();
    }

    @Test
    void perSourceLimitsAreOffUnlessAsked() {
        Policy p = PolicyParser.parse("""
                source-pools: {pair: [10.0.0.1, 10.0.0.2]}
                destinations:
                  gmail.com: {source-pool: pair, per-source: true, rate: 10/s}
                  yahoo.com: {source-pool: pair}
                """, null);
        assertThat(p.destinationFor("gmail.com").perSource()).isTrue();
        assertThat(p.destinationFor("yahoo.com").perSource()).isFalse();
        assertThat(p.destinationFor("other.test").perSource()).isFalse();
    }

    @Test
    void dkimKeysAreReadAtParseTimeAndMatchTheFromDomainOrAParent(@TempDir Path dir) throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(dir.resolve("example.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Policy p = PolicyParser.parse("dkim: {Example.ORG: {selector: s2026, key-file: example.pem}}", dir);

        assertThat(p.dkimFor("example.org")).hasValueSatisfying(k -> {
            assertThat(k.domain()).isEqualTo("example.org");
            assertThat(k.selector()).isEqualTo("s2026");
        });
        assertThat(p.dkimFor("News.Example.org")).as("a subdomain signs with its parent's key").isPresent();
        assertThat(p.dkimFor("example.net")).isEmpty();
        assertThat(p.dkimFor("org")).isEmpty();
    }
}
