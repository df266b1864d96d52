package dev.tern.ingress.trust.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrganizationalDomainTest {

    @Test
    void oneLabelAboveTheLongestMatchingPublicSuffix() {
        assertThat(OrganizationalDomain.of("mail.example.org")).isEqualTo("example.org");
        assertThat(OrganizationalDomain.of("example.org")).isEqualTo("example.org");
        assertThat(OrganizationalDomain.of("a.b.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("Mail.Example.CO.UK.")).isEqualTo("example.co.uk");
    }

    @Test
    void privateSectionEntriesSeparateTheirCustomers() {
        assertThat(OrganizationalDomain.of("www.alice.github.io")).isEqualTo("alice.github.io");
        assertThat(OrganizationalDomain.sameOrganization("alice.github.io", "bob.github.io")).isFalse();
    }

    @Test
    void twoRegistrableDomainsUnderOneSuffixAreDifferentOrganizations() {
        assertThat(OrganizationalDomain.sameOrganization("mail.example.co.uk", "example.co.uk")).isTrue();
        assertThat(OrganizationalDomain.sameOrganization("example.co.uk", "other.co.uk")).isFalse();
        assertThat(OrganizationalDomain.sameOrganization("example.co.uk", "co.uk")).isFalse();
    }

    @Test
    void anUnlistedTldIsAOneLabelSuffix() {
        assertThat(OrganizationalDomain.of("x.mail.example.test")).isEqualTo("example.test");
        assertThat(OrganizationalDomain.of("example.test")).isEqualTo("example.test");
    }

    @Test
    void aPublicSuffixOrASingleLabelIsItsOwnOrganizationalDomain() {
        assertThat(OrganizationalDomain.of("co.uk")).isEqualTo("co.uk");
        assertThat(OrganizationalDomain.of("localhost")).isEqualTo("localhost");
    }
}
