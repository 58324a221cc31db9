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
    private final SoqlEngine soql;
    private final QueryPages queries;

    SObjectResource(SObjectStore store) {
        this.store = store;
        this.soql = new SoqlEngine(store, "v59.0");
        this.queries = new QueryPages(soql);
    }

    void setQueryPageSize(int pageSize) {
        queries.setDefaultBatch(pageSize);
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
        SObjectType type = store.type(path.get(1));
        String object = type.name();
        String method = request.method();
        switch (path.size()) {
            case 2 -> {
                if (!method.equals("POST")) {
                    return ApiCall.methodNotAllowed(method);
                }
                String id = store.create(object, RecordValues.read(type, request.body(), true));
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
                store.update(object, id, RecordValues.read(store.type(object), request.body(), false));
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
        return upsert(type, field, value, request.body(), request.version());
    }

    /**
     * Upsert by an external id field (or Id), found through the store's index: 200 created:false on one match (the
     * body read as an update), 201 created:true on none (read as a create), 300 on many.
     */
    Response upsert(SObjectType type, String fieldName, String value, JsonNode body, String version) {
        SObjectField field = type.field(fieldName).filter(f -> f.name().equals("Id") || f.externalId())
                .orElseThrow(() -> new SObjectException(404, "NOT_FOUND", "Provided external ID field does not exist or "
                        + "is not accessible: " + fieldName, List.of()));
        List<Map<String, Object>> matches = field.name().equals("Id")
                ? store.get(type.name(), value).map(List::of).orElse(List.of())
                : store.findBy(type.name(), field.name(), value, false);
        if (matches.size() > 1) {
            return Response.of(300, matches.stream().map(r -> url(version, type.name(), (String) r.get("Id"))).toList());
        } else if (matches.size() == 1) {
            String id = (String) matches.get(0).get("Id");
            store.update(type.name(), id, RecordValues.read(type, body, false));
            return Response.of(200, Map.of("id", id, "success", true, "errors", List.of(), "created", false));
        } else if (field.name().equals("Id")) {
            return ApiCall.error(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + value, List.of());
        }
        Map<String, Object> values = RecordValues.read(type, body, true);
        values.put(field.name(), value);
        String id = store.create(type.name(), values);
        return new Response(201, Map.of("Location", url(version, type.name(), id)),
                Map.of("id", id, "success", true, "errors", List.of(), "created", true));
    }

    private Response query(Request request, boolean includeDeleted) {
        String resource = request.resource();
        if (request.path().size() == 2) {
            return Response.of(200, queries.next(request.version(), resource, request.path().get(1)));
        }
        return Response.of(200, queries.first(request.version(), includeDeleted ? "queryAll" : "query",
                request.query().get("q"), request.header("Sforce-Query-Options")));
    }

    /** A SOQL query's records as REST returns them; with includeDeleted (queryAll) the recycle bin's records too. */
    List<Map<String, Object>> select(String q, boolean includeDeleted) {
        return soql.run(q, includeDeleted).records();
    }

    /** A record as REST returns it: attributes first, values typed by their fields (dates in Salesforce's format). */
    Map<String, Object> rest(String object, Map<String, Object> record, List<String> fields) {
        SObjectType type = store.type(object);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", Map.of("type", type.name(), "url", url("v59.0", type.name(), (String) record.get("Id"))));
        for (SObjectField field : type.describedFields()) {
            if (fields == null || fields.stream().anyMatch(f -> f.trim().equalsIgnoreCase(field.name()))) {
                out.put(field.name(), SoqlEngine.rest(type, field, record));
            }
        }
        return out;
    }

    static String url(String version, String object, String id) {
        return "/services/data/" + version + "/sobjects/" + object + "/" + id;
    }
}
