package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.SchemaBuilder;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.testing.FreePorts;

/**
 * The emulator as the REAL camel-salesforce client sees it: OAuth (password and client credentials), REST CRUD,
 * upsert, SOQL with paging, Salesforce error bodies, Change Data Capture over the Pub/Sub API (gRPC, TLS, Avro),
 * and publishing a platform event. If the emulator drifts from what the client expects, this fails.
 */
class SalesforceEmulatorTest {
    private static final int PUB_SUB_PORT = FreePorts.any();
    private static final SalesforceEmulator ORG = new SalesforceEmulator(FreePorts.any(), PUB_SUB_PORT,
            Path.of("target", "sandbox-test", "salesforce"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANGES = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final List<String> ORDERS = java.util.Collections.synchronizedList(new ArrayList<>());
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        ORG.start();
        ORG.registerPlatformEvent("/event/Order_Activated__e", SchemaBuilder.record("Order_Activated__e")
                .namespace("com.sforce.eventbus").fields().requiredLong("CreatedDate").requiredString("CreatedById")
                .optionalString("Order_Number__c").endRecord());
        SandboxClients.trust(ORG);
        camel = new DefaultCamelContext();
        camel.addComponent("salesforce", component(AuthenticationType.USERNAME_PASSWORD));
        camel.addComponent("salesforce-cc", component(AuthenticationType.CLIENT_CREDENTIALS));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("salesforce:pubSubSubscribe:/data/AccountChangeEvent?replayPreset=EARLIEST&pubSubDeserializeType=JSON")
                        .process(e -> CHANGES.add(e.getMessage().getBody(String.class)));
                from("salesforce:pubSubSubscribe:/event/Order_Activated__e?replayPreset=EARLIEST&pubSubDeserializeType=JSON")
                        .process(e -> ORDERS.add(e.getMessage().getBody(String.class)));
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        ORG.close();
    }

    private static SalesforceComponent component(AuthenticationType type) {
        SalesforceComponent salesforce = SandboxClients.component(ORG, PUB_SUB_PORT);
        salesforce.setAuthenticationType(type);
        return salesforce;
    }

    @Test
    void restCrudAndUpsertThroughTheRealClient() throws Exception {
        String id = json(template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true",
                "{\"Name\":\"Acme\",\"BillingCity\":\"Springfield\"}", String.class)).get("id").asText();
        assertThat(id).startsWith("001").hasSize(18);

        template.requestBodyAndHeader("salesforce:upsertSObject?sObjectName=Account&sObjectIdName=Id&rawPayload=true",
                "{\"ERP_Customer_Number__c\":\"C-42\"}", "sObjectIdValue", id);
        JsonNode account = json(template.requestBody("salesforce:getSObject?sObjectName=Account&rawPayload=true&sObjectId=" + id,
                null, String.class));
        assertThat(account.get("Name").asText()).isEqualTo("Acme");
        assertThat(account.get("ERP_Customer_Number__c").asText()).isEqualTo("C-42");
        assertThat(account.at("/attributes/type").asText()).isEqualTo("Account");

        template.requestBody("salesforce:deleteSObject?sObjectName=Account&sObjectId=" + id, (Object) null);
        assertThat(ORG.record("Account", id)).isNull();
    }

    @Test
    void ordersGetTheirNumberFromSalesforceAndTheirProductsAreQueriedByOrder() throws Exception {
        String account = json(template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true",
                "{\"Name\":\"Ordering\"}", String.class)).get("id").asText();
        String order = json(template.requestBody("salesforce:createSObject?sObjectName=Order&rawPayload=true",
                "{\"AccountId\":\"" + account + "\",\"Status\":\"Draft\",\"EffectiveDate\":\"2026-11-22\"}", String.class))
                .get("id").asText();
        for (String product : List.of("ONBOARDING", "STANDARD")) {
            template.requestBody("salesforce:createSObject?sObjectName=OrderItem&rawPayload=true", "{\"OrderId\":\"" + order
                    + "\",\"Product_Code__c\":\"" + product + "\",\"Quantity\":2,\"UnitPrice\":10.5}", String.class);
        }

