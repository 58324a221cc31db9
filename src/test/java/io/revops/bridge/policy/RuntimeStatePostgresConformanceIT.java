package io.revops.bridge.policy;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The runtime-state contract on a real PostgreSQL (conformance profile). Connection from -Drevops.db.url,
 * -Drevops.db.user, -Drevops.db.password (.ci/run starts a private cluster).
 */
class RuntimeStatePostgresConformanceIT extends RuntimeStateContract {
    private final PGSimpleDataSource postgres = new PGSimpleDataSource();

    RuntimeStatePostgresConformanceIT() {
        postgres.setURL(System.getProperty("revops.db.url", "jdbc:postgresql://127.0.0.1:5433/revops"));
        postgres.setUser(System.getProperty("revops.db.user", "revops"));
        postgres.setPassword(System.getProperty("revops.db.password", "revops"));
    }

    @Override
    protected DataSource dataSource() {
        return postgres;
    }
}
