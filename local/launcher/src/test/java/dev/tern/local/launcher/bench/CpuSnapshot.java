package dev.tern.local.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used so far, machine-wide ({@code /proc/stat}, in clock ticks) and per named process
 * ({@link ProcessHandle.Info#totalCpuDuration()}, user + system). Two snapshots give how many of
 * the machine's cores were busy between them, and which process used them: on a 2-core machine
 * that tells whether the limiter or the cores set the ceiling. Linux only; elsewhere the
 * machine figure is zero.
 */
record CpuSnapshot(long nanoTime, long busyTicks, long totalTicks, Map<String, Duration> perProcess) {

    static CpuSnapshot take(Map<String, ProcessHandle> processes) {
        long busy = 0;
        long total = 0;
        try {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i <= 8 && i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                busy += (i == 4 || i == 5) ? 0 : v;
            }
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux): per-process figures still work.
        }
        var cpu = new LinkedHashMap<String, Duration>();
        processes.forEach((name, p) -> cpu.put(name, p.info().totalCpuDuration().orElse(Duration.ZERO)));
        return new CpuSnapshot(System.nanoTime(), busy, total, cpu);
    }

    /** Share of the whole machine (0..1) busy between {@code earlier} and this snapshot. */
    double machineBusySince(CpuSnapshot earlier) {
        long t = totalTicks - earlier.totalTicks;
        return t <= 0 ? 0 : (double) (busyTicks - earlier.busyTicks) / t;
    }

    /** Cores {@code name} kept busy on average between {@code earlier} and this snapshot. */
    double coresSince(CpuSnapshot earlier, String name) {
        long wall = nanoTime - earlier.nanoTime;
        Duration before = earlier.perProcess.getOrDefault(name, Duration.ZERO);
        Duration now = perProcess.getOrDefault(name, Duration.ZERO);
        return wall <= 0 ? 0 : (double) now.minus(before).toNanos() / wall;
    }

    /**
     * Cores all the named processes kept busy together; the machine's busy cores minus this is
     * whatever else ran meanwhile (a build beside the benchmark), which makes a run noisy.
     */
    double ourCoresSince(CpuSnapshot earlier) {
        return perProcess.keySet().stream().mapToDouble(name -> coresSince(earlier, name)).sum();
    }
}
