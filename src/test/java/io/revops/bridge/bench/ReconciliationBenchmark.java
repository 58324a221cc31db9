package io.revops.bridge.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Benchmark (bench profile, not a timed test): bench.reconciliation.accounts (default 10,000) accounts created in the
 * emulated Salesforce and synced by the routes to Tryton and Kill Bill, then one reconciliation run through the API.
 * Prints accounts reconciled per second and the peak heap of the JVM during the run (the runtime and the emulators
 * share it, so it is an upper bound of the runtime's). Asserts only that the run completed and found no drift.
 * {@code ./mvnw -Pbench verify -Dit.test=ReconciliationBenchmark -Dbench.reconciliation.accounts=10000}
 */
@QuarkusTest
class ReconciliationBenchmark {
    private static final int ACCOUNTS = Integer.getInteger("bench.reconciliation.accounts", 10_000);
    private static final int WRITERS = 4;

    @Inject
    Sandbox sandbox;

    @Test
    void reconcilesTheAccountsAndPrintsThroughputAndPeakHeap() throws Exception {
        Set<String> keys = seed();
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> synced(keys));

        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long heapBefore = heapUsed();
        String run = startRun();
        Map<String, Object> done = await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> run(run), r -> r.isPresent() && !"running".equals(r.get().get("status"))).orElseThrow();
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();

        assertThat(done.get("status")).as("run %s: %s", run, done.get("error")).isEqualTo("completed");
        double seconds = Duration.between(Instant.parse((String) done.get("started")),
                Instant.parse((String) done.get("finished"))).toMillis() / 1000.0;
        List<Map<String, Object>> open = given().auth().preemptive().basic("viewer", "viewer").queryParam("status", "open")
                .queryParam("limit", "500").get("/api/v1/reconciliation/drifts").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertThat(open).filteredOn(d -> keys.contains(d.get("businessKey"))).isEmpty();

        System.out.printf("%n| Reconciliation benchmark | value |%n|---|---|%n| accounts | %,d |%n| run | %.1f s |%n"
                + "| accounts/s | %,.0f |%n| peak heap during the run (runtime + emulators) | %,d MiB |%n"
                + "| heap before the run | %,d MiB |%n| cores | %d |%n%n", ACCOUNTS, seconds, ACCOUNTS / seconds,
                peak >> 20, heapBefore >> 20, Runtime.getRuntime().availableProcessors());
    }

    private Set<String> seed() throws Exception {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
                    for (int i = writer; i < ACCOUNTS; i += WRITERS) {
                        Map<String, Object> fields = new LinkedHashMap<>();
                        fields.put("Name", "Bench " + i);
                        fields.put("BillingStreet", i + " Main Street");
                        fields.put("BillingCity", "Springfield");
                        fields.put("BillingPostalCode", String.format("%05d", i % 100_000));
                        fields.put("CurrencyIsoCode", "USD");
                        keys.add(salesforce.create("Account", fields));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            writers.shutdown();
        }
        return keys;
    }

    private boolean synced(Set<String> keys) {
        Set<String> inErp = new HashSet<>();
        sandbox.tryton().parties().forEach(p -> ((List<?>) p.get("identifiers")).forEach(code -> inErp.add(code.toString())));
        Set<String> inBilling = new HashSet<>();
        sandbox.killBill().accounts().forEach(a -> inBilling.add(String.valueOf(a.get("externalKey"))));
        long numbered = sandbox.salesforce().records("Account").stream()
                .filter(a -> keys.contains(a.get("Id")) && a.get("ERP_Customer_Number__c") != null).count();
        return inErp.containsAll(keys) && inBilling.containsAll(keys) && numbered == keys.size();
    }

    private static String startRun() {
        return await().atMost(Duration.ofMinutes(5)).until(() -> {
            var response = given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON)
                    .body("{}").post("/api/v1/reconciliation/runs");
            return response.statusCode() == 202 ? Optional.of(response.jsonPath().getString("id")) : Optional.<String>empty();
        }, Optional::isPresent).get();
    }

    private static Optional<Map<String, Object>> run(String id) {
        List<Map<String, Object>> runs = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/reconciliation/runs")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return runs.stream().filter(r -> id.equals(r.get("id"))).findFirst();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
