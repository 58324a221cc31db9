package io.revops.bridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.sandbox.salesforce.ApiCall.Request;
import io.revops.bridge.sandbox.salesforce.ApiCall.Response;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * sObject Collections (/composite/sobjects): create (POST), update (PATCH), upsert by external id (PATCH
 * /{Object}/{field}), retrieve (GET ?ids=&fields= or POST {ids, fields}) and delete (DELETE ?ids=) of up to 200
 * records per call (2000 ids for a POST retrieve), answered with one result per record in request order:
 * {id, success, errors[{statusCode, message, fields}]} (plus created for upserts). With allOrNone every record is
 * written in one transaction that rolls back, events included, when any record fails.
 */
final class SObjectCollections {
    static final int MAX_RECORDS = 200;
    private static final int MAX_RETRIEVE_IDS = 2000;
    private static final Map<String, Object> ROLLED_BACK = error("ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "Record rolled back because not all records were valid and the request was using AllOrNone header", List.of());

    private final SObjectStore store;
    private final SObjectResource sobjects;

    SObjectCollections(SObjectStore store, SObjectResource sobjects) {
        this.store = store;
        this.sobjects = sobjects;
    }

    /** A request for composite/sobjects[/...]; allOrNone forced by an enclosing all-or-none composite request. */
    Response call(Request request, boolean forceAllOrNone) {
        List<String> path = request.path();
        String method = request.method();
        try {
            if (path.size() == 2) {
                return switch (method) {
                    case "POST" -> write(request, forceAllOrNone, this::create);
                    case "PATCH" -> write(request, forceAllOrNone, this::update);
                    case "DELETE" -> delete(request, forceAllOrNone);
                    default -> ApiCall.methodNotAllowed(method);
                };
            }
            SObjectType type = store.type(path.get(2));
            if (path.size() == 3) {
                return switch (method) {
                    case "GET" -> retrieve(type, split(request.query().get("ids")), split(request.query().get("fields")),
                            MAX_RECORDS);
                    case "POST" -> retrieve(type, strings(request.body().get("ids")), strings(request.body().get("fields")),
                            MAX_RETRIEVE_IDS);
                    default -> ApiCall.methodNotAllowed(method);
                };
            }
            if (path.size() == 4) {
                return method.equals("PATCH")
                        ? write(request, forceAllOrNone, (record, recordType) -> upsert(record, recordType, path.get(3), request))
                        : ApiCall.methodNotAllowed(method);
            }
            return ApiCall.notFound();
        } catch (SObjectException e) {
            return ApiCall.error(e);
        }
    }

    /** True when any record of a collection result failed (an enclosing all-or-none composite request then fails). */
    static boolean anyFailed(Response response) {
        return response.body() instanceof List<?> results && results.stream()
                .anyMatch(r -> r instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("success")));
    }

    private interface RecordWrite {
        Map<String, Object> apply(JsonNode record, SObjectType type);
    }

    private Response write(Request request, boolean forceAllOrNone, RecordWrite write) {
        JsonNode records = request.body().get("records");
        if (records == null || !records.isArray()) {
            return ApiCall.error(400, "JSON_PARSER_ERROR", "Required field 'records' is missing", List.of());
        }
        if (records.size() > MAX_RECORDS) {
            return tooMany();
        }
        boolean allOrNone = forceAllOrNone || request.body().path("allOrNone").asBoolean(false);
        return store.inTransaction(transaction -> {
            List<Map<String, Object>> results = new ArrayList<>();
            for (JsonNode record : records) {
                results.add(writeOne(record, write));
            }
            if (allOrNone && results.stream().anyMatch(r -> Boolean.FALSE.equals(r.get("success")))) {
                transaction.rollback();
                return Response.of(200, results.stream().map(SObjectCollections::rolledBack).toList());
            }
            return Response.of(200, results);
        });
    }

    private Map<String, Object> writeOne(JsonNode record, RecordWrite write) {
        String typeName = record.path("attributes").path("type").asText("");
        if (typeName.isEmpty()) {
            return failure(null, error("INVALID_TYPE", "Must send a concrete entity type.", List.of()));
        }
        try {
            return write.apply(record, store.type(typeName));
        } catch (SObjectException e) {
            String id = record.hasNonNull("id") ? record.get("id").asText() : record.path("Id").asText(null);
            return failure(id, error(e.errorCode, e.getMessage(), e.fields));
        }
    }

    private Map<String, Object> create(JsonNode record, SObjectType type) {
        if (record.has("id") || record.has("Id")) {
            throw new SObjectException(400, "INVALID_FIELD", "cannot specify Id in an insert call", List.of("Id"));
        }
        return success(store.create(type.name(), RecordValues.read(type, record, true)), null);
    }

    private Map<String, Object> update(JsonNode record, SObjectType type) {
        String id = record.hasNonNull("id") ? record.get("id").asText() : record.path("Id").asText("");
        if (id.isEmpty()) {
            throw new SObjectException(400, "MISSING_ARGUMENT", "Id not specified in an update call", List.of());
        }
        ObjectNode values = ((ObjectNode) record).deepCopy();
        values.remove("id");
        values.remove("Id");
        store.update(type.name(), id, RecordValues.read(type, values, false));
        return success(id, null);
    }

