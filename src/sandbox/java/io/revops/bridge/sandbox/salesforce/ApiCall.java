package io.revops.bridge.sandbox.salesforce;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * One REST call in the emulator's internal form, so that an HTTP request and a composite subrequest run through the
 * same code: the method, the API version, the resource path after it (e.g. [sobjects, Account, 001...]), the query
 * parameters and the JSON body; answered by a status, response headers and a body Jackson writes.
 */
final class ApiCall {
    private ApiCall() {
    }

    record Request(String method, String version, List<String> path, Map<String, String> query,
            Map<String, String> headers, JsonNode body) {
        String resource() {
            return path.isEmpty() ? "" : path.get(0);
        }

        /** A request header by name in any letter case (HTTP header names are case-insensitive); null when absent. */
        String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        Request withHeaders(Map<String, String> headers) {
            return new Request(method, version, path, query, headers, body);
        }

        /**
         * A request for a URL as composite subrequests carry it ("/services/data/v59.0/sobjects/Account?x=y"); null
         * when the URL does not name a data resource.
         */
        static Request of(String method, String url, JsonNode body) {
            URI uri;
            try {
                uri = URI.create(url.replace(" ", "%20"));
            } catch (IllegalArgumentException e) {
                return null;
            }
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/services/data/")) {
                return null;
            }
            return of(method, path.substring("/services/data/".length()), uri.getRawQuery(), body);
        }

        /** A request for a path after /services/data/ (version first) and a raw query string. */
        static Request of(String method, String pathAfterData, String rawQuery, JsonNode body) {
            List<String> segments = Arrays.stream(pathAfterData.split("/")).filter(s -> !s.isEmpty())
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
            String version = segments.isEmpty() ? "" : segments.get(0);
            return new Request(method, version, segments.isEmpty() ? List.of() : segments.subList(1, segments.size()),
                    parameters(rawQuery), Map.of(), body);
        }
    }

    /** The decoded parameters of a raw query string. */
    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return parameters;
    }

    record Response(int status, Map<String, String> headers, Object body) {
        static Response of(int status, Object body) {
            return new Response(status, Map.of(), body);
        }

        boolean failed() {
            return status >= 400;
        }
    }

    /** Salesforce's error body: [{message, errorCode, fields}]. */
    static Response error(int status, String code, String message, List<String> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", code);
        error.put("fields", fields);
        return Response.of(status, List.of(error));
    }

    static Response error(SObjectException e) {
        return error(e.status, e.errorCode, e.getMessage(), e.fields);
    }

    static Response notFound() {
        return error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
    }

    static Response methodNotAllowed(String method) {
        return error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
    }
}
