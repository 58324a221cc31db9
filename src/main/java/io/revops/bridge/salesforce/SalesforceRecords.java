package io.revops.bridge.salesforce;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;

import io.revops.bridge.mapping.Json;
import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.Circuit;
import io.revops.bridge.policy.Circuits;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Salesforce writes through the camel-salesforce REST client, behind the Salesforce circuit, each naming the runtime
 * as the client (Sforce-Call-Options, see {@link ChangeOrigins}). Outages, 5xx and
 * REQUEST_LIMIT_EXCEEDED (403) become {@link TransientFailureException}; other refusals (validation rules, unknown
 * fields or records) are business exceptions carrying Salesforce's own message.
 */
@ApplicationScoped
@Named("salesforceRecords")
public class SalesforceRecords {
    static final String SYSTEM = "salesforce";

    @Inject
    ProducerTemplate camel;
    @Inject
    Json json;
    @Inject
    ChangeOrigins changeOrigins;

    private Circuit circuit;

    @Inject
    void guardWith(Circuits circuits) {
        circuit = circuits.circuit(SYSTEM);
    }

    /** Creates or updates the record of {@code sObject} whose {@code idField} is {@code id} with {@code fields}. */
    public void upsert(String sObject, String idField, String id, Object fields) {
        if (id == null || id.isBlank()) {
            // an order status without data.ids.salesforce, an invoice event without ce_subject: nothing to write to
            throw new BusinessException("invalid-event", "invalid-event: cannot write " + sObject
                    + " back to Salesforce: the event does not say which record (" + idField + " is missing)");
        }
        String body = json.write(fields);
        circuit.call(() -> send("salesforce:upsertSObject?sObjectName=" + sObject + "&sObjectIdName=" + idField, body,
                Map.of(SalesforceEndpointConfig.SOBJECT_EXT_ID_VALUE, id)));
    }

    /** Runs a SOQL query (the first page, up to 2,000 records: enough for one order's lines) and returns its records. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> query(String soql) {
        Object response = circuit.call(() -> send("salesforce:query?rawPayload=true", soql, Map.of()));
        Map<String, Object> result = json.toMap(camel.getCamelContext().getTypeConverter().convertTo(String.class, response));
        return (List<Map<String, Object>>) result.getOrDefault("records", List.of());
    }

    /** As {@link #query}, deleted records (the recycle bin) included: the REST queryAll resource. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryAll(String soql) {
        Object response = circuit.call(() -> send("salesforce:queryAll?rawPayload=true", soql, Map.of()));
        Map<String, Object> result = json.toMap(camel.getCamelContext().getTypeConverter().convertTo(String.class, response));
        return (List<Map<String, Object>>) result.getOrDefault("records", List.of());
    }

    private Object send(String uri, String body, Map<String, Object> headers) {
        // the runtime's client name on every call: Salesforce puts it in the changeOrigin of the changes it makes
        Map<String, Object> withClient = new HashMap<>(headers);
        withClient.put(ChangeOrigins.CALL_OPTIONS_HEADER, changeOrigins.callOptions());
        try {
            return camel.requestBodyAndHeaders(uri, body, withClient);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SalesforceException refused && !isTransient(refused)) {
                throw new BusinessException("salesforce-rejected", refused.getMessage());
            }
            if (cause instanceof SalesforceException || cause instanceof IOException) {
                throw new TransientFailureException(SYSTEM, uri + ": " + cause.getMessage(), cause);
            }
            throw e;
        }
    }

    private static boolean isTransient(SalesforceException e) {
        int status = e.getStatusCode();
        return status == 0 || status >= 500 || status == 403 || status == 408 || status == 429;
    }
}
