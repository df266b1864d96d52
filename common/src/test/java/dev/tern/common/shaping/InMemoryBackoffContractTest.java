package dev.tern.common.shaping;

import java.time.Clock;

/** {@link BackoffContract} on {@link InMemoryBackoff}; every "client" is the one instance. */
class InMemoryBackoffContractTest extends BackoffContract {

    private final InMemoryBackoff backoff = new InMemoryBackoff(RETENTION, Clock.systemUTC());

    @Override
    protected Backoff newClient() {
        return backoff;
    }
}
