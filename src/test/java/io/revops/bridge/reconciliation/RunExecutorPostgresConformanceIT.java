package io.revops.bridge.reconciliation;

import java.sql.Connection;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link RunExecutorContract} on a real PostgreSQL (conformance profile), each test in a schema of its own so the
 * shared database's own migration history is left alone. -Drevops.db.url, -Drevops.db.user, -Drevops.db.password.
 */
class RunExecutorPostgresConformanceIT extends RunExecutorContract {
    @Override
    protected DataSource freshDatabase(String name) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(System.getProperty("revops.db.url", "jdbc:postgresql://127.0.0.1:5433/revops"));
        postgres.setUser(System.getProperty("revops.db.user", "revops"));
        postgres.setPassword(System.getProperty("revops.db.password", "revops"));
        postgres.setCurrentSchema(name);
        return postgres;
    }

    @Override
    protected void dispose(DataSource dataSource, String name) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement drop = c.createStatement()) {
            drop.execute("DROP SCHEMA " + name + " CASCADE"); // name: recon_ and hex digits
        }
    }

    @Override
    protected String[] schemas(String name) {
        return new String[] {name};
    }
}
