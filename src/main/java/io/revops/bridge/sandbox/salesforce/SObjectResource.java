package io.revops.bridge.sandbox.salesforce;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.salesforce.ApiCall.Request;
import io.revops.bridge.sandbox.salesforce.ApiCall.Response;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * The sObject resources (create, get, update, delete, upsert by external id, Id included) and SOQL (query and
 * queryAll, paged through nextRecordsUrl), answering {@link ApiCall} requests: the HTTP handler and the composite
 * resources call the same code, so a subrequest is validated, refused and published exactly as a single request.
 */
final class SObjectResource {
    private static final DateTimeFormatter SALESFORCE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private final SObjectStore store;
    private final Map<String, List<Map<String, Object>>> cursors = new ConcurrentHashMap<>();
    private volatile int pageSize = 2000;

    SObjectResource(SObjectStore store) {
        this.store = store;
    }

    void setQueryPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Answers sobjects/..., query and queryAll requests; anything else is NOT_FOUND. */
    Response call(Request request) {
        try {
            return switch (request.resource()) {
                case "query" -> query(request, false);
                case "queryAll" -> query(request, true);
                case "sobjects" -> sobjects(request);
                default -> ApiCall.notFound();
            };
        } catch (SObjectException e) {
            return ApiCall.error(e);
        }
    }

    private Response sobjects(Request request) {
        List<String> path = request.path();
        if (path.size() < 2) {
            return ApiCall.notFound();
        }
        String object = path.get(1);
        SObjectType type = store.type(object);
        String method = request.method();
        switch (path.size()) {
            case 2 -> {
                if (!method.equals("POST")) {
                    return ApiCall.methodNotAllowed(method);
                }
                String id = store.create(object, values(type, request.body()));
                return new Response(201, Map.of("Location", url(request.version(), object, id)),
                        Map.of("id", id, "success", true, "errors", List.of()));
            }
            case 3 -> {
                return record(request, object, path.get(2));
            }
            case 4 -> {
                return upsert(request, type, path.get(2), path.get(3));
            }
            default -> {
                return ApiCall.notFound();
            }
        }
    }

    private Response record(Request request, String object, String id) {
        switch (request.method()) {
            case "GET" -> {
                Map<String, Object> record = store.get(object, id).orElseThrow(() -> new SObjectException(404,
                        "NOT_FOUND", "The requested resource does not exist", List.of()));
                String fields = request.query().get("fields");
                return Response.of(200, rest(object, record, fields == null ? null : List.of(fields.split(","))));
            }
            case "PATCH" -> {
                store.update(object, id, values(store.type(object), request.body()));
                return Response.of(204, null);
            }
            case "DELETE" -> {
                store.delete(object, id);
                return Response.of(204, null);
            }
            default -> {
                return ApiCall.methodNotAllowed(request.method());
            }
        }
    }

    private Response upsert(Request request, SObjectType type, String field, String value) {
        if (!request.method().equals("PATCH")) {
            return ApiCall.methodNotAllowed(request.method());
        }
        return upsert(type, field, value, values(type, request.body()), request.version());
    }

    /** Upsert by an external id field (or Id): 200 created:false on one match, 201 created:true on none, 300 on many. */
    Response upsert(SObjectType type, String field, String value, Map<String, Object> values, String version) {
        List<Map<String, Object>> matches = store.all(type.name()).stream()
                .filter(r -> value.equals(String.valueOf(r.get(field)))).toList();
        if (matches.size() > 1) {
            return Response.of(300, matches.stream().map(r -> url(version, type.name(), (String) r.get("Id"))).toList());
        } else if (matches.size() == 1) {
            String id = (String) matches.get(0).get("Id");
            store.update(type.name(), id, values);
            return Response.of(200, Map.of("id", id, "success", true, "errors", List.of(), "created", false));
        } else if (field.equals("Id")) {
            return ApiCall.error(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + value, List.of());
        }
        values.put(field, value);
        String id = store.create(type.name(), values);
        return new Response(201, Map.of("Location", url(version, type.name(), id)),
                Map.of("id", id, "success", true, "errors", List.of(), "created", true));
    }

    private Response query(Request request, boolean includeDeleted) {
        List<Map<String, Object>> page;
        int total;
        if (request.path().size() == 2) {
            List<Map<String, Object>> rest = cursors.remove(request.path().get(1));
            if (rest == null) {
                return ApiCall.error(400, "INVALID_QUERY_LOCATOR", "invalid query locator", List.of());
            }
            page = rest;
            total = -1;
        } else {
            page = select(request.query().get("q"), includeDeleted);
            total = page.size();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", total >= 0 ? total : page.size());
        boolean more = page.size() > pageSize;
        body.put("done", !more);
        if (more) {
            String cursor = "01g" + UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "-" + pageSize;
            cursors.put(cursor, new ArrayList<>(page.subList(pageSize, page.size())));
            body.put("nextRecordsUrl", "/services/data/" + request.version() + "/" + request.resource() + "/" + cursor);
            page = page.subList(0, pageSize);
        }
        body.put("records", page);
        return Response.of(200, body);
    }

    /**
     * A SOQL query's records as REST returns them; with includeDeleted (queryAll) the recycle bin's records too.
     * TODO(lead, at the sfsoql merge): replace with the SOQL engine's includeDeleted switch.
     */
    List<Map<String, Object>> select(String q, boolean includeDeleted) {
        SoqlQuery soql = SoqlQuery.parse(q);
        SObjectType type = store.type(soql.object());
        List<Map<String, Object>> records = includeDeleted ? store.allIncludingDeleted(type.name()) : store.all(type.name());
        return soql.run(records).stream().map(r -> rest(type.name(), r, soql.fields())).toList();
    }

    /** A record as REST returns it: attributes first, dates in Salesforce's format. */
    static Map<String, Object> rest(String object, Map<String, Object> record, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", Map.of("type", object, "url", url("v59.0", object, (String) record.get("Id"))));
        record.forEach((field, value) -> {
            if (fields == null || fields.contains(field) || field.equals("Id") && fields.contains("Id")) {
                out.put(field, value instanceof Instant instant ? SALESFORCE_TIME.format(instant) : value);
            }
        });
        return out;
    }

    static String url(String version, String object, String id) {
        return "/services/data/" + version + "/sobjects/" + object + "/" + id;
    }

    /** Request fields, checked against the object's fields and given the object's types. */
    static Map<String, Object> values(SObjectType type, JsonNode body) {
        Map<String, Object> values = new HashMap<>();
        body.fields().forEachRemaining(entry -> {
            if (entry.getKey().equals("attributes")) {
                return;
            }
            JsonNode value = entry.getValue();
            SObjectType.FieldType fieldType = type.fields().get(entry.getKey());
            values.put(entry.getKey(), value.isNull() ? null : switch (fieldType == null ? SObjectType.FieldType.TEXT : fieldType) {
                case NUMBER -> value.asDouble();
                case BOOLEAN -> value.asBoolean();
                default -> value.asText();
            });
        });
        return values;
    }
}
