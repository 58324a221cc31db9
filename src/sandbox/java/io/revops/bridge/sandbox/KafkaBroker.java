package io.revops.bridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jboss.logging.Logger;

/**
 * A real single-node Kafka broker (KRaft, broker + controller in one process) in its own JVM, for the embedded
 * default and the tests. The broker jars are resolved once from Maven Central by src/sandbox/kafka-broker/pom.xml
 * into target/kafka-broker/lib. A broker already listening on the port is reused, so dev-mode reloads and test
 * classes that restart Quarkus share one broker; it is stopped when the JVM that started it exits.
 */
public final class KafkaBroker {
    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String JVM_OPTIONS = "revops.sandbox.kafka.jvm-options";

    private final int port;
    private final Path home;

    public KafkaBroker(int port, Path home) {
        this.port = port;
        this.home = home.toAbsolutePath();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public void ensureRunning() {
        if (listening(port)) {
            LOG.infof("Reusing the Kafka broker on %s", bootstrapServers());
            return;
        }
        long start = System.nanoTime();
        try {
            Path lib = ensureBrokerJars();
            Path data = home.resolve("data-" + port);
            deleteRecursively(data);
            Files.createDirectories(data);
            Path config = writeConfig(data);
            Path log4j = writeLog4jConfig();
            String classpath = lib.toAbsolutePath() + "/*";
            run(List.of(java(), "-cp", classpath, "-Dlog4j2.configurationFile=" + log4j,
                    "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                    home.resolve("format.log"));
            // One node on a small machine: the serial collector, the heap sized up front. With G1 growing from 64 MB
            // the benchmark's broker ran back-to-back collections (humongous fetch buffers, heap resizing) and G1's
            // concurrent threads competed for the two cores the runtime needs.
            List<String> command = new ArrayList<>(List.of(java(), "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4j));
            command.addAll(extraJvmOptions());
            command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
            Process broker = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("broker-" + port + ".log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker), "kafka-broker-stop"));
            awaitReady(broker);
            LOG.infof("Kafka broker ready on %s in %d ms (log: %s)", bootstrapServers(),
                    (System.nanoTime() - start) / 1_000_000, home.resolve("broker-" + port + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sandbox Kafka broker", e);
        }
    }

    /** JVM options for the broker from {@value #JVM_OPTIONS} (space-separated), e.g. to profile it with JFR. */
    private static List<String> extraJvmOptions() {
        String options = System.getProperty(JVM_OPTIONS, "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    private Path ensureBrokerJars() throws IOException, InterruptedException {
        Path lib = Path.of("target", "kafka-broker", "lib");
        if (Files.isDirectory(lib) && Files.exists(lib.resolve(".complete"))) {
            return lib;
        }
        Path pom = Path.of("src", "sandbox", "kafka-broker", "pom.xml");
        if (!Files.exists(pom)) {
            throw new IllegalStateException("the sandbox Kafka broker needs " + pom.toAbsolutePath()
                    + " (run from the project directory) or an external broker (KAFKA_BOOTSTRAP_SERVERS)");
        }
        LOG.info("Resolving the Kafka broker jars from Maven (first run only)");
        Files.createDirectories(home);
        List<String> command = new ArrayList<>(List.of(maven(), "-q", "-B", "-f", pom.toString(), "package"));
        run(command, home.resolve("resolve.log"));
        Files.writeString(lib.resolve(".complete"), "");
        return lib;
    }

    private static String maven() {
        Path wrapper = Path.of("mvnw").toAbsolutePath();
        if (Files.isExecutable(wrapper)) {
            return wrapper.toString();
        }
        String mavenHome = System.getProperty("maven.home");
        return mavenHome != null ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
    }

    private Path writeConfig(Path data) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + (port + 1));
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1));
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", data.toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // a single-node broker serving a handful of clients: two threads each, not a data centre's 3 network and 8 I/O
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        // the default 128 MiB cleaner buffer alone costs ~100 MB of RSS
        p.setProperty("log.cleaner.dedupe.buffer.size", "8388608");
        Path file = home.resolve("server-" + port + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "sandbox broker, generated by io.revops.bridge.sandbox.KafkaBroker");
        }
        return file;
    }

    private Path writeLog4jConfig() throws IOException {
        Path file = home.resolve("log4j2.properties");
        Files.writeString(file, """
                status = warn
                appender.out.type = Console
                appender.out.name = OUT
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c{1})%n
                rootLogger.level = WARN
                rootLogger.appenderRef.out.ref = OUT
                logger.server.name = kafka.server.KafkaRaftServer
                logger.server.level = INFO
                """);
        return file;
    }

    private void awaitReady(Process broker) throws InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the sandbox Kafka broker exited with " + broker.exitValue()
                            + "; see " + home.resolve("broker-" + port + ".log"));
                }
                try {
                    admin.listTopics().names().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        broker.destroyForcibly();
                        throw new IllegalStateException("the sandbox Kafka broker was not ready within " + READY_TIMEOUT);
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
        }
    }

    private static void stop(Process broker) {
        broker.destroy();
        try {
            if (!broker.waitFor(20, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        } catch (InterruptedException e) {
            broker.destroyForcibly();
        }
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