    private Map<String, Object> upsert(JsonNode record, SObjectType type, String field, Request request) {
        String value = record.path(field).asText("");
        if (value.isEmpty()) {
            throw new SObjectException(400, "MISSING_ARGUMENT", field + " not specified", List.of());
        }
        ObjectNode values = ((ObjectNode) record).deepCopy();
        values.remove(field);
        Response response = sobjects.upsert(type, field, value, values, request.version());
        if (response.failed() || response.status() == 300) {
            Map<?, ?> error = response.body() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> m
                    ? m : Map.of("errorCode", "DUPLICATE_EXTERNAL_ID", "message",
                            "Duplicate external id specified: " + value);
            throw new SObjectException(response.status(), String.valueOf(error.get("errorCode")),
                    String.valueOf(error.get("message")), List.of(field));
        }
        Map<?, ?> body = (Map<?, ?>) response.body();
        return success((String) body.get("id"), (Boolean) body.get("created"));
    }

    private Response delete(Request request, boolean forceAllOrNone) {
        List<String> ids = split(request.query().get("ids"));
        if (ids.isEmpty()) {
            return ApiCall.error(400, "MISSING_ARGUMENT", "ids parameter is required", List.of());
        }
        if (ids.size() > MAX_RECORDS) {
            return tooMany();
        }
        boolean allOrNone = forceAllOrNone || Boolean.parseBoolean(request.query().get("allOrNone"));
        return store.inTransaction(transaction -> {
            List<Map<String, Object>> results = new ArrayList<>();
            for (String id : ids) {
                try {
                    SObjectType type = store.typeOfId(id).orElseThrow(() -> new SObjectException(400, "MALFORMED_ID",
                            "malformed id " + id, List.of()));
                    store.delete(type.name(), id);
                    results.add(success(id, null));
                } catch (SObjectException e) {
                    results.add(failure(id, error(e.errorCode.equals("NOT_FOUND") ? "ENTITY_IS_DELETED" : e.errorCode,
                            e.errorCode.equals("NOT_FOUND") ? "entity is deleted" : e.getMessage(), e.fields)));
                }
            }
            if (allOrNone && results.stream().anyMatch(r -> Boolean.FALSE.equals(r.get("success")))) {
                transaction.rollback();
                return Response.of(200, results.stream().map(SObjectCollections::rolledBack).toList());
            }
            return Response.of(200, results);
        });
    }

    private Response retrieve(SObjectType type, List<String> ids, List<String> fields, int maxIds) {
        if (ids.isEmpty() || fields.isEmpty()) {
            return ApiCall.error(400, "MISSING_ARGUMENT", ids.isEmpty() ? "ids parameter is required"
                    : "fields parameter is required", List.of());
        }
        if (ids.size() > maxIds) {
            return tooMany();
        }
        for (String field : fields) {
            if (!field.equals("Id") && !type.fields().containsKey(field)) {
                return ApiCall.error(400, "INVALID_FIELD", "No such column '" + field + "' on entity '" + type.name()
                        + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom "
                        + "field name. Please reference your WSDL or the describe call for the appropriate names.",
                        List.of(field));
            }
        }
        List<Object> records = new ArrayList<>();
        for (String id : ids) {
            // an id that names no live record of this object answers null in its place, as Salesforce does
            records.add(store.get(type.name(), id).map(r -> (Object) sobjects.rest(type.name(), r, fields))
                    .orElse(null));
        }
        return Response.of(200, records);
    }

    private static Response tooMany() {
        return ApiCall.error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than " + MAX_RECORDS
                + " records into this call", List.of());
    }

    private static Map<String, Object> success(String id, Boolean created) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put("success", true);
        result.put("errors", List.of());
        if (created != null) {
            result.put("created", created);
        }
        return result;
    }

    private static Map<String, Object> failure(String id, Map<String, Object> error) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (id != null) {
            result.put("id", id);
        }
        result.put("success", false);
        result.put("errors", List.of(error));
        return result;
    }

    /** A result as an all-or-none call reports it after the rollback: failures keep their error, the rest say why. */
    private static Map<String, Object> rolledBack(Map<String, Object> result) {
        if (Boolean.FALSE.equals(result.get("success"))) {
            return result;
        }
        Map<String, Object> rolledBack = new LinkedHashMap<>();
        rolledBack.put("id", result.get("id"));
        rolledBack.put("success", false);
        rolledBack.put("errors", List.of(ROLLED_BACK));
        return rolledBack;
    }

    private static Map<String, Object> error(String code, String message, List<String> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", code);
        error.put("message", message);
        error.put("fields", fields);
        return error;
    }

    private static List<String> split(String list) {
        return list == null || list.isBlank() ? List.of()
                : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(node -> strings.add(node.asText()));
        }
        return strings;
    }
}
