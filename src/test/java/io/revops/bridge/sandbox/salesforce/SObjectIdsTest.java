package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Record ids of a new emulated org continue past ids an earlier org left in a system that outlives it (the real Tryton
 * the benchmark writes to keeps its parties, keyed by the Salesforce Account Id).
 */
class SObjectIdsTest {
    private SObjectStore store;

    @BeforeEach
    void org() {
        store = new SObjectStore((type, change, id, values, changed) -> { });
        OrgDefinition.defaults().objects().forEach(store::define);
    }

    private String newAccount() {
        return store.create("Account", Map.of("Name", "Acme"));
    }

    @Test
    void aNewOrgStartsAtOne() {
        assertThat(newAccount()).startsWith("001000000000001");
    }

    @Test
    void idsContinuePastTheLargestIdInUse() {
        store.continueIdsAfter(List.of("001000000000417AAA", "001000000012345AAA", "001000000000099AAA"));

        assertThat(newAccount()).startsWith("001000000012346");
        assertThat(newAccount()).startsWith("001000000012347");
    }

    @Test
    void foreignKeysAreIgnored() {
        // the conformance tests' random keys, the benchmark's baseline keys, nothing, a short one
        store.continueIdsAfter(Arrays.asList("0010A3F9C2B7D41EE", "001000ABCDEF123AAA", "erp-baseline-1-7", null, "001"));

        assertThat(newAccount()).startsWith("001000000000001");
    }

    @Test
    void idsNeverGoBack() {
        String first = newAccount();
        String second = newAccount();
        store.continueIdsAfter(List.of(first));

        assertThat(newAccount()).isNotIn(first, second).startsWith("001000000000003");
    }
}
