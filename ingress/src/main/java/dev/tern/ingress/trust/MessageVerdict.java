package dev.tern.ingress.trust;

import dev.tern.ingress.authres.MethodResult;
import dev.tern.smtp.reply.Reply;
import java.util.List;

/**
 * What the checks after the final dot decided about one message.
 *
 * @param results    the method results for our Authentication-Results header; empty when no check ran
 * @param refusal    the reply refusing the message, or null to accept
 * @param quarantine why the message is quarantined ({@code X-Tern-Quarantine} header value), or null
 */
public record MessageVerdict(List<MethodResult> results, Reply refusal, String quarantine) {

    public static final MessageVerdict NOT_CHECKED = new MessageVerdict(List.of(), null, null);

    public MessageVerdict {
        results = List.copyOf(results);
    }
}
