package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Bulk API 2.0 job (ingest or query) and its files: the uploaded CSV, and the results written while it runs.
 * Its state moves Open -> UploadComplete -> InProgress -> JobComplete | Failed, or to Aborted.
 */
final class BulkJob {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    final String id;
    final boolean query;
    final String operation;
    final String object;
    final String externalIdFieldName;
    final String soql;
    final char delimiter;
    final String delimiterName;
    final boolean crlf;
    final String apiVersion;
    private final Instant created = Instant.now();
    private volatile Instant modified = created;
    private volatile String state;
    private volatile String errorMessage;
    final AtomicInteger processed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private volatile long processingMillis;
    /** Files of this job: data (the upload), successful, failed, unprocessed (ingest) or results (query). */
    final Map<String, Path> files = new java.util.concurrent.ConcurrentHashMap<>();
    /** Query results: the byte offset where each record starts, after the header line; the last entry is the end. */
    volatile long[] recordOffsets = new long[0];
    volatile String header = "";

    BulkJob(String id, boolean query, String operation, String object, String externalIdFieldName, String soql,
            String delimiterName, boolean crlf, String apiVersion) {
        this.id = id;
        this.query = query;
        this.operation = operation;
        this.object = object;
        this.externalIdFieldName = externalIdFieldName;
        this.soql = soql;
        this.delimiterName = delimiterName;
        this.delimiter = Csv.delimiter(delimiterName);
        this.crlf = crlf;
        this.apiVersion = apiVersion;
        this.state = query ? "UploadComplete" : "Open";
    }

    String state() {
        return state;
    }

    synchronized void state(String newState) {
        state = newState;
        modified = Instant.now();
    }

    synchronized void fail(String message) {
        errorMessage = message;
        state("Failed");
    }

    void processingTook(long millis) {
        processingMillis = millis;
    }

    boolean finished() {
        return List.of("JobComplete", "Failed", "Aborted").contains(state);
    }

    Path file(String name) {
        return files.computeIfAbsent(name, n -> {
            try {
                return Files.createTempFile("bulk-" + id + "-" + n, ".csv");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    void deleteFiles() {
        files.values().forEach(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a temp file left behind is harmless; the JVM's temp directory is cleaned by the OS
            }
        });
        files.clear();
    }

    /** The job info as Salesforce describes a job. */
    Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", id);
        info.put("operation", operation);
        info.put("object", object);
        info.put("createdById", SObjectStore.USER_ID);
        info.put("createdDate", TIME.format(created));
        info.put("systemModstamp", TIME.format(modified));
        info.put("state", state);
        if (externalIdFieldName != null) {
            info.put("externalIdFieldName", externalIdFieldName);
        }
        info.put("concurrencyMode", "Parallel");
        info.put("contentType", "CSV");
        info.put("apiVersion", Double.valueOf(apiVersion.replaceFirst("^v", "")));
        if (!query) {
            info.put("contentUrl", "services/data/" + apiVersion + "/jobs/ingest/" + id + "/batches");
        }
        info.put("jobType", query ? "V2Query" : "V2Ingest");
        info.put("lineEnding", crlf ? "CRLF" : "LF");
        info.put("columnDelimiter", delimiterName);
        info.put("numberRecordsProcessed", processed.get());
        if (!query) {
            info.put("numberRecordsFailed", failed.get());
        }
        info.put("retries", 0);
        info.put("totalProcessingTime", processingMillis);
        if (!query) {
            info.put("apiActiveProcessingTime", processingMillis);
            info.put("apexProcessingTime", 0);
        }
        if (errorMessage != null) {
            info.put("errorMessage", errorMessage);
        }
        return info;
    }
}
