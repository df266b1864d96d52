package dev.tern.ingress.trust.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DmarcRecordTest {

    @Test
    void onlyRecordsWhoseFirstTagIsVDmarc1AreDmarcRecords() {
        assertThat(DmarcRecord.isDmarc("v=DMARC1; p=none")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=DMARC1")).isTrue();
        assertThat(DmarcRecord.isDmarc(" v = DMARC1 ;p=reject")).isTrue();
        assertThat(DmarcRecord.isDmarc("p=reject; v=DMARC1")).isFalse();
        assertThat(DmarcRecord.isDmarc("v=DMARC2; p=reject")).isFalse();
        assertThat(DmarcRecord.isDmarc("v=spf1 -all")).isFalse();
    }

    @Test
    void everyDecidingTagIsRead() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=Reject; sp=quarantine; pct=25; adkim=s; aspf=s; "
                + "rua=mailto:a@example.org!10m, mailto:b@example.org; ruf=mailto:f@example.org; fo=1; rf=afrf;"
                + " ri=3600");
        assertThat(r).isEqualTo(new DmarcRecord(DmarcPolicy.REJECT, DmarcPolicy.QUARANTINE, 25, true, true,
                List.of("mailto:a@example.org", "mailto:b@example.org")));
        assertThat(r.policyFor(false)).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.policyFor(true)).isEqualTo(DmarcPolicy.QUARANTINE);
    }

    @Test
    void defaultsAndUnknownTagsAreIgnored() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=quarantine; future=thing; junk");
        assertThat(r).isEqualTo(new DmarcRecord(DmarcPolicy.QUARANTINE, null, 100, false, false, List.of()));
        assertThat(r.policyFor(true)).isEqualTo(DmarcPolicy.QUARANTINE);
    }

    @Test
    void badOptionalValuesFallBackToTheirDefaults() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=reject; pct=half; adkim=x; aspf=");
        assertThat(r.percent()).isEqualTo(100);
        assertThat(r.strictDkim()).isFalse();
        assertThat(r.strictSpf()).isFalse();
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; pct=0").percent()).isZero();
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; pct=1000").percent()).isEqualTo(100);
    }

    @Test
    void anInvalidPolicyReadsAsNoneWhenRuaIsValidAndIsUnusableOtherwise() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus; rua=mailto:d@example.org").policy())
                .isEqualTo(DmarcPolicy.NONE);
        assertThat(DmarcRecord.parse("v=DMARC1; rua=mailto:d@example.org").policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.org").policyFor(true))
                .isEqualTo(DmarcPolicy.NONE);
        assertThat(DmarcRecord.policiesValid("v=DMARC1; p=bogus; rua=mailto:d@example.org")).isFalse();
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; p=bogus")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; p=reject; sp=x; rua=not a uri"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pctSamplingStepsDownOneLevel() {
        assertThat(DmarcPolicy.REJECT.lower()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(DmarcPolicy.QUARANTINE.lower()).isEqualTo(DmarcPolicy.NONE);
        assertThat(DmarcPolicy.NONE.lower()).isEqualTo(DmarcPolicy.NONE);
    }
}
