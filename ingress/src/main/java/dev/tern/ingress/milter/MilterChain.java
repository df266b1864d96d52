package dev.tern.ingress.milter;

import dev.tern.common.policy.Milter;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.smtp.milter.MessageEditor;
import dev.tern.smtp.milter.MilterTransaction;
import dev.tern.smtp.milter.MilterVerdict;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs a message through the policy's milters in order (docs/ARCHITECTURE.md, "Content filtering
 * (milters)"). Each milter sees the message as the ones before it left it; a reject, tempfail or
 * discard ends the chain; a quarantine request (or a spam score at or over the milter's
 * {@code quarantine-score}) holds the message but lets later milters still refuse it. A milter
 * that fails or answers nothing within its timeout counts as its {@code on-error} action.
 *
 * <p>Usable outside the SMTP listener (the proxy mode): build a {@link MilterTransaction} and call
 * {@link #check}. Thread-safe; connections are pooled per milter address.
 */
@ApplicationScoped
public class MilterChain {

    private static final Logger LOG = Logger.getLogger(MilterChain.class);

    private final Vertx vertx;
    private final IngressMetrics metrics;
    private final NetClient net;
    private final Map<String, MilterClient> clients = new ConcurrentHashMap<>();

    public MilterChain(Vertx vertx, IngressMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    }

    /** The milters' joint outcome for {@code transaction}; never fails (failures become on-error actions). */
    public CompletionStage<MilterOutcome> check(List<Milter> milters, MilterTransaction transaction) {
        var recipients = new ArrayList<String>();
        transaction.recipients().forEach(r -> recipients.add(unbracket(r)));
        var start = new MilterOutcome(MilterOutcome.Action.DELIVER, null, transaction.message(), recipients, null, null);
        return step(milters, 0, transaction, start);
    }

    private CompletionStage<MilterOutcome> step(List<Milter> milters, int i, MilterTransaction t, MilterOutcome so) {
        if (i == milters.size()) {
            return CompletableFuture.completedFuture(so);
        }
        Milter m = milters.get(i);
        MilterTransaction current = new MilterTransaction(t.clientName(), t.clientAddress(), t.clientPort(), t.helo(),
                t.sender(), t.mailParameters(), so.recipients().stream().map(r -> "<" + r + ">").toList(),
                so.message(), t.macros());
        long begin = System.nanoTime();
        return client(m).check(current, m.timeout()).toCompletionStage()
                .handle((verdict, error) -> {
                    metrics.milterTime(m.name(), System.nanoTime() - begin);
                    return error != null ? failed(m, so, error) : judged(m, so, verdict);
                })
                .thenCompose(next -> next.action() == MilterOutcome.Action.DELIVER
                        || next.action() == MilterOutcome.Action.QUARANTINE ? step(milters, i + 1, t, next)
                        : CompletableFuture.completedFuture(next));
    }

    private MilterOutcome failed(Milter m, MilterOutcome so, Throwable error) {
        LOG.warnf("milter %s failed, applying on-error %s: %s", m.name(), m.onError(), error.toString());
        metrics.milterAction(m.name(), "error");
        return switch (m.onError()) {
            case ACCEPT -> so;
            case REJECT -> new MilterOutcome(MilterOutcome.Action.REJECT, MilterReplies.UNAVAILABLE_REJECT,
                    so.message(), so.recipients(), null, m.name());
            case TEMPFAIL -> new MilterOutcome(MilterOutcome.Action.TEMPFAIL, MilterReplies.UNAVAILABLE_TEMPFAIL,
                    so.message(), so.recipients(), null, m.name());
        };
    }

    private MilterOutcome judged(Milter m, MilterOutcome so, MilterVerdict v) {
        switch (v.kind()) {
            case REJECT -> {
                metrics.milterAction(m.name(), "reject");
                return new MilterOutcome(MilterOutcome.Action.REJECT, MilterReplies.parse(v.reply(), MilterReplies.REJECTED),
                        so.message(), so.recipients(), null, m.name());
            }
            case TEMPFAIL -> {
                metrics.milterAction(m.name(), "tempfail");
                return new MilterOutcome(MilterOutcome.Action.TEMPFAIL,
                        MilterReplies.parse(v.reply(), MilterReplies.TEMPFAILED), so.message(), so.recipients(), null,
                        m.name());
            }
            case DISCARD -> {
                metrics.milterAction(m.name(), "discard");
                return new MilterOutcome(MilterOutcome.Action.DISCARD, null, so.message(), so.recipients(), null,
                        m.name());
            }
            default -> {
                return passed(m, so, v);
            }
        }
    }

    private MilterOutcome passed(Milter m, MilterOutcome so, MilterVerdict v) {
        var edited = MessageEditor.apply(so.message(), v.modifications(), v.leadingSpace());
        var recipients = new ArrayList<>(so.recipients());
        edited.deletedRecipients().forEach(d -> recipients.removeIf(r -> r.equalsIgnoreCase(unbracket(d))));
        edited.addedRecipients().forEach(a -> recipients.add(unbracket(a)));
        v.modifications().forEach(mod -> metrics.milterAction(m.name(), actionName(mod)));
        String reason = v.quarantine();
        if (reason == null && m.quarantineScore() != null) {
            var score = SpamScore.of(edited.message());
            if (score.isPresent() && score.getAsDouble() >= m.quarantineScore()) {
                reason = m.name() + " score " + score.getAsDouble() + " >= " + m.quarantineScore();
                metrics.milterAction(m.name(), "quarantine");
            }
        }
        if (reason == null && so.quarantineReason() == null) {
            metrics.milterAction(m.name(), "accept");
            return new MilterOutcome(MilterOutcome.Action.DELIVER, null, edited.message(), recipients, null, null);
        }
        return new MilterOutcome(MilterOutcome.Action.QUARANTINE, null, edited.message(), recipients,
                reason != null ? reason : so.quarantineReason(), reason != null ? m.name() : so.decidedBy());
    }

    private static String actionName(Object modification) {
        String n = modification.getClass().getSimpleName();
        return switch (n) {
            case "AddHeader" -> "addheader";
            case "ChangeHeader" -> "chgheader";
            case "InsertHeader" -> "insheader";
            case "ReplaceBody" -> "replacebody";
            case "AddRecipient" -> "addrcpt";
            case "DeleteRecipient" -> "delrcpt";
            case "Quarantine" -> "quarantine";
            default -> n.toLowerCase(Locale.ROOT);
        };
    }

    private static String unbracket(String address) {
        String a = address.trim();
        return a.startsWith("<") && a.endsWith(">") ? a.substring(1, a.length() - 1) : a;
    }

    private MilterClient client(Milter m) {
        return clients.computeIfAbsent(m.name() + '\0' + m.host() + '\0' + m.port(),
                k -> new MilterClient(vertx, net, m.host(), m.port()));
    }

    @PreDestroy
    void close() {
        clients.values().forEach(MilterClient::close);
        net.close();
    }
}
