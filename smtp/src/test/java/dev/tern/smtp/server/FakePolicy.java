package dev.tern.smtp.server;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.io.DataSummary;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A scripted policy for session tests. Refuses HELO {@code bad.helo}, senders with local part
 * {@code blocked}, recipients at {@code relay.test} (relay denied), at {@code tempfail.test}
 * (450), and local parts with routing characters; accepts {@code alice}/{@code secret}. Sinks
 * record what they received and queue as {@code Q1}, {@code Q2}, ...
 */
class FakePolicy implements SessionPolicy {

    /** A message as the sink saw it. */
    record Received(String queueId, Envelope envelope, byte[] body) {
    }

    final List<Received> queued = new ArrayList<>();
    int aborted;
    int opened;

    @Override
    public CompletionStage<Reply> checkHelo(String heloName, boolean esmtp, SessionView session) {
        return done(heloName.equals("bad.helo") ? Reply.of(550, "5.7.1", "<bad.helo>: Helo command rejected") : Replies.OK);
    }

    @Override
    public CompletionStage<Reply> checkSender(ReversePath sender, MailParameters parameters, SessionView session) {
        boolean blocked = sender.mailbox().map(m -> m.localPart().equals("blocked")).orElse(false);
        return done(blocked ? Reply.of(550, "5.7.1", sender + ": Sender address rejected") : Replies.SENDER_OK);
    }

    @Override
    public CompletionStage<Reply> checkRecipient(ForwardPath recipient, RcptParameters parameters, SessionView session) {
        String domain = recipient.mailbox().map(m -> m.domain()).orElse("");
        if (domain.equals("relay.test")) {
            return done(Reply.of(554, "5.7.1", recipient + ": Relay access denied"));
        }
        if (domain.equals("tempfail.test")) {
            return done(Reply.of(450, "4.2.0", recipient + ": Recipient address temporarily rejected"));
        }
        if (recipient.hasRoutingCharacters()) {
            return done(Reply.of(550, "5.7.1", recipient + ": Routing characters not allowed"));
        }
        return done(Replies.RECIPIENT_OK);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String authorizationId, String user, String password) {
        boolean ok = user.equals("alice") && password.equals("secret");
        return CompletableFuture.completedFuture(ok ? AuthResult.success(user) : AuthResult.invalidCredentials());
    }

    @Override
    public MessageSink open(Envelope envelope) {
        opened++;
        var body = new ByteArrayOutputStream();
        return new MessageSink() {
            @Override
            public void write(byte[] chunk) {
                body.writeBytes(chunk);
            }

            @Override
            public CompletionStage<Reply> complete(DataSummary summary) {
                String id = "Q" + (queued.size() + 1);
                queued.add(new Received(id, envelope, body.toByteArray()));
                return done(Reply.of(250, "2.0.0", "Ok: queued as " + id));
            }

            @Override
            public void abort() {
                aborted++;
            }
        };
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