        assertThat(order).startsWith("801");
        assertThat(ORG.record("Order", order).get("OrderNumber")).asString().matches("\\d{8}");
        JsonNode items = json(template.requestBody("salesforce:query?rawPayload=true&sObjectQuery=SELECT Id, OrderItemNumber,"
                + " Product_Code__c, Quantity, UnitPrice FROM OrderItem WHERE OrderId = '" + order + "' ORDER BY OrderItemNumber",
                null, String.class)).get("records");
        assertThat(items).extracting(i -> i.get("Product_Code__c").asText()).containsExactly("ONBOARDING", "STANDARD");
        assertThat(items.get(0).get("UnitPrice").decimalValue()).isEqualByComparingTo("10.5");
        assertThatThrownBy(() -> template.requestBodyAndHeader("salesforce:updateSObject?sObjectName=Order&rawPayload=true",
                "{\"OrderNumber\":\"1\"}", "sObjectId", order))
                .cause().isInstanceOfSatisfying(SalesforceException.class, e -> assertThat(e.getErrors()).singleElement()
                        .satisfies(error -> assertThat(error.getErrorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE")));
    }

    @Test
    void queriesPageThroughNextRecordsUrl() throws Exception {
        ORG.setQueryPageSize(2);
        for (int i = 0; i < 5; i++) {
            template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true",
                    "{\"Name\":\"Paged " + i + "\",\"Industry\":\"Paging\"}", String.class);
        }
        JsonNode page = json(template.requestBody("salesforce:query?rawPayload=true&sObjectQuery="
                + "SELECT Id, Name FROM Account WHERE Industry = 'Paging'", null, String.class));
        int seen = page.get("records").size();
        while (!page.get("done").asBoolean()) {
            page = json(template.requestBody("salesforce:queryMore?rawPayload=true&sObjectQuery="
                    + page.get("nextRecordsUrl").asText(), null, String.class));
            seen += page.get("records").size();
        }
        assertThat(seen).isEqualTo(5);
        ORG.setQueryPageSize(2000);
    }

    @Test
    void errorsComeBackAsSalesforceErrorBodies() {
        assertThatThrownBy(() -> template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true",
                "{\"Industry\":\"No name\"}", String.class))
                .isInstanceOf(CamelExecutionException.class).cause().isInstanceOfSatisfying(SalesforceException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getErrors()).singleElement().satisfies(
                            error -> assertThat(error.getErrorCode()).isEqualTo("REQUIRED_FIELD_MISSING"));
                });
    }

    @Test
    void clientCredentialsLoginWorksToo() throws Exception {
        JsonNode page = json(template.requestBody("salesforce-cc:query?rawPayload=true&sObjectQuery=SELECT Id FROM Account LIMIT 1",
                null, String.class));
        assertThat(page.has("records")).isTrue();
    }

    @Test
    void everyRestChangeArrivesAsChangeDataCapture() throws Exception {
        String id = json(template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true",
                "{\"Name\":\"Streamed\"}", String.class)).get("id").asText();
        template.requestBodyAndHeader("salesforce:updateSObject?sObjectName=Account&rawPayload=true",
                "{\"Phone\":\"+1 555 0100\"}", "sObjectId", id);
        template.requestBody("salesforce:deleteSObject?sObjectName=Account&sObjectId=" + id, (Object) null);
        ORG.undelete("Account", id);

        await().atMost(Duration.ofSeconds(20)).until(() -> changeTypesOf(id).size() == 4);
        assertThat(changeTypesOf(id)).containsExactly("CREATE", "UPDATE", "DELETE", "UNDELETE");
        JsonNode update = CHANGES.stream().map(SalesforceEmulatorTest::json)
                .filter(e -> e.at("/ChangeEventHeader/recordIds/0").asText().equals(id))
                .filter(e -> e.at("/ChangeEventHeader/changeType").asText().equals("UPDATE")).findFirst().orElseThrow();
        assertThat(update.at("/ChangeEventHeader/changedFields/0").asText()).startsWith("0x");
    }

    @Test
    void aPublishedPlatformEventIsDelivered() {
        template.requestBody("salesforce:pubSubPublish:/event/Order_Activated__e",
                List.of("{\"CreatedDate\": 1795363200000, \"CreatedById\": \"005000000000001AAA\","
                        + " \"Order_Number__c\": \"00000042\"}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> ORDERS.stream().anyMatch(o -> o.contains("00000042")));
    }

    @Test
    void aReplayIdOutsideTheRetentionWindowIsRefusedAsCorrupted() throws Exception {
        String id = json(template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true",
                "{\"Name\":\"Old news\"}", String.class)).get("id").asText();
        long replayId = ORG.replayIdOfRecord("/data/AccountChangeEvent", id, "CREATE");
        String replay = java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(8).putLong(replayId).array());
        List<Throwable> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        ORG.setRetention(Duration.ZERO);
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("salesforce:pubSubSubscribe:/data/AccountChangeEvent?replayPreset=CUSTOM&bridgeErrorHandler=true"
                            + "&pubSubReplayId=RAW(" + replay + ")").routeId("expired")
                            .onException(Exception.class).handled(true).process(e -> refusals.add(
                                    e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class))).end()
                            .log("unexpected ${body}");
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> !refusals.isEmpty());
            assertThat(refusals.get(0)).isInstanceOf(org.apache.camel.component.salesforce.InvalidReplayIdException.class);
        } finally {
            camel.getRouteController().stopRoute("expired");
            ORG.setRetention(Duration.ofHours(72));
        }
    }

    private static List<String> changeTypesOf(String id) {
        return CHANGES.stream().map(SalesforceEmulatorTest::json)
                .filter(e -> e.at("/ChangeEventHeader/recordIds/0").asText().equals(id))
                .map(e -> e.at("/ChangeEventHeader/changeType").asText()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(text, e);
        }
    }
}
