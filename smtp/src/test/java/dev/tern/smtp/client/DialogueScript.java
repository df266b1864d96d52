package dev.tern.smtp.client;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code client/<case>.in}: session config, messages to send and the scripted server.
 *
 * <pre>
 * # comment
 * config: helo=client.example.org tls=none|opportunistic|required lmtp implicit-tls auth=user:pass
 * message: from=sender@example.org size=1234 8bit smtputf8 ret=FULL|HDRS envid=ID
 * rcpt: rcpt@example.net notify=SUCCESS,FAILURE orcpt=rfc822;rcpt@example.net
 * body: one body line (CRLF appended)
 * S: a server line, CRLF appended, fed to the client as one read
 * S~ raw bytes with \r \n \\ escapes and no CRLF appended, one read
 * S: &lt;eof&gt;          the server closes the connection
 * S: &lt;timeout&gt;      the client's read timer expires
 * S: &lt;tls-fail&gt;     the next TLS handshake fails
 * </pre>
 */
final class DialogueScript {

    record Message(OutboundEnvelope envelope, byte[] body) {
    }

    record ServerItem(String display, byte[] bytes) {
    }

    HandshakeConfig config = HandshakeConfig.smtp("client.example.org", TlsPolicy.NONE);
    final List<Message> messages = new ArrayList<>();
    final Deque<ServerItem> server = new ArrayDeque<>();

    static DialogueScript parse(String text) {
        var script = new DialogueScript();
        List<MessageDraft> drafts = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("S: ")) {
                String content = line.substring(3);
                script.server.add(new ServerItem("S: " + content,
                        content.startsWith("<") && content.endsWith(">") ? null : (content + "\r\n").getBytes(StandardCharsets.UTF_8)));
            } else if (line.startsWith("S~ ")) {
                String content = line.substring(3);
                script.server.add(new ServerItem("S~ " + content, unescape(content)));
            } else if (line.startsWith("config: ")) {
                script.config = config(line.substring(8));
            } else if (line.startsWith("message: ")) {
                drafts.add(new MessageDraft(line.substring(9)));
            } else if (line.startsWith("rcpt: ")) {
                drafts.get(drafts.size() - 1).recipients.add(recipient(line.substring(6)));
            } else if (line.startsWith("body: ")) {
                drafts.get(drafts.size() - 1).body.writeBytes((line.substring(6) + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else if (line.equals("body:")) {
                drafts.get(drafts.size() - 1).body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("bad script line: " + line);
            }
        }
        for (MessageDraft draft : drafts) {
            script.messages.add(draft.build());
        }
        return script;
    }

    private static HandshakeConfig config(String spec) {
        String helo = "client.example.org";
        TlsPolicy tls = TlsPolicy.NONE;
        boolean lmtp = false;
        boolean implicit = false;
        String user = null;
        String pass = null;
        for (String word : spec.trim().split("\\s+")) {
            if (word.startsWith("helo=")) {
                helo = word.substring(5);
            } else if (word.startsWith("tls=")) {
                tls = TlsPolicy.valueOf(word.substring(4).toUpperCase(Locale.ROOT));
            } else if (word.equals("lmtp")) {
                lmtp = true;
            } else if (word.equals("implicit-tls")) {
                implicit = true;
            } else if (word.startsWith("auth=")) {
                String[] up = word.substring(5).split(":", 2);
                user = up[0];
                pass = up[1];
            } else {
                throw new IllegalArgumentException("bad config word: " + word);
            }
        }
        return new HandshakeConfig(helo, tls, implicit, lmtp, user == null ? null : new ClientCredentials(user, pass));
    }

    private static OutboundRecipient recipient(String spec) {
        String[] words = spec.trim().split("\\s+");
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        OriginalRecipient orcpt = null;
        for (int i = 1; i < words.length; i++) {
            if (words[i].startsWith("notify=")) {
                for (String n : words[i].substring(7).split(",")) {
                    notify.add(Notify.valueOf(n));
                }
            } else if (words[i].startsWith("orcpt=")) {
                orcpt = OriginalRecipient.parse(words[i].substring(6));
            } else {
                throw new IllegalArgumentException("bad rcpt word: " + words[i]);
            }
        }
        return new OutboundRecipient(words[0], notify, orcpt);
    }

    private static final class MessageDraft {
        String from = "";
        long size = -1;
        boolean eightBit;
        boolean smtpUtf8;
        Ret ret;
        String envid;
        final List<OutboundRecipient> recipients = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        MessageDraft(String spec) {
            for (String word : spec.trim().split("\\s+")) {
                if (word.startsWith("from=")) {
                    from = word.substring(5);
                } else if (word.startsWith("size=")) {
                    size = Long.parseLong(word.substring(5));
                } else if (word.equals("8bit")) {
                    eightBit = true;
                } else if (word.equals("smtputf8")) {
                    smtpUtf8 = true;
                } else if (word.startsWith("ret=")) {
                    ret = Ret.valueOf(word.substring(4));
                } else if (word.startsWith("envid=")) {
                    envid = word.substring(6);
                } else if (!word.isEmpty()) {
                    throw new IllegalArgumentException("bad message word: " + word);
                }
            }
        }

        Message build() {
            byte[] bytes = body.toByteArray();
            return new Message(new OutboundEnvelope(from, recipients, ret, envid, size < 0 ? bytes.length : size,
                    eightBit, smtpUtf8), bytes);
        }
    }

    static byte[] unescape(String text) {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                out.write(n == 'r' ? '\r' : n == 'n' ? '\n' : n);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
