package io.revops.bridge.reconciliation;

import java.sql.SQLException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.billing.BillingFeed;
import io.revops.bridge.billing.BillingPage;
import io.revops.bridge.erp.ErpInvoices;
import io.revops.bridge.salesforce.SalesforceRecords;

/**
 * Invoices across the three systems, in two paged phases, the cursor saying which and where:
 * <ol>
 * <li>{@code billing:<offset>}: Kill Bill's invoices in creation order (its pagination) against the ERP, where each
 * must be booked once under reference KB-&lt;number&gt; (missing-in-target, duplicate-in-target) with billing's total
 * (amount-mismatch); the ERP's open amount is of record, so a billing balance that differs from it is reported
 * against billing (amount-mismatch on balance: a payment one side has and the other has not).</li>
 * <li>{@code erp:<last id>}: the ERP's posted and paid customer invoices by id (billing's and the sales' own) against
 * Salesforce Invoice__c, through the same two mappings as the write-back: status (status-mismatch), total and balance
 * (amount-mismatch), missing.</li>
 * </ol>
 * Each page is one Kill Bill listing (plus a read per invoice, as the feed does), one Tryton search_read with its
 * related reads and one SOQL query, {@code revops.reconciliation.invoice.page-size} invoices at most.
 */
@ApplicationScoped
public class InvoiceReconciler implements ObjectReconciler {
    static final String OBJECT = "invoice";
    private static final String BILLING = "billing:";
    private static final String ERP = "erp:";
    private static final String TOPIC = "revops.invoice.v1";

    private final BillingFeed billing;
    private final ErpInvoices erp;
    private final SalesforceRecords salesforce;
    private final RepublishedEvents events;
    private final int pageSize;

    @Inject
    public InvoiceReconciler(BillingFeed billing, ErpInvoices erp, SalesforceRecords salesforce, RepublishedEvents events,
            @ConfigProperty(name = "revops.reconciliation.invoice.page-size", defaultValue = "200") int pageSize) {
        this.billing = billing;
        this.erp = erp;
        this.salesforce = salesforce;
        this.events = events;
        this.pageSize = pageSize;
    }

    @Override
    public String object() {
        return OBJECT;
    }

    @Override
    public String reconcilePage(String cursor, Consumer<Drift> drifts) {
        if (cursor == null || cursor.startsWith(BILLING)) {
            return billingPage(cursor == null ? 0 : Long.parseLong(cursor.substring(BILLING.length())), drifts);
        }
        if (cursor.startsWith(ERP)) {
            return erpPage(Integer.parseInt(cursor.substring(ERP.length())), drifts);
        }
        throw new IllegalArgumentException("not an invoice reconciliation cursor: " + cursor);
    }

    private String billingPage(long offset, Consumer<Drift> drifts) {
        BillingPage page = billing.invoicesAfter(offset, pageSize);
        if (page.items().isEmpty()) {
            return ERP + 0;
        }
        Map<String, Map<String, Object>> billed = new LinkedHashMap<>();
        for (Map<String, Object> invoice : page.items()) {
            if ("COMMITTED".equals(invoice.get("status"))) { // drafts and voided invoices are never booked
                billed.put("KB-" + invoice.get("invoiceNumber"), invoice);
            }
        }
        Map<String, List<Map<String, Object>>> booked = erp.postedWithReferences(billed.keySet()).stream()
                .collect(Collectors.groupingBy(invoice -> (String) invoice.get("reference")));
        billed.forEach((number, invoice) -> RecordComparison.compare(OBJECT, number, "billing", drifts, () -> {
            List<Map<String, Object>> bookings = booked.getOrDefault(number, List.of());
            if (bookings.isEmpty()) {
                drifts.accept(drift(number, DriftKind.MISSING_IN_TARGET, "billing", "erp", null, text(invoice.get("amount")), null));
            } else if (bookings.size() > 1) {
                drifts.accept(drift(number, DriftKind.DUPLICATE_IN_TARGET, "billing", "erp", "invoiceNumber", "1",
                        String.valueOf(bookings.size())));
            } else {
                Map<String, Object> booking = bookings.get(0);
                compare(number, "totalAmount", invoice.get("amount"), booking.get("totalAmount"), "billing", "erp", drifts);
                compare(number, "balance", booking.get("amountToPay"), invoice.get("balance"), "erp", "billing", drifts);
            }
        }));
        return BILLING + page.nextPosition();
    }

