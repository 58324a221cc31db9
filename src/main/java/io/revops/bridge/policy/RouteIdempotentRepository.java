package io.revops.bridge.policy;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The JDBC idempotent repository of one route (camel-sql, table CAMEL_MESSAGEPROCESSED from the Flyway
 * migration, processor name = route id) on the runtime database. Route files declare it as a named bean with
 * the route id as its only argument, so the policy reads where the route is:
 * <pre>
 * - beans:
 *     - name: erp-account-sync-idempotency
 *       type: io.revops.bridge.policy.RouteIdempotentRepository
 *       constructors: {"0": erp-account-sync}
 * </pre>
 */
public class RouteIdempotentRepository extends JdbcMessageIdRepository implements CamelContextAware {
    private CamelContext camelContext;

    public RouteIdempotentRepository(String routeId) {
        setProcessorName(routeId);
        setCreateTableIfNotExists(false);
    }

    @Override
    protected void doInit() throws Exception {
        if (getDataSource() == null) {
            DataSource dataSource = camelContext.getRegistry().findSingleByType(DataSource.class);
            if (dataSource == null) {
                throw new IllegalStateException("no single DataSource for the idempotent repository of " + getProcessorName());
            }
            setDataSource(dataSource);
            setJdbcTemplate(new JdbcTemplate(dataSource));
            setTransactionTemplate(createTransactionTemplate(dataSource));
        }
        super.doInit();
    }

    /**
     * Two consumers racing on one key: the primary key lets exactly one insert win. On PostgreSQL the loser gets
     * a unique violation instead of seeing the row, which means the same as seeing it: a duplicate.
     */
    @Override
    public boolean add(String key) {
        try {
            return super.add(key);
        } catch (DuplicateKeyException alreadyThere) {
            return false;
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
