package io.revops.bridge.sandbox.tryton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * party.party search through the code and identifier indexes answers what a scan of every party answered: the
 * matching parties in id order, inactive ones left out unless asked for, every clause of the domain applied, and a
 * domain the emulator cannot run refused even before any party exists.
 */
class PartyStoreSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PartyStore parties = new PartyStore();

    @Test
    void findsEveryPartyCarryingAnIdentifierCodeInIdOrder() {
        int first = create(Map.of("name", "Acme", "identifiers", List.of(List.of("create", List.of(Map.of("code", "001A"))))));
        create(Map.of("name", "Other", "identifiers", List.of(List.of("create", List.of(Map.of("code", "001B"))))));
        int third = create(Map.of("name", "Acme again"));
        parties.addIdentifier(third, "001A");

        assertThat(parties.search(domain("identifiers.code", "001A"), true)).containsExactly(first, third);
        assertThat(parties.search(domain("identifiers.code", "001Z"), true)).isEmpty();
        assertThat(parties.withIdentifier("001A")).containsEntry("id", first).containsEntry("name", "Acme");
    }

    @Test
    void everyClauseStillApplies() {
        int acme = create(Map.of("name", "Acme", "identifiers", List.of(List.of("create", List.of(Map.of("code", "002A"))))));
        create(Map.of("name", "Beta", "identifiers", List.of(List.of("create", List.of(Map.of("code", "002A"))))));
        JsonNode both = JSON.valueToTree(List.of(List.of("identifiers.code", "=", "002A"), List.of("name", "=", "Acme")));

        assertThat(parties.search(both, true)).containsExactly(acme);
        assertThat(parties.search(domain("name", "Beta"), true)).hasSize(1);
    }

    @Test
    void findsByPartyCodeAndKeepsItUnique() {
        int id = create(Map.of("name", "Coded", "code", "C-1"));

        assertThat(parties.search(domain("code", "C-1"), true)).containsExactly(id);
        assertThat(parties.search(domain("code", "C-2"), true)).isEmpty();
        assertThatThrownBy(() -> create(Map.of("name", "Twin", "code", "C-1")))
                .hasMessage("The code on party must be unique.");
    }

    @Test
    void anInactivePartyIsFoundOnlyWhenInactiveOnesAreAskedFor() {
        int id = create(Map.of("name", "Gone", "active", false,
                "identifiers", List.of(List.of("create", List.of(Map.of("code", "003A"))))));

        assertThat(parties.search(domain("identifiers.code", "003A"), true)).isEmpty();
        assertThat(parties.search(domain("identifiers.code", "003A"), false)).containsExactly(id);
    }

    @Test
    void aDomainTheEmulatorCannotRunIsRefusedWhateverTheParties() {
        assertThatThrownBy(() -> parties.search(domain("email", "x@example.com"), true))
                .hasMessage("search on email is not emulated");
        JsonNode like = JSON.valueToTree(List.of(List.of("identifiers.code", "=", "004A"), List.of("name", "ilike", "%a%")));
        assertThatThrownBy(() -> parties.search(like, true)).hasMessage("operator ilike is not emulated");
    }

    private int create(Map<String, Object> values) {
        return parties.create(JSON.valueToTree(List.of(values))).get(0);
    }

    private static JsonNode domain(String field, String value) {
        return JSON.valueToTree(List.of(List.of(field, "=", value)));
    }
}
