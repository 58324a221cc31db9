package io.revops.bridge.reconciliation;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** {@link RunExecutorContract} on H2, the dev and test database. */
class RunExecutorTest extends RunExecutorContract {
    @Override
    protected DataSource freshDatabase(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }
}
