package io.revops.bridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * Common ground of the HTTP emulators (Salesforce REST over HTTPS, Tryton JSON-RPC, Kill Bill REST): a JDK HTTP
 * server on 127.0.0.1, per-call counting for tests, and fault injection (the next N calls answer with an HTTP error,
 * as an overloaded or restarting system does).
 */
public abstract class HttpEmulator implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static {
        // The JDK server writes a response's headers and body separately: without TCP_NODELAY, Nagle holds the body
        // until the client's delayed ACK, about 40 ms per response with a body. Read once, before the first server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final int port;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(0);
    private volatile int failureStatus;
    private HttpServer server;
    private ExecutorService executor;

    private record Fault(AtomicInteger left, int status) {
    }

    protected HttpEmulator(int port) {
        this.port = port;
    }

    /** Answers one request; the exchange is closed afterwards. */
    protected abstract void handle(HttpExchange exchange) throws IOException;

    /** Whether the emulator serves HTTPS only, as Salesforce does; the others speak plain HTTP. */
    protected boolean https() {
        return false;
    }

    /** The TLS identity of an HTTPS emulator, asked for when it starts. */
    protected SSLContext tls() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " serves plain HTTP");
    }

    /** Requests that fault injection spares (e.g. a login endpoint). */
    protected boolean injectsFaults(HttpExchange exchange) {
        return true;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            if (https()) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls()));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(getClass().getSimpleName() + " cannot listen on 127.0.0.1:" + port, e);
        }
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (injectsFaults(exchange)) {
                    awaitResume();
                }
                if (injectsFaults(exchange) && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    send(exchange, failureStatus, "text/plain", "injected failure");
                    return;
                }
                handle(exchange);
            } catch (RuntimeException | IOException e) {
                send(exchange, 500, "text/plain", String.valueOf(e));
            }
        });
        server.start();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public String baseUrl() {
        return (https() ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** The next {@code count} calls fail with {@code httpStatus}. */
    public void failNextCalls(int count, int httpStatus) {
        failureStatus = httpStatus;
        failuresLeft.set(count);
    }

    /** Calls hang until {@link #resume()}, as a system that stopped answering without closing connections. */
    public void pause() {
        paused = new java.util.concurrent.CountDownLatch(1);
    }

    public void resume() {
        paused.countDown();
    }

    private void awaitResume() {
        try {
            paused.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many calls of one kind (as named by the emulator, e.g. a JSON-RPC method or "POST /path") it answered. */
    public int callCount(String call) {
        return calls.entrySet().stream().filter(e -> e.getKey().startsWith(call)).mapToInt(e -> e.getValue().get()).sum();
    }

    /**
     * The next {@code count} calls of one kind (as the emulator names them: a JSON-RPC method, "POST /1.0/kb/accounts")
     * fail with {@code httpStatus}: an outage in the middle of a sequence of calls, where {@link #failNextCalls(int, int)}
     * hits the next call whatever it is (a poller's, say).
     */
    public void failNextCalls(String call, int count, int httpStatus) {
        faults.put(call, new Fault(new AtomicInteger(count), httpStatus));
    }

    /** Counts a call; if a failure of its kind is due, answers with it and returns true. */
    protected boolean countAndFail(HttpExchange exchange, String call) throws IOException {
        calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
        Fault fault = faults.get(call);
        if (fault != null && fault.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, fault.status(), "text/plain", "injected failure");
            return true;
        }
        return false;
    }

    protected static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    }

    protected static String readText(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    protected static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    protected static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null && bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** A query parameter of the request, decoded; null when absent. */
    protected static String query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
