package io.revops.bridge.sandbox.salesforce;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.sandbox.salesforce.ApiCall.Response;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * Processes Bulk API 2.0 jobs on the worker thread. Ingest streams the uploaded CSV row by row through the same
 * store calls and typed-value conversion as REST (so each row is validated and publishes its change event as a single
 * write would) and writes each row's outcome to the successful or failed results file; query writes the records as
 * CSV and remembers where each record starts, so result pages are read from the file.
 */
final class BulkWorker {
    /** Bulk API's null: a field set to #N/A is cleared; an empty field is left as it is. */
    private static final String NULL = "#N/A";

    private final SObjectStore store;
    private final SObjectResource sobjects;

    BulkWorker(SObjectStore store, SObjectResource sobjects) {
        this.store = store;
        this.sobjects = sobjects;
    }

    /** The header line of a result file before any row was processed. */
    String resultHeader(BulkJob job, String name) {
        String header = job.header;
        if (header.isEmpty()) {
            return "";
        }
        return switch (name) {
            case "successful" -> "sf__Id" + job.delimiter + "sf__Created" + job.delimiter + header;
            case "failed" -> "sf__Id" + job.delimiter + "sf__Error" + job.delimiter + header;
            default -> header;
        };
    }

    void ingest(BulkJob job) {
        synchronized (job) {
            if (!job.state().equals("UploadComplete")) {
                return;
            }
            job.state("InProgress");
        }
        long started = System.currentTimeMillis();
        var data = job.files.get("data");
        if (data == null) {
            job.fail("InvalidBatch : No data was uploaded for this job");
            return;
        }
        SObjectType type = store.type(job.object);
        try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8);
             Writer successful = Files.newBufferedWriter(job.file("successful"), StandardCharsets.UTF_8);
             Writer failed = Files.newBufferedWriter(job.file("failed"), StandardCharsets.UTF_8);
             Writer unprocessed = Files.newBufferedWriter(job.file("unprocessed"), StandardCharsets.UTF_8)) {
            Csv csv = new Csv(reader, job.delimiter, job.crlf);
            List<String> columns = csv.next();
            if (columns == null) {
                job.fail("InvalidBatch : No data was uploaded for this job");
                return;
            }
            String problem = checkColumns(job, type, columns);
            if (problem != null) {
                job.fail("InvalidBatch : " + problem);
                return;
            }
            String header = Csv.line(columns, job.delimiter, job.crlf);
            job.header = header;
            successful.write(resultHeader(job, "successful"));
            failed.write(resultHeader(job, "failed"));
            unprocessed.write(header);
            for (List<String> row; (row = csv.next()) != null; ) {
                if (job.state().equals("Aborted")) {
                    unprocessed.write(Csv.line(row, job.delimiter, job.crlf));
                    continue;
                }
                writeRow(job, type, columns, row, successful, failed);
            }
        } catch (Csv.Malformed e) {
            job.fail("InvalidBatch : " + e.getMessage());
            return;
        } catch (IOException e) {
            job.fail("InvalidBatch : " + e.getMessage());
            return;
        } finally {
            job.processingTook(System.currentTimeMillis() - started);
        }
        synchronized (job) {
            if (!job.state().equals("Aborted")) {
                job.state("JobComplete");
            }
        }
    }

    /** What is wrong with the header line for this job's operation, or null. */
    private static String checkColumns(BulkJob job, SObjectType type, List<String> columns) {
        for (String column : columns) {
            if (!column.equals("Id") && !type.fields().containsKey(column)) {
                return "Field name not found : " + column;
            }
        }
        boolean needsId = List.of("update", "delete", "hardDelete").contains(job.operation);
        if (needsId && !columns.contains("Id")) {
            return "Field name not found : Id";
        }
        if (job.operation.equals("upsert") && !columns.contains(job.externalIdFieldName)) {
            return "Field name not found : " + job.externalIdFieldName;
        }
        return null;
    }

    private void writeRow(BulkJob job, SObjectType type, List<String> columns, List<String> row, Writer successful,
            Writer failed) throws IOException {
        job.processed.incrementAndGet();
        if (row.size() != columns.size()) {
            job.failed.incrementAndGet();
            failed.write(result("", "INVALID_FIELD:Row has " + row.size() + " fields but the header has " + columns.size()
                    + ": --", row, job));
            return;
        }
        String id = columns.contains("Id") ? row.get(columns.indexOf("Id")) : "";
        try {
            boolean created = false;
            switch (job.operation) {
                case "insert" -> {
                    id = store.create(type.name(), RecordValues.read(type, json(type, columns, row), true));
                    created = true;
                }
                case "update" -> store.update(type.name(), id, RecordValues.read(type, json(type, columns, row), false));
                case "delete" -> store.delete(type.name(), id);
                case "hardDelete" -> store.hardDelete(type.name(), id);
                default -> {
                    String field = job.externalIdFieldName;
                    ObjectNode values = json(type, columns, row);
                    values.remove(field);
                    Response response = sobjects.upsert(type, field, row.get(columns.indexOf(field)), values, job.apiVersion);
                    if (response.failed() || response.status() == 300) {
                        throw new SObjectException(response.status(), response.status() == 300 ? "DUPLICATE_EXTERNAL_ID"
                                : "NOT_FOUND", response.status() == 300 ? field + ": more than one record found for "
                                + "external id field" : "Provided external ID field does not exist or is not accessible",
                                List.of(field));
                    }
                    Map<?, ?> body = (Map<?, ?>) response.body();
                    id = (String) body.get("id");
                    created = Boolean.TRUE.equals(body.get("created"));
                }
            }
            successful.write(result(id, String.valueOf(created), row, job));
        } catch (SObjectException e) {
            job.failed.incrementAndGet();
            failed.write(result(job.operation.equals("insert") ? "" : id,
                    e.errorCode + ":" + e.getMessage() + ":" + String.join(",", e.fields) + " --", row, job));
        }
    }

    private static String result(String id, String second, List<String> row, BulkJob job) {
        List<String> fields = new ArrayList<>(row.size() + 2);
        fields.add(id);
        fields.add(second);
        fields.addAll(row);
        return Csv.line(fields, job.delimiter, job.crlf);
    }

    /**
     * A row's values in the JSON form REST receives (then read by REST's own typed conversion): empty fields are left
     * out (unchanged), #N/A is null, numbers and booleans must parse.
     */
    private static ObjectNode json(SObjectType type, List<String> columns, List<String> row) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < columns.size(); i++) {
            String field = columns.get(i);
            String value = row.get(i);
            if (field.equals("Id") || value.isEmpty()) {
                continue;
            }
            if (value.equals(NULL)) {
                json.putNull(field);
                continue;
            }
            switch (type.field(field).map(SObjectField::kind).orElse(SObjectType.FieldType.TEXT)) {
                case NUMBER -> {
                    try {
                        json.put(field, new BigDecimal(value.trim()));
                    } catch (NumberFormatException e) {
                        throw notOfType(field, value, "xsd:double");
                    }
                }
                case BOOLEAN -> {
                    String lower = value.trim().toLowerCase(Locale.ROOT);
                    if (!List.of("true", "false", "1", "0").contains(lower)) {
                        throw notOfType(field, value, "xsd:boolean");
                    }
                    json.put(field, lower.equals("true") || lower.equals("1"));
                }
                default -> json.put(field, value);
            }
        }
        return json;
    }

    private static SObjectException notOfType(String field, String value, String xsdType) {
        return new SObjectException(400, "INVALID_FIELD", "Failed to deserialize field. Due to, '" + value
                + "' is not a valid value for the type " + xsdType, List.of(field));
    }

    void query(BulkJob job) {
        synchronized (job) {
            if (!job.state().equals("UploadComplete")) {
                return;
            }
            job.state("InProgress");
        }
        long started = System.currentTimeMillis();
        try {
            List<String> fields = SoqlQuery.parse(job.soql).fields();
            List<Map<String, Object>> records = sobjects.select(job.soql, job.operation.equals("queryAll"));
            long[] offsets = new long[records.size() + 1];
            long position = 0;
            try (BufferedWriter out = Files.newBufferedWriter(job.file("results"), StandardCharsets.UTF_8)) {
                for (int i = 0; i < records.size(); i++) {
                    if (job.state().equals("Aborted")) {
                        return;
                    }
                    offsets[i] = position;
                    List<String> values = new ArrayList<>(fields.size());
                    for (String field : fields) {
                        Object value = records.get(i).get(field);
                        values.add(value == null ? "" : value instanceof Double d && d == Math.rint(d) && !d.isInfinite()
                                ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : String.valueOf(value));
                    }
                    String line = Csv.line(values, job.delimiter, job.crlf);
                    out.write(line);
                    position += line.getBytes(StandardCharsets.UTF_8).length;
                    job.processed.incrementAndGet();
                }
            }
            offsets[records.size()] = position;
            job.recordOffsets = offsets;
            job.header = Csv.line(fields, job.delimiter, job.crlf);
            synchronized (job) {
                if (!job.state().equals("Aborted")) {
                    job.state("JobComplete");
                }
            }
        } catch (SObjectException e) {
            job.fail(e.errorCode + " : " + e.getMessage());
        } catch (IOException e) {
            job.fail("InternalServerError : " + e.getMessage());
        } finally {
            job.processingTook(System.currentTimeMillis() - started);
        }
    }
}
