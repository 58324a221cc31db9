package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.GlobalObjects;
import org.apache.camel.component.salesforce.api.dto.Limits;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.testing.FreePorts;

/**
 * Discovery, SOQL and typed writes as the REAL camel-salesforce client (and a plain HTTP client) sees them, against
 * an emulator on free ports: describeGlobal, describe and limits decode into the client's own DTOs, queries page with
 * the full totalSize on every page, writes are refused with Salesforce's error codes.
 */
class SalesforceDiscoveryContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpClient HTTP;
    private static SalesforceEmulator org;
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        int pubSubPort = FreePorts.any();
        org = new SalesforceEmulator(FreePorts.any(), pubSubPort, Path.of("target", "sandbox-test", "salesforce-discovery"));
        org.start();
        SandboxClients.trust(org);
        HTTP = SandboxClients.httpClient(org);
        camel = new DefaultCamelContext();
        camel.addComponent("salesforce", SandboxClients.component(org, pubSubPort));
        camel.start();
        template = camel.createProducerTemplate();
        token = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(org.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox-client"
                        + "&client_secret=sandbox-secret")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        org.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(org.loginUrl() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String create(String object, String json) throws Exception {
        return JSON.readTree(template.requestBody("salesforce:createSObject?sObjectName=" + object + "&rawPayload=true",
                json, String.class)).get("id").asText();
    }

    @Test
    void describeGlobalDescribeAndLimitsDecodeIntoTheClientsDtos() {
        GlobalObjects global = template.requestBody("salesforce:getGlobalObjects", null, GlobalObjects.class);
        assertThat(global.getMaxBatchSize()).isEqualTo(200);
        assertThat(global.getSobjects()).extracting("name").contains("Account", "Order", "OrderItem", "Invoice__c");

        SObjectDescription account = template.requestBody("salesforce:getDescription?sObjectName=account", null,
                SObjectDescription.class);
        assertThat(account.getName()).isEqualTo("Account");
        assertThat(account.getKeyPrefix()).isEqualTo("001");
        assertThat(account.getFields()).filteredOn(f -> f.getName().equals("BillingCity")).singleElement()
                .satisfies(f -> assertThat(f.getLength()).isEqualTo(40));
        assertThat(account.getFields()).filteredOn(f -> f.getName().equals("ERP_Customer_Number__c")).singleElement()
                .satisfies(f -> {
                    assertThat(f.isExternalId()).isTrue();
                    assertThat(f.getType()).isEqualTo("string");
                    assertThat(f.getLength()).isEqualTo(40);
                });
        assertThat(account.getChildRelationships()).extracting("relationshipName").contains("Orders", "Invoices__r");
        SObjectDescription order = template.requestBody("salesforce:getDescription?sObjectName=Order", null,
                SObjectDescription.class);
        assertThat(order.getFields()).filteredOn(f -> f.getName().equals("EffectiveDate")).singleElement()
                .satisfies(f -> assertThat(f.getType()).isEqualTo("date"));
        assertThat(order.getFields()).filteredOn(f -> f.getName().equals("OrderNumber")).singleElement()
                .satisfies(f -> assertThat(f.isAutoNumber()).isTrue());

        Limits limits = template.requestBody("salesforce:limits", null, Limits.class);
        assertThat(limits.getDailyApiRequests().getMax()).isEqualTo(15000);
        assertThat(limits.getDailyApiRequests().getRemaining()).isLessThan(15000);
    }

    @Test
    void versionsResourcesAndUnknownObjects() throws Exception {
        JsonNode versions = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(org.loginUrl() + "/services/data"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(versions.findValuesAsText("version")).contains("59.0");
        assertThat(versions.findValuesAsText("label")).contains("Winter '24");
        assertThat(JSON.readTree(get("/services/data/v59.0").body()).get("sobjects").asText())
                .isEqualTo("/services/data/v59.0/sobjects");
        HttpResponse<String> unknown = get("/services/data/v59.0/sobjects/Foo/describe");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> limits = get("/services/data/v59.0/limits");
        int used = Integer.parseInt(limits.headers().firstValue("Sforce-Limit-Info").orElseThrow().replaceAll(".*=(\\d+)/.*", "$1"));
        assertThat(JSON.readTree(limits.body()).at("/DailyApiRequests/Remaining").asInt()).isEqualTo(15000 - used);
        assertThat(JSON.readTree(get("/services/data/v59.0/sobjects/order").body()).at("/objectDescribe/name").asText())
                .isEqualTo("Order");
    }

    @Test
    void everyPageReportsTheFullTotalSizeAndTheBatchSizeHeaderSetsThePageSize() throws Exception {
        for (int i = 0; i < 450; i++) {
            create("Account", "{\"Name\":\"Batch " + i + "\",\"Industry\":\"Batched\"}");
        }
        String q = URLEncoder.encode("SELECT Id FROM Account WHERE Industry = 'Batched'", StandardCharsets.UTF_8);
        JsonNode page = JSON.readTree(get("/services/data/v59.0/query?q=" + q, "Sforce-Query-Options", "batchSize=200").body());
        int seen = page.get("records").size();
        assertThat(seen).isEqualTo(200);
        while (!page.get("done").asBoolean()) {
            page = JSON.readTree(template.requestBody("salesforce:queryMore?rawPayload=true&sObjectQuery="
                    + page.get("nextRecordsUrl").asText(), null, String.class));
            assertThat(page.get("totalSize").asInt()).isEqualTo(450);
            seen += page.get("records").size();
        }
        assertThat(seen).isEqualTo(450);
        JsonNode count = JSON.readTree(template.requestBody("salesforce:query?rawPayload=true&sObjectQuery="
                + "SELECT COUNT() FROM Account WHERE Industry = 'Batched'", null, String.class));
        assertThat(count.get("totalSize").asInt()).isEqualTo(450);
        assertThat(count.get("records")).isEmpty();
    }

    @Test
    void relationshipQueriesThroughTheRealClient() throws Exception {
        String account = create("Account", "{\"Name\":\"Related\"}");
        String order = create("order", "{\"accountid\":\"" + account + "\",\"Status\":\"Draft\",\"EffectiveDate\":\"2026-01-31\"}");
        create("OrderItem", "{\"OrderId\":\"" + order + "\",\"Quantity\":3}");
        JsonNode rows = JSON.readTree(template.requestBody("salesforce:query?rawPayload=true&sObjectQuery=SELECT Id, "
                + "Account.Name, EffectiveDate, (SELECT Quantity FROM OrderItems) FROM Order WHERE Id = '" + order + "'",
                null, String.class)).get("records");
        assertThat(rows.at("/0/Account/Name").asText()).isEqualTo("Related");
        assertThat(rows.at("/0/EffectiveDate").asText()).isEqualTo("2026-01-31");
        assertThat(rows.at("/0/OrderItems/totalSize").asInt()).isEqualTo(1);
        assertThat(rows.at("/0/OrderItems/records/0/Quantity").asDouble()).isEqualTo(3.0);
        assertThatThrownBy(() -> template.requestBody("salesforce:query?rawPayload=true&sObjectQuery=SELECT Foo FROM Account",
                null, String.class)).cause().isInstanceOfSatisfying(SalesforceException.class,
                        e -> assertThat(e.getErrors().get(0).getErrorCode()).isEqualTo("INVALID_FIELD"));
    }

    @Test
    void writesAreCheckedAgainstTheOrgFile() {
        assertError("{\"Name\":\"X\",\"Foo__c\":1}", "INVALID_FIELD", "No such column 'Foo__c' on sobject of type Account");
        assertError("{\"Name\":\"" + "x".repeat(256) + "\"}", "STRING_TOO_LONG", "Account Name: data value too large: ");
        assertError("{\"Name\":\"X\",\"CreatedDate\":\"2024-01-01T00:00:00Z\"}", "INVALID_FIELD_FOR_INSERT_UPDATE",
                "Unable to create/update fields: CreatedDate.");
        assertError("{\"Name\":{\"nested\":true}}", "JSON_PARSER_ERROR", "Cannot deserialize instance of string from START_OBJECT");
        assertError("{\"Phone\":\"1\"}", "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]");
        assertThatThrownBy(() -> template.requestBody("salesforce:createSObject?sObjectName=Invoice__c&rawPayload=true",
                "{\"Invoice_Number__c\":\"I-1\",\"Total_Amount__c\":\"lots\"}", String.class)).cause()
                .isInstanceOfSatisfying(SalesforceException.class, e -> assertThat(e.getErrors().get(0).getErrorCode())
                        .isEqualTo("JSON_PARSER_ERROR"));
        assertThatThrownBy(() -> template.requestBody("salesforce:createSObject?sObjectName=Invoice__c&rawPayload=true",
                "{\"Invoice_Number__c\":\"I-1\",\"Due_Date__c\":true}", String.class)).cause()
                .isInstanceOfSatisfying(SalesforceException.class, e -> assertThat(e.getErrors().get(0).getErrorCode())
                        .isEqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD"));
        assertThat(org.records("Invoice__c")).isEmpty();
    }

    private static void assertError(String body, String code, String message) {
        assertThatThrownBy(() -> template.requestBody("salesforce:createSObject?sObjectName=Account&rawPayload=true", body,
                String.class)).cause().isInstanceOfSatisfying(SalesforceException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getErrors()).singleElement().satisfies(error -> {
                        assertThat(error.getErrorCode()).isEqualTo(code);
                        assertThat(error.getMessage()).contains(message);
                    });
                });
    }
}
