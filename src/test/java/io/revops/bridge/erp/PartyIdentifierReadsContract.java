package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Tryton reads of the account reconciliation (reconciliation.AccountReconciler): party identifiers by our keys
 * (code in [...]) and paged by id (id > cursor, ordered, limited), the parties they name and their first address.
 * Runs against the emulator and the real Tryton 6.0 (TrytonConformanceIT).
 */
abstract class PartyIdentifierReadsContract extends TrytonContract {
    private static final List<String> FIELDS = List.of("code", "party");

    @Test
    void identifiersAreFoundByOurKeysAndNameTheirParty() {
        ErpCustomers customers = new ErpCustomers(tryton);
        String first = key();
        String second = key();
        ErpCustomer acme = customers.upsert(Map.of("key", first, "name", "Acme",
                "address", Map.of("street", "1 Main St", "city", "Springfield", "postalCode", "12345")));
        ErpCustomer globex = customers.upsert(Map.of("key", second, "name", "Globex"));

        JsonNode identifiers = tryton.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("code", "in", List.of(first, second, key()))), 0, null, List.of(List.of("id", "ASC")), FIELDS);

        assertThat(identifiers).hasSize(2);
        assertThat(identifiers.get(0).path("code").asText()).isEqualTo(first);
        assertThat(identifiers.get(0).path("party").asInt()).isEqualTo(acme.partyId());
        assertThat(identifiers.get(1).path("code").asText()).isEqualTo(second);
        assertThat(identifiers.get(1).path("party").asInt()).isEqualTo(globex.partyId());

        JsonNode parties = tryton.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO,
                List.of(acme.partyId()), List.of("name", "code", "active", "addresses"));
        assertThat(parties.get(0).path("name").asText()).isEqualTo("Acme");
        assertThat(parties.get(0).path("code").asText()).isEqualTo(acme.customerNumber());
        assertThat(parties.get(0).path("active").asBoolean()).isTrue();
        JsonNode address = tryton.call("model.party.address.read", List.of(parties.get(0).path("addresses").get(0).asInt()),
                List.of("street", "city", "postal_code")).get(0);
        assertThat(address.path("street").asText()).isEqualTo("1 Main St");
        assertThat(address.path("city").asText()).isEqualTo("Springfield");
        assertThat(address.path("postal_code").asText()).isEqualTo("12345");
    }

    @Test
    void identifiersPageByIdInOrderWithoutGapsOrRepeats() {
        ErpCustomers customers = new ErpCustomers(tryton);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = key();
            customers.upsert(Map.of("key", key, "name", "Paged " + i));
            keys.add(key);
        }
        int start = tryton.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("code", "=", keys.get(0))), 0, 1, null, FIELDS).get(0).path("id").asInt() - 1;

        List<String> seen = new ArrayList<>();
        int cursor = start;
        for (int page = 0; page < 10; page++) {
            JsonNode identifiers = tryton.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                    List.of(List.of("id", ">", cursor)), 0, 2, List.of(List.of("id", "ASC")), FIELDS);
            identifiers.forEach(identifier -> seen.add(identifier.path("code").asText()));
            if (identifiers.size() < 2) {
                break;
            }
            cursor = identifiers.get(identifiers.size() - 1).path("id").asInt();
        }
        // other runs may add identifiers meanwhile; ours come in creation order, once each
        assertThat(seen.stream().filter(keys::contains).toList()).containsExactlyElementsOf(keys);
    }

    private static String key() {
        return "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
    }
}
