package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.TransientFailureException;

/**
 * The Kill Bill read of the account reconciliation (reconciliation.AccountReconciler): the tenant's accounts through
 * GET /1.0/kb/accounts/pagination, oldest first, each with its externalKey, every account once across pages. Runs
 * against the emulator and the real Kill Bill 0.22 (KillBillConformanceIT).
 */
abstract class AccountPagesContract extends KillBillContract {
    private static final int PAGE = 3;
    /** Bounds the walk on a long-lived server holding many accounts of earlier runs. */
    private static final int MAX_PAGES = 100_000 / PAGE;

    @Test
    void accountsArePagedOldestFirstEachOnceWithTheirExternalKey() {
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String key = key();
            accounts.upsert(Map.of("externalKey", key, "name", "Paged " + i, "currency", "USD"));
            ours.add(key);
        }

        List<String> listed = new ArrayList<>();
        long offset = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode accountsPage = client.find("/1.0/kb/accounts/pagination?offset=" + offset + "&limit=" + PAGE
                    + "&accountWithBalance=false&accountWithBalanceAndCBA=false&audit=NONE").orElseThrow();
            accountsPage.forEach(account -> {
                assertThat(account.path("accountId").asText()).isNotBlank();
                listed.add(account.path("externalKey").asText());
            });
            if (accountsPage.size() < PAGE) {
                break;
            }
            offset += accountsPage.size();
        }

        assertThat(listed.stream().filter(ours::contains).toList()).containsExactlyElementsOf(ours);
    }

    @Test
    void aPageBeyondAnIntIsRefusedNotServedWhole() {
        accounts.upsert(Map.of("externalKey", key(), "name", "Listed at least once", "currency", "USD"));

        // Kill Bill's database refuses LIMIT/OFFSET beyond an int: "everything" is not Long.MAX_VALUE (0.22.26, H2)
        for (String page : List.of("offset=0&limit=9223372036854775807", "offset=0&limit=2147483648",
                "offset=2147483648&limit=10")) {
            assertThatThrownBy(() -> client.find("/1.0/kb/accounts/pagination?" + page)).as(page)
                    .isInstanceOf(TransientFailureException.class).hasMessageContaining("HTTP 500");
        }
        assertThat(client.find("/1.0/kb/accounts/pagination?offset=0&limit=2147483647").orElseThrow().size()).isPositive();
    }
}
