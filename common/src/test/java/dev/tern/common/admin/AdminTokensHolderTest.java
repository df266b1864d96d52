package dev.tern.common.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.watch.WatchedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokensHolderTest {

    @TempDir
    Path dir;

    private static String line(String token, String role, String name) {
        return AdminTokens.sha256Hex(token) + " " + role + " " + name + "\n";
    }

    @Test
    void aMalformedFileFailsTheStartNamingTheKeyFileAndLine() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, line("a", "operator", "alice") + "not-a-hash viewer bob\n");
        assertThatThrownBy(() -> AdminTokensHolder.watch(file, Duration.ofSeconds(1)))
                .isInstanceOf(AdminTokensException.class)
                .hasMessageStartingWith("tern.admin.tokens-file: " + file + " line 2: ");
        assertThatThrownBy(() -> AdminTokensHolder.watch(dir.resolve("absent"), Duration.ofSeconds(1)))
                .isInstanceOf(AdminTokensException.class)
                .hasMessageStartingWith("tern.admin.tokens-file: cannot read " + dir.resolve("absent"));
    }

    /** As a Kubernetes Secret volume changes: {@code tokens -> ..data/tokens}, {@code ..data} swapped atomically. */
    @Test
    void reloadsLiveWhenASecretMountSwapsItsSymlinkAndKeepsTheLastGoodOnABadFile() throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Files.writeString(v1.resolve("tokens"), line("first", "operator", "alice"));
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file = dir.resolve("tokens");
        Files.createSymbolicLink(file, Path.of("..data/tokens"));

        try (WatchedFile<AdminTokens> watched = AdminTokensHolder.watch(file, Duration.ofMillis(100))) {
            BlockingQueue<AdminTokens> changes = new LinkedBlockingQueue<>();
            watched.onChange(changes::add);
            assertThat(watched.current().match("first")).isPresent();

            swap(Files.createDirectory(dir.resolve("..v2")), line("second", "viewer", "bob"));
            AdminTokens reloaded = changes.poll(30, TimeUnit.SECONDS);
            assertThat(reloaded).as("reload seen by the poller").isNotNull();
            assertThat(reloaded.match("second")).get().extracting(AdminToken::name).isEqualTo("bob");
            assertThat(watched.current().match("first")).isEmpty();

            swap(Files.createDirectory(dir.resolve("..v3")), "garbage\n");
            // Drive the poll here too, so the assertion does not race the poller thread.
            watched.poll();
            assertThat(watched.lastError()).startsWith("tern.admin.tokens-file: " + file + " line 1: ");
            assertThat(watched.current().match("second")).as("the previous tokens stay").isPresent();

            swap(Files.createDirectory(dir.resolve("..v4")), line("third", "operator", "carol"));
            assertThat(changes.poll(30, TimeUnit.SECONDS).match("third")).isPresent();
            assertThat(watched.lastError()).isNull();
        }
    }

    private void swap(Path version, String content) throws Exception {
        Files.writeString(version.resolve("tokens"), content);
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
