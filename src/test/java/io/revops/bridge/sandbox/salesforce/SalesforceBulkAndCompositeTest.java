package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;
import org.apache.camel.component.salesforce.api.dto.composite.SObjectBatch;
import org.apache.camel.component.salesforce.api.dto.composite.SObjectBatchResponse;
import org.apache.camel.component.salesforce.api.dto.composite.SObjectComposite;
import org.apache.camel.component.salesforce.api.dto.composite.SObjectCompositeResponse;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.testing.FreePorts;

/**
 * The composite resources, sObject Collections, queryAll and Bulk API 2.0 as clients nobody here wrote use them: the
 * real camel-salesforce client (composite, compositeBatch, bulk2* operations) and plain HTTP for what Camel does not
 * send, hostile input included. Outcomes are asserted in the org's records and its change events.
 */
class SalesforceBulkAndCompositeTest {
    private static final int ORG_PUBSUB_PORT = FreePorts.any();
    private static final SalesforceEmulator ORG = new SalesforceEmulator(FreePorts.any(), ORG_PUBSUB_PORT,
            Path.of("target", "sandbox-test", "salesforce-bulk"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpClient HTTP;
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        ORG.start();
        SandboxClients.trust(ORG);
        HTTP = SandboxClients.httpClient(ORG);
        camel = new DefaultCamelContext();
        camel.addComponent("salesforce", SandboxClients.component(ORG, ORG_PUBSUB_PORT));
        camel.start();
        template = camel.createProducerTemplate();
        token = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/oauth2/token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox-client"
                        + "&client_secret=sandbox-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        ORG.close();
    }

    @Test
    void compositeThroughTheRealClientResolvesReferencesIntoQueryResults() {
        SObjectComposite composite = new SObjectComposite("59.0", true);
        composite.addGeneric(SObjectComposite.Method.POST, "/sobjects/Account", Map.of("Name", "Composite Parent",
                "Industry", "CompositeRef"), "parent");
        composite.addQuery("SELECT Id, Name FROM Account WHERE Industry = 'CompositeRef'", "found");
        composite.addGeneric(SObjectComposite.Method.PATCH, "/sobjects/Account/@{found.records[0].Id}",
                Map.of("Phone", "@{parent.id}"), "patched");
        SObjectCompositeResponse response = template.requestBody("salesforce:composite", composite,
                SObjectCompositeResponse.class);

        assertThat(response.getCompositeResponse()).extracting(r -> r.getHttpStatusCode()).containsExactly(201, 200, 204);
        String id = (String) ((Map<?, ?>) response.getCompositeResponse().get(0).getBody()).get("id");
        assertThat(ORG.record("Account", id)).containsEntry("Phone", id);
        assertThat(response.getCompositeResponse().get(0).getHttpHeaders())
                .containsEntry("Location", "/services/data/v59.0/sobjects/Account/" + id);
    }

    @Test
    void allOrNoneRollsBackEarlierSubrequestsAndPublishesNoChangeEvent() throws Exception {
        String existing = create("{\"Name\":\"Untouched\"}");
        JsonNode response = post("/composite", """
                {"allOrNone": true, "compositeRequest": [
                  {"method": "PATCH", "url": "/services/data/v59.0/sobjects/Account/%s", "referenceId": "touch",
                   "body": {"Phone": "555"}},
                  {"method": "POST", "url": "/services/data/v59.0/sobjects/Account", "referenceId": "created",
                   "body": {"Name": "Rolled back"}},
                  {"method": "POST", "url": "/services/data/v59.0/sobjects/Account", "referenceId": "bad",
                   "body": {"Nonsense__c": "x"}},
                  {"method": "GET", "url": "/services/data/v59.0/sobjects/Account/@{created.id}", "referenceId": "after"}
                ]}""".formatted(existing)).body();

        JsonNode results = response.get("compositeResponse");
        assertThat(results).extracting(r -> r.get("httpStatusCode").asInt()).containsExactly(400, 400, 400, 400);
        assertThat(results.get(2).at("/body/0/errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(results).extracting(r -> r.at("/body/0/errorCode").asText())
                .containsExactly("PROCESSING_HALTED", "PROCESSING_HALTED", "INVALID_FIELD", "PROCESSING_HALTED");
        assertThat(ORG.record("Account", existing).get("Phone")).isNull();
        assertThat(ORG.records("Account")).noneMatch(r -> "Rolled back".equals(r.get("Name")));
        assertThatThrownBy(() -> ORG.replayIdOfRecord("/data/AccountChangeEvent", existing, "UPDATE"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void brokenReferencesAndTooManySubrequestsAreRefusedInSalesforcesWords() throws Exception {
        JsonNode response = post("/composite", """
                {"compositeRequest": [
                  {"method": "GET", "url": "/services/data/v59.0/query?q=SELECT+Id+FROM+Account+WHERE+Name+=+'nobody'",
                   "referenceId": "none"},
                  {"method": "PATCH", "url": "/services/data/v59.0/sobjects/Account/@{none.records[0].Id}",
                   "referenceId": "patch", "body": {"Phone": "1"}},
                  {"method": "GET", "url": "/services/data/v59.0/sobjects/Account/@{later.id}", "referenceId": "early"},
                  {"method": "GET", "url": "/services/data/v59.0/limits", "referenceId": "later"}
                ]}""").body().get("compositeResponse");
        assertThat(response.get(0).get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(response.get(1).at("/body/0/errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(response.get(1).at("/body/0/message").asText())
                .isEqualTo("Invalid reference specified. No value for none.records[0].Id found in none.");
        assertThat(response.get(2).at("/body/0/message").asText())
                .isEqualTo("Invalid reference specified. No value for later.id found in later.");
        assertThat(response.get(3).get("httpStatusCode").asInt()).isEqualTo(404);

        StringBuilder many = new StringBuilder("{\"compositeRequest\": [");
        for (int i = 0; i < 26; i++) {
            many.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Account\","
                    + "\"referenceId\":\"r").append(i).append("\",\"body\":{\"Name\":\"Too many\"}}");
        }
        HttpResponse<JsonNode> tooMany = post("/composite", many.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(ORG.records("Account")).noneMatch(r -> "Too many".equals(r.get("Name")));
        assertThat(post("/composite", "{\"compositeRequest\": [{\"method\":\"GET\",\"url\":\"/services/data/v59.0/limits\","
                + "\"referenceId\":\"bad.id\"}]}").statusCode()).isEqualTo(400);
        assertThat(post("/composite", "{\"compositeRequest\": [").statusCode()).isEqualTo(400);
    }

    @Test
    void compositeBatchThroughTheRealClientHaltsOnError() throws Exception {
        SObjectBatch batch = new SObjectBatch("59.0");
        batch.addGeneric(SObjectBatch.Method.POST, "/sobjects/Account", Map.of("Name", "Batched"));
        batch.addGeneric(SObjectBatch.Method.POST, "/sobjects/Account", Map.of("Bogus__c", "x"));
        batch.addGeneric(SObjectBatch.Method.POST, "/sobjects/Account", Map.of("Name", "After the halt"));
        SObjectBatchResponse response = template.requestBody("salesforce:composite-batch?apiVersion=59.0", batch, SObjectBatchResponse.class);
        assertThat(response.hasErrors()).isTrue();
        assertThat(response.getResults()).extracting(r -> r.getStatusCode()).containsExactly(201, 400, 201);

        JsonNode halted = postUnchecked("/composite/batch", """
                {"haltOnError": true, "batchRequests": [
                  {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {"Bogus__c": "x"}},
                  {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {"Name": "Never written"}}]}""");
        assertThat(halted.get("hasErrors").asBoolean()).isTrue();
        assertThat(halted.at("/results/1/statusCode").asInt()).isEqualTo(412);
        assertThat(halted.at("/results/1/result/0/errorCode").asText()).isEqualTo("BATCH_PROCESSING_HALTED");
        assertThat(ORG.records("Account")).noneMatch(r -> "Never written".equals(r.get("Name")));
        assertThat(ORG.records("Account")).anyMatch(r -> "After the halt".equals(r.get("Name")));
    }

    @Test
    void sObjectCollectionsCreateUpdateUpsertRetrieveAndDelete() throws Exception {
        JsonNode created = postUnchecked("/composite/sobjects", """
                {"records": [{"attributes": {"type": "Account"}, "Name": "Coll A", "ERP_Customer_Number__c": "C-A"},
                             {"attributes": {"type": "Account"}, "Bad__c": "x"},
                             {"Name": "no type"}]}""");
        assertThat(created).extracting(r -> r.get("success").asBoolean()).containsExactly(true, false, false);
        assertThat(created.at("/1/errors/0/statusCode").asText()).isEqualTo("INVALID_FIELD");
        String a = created.at("/0/id").asText();

        JsonNode updated = send("PATCH", "/composite/sobjects", """
                {"records": [{"attributes": {"type": "Account"}, "id": "%s", "Phone": "1"}]}""".formatted(a)).body();
        assertThat(updated.at("/0/success").asBoolean()).isTrue();
        assertThat(ORG.record("Account", a)).containsEntry("Phone", "1");

        JsonNode upserted = send("PATCH", "/composite/sobjects/Account/ERP_Customer_Number__c", """
                {"records": [{"attributes": {"type": "Account"}, "ERP_Customer_Number__c": "C-A", "Phone": "2"},
                             {"attributes": {"type": "Account"}, "ERP_Customer_Number__c": "C-B", "Name": "Coll B"}]}""")
                .body();
        assertThat(upserted).extracting(r -> r.get("created").asBoolean()).containsExactly(false, true);
        String b = upserted.at("/1/id").asText();

        JsonNode retrieved = send("GET", "/composite/sobjects/Account?ids=" + a + "," + b + ",001000000000000AAA&fields=Name,Phone",
                null).body();
        assertThat(retrieved.at("/0/Phone").asText()).isEqualTo("2");
        assertThat(retrieved.at("/1/Name").asText()).isEqualTo("Coll B");
        assertThat(retrieved.get(2).isNull()).isTrue();

        JsonNode deleted = send("DELETE", "/composite/sobjects?allOrNone=true&ids=" + a + ",001000000000000AAA", null).body();
        assertThat(deleted).extracting(r -> r.get("success").asBoolean()).containsExactly(false, false);
        assertThat(deleted.at("/0/errors/0/statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(ORG.record("Account", a)).isNotNull();
        send("DELETE", "/composite/sobjects?ids=" + a + "," + b, null);
        assertThat(ORG.record("Account", a)).isNull();

        JsonNode all = send("GET", "/queryAll?q=" + java.net.URLEncoder.encode("SELECT Id, IsDeleted FROM Account WHERE Id = '"
                + a + "'", StandardCharsets.UTF_8), null).body();
        assertThat(all.at("/records/0/IsDeleted").asBoolean()).isTrue();
        JsonNode live = send("GET", "/query?q=" + java.net.URLEncoder.encode("SELECT Id FROM Account WHERE Id = '" + a + "'",
                StandardCharsets.UTF_8), null).body();
        assertThat(live.get("totalSize").asInt()).isZero();
    }

    @Test
    void collectionsOfMoreThan200RecordsAreRefusedWhole() throws Exception {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 201; i++) {
            records.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Over limit\"}");
        }
        HttpResponse<JsonNode> response = post("/composite/sobjects", "{\"records\":[" + records + "]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body().at("/0/errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(ORG.records("Account")).noneMatch(r -> "Over limit".equals(r.get("Name")));
    }

    @Test
    void bulkIngestThroughTheRealClientWritesRowsWithTheirErrorsAndChangeEvents() throws Exception {
        Job job = new Job();
        job.setObject("Account");
        job.setOperation(OperationEnum.INSERT);
        job = template.requestBody("salesforce:bulk2CreateJob", job, Job.class);
        assertThat(job.getState()).isEqualTo(JobStateEnum.OPEN);
        String jobId = job.getId();
        template.requestBodyAndHeader("salesforce:bulk2CreateBatch",
                "Name,Industry,Phone\n\"Bulk, Inc.\",Bulk2,\"say \"\"hi\"\"\"\nBulk Two,Bulk2,#N/A\n,Bulk2,no name\n",
                "jobId", jobId);
        template.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", jobId);

        await().atMost(Duration.ofSeconds(20)).until(() -> template.requestBodyAndHeader("salesforce:bulk2GetJob", null,
                "jobId", jobId, Job.class).getState() == JobStateEnum.JOB_COMPLETE);
        Job done = template.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", jobId, Job.class);
        assertThat(done.getNumberRecordsProcessed()).isEqualTo(3);
        assertThat(done.getNumberRecordsFailed()).isEqualTo(1);
        String successful = text(template.requestBodyAndHeader("salesforce:bulk2GetSuccessfulResults", null, "jobId",
                jobId, InputStream.class));
        assertThat(successful.lines()).hasSize(3).first().isEqualTo("sf__Id,sf__Created,Name,Industry,Phone");
        String failed = text(template.requestBodyAndHeader("salesforce:bulk2GetFailedResults", null, "jobId", jobId,
                InputStream.class));
        assertThat(failed).contains("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --");
        String id = successful.lines().skip(1).findFirst().orElseThrow().split(",")[0];
        assertThat(ORG.record("Account", id)).containsEntry("Name", "Bulk, Inc.").containsEntry("Phone", "say \"hi\"");
        assertThat(ORG.replayIdOfRecord("/data/AccountChangeEvent", id, "CREATE")).isNotNegative();
    }

    @Test
    void bulkQueryThroughTheRealClientPagesWithLocators() throws Exception {
        for (int i = 0; i < 5; i++) {
            create("{\"Name\":\"Queried " + i + "\",\"Industry\":\"BulkQuery\"}");
        }
        QueryJob job = new QueryJob();
        job.setOperation(OperationEnum.QUERY);
        job.setQuery("SELECT Id, Name FROM Account WHERE Industry = 'BulkQuery'");
        String jobId = template.requestBody("salesforce:bulk2CreateQueryJob", job, QueryJob.class).getId();
        await().atMost(Duration.ofSeconds(20)).until(() -> template.requestBodyAndHeader("salesforce:bulk2GetQueryJob", null,
                "jobId", jobId, QueryJob.class).getState() == JobStateEnum.JOB_COMPLETE);

        Exchange first = template.request("salesforce:bulk2GetQueryJobResults", e -> {
            e.getIn().setHeader("jobId", jobId);
            e.getIn().setHeader("maxRecords", "3");
        });
        assertThat(first.getMessage().getHeader("Sforce-NumberOfRecords", String.class)).isEqualTo("3");
        String locator = first.getMessage().getHeader("Sforce-Locator", String.class);
        assertThat(text(first.getMessage().getBody(InputStream.class)).lines()).hasSize(4).first().isEqualTo("Id,Name");
        Exchange second = template.request("salesforce:bulk2GetQueryJobResults", e -> {
            e.getIn().setHeader("jobId", jobId);
            e.getIn().setHeader("locator", locator);
            e.getIn().setHeader("maxRecords", "3");
        });
        assertThat(second.getMessage().getHeader("Sforce-NumberOfRecords", String.class)).isEqualTo("2");
        assertThat(second.getMessage().getHeader("Sforce-Locator", String.class)).isEqualTo("null");
    }

    @Test
    void hostileBulkInputFailsTheJobOrTheRowAsSalesforceDoes() throws Exception {
        String unknownColumn = ingest("insert", "Name,Shoe_Size__c\nA,42\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> job("ingest", unknownColumn).get("state").asText().equals("Failed"));
        assertThat(job("ingest", unknownColumn).get("errorMessage").asText())
                .isEqualTo("InvalidBatch : Field name not found : Shoe_Size__c");

        String malformed = ingest("insert", "Name\n\"Unterminated\nMalformed\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> job("ingest", malformed).get("state").asText().equals("Failed"));
        assertThat(ORG.records("Account")).noneMatch(r -> String.valueOf(r.get("Name")).startsWith("Unterminated"));

        HttpResponse<JsonNode> twice = send("PUT", "/jobs/ingest/" + unknownColumn + "/batches", "Name\nB\n", "text/csv");
        assertThat(twice.statusCode()).isGreaterThanOrEqualTo(400);

        QueryJob queryJob = new QueryJob();
        queryJob.setOperation(OperationEnum.QUERY);
        queryJob.setQuery("SELECT Id FROM Account");
        String queryId = template.requestBody("salesforce:bulk2CreateQueryJob", queryJob, QueryJob.class).getId();
        assertThat(send("GET", "/jobs/ingest/" + queryId, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/jobs/query/" + unknownColumn, null).statusCode()).isEqualTo(404);
        assertThat(post("/jobs/query", "{\"operation\":\"query\",\"query\":\"DELETE FROM Account\"}").body()
                .at("/0/errorCode").asText()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void aHundredThousandRowIngestIsStreamedAndQueriedBackInPages() throws Exception {
        int rows = 100_000;
        String id = postUnchecked("/jobs/ingest", "{\"object\":\"Account\",\"operation\":\"insert\"}").get("id").asText();
        // the CSV is generated while it is sent: neither side holds the upload whole
        java.util.function.Supplier<InputStream> csv = () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("Name,Industry\n"),
                        java.util.stream.IntStream.range(0, rows).mapToObj(i -> "Volume " + i + ",Volume100k\n"))
                        .map(line -> (InputStream) new java.io.ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)))
                        .toList()));
        HttpResponse<Void> upload = HTTP.send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/data/v59.0/jobs/ingest/"
                + id + "/batches")).PUT(HttpRequest.BodyPublishers.ofInputStream(csv)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(upload.statusCode()).isEqualTo(201);
        send("PATCH", "/jobs/ingest/" + id, "{\"state\":\"UploadComplete\"}");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> job("ingest", id).get("state").asText().equals("JobComplete"));
        assertThat(job("ingest", id).get("numberRecordsProcessed").asInt()).isEqualTo(rows);
        assertThat(job("ingest", id).get("numberRecordsFailed").asInt()).isZero();

        String queryId = postUnchecked("/jobs/query", "{\"operation\":\"query\",\"query\":"
                + "\"SELECT Id, Name FROM Account WHERE Industry = 'Volume100k'\"}").get("id").asText();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> job("query", queryId).get("state").asText().equals("JobComplete"));
        int seen = 0;
        String locator = "";
        do {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/data/v59.0/jobs/query/"
                    + queryId + "/results?maxRecords=40000" + (locator.isEmpty() ? "" : "&locator=" + locator)))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            int count = Integer.parseInt(page.headers().firstValue("Sforce-NumberOfRecords").orElseThrow());
            assertThat(page.body().lines().count()).isEqualTo(count + 1);
            seen += count;
            locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
        } while (!locator.equals("null"));
        assertThat(seen).isEqualTo(rows);
    }

    private static String ingest(String operation, String csv) throws Exception {
        String id = postUnchecked("/jobs/ingest", "{\"object\":\"Account\",\"operation\":\"" + operation + "\"}")
                .get("id").asText();
        assertThat(send("PUT", "/jobs/ingest/" + id + "/batches", csv, "text/csv").statusCode()).isEqualTo(201);
        assertThat(send("PATCH", "/jobs/ingest/" + id, "{\"state\":\"UploadComplete\"}").statusCode()).isEqualTo(200);
        return id;
    }

    private static JsonNode job(String kind, String id) throws Exception {
        return send("GET", "/jobs/" + kind + "/" + id, null).body();
    }

    private static String create(String json) throws Exception {
        return postUnchecked("/sobjects/Account", json).get("id").asText();
    }

    private static JsonNode postUnchecked(String path, String json) throws Exception {
        HttpResponse<JsonNode> response = post(path, json);
        assertThat(response.statusCode()).as(path + " " + response.body()).isLessThan(300);
        return response.body();
    }

    private static HttpResponse<JsonNode> post(String path, String json) throws Exception {
        return send("POST", path, json);
    }

    private static HttpResponse<JsonNode> send(String method, String path, String body) throws Exception {
        return send(method, path, body, "application/json");
    }

    private static HttpResponse<JsonNode> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ORG.loginUrl() + "/services/data/v59.0" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new SimpleResponse(response, json);
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A response whose body was read as JSON. */
    private record SimpleResponse(HttpResponse<String> raw, JsonNode body) implements HttpResponse<JsonNode> {
        @Override
        public int statusCode() {
            return raw.statusCode();
        }

        @Override
        public HttpRequest request() {
            return raw.request();
        }

        @Override
        public java.util.Optional<HttpResponse<JsonNode>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return raw.headers();
        }

        @Override
        public URI uri() {
            return raw.uri();
        }

        @Override
        public HttpClient.Version version() {
            return raw.version();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return raw.sslSession();
        }
    }
}
