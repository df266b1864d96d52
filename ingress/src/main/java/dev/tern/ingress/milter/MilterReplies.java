package dev.tern.ingress.milter;

import dev.tern.smtp.reply.Reply;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SMTP replies a milter's verdict or failure earns. */
final class MilterReplies {

    static final Reply UNAVAILABLE_TEMPFAIL = Reply.of(451, "4.7.1", "Content scanner unavailable, try later");
    static final Reply UNAVAILABLE_REJECT = Reply.of(550, "5.7.1", "Content scanner unavailable");
    static final Reply REJECTED = Reply.of(550, "5.7.1", "Message content rejected");
    static final Reply TEMPFAILED = Reply.of(451, "4.7.1", "Message content check failed, try later");

    private static final Pattern LINE = Pattern.compile("([245][0-9][0-9])[ -]?(?:([245]\\.[0-9]{1,3}\\.[0-9]{1,3}) ?)?(.*)");

    private MilterReplies() {
    }

    /**
     * The milter's own reply text ({@code 554 5.7.1 Gtube pattern}, possibly several lines), or
     * {@code fallback} when it sent none or one that does not parse.
     */
    static Reply parse(String text, Reply fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        var lines = new ArrayList<String>();
        int code = -1;
        String status = null;
        for (String l : text.split("\r?\n")) {
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                return fallback;
            }
            code = Integer.parseInt(m.group(1));
            if (status == null) {
                status = m.group(2);
            }
            lines.add(m.group(3).isEmpty() ? "Message rejected" : m.group(3));
        }
        if (code / 100 != fallback.code() / 100) {
            return fallback;
        }
        try {
            return Reply.multiline(code, status, lines);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
