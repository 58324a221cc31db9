package io.revops.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * ReloginSession against a token endpoint that answers only when the test lets it: a login waiting for its token
 * response must not keep camel-salesforce's HTTP client thread (which applies the REST re-login's token response
 * through parseLoginResponse) waiting too, and a started session logs in when the Pub/Sub client asks it to.
 */
class ReloginSessionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final CountDownLatch tokenRequested = new CountDownLatch(1);
    private final CountDownLatch answerToken = new CountDownLatch(1);
    private HttpServer tokenEndpoint;
    private SalesforceHttpClient httpClient;
    private ReloginSession session;

    @BeforeEach
    void start() throws Exception {
        tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.createContext("/services/oauth2/token", this::issueToken);
        tokenEndpoint.setExecutor(Executors.newCachedThreadPool());
        tokenEndpoint.start();
        String loginUrl = "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort();
        httpClient = new SalesforceHttpClient(new SslContextFactory.Client());
        session = new ReloginSession(new DefaultCamelContext(), httpClient,
                new SalesforceLoginConfig(loginUrl, "client", "secret", "user@example.com", "password", false));
        httpClient.setSession(session);
        httpClient.start();
    }

    @AfterEach
    void stop() throws Exception {
        answerToken.countDown();
        httpClient.stop();
        tokenEndpoint.stop(0);
    }

    @Test
    void aLoginWaitingForItsTokenDoesNotBlockTheHttpClientApplyingAnotherOne() throws Exception {
        CompletableFuture<String> pubSubRelogin = CompletableFuture.supplyAsync(this::login);
        assertThat(tokenRequested.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("token requested").isTrue();

        // what SalesforceSecurityHandler does on a Jetty thread with the token response of a REST re-login
        CompletableFuture<Void> restRelogin = CompletableFuture.runAsync(() -> apply("{\"access_token\":\"rest-token\","
                + "\"instance_url\":\"https://example.my.salesforce.com\",\"id\":\"https://login.salesforce.com/id/"
                + "00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\"}"));

        await().atMost(PATIENCE).until(restRelogin::isDone);
        assertThat(restRelogin).isCompleted(); // camel-salesforce's own session waits here until the other login ends
        assertThat(session.getAccessToken()).isEqualTo("rest-token");
        answerToken.countDown();
        assertThat(pubSubRelogin.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("token-1");
    }

    @Test
    void aStartedSessionLogsInWhenThePubSubClientAsksAfterAnAuthError() {
        answerToken.countDown();
        ServiceHelper.startService(session);
        assertThat(tokensIssued).as("logins at start (the routes log in)").hasValue(0);

        session.attemptLoginUntilSuccessful(100, 1000); // PubSubApiClient's answer to auth.error

        assertThat(tokensIssued).hasValue(1);
        assertThat(session.getAccessToken()).isEqualTo("token-1");
    }

    @Test
    void aLoginForATokenAnotherLoginAlreadyReplacedSendsNoRequest() throws SalesforceException {
        answerToken.countDown();
        String first = session.login(null);
        String second = session.login(first);

        assertThat(session.login(first)).as("asked again with the replaced token").isEqualTo(second);
        assertThat(tokensIssued).hasValue(2);
    }

    private String login() {
        try {
            return session.login(session.getAccessToken());
        } catch (SalesforceException e) {
            throw new IllegalStateException(e);
        }
    }

    private void apply(String tokenResponse) {
        ContentResponse ok = (ContentResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ContentResponse.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getStatus")) {
                        return 200;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        try {
            session.parseLoginResponse(ok, tokenResponse);
        } catch (SalesforceException e) {
            throw new IllegalStateException(e);
        }
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        tokenRequested.countDown();
        try {
            answerToken.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String base = "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort();
        byte[] body = ("{\"access_token\":\"token-" + tokensIssued.incrementAndGet() + "\",\"instance_url\":\"" + base
                + "\",\"id\":\"" + base + "/id/00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
