package dev.tern.common.shaping;

import java.time.Clock;

/** {@link ConnectionLeasesContract} on {@link InMemoryConnectionLeases}; every "client" is the one instance. */
class InMemoryConnectionLeasesContractTest extends ConnectionLeasesContract {

    private final InMemoryConnectionLeases leases = new InMemoryConnectionLeases(Clock.systemUTC());

    @Override
    protected ConnectionLeases newClient() {
        return leases;
    }
}
