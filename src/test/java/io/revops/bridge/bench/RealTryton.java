package io.revops.bridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.erp.TrytonClient;

/**
 * The REAL Tryton as the account flow's ERP (-Dbench.erp.tryton.url; database, user and password as in the conformance
 * tier: tryton, admin, admin): its settings for the runtime and for a direct client, what it holds on our key (the
 * party identifier, as the conformance tests search it), and the CPU of its processes on this machine, found by /proc:
 * trytond and the PostgreSQL backends of its database (a Tryton elsewhere shows 0 there).
 */
final class RealTryton implements ErpTarget {
    static final String URL = System.getProperty("bench.erp.tryton.url", "");
    static final String DATABASE = System.getProperty("bench.erp.tryton.database", "tryton");
    private static final String USER = System.getProperty("bench.erp.tryton.user", "admin");
    private static final String PASSWORD = System.getProperty("bench.erp.tryton.password", "admin");
    /** The emulated org's Account ids: key prefix 001, then "000" and a counter (SObjectStore). */
    private static final String EMULATED_ACCOUNT_IDS = "001000%";

    private final TrytonClient client = client();

    static boolean configured() {
        return !URL.isBlank();
    }

    /** A client of its own, as each runtime instance has one. */
    static TrytonClient client() {
        return new TrytonClient(URL, DATABASE, USER, PASSWORD, Duration.ofSeconds(30));
    }

    /** The runtime's ERP settings (README "Running against real systems"). */
    static Map<String, String> runtimeEnvironment() {
        return Map.of("TRYTON_URL", URL, "TRYTON_DATABASE", DATABASE, "TRYTON_USER", USER, "TRYTON_PASSWORD", PASSWORD);
    }

    /**
     * The largest keys of the emulated org's form the database holds already, from earlier runs (it keeps its parties):
     * the org's ids continue past them, so a run's accounts are new parties, never updates of old ones.
     */
    List<String> emulatedAccountKeysInUse() {
        JsonNode found = client.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("code", "like", EMULATED_ACCOUNT_IDS)), 0, 100, List.of(List.of("code", "DESC")), List.of("code"));
        List<String> keys = new ArrayList<>();
        found.forEach(identifier -> keys.add(identifier.path("code").asText()));
        return keys;
    }

    @Override
    public Map<String, List<String>> customerNumbersByKey(Collection<String> keys) {
        JsonNode identifiers = client.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("code", "in", List.copyOf(keys))), 0, null, null, List.of("code", "party"));
        List<Integer> partyIds = new ArrayList<>();
        identifiers.forEach(identifier -> partyIds.add(identifier.path("party").asInt()));
        Map<Integer, String> codes = new HashMap<>();
        if (!partyIds.isEmpty()) {
            client.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO, partyIds, List.of("code"))
                    .forEach(party -> codes.put(party.path("id").asInt(), party.path("code").asText()));
        }
        Map<String, List<String>> byKey = new HashMap<>();
        identifiers.forEach(identifier -> byKey.computeIfAbsent(identifier.path("code").asText(), k -> new ArrayList<>())
                .add(codes.get(identifier.path("party").asInt())));
        return byKey;
    }

    @Override
    public MachineCpu withCpuParts(MachineCpu cpu) {
        // Tryton's backends come and go with its connections: their time is kept past their end
        return cpu.part("Tryton (trytond)", MachineCpu.processesEverSeen(RealTryton::isTrytond))
                .part("PostgreSQL backends of database " + DATABASE, MachineCpu.processesEverSeen(RealTryton::isTrytonBackend));
    }

    private static boolean isTrytond(String commandLine) {
        return Arrays.stream(commandLine.split(" ")).anyMatch(arg -> arg.equals("trytond") || arg.endsWith("/trytond"));
    }

    /** A backend's process title: "postgres: user database host(port) state". */
    private static boolean isTrytonBackend(String commandLine) {
        String[] title = commandLine.split(" ");
        return title.length > 3 && title[0].equals("postgres:") && title[2].equals(DATABASE);
    }
}
