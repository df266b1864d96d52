package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksParserTest {

    @Test
    void withoutAChecksSectionEveryCheckIsOff() {
        Policy p = PolicyParser.parse("relay: {local-domains: [example.org]}", null);
        assertThat(p.checks()).isEqualTo(Checks.NONE);
        assertThat(p.checks().authenticates()).isFalse();
        assertThat(p.relay().recipientCallout().enabled()).isFalse();
        assertThat(p.relay().recipientsFile()).isNull();
    }

    @Test
    void aPresentSectionTurnsItsCheckOnWithDefaults() {
        Policy p = PolicyParser.parse("""
                checks:
                  spf: {}
                  dkim: {}
                  dmarc: {}
                """, null);
        Checks c = p.checks();
        assertThat(c.spf()).isEqualTo(new Checks.Spf(true, CheckAction.REJECT, CheckAction.ACCEPT, CheckAction.DEFER,
                CheckAction.ACCEPT));
        assertThat(c.dkim()).isTrue();
        assertThat(c.dmarc()).isEqualTo(new Checks.Dmarc(true, CheckAction.REJECT, CheckAction.QUARANTINE,
                CheckAction.ACCEPT));
        assertThat(c.senderId().enabled()).isFalse();
        assertThat(c.dnsbl().enabled()).isFalse();
        assertThat(c.greylisting().enabled()).isFalse();
        assertThat(c.authenticates()).isTrue();
    }

    @Test
    void readsEveryKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("recipients"), "bob@example.org\n@catchall.example.org\n");
        Policy p = PolicyParser.parse("""
                relay:
                  local-domains: [example.org]
                  recipients: recipients
                  recipient-callout: {cache: 2h, negative-cache: 5m, timeout: 3s}
                checks:
                  authserv-id: mx.example.org
                  quarantine-to: quarantine@example.org
                  spf: {fail: defer, softfail: reject, temperror: accept, permerror: reject}
                  sender-id: {fail: quarantine}
                  dkim: true
                  dmarc: {reject: quarantine, quarantine: accept, temperror: defer}
                  dnsbl:
                    threshold: 2.5
                    stage: connect
                    zones:
                      - {zone: bl.example, weight: 2, answers: [127.0.0.2/32, 127.0.0.4/31]}
                      - {zone: wl.example, weight: -5}
                      - {zone: other.example}
                  greylisting:
                    delay: 1m
                    retry-window: 1h
                    pass-lifetime: 10d
                    whitelist: [192.0.2.0/24, Friendly.example]
                """, dir);
        assertThat(p.relay().recipientsFile()).isEqualTo(dir.resolve("recipients"));
        assertThat(p.relay().recipientCallout()).isEqualTo(new Relay.Callout(true, Duration.ofHours(2),
                Duration.ofMinutes(5), Duration.ofSeconds(3)));
        Checks c = p.checks();
        assertThat(c.authservId()).isEqualTo("mx.example.org");
        assertThat(c.quarantineTo()).isEqualTo("quarantine@example.org");
        assertThat(c.spf()).isEqualTo(new Checks.Spf(true, CheckAction.DEFER, CheckAction.REJECT, CheckAction.ACCEPT,
                CheckAction.REJECT));
        assertThat(c.senderId()).isEqualTo(new Checks.SenderId(true, CheckAction.QUARANTINE));
        assertThat(c.dmarc()).isEqualTo(new Checks.Dmarc(true, CheckAction.QUARANTINE, CheckAction.ACCEPT,
                CheckAction.DEFER));
        assertThat(c.dnsbl().threshold()).isEqualTo(2.5);
        assertThat(c.dnsbl().stage()).isEqualTo(Checks.Dnsbl.Stage.CONNECT);
        assertThat(c.dnsbl().zones()).extracting(Checks.Dnsbl.Zone::zone)
                .containsExactly("bl.example", "wl.example", "other.example");
        assertThat(c.dnsbl().zones().get(0).answers()).hasSize(2);
        assertThat(c.dnsbl().zones().get(1).weight()).isEqualTo(-5);
        assertThat(c.dnsbl().zones().get(2).weight()).isEqualTo(1);
        assertThat(c.greylisting().delay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.greylisting().retryWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(c.greylisting().passLifetime()).isEqualTo(Duration.ofDays(10));
        assertThat(c.greylisting().clientWhitelist()).hasSize(1);
        assertThat(c.greylisting().domainWhitelist()).containsExactly("friendly.example");
    }

    @Test
    void enabledFalseKeepsACheckOff() {
        Policy p = PolicyParser.parse("checks: {spf: {enabled: false, fail: reject}, dkim: false}", null);
        assertThat(p.checks().spf().enabled()).isFalse();
        assertThat(p.checks().dkim()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "checks: {spf: {fail: bounce}}|checks.spf.fail",
        "checks: {spf: {temperror: reject}}|checks.spf.temperror",
        "checks: {spf: {fial: reject}}|checks.spf.fial",
        "checks: {spf: {enabled: maybe}}|checks.spf.enabled",
        "checks: {dmarc: {reject: maybe}}|checks.dmarc.reject",
        "checks: {dmarc: {temperror: quarantine}}|checks.dmarc.temperror",
        "checks: {authserv-id: 'not a host'}|checks.authserv-id",
        "checks: {quarantine-to: nobody}|checks.quarantine-to",
        "checks: {dnsbl: {zones: []}}|checks.dnsbl.zones",
        "checks: {dnsbl: {zones: [{zone: 'bad zone'}]}}|checks.dnsbl.zones[0].zone",
        "checks: {dnsbl: {zones: [{zone: bl.example, weight: heavy}]}}|checks.dnsbl.zones[0].weight",
        "checks: {dnsbl: {zones: [{zone: bl.example, answers: [nope]}]}}|checks.dnsbl.zones[0].answers[0]",
        "checks: {dnsbl: {threshold: high, zones: [{zone: bl.example}]}}|checks.dnsbl.threshold",
        "checks: {dnsbl: {stage: data, zones: [{zone: bl.example}]}}|checks.dnsbl.stage",
        "checks: {greylisting: {delay: soon}}|checks.greylisting.delay",
        "checks: {greylisting: {delay: 5h, retry-window: 1h}}|checks.greylisting.retry-window",
        "checks: {greylisting: {whitelist: ['not a domain!']}}|checks.greylisting.whitelist",
        "checks: {antivirus: {}}|checks.antivirus",
        "relay: {recipients: /nonexistent/recipients}|relay.recipients",
        "relay: {recipient-callout: {cache: forever}}|relay.recipient-callout.cache",
        "relay: {recipient-callout: {ttl: 1h}}|relay.recipient-callout.ttl",
    })
    void badKeysAreNamed(String yaml, String key) {
        assertThatThrownBy(() -> PolicyParser.parse(yaml, null))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }
}
