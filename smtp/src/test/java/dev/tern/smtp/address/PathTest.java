package dev.tern.smtp.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathTest {

    @Test
    void parsesTheNullReversePath() {
        ReversePath path = ReversePath.parse("<>", false).value();
        assertThat(path.isNull()).isTrue();
        assertThat(path.mailbox()).isEmpty();
        assertThat(path).hasToString("<>");
    }

    @Test
    void dropsTheSourceRouteAndKeepsTheMailbox() {
        ForwardPath path = ForwardPath.parse("<@a.test,@b.test:user@c.test>", false).value();
        assertThat(path.mailbox()).contains(new Mailbox("user", "c.test"));
        assertThat(path).hasToString("<user@c.test>");
    }

    @Test
    void refusesASourceRouteWithABadHop() {
        assertThat(ForwardPath.parse("<@-bad.test:user@c.test>", false).isOk()).isFalse();
        assertThat(ForwardPath.parse("<@a.test,b.test:user@c.test>", false).isOk()).isFalse();
    }

    @Test
    void acceptsBarePostmasterOnlyAsRecipient() {
        assertThat(ForwardPath.parse("<postMaster>", false).value().isBarePostmaster()).isTrue();
        assertThat(ReversePath.parse("<Postmaster>", false).isOk()).isFalse();
    }

    @Test
    void recognisesPostmasterAtADomain() {
        ForwardPath path = ForwardPath.parse("<PostMaster@mx.test>", false).value();
        assertThat(path.isPostmaster()).isTrue();
        assertThat(path.isBarePostmaster()).isFalse();
    }

    @Test
    void requiresAngleBrackets() {
        assertThat(ReversePath.parse("a@b.test", false).reply().toString()).startsWith("501 5.1.7");
        assertThat(ForwardPath.parse("a@b.test", false).reply().toString()).startsWith("501 5.1.3");
    }

    @Test
    void refusesPathsOver256Octets() {
        String path = "<" + "l".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(57) + ".test>";
        assertThat(path).hasSize(257);
        assertThat(ForwardPath.parse(path, false).reply().toString()).isEqualTo("501 5.5.4 Path too long");
    }
}
