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
import io.revops.bridge.billing.BillingSubscriptions;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Benchmark (bench profile, not a timed test): bench.reconciliation.accounts (default 1,000, to keep the CI tier short;
 * the 10,000 on the command line) accounts created in the
 * emulated Salesforce and synced by the routes to Tryton and Kill Bill, each then given a monthly subscription through
 * the routes' billing client, so Kill Bill invoices it and the routes book the invoice in Tryton and write it back to
 * Salesforce (one invoice per account, as the routes leave them); then one reconciliation run through the API. Prints
 * records reconciled per second per object (from each object's completion in the run) and the peak heap of the JVM
 * during the run (the runtime and the emulators share it, so it is an upper bound of the runtime's; the growth over
 * the heap before the run is printed too). Asserts only that the run completed and found no drift among these keys.
 * {@code ./mvnw -Pbench verify -Dit.test=ReconciliationBenchmark -Dbench.reconciliation.accounts=10000}
 */
@QuarkusTest
class ReconciliationBenchmark {
    private static final int ACCOUNTS = Integer.getInteger("bench.reconciliation.accounts", 1_000);
    private static final int WRITERS = 4;

    @Inject
    Sandbox sandbox;
    @Inject
    BillingSubscriptions subscriptions;

    @Test
    void reconcilesTheAccountsAndPrintsThroughputAndPeakHeap() throws Exception {
        Set<String> keys = seed();
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> synced(keys));
        Set<String> invoices = invoice(keys);
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> booked(invoices));

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
        assertThat(open).filteredOn(d -> keys.contains(d.get("businessKey")) || invoices.contains(d.get("businessKey")))
                .isEmpty();

        Map<String, Double> objectSeconds = objectSeconds(done);
        System.out.printf("%n| Reconciliation benchmark | value |%n|---|---|%n| accounts | %,d |%n| invoices | %,d |%n"
                + "| run | %.1f s |%n| accounts/s (account pass) | %,.0f |%n| invoices/s (invoice pass) | %,.0f |%n"
                + "| records/s (accounts + invoices over the whole run) | %,.0f |%n"
                + "| peak heap during the run (runtime + emulators) | %,d MiB |%n| heap before the run | %,d MiB |%n"
                + "| cores | %d |%n%n", ACCOUNTS, invoices.size(), seconds, ACCOUNTS / objectSeconds.get("account"),
                invoices.size() / objectSeconds.get("invoice"), (ACCOUNTS + invoices.size()) / seconds, peak >> 20,
                heapBefore >> 20, Runtime.getRuntime().availableProcessors());
    }

    /** A monthly subscription per account through the routes' billing client: Kill Bill invoices it at once. */
    private Set<String> invoice(Set<String> accounts) throws Exception {
        List<String> all = new ArrayList<>(accounts);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = writer; i < all.size(); i += WRITERS) {
                        String order = String.format("RB%08d", i);
                        subscriptions.activate(Map.of("accountKey", all.get(i), "orderNumber", order, "subscriptions",
                                List.of(Map.of("externalKey", order + "-1-1", "planName", "standard-monthly"))));
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
        Set<String> numbers = new HashSet<>();
        sandbox.killBill().invoices().stream().filter(i -> accounts.contains(i.accountExternalKey()))
                .forEach(i -> numbers.add("KB-" + i.invoiceNumber()));
        assertThat(numbers).hasSize(accounts.size());
        return numbers;
    }

    /** Every invoice booked in Tryton and written back to Salesforce, as the routes leave them. */
    private boolean booked(Set<String> numbers) {
        Set<String> inErp = new HashSet<>();
        sandbox.tryton().invoices().forEach(i -> inErp.add(String.valueOf(i.get("reference"))));
        long written = sandbox.salesforce().records("Invoice__c").stream()
                .filter(i -> numbers.contains(i.get("Invoice_Number__c"))).count();
        return inErp.containsAll(numbers) && written == numbers.size();
    }

    /** Each object's pass: from the previous object's completion (the run's start for the first) to its own. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> objectSeconds(Map<String, Object> run) {
        List<Map<String, Object>> objects = new ArrayList<>((List<Map<String, Object>>) run.get("objects"));
        objects.sort(java.util.Comparator.comparing(o -> Instant.parse((String) o.get("completed"))));
        Map<String, Double> seconds = new LinkedHashMap<>();
        Instant from = Instant.parse((String) run.get("started"));
        for (Map<String, Object> object : objects) {
            Instant completed = Instant.parse((String) object.get("completed"));
            seconds.put((String) object.get("object"), Duration.between(from, completed).toMillis() / 1000.0);
            from = completed;
        }
        return seconds;
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
