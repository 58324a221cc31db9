package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;

/**
 * Every Kill Bill call the billing adapter makes, asserted by reading the account back over REST. Runs against
 * the emulator (default tier) and the real Kill Bill (conformance tier): the emulator is held to the same contract.
 */
abstract class BillingAccountsContract extends KillBillContract {

    @Test
    void createsAnAccountOnOurKeyWithItsFields() {
        String key = key();
        BillingAccount created = accounts.upsert(Map.of("externalKey", key, "name", "Acme", "currency", "USD",
                "city", "Springfield", "phone", "+1 555 0100"));

        assertThat(created.created()).isTrue();
        JsonNode stored = read(created.accountId());
        assertThat(stored.path("externalKey").asText()).isEqualTo(key);
        assertThat(stored.path("name").asText()).isEqualTo("Acme");
        assertThat(stored.path("currency").asText()).isEqualTo("USD");
        assertThat(stored.path("city").asText()).isEqualTo("Springfield");
        assertThat(accounts.find(key)).get().extracting(BillingAccount::accountId).isEqualTo(created.accountId());
    }

    @Test
    void anUpdateWritesOnlyTheGivenFields() {
        String key = key();
        BillingAccount created = accounts.upsert(Map.of("externalKey", key, "name", "Acme", "city", "Springfield",
                "phone", "+1 555 0100"));

        BillingAccount updated = accounts.upsert(Map.of("externalKey", key, "city", "Shelbyville"));

        assertThat(updated.created()).isFalse();
        assertThat(updated.accountId()).isEqualTo(created.accountId());
        JsonNode stored = read(created.accountId());
        assertThat(stored.path("city").asText()).isEqualTo("Shelbyville");
        assertThat(stored.path("name").asText()).isEqualTo("Acme");
        assertThat(stored.path("phone").asText()).isEqualTo("+1 555 0100");
    }

    @Test
    void aRepeatedUpsertKeepsOneAccount() {
        String key = key();
        Map<String, Object> account = Map.of("externalKey", key, "name", "Acme");
        String first = accounts.upsert(account).accountId();
        String second = accounts.upsert(account).accountId();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void concurrentUpsertsOfOneKeyYieldOneAccount() {
        String key = key();
        List<CompletableFuture<BillingAccount>> writers = IntStream.range(0, 4).mapToObj(i -> CompletableFuture
                .supplyAsync(() -> accounts.upsert(Map.of("externalKey", key, "name", "Acme " + i)))).toList();
        List<String> ids = writers.stream().map(CompletableFuture::join).map(BillingAccount::accountId).distinct().toList();
        assertThat(ids).hasSize(1);
        assertThat(writers.stream().map(CompletableFuture::join).filter(BillingAccount::created)).hasSize(1);
    }

    @Test
    void anUnknownAccountWithoutANameIsABusinessException() {
        assertThatThrownBy(() -> accounts.upsert(Map.of("externalKey", key(), "city", "Nowhere")))
                .isInstanceOf(BusinessException.class).hasMessageContaining("resync");
    }

    @Test
    void wrongCredentialsAreAClearError() {
        KillBillClient wrong = new KillBillClient(baseUrl(), "admin", "wrong", API_KEY, API_SECRET, Duration.ofSeconds(10));
        assertThatThrownBy(() -> new BillingAccounts(wrong).find(key())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the credentials");
    }

    private JsonNode read(String accountId) {
        return client.find("/1.0/kb/accounts/" + accountId).orElseThrow();
    }
}
