package dev.tern.smtp.io;

import dev.tern.smtp.testing.GoldenFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Drives a {@link DataReader} over input split into given chunks and renders what it produced
 * in the {@code data/*.ref} format. The options come from the case name: {@code normalize-*}
 * uses {@link BareNewlinePolicy#NORMALIZE}, {@code limit10-*} a 10-octet size limit,
 * {@code hops3-*} a hop limit of 3; everything else the defaults.
 */
final class DataRun {

    private DataRun() {
    }

    static DataOptions optionsFor(String caseName) {
        BareNewlinePolicy policy = caseName.startsWith("normalize-") ? BareNewlinePolicy.NORMALIZE : BareNewlinePolicy.REJECT;
        long max = caseName.startsWith("limit10-") ? 10 : DataOptions.DEFAULTS.maxOctets();
        int hops = caseName.startsWith("hops3-") ? 3 : DataOptions.DEFAULTS.maxReceivedHeaders();
        return new DataOptions(max, policy, hops);
    }

    /** Feeds {@code input} cut at {@code cuts} (ascending offsets) and renders the result. */
    static String run(DataOptions options, byte[] input, List<Integer> cuts) {
        var body = new ByteArrayOutputStream();
        var reader = new DataReader(options, chunk -> body.writeBytes(chunk));
        long endOffset = -1;
        int start = 0;
        for (int i = 0; i <= cuts.size() && endOffset < 0; i++) {
            int end = i < cuts.size() ? cuts.get(i) : input.length;
            ByteBuffer chunk = ByteBuffer.wrap(Arrays.copyOfRange(input, start, end));
            if (reader.feed(chunk)) {
                endOffset = start + chunk.position();
            }
            start = end;
        }
        DataSummary summary = reader.summary();
        var out = new StringBuilder();
        out.append("end-offset: ").append(endOffset < 0 ? "none" : Long.toString(endOffset)).append('\n');
        out.append("rest: ").append(endOffset < 0 ? "" : GoldenFiles.escape(
                Arrays.copyOfRange(input, (int) endOffset, input.length))).append('\n');
        out.append("body: ").append(GoldenFiles.escape(body.toByteArray())).append('\n');
        out.append("octets: ").append(summary.octets()).append('\n');
        out.append("bare-newlines: ").append(summary.bareNewlines()).append('\n');
        out.append("received-headers: ").append(summary.receivedHeaders()).append('\n');
        out.append("eight-bit: ").append(summary.eightBit()).append('\n');
        out.append("verdict: ").append(endOffset < 0 ? "incomplete"
                : summary.rejection().map(r -> r.code() + " " + r.text()).orElse("accept")).append('\n');
        return out.toString();
    }
}
