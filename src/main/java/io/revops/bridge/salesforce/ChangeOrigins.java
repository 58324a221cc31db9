package io.revops.bridge.salesforce;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who made a Salesforce change, from its ChangeEventHeader.changeOrigin. Salesforce writes
 * {@code com/salesforce/api/<api>/<version>;client=<name>} when the call that made the change sent
 * {@code Sforce-Call-Options: client=<name>}; the runtime sends its own name (revops.salesforce.client-name) on
 * every call ({@link SalesforceRecords}), so the change events of its own write-backs, its echoes, name it.
 * An inbound route can drop them with {@code ${bean:changeOrigins?method=fromThisRuntime(${body})}} on the
 * decoded event.
 */
@ApplicationScoped
@Named("changeOrigins")
public class ChangeOrigins {
    /** The header camel-salesforce forwards to the REST call (it forwards exchange headers starting with Sforce). */
    public static final String CALL_OPTIONS_HEADER = "Sforce-Call-Options";

    private final String clientName;

    public ChangeOrigins(@ConfigProperty(name = "revops.salesforce.client-name", defaultValue = "revops-bridge") String clientName) {
        this.clientName = clientName;
    }

    /** The Sforce-Call-Options value the runtime sends with every Salesforce call. */
    public String callOptions() {
        return "client=" + clientName;
    }

    /** Whether a decoded change event ({@link ChangeEvents#toJson}) reports a change this runtime made. */
    public boolean fromThisRuntime(Map<String, Object> changeEvent) {
        Object header = changeEvent == null ? null : changeEvent.get("ChangeEventHeader");
        return header instanceof Map<?, ?> fields && madeBy(String.valueOf(fields.get("changeOrigin")), clientName);
    }

    /** Whether a changeOrigin names {@code client} exactly (not a client whose name merely starts the same). */
    static boolean madeBy(String changeOrigin, String client) {
        int options = changeOrigin == null ? -1 : changeOrigin.indexOf(';');
        if (options < 0) {
            return false;
        }
        for (String option : changeOrigin.substring(options + 1).split("[;,]")) {
            String[] pair = option.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("client") && pair[1].trim().equals(client)) {
                return true;
            }
        }
        return false;
    }
}
