package dev.tern.bounce.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs one batch to one endpoint with the JDK {@link HttpClient} (HTTP/1.1) and says how it went.
 * Headers: {@code Content-Type: application/json}, {@code X-Tern-Timestamp} (epoch seconds, taken
 * per attempt), {@code X-Tern-Signature} ({@link WebhookSigner}) and {@code X-Tern-Delivery-Id}
 * (stable per batch, for the receiver to drop repeats). Only a 2xx answer counts as taken;
 * redirects are not followed (a moved endpoint is a configuration change). The response body is
 * discarded. Thread-safe; used by one loop.
 */
final class WebhookPoster {

    /** How a POST ended; the names are the {@code result} label of {@code tern_bounce_webhook_posts_total}. */
    enum Result {
        OK, HTTP_ERROR, TIMEOUT, ERROR;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The result, and the HTTP status when there was one (else 0), or the failure's description. */
    record Outcome(Result result, int status, String detail) {
    }

    private final URI url;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;

    WebhookPoster(URI url, WebhookSigner signer, Duration timeout, Clock clock) {
        this.url = url;
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Outcome post(byte[] body, String deliveryId) throws InterruptedException {
        long timestamp = clock.instant().getEpochSecond();
        var request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "tern-webhook")
                .header("X-Tern-Timestamp", Long.toString(timestamp))
                .header("X-Tern-Signature", signer.sign(timestamp, body))
                .header("X-Tern-Delivery-Id", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Outcome(status / 100 == 2 ? Result.OK : Result.HTTP_ERROR, status, "HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Outcome(Result.TIMEOUT, 0, "no answer within " + timeout);
        } catch (IOException e) {
            return new Outcome(Result.ERROR, 0, e.toString());
        }
    }
}
