package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import io.revops.bridge.testing.FreePorts;

/**
 * Logging in to the emulated org as Salesforce documents it: the OAuth grants and their refusals (error and
 * error_description as a real org words them), the JWT bearer flow through the real camel-salesforce client and with
 * hostile assertions, SOAP login() on the partner and enterprise endpoints, the identity URL and userinfo, revoke,
 * session expiry answered by camel-salesforce's re-login, a Pub/Sub stream (Salesforce's generated stubs) ended by the
 * end of its session, and HTTPS only.
 */
class SalesforceLoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PUBSUB_PORT = FreePorts.any();
    private static final SalesforceEmulator ORG = new SalesforceEmulator(FreePorts.any(), PUBSUB_PORT,
            Path.of("target", "sandbox-test", "salesforce-login"));
    private static HttpClient http;
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        ORG.start();
        SandboxClients.trust(ORG);
        http = SandboxClients.httpClient(ORG);
        camel = new DefaultCamelContext();
        camel.addComponent("salesforce-jwt", component(AuthenticationType.JWT));
        camel.addComponent("salesforce", component(AuthenticationType.USERNAME_PASSWORD));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        ORG.close();
    }

    private static SalesforceComponent component(AuthenticationType type) {
        SalesforceComponent salesforce = new SalesforceComponent();
        salesforce.setLoginUrl(ORG.loginUrl());
        salesforce.setClientId("sandbox-client");
        salesforce.setUserName("integration@revops.sandbox");
        salesforce.setAuthenticationType(type);
        if (type == AuthenticationType.JWT) {
            KeyStoreParameters keystore = new KeyStoreParameters();
            keystore.setResource("file:" + ORG.jwtSigningKeyStore());
            keystore.setPassword(ORG.trustStorePassword());
            keystore.setType("PKCS12");
            salesforce.setKeystore(keystore);
        } else {
            salesforce.setClientSecret("sandbox-secret");
            salesforce.setPassword("sandbox");
        }
        salesforce.setPubSubHost("127.0.0.1");
        salesforce.setPubSubPort(PUBSUB_PORT);
        return salesforce;
    }

    @Test
    void theRealClientLogsInWithAJwtBearerAssertionOverHttps() throws Exception {
        assertThat(ORG.loginUrl()).startsWith("https://");
        String id = json(template.requestBody("salesforce-jwt:createSObject?sObjectName=Account&rawPayload=true",
                "{\"Name\":\"Signed in\"}", String.class)).get("id").asText();
        assertThat(ORG.record("Account", id)).containsEntry("Name", "Signed in");
    }

    @Test
    void refusalsOfTheTokenEndpointAreSalesforces() throws Exception {
        assertRefused(password("someone-else", "sandbox-secret", "sandbox"), "invalid_client_id", "client identifier invalid");
        assertRefused(password("sandbox-client", "wrong", "sandbox"), "invalid_client", "invalid client credentials");
        assertRefused(password("sandbox-client", "sandbox-secret", "wrong"), "invalid_grant", "authentication failure");
        assertRefused(Map.of("grant_type", "authorization_code", "client_id", "sandbox-client", "code", "x"),
                "unsupported_grant_type", "grant type not supported");
        assertRefused(Map.of("client_id", "sandbox-client"), "unsupported_grant_type", "grant type not supported");
        assertRefused(Map.of("grant_type", "refresh_token", "client_id", "sandbox-client", "client_secret", "sandbox-secret",
                "refresh_token", "made-up"), "invalid_grant", "expired access/refresh token");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/oauth2/token"
                + "?grant_type=password")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(400);
        assertThat(json(get.body()).get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void aPasswordLoginAnswersAsSalesforceWithoutARefreshToken() throws Exception {
        JsonNode token = json(tokenEndpoint(password("sandbox-client", "sandbox-secret", "sandbox")).body());
        assertThat(token.get("access_token").asText()).startsWith("00D000000000001!");
        assertThat(token.get("instance_url").asText()).isEqualTo(ORG.loginUrl());
        assertThat(token.get("id").asText()).isEqualTo(ORG.loginUrl() + "/id/00D000000000001AAA/005000000000001AAA");
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.has("refresh_token")).isFalse();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("sandbox-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(token.get("signature").asText()).isEqualTo(Base64.getEncoder().encodeToString(
                mac.doFinal((token.get("id").asText() + token.get("issued_at").asText()).getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void hostileJwtAssertionsAreRefusedAsSalesforceRefusesThem() throws Exception {
        PrivateKey ours = sandboxSigningKey();
        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        long inFiveMinutes = Instant.now().plusSeconds(300).getEpochSecond();
        String aud = ORG.loginUrl();

        assertThat(tokenEndpoint(jwt(jwtAssertion(ours, "sandbox-client", "integration@revops.sandbox", aud, inFiveMinutes)))
                .statusCode()).isEqualTo(200);
        assertRefused(jwt(jwtAssertion(stranger, "sandbox-client", "integration@revops.sandbox", aud, inFiveMinutes)),
                "invalid_grant", "invalid assertion");
        assertRefused(jwt(jwtAssertion(ours, "sandbox-client", "integration@revops.sandbox", aud,
                Instant.now().minusSeconds(1).getEpochSecond())), "invalid_grant", "expired access/refresh token");
        assertRefused(jwt(jwtAssertion(ours, "sandbox-client", "integration@revops.sandbox", "https://login.salesforce.com",
                inFiveMinutes)), "invalid_grant", "audience is invalid");
        assertRefused(jwt(jwtAssertion(ours, "sandbox-client", "ceo@revops.sandbox", aud, inFiveMinutes)),
                "invalid_grant", "user hasn't approved this consumer");
        assertRefused(jwt(jwtAssertion(ours, "someone-else", "integration@revops.sandbox", aud, inFiveMinutes)),
                "invalid_client_id", "client identifier invalid");
        String unsigned = b64("{\"alg\":\"none\"}") + "." + b64("{\"iss\":\"sandbox-client\",\"sub\":\"integration@revops.sandbox\","
                + "\"aud\":\"" + aud + "\",\"exp\":" + inFiveMinutes + "}") + ".";
        for (String garbage : new String[] {unsigned, "", "a.b", "%%%.%%%.%%%", "e30.e30.e30", "null.null.null"}) {
            assertRefused(jwt(garbage), "invalid_grant", "invalid assertion");
        }
    }

    @Test
    void aConfiguredConnectedAppCertificateDecidesWhoseAssertionsAreGood() throws Exception {
        SelfSignedCertificate users = SelfSignedCertificate.jwtSigning(Path.of("target", "sandbox-test", "users-own-key"));
        users.ensureExists();
        long inFiveMinutes = Instant.now().plusSeconds(300).getEpochSecond();
        ORG.setConnectedAppCertificate(users.certificatePem());
        try {
            assertThat(tokenEndpoint(jwt(jwtAssertion(privateKey(users.keyStore()), "sandbox-client",
                    "integration@revops.sandbox", ORG.loginUrl(), inFiveMinutes))).statusCode()).isEqualTo(200);
            assertRefused(jwt(jwtAssertion(sandboxSigningKey(), "sandbox-client", "integration@revops.sandbox",
                    ORG.loginUrl(), inFiveMinutes)), "invalid_grant", "invalid assertion");
        } finally {
            ORG.setConnectedAppCertificate(ORG.jwtSigningKeyStore().resolveSibling("jwt-signing.pem"));
        }
    }

    @Test
    void soapLoginOnThePartnerAndEnterpriseEndpointsGivesASessionForRest() throws Exception {
        for (String api : new String[] {"u", "c"}) {
            HttpResponse<String> response = soapLogin(api, "integration@revops.sandbox", "sandbox");
            assertThat(response.statusCode()).isEqualTo(200);
            String body = response.body();
            assertThat(body).contains("xmlns=\"urn:" + (api.equals("u") ? "partner" : "enterprise") + ".soap.sforce.com\"")
                    .contains("<loginResponse><result><metadataServerUrl>" + ORG.loginUrl() + "/services/Soap/m/59.0/00D000000000001AAA")
                    .contains("<passwordExpired>false</passwordExpired>")
                    .contains("<serverUrl>" + ORG.loginUrl() + "/services/Soap/" + api + "/59.0/00D000000000001AAA</serverUrl>")
                    .contains("<userId>005000000000001AAA</userId>")
                    .contains("<organizationId>00D000000000001AAA</organizationId>")
                    .contains("<userName>integration@revops.sandbox</userName>");
            String sessionId = body.replaceAll("(?s).*<sessionId>([^<]+)</sessionId>.*", "$1");
            assertThat(restStatus(sessionId)).isEqualTo(200);
        }
    }

    @Test
    void aWrongSoapPasswordIsTheInvalidLoginFault() throws Exception {
        HttpResponse<String> response = soapLogin("u", "integration@revops.sandbox", "wrong");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("<faultcode>sf:INVALID_LOGIN</faultcode>")
                .contains("<faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring>")
                .contains("xmlns:sf=\"urn:fault.partner.soap.sforce.com\"");
    }

    @Test
    void hostileSoapIsAFaultAndReadsNoFiles() throws Exception {
        Path secret = Files.writeString(Files.createTempFile("secret", ".txt"), "top-secret-content");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY s SYSTEM \"" + secret.toUri() + "\">]>"
                + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:urn=\"urn:partner.soap.sforce.com\">"
                + "<soapenv:Body><urn:login><urn:username>&s;</urn:username><urn:password>sandbox</urn:password></urn:login>"
                + "</soapenv:Body></soapenv:Envelope>";
        for (String body : new String[] {xxe, "", "not xml", "<a/>", "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"/>"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/Soap/u/59.0"))
                    .header("Content-Type", "text/xml").header("SOAPAction", "login")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("<soapenv:Fault>").doesNotContain("top-secret-content").doesNotContain("sessionId");
        }
    }

    @Test
    void theIdentityUrlAndUserinfoDescribeTheUser() throws Exception {
        JsonNode token = json(tokenEndpoint(password("sandbox-client", "sandbox-secret", "sandbox")).body());
        String accessToken = token.get("access_token").asText();
        HttpResponse<String> identity = get(token.get("id").asText(), accessToken);
        assertThat(identity.statusCode()).isEqualTo(200);
        JsonNode id = json(identity.body());
        assertThat(id.get("id").asText()).isEqualTo(token.get("id").asText());
        assertThat(id.get("user_id").asText()).isEqualTo("005000000000001AAA");
        assertThat(id.get("organization_id").asText()).isEqualTo("00D000000000001AAA");
        assertThat(id.get("username").asText()).isEqualTo("integration@revops.sandbox");
        assertThat(id.get("active").asBoolean()).isTrue();
        assertThat(id.get("user_type").asText()).isEqualTo("STANDARD");
        assertThat(id.at("/urls/rest").asText()).isEqualTo(ORG.loginUrl() + "/services/data/v{version}/");
        assertThat(id.at("/urls/partner").asText()).isEqualTo(ORG.loginUrl() + "/services/Soap/u/{version}/00D000000000001AAA");
        for (String field : new String[] {"asserted_user", "nick_name", "display_name", "email", "language", "locale",
                "utcOffset", "last_modified_date", "urls"}) {
            assertThat(id.has(field)).as(field).isTrue();
        }
        for (String url : new String[] {"enterprise", "metadata", "sobjects", "search", "query", "recent", "profile", "feeds",
                "groups", "users", "feed_items", "custom_domain"}) {
            assertThat(id.at("/urls/" + url).asText()).as(url).startsWith(ORG.loginUrl());
        }

        JsonNode userInfo = json(get(ORG.loginUrl() + "/services/oauth2/userinfo", accessToken).body());
        assertThat(userInfo.get("sub").asText()).isEqualTo(token.get("id").asText());
        assertThat(userInfo.get("preferred_username").asText()).isEqualTo("integration@revops.sandbox");
        assertThat(userInfo.get("organization_id").asText()).isEqualTo("00D000000000001AAA");

        HttpResponse<String> missing = get(token.get("id").asText(), null);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).isEqualTo("Missing_OAuth_Token");
        HttpResponse<String> bad = get(ORG.loginUrl() + "/services/oauth2/userinfo", "00D000000000001!forged");
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).isEqualTo("Bad_OAuth_Token");
        assertThat(get(ORG.loginUrl() + "/id/00D000000000002AAA/005000000000001AAA", accessToken).body()).isEqualTo("Wrong_Org");
        assertThat(get(ORG.loginUrl() + "/id/00D000000000001AAA/005000000000009AAA", accessToken).statusCode()).isEqualTo(404);
    }

    @Test
    void revokeTakesTheTokenFromAFormOrTheQueryAndRefusesAnUnknownOne() throws Exception {
        String posted = accessToken();
        assertThat(send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/oauth2/revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(posted, StandardCharsets.UTF_8))).build())
                .statusCode()).isEqualTo(200);
        assertThat(restStatus(posted)).isEqualTo(401);

        String queried = accessToken();
        assertThat(get(ORG.loginUrl() + "/services/oauth2/revoke?token=" + URLEncoder.encode(queried, StandardCharsets.UTF_8), null)
                .statusCode()).isEqualTo(200);
        assertThat(restStatus(queried)).isEqualTo(401);

        HttpResponse<String> unknown = get(ORG.loginUrl() + "/services/oauth2/revoke?token=" + URLEncoder.encode(queried,
                StandardCharsets.UTF_8), null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("error=invalid_token&error_description=invalid%20token");
        HttpResponse<String> garbage = get(ORG.loginUrl() + "/services/oauth2/revoke?token=%3Cscript%3E", null);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).isEqualTo("error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported");
    }

    @Test
    void revokingARefreshTokenEndsItAndItsSessions() throws Exception {
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", "sandbox-client",
                "client_secret", "sandbox-secret", "refresh_token", "5Aep861sandboxRefreshToken");
        String refreshed = json(tokenEndpoint(refresh).body()).get("access_token").asText();
        assertThat(restStatus(refreshed)).isEqualTo(200);
        // no other test here redeems the refresh token: revoked, it stays revoked for the life of this org
        assertThat(get(ORG.loginUrl() + "/services/oauth2/revoke?token=5Aep861sandboxRefreshToken", null).statusCode())
                .isEqualTo(200);
        assertThat(restStatus(refreshed)).isEqualTo(401);
        assertRefused(refresh, "invalid_grant", "expired access/refresh token");
    }

    @Test
    void anExpiredSessionIsInvalidSessionIdAndTheRealClientLogsInAgain() throws Exception {
        ORG.setSessionTimeout(Duration.ofSeconds(2));
        try {
            camel.addComponent("salesforce-short", component(AuthenticationType.USERNAME_PASSWORD)); // logs in now
            template.requestBody("salesforce-short:query?rawPayload=true&sObjectQuery=SELECT Id FROM Account", null, String.class);
            String shortLived = accessToken(); // issued after the client's: when it has expired, so has the client's
            int issued = ORG.sessionsIssued();
            await().atMost(Duration.ofSeconds(10)).until(() -> restStatus(shortLived) == 401);
            HttpResponse<String> expired = get(ORG.loginUrl() + "/services/data/v59.0/query?q=SELECT+Id+FROM+Account", shortLived);
            assertThat(json(expired.body()).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
            assertThat(json(expired.body()).get(0).get("message").asText()).isEqualTo("Session expired or invalid");

            JsonNode page = json(template.requestBody("salesforce-short:query?rawPayload=true&sObjectQuery=SELECT Id FROM Account",
                    null, String.class));
            assertThat(page.has("records")).isTrue();
            assertThat(ORG.sessionsIssued()).isGreaterThan(issued);
        } finally {
            ORG.setSessionTimeout(Duration.ofHours(2));
        }
    }

    @Test
    void aSubscriptionWhoseSessionEndsIsClosedWithTheAuthErrorAndANewOneIsRefused() throws Exception {
        String topic = "/data/AccountChangeEvent";
        String token = accessToken();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", PUBSUB_PORT)
                .sslContext(GrpcSslContexts.forClient().trustManager(ORG.certificatePem().toFile()).build()).build();
        try {
            List<Object> received = new CopyOnWriteArrayList<>();
            StreamObserver<FetchRequest> requests = pubSub(channel, token).subscribe(collectingInto(received));
            requests.onNext(FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(ReplayPreset.LATEST).setNumRequested(10).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> ORG.subscriptions(topic) == 1);
            createAccount("Before the revoke");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(FetchResponse.class::isInstance));

            get(ORG.loginUrl() + "/services/oauth2/revoke?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null);
            createAccount("After the revoke");

            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(StatusRuntimeException.class::isInstance));
            assertThat(received).filteredOn(FetchResponse.class::isInstance).hasSize(1);
            assertAuthError((StatusRuntimeException) received.stream().filter(StatusRuntimeException.class::isInstance).findFirst().orElseThrow());
            await().atMost(Duration.ofSeconds(10)).until(() -> ORG.subscriptions(topic) == 0);

            List<Object> refused = new CopyOnWriteArrayList<>();
            pubSub(channel, token).subscribe(collectingInto(refused)).onNext(FetchRequest.newBuilder().setTopicName(topic)
                    .setReplayPreset(ReplayPreset.LATEST).setNumRequested(10).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> !refused.isEmpty());
            assertAuthError((StatusRuntimeException) refused.get(0));
        } finally {
            channel.shutdownNow();
        }
    }

    private static PubSubGrpc.PubSubStub pubSub(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
        headers.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), ORG.loginUrl());
        headers.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), "00D000000000001AAA");
        return PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static StreamObserver<FetchResponse> collectingInto(List<Object> received) {
        return new StreamObserver<>() {
            @Override
            public void onNext(FetchResponse response) {
                received.add(response);
            }

            @Override
            public void onError(Throwable error) {
                received.add(error);
            }

            @Override
            public void onCompleted() {
                received.add("completed");
            }
        };
    }

    private static void assertAuthError(StatusRuntimeException error) {
        assertThat(error.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        assertThat(error.getTrailers().get(Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("sfdc.platform.eventbus.grpc.service.auth.error");
    }

    private static void createAccount(String name) throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/data/v59.0/sobjects/Account"))
                .header("Authorization", "Bearer " + accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Name\":\"" + name + "\"}")).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void plainHttpToTheOrgIsRefused() {
        String plain = ORG.loginUrl().replace("https://", "http://");
        assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create(plain + "/services/oauth2/token")).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString(form(password("sandbox-client", "sandbox-secret", "sandbox"))))
                        .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    private static Map<String, String> password(String clientId, String secret, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        form.put("username", "integration@revops.sandbox");
        form.put("password", password);
        return form;
    }

    private static Map<String, String> jwt(String assertion) {
        return Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion);
    }

    private static String jwtAssertion(PrivateKey key, String iss, String sub, String aud, long exp) throws Exception {
        String signed = b64("{\"alg\":\"RS256\"}") + "." + b64("{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"aud\":\""
                + aud + "\",\"exp\":" + exp + "}");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    private static PrivateKey sandboxSigningKey() throws Exception {
        return privateKey(ORG.jwtSigningKeyStore());
    }

    private static PrivateKey privateKey(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, ORG.trustStorePassword().toCharArray());
        }
        return (PrivateKey) store.getKey(store.aliases().nextElement(), ORG.trustStorePassword().toCharArray());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Map<String, String> form, String error, String description) throws Exception {
        HttpResponse<String> response = tokenEndpoint(form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = json(response.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isEqualTo(description);
    }

    private static String accessToken() throws Exception {
        return json(tokenEndpoint(password("sandbox-client", "sandbox-secret", "sandbox")).body()).get("access_token").asText();
    }

    private static HttpResponse<String> tokenEndpoint(Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    private static HttpResponse<String> soapLogin(String api, String user, String password) throws Exception {
        String envelope = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:urn=\"urn:" + (api.equals("u") ? "partner" : "enterprise") + ".soap.sforce.com\"><soapenv:Body><urn:login>"
                + "<urn:username>" + user + "</urn:username><urn:password>" + password + "</urn:password>"
                + "</urn:login></soapenv:Body></soapenv:Envelope>";
        return send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/Soap/" + api + "/59.0"))
                .header("Content-Type", "text/xml; charset=UTF-8").header("SOAPAction", "login")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build());
    }

    private static int restStatus(String token) throws Exception {
        return get(ORG.loginUrl() + "/services/data/v59.0/query?q=SELECT+Id+FROM+Account", token).statusCode();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
