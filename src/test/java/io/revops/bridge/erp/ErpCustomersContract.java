package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;

/**
 * Every Tryton call the ERP adapter makes, asserted by reading the party back over JSON-RPC. Runs against the
 * emulator (default tier) and the real Tryton 6.0 (conformance tier): the emulator is held to the same contract.
 */
abstract class ErpCustomersContract extends TrytonContract {
    protected ErpCustomers customers;

    @BeforeEach
    void connect() {
        customers = new ErpCustomers(tryton);
    }

    @Test
    void createsACustomerOnOurKeyAndTheErpAssignsItsNumber() {
        String key = key();
        ErpCustomer created = customers.upsert(Map.of("key", key, "name", "Acme",
                "address", Map.of("street", "1 Main St", "city", "Springfield", "postalCode", "12345")));

        assertThat(created.created()).isTrue();
        assertThat(created.customerNumber()).isNotBlank();
        JsonNode party = party(created.partyId());
        assertThat(party.path("name").asText()).isEqualTo("Acme");
        assertThat(party.path("code").asText()).isEqualTo(created.customerNumber());
        JsonNode address = address(party);
        assertThat(address.path("street").asText()).isEqualTo("1 Main St");
        assertThat(address.path("city").asText()).isEqualTo("Springfield");
        assertThat(address.path("postal_code").asText()).isEqualTo("12345");
        assertThat(customers.find(key)).contains(new ErpCustomer(created.partyId(), key, created.customerNumber(), false));
    }

    @Test
    void anUpdateWritesOnlyTheGivenFields() {
        String key = key();
        ErpCustomer created = customers.upsert(Map.of("key", key, "name", "Acme",
                "address", Map.of("street", "1 Main St", "city", "Springfield")));

        ErpCustomer updated = customers.upsert(Map.of("key", key, "address", Map.of("city", "Shelbyville")));

        assertThat(updated).isEqualTo(new ErpCustomer(created.partyId(), key, created.customerNumber(), false));
        JsonNode party = party(created.partyId());
        assertThat(party.path("name").asText()).isEqualTo("Acme");
        assertThat(address(party).path("street").asText()).isEqualTo("1 Main St");
        assertThat(address(party).path("city").asText()).isEqualTo("Shelbyville");
    }

    @Test
    void aRepeatedUpsertKeepsOneParty() {
        String key = key();
        Map<String, Object> party = Map.of("key", key, "name", "Acme");
        assertThat(customers.upsert(party).partyId()).isEqualTo(customers.upsert(party).partyId());
        assertThat(partiesWithKey(key)).hasSize(1);
    }

    @Test
    void concurrentUpsertsOfOneKeyYieldOneParty() {
        String key = key();
        List<CompletableFuture<ErpCustomer>> writers = IntStream.range(0, 4).mapToObj(i -> CompletableFuture
                .supplyAsync(() -> customers.upsert(Map.of("key", key, "name", "Acme " + i)))).toList();
        writers.forEach(CompletableFuture::join);
        assertThat(partiesWithKey(key)).hasSize(1);
    }

    @Test
    void aDeactivatedCustomerIsStillFoundAndCanBeReactivated() {
        String key = key();
        int partyId = customers.upsert(Map.of("key", key, "name", "Acme")).partyId();

        customers.upsert(Map.of("key", key, "active", false));
        assertThat(party(partyId).path("active").asBoolean()).isFalse();
        assertThat(customers.find(key)).isPresent();

        assertThat(customers.upsert(Map.of("key", key, "active", true)).partyId()).isEqualTo(partyId);
        assertThat(party(partyId).path("active").asBoolean()).isTrue();
        assertThat(partiesWithKey(key)).hasSize(1);
    }

    @Test
    void anUnknownCustomerWithoutANameIsABusinessException() {
        assertThatThrownBy(() -> customers.upsert(Map.of("key", key(), "address", Map.of("city", "Nowhere"))))
                .isInstanceOf(BusinessException.class).hasMessageContaining("resync");
    }

    @Test
    void aWrongPasswordIsAClearError() {
        ErpCustomers wrong = new ErpCustomers(new TrytonClient(url(), database(), "admin", "wrong", Duration.ofSeconds(10)));
        assertThatThrownBy(() -> wrong.find(key())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the login");
    }

    private JsonNode party(int id) {
        return tryton.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO, List.of(id),
                List.of("name", "code", "active", "addresses")).get(0);
    }

    private JsonNode address(JsonNode party) {
        return tryton.call("model.party.address.read", List.of(party.path("addresses").get(0).asInt()),
                List.of("street", "city", "postal_code")).get(0);
    }

    private JsonNode partiesWithKey(String key) {
        return tryton.callWithContext("model.party.party.search", TrytonClient.INACTIVE_TOO,
                List.of(List.of("identifiers.code", "=", key)), 0, null, null);
    }

    private static String key() {
        return "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
    }
}
