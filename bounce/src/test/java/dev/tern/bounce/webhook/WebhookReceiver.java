package dev.tern.bounce.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tern.local.runtime.process.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP webhook receiver for the tests (JDK {@link HttpServer} on loopback), written the
 * way the README tells receivers to verify: HMAC-SHA256 of {@code timestamp + "." + body} with the
 * shared secret, compared in constant time, timestamp within five minutes. It records what it
 * was sent and answers by a script: while {@link #failing()}, the first request gets a 500, the
 * second hangs (never answers until {@link #close()}), the later ones get 500; after
 * {@link #recover()} it answers 200. Requests that fail verification get 401 and are counted.
 * Thread-safe; waits are on this object's monitor, never sleeps.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(int number, String deliveryId, int status, List<JsonNode> events) {
    }

    private final byte[] secret;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Request> requests = new ArrayList<>();
    private boolean failing;
    private int badSignatures;

    WebhookReceiver(String secret, boolean failing) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.failing = failing;
        this.server = HttpServer.create(new InetSocketAddress(FreePorts.LOOPBACK, FreePorts.pick()), 0);
        server.setExecutor(executor);
        server.createContext("/hook", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://" + FreePorts.LOOPBACK + ":" + server.getAddress().getPort() + "/hook");
    }

    synchronized void recover() {
        failing = false;
        notifyAll();
    }

    synchronized boolean failing() {
        return failing;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst("X-Tern-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("X-Tern-Signature");
        String deliveryId = exchange.getRequestHeaders().getFirst("X-Tern-Delivery-Id");
        int status;
        boolean hang = false;
        synchronized (this) {
            int number = requests.size() + 1;
            if (!verified(timestamp, signature, body) || deliveryId == null) {
                badSignatures++;
                status = 401;
            } else if (failing) {
                hang = number == 2;
                status = 500;
            } else {
                status = 200;
            }
            requests.add(new Request(number, deliveryId, hang ? 0 : status, status == 200 ? events(body) : List.of()));
            notifyAll();
        }
        if (hang) {
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            exchange.sendResponseHeaders(status, -1);
        } catch (IOException gone) {
            // The client gave up waiting (the hang): nothing to answer.
        } finally {
            exchange.close();
        }
    }

    /** The receiver's side of the contract, independent of the sender's code. */
    private boolean verified(String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return false;
        }
    }

    private static List<JsonNode> events(byte[] body) {
        try {
            var out = new ArrayList<JsonNode>();
            JSON.readTree(body).get("events").forEach(out::add);
            return out;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("not a webhook body: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized int badSignatures() {
        return badSignatures;
    }

    /** Every event this receiver took (answered 200), repeats included. */
    synchronized List<JsonNode> taken() {
        return requests.stream().filter(r -> r.status() == 200).flatMap(r -> r.events().stream()).toList();
    }

    /** The queue ids of the events taken. */
    synchronized Set<String> takenIds() {
        var ids = new LinkedHashSet<String>();
        taken().forEach(e -> ids.add(e.path("messageId").asText()));
        return ids;
    }

    /** Waits, on this monitor, until {@code condition} holds (checked after each request). */
    synchronized void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; requests: " + requests);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
