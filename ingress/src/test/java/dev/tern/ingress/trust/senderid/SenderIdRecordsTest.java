package dev.tern.ingress.trust.senderid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Record selection of RFC 4406 §3.4. */
class SenderIdRecordsTest {

    private final SenderIdRecords pra = new SenderIdRecords("pra");

    @Test
    void recordsForThePraScopeWinOverSpf1() {
        assertThat(pra.select(List.of("v=spf1 -all", "spf2.0/pra +all"))).containsExactly("spf2.0/pra +all");
        assertThat(pra.select(List.of("v=spf1 -all", "SPF2.0/mfrom,PRA ?all")))
                .containsExactly("SPF2.0/mfrom,PRA ?all");
        assertThat(pra.select(List.of("spf2.0/pra", "spf2.0/pra,mfrom -all"))).hasSize(2);
    }

    @Test
    void withoutThemSpf1RecordsStandIn() {
        assertThat(pra.select(List.of("spf2.0/mfrom -all", "v=spf1 +all", "hello"))).containsExactly("v=spf1 +all");
        assertThat(pra.select(List.of("spf2.0/prax -all", "spf2.0/ pra -all"))).isEmpty();
    }
}
