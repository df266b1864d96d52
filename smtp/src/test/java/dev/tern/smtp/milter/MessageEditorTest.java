package dev.tern.smtp.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageEditorTest {

    private static final byte[] MESSAGE = ("Received: a\r\nSubject: one\r\nX-Tag: 1\r\nX-Tag: 2\r\n\tfolded\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.UTF_8);

    private static String edit(boolean leadingSpace, MilterResponse.Modification... mods) {
        return new String(MessageEditor.apply(MESSAGE, List.of(mods), leadingSpace).message(), StandardCharsets.UTF_8);
    }

    @Test
    void untouchedMessagesComeOutByteForByte() {
        assertThat(edit(false)).isEqualTo(new String(MESSAGE, StandardCharsets.UTF_8));
    }

    @Test
    void headersAreAddedInsertedChangedAndDeleted() {
        assertThat(edit(false, new MilterResponse.AddHeader("X-Spam", "yes\n\tvery"),
                new MilterResponse.InsertHeader(0, "X-First", "f"),
                new MilterResponse.ChangeHeader(2, "x-tag", "two"),
                new MilterResponse.ChangeHeader(1, "Subject", ""),
                new MilterResponse.ChangeHeader(3, "X-Tag", "three")))
                .isEqualTo("X-First: f\r\nReceived: a\r\nX-Tag: 1\r\nx-tag: two\r\nX-Spam: yes\r\n\tvery\r\n"
                        + "X-Tag: three\r\n\r\nbody\r\n");
        assertThat(edit(true, new MilterResponse.AddHeader("X-A", " v"))).contains("X-A: v\r\n\r\n");
    }

    @Test
    void replacedBodyChunksFormTheNewBodyAndRecipientChangesAreReturned() {
        var edited = MessageEditor.apply(MESSAGE, List.of(new MilterResponse.ReplaceBody("new ".getBytes()),
                new MilterResponse.AddRecipient("<n@x>", List.of()), new MilterResponse.ReplaceBody("body\r\n".getBytes()),
                new MilterResponse.DeleteRecipient("<o@x>")), false);
        assertThat(new String(edited.message(), StandardCharsets.UTF_8)).endsWith("folded\r\n\r\nnew body\r\n");
        assertThat(edited.addedRecipients()).containsExactly("<n@x>");
        assertThat(edited.deletedRecipients()).containsExactly("<o@x>");
    }
}
