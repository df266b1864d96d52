package dev.tern.local.launcher.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bench/chaos.sh}'s entry point: starts the {@code --ha} cluster, runs every chaos case
 * (or those named in {@code -Dtern.chaos.cases=a,b}) one after the other, and prints the table
 * (and writes it to {@code -Dtern.chaos.out}, a file). Exits 1 if any case failed, 0 otherwise.
 */
public final class ChaosRunner {

    private ChaosRunner() {
    }

    public static void main(String[] args) throws Exception {
        String only = System.getProperty("tern.chaos.cases", "");
        List<ChaosCase> cases = only.isBlank() ? ChaosCases.all()
                : Arrays.stream(only.split(",")).map(String::strip).map(ChaosCases::named).toList();
        long started = System.nanoTime();
        List<ChaosRow> rows = new ArrayList<>();
        List<ChaosCase> onHa = cases.stream().filter(c -> !c.name().equals(ChaosCases.DISK_FULL)).toList();
        List<ChaosCase> own = cases.stream().filter(c -> c.name().equals(ChaosCases.DISK_FULL)).toList();
        if (!onHa.isEmpty()) {
            try (ChaosCluster cluster = ChaosCluster.start()) {
                System.err.printf("chaos: --ha cluster ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
                runAll(cluster, onHa, rows);
            }
        }
        if (!own.isEmpty()) {
            try (ChaosCluster cluster = ChaosCluster.startOnSmallKafkaDisk(ChaosCases.DISK_MB)) {
                System.err.println("chaos: single-node cluster with Kafka on a " + ChaosCases.DISK_MB + " MiB tmpfs ready");
                runAll(cluster, own, rows);
            }
        }
        cases = new ArrayList<>(onHa);
        cases.addAll(own);
        String table = table(cases, rows, (System.nanoTime() - started) / 1e9);
        System.out.println(table);
        String out = System.getProperty("tern.chaos.out");
        if (out != null) {
            Files.writeString(Path.of(out), table + "\n");
        }
        System.exit(rows.stream().allMatch(ChaosRow::passed) ? 0 : 1);
    }

    private static void runAll(ChaosCluster cluster, List<ChaosCase> cases, List<ChaosRow> rows) throws Exception {
        for (ChaosCase c : cases) {
            System.err.println("chaos: " + c.name() + " — " + c.description());
            ChaosRow row = cluster.run(c);
            rows.add(row);
            System.err.println(row.line() + "\n  " + row.note());
        }
    }

    static String table(List<ChaosCase> cases, List<ChaosRow> rows, double seconds) {
        StringBuilder b = new StringBuilder(ChaosRow.header()).append('\n');
        rows.forEach(r -> b.append(r.line()).append('\n'));
        b.append(String.format("%nWhole run %.0f s (cluster start included). Duplicates are shown with their bound: the "
                + "SMTP transactions in flight at the fault (load client + sink). Per case:%n%n", seconds));
        for (int i = 0; i < rows.size(); i++) {
            b.append("- **").append(rows.get(i).name()).append("**: ").append(cases.get(i).description()).append(". ")
                    .append(rows.get(i).note()).append('\n');
        }
        return b.toString();
    }

}
