package io.revops.bridge.policy;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

class RuntimeStateH2Test extends RuntimeStateContract {
    private final JdbcDataSource h2 = new JdbcDataSource();

    RuntimeStateH2Test() {
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
    }

    @Override
    protected DataSource dataSource() {
        return h2;
    }
}
