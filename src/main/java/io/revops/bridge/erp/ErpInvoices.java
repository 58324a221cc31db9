package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * ERP system API for receivables: billing invoices posted as Tryton customer invoices on our invoice key (the
 * invoice's reference), payments applied through Tryton's pay wizard on our payment id (the payment move's
 * description), and the feed of posted and paid customer invoices for the systems downstream. Each write first
 * looks up what Tryton already has, so retries and replays post once and pay once.
 */
@ApplicationScoped
@Named("erpInvoices")
public class ErpInvoices {
    private static final List<String> INVOICE_FIELDS = List.of("number", "reference", "state", "total_amount",
            "amount_to_pay", "currency", "payment_lines");

    private final TrytonClient tryton;
    private final TrytonLookups lookups;
    private final PayInvoiceWizard payWizard;
    private final InvoiceChangeFeed changes;
    private final RevenueDeferrals deferrals;
    private final KeyLocks locks = new KeyLocks();

    @Inject
    public ErpInvoices(TrytonClient tryton) {
        this.tryton = tryton;
        this.lookups = new TrytonLookups(tryton);
        this.payWizard = new PayInvoiceWizard(tryton);
        this.changes = new InvoiceChangeFeed(tryton, lookups);
        this.deferrals = new RevenueDeferrals(tryton);
    }

    /**
     * Posts a billing invoice in the ERP: creates it when absent, posts it when still draft, returns it as it is
     * when already posted or paid. Lines with deferFrom/deferTo have their revenue deferred over those days (both
     * included): posting makes the deferrals, which are then run (see {@link RevenueDeferrals}).
     *
     * @param invoice {reference, customerKey, currency, invoiceDate (yyyy-MM-dd), lines: [{product, description,
     *                quantity, unitPrice, deferFrom?, deferTo? (yyyy-MM-dd)}]}; quantities and prices as decimal
     *                strings
     * @throws PrerequisiteMissingException customer-not-in-erp
     * @throws BusinessException unknown-product (nothing is created), erp-rejected, invalid-event
     */
    public ErpInvoice post(Map<String, Object> invoice) {
        String reference = InputFields.required(invoice, "reference", "ERP invoice");
        return locks.withLock(reference, () -> {
            Integer existing = find(reference);
            boolean created = existing == null;
            int invoiceId = created ? create(reference, invoice) : existing;
            ErpInvoice current = read(invoiceId, created);
            boolean deferred = InputFields.lines(invoice, "invoice " + reference).stream()
                    .anyMatch(line -> line.get("deferFrom") != null);
            switch (current.state()) {
                case "draft", "validated" -> {
                    tryton.call("model.account.invoice.post", List.of(invoiceId));
                    if (deferred) {
                        deferrals.runDrafts(invoiceId);
                    }
                    return read(invoiceId, created);
                }
                case "posted", "paid" -> {
                    if (deferred) {
                        deferrals.runDrafts(invoiceId); // a retry after a failure between posting and running
                    }
                    return current;
                }
                default -> throw new BusinessException("erp-rejected", "invoice " + reference + " (ERP "
                        + current.number() + ") was " + current.state() + " in the ERP");
            }
        });
    }

    /** The revenue schedules of the deferred lines of the customer invoice with this reference (none if absent). */
    public List<ErpRevenueSchedule> revenueSchedules(String reference) {
        Integer invoiceId = find(reference);
        if (invoiceId == null) {
            return List.of();
        }
        return deferrals.of(invoiceId, lookups.currency(readRow(invoiceId).path("currency").asInt()).digits());
    }

    /**
     * Applies a payment to a posted invoice, once per payment id; a payment smaller than what is left to pay
     * leaves the invoice posted with the rest to pay, the last one makes it paid.
     *
     * @param payment {invoiceReference, paymentId, amount, currency, date (yyyy-MM-dd)}
     * @throws PrerequisiteMissingException invoice-not-in-erp: absent or not posted yet
     * @throws BusinessException overpayment, currency-mismatch, erp-rejected, invalid-event
     */
    public ErpInvoice applyPayment(Map<String, Object> payment) {
        String reference = InputFields.required(payment, "invoiceReference", "ERP payment");
        String paymentId = InputFields.required(payment, "paymentId", "ERP payment");
        BigDecimal amount = InputFields.decimal(InputFields.required(payment, "amount", "payment " + paymentId),
                "amount of payment " + paymentId);
        if (amount.signum() <= 0) {
            throw new BusinessException("invalid-event", "payment " + paymentId + " of " + amount + " is not positive");
        }
        LocalDate date = InputFields.date(payment, "date", "payment " + paymentId);
        return locks.withLock(reference, () -> {
            Integer invoiceId = find(reference);
            if (invoiceId == null) {
                throw new PrerequisiteMissingException("invoice-not-in-erp", "invoice " + reference
                        + " is not in the ERP yet; payment " + paymentId + " waits for it");
            }
            JsonNode row = readRow(invoiceId);
            ErpInvoice invoice = invoice(invoiceId, row, false);
            switch (invoice.state()) {
                case "draft", "validated" -> throw new PrerequisiteMissingException("invoice-not-in-erp", "invoice "
                        + reference + " is not posted in the ERP yet; payment " + paymentId + " waits for it");
                case "posted", "paid" -> {
                }
                default -> throw new BusinessException("erp-rejected", "invoice " + reference + " (ERP "
                        + invoice.number() + ") was " + invoice.state() + " in the ERP; payment " + paymentId
                        + " cannot be applied");
            }
            if (alreadyApplied(row.path("payment_lines"), paymentId)) {
                return invoice;
            }
            TrytonLookups.Currency currency = lookups.currency(InputFields.required(payment, "currency", "payment " + paymentId));
            int invoiceCurrency = row.path("currency").asInt();
            if (currency.id() != invoiceCurrency) {
                throw new BusinessException("currency-mismatch", "payment " + paymentId + " is in " + currency.code()
                        + ", invoice " + reference + " in " + lookups.currency(invoiceCurrency).code());
            }
            if (amount.compareTo(invoice.amountToPay()) > 0) {
                throw new BusinessException("overpayment", "payment " + paymentId + " of " + amount + " "
                        + currency.code() + " is more than the " + invoice.amountToPay() + " " + currency.code()
                        + " left to pay on invoice " + reference + " (ERP " + invoice.number() + ")");
            }
            payWizard.pay(invoiceId, amount, currency.id(), lookups.paymentMethod(), date, paymentId);
            return read(invoiceId, false);
        });
    }

    /**
     * Customer invoices posted or paid since a position, oldest change first; a payment changes its invoice.
     *
     * @param position a nextPosition or changedAt from an earlier call; null starts from the beginning
     */
    public ErpInvoiceChanges changedSince(String position, int limit) {
        return changes.since(position, limit);
    }

    /**
     * {@link #changedSince}, preceded by the changes written within {@code overlap} before the position (at most
     * {@code lateLimit}) whose changedAt {@code published} does not know: those committed out of order.
     */
    public ErpInvoiceChanges changedSince(String position, int limit, Duration overlap, int lateLimit,
            Predicate<String> published) {
        return changes.withLateChanges(position, limit, overlap, lateLimit, published);
    }

    /** Posted and paid customer invoices with an id above {@code afterId}, by id, described as changes are. */
    public List<Map<String, Object>> postedAfterId(int afterId, int limit) {
        return changes.matching(List.of(List.of("id", ">", afterId)), limit);
    }

    /** The posted and paid customer invoices with these references (our invoice keys), described as changes are. */
    public List<Map<String, Object>> postedWithReferences(Collection<String> references) {
        return references.isEmpty() ? List.of()
                : changes.matching(List.of(List.of("reference", "in", List.copyOf(references))), Integer.MAX_VALUE);
    }

    /**
     * The posted and paid customer invoices of an order: those of its sales (by sale reference: the order and its
     * changes) and the bookings of its billing invoices (by reference), described as changes are.
     */
    public List<Map<String, Object>> postedOfOrder(Collection<String> saleReferences, Collection<String> invoiceReferences) {
        List<Object> saleInvoices = new ArrayList<>();
        if (!saleReferences.isEmpty()) {
            for (JsonNode sale : tryton.call("model.sale.sale.search_read",
                    List.of(List.of("reference", "in", List.copyOf(saleReferences))), 0, null, null, List.of("invoices"))) {
                sale.path("invoices").forEach(id -> saleInvoices.add(id.asInt()));
            }
        }
        List<Map<String, Object>> invoices = new ArrayList<>();
        if (!saleInvoices.isEmpty()) {
            invoices.addAll(changes.matching(List.of(List.of("id", "in", saleInvoices)), Integer.MAX_VALUE));
        }
        invoices.addAll(postedWithReferences(invoiceReferences));
        return invoices;
    }

    /**
     * The posted or paid customer invoice an invoice number names: a billing invoice's KB-number is its reference,
     * the ERP's own invoices go by the ERP number.
     */
    public Optional<Map<String, Object>> postedByInvoiceNumber(String invoiceNumber) {
        String field = invoiceNumber.startsWith("KB-") ? "reference" : "number";
        return changes.matching(List.of(List.of(field, "=", invoiceNumber)), 1).stream().findFirst();
    }

    /**
     * The payments applied to the invoices with these references: payment id (the payment move's description, as
     * {@link #applyPayment} writes it) -> the amount of each application, so a payment applied twice shows twice.
     */
    public Map<String, List<BigDecimal>> appliedPayments(Collection<String> references) {
        Map<String, List<BigDecimal>> applied = new LinkedHashMap<>();
        if (references.isEmpty()) {
            return applied;
        }
        List<Integer> lines = new ArrayList<>();
        for (JsonNode invoice : tryton.call("model.account.invoice.search_read",
                List.of(List.of("type", "=", "out"), List.of("reference", "in", List.copyOf(references))), 0, null,
                List.of(List.of("id", "ASC")), List.of("payment_lines"))) {
            invoice.path("payment_lines").forEach(line -> lines.add(line.asInt()));
        }
        if (lines.isEmpty()) {
            return applied;
        }
        for (JsonNode line : tryton.call("model.account.move.line.read", lines, List.of("move_description", "credit"))) {
            String paymentId = line.path("move_description").asText(null);
            if (paymentId != null) {
                applied.computeIfAbsent(paymentId, id -> new ArrayList<>()).add(TrytonValues.decimal(line.get("credit")));
            }
        }
        return applied;
    }

    private Integer find(String reference) {
        JsonNode ids = tryton.call("model.account.invoice.search",
                List.of(List.of("type", "=", "out"), List.of("reference", "=", reference)), 0, 1,
                List.of(List.of("id", "ASC")));
        return ids.isEmpty() ? null : ids.get(0).asInt();
    }

    private int create(String reference, Map<String, Object> invoice) {
        String usedBy = "invoice " + reference;
        TrytonLookups.Customer customer = lookups.customer(InputFields.required(invoice, "customerKey", usedBy), usedBy);
        List<Map<String, Object>> lines = InputFields.lines(invoice, usedBy);
        Map<String, TrytonLookups.Product> products = lookups.products(
                lines.stream().map(line -> String.valueOf(line.get("product"))).toList(), usedBy);
        TrytonLookups.Currency currency = lookups.currency(InputFields.required(invoice, "currency", usedBy));
        LocalDate invoiceDate = InputFields.date(invoice, "invoiceDate", usedBy);

        List<Map<String, Object>> invoiceLines = new ArrayList<>();
        for (Map<String, Object> line : lines) {
            TrytonLookups.Product product = products.get(String.valueOf(line.get("product")));
            TrytonLookups.InvoiceLineDefaults defaults = lookups.invoiceLineDefaults(product, customer.partyId());
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("type", "line");
            values.put("product", product.id());
            values.put("account", defaults.account());
            values.put("unit", defaults.unit());
            values.put("quantity", InputFields.decimal(line.get("quantity"), "quantity of " + product.code()));
            values.put("unit_price", TrytonValues.decimal(
                    InputFields.decimal(line.get("unitPrice"), "unit price of " + product.code())));
            values.put("description", line.get("description"));
            if (line.get("deferFrom") != null) {
                values.put("defer_from", TrytonValues.date(InputFields.date(line, "deferFrom", usedBy)));
                values.put("defer_to", TrytonValues.date(InputFields.date(line, "deferTo", usedBy)));
            }
            invoiceLines.add(values);
        }
        // what the Tryton client fills in through on_change, RPC create does not: journal, account, address, term
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", "out");
        values.put("reference", reference);
        values.put("party", customer.partyId());
        values.put("invoice_address", customer.addressId());
        values.put("currency", currency.id());
        values.put("invoice_date", TrytonValues.date(invoiceDate));
        values.put("journal", lookups.revenueJournal());
        values.put("account", lookups.receivableAccount(customer.partyId(), invoiceDate));
        values.put("payment_term", lookups.paymentTerm());
        values.put("lines", List.of(List.of("create", invoiceLines)));
        return tryton.call("model.account.invoice.create", List.of(values)).get(0).asInt();
    }

    private ErpInvoice read(int invoiceId, boolean created) {
        return invoice(invoiceId, readRow(invoiceId), created);
    }

    private JsonNode readRow(int invoiceId) {
        return tryton.call("model.account.invoice.read", List.of(invoiceId), INVOICE_FIELDS).get(0);
    }

    private ErpInvoice invoice(int invoiceId, JsonNode row, boolean created) {
        int digits = lookups.currency(row.path("currency").asInt()).digits();
        return new ErpInvoice(invoiceId, row.path("number").asText(null), row.path("reference").asText(null),
                row.path("state").asText(), money(row.get("total_amount"), digits),
                money(row.get("amount_to_pay"), digits), created);
    }

    /** Whether a payment move of the invoice carries the payment id (the pay wizard's description). */
    private boolean alreadyApplied(JsonNode paymentLines, String paymentId) {
        if (paymentLines.isEmpty()) {
            return false;
        }
        for (JsonNode line : tryton.call("model.account.move.line.read", paymentLines, List.of("move_description"))) {
            if (paymentId.equals(line.path("move_description").asText(null))) {
                return true;
            }
        }
        return false;
    }

    /** Tryton answers 0 for "nothing to pay": amounts go out at the currency's digits. */
    static BigDecimal money(JsonNode value, int digits) {
        BigDecimal amount = TrytonValues.decimal(value);
        return amount == null ? null : amount.setScale(digits, RoundingMode.HALF_EVEN);
    }
}
