package io.revops.bridge.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which dead letters an operator means; every criterion is optional. */
public record DeadLetterFilter(String routeId, String category, String businessKey, String status, Instant from, Instant to) {

    /** SQL WHERE clause over table dead_letter, with its parameters in {@code params}. */
    String where(List<Object> params) {
        List<String> clauses = new ArrayList<>();
        add(clauses, params, "route_id = ?", routeId);
        add(clauses, params, "category = ?", category);
        // the indexed key form (policy.StoredText): business keys of any length and content
        add(clauses, params, "business_key_key = ?", io.revops.bridge.policy.StoredText.keyOf(businessKey));
        add(clauses, params, "status = ?", status);
        add(clauses, params, "last_failed_at >= ?", from == null ? null : java.sql.Timestamp.from(from));
        add(clauses, params, "last_failed_at < ?", to == null ? null : java.sql.Timestamp.from(to));
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    private static void add(List<String> clauses, List<Object> params, String clause, Object value) {
        if (value != null) {
            clauses.add(clause);
            params.add(value);
        }
    }
}
