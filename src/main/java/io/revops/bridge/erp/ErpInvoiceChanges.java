package io.revops.bridge.erp;

import java.util.List;
import java.util.Map;

/**
 * One page of {@link ErpInvoices#changedSince}.
 *
 * @param invoices     the changed invoices as plain JSON maps, oldest change first
 * @param nextPosition where the next page starts: the position of the last invoice returned, or the given one
 */
public record ErpInvoiceChanges(List<Map<String, Object>> invoices, String nextPosition) {
}
