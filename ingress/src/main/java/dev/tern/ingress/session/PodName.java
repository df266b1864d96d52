package dev.tern.ingress.session;

import java.net.InetAddress;

/**
 * The name of this ingress process in trace records: {@code HOSTNAME}, which Kubernetes sets to
 * the pod name, else the machine's host name (local runs).
 */
final class PodName {

    private static final String NAME = resolve();

    private PodName() {
    }

    static String current() {
        return NAME;
    }

    private static String resolve() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
