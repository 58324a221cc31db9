package io.revops.bridge.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

import io.agroal.api.AgroalDataSource;

/**
 * Creates the JDBC idempotent repository of one route (processor name = route id) on the runtime database.
 * Route files declare their repository as a named bean through this factory, so the policy stays visible in
 * the route file. The table comes from the Flyway migration, never from the repository itself.
 */
@ApplicationScoped
@Named("idempotencyRepositories")
public class IdempotencyRepositories {
    private final AgroalDataSource dataSource;

    @Inject
    public IdempotencyRepositories(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public JdbcMessageIdRepository forRoute(String routeId) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, routeId);
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}
