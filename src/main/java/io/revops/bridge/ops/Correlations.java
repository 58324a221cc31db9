package io.revops.bridge.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The correlation id a business key already travels under, from the lineage. Events that only name another
 * object (a payment names its invoice, the ERP's copy of a billing invoice its reference) join that object's business
 * transaction, so one lineage query by correlation id lists an order with its invoices and payments.
 */
@ApplicationScoped
@Named("correlations")
public class Correlations {
    private final DataSource dataSource;
    private final LineageRecorder lineage;

    @Inject
    public Correlations(DataSource dataSource, LineageRecorder lineage) {
        this.dataSource = dataSource;
        this.lineage = lineage;
    }

    /** The first correlation id recorded for {@code businessKey}, or null when it was never seen. */
    public String of(String businessKey) throws SQLException {
        if (businessKey == null || businessKey.isBlank()) {
            return null;
        }
        lineage.awaitRecorded(); // the hop that named the key may still be on its way to the table
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT correlation_id FROM lineage WHERE business_key_key = ?"
                        + " AND correlation_id IS NOT NULL ORDER BY at FETCH FIRST 1 ROWS ONLY")) {
            select.setString(1, io.revops.bridge.policy.StoredText.keyOf(businessKey));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? io.revops.bridge.policy.StoredText.unescape(rs.getString(1)) : null;
            }
        }
    }
}
