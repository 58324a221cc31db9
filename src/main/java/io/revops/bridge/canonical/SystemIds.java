package io.revops.bridge.canonical;

/** The ids one business object has in each system; null where it does not exist (yet). */
public record SystemIds(String salesforce, String erp, String billing) {
}
