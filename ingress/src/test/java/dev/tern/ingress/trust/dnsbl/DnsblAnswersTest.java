package dev.tern.ingress.trust.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class DnsblAnswersTest {

    private static final Checks.Dnsbl.Zone ANY = new Checks.Dnsbl.Zone("bl.example", 1, List.of());
    private static final Checks.Dnsbl.Zone PBL_ONLY = new Checks.Dnsbl.Zone("zen.example", 1,
            List.of(Cidr.parse("127.0.0.10/31")));

    @Test
    void anAnswerInsideLoopbackCountsAsListed() {
        assertThat(DnsblAnswers.meaning(ANY, records("127.0.0.2"))).isEqualTo(DnsblAnswers.Meaning.LISTED);
        assertThat(DnsblAnswers.meaning(ANY, records("127.0.1.5"))).isEqualTo(DnsblAnswers.Meaning.LISTED);
    }

    @Test
    void aPublicAddressFromAHijackingResolverDoesNotCount() {
        assertThat(DnsblAnswers.meaning(ANY, records("198.51.100.7"))).isEqualTo(DnsblAnswers.Meaning.NOT_LISTED);
    }

    @Test
    void noRecordsIsNotListed() {
        assertThat(DnsblAnswers.meaning(ANY, List.of())).isEqualTo(DnsblAnswers.Meaning.NOT_LISTED);
    }

    @Test
    void refusalCodesAreNeverListingsEvenWhenTheZoneAcceptsAllOfLoopback() {
        var all = new Checks.Dnsbl.Zone("zen.example", 1, List.of(Cidr.parse("127.0.0.0/8")));
        for (String code : List.of("127.255.255.252", "127.255.255.254", "127.255.255.255", "127.0.0.1")) {
            assertThat(DnsblAnswers.meaning(all, records(code))).as(code).isEqualTo(DnsblAnswers.Meaning.REFUSED);
            assertThat(DnsblAnswers.counts(all, address(code))).as(code).isFalse();
        }
    }

    @Test
    void theZonesAnswersNarrowWhatCounts() {
        assertThat(DnsblAnswers.meaning(PBL_ONLY, records("127.0.0.2"))).isEqualTo(DnsblAnswers.Meaning.NOT_LISTED);
        assertThat(DnsblAnswers.meaning(PBL_ONLY, records("127.0.0.11"))).isEqualTo(DnsblAnswers.Meaning.LISTED);
        assertThat(DnsblAnswers.listing(PBL_ONLY, records("127.0.0.2", "127.0.0.10")))
                .contains(address("127.0.0.10"));
    }

    @Test
    void aListingWinsOverARefusalInTheSameAnswer() {
        assertThat(DnsblAnswers.meaning(ANY, records("127.255.255.254", "127.0.0.4")))
                .isEqualTo(DnsblAnswers.Meaning.LISTED);
    }

    static List<Record> records(String... ips) {
        return java.util.Arrays.stream(ips)
                .<Record>map(ip -> new ARecord(Name.fromConstantString("x.bl.example."), DClass.IN, 60, address(ip)))
                .toList();
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
