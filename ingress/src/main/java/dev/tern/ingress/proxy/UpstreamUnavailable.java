package dev.tern.ingress.proxy;

/** The upstream cannot be reached or went away: the client gets {@link ProxyReplies#UNAVAILABLE}. */
final class UpstreamUnavailable extends RuntimeException {

    UpstreamUnavailable(String message) {
        super(message, null, false, false);
    }
}
