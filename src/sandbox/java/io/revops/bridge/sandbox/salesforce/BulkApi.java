package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * Bulk API 2.0 (/jobs/ingest and /jobs/query): jobs are created, fed with one CSV upload (streamed to a file, at most
 * 150 MB), closed, and then processed asynchronously by a worker thread, so a client polls the job's state as against
 * a real org. Ingest rows are written through the same store calls as REST (validation, change events); results come
 * back as CSV (successfulResults, failedResults, unprocessedrecords); query results are paged by maxRecords and an
 * opaque Sforce-Locator.
 */
final class BulkApi implements AutoCloseable {
    static final long MAX_UPLOAD_BYTES = 150L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> INGEST_OPERATIONS = Set.of("insert", "update", "upsert", "delete", "hardDelete");

    private final SObjectStore store;
    private final BulkWorker worker;
    private final Map<String, BulkJob> jobs = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private ExecutorService executor;

    BulkApi(SObjectStore store, SObjectResource sobjects) {
        this.store = store;
        this.worker = new BulkWorker(store, sobjects);
    }

    /** segments: the path after /services/data/, version first, then "jobs". */
    void handle(HttpExchange exchange, String method, String[] segments) throws IOException {
        try {
            route(exchange, method, segments);
        } catch (SObjectException e) {
            send(exchange, ApiCall.error(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            send(exchange, ApiCall.error(400, "JSON_PARSER_ERROR", "Unexpected character in the request body", List.of()));
        }
    }

    private void route(HttpExchange exchange, String method, String[] segments) throws IOException {
        String version = segments[0];
        boolean query = segments.length > 2 && segments[2].equals("query");
        if (segments.length < 3 || !query && !segments[2].equals("ingest")) {
            send(exchange, ApiCall.notFound());
            return;
        }
        if (segments.length == 3) {
            switch (method) {
                case "POST" -> send(exchange, ApiCall.Response.of(200, create(version, query, readJson(exchange)).info()));
                case "GET" -> send(exchange, ApiCall.Response.of(200, list(query)));
                default -> send(exchange, ApiCall.methodNotAllowed(method));
            }
            return;
        }
        BulkJob job = jobs.get(segments[3]);
        if (job == null || job.query != query) {
            // a job of the other kind is unknown here, as it is to Salesforce
            send(exchange, ApiCall.error(404, "NOT_FOUND", "The requested resource does not exist", List.of()));
            return;
        }
        if (segments.length == 4) {
            switch (method) {
                case "GET" -> send(exchange, ApiCall.Response.of(200, job.info()));
                case "PATCH" -> send(exchange, changeState(job, readJson(exchange)));
                case "DELETE" -> send(exchange, delete(job));
                default -> send(exchange, ApiCall.methodNotAllowed(method));
            }
            return;
        }
        String part = segments[4];
        if (segments.length == 5 && !query && part.equals("batches") && method.equals("PUT")) {
            upload(exchange, job);
        } else if (segments.length == 5 && !query && method.equals("GET")
                && List.of("successfulResults", "failedResults", "unprocessedrecords").contains(part)) {
            ingestResults(exchange, job, part);
        } else if (segments.length == 5 && query && part.equals("results") && method.equals("GET")) {
            queryResults(exchange, job);
        } else {
            send(exchange, ApiCall.notFound());
        }
    }

    private BulkJob create(String version, boolean query, JsonNode body) {
        String operation = body.path("operation").asText("");
        String delimiterName = body.path("columnDelimiter").asText("COMMA");
        String lineEnding = body.path("lineEnding").asText("LF");
        if (Csv.delimiter(delimiterName) == null) {
            throw invalid("Invalid column delimiter: " + delimiterName);
        }
        if (!lineEnding.equals("LF") && !lineEnding.equals("CRLF")) {
            throw invalid("Invalid line ending: " + lineEnding);
        }
        if (!body.path("contentType").asText("CSV").equals("CSV")) {
            throw invalid("Invalid content type: " + body.path("contentType").asText());
        }
        String id = jobId();
        BulkJob job;
        if (query) {
            if (!operation.equals("query") && !operation.equals("queryAll")) {
                throw invalid("Invalid operation: " + operation);
            }
            String soql = body.path("query").asText("");
            // the query is checked when the job is created, so a malformed one is refused at once
            SoqlQuery parsed = SoqlQuery.parse(soql);
            String object = store.type(parsed.object()).name();
            job = new BulkJob(id, true, operation, object, null, soql, delimiterName, lineEnding.equals("CRLF"), version);
        } else {
            if (!INGEST_OPERATIONS.contains(operation)) {
                throw invalid("Invalid operation: " + operation);
            }
            String object = body.path("object").asText("");
            SObjectType type;
            try {
                type = store.type(object);
            } catch (SObjectException e) {
                throw new SObjectException(400, "INVALIDENTITY", "Entity '" + object + "' is not supported by the Bulk API.",
                        List.of());
            }
            String externalId = body.hasNonNull("externalIdFieldName") ? body.get("externalIdFieldName").asText() : null;
            if (operation.equals("upsert") && (externalId == null
                    || !externalId.equals("Id") && !type.fields().containsKey(externalId))) {
                throw invalid("External ID field " + (externalId == null ? "was not specified" : externalId
                        + " does not exist") + " for object " + type.name());
            }
            job = new BulkJob(id, false, operation, type.name(), operation.equals("upsert") ? externalId : null, null,
                    delimiterName, lineEnding.equals("CRLF"), version);
        }
        jobs.put(id, job);
        if (query) {
            startQuery(job);
        }
        return job;
    }

    private static SObjectException invalid(String message) {
        return new SObjectException(400, "INVALIDJOB", message, List.of());
    }

    /** 750-prefixed ids, as Salesforce's AsyncApexJob ids are. */
    private String jobId() {
        String id15 = "7508Z" + String.format("%010d", sequence.incrementAndGet());
        return id15 + "AAA";
    }

    private Map<String, Object> list(boolean query) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("done", true);
        body.put("records", jobs.values().stream().filter(j -> j.query == query).map(BulkJob::info).toList());
        body.put("nextRecordsUrl", null);
        return body;
    }

    private ApiCall.Response changeState(BulkJob job, JsonNode body) {
        String wanted = body.path("state").asText("");
        synchronized (job) {
            String state = job.state();
            if (wanted.equals("UploadComplete") && !job.query && state.equals("Open")) {
                job.state("UploadComplete");
                executor().execute(() -> worker.ingest(job));
            } else if (wanted.equals("Aborted") && !job.finished()) {
                job.state("Aborted");
            } else {
                return ApiCall.error(400, "INVALIDJOBSTATE", "Invalid state transition from " + state + " to " + wanted,
                        List.of());
            }
        }
        return ApiCall.Response.of(200, job.info());
    }

    private ApiCall.Response delete(BulkJob job) {
        synchronized (job) {
            if (job.state().equals("InProgress") || job.state().equals("Open")) {
                return ApiCall.error(400, "INVALIDJOBSTATE", "Job must be closed or aborted before it is deleted: "
                        + job.state(), List.of());
            }
            jobs.remove(job.id);
            job.deleteFiles();
        }
        return ApiCall.Response.of(204, null);
    }

    private void upload(HttpExchange exchange, BulkJob job) throws IOException {
        synchronized (job) {
            if (!job.state().equals("Open")) {
                send(exchange, ApiCall.error(409, "INVALIDJOBSTATE", "Job is not open for uploads: " + job.state(), List.of()));
                return;
            }
            if (job.files.containsKey("data")) {
                send(exchange, ApiCall.error(400, "BULK_API_ERROR", "Found multiple contents for job: <" + job.id
                        + ">, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you "
                        + "only do 'PUT' once on a given Job.", List.of()));
                return;
            }
            long written = 0;
            try (InputStream in = exchange.getRequestBody();
                 OutputStream out = Files.newOutputStream(job.file("data"))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    written += n;
                    if (written > MAX_UPLOAD_BYTES) {
                        break;
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (written > MAX_UPLOAD_BYTES) {
                Files.deleteIfExists(job.files.remove("data"));
                send(exchange, ApiCall.error(413, "REQUEST_ENTITY_TOO_LARGE", "The upload exceeds the limit of 150 MB per "
                        + "job; split the data into several jobs.", List.of()));
                return;
            }
        }
        sendEmpty(exchange, 201);
    }

    private void ingestResults(HttpExchange exchange, BulkJob job, String part) throws IOException {
        String name = switch (part) {
            case "successfulResults" -> "successful";
            case "failedResults" -> "failed";
            default -> "unprocessed";
        };
        var file = job.files.get(name);
        exchange.getResponseHeaders().set("Content-Type", "text/csv");
        if (file == null || !job.finished()) {
            // nothing processed yet: Salesforce answers with the header line only
            byte[] header = worker.resultHeader(job, name).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, header.length == 0 ? -1 : header.length);
            exchange.getResponseBody().write(header);
            return;
        }
        exchange.sendResponseHeaders(200, Files.size(file));
        Files.copy(file, exchange.getResponseBody());
    }

    private void queryResults(HttpExchange exchange, BulkJob job) throws IOException {
        if (!job.state().equals("JobComplete")) {
            send(exchange, ApiCall.error(400, "INVALIDJOBSTATE", "Job is not complete: " + job.state(), List.of()));
            return;
        }
        long[] offsets = job.recordOffsets;
        int records = offsets.length - 1;
        int from;
        int max;
        try {
            String locator = ApiCall.parameters(exchange.getRequestURI().getRawQuery()).get("locator");
            from = locator == null || locator.isEmpty() ? 0
                    : Integer.parseInt(new String(Base64.getDecoder().decode(locator), StandardCharsets.UTF_8));
            String maxRecords = ApiCall.parameters(exchange.getRequestURI().getRawQuery()).get("maxRecords");
            max = maxRecords == null ? records : Integer.parseInt(maxRecords);
        } catch (IllegalArgumentException e) {
            send(exchange, ApiCall.error(400, "INVALID_LOCATOR", "The locator or maxRecords parameter is invalid", List.of()));
            return;
        }
        if (from < 0 || from > records || max < 1) {
            send(exchange, ApiCall.error(400, "INVALID_LOCATOR", "The locator or maxRecords parameter is invalid", List.of()));
            return;
        }
        int to = (int) Math.min(records, (long) from + max);
        byte[] header = job.header.getBytes(StandardCharsets.UTF_8);
        long length = header.length + offsets[to] - offsets[from];
        exchange.getResponseHeaders().set("Content-Type", "text/csv");
        exchange.getResponseHeaders().set("Sforce-NumberOfRecords", String.valueOf(to - from));
        exchange.getResponseHeaders().set("Sforce-Locator", to < records
                ? Base64.getEncoder().withoutPadding().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8))
                : "null");
        exchange.sendResponseHeaders(200, length);
        OutputStream out = exchange.getResponseBody();
        out.write(header);
        try (RandomAccessFile file = new RandomAccessFile(job.files.get("results").toFile(), "r")) {
            file.seek(offsets[from]);
            byte[] buffer = new byte[64 * 1024];
            long left = offsets[to] - offsets[from];
            while (left > 0) {
                int n = file.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "salesforce-bulk-worker");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }

    /** Query jobs start at once: there is nothing to upload. */
    private void startQuery(BulkJob job) {
        executor().execute(() -> worker.query(job));
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        jobs.values().forEach(BulkJob::deleteFiles);
        jobs.clear();
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    }

    private static void send(HttpExchange exchange, ApiCall.Response response) throws IOException {
        if (response.body() == null) {
            sendEmpty(exchange, response.status());
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }
}
