package dev.tern.local.launcher;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tern-local}: runs the whole of Tern on this machine until Ctrl-C or SIGTERM.
 *
 * <pre>
 * ./tern-local [--data-dir DIR] [--wipe] [--policy FILE] [--port-offset N] [--ha] [--observe]
 * </pre>
 *
 * {@code --ha} runs the highly available shape: three Kafka nodes, two clustered Infinispan
 * servers, two of each service (docs/ARCHITECTURE.md, "Local HA cluster"). {@code --observe} also
 * runs Prometheus ({@link LocalPrometheus}) scraping every service with the project's alert rules
 * loaded; the banner gives its URL.
 *
 * The policy defaults to {@code $TERN_POLICY}, else {@code local/policy.yaml}; the admin tokens
 * file to {@code $TERN_ADMIN_TOKENS_FILE}, else a generated operator token ({@link LocalAdminToken}). Problems found
 * before start-up (a port in use, an unwritable data directory) end the program with exit code 2
 * and one line on stderr that names the problem.
 */
public final class TernLocal {

    private TernLocal() {
    }

    public static void main(String[] args) {
        LocalOptions options;
        try {
            options = parse(args, LocalOptions.defaults(LocalOptions.findRepo(Path.of(""))));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("tern-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        LocalCluster cluster;
        try {
            System.out.println("tern-local: starting " + (options.isHa()
                    ? "3 Kafka nodes, 2 Infinispan servers, 2 each of ingress, delivery and bounce"
                    : "Kafka, Infinispan, ingress, delivery and bounce") + (options.observe() ? ", then Prometheus" : "") + " (data in " + options.dataDir() + ")");
            cluster = LocalCluster.start(options);
        } catch (LaunchException e) {
            System.err.println("tern-local: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("tern-local: start-up failed: " + e);
            System.exit(1);
            return;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("tern-local: stopping");
            cluster.close();
            stopped.countDown();
        }, "tern-local-stop"));
        System.out.print(banner(cluster, (System.nanoTime() - started) / 1_000_000));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String banner(LocalCluster c, long millis) {
        LocalOptions o = c.options();
        return String.format("""
                tern-local: ready in %.1f s
                  SMTP        127.0.0.1:%d   (MTA, STARTTLS)
                  submission  127.0.0.1:%d   (STARTTLS + AUTH)
                  smtps       127.0.0.1:%d   (implicit TLS + AUTH)
                  ingress     http://127.0.0.1:%d/q/metrics  /q/health/ready
                  delivery    http://127.0.0.1:%d/q/metrics  /admin/queues
                  bounce      http://127.0.0.1:%d/q/metrics  /admin/suppression/{address}
                  Kafka       %s
                  Infinispan  %s
                  policy      %s
                  logs        %s/<service>/<service>.log
                  processes%s
                %s
                %s%sCtrl-C stops everything; queued mail stays in %s.
                """, millis / 1000.0, o.smtpPort(), o.submissionPort(), o.smtpsPort(), o.httpPort(Service.INGRESS),
                o.httpPort(Service.DELIVERY), o.httpPort(Service.BOUNCE), c.servers().kafkaBootstrapServers(),
                c.servers().infinispanHosts(), o.policy().toAbsolutePath(), o.dataDir(),
                o.isHa() ? " (HA: any one server or service instance may die)" : "", processTable(c),
                c.prometheus().map(TernLocal::prometheusLine).orElse(""),
                c.adminToken().banner(o.httpPort(Service.DELIVERY)), o.dataDir());
    }

    /** One line per child process: name, pid, what it listens on. */
    static String processTable(LocalCluster c) {
        StringBuilder out = new StringBuilder();
        for (LocalCluster.RunningProcess p : c.processes()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(String.format("    %-18s pid %-8d %s", p.process().name(), p.process().pid(), p.ports()));
        }
        return out.toString();
    }

    private static String prometheusLine(LocalPrometheus p) {
        return "  Prometheus  " + p.url() + "   (every service scraped, alert rules at /alerts)\n";
    }

    static LocalOptions parse(String[] args, LocalOptions o) {
        boolean ha = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--wipe" -> o = o.withWipe(true);
                case "--data-dir" -> o = o.withDataDir(Path.of(value(args, ++i, "--data-dir")));
                case "--policy" -> o = o.withPolicy(Path.of(value(args, ++i, "--policy")));
                case "--port-offset" -> o = o.withPortOffset(number(value(args, ++i, "--port-offset")));
                case "--ha" -> ha = true;
                case "--observe" -> o = o.withObserve(true);
                case "-h", "--help" -> {
                    System.out.println("usage: ./tern-local [--data-dir DIR] [--wipe] [--policy FILE] [--port-offset N] [--ha]"
                            + " [--observe]");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        // After the loop: the HA ports follow the (possibly offset) single-node ones.
        return ha ? o.withHa(LocalOptions.HaPorts.after(o)) : o;
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port-offset needs a whole number, not '" + text + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
