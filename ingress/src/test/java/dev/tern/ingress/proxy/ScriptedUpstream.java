package dev.tern.ingress.proxy;

import dev.tern.smtp.client.EhloCapabilities;
import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * An upstream for unit tests: records what the proxy sends and answers each command with what
 * {@code answers} says (by default 250), or fails everything once {@link #lose()} was called.
 */
final class ScriptedUpstream implements Upstream {

    final List<String> sent = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    private final EhloCapabilities capabilities;
    private Function<String, Reply> answers = line -> Reply.of(250, "2.0.0", "Ok");
    private boolean lost;
    private boolean quit;

    ScriptedUpstream(String ehloReply) {
        this.capabilities = EhloCapabilities.parse(Reply.multiline(250, null, List.of(ehloReply.split("\n"))));
    }

    ScriptedUpstream answering(Function<String, Reply> value) {
        answers = value;
        return this;
    }

    void lose() {
        lost = true;
    }

    boolean quitSent() {
        return quit;
    }

    @Override
    public EhloCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletionStage<Reply> command(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8).strip();
        sent.add(text);
        return lost ? CompletableFuture.failedFuture(new UpstreamUnavailable("lost"))
                : CompletableFuture.completedFuture(answers.apply(text));
    }

    @Override
    public CompletionStage<Reply> message(byte[] message) {
        sent.add(capabilities.chunking() ? "BDAT " + message.length + " LAST" : "DATA");
        messages.add(message);
        return lost ? CompletableFuture.failedFuture(new UpstreamUnavailable("lost"))
                : CompletableFuture.completedFuture(Reply.of(250, "2.0.0", "Ok: queued as UP1"));
    }

    @Override
    public void quit() {
        quit = true;
    }
}