    private String erpPage(int afterId, Consumer<Drift> drifts) {
        List<Map<String, Object>> invoices = erp.postedAfterId(afterId, pageSize);
        if (invoices.isEmpty()) {
            return null;
        }
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        for (Map<String, Object> invoice : invoices) {
            RecordComparison.compare(OBJECT, String.valueOf(invoice.get("number")), "erp", drifts, () -> {
                Map<String, Object> event = events.map("erp/invoice-to-canonical", input(invoice));
                expected.put((String) event.get("subject"), events.map("salesforce/invoice-to-sobject", event.get("data")));
            });
        }
        Map<String, Map<String, Object>> written = new HashMap<>();
        for (Map<String, Object> record : salesforce.query("SELECT Invoice_Number__c, Status__c, Total_Amount__c, Balance__c"
                + " FROM Invoice__c WHERE Invoice_Number__c IN (" + quoted(expected.keySet()) + ")")) {
            written.put((String) record.get("Invoice_Number__c"), record);
        }
        expected.forEach((number, fields) -> {
            Map<String, Object> record = written.get(number);
            if (record == null) {
                drifts.accept(drift(number, DriftKind.MISSING_IN_TARGET, "erp", "salesforce", null,
                        text(fields.get("Status__c")), null));
                return;
            }
            if (!String.valueOf(fields.get("Status__c")).equals(String.valueOf(record.get("Status__c")))) {
                drifts.accept(drift(number, DriftKind.STATUS_MISMATCH, "erp", "salesforce", "status",
                        text(fields.get("Status__c")), text(record.get("Status__c"))));
            }
            compare(number, "totalAmount", fields.get("Total_Amount__c"), record.get("Total_Amount__c"), "erp", "salesforce", drifts);
            compare(number, "balance", fields.get("Balance__c"), record.get("Balance__c"), "erp", "salesforce", drifts);
        });
        return ERP + invoices.get(invoices.size() - 1).get("id");
    }

    /**
     * Missing in the ERP: billing's invoice is published again and booked by erp-invoice-posting. Missing or different
     * in Salesforce: the ERP's invoice is published again and written by salesforce-invoice-writeback. A total that
     * differs in the ERP or a balance that differs in billing is a finance decision (a credit note, a payment to
     * record), not something a republished event can change: refused.
     */
    @Override
    public void repair(Drift drift, String repairId) throws SQLException {
        String number = drift.businessKey();
        if ("salesforce".equals(drift.target())) {
            Map<String, Object> invoice = erp.postedByInvoiceNumber(number).orElseThrow(() -> new IllegalStateException(
                    "invoice " + number + " is no longer posted in the ERP: nothing to write to Salesforce"));
            events.publish(TOPIC, events.map("erp/invoice-to-canonical", input(invoice)), repairId);
        } else if ("erp".equals(drift.target()) && drift.kind() == DriftKind.MISSING_IN_TARGET) {
            long billingNumber = Long.parseLong(number.substring("KB-".length()));
            Map<String, Object> invoice = billing.invoiceByNumber(billingNumber).orElseThrow(() -> new IllegalStateException(
                    "billing no longer has invoice " + number));
            events.publish(TOPIC, events.map("billing/invoice-to-canonical", invoice), repairId);
        } else {
            throw new RepairRefusedException("a " + drift.kind().wire() + " of invoice " + number + " in "
                    + drift.target() + " is not repaired by republishing: " + (drift.kind() == DriftKind.AMOUNT_MISMATCH
                            ? "correct it in " + drift.target() + " (a credit note, or the missing payment recorded)"
                            : "merge or remove the extra record in " + drift.target()));
        }
    }

    private static Map<String, Object> input(Map<String, Object> invoice) {
        return Map.of("body", invoice, "headers", Map.of(), "variables", Map.of());
    }

    private static void compare(String number, String field, Object expected, Object actual, String systemOfRecord,
            String target, Consumer<Drift> drifts) {
        BigDecimal want = decimal(expected);
        BigDecimal have = decimal(actual);
        if (want == null ? have != null : have == null || want.compareTo(have) != 0) {
            drifts.accept(drift(number, DriftKind.AMOUNT_MISMATCH, systemOfRecord, target, field, text(want), text(have)));
        }
    }

    private static Drift drift(String number, DriftKind kind, String systemOfRecord, String target, String field,
            String expected, String actual) {
        return new Drift(OBJECT, number, kind, systemOfRecord, target, field, expected, actual);
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : new BigDecimal(value.toString());
    }

    /** Amounts as plain numbers without trailing zeros (10.00 in billing, 10 in Salesforce and 10.0 from JSON alike). */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal || value instanceof Number
                ? new BigDecimal(value.toString()).stripTrailingZeros().toPlainString() : value.toString();
    }

    /** SOQL string literals; invoice numbers are ours (KB-n) or Tryton's, quotes and backslashes escaped all the same. */
    static String quoted(Iterable<String> values) {
        List<String> literals = new ArrayList<>();
        values.forEach(value -> literals.add("'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"));
        return String.join(", ", literals);
    }
}
