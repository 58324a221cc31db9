package io.revops.bridge.salesforce;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who made a Salesforce change, from its ChangeEventHeader.changeOrigin. Salesforce writes
 * {@code com/salesforce/api/<api>/<version>;client=<name>} when the call that made the change sent
 * {@code Sforce-Call-Options: client=<name>}; the runtime sends its own name (revops.salesforce.client-name) on
 * every call ({@link SalesforceRecords}), so the change events of its own write-backs, its echoes, name it.
 * An inbound route drops them before decoding ({@link #fromOthers}): everything in them came from another system and
 * is on its way already.
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

    /**
     * Whether a change event reports a change this runtime made: the Avro record camel-salesforce delivers, or the
     * decoded tree ({@link ChangeEvents#toJson}).
     */
    public boolean fromThisRuntime(Object changeEvent) {
        Object header = field(changeEvent, "ChangeEventHeader");
        return header != null && madeBy(String.valueOf(field(header, "changeOrigin")), clientName);
    }

    /** Route filter: anything but this runtime's own echo goes on (an unreadable event too: decoding refuses it). */
    public boolean fromOthers(Object changeEvent) {
        return !fromThisRuntime(changeEvent);
    }

    private static Object field(Object record, String name) {
        if (record instanceof GenericRecord avro) {
            return avro.getSchema().getField(name) == null ? null : avro.get(name);
        }
        return record instanceof Map<?, ?> map ? map.get(name) : null;
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
