package dev.tern.local.launcher.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * One scrape of a delivery process's {@code /q/metrics} (Prometheus text), reduced to the
 * figures the shaping benchmark reads. Series of one name are summed over their labels.
 *
 * @param delivered     recipients delivered ({@code tern_delivery_attempts_total{outcome="delivered"}})
 * @param notDelivered  every other attempt outcome (deferred, failed): should stay zero here
 * @param shapingCalls  Hot Rod requests for shaping ({@code tern_delivery_shaping_remote_calls_total})
 * @param fallback      1 while this process shapes with local limits because Infinispan did not answer in time
 * @param leasesHeld    cluster-wide connection leases this process holds
 * @param connections   SMTP connections this process has open
 */
record PodMetrics(double delivered, double notDelivered, double shapingCalls, double fallback, double leasesHeld,
        double connections) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static PodMetrics scrape(int httpPort) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
        double attempts = sum(lines, "tern_delivery_attempts_total", null);
        double delivered = sum(lines, "tern_delivery_attempts_total", "outcome=\"delivered\"");
        return new PodMetrics(delivered, attempts - delivered,
                sum(lines, "tern_delivery_shaping_remote_calls_total", null),
                sum(lines, "tern_delivery_infinispan_fallback", null),
                sum(lines, "tern_delivery_leases_held", null),
                sum(lines, "tern_delivery_connections_active", null));
    }

    private static double sum(List<String> lines, String name, String label) {
        return lines.stream()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> label == null || l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
