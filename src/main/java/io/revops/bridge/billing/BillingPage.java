package io.revops.bridge.billing;

import java.util.List;
import java.util.Map;

/**
 * One page of what billing produced, oldest first, and the position to checkpoint: reading from nextPosition
 * returns only what came after this page (nextPosition = the position read from + the number of items).
 */
public record BillingPage(List<Map<String, Object>> items, long nextPosition) {
}
