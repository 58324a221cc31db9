package io.revops.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.billing.KillBillTenants;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.erp.TrytonClient;
import io.revops.bridge.sandbox.KafkaBroker;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.PackagedRuntime;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * The benchmark tier (./mvnw -Pbench verify): the packaged runtime (production profile, its own process, full JIT,
 * heap sized as in its production container) against the emulated systems, which run here, in the benchmark's JVM,
 * and a real Kafka broker in a JVM of its own. Every measure is taken several times, interleaved with its baseline,
 * and printed as min / median / max. Nothing here asserts a duration: only that every event arrived exactly once.
 */
class RuntimeBenchmark {
    private static final int REPETITIONS = Integer.getInteger("bench.repetitions", 3);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 200);
    private static final int PACED_RATE = Integer.getInteger("bench.paced.rate", 200);
    private static final int PACED_SECONDS = Integer.getInteger("bench.paced.seconds", 3);
    private static final int ORDERS = Integer.getInteger("bench.orders", 20);
    /** Partitions of revops.account.v1, created so before the runtime starts, and consumers per account route. */
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    /** The window of each idle measure (-Dbench.measures=idle). */
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idle.seconds", 20);
    private static final int CATCH_UP_EVENTS = Integer.getInteger("bench.catch-up.events", 10_000);
    /**
     * The account sync measured again with this many runtime instances (leader election by file, the partitions shared
     * out among their consumers); 1 skips it.
     */
    private static final int REPLICAS = Integer.getInteger("bench.replicas", 2);
    /**
     * Which measures: "accounts" (sync, paced latency, orders), "catch-up", "idle" and "real-erp" (the account sync with
     * the real Tryton as the ERP); unless told, the first two, and "real-erp" when -Dbench.erp.tryton.url is given.
     */
    private static final String MEASURES = System.getProperty("bench.measures",
            RealTryton.configured() ? "accounts,catch-up,real-erp" : "accounts,catch-up");
    /** Accounts per sync run and per baseline run against the real Tryton (each run leaves its parties there). */
    private static final int REAL_ERP_ACCOUNTS = Integer.getInteger("bench.erp.tryton.accounts", 100);
    /** The routes the account flow runs on: with the real Tryton, only these (the others poll the shared ERP). */
    private static final List<String> ACCOUNT_FLOW_ROUTES = List.of("salesforce-account-inbound.camel.yaml",
            "erp-account-sync.camel.yaml", "billing-account-sync.camel.yaml", "salesforce-account-writeback.camel.yaml",
            "dead-letter.camel.yaml");
    /** The route files under measurement (another directory compares a variant with the same run's baselines). */
    private static final Path ROUTES = Path.of(System.getProperty("bench.routes-dir", "routes"));
    /**
     * Route files the catch-up is measured with too, each repetition right after the routes under measurement (a
     * before/after pair in one run, on the same machine load); unset: not measured.
     */
    private static final String CATCH_UP_COMPARE = System.getProperty("bench.catch-up.compare-routes-dir", "");
    /** The production container's memory limit (k8s/overlays/prod): the JVM sizes its heap from it as it does there. */
    private static final String RUNTIME_MAX_RAM = System.getProperty("bench.runtime.max-ram", "512m");
    /** The JVM options and environment the production image runs with (build-image.sh reads the same files). */
    private static final List<String> PRODUCTION_JVM_OPTIONS = imageSettings("jvm-options");
    private static final List<String> PRODUCTION_ENVIRONMENT = imageSettings("environment");
    /** More options for the runtime's JVM ({n}: the how-manyth start), e.g. -XX:StartFlightRecording=filename=r{n}.jfr */
    private static final String RUNTIME_JVM_OPTIONS = System.getProperty("bench.runtime.jvm-options", "");
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final String ACCOUNT_TOPIC = "revops.account.v1";
    private static final String CDC_TOPIC = "/data/AccountChangeEvent";

    private static final String DB_URL = System.getProperty("revops.db.url", "jdbc:postgresql://127.0.0.1:5433/revops");
    private static final String DB_USER = System.getProperty("revops.db.user", "revops");
    private static final String DB_PASSWORD = System.getProperty("revops.db.password", "revops");
    /**
     * The runtime's schema, of this run only (dropped when it ends): benchmarks of other checkouts on the same PostgreSQL
     * dropped a shared "bench" schema under a running runtime (its replay checkpoints, idempotency keys).
     */
    private static final String SCHEMA = System.getProperty("bench.db.schema", "bench_" + ProcessHandle.current().pid());
    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();

    private static KafkaBroker kafka;
    private static SalesforceEmulator salesforce;
    private static int pubSubPort;
    private static TrytonEmulator tryton;
    private static KillBillEmulator killBill;
    /** The emulated Tryton, in this JVM: its CPU is the emulators' part. */
    private static final ErpTarget EMULATED_ERP = new ErpTarget() {
        @Override
        public Map<String, List<String>> customerNumbersByKey(Collection<String> keys) {
            Map<String, List<String>> byKey = new HashMap<>();
            tryton.parties().forEach(party -> ((List<?>) party.get("identifiers")).forEach(key -> byKey
                    .computeIfAbsent((String) key, k -> new ArrayList<>()).add(String.valueOf(party.get("code")))));
            return byKey;
        }

        @Override
        public MachineCpu withCpuParts(MachineCpu cpu) {
            return cpu;
        }
    };
    private static ExecutorService clients;
    /** Names of the benchmark's client threads, whose CPU is told apart from the emulators' in the same JVM. */
    private static final String CLIENT_THREAD = "bench-client-";
    private static final String RUNTIME_PART = "runtime";
    /** The thread running the measures, which polls the emulators for the outcome (awaitSynced). */
    private static volatile Thread measuring;
    private static final ThreadLocal<SalesforceRest> REP = ThreadLocal.withInitial(() -> SandboxSalesforce.login(salesforce.loginUrl()));
    private static final AtomicInteger runtimeStarts = new AtomicInteger();
    private static final AtomicInteger baselineRuns = new AtomicInteger();

    private final Map<String, Samples> results = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void startSystems() throws Exception {
        Files.createDirectories(WORK);
        int kafkaPort = freePortPair();
        kafka = new KafkaBroker(kafkaPort, WORK.resolve("kafka"));
        kafka.ensureRunning();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(ACCOUNT_TOPIC, Optional.of(PARTITIONS), Optional.empty()))).all().get();
        }
        try (Connection c = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        pubSubPort = freePort();
        salesforce = new SalesforceEmulator(freePort(), pubSubPort, WORK.resolve("salesforce"));
        salesforce.start();
        // the sales reps talk HTTPS to the org before any runtime starts (-Dbench.measures=catch-up creates accounts first)
        SandboxSalesforce.trustInThisJvm(salesforce);
        tryton = new TrytonEmulator(freePort(), "tryton");
        tryton.start();
        killBill = new KillBillEmulator(freePort());
        killBill.start();
        KillBillTenants.ensureTenant(killBill.baseUrl(), "admin", "password", "revops", "revops-api-secret-for-bench");
        AtomicInteger clientThreads = new AtomicInteger();
        clients = Executors.newFixedThreadPool(CLIENTS, r -> new Thread(r, CLIENT_THREAD + clientThreads.incrementAndGet()));
    }

    @AfterAll
    static void stopSystems() {
        if (clients != null) {
            clients.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (java.sql.SQLException e) {
            System.err.println("dropping the benchmark's schema " + SCHEMA + " failed: " + e);
        }
        for (AutoCloseable system : new AutoCloseable[] {salesforce, tryton, killBill}) {
            try {
                if (system != null) {
                    system.close();
                }
            } catch (Exception e) {
                System.err.println("stopping an emulator failed: " + e);
            }
        }
    }

    @Test
    void measure() throws Exception {
        measuring = Thread.currentThread();
        if (MEASURES.contains("accounts")) {
            accountFlows();
        }
        if (MEASURES.contains("idle")) {
            idle();
        }
        if (MEASURES.contains("real-erp")) {
            realErpAccountFlow();
        }
        if (MEASURES.contains("catch-up")) {
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                rawProducer(rep);
                catchUp(ROUTES, "Catch-up");
                if (!CATCH_UP_COMPARE.isBlank()) {
                    catchUp(Path.of(CATCH_UP_COMPARE), "Catch-up with " + CATCH_UP_COMPARE);
                }
            }
        }
        report();
    }

    private void accountFlows() throws Exception {
        try (BenchReplicas runtime = startReplicas(ROUTES, 1)) {
            endToEnd(runtime, 50, new Samples(), new Samples()); // warm-up: JIT, connection pools, topics
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                erpBaseline("ERP alone, accounts/s");
                List<String> synced = endToEnd(runtime, ACCOUNTS, sample("Account sync, accounts/s"),
                        sample("Account sync, runtime CPU-ms per account"),
                        sample("Account sync, runtime CPU-ms per account above idle"), sample("Runtime idle, CPU-ms/s"),
                        "Account sync");
                pacedLatency(rep);
                orders(runtime, synced.subList(0, Math.min(ORDERS, synced.size())));
                sample("Runtime peak RSS, MB (account flows)").add(runtime.takePeakRssMb());
            }
        }
        if (REPLICAS > 1) {
            scaleOut();
        }
    }

    /** The account sync with REPLICAS instances sharing the partitions, each repetition next to its own ERP baseline. */
    private void scaleOut() throws Exception {
        try (BenchReplicas replicas = startReplicas(ROUTES, REPLICAS)) {
            endToEnd(replicas, 50, new Samples(), new Samples());
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                erpBaseline("ERP alone (scale-out part), accounts/s");
                endToEnd(replicas, ACCOUNTS, sample("Account sync, " + REPLICAS + " replicas, accounts/s"),
                        sample("Account sync, " + REPLICAS + " replicas, runtime CPU-ms per account (all replicas)"),
                        sample("Account sync, " + REPLICAS + " replicas, runtime CPU-ms per account above idle"),
                        sample("Runtime idle, " + REPLICAS + " replicas together, CPU-ms/s"),
                        "Account sync, " + REPLICAS + " replicas");
                sample("Runtime peak RSS of one replica, MB (" + REPLICAS + " replicas)").add(replicas.takePeakRssMb());
            }
        }
    }

    // --- measures

    /**
     * The idle runtime (every route, after a warm-up sync): what it burns per second with nothing to do (consumers
     * polling, pollers, timers) over bench.idle.seconds windows, and its RSS then.
     */
    private void idle() throws Exception {
        try (BenchReplicas runtime = startReplicas(ROUTES, 1)) {
            endToEnd(runtime, 50, new Samples(), new Samples());
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                runtime.takePeakRssMb();
                MachineCpu cpu = wholeFlowCpu(runtime).part("Runtime's JIT compiler threads", runtime::jitCpuMillis);
                Map<String, Long> before = cpu.read();
                long start = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(IDLE_SECONDS)).atMost(Duration.ofSeconds(IDLE_SECONDS + 1)).until(() -> true);
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Double> perSecond = MachineCpu.perUnit(before, cpu.read(), 1);
                perSecond.replaceAll((part, millis) -> millis / seconds);
                perSecond.forEach((part, millis) -> sample(
                        (part.equals(RUNTIME_PART) ? "Runtime" : part) + " idle over " + IDLE_SECONDS + " s, CPU-ms/s").add(millis));
                System.out.println("Idle window " + rep + ", CPU-ms/s: " + perSecond);
                sample("Runtime peak RSS, MB (idle)").add(runtime.takePeakRssMb());
                Map<String, Integer> threads = runtime.threadsByKind();
                sample("Runtime threads (idle)").add(threads.values().stream().mapToInt(Integer::intValue).sum());
                System.out.println("Runtime threads by kind (idle, repetition " + rep + "): " + threads);
            }
        }
    }

    /** The emulated ERP's own rate: the same search + create + read calls per account, at the same concurrency. */
    private void erpBaseline(String measure) throws Exception {
        erpBaseline(measure, new TrytonClient(tryton.baseUrl(), "tryton", "admin", "admin", Duration.ofSeconds(30)),
                benchJvmCpu(), "erp-baseline-", ACCOUNTS);
    }

    /**
     * An ERP's own rate: count accounts upserted by the clients as the runtime upserts them, keys keyPrefix + run + i;
     * the CPU per account of every part of cpu.
     */
    private void erpBaseline(String measure, TrytonClient client, MachineCpu cpu, String keyPrefix, int count) throws Exception {
        ErpCustomers erp = new ErpCustomers(client);
        int run = baselineRuns.incrementAndGet();
        Map<String, Long> cpuBefore = cpu.read();
        long start = System.nanoTime();
        inParallel(count, i -> erp.upsert(Map.of("key", keyPrefix + run + "-" + i, "name", "Baseline " + i)));
        sample(measure).add(ratePerSecond(count, start));
        recordCpuParts(measure.substring(0, measure.indexOf(',')), MachineCpu.perUnit(cpuBefore, cpu.read(), count));
    }

    /**
     * The account sync with the REAL Tryton as the runtime's ERP (Salesforce and Kill Bill emulated: the measure is the
     * runtime against the real ERP's own cost), each repetition next to the real Tryton's own rate for the same calls
     * at the same concurrency. The runtime runs the account flow's routes only: the others' pollers would read the
     * shared database's invoices of other tests. Keys are new in every run: the org's ids continue past those the
     * database holds, the baseline's keys carry the run's start time.
     */
    private void realErpAccountFlow() throws Exception {
        assertThat(RealTryton.configured()).as("-Dbench.measures=real-erp needs -Dbench.erp.tryton.url").isTrue();
        RealTryton erp = new RealTryton();
        salesforce.continueIdsAfter(erp.emulatedAccountKeysInUse());
        String baselineKeys = "bench-real-erp-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        Path routes = routeSubset("routes-real-erp", ROUTES, ACCOUNT_FLOW_ROUTES);
        try (BenchReplicas runtime = new BenchReplicas(List.of(startRuntime(routes, RealTryton.runtimeEnvironment())))) {
            // warm-up (JIT, pools, topics): more than the emulated part's 50, as nothing else warms this runtime
            endToEnd(runtime, erp, 100, new Samples(), new Samples(), new Samples(), new Samples(), null);
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                // the emulators stand idle here: the benchmark's JVM is its clients (their HTTP client threads, GC, JIT)
                MachineCpu baselineCpu = erp.withCpuParts(new MachineCpu().part("benchmark JVM (8 clients; emulators idle)",
                        MachineCpu::thisProcess));
                erpBaseline("Real Tryton alone, accounts/s", RealTryton.client(), baselineCpu, baselineKeys, REAL_ERP_ACCOUNTS);
                endToEnd(runtime, erp, REAL_ERP_ACCOUNTS, sample("Account sync with the real Tryton, accounts/s"),
                        sample("Account sync with the real Tryton, runtime CPU-ms per account"),
                        sample("Account sync with the real Tryton, runtime CPU-ms per account above idle"),
                        sample("Runtime idle (real Tryton part), CPU-ms/s"), "Account sync with the real Tryton");
            }
            sample("Runtime peak RSS, MB (account flow, real Tryton)").add(runtime.takePeakRssMb());
        }
    }

    /**
     * Accounts created by concurrent clients in Salesforce until each is in the ERP, in billing and has its ERP customer
     * number written back to Salesforce; each exactly once.
     */
    private List<String> endToEnd(BenchReplicas runtime, int count, Samples rate, Samples cpuPerAccount) throws Exception {
        return endToEnd(runtime, count, rate, cpuPerAccount, new Samples(), new Samples());
    }

    /**
     * As above; also the CPU per account above what the idle runtime burns meanwhile (consumers polling, timers), which
     * a slow run, on a machine others load, would otherwise count against the accounts.
     */
    private List<String> endToEnd(BenchReplicas runtime, int count, Samples rate, Samples cpuPerAccount,
            Samples cpuAboveIdle, Samples idle) throws Exception {
        return endToEnd(runtime, count, rate, cpuPerAccount, cpuAboveIdle, idle, null);
    }

    /** As above; with a measure name, also the CPU per account of every process involved, under that name. */
    private List<String> endToEnd(BenchReplicas runtime, int count, Samples rate, Samples cpuPerAccount,
            Samples cpuAboveIdle, Samples idle, String cpuPartsMeasure) throws Exception {
        return endToEnd(runtime, EMULATED_ERP, count, rate, cpuPerAccount, cpuAboveIdle, idle, cpuPartsMeasure);
    }

    /** As above, with the runtime's ERP being erp. */
    private List<String> endToEnd(BenchReplicas runtime, ErpTarget erp, int count, Samples rate, Samples cpuPerAccount,
            Samples cpuAboveIdle, Samples idle, String cpuPartsMeasure) throws Exception {
        MachineCpu cpu = erp.withCpuParts(wholeFlowCpu(runtime));
        Map<String, Double> idlePerSecond = idleCpu(cpu);
        double idleMillisPerSecond = idlePerSecond.get(RUNTIME_PART);
        idle.add(idleMillisPerSecond);
        Map<String, Long> partsBefore = cpu.read();
        long cpuBefore = runtime.cpuMillis();
        long jitBefore = runtime.jitCpuMillis();
        long start = System.nanoTime();
        List<String> ids = inParallel(count, i -> REP.get().create("Account", account("Bench " + i)));
        awaitSynced(ids);
        double seconds = (System.nanoTime() - start) / 1e9;
        rate.add(ratePerSecond(count, start));
        if (cpuPartsMeasure != null) {
            Map<String, Double> perAccount = MachineCpu.perUnit(partsBefore, cpu.read(), count);
            recordCpuParts(cpuPartsMeasure, perAccount);
            // part of the runtime's row, not a process of its own: not in the sum
            sample(cpuPartsMeasure + ", runtime CPU-ms per account: of it, JIT compiler threads")
                    .add((runtime.jitCpuMillis() - jitBefore) / (double) count);
            perAccount.forEach((part, millis) -> sample(cpuPartsMeasure + ", CPU-ms per account above idle: " + part)
                    .add(Math.max(0, millis - idlePerSecond.get(part) * seconds / count)));
        }
        long used = runtime.cpuMillis() - cpuBefore;
        cpuPerAccount.add(used / (double) count);
        cpuAboveIdle.add(Math.max(0, used - idleMillisPerSecond * seconds) / count);
        assertAppliedOnce(ids, erp);
        return ids;
    }

    /**
     * CPU-ms per second of each part with nothing to do (consumers polling, timers), over a 3 s window (a measurement
     * window, not a wait).
     */
    private static Map<String, Double> idleCpu(MachineCpu cpu) {
        Map<String, Long> before = cpu.read();
        long start = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> perSecond = new HashMap<>();
        MachineCpu.perUnit(before, cpu.read(), 1).forEach((part, millis) -> perSecond.put(part, millis / seconds));
        return perSecond;
    }

    /** Accounts created at a steady pace; latency from Salesforce's commit (the create returned) to the ERP party. */
    private void pacedLatency(int rep) throws Exception {
        int total = PACED_RATE * PACED_SECONDS;
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, Long> inErpAt = new ConcurrentHashMap<>();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (Map<String, Object> party : tryton.parties()) {
                for (Object key : (List<?>) party.get("identifiers")) {
                    if (committedAt.containsKey(key)) {
                        inErpAt.putIfAbsent((String) key, now);
                    }
                }
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        List<Future<?>> creates = new ArrayList<>();
        AtomicInteger issued = new AtomicInteger();
        long periodNanos = 1_000_000_000L / PACED_RATE;
        long start = System.nanoTime();
        pacer.scheduleAtFixedRate(() -> {
            int i = issued.getAndIncrement();
            if (i < total) {
                synchronized (creates) {
                    creates.add(clients.submit(() -> {
                        String id = REP.get().create("Account", account("Paced " + rep + "-" + i));
                        committedAt.put(id, System.nanoTime());
                        return id;
                    }));
                }
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        await().atMost(LONG).until(() -> issued.get() >= total);
        pacer.shutdownNow();
        List<String> ids = new ArrayList<>();
        synchronized (creates) {
            for (Future<?> create : creates) {
                ids.add((String) create.get());
            }
        }
        sample("Paced: offered accounts/s").add(ratePerSecond(total, start));
        try {
            await().atMost(LONG).pollInterval(Duration.ofMillis(50)).until(() -> inErpAt.size() >= ids.size());
        } finally {
            watcher.shutdownNow();
        }
        Samples latencies = new Samples();
        ids.forEach(id -> latencies.add(Math.max(0, inErpAt.get(id) - committedAt.get(id)) / 1e6));
        sample("Paced: commit -> ERP p50, ms").add(latencies.percentile(50));
        sample("Paced: commit -> ERP p95, ms").add(latencies.percentile(95));
        sample("Paced: commit -> ERP p99, ms").add(latencies.percentile(99));
        sample("Paced: commit -> ERP max, ms").add(latencies.max());
        awaitSynced(ids); // the rest of the flow drains before the next measure
        assertAppliedOnce(ids, EMULATED_ERP);
    }

    /** Activated orders (one-time + recurring line) until the ERP accepted each and billing activated it. */
    private void orders(BenchReplicas runtime, List<String> accounts) throws Exception {
        long cpuBefore = runtime.cpuMillis();
        long start = System.nanoTime();
        List<String> orders = inParallel(accounts.size(), i -> SandboxSalesforce.activatedOrder(REP.get(), accounts.get(i),
                SandboxSalesforce.orderLine("ONBOARDING", "One-Time", 1, 500, null),
                SandboxSalesforce.orderLine("STANDARD", "Recurring", 2, 10, "Monthly")));
        await().atMost(LONG).pollInterval(Duration.ofMillis(50)).until(() -> orders.stream().allMatch(id -> {
            Map<String, Object> order = salesforce.record("Order", id);
            return "Accepted".equals(order.get("ERP_Status__c")) && order.get("Billing_Status__c") != null;
        }));
        sample("Orders, orders/s").add(ratePerSecond(orders.size(), start));
        sample("Orders, runtime CPU-ms per order").add((runtime.cpuMillis() - cpuBefore) / (double) orders.size());
        Set<String> numbers = new HashSet<>();
        orders.forEach(id -> numbers.add(String.valueOf(salesforce.record("Order", id).get("OrderNumber"))));
        Map<String, Integer> sales = new HashMap<>();
        tryton.sales().forEach(sale -> sales.merge(String.valueOf(sale.get("reference")), 1, Integer::sum));
        assertThat(numbers).allSatisfy(number -> assertThat(sales.get(number)).as("ERP sales of order %s", number).isEqualTo(1));
    }

    /** What the broker takes from one plain producer: 1 KiB records, acks=all, as kafka-producer-perf-test sends them. */
    private void rawProducer(int rep) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        byte[] value = new byte[1024];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor("bench.raw-producer"); // topic created and metadata known before the clock starts
            long start = System.nanoTime();
            for (int i = 0; i < CATCH_UP_EVENTS; i++) {
                producer.send(new ProducerRecord<>("bench.raw-producer", "key-" + rep + "-" + i, value));
            }
            producer.flush();
            sample("Kafka producer alone, records/s").add(ratePerSecond(CATCH_UP_EVENTS, start));
        }
    }

    /**
     * Salesforce -> Kafka catch-up: change events retained while the runtime was down, published once the subscription
     * is open again. Only the inbound route (and the dead-letter route) run, so downstream flows take no CPU from it.
     */
    private void catchUp(Path routeFiles, String measure) throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        long retainedBefore = salesforce.latestReplayId(CDC_TOPIC);
        Set<String> created = new HashSet<>(inParallel(CATCH_UP_EVENTS, i -> REP.get().create("Account", account("Catch-up " + i))));
        // the same retained events streamed to a client that does nothing with them: the emulated org's own limit
        sample("Pub/Sub emulator to a bare client, events/s").add(BarePubSubClient.stream(salesforce, pubSubPort, REP.get(),
                CDC_TOPIC, retainedBefore, CATCH_UP_EVENTS, LONG));
        Path routes = routeSubset("routes-catch-up", routeFiles, List.of("salesforce-account-inbound.camel.yaml", "dead-letter.camel.yaml"));
        try (BenchRuntime runtime = startRuntime(routes, Map.of())) {
            await().atMost(LONG).pollInterval(Duration.ofMillis(5)).until(() -> salesforce.subscriptions(CDC_TOPIC) == 1);
            long cpuBefore = runtime.meter.cpuMillis();
            long start = System.nanoTime();
            Map<String, Integer> published = readAccountEvents(before, created);
            sample(measure + ", events/s").add(ratePerSecond(CATCH_UP_EVENTS, start));
            sample(measure + ", runtime CPU-ms per event").add((runtime.meter.cpuMillis() - cpuBefore) / (double) CATCH_UP_EVENTS);
            sample("Runtime peak RSS, MB (" + measure + ")").add(runtime.meter.takePeakRssMb());
            // a set difference: AssertJ's containsAll scans the actual values once per expected one (100,000^2)
            Set<String> missing = new HashSet<>(created);
            missing.removeAll(published.keySet());
            assertThat(missing).as("every retained change published").isEmpty();
            assertThat(published.values()).as("each once").allMatch(n -> n == 1);
        }
    }

    // --- helpers

    /** A route directory of the benchmark's own, holding only these files of routeFiles. */
    private static Path routeSubset(String directory, Path routeFiles, List<String> files) throws IOException {
        Path routes = WORK.resolve(directory);
        Files.createDirectories(routes);
        for (String route : files) {
            Files.copy(routeFiles.resolve(route), routes.resolve(route), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return routes;
    }

    /**
     * The benchmark JVM in two parts: its clients and the measuring thread, and the rest: the emulators serving them
     * (plus this JVM's GC and JIT, which both share).
     */
    private static MachineCpu benchJvmCpu() {
        return new MachineCpu()
                .part("emulators (benchmark JVM less its clients)", () -> MachineCpu.thisProcess() - MachineCpu.threads(RuntimeBenchmark::isBenchClient))
                .part("benchmark clients (8 threads and the poller)", () -> MachineCpu.threads(RuntimeBenchmark::isBenchClient));
    }

    /** Every process the account flow runs on: the runtime, the emulators, the Kafka broker and PostgreSQL. */
    private static MachineCpu wholeFlowCpu(BenchReplicas runtime) {
        String kafkaHome = WORK.resolve("kafka").toString();
        String backendTitle = "postgres: " + DB_USER + " ";
        return benchJvmCpu()
                .part(RUNTIME_PART, runtime::cpuMillis)
                .part("Kafka broker JVM", MachineCpu.processesEverSeen(cmd -> cmd.contains("kafka.Kafka") && cmd.contains(kafkaHome)))
                // the backends of the runtime's database user; other users' sessions (Tryton's database) are not counted
                .part("PostgreSQL backends of user " + DB_USER, MachineCpu.processesEverSeen(cmd -> cmd.startsWith(backendTitle)));
    }

    private static boolean isBenchClient(Thread thread) {
        return thread.getName().startsWith(CLIENT_THREAD) || thread == measuring;
    }

    /**
     * One sample per part, their sum, and the rate the machine's cores could carry at that CPU per account if nothing
     * else ran: cores x 1000 ms / (CPU-ms per account of all parts).
     */
    private void recordCpuParts(String measure, Map<String, Double> perAccount) {
        perAccount.forEach((part, millis) -> sample(measure + ", CPU-ms per account: " + part).add(millis));
        double all = perAccount.values().stream().mapToDouble(Double::doubleValue).sum();
        sample(measure + ", CPU-ms per account: all these processes").add(all);
        sample(measure + ", accounts/s the cores allow at that CPU (cores x 1000 / all)")
                .add(Runtime.getRuntime().availableProcessors() * 1000.0 / all);
    }

    private Samples sample(String measure) {
        return results.computeIfAbsent(measure, m -> new Samples());
    }

    /** Instances of the runtime on these route files; more than one elect their leader by file, as in ScaleOutIT. */
    private static BenchReplicas startReplicas(Path routes, int count) throws IOException {
        List<BenchRuntime> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> env = new HashMap<>();
            // the partitions shared out: more consumers than partitions would only stand idle
            env.put("KAFKA_CONSUMERS_PER_ROUTE", String.valueOf(Math.max(1, PARTITIONS / count)));
            if (count > 1) {
                env.put("REVOPS_LEADER_ELECTION", "file");
                env.put("REVOPS_LEADER_ELECTION_DIR", WORK.resolve("leader").toString());
                env.put("POD_NAME", "bench-replica-" + i);
            }
            instances.add(startRuntime(routes, env));
        }
        return new BenchReplicas(instances);
    }

    private static BenchRuntime startRuntime(Path routes, Map<String, String> more) throws IOException {
        int httpPort = freePort();
        Map<String, String> env = PackagedRuntime.environment(httpPort, freePort(), salesforce, pubSubPort, tryton, killBill);
        env.put("MANAGEMENT_PORT", String.valueOf(freePort()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("DB_URL", PackagedRuntime.inSchema(DB_URL, SCHEMA));
        env.put("DB_USER", DB_USER);
        env.put("DB_PASSWORD", DB_PASSWORD);
        env.put("KILLBILL_API_SECRET", "revops-api-secret-for-bench");
        env.put("KAFKA_CONSUMERS_PER_ROUTE", String.valueOf(PARTITIONS));
        env.put("REVOPS_ROUTES_DIR", routes.toAbsolutePath().toString());
        env.put("REVOPS_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        PRODUCTION_ENVIRONMENT.forEach(line -> env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        env.putAll(more);
        Path log = WORK.resolve("runtime-" + runtimeStarts.incrementAndGet() + ".log");
        List<String> jvmOptions = new ArrayList<>(List.of("-XX:MaxRAM=" + RUNTIME_MAX_RAM));
        jvmOptions.addAll(PRODUCTION_JVM_OPTIONS);
        String extra = RUNTIME_JVM_OPTIONS.replace("{n}", String.valueOf(runtimeStarts.get()));
        if (!extra.isBlank()) {
            jvmOptions.addAll(List.of(extra.trim().split("\\s+")));
        }
        return BenchRuntime.start(env, salesforce, log, jvmOptions);
    }

    /** The lines of a file in src/main/image, without comments and blank lines. */
    private static List<String> imageSettings(String file) {
        try {
            return Files.readAllLines(Path.of("src", "main", "image", file)).stream().map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> account(String name) {
        return Map.of("Name", name, "BillingCity", "Springfield", "CurrencyIsoCode", "USD");
    }

    /** Runs count tasks on the client pool; their results in task order. */
    private static <T> List<T> inParallel(int count, IntFunction<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(clients.submit(() -> task.apply(n)));
        }
        List<T> results = new ArrayList<>(count);
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    /** In the ERP, in billing and the ERP customer number back on the Salesforce account: the whole account flow. */
    private static void awaitSynced(Collection<String> ids) {
        // polled on the measuring thread, whose CPU is the benchmark's, not the emulators' (MachineCpu)
        await().atMost(LONG).pollInSameThread().pollInterval(Duration.ofMillis(25)).until(() -> ids.stream()
                .allMatch(id -> salesforce.record("Account", id).get("ERP_Customer_Number__c") != null));
        await().atMost(LONG).pollInSameThread().pollInterval(Duration.ofMillis(100)).until(() -> {
            Set<Object> inBilling = new HashSet<>();
            killBill.accounts().forEach(a -> inBilling.add(a.get("externalKey")));
            return inBilling.containsAll(ids);
        });
    }

    /** Each account one party in the ERP, whose customer number is the one written back, and one billing account. */
    private static void assertAppliedOnce(Collection<String> ids, ErpTarget erp) {
        Map<String, List<String>> customerNumbers = erp.customerNumbersByKey(ids);
        Map<Object, Integer> billing = new HashMap<>();
        killBill.accounts().forEach(a -> billing.merge(a.get("externalKey"), 1, Integer::sum));
        assertThat(ids).allSatisfy(id -> {
            assertThat(customerNumbers.getOrDefault(id, List.of())).as("customer numbers of the ERP parties of %s", id)
                    .containsExactly(String.valueOf(salesforce.record("Account", id).get("ERP_Customer_Number__c")));
            assertThat(billing.get(id)).as("billing accounts of %s", id).isEqualTo(1);
        });
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(ACCOUNT_TOPIC)) {
                partitions.add(new TopicPartition(ACCOUNT_TOPIC, info.partition()));
            }
            return consumer.endOffsets(partitions);
        }
    }

    /** Reads revops.account.v1 from the given offsets until every expected key was seen; how often each was. */
    private static Map<String, Integer> readAccountEvents(Map<TopicPartition, Long> from, Set<String> expected) {
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + LONG.toNanos();
            while (!seen.keySet().containsAll(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (expected.contains(record.key())) {
                        seen.merge(record.key(), 1, Integer::sum);
                    }
                }
            }
        }
        return seen;
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props);
    }

    private static double ratePerSecond(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port whose successor is free too (the Kafka broker's controller listens on port + 1). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no two adjacent free ports");
    }

    // --- the table

    private void report() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%nRevOps Bridge benchmark: %d repetitions, %d clients, %d accounts per sync run, %d/s for %d s paced, "
                + "%d orders, %,d catch-up events, %d partitions, scale-out to %d replicas; %d cores, %s %s%n", REPETITIONS, CLIENTS,
                ACCOUNTS, PACED_RATE, PACED_SECONDS, ORDERS, CATCH_UP_EVENTS, PARTITIONS, REPLICAS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version")));
        if (MEASURES.contains("real-erp")) {
            table.append(String.format("Real Tryton %s (database %s): %d accounts per sync and baseline run, the account flow's routes only%n",
                    RealTryton.URL, RealTryton.DATABASE, REAL_ERP_ACCOUNTS));
        }
        table.append("| Measure | min / median / max |\n|---|---|\n");
        results.forEach((measure, samples) -> table.append("| ").append(measure).append(" | ")
                .append(samples.summary(measure.contains("/s") ? "%.1f" : "%.2f")).append(" |\n"));
        if (results.containsKey("Account sync, accounts/s")) {
            table.append("| Ratio: account sync / ERP alone | ")
                    .append(sample("Account sync, accounts/s").ratioTo(sample("ERP alone, accounts/s")).summary("%.2f")).append(" |\n");
        }
        if (results.containsKey("Account sync with the real Tryton, accounts/s")) {
            table.append("| Ratio: account sync with the real Tryton / real Tryton alone | ")
                    .append(sample("Account sync with the real Tryton, accounts/s").ratioTo(sample("Real Tryton alone, accounts/s"))
                            .summary("%.2f")).append(" |\n");
        }
        String scaledOut = "Account sync, " + REPLICAS + " replicas, accounts/s";
        if (results.containsKey(scaledOut)) {
            table.append("| Ratio: account sync with ").append(REPLICAS).append(" replicas / ERP alone (scale-out part) | ")
                    .append(sample(scaledOut).ratioTo(sample("ERP alone (scale-out part), accounts/s")).summary("%.2f")).append(" |\n");
            table.append(String.format("| Scale-out: %d replicas / 1, medians of account sync (ratios to ERP alone) | %.2f (%.2f) |%n",
                    REPLICAS, sample(scaledOut).median() / sample("Account sync, accounts/s").median(),
                    sample(scaledOut).ratioTo(sample("ERP alone (scale-out part), accounts/s")).median()
                            / sample("Account sync, accounts/s").ratioTo(sample("ERP alone, accounts/s")).median()));
        }
        if (results.containsKey("Catch-up, events/s")) {
            table.append("| Ratio: catch-up / Kafka producer alone | ")
                    .append(sample("Catch-up, events/s").ratioTo(sample("Kafka producer alone, records/s")).summary("%.3f")).append(" |\n");
        }
        System.out.println(table);
        Files.writeString(WORK.resolve("results.md"), table.toString());
    }
}
