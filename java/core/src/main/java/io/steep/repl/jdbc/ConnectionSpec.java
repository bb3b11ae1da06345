package io.steep.repl.jdbc;

import java.util.List;

/**
 * A fully resolved connection: everything explicit, from a service, from the environment or
 * from defaults, ready for {@link ConnectionFactory}. {@link #toString()} masks the password.
 *
 * @param endpoints      servers to try in order; never empty
 * @param password       the password, or null to let the server decide (peer, trust, ...)
 * @param passwordSource where the password came from, for hints (e.g. {@code "PGPASSWORD"}), or null
 * @param sslmode        libpq sslmode, or null for the driver default (prefer)
 * @param connectTimeout seconds, or null for the driver default
 * @param name           the named connection this came from, or null
 */
public record ConnectionSpec(
        List<Endpoint> endpoints,
        String dbname,
        String user,
        String password,
        String passwordSource,
        String sslmode,
        String sslrootcert,
        String sslcert,
        String sslkey,
        String sslpassword,
        String applicationName,
        Integer connectTimeout,
        String options,
        String name) {

    public ConnectionSpec {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a connection needs at least one endpoint");
        }
    }

    public Endpoint primary() {
        return endpoints.get(0);
    }

    public boolean isUnixSocket() {
        return primary().isUnixSocket();
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }
}
