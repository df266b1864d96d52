package dev.tern.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SenderSetTest {

    // bcrypt (cost 6) of "s3cret-pass".
    private static final String HASH = "$2y$06$bGNusBrChBL6FfildTjvq.SizMYVFqytpkkr0q5/aG7Iu91tMxXUq";

    @Test
    void addressesMatchExactlyOrByTheirSubaddressBaseAndDomainsCoverSubdomains() {
        SenderSet s = SenderSet.parse("alice@Example.org, @example.net");
        assertThat(s.allows("alice@example.org")).isTrue();
        assertThat(s.allows("alice@EXAMPLE.ORG")).as("domains compare case-insensitively").isTrue();
        assertThat(s.allows("alice+lists@example.org")).isTrue();
        assertThat(s.allows("Alice@example.org")).as("local parts are case-sensitive").isFalse();
        assertThat(s.allows("bob@example.org")).isFalse();
        assertThat(s.allows("anyone@example.net")).isTrue();
        assertThat(s.allows("anyone@mail.example.net")).isTrue();
        assertThat(s.allows("anyone@notexample.net")).isFalse();
        assertThat(s.owns("example.net")).isTrue();
        assertThat(s.owns("example.org")).as("one address is not the whole domain").isFalse();
    }

    @Test
    void badEntriesAreRefused() {
        assertThat(SenderSet.parse("alice")).isNull();
        assertThat(SenderSet.parse("alice@")).isNull();
        assertThat(SenderSet.parse("a b@example.org")).isNull();
        assertThat(SenderSet.parse("")).isNull();
    }

    @Test
    void theUsersFileReadsTheThirdField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "alice:" + HASH + ":alice@example.org,@example.net\nbob:" + HASH + "\n");
        UsersFile users = UsersFile.load(file);
        assertThat(users.verify("alice", "s3cret-pass")).isTrue();
        assertThat(users.sendersOf("alice")).get().satisfies(s -> assertThat(s.allows("x@example.net")).isTrue());
        assertThat(users.sendersOf("bob")).isEmpty();

        Files.writeString(file, "carol:" + HASH + ":carol\n");
        assertThatThrownBy(() -> UsersFile.load(file)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("line 1").hasMessageContaining("third field");
    }
}
