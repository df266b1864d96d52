package dev.tern.ingress.trust.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TripletTest {

    @Test
    void theClientNetworkIsTheIpv4Slash24OrTheIpv6Slash64() throws Exception {
        assertThat(Triplet.network(InetAddress.getByName("192.0.2.77"))).isEqualTo("192.0.2.0/24");
        assertThat(Triplet.network(InetAddress.getByName("2001:db8:1:2:aaaa::5")))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        byte[] mapped = InetAddress.getByName("2001:db8::1").getAddress();
        java.util.Arrays.fill(mapped, (byte) 0);
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[14] = 2;
        mapped[15] = 9;
        assertThat(Triplet.network(Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("192.0.2.0/24");
    }

    @Test
    void hostsOfOneSendingFarmShareATriplet() throws Exception {
        assertThat(Triplet.of(InetAddress.getByName("192.0.2.1"), "a@x.example", "b@y.example"))
                .isEqualTo(Triplet.of(InetAddress.getByName("192.0.2.200"), "a@x.example", "b@y.example"));
        assertThat(Triplet.of(InetAddress.getByName("192.0.3.1"), "a@x.example", "b@y.example"))
                .isNotEqualTo(Triplet.of(InetAddress.getByName("192.0.2.1"), "a@x.example", "b@y.example"));
    }

    @Test
    void theSenderLosesCaseBatvTagsSubAddressesAndVerpNumbers() {
        assertThat(Triplet.normaliseSender("Alice@Example.COM")).isEqualTo("alice@example.com");
        assertThat(Triplet.normaliseSender("prvs=1234abcdef=alice@example.com")).isEqualTo("alice@example.com");
        assertThat(Triplet.normaliseSender("msprvs1=19abc=bounces@example.com")).isEqualTo("bounces@example.com");
        assertThat(Triplet.normaliseSender("btv1==3f1==alice@example.com")).isEqualTo("alice@example.com");
        assertThat(Triplet.normaliseSender("list+bounce-bob=x.example@lists.example"))
                .isEqualTo("list@lists.example");
        assertThat(Triplet.normaliseSender("bounce-12345-67@lists.example"))
                .isEqualTo(Triplet.normaliseSender("bounce-999-1@lists.example")).isEqualTo("bounce-#-#@lists.example");
        assertThat(Triplet.normaliseSender("SRS0=HHH1=TT=example.com=alice@forwarder.example"))
                .isEqualTo(Triplet.normaliseSender("SRS0=zzz2=UV=example.com=alice@forwarder.example"))
                .isEqualTo("srs0=example.com=alice@forwarder.example");
        assertThat(Triplet.normaliseSender("alice2000@example.com")).as("digits inside a word stay")
                .isEqualTo("alice2000@example.com");
    }

    @Test
    void theNullSenderIsItsOwnSender() {
        assertThat(Triplet.normaliseSender("")).isEqualTo("<>");
        assertThat(Triplet.normaliseSender("<>")).isEqualTo("<>");
        assertThat(Triplet.normaliseSender(null)).isEqualTo("<>");
    }

    @Test
    void theRecipientIsLowerCased() throws Exception {
        assertThat(Triplet.of(InetAddress.getByName("192.0.2.1"), "a@x.example", "Bob@Y.Example").key())
                .isEqualTo("192.0.2.0/24 a@x.example bob@y.example");
    }

    @Test
    void theStoredStateReadsBackAndRejectsGarbage() {
        Instant at = Instant.parse("2026-01-01T10:00:00.123Z");
        assertThat(TripletState.decode(TripletState.seen(at).encode())).isEqualTo(TripletState.seen(at));
        assertThat(TripletState.decode(TripletState.passed(at).encode())).isEqualTo(TripletState.passed(at));
        assertThat(TripletState.passed(at).encode()).isEqualTo("P " + at.toEpochMilli());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TripletState.decode("X 12"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
