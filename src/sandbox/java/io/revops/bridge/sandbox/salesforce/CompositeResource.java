package io.revops.bridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.salesforce.ApiCall.Request;
import io.revops.bridge.sandbox.salesforce.ApiCall.Response;

/**
 * The composite resources: /composite (up to 25 subrequests with referenceIds, @{ref.field} references and
 * allOrNone), /composite/batch (up to 25 independent subrequests, haltOnError) and sObject Collections
 * (/composite/sobjects, see {@link SObjectCollections}). Subrequests run through {@link SObjectResource}, the code
 * that answers single requests. collateSubrequests is accepted; subrequests always run in their given order, one of
 * the orders Salesforce may choose.
 */
final class CompositeResource {
    static final int MAX_SUBREQUESTS = 25;
    private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z0-9_]+");

    private final SObjectStore store;
    private final SObjectResource sobjects;
    private final SObjectCollections collections;

    CompositeResource(SObjectStore store, SObjectResource sobjects) {
        this.store = store;
        this.sobjects = sobjects;
        this.collections = new SObjectCollections(store, sobjects);
    }

    Response call(Request request) {
        List<String> path = request.path();
        String part = path.size() > 1 ? path.get(1) : "";
        return switch (part) {
            case "sobjects" -> collections.call(request, false);
            case "batch" -> path.size() == 2 && request.method().equals("POST") ? batch(request)
                    : path.size() == 2 ? ApiCall.methodNotAllowed(request.method()) : ApiCall.notFound();
            case "" -> request.method().equals("POST") ? composite(request) : ApiCall.methodNotAllowed(request.method());
            default -> ApiCall.notFound();
        };
    }

    private Response composite(Request request) {
        JsonNode subrequests = request.body().get("compositeRequest");
        if (subrequests == null || !subrequests.isArray() || subrequests.isEmpty()) {
            return ApiCall.error(400, "JSON_PARSER_ERROR", "Required field 'compositeRequest' is missing or empty", List.of());
        }
        if (subrequests.size() > MAX_SUBREQUESTS) {
            return ApiCall.error(400, "LIMIT_EXCEEDED", "Exceeded max number of subrequests: " + MAX_SUBREQUESTS, List.of());
        }
        Response malformed = checkReferenceIds(subrequests);
        if (malformed != null) {
            return malformed;
        }
        boolean allOrNone = request.body().path("allOrNone").asBoolean(false);
        List<Map<String, Object>> results = allOrNone
                ? store.inTransaction(transaction -> {
                    CompositeRun run = new CompositeRun(true);
                    List<Map<String, Object>> all = run.execute(subrequests);
                    if (run.failed) {
                        transaction.rollback();
                    }
                    return all;
                })
                : new CompositeRun(false).execute(subrequests);
        return Response.of(200, Map.of("compositeResponse", results));
    }

    /** Every subrequest needs a method, a url and its own referenceId of letters, digits and underscores. */
    private static Response checkReferenceIds(JsonNode subrequests) {
        List<String> seen = new ArrayList<>();
        for (JsonNode subrequest : subrequests) {
            String referenceId = subrequest.path("referenceId").asText("");
            if (!subrequest.hasNonNull("method") || !subrequest.hasNonNull("url")) {
                return ApiCall.error(400, "JSON_PARSER_ERROR", "Required fields 'method' and 'url' are missing in a "
                        + "subrequest", List.of());
            }
            if (!REFERENCE_ID.matcher(referenceId).matches()) {
                return ApiCall.error(400, "INVALID_INPUT", "Provided referenceId ('" + referenceId + "') must start with "
                        + "a letter or a number, and it can contain only letters, numbers and underscores ('_').", List.of());
            }
            if (seen.contains(referenceId)) {
                return ApiCall.error(400, "INVALID_INPUT", "Duplicate referenceId provided in the request: " + referenceId,
                        List.of());
            }
            seen.add(referenceId);
        }
        return null;
    }

    /** One /composite request's subrequests in order, each seeing the bodies of the ones before it. */
    private final class CompositeRun {
        private final boolean allOrNone;
        private final Map<String, Object> bodies = new HashMap<>();
        private boolean failed;

        CompositeRun(boolean allOrNone) {
            this.allOrNone = allOrNone;
        }

        List<Map<String, Object>> execute(JsonNode subrequests) {
            List<Map<String, Object>> results = new ArrayList<>();
            int failedAt = -1;
            for (JsonNode subrequest : subrequests) {
                String referenceId = subrequest.get("referenceId").asText();
                Response response = failed ? halted() : run(subrequest);
                if (!failed && (response.failed() || allOrNone && SObjectCollections.anyFailed(response))) {
                    failed = allOrNone;
                    failedAt = results.size();
                }
                bodies.put(referenceId, response.body());
                results.add(result(response, referenceId));
            }
            if (allOrNone && failed) {
                // the whole transaction rolled back: every other subrequest reports that, as Salesforce reports it
                for (int i = 0; i < results.size(); i++) {
                    if (i != failedAt) {
                        results.set(i, result(halted(), (String) results.get(i).get("referenceId")));
                    }
                }
            }
            return results;
        }

        private Response run(JsonNode subrequest) {
            References references = new References(bodies);
            String url;
            JsonNode body;
            try {
                url = references.resolve(subrequest.get("url").asText());
                body = subrequest.has("body") ? references.resolve(subrequest.get("body")) : null;
            } catch (References.Unresolved e) {
                return ApiCall.error(400, "PROCESSING_HALTED", e.getMessage(), List.of());
            }
            Request request = Request.of(subrequest.get("method").asText(), url,
                    body == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : body);
            if (request == null) {
                return ApiCall.notFound();
            }
            return dispatch(request, allOrNone);
        }
    }

    /** A subrequest's resource: sObjects, query, queryAll and sObject Collections may be composed. */
    private Response dispatch(Request request, boolean allOrNone) {
        return switch (request.resource()) {
            case "sobjects", "query", "queryAll" -> sobjects.call(request);
            case "composite" -> request.path().size() > 1 && request.path().get(1).equals("sobjects")
                    ? collections.call(request, allOrNone) : ApiCall.notFound();
            default -> ApiCall.notFound();
        };
    }

    private static Response halted() {
        return ApiCall.error(400, "PROCESSING_HALTED",
                "The transaction was rolled back since another operation in the same transaction failed.", List.of());
    }

    private static Map<String, Object> result(Response response, String referenceId) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("body", response.body());
        result.put("httpHeaders", response.headers());
        result.put("httpStatusCode", response.status());
        result.put("referenceId", referenceId);
        return result;
    }

    private Response batch(Request request) {
        JsonNode subrequests = request.body().get("batchRequests");
        if (subrequests == null || !subrequests.isArray() || subrequests.isEmpty()) {
            return ApiCall.error(400, "JSON_PARSER_ERROR", "Required field 'batchRequests' is missing or empty", List.of());
        }
        if (subrequests.size() > MAX_SUBREQUESTS) {
            return ApiCall.error(400, "LIMIT_EXCEEDED", "Exceeded max number of subrequests: " + MAX_SUBREQUESTS, List.of());
        }
        boolean haltOnError = request.body().path("haltOnError").asBoolean(false);
        boolean halted = false;
        boolean hasErrors = false;
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode subrequest : subrequests) {
            Response response;
            if (halted) {
                response = ApiCall.error(412, "BATCH_PROCESSING_HALTED", "Batch processing halted per request", List.of());
            } else {
                // batch urls are relative to /services/data/ ("v59.0/sobjects/Account"); the full form works as well
                String url = subrequest.path("url").asText("");
                url = url.startsWith("/services/data/") ? url : "/services/data/" + url.replaceFirst("^/", "");
                JsonNode input = subrequest.has("richInput") ? subrequest.get("richInput")
                        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                Request sub = Request.of(subrequest.path("method").asText("GET"), url, input);
                // a batch composes sObject and query resources, not sObject Collections
                response = sub == null || sub.resource().equals("composite") ? ApiCall.notFound() : dispatch(sub, false);
            }
            hasErrors |= response.failed();
            halted |= haltOnError && response.failed();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("statusCode", response.status());
            result.put("result", response.body());
            results.add(result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hasErrors", hasErrors);
        body.put("results", results);
        return Response.of(200, body);
    }
}
