package dev.tern.smtp.server;

import dev.tern.smtp.reply.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the EHLO reply (RFC 5321 §4.1.1.1): the host name, then one line per extension that
 * {@link SessionState#advertised} allows, in Postfix's order. No enhanced status codes: the
 * client does not know yet that we support them (RFC 2034 §3). Stateless.
 */
final class EhloReply {

    private EhloReply() {
    }

    static Reply build(SessionConfig config, SessionState state) {
        List<String> lines = new ArrayList<>();
        lines.add(config.hostname());
        for (Extension extension : Extension.values()) {
            if (state.advertised(extension)) {
                lines.add(keyword(extension, config));
            }
        }
        return Reply.multiline(250, null, lines);
    }

    private static String keyword(Extension extension, SessionConfig config) {
        return switch (extension) {
            case SIZE -> "SIZE " + config.maxMessageSize();
            case AUTH -> "AUTH " + String.join(" ", config.authMechanisms());
            case EIGHTBITMIME -> "8BITMIME";
            default -> extension.name();
        };
    }
}
