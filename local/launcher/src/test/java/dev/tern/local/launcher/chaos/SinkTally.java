package dev.tern.local.launcher.chaos;

import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SmtpSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts, per chaos case and message number, the copies the real SMTP sink received: messages
 * (any sender) and delivery status notifications (null sender, found by the original's Message-ID
 * in the returned headers). Reads the sink's arrivals incrementally, so a long run does not rescan
 * what it has counted. Thread-confined to the runner.
 */
final class SinkTally {

    private static final Pattern ID = Pattern.compile("chaos-([a-z0-9-]+)-(\\d+)@sender\\.test");
    private static final Pattern BACKGROUND = Pattern.compile("^\\d+bg-([a-z0-9-]+)@remote\\.test$");

    private final SmtpSink sink;
    private final Map<String, Map<Integer, Integer>> messages = new HashMap<>();
    private final Map<String, Map<Integer, Integer>> notices = new HashMap<>();
    /** smtp-source's background messages per case: recipient → copies. */
    private final Map<String, Map<String, Integer>> background = new HashMap<>();
    private int seen;

    SinkTally(SmtpSink sink) {
        this.sink = sink;
    }

    /** Copies of each message of {@code caseName} delivered (DSNs not counted). */
    Map<Integer, Integer> delivered(String caseName) {
        scan();
        return Map.copyOf(messages.getOrDefault(caseName, Map.of()));
    }

    /** DSNs received for each message of {@code caseName}. */
    Map<Integer, Integer> notices(String caseName) {
        scan();
        return Map.copyOf(notices.getOrDefault(caseName, Map.of()));
    }

    /** smtp-source's messages for {@code caseName}: distinct recipients → copies. */
    Map<String, Integer> background(String caseName) {
        scan();
        return Map.copyOf(background.getOrDefault(caseName, Map.of()));
    }

    /**
     * Waits, on the sink's arrivals, until {@code done} holds for this tally or {@code timeout}
     * passes; true if it holds.
     */
    boolean await(Predicate<SinkTally> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            scan();
            if (done.test(this)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                sink.awaitMessages(seen + 1, Duration.ofNanos(Math.min(left, Duration.ofSeconds(5).toNanos())));
            } catch (AssertionError noneYet) {
                // No arrival within the slice: test the condition again until the deadline.
            }
        }
    }

    /** True when every one of {@code wanted} has at least one copy in {@code counts}. */
    static boolean covers(Map<Integer, Integer> counts, Set<Integer> wanted) {
        return counts.keySet().containsAll(wanted);
    }

    private void scan() {
        List<ReceivedMessage> all = sink.messages();
        for (; seen < all.size(); seen++) {
            ReceivedMessage m = all.get(seen);
            for (String rcpt : m.recipients()) {
                Matcher bg = BACKGROUND.matcher(rcpt);
                if (bg.matches()) {
                    background.computeIfAbsent(bg.group(1), k -> new HashMap<>()).merge(rcpt, 1, Integer::sum);
                }
            }
            Matcher id = ID.matcher(m.bodyText());
            if (!id.find()) {
                continue;
            }
            var into = m.sender().isEmpty() ? notices : messages;
            into.computeIfAbsent(id.group(1), k -> new HashMap<>()).merge(Integer.parseInt(id.group(2)), 1, Integer::sum);
        }
    }
}
