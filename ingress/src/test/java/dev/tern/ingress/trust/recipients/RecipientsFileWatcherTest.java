package dev.tern.ingress.trust.recipients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.address.Mailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads are triggered by calling poll() directly; the background poller's interval is far beyond the test. */
class RecipientsFileWatcherTest {

    @TempDir
    Path dir;

    private final RecipientsFileWatcher watcher = new RecipientsFileWatcher(Duration.ofHours(1));

    @AfterEach
    void close() {
        watcher.close();
    }

    @Test
    void reloadsWhenTheContentChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("recipients"), "alice@example.com\n");
        assertThat(watcher.watch(file).lists(Mailbox.of("bob@example.com"))).isFalse();
        assertThat(watcher.poll()).as("unchanged file").isFalse();

        Files.writeString(file, "alice@example.com\nbob@example.com\n");
        assertThat(watcher.poll()).isTrue();
        assertThat(watcher.current(file).lists(Mailbox.of("bob@example.com"))).isTrue();
        assertThat(watcher.lastError(file)).isNull();
    }

    @Test
    void brokenReloadKeepsTheLastGoodListUntilFixed() throws Exception {
        Path file = Files.writeString(dir.resolve("recipients"), "alice@example.com\n");
        watcher.watch(file);

        Files.writeString(file, "alice@example.com\nthis is not an address\n");
        assertThat(watcher.poll()).isFalse();
        assertThat(watcher.current(file).lists(Mailbox.of("alice@example.com"))).isTrue();
        assertThat(watcher.lastError(file)).contains("line 2");

        Files.writeString(file, "carol@example.com\n");
        assertThat(watcher.poll()).isTrue();
        assertThat(watcher.lastError(file)).isNull();
        assertThat(watcher.current(file).lists(Mailbox.of("alice@example.com"))).isFalse();
        assertThat(watcher.current(file).lists(Mailbox.of("carol@example.com"))).isTrue();
    }

    @Test
    void vanishedFileKeepsTheListAndTheSameContentComingBackClearsTheError() throws Exception {
        Path file = Files.writeString(dir.resolve("recipients"), "alice@example.com\n");
        watcher.watch(file);
        Files.delete(file);
        assertThat(watcher.poll()).isFalse();
        assertThat(watcher.lastError(file)).contains("cannot read");
        assertThat(watcher.current(file).lists(Mailbox.of("alice@example.com"))).isTrue();

        Files.writeString(file, "alice@example.com\n");
        watcher.poll();
        assertThat(watcher.lastError(file)).isNull();
    }

    @Test
    void followsASymlinkSwapLikeAConfigMapUpdate() throws Exception {
        Path v1 = Files.writeString(dir.resolve("v1"), "alice@example.com\n");
        Path v2 = Files.writeString(dir.resolve("v2"), "bob@example.com\n");
        Path link = Files.createSymbolicLink(dir.resolve("recipients"), v1);
        watcher.watch(link);

        Path next = Files.createSymbolicLink(dir.resolve("recipients.new"), v2);
        Files.move(next, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(watcher.poll()).isTrue();
        assertThat(watcher.current(link).lists(Mailbox.of("bob@example.com"))).isTrue();
    }

    @Test
    void aPathThatNeverLoadedHasNoList() throws Exception {
        Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> watcher.current(missing)).isInstanceOf(RecipientsFileException.class);

        Files.writeString(missing, "@example.com\n");
        assertThat(watcher.current(missing).lists(Mailbox.of("any@example.com")))
                .as("a later request loads it").isTrue();
    }
}
