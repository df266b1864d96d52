package dev.tern.ingress.proxy;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.smtp.PostfixRelay;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * A real Debian Postfix as the proxy's upstream: the gateway of {@code dest.test} knowing one user,
 * {@code alice}, without CHUNKING (so a client's BDAT must be turned into DATA), passing what it
 * accepts to an {@link SmtpSink}. Points the ingress's proxy listener at it.
 */
public final class PostfixUpstreamResource implements QuarkusTestResourceLifecycleManager {

    static final String DOMAIN = "dest.test";

    private static SmtpSink sink;
    private static PostfixRelay postfix;

    @Override
    public Map<String, String> start() {
        sink = SmtpSink.start();
        postfix = PostfixRelay.destination(FreePorts.pick(), DOMAIN, List.of("alice"), sink.port(), false);
        return Map.of("tern.ingress.proxy.listen", "0",
                "tern.ingress.proxy.upstream", "smtp://" + FreePorts.LOOPBACK + ":" + postfix.port());
    }

    /** Where Postfix delivers what it accepted. */
    static SmtpSink sink() {
        return sink;
    }

    static PostfixRelay postfix() {
        return postfix;
    }

    @Override
    public void stop() {
        if (postfix != null) {
            postfix.close();
        }
        if (sink != null) {
            sink.close();
        }
    }
}
