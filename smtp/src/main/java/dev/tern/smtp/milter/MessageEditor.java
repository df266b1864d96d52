package dev.tern.smtp.milter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies a milter's modifications to a message, in the order it sent them, as Sendmail does:
 * added headers go to the end of the header block, inserted ones at their index (0 = top),
 * a changed header is the index-th (from 1) of that name (an empty value deletes it, an index past
 * the last adds it), and replaced-body chunks together form the new body. Recipient changes are
 * returned for the caller to apply to the envelope. Header values from the milter use LF folds;
 * they are written with CRLF.
 */
public final class MessageEditor {

    /** The edited message and the envelope changes. */
    public record Edited(byte[] message, List<String> addedRecipients, List<String> deletedRecipients) {
    }

    private MessageEditor() {
    }

    /** @param leadingSpace whether header values carry their own leading space (SMFIP_HDR_LEADSPC) */
    public static Edited apply(byte[] message, List<MilterResponse.Modification> modifications, boolean leadingSpace) {
        HeaderFields parsed = HeaderFields.parse(message);
        var fields = new ArrayList<>(parsed.fields());
        ByteArrayOutputStream newBody = null;
        var added = new ArrayList<String>();
        var deleted = new ArrayList<String>();
        for (var m : modifications) {
            if (m instanceof MilterResponse.AddHeader a) {
                fields.add(field(a.name(), a.value(), leadingSpace));
            } else if (m instanceof MilterResponse.InsertHeader i) {
                fields.add(Math.max(0, Math.min(i.index(), fields.size())), field(i.name(), i.value(), leadingSpace));
            } else if (m instanceof MilterResponse.ChangeHeader c) {
                change(fields, c, leadingSpace);
            } else if (m instanceof MilterResponse.ReplaceBody b) {
                if (newBody == null) {
                    newBody = new ByteArrayOutputStream();
                }
                newBody.writeBytes(b.chunk());
            } else if (m instanceof MilterResponse.AddRecipient r) {
                added.add(r.address());
            } else if (m instanceof MilterResponse.DeleteRecipient r) {
                deleted.add(r.address());
            }
        }
        var out = new ByteArrayOutputStream(message.length + 256);
        fields.forEach(f -> out.writeBytes(f.raw()));
        out.writeBytes(new byte[] {'\r', '\n'});
        if (newBody != null) {
            out.writeBytes(newBody.toByteArray());
        } else {
            out.write(message, parsed.bodyStart(), message.length - parsed.bodyStart());
        }
        return new Edited(out.toByteArray(), added, deleted);
    }

    private static void change(List<HeaderFields.Field> fields, MilterResponse.ChangeHeader c, boolean leadingSpace) {
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().toLowerCase(Locale.ROOT).equals(c.name().toLowerCase(Locale.ROOT))
                    && ++seen == Math.max(1, c.index())) {
                if (c.value().isEmpty()) {
                    fields.remove(i);
                } else {
                    fields.set(i, field(c.name(), c.value(), leadingSpace));
                }
                return;
            }
        }
        if (!c.value().isEmpty()) {
            fields.add(field(c.name(), c.value(), leadingSpace));
        }
    }

    private static HeaderFields.Field field(String name, String value, boolean leadingSpace) {
        String v = value.replace("\r\n", "\n").replace("\n", "\r\n");
        String text = name + ":" + (leadingSpace ? "" : " ") + v + "\r\n";
        return new HeaderFields.Field(name, v, text.getBytes(StandardCharsets.UTF_8));
    }
}
