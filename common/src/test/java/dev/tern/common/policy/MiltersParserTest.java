package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MiltersParserTest {

    @Test
    void withoutMiltersNoneApplies() {
        Policy p = PolicyParser.parse("relay: {local-domains: [example.org]}", null);
        assertThat(p.milters()).isEmpty();
        assertThat(p.miltersFor("smtp", false, false)).isEmpty();
    }

    @Test
    void entriesKeepTheirOrderAndDefaults() {
        Policy p = PolicyParser.parse("""
                milters:
                  - name: rspamd
                    address: inet:127.0.0.1:11332
                    on-error: accept
                    timeout: 10s
                    listeners: [smtp]
                    skip-authenticated: false
                    quarantine-score: 15
                  - name: clamav
                    address: inet6:[::1]:7357
                """, null);
        assertThat(p.milters()).extracting(Milter::name).containsExactly("rspamd", "clamav");
        Milter rspamd = p.milters().get(0);
        assertThat(rspamd).isEqualTo(new Milter("rspamd", "127.0.0.1", 11332, Milter.OnError.ACCEPT,
                Duration.ofSeconds(10), Set.of("smtp"), true, false, 15.0));
        Milter clamav = p.milters().get(1);
        assertThat(clamav).isEqualTo(new Milter("clamav", "::1", 7357, Milter.OnError.TEMPFAIL, Milter.DEFAULT_TIMEOUT,
                Milter.LISTENERS, true, true, null));
        assertThat(p.miltersFor("submission", false, false)).containsExactly(clamav);
        assertThat(p.miltersFor("smtp", true, false)).as("trusted networks skip both").isEmpty();
        assertThat(p.miltersFor("smtp", false, true)).as("only clamav skips authenticated users")
                .containsExactly(rspamd);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[{name: a, address: 'unix:/run/milter'}]|milters[0].address",
            "[{name: a, address: 'inet:host'}]|milters[0].address",
            "[{name: a, address: 'inet:host:99999'}]|milters[0].address",
            "[{name: a, address: 'inet:h:1'}, {name: a, address: 'inet:h:2'}]|milters[1].name",
            "[{name: a, address: 'inet:h:1', on-error: bounce}]|milters[0].on-error",
            "[{name: a, address: 'inet:h:1', listeners: [pop3]}]|milters[0].listeners[0]",
            "[{name: a, address: 'inet:h:1', timeout: soon}]|milters[0].timeout",
            "[{name: a, address: 'inet:h:1', quarantine-score: high}]|milters[0].quarantine-score",
            "[{name: a, address: 'inet:h:1', skip-trusted: maybe}]|milters[0].skip-trusted",
            "[{name: a, address: 'inet:h:1', colour: red}]|milters[0].colour",
            "[{address: 'inet:h:1'}]|milters[0].name"})
    void mistakesNameTheirKey(String milters, String key) {
        assertThatThrownBy(() -> PolicyParser.parse("milters: " + milters, null))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith(key + ":");
    }
}
