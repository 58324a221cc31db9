package io.revops.bridge.erp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * ERP system API for contract changes. Tryton books a change as a sale of its own whose reference is the change id
 * and whose description names the sale it amends (not sale_amendment: that module rewrites the lines of the original
 * sale, and the recurring lines it would change are comment lines here, billed by billing; an accountant reads each
 * change as its own document, with its own invoice for what it adds; a reduction is a return sale referencing the
 * original, its negative quantities credited, as Tryton books a return). The original order's sale must be accepted
 * first: until it is, the change waits (parked). A retry continues the same change sale ({@link ErpSales#place}).
 */
@ApplicationScoped
@Named("erpContractChanges")
public class ErpContractChanges {
    private static final Set<String> ACCEPTED_STATES = Set.of("confirmed", "processing", "done");

    private final TrytonClient tryton;
    private final ErpSales sales;
    private final TrytonLookups lookups;

    @Inject
    public ErpContractChanges(TrytonClient tryton, ErpSales sales) {
        this.tryton = tryton;
        this.sales = sales;
        this.lookups = new TrytonLookups(tryton);
    }

    /**
     * @param change the change's sale as {@link ErpSales#place} takes it, plus originalReference (the order it
     *               amends) and effectiveDate
     * @throws PrerequisiteMissingException order-not-accepted-in-erp: the original order has no accepted sale yet
     * @throws BusinessException erp-rejected: the original sale was cancelled, so there is nothing to amend;
     *             invalid-change: the original sale is another customer's (a change never moves a contract)
     */
    public ErpContractChange book(Map<String, Object> change) {
        String reference = InputFields.required(change, "reference", "ERP contract change");
        String originalReference = InputFields.required(change, "originalReference", "contract change " + reference);
        JsonNode original = tryton.call("model.sale.sale.search_read", List.of(List.of("reference", "=", originalReference)),
                0, 1, List.of(List.of("id", "ASC")), List.of("number", "state", "party"));
        String state = original.isEmpty() ? null : original.get(0).path("state").asText();
        if (state == null || !ACCEPTED_STATES.contains(state) && !"cancelled".equals(state)) {
            throw new PrerequisiteMissingException("order-not-accepted-in-erp", "contract change " + reference
                    + " amends order " + originalReference + ", which the ERP has not accepted yet"
                    + (state == null ? " (no sale)" : " (sale " + original.get(0).path("number").asText() + " is " + state + ")"));
        }
        String originalNumber = original.get(0).path("number").asText();
        if ("cancelled".equals(state)) {
            throw new BusinessException("erp-rejected", "contract change " + reference + " amends order "
                    + originalReference + " whose sale " + originalNumber + " is cancelled in the ERP");
        }
        String customerKey = InputFields.required(change, "customerKey", "contract change " + reference);
        if (lookups.customer(customerKey, "contract change " + reference).partyId() != original.get(0).path("party").asInt()) {
            throw new BusinessException("invalid-change", "contract change " + reference + " for account " + customerKey
                    + " amends order " + originalReference + ", whose sale " + originalNumber + " is another customer's");
        }
        Map<String, Object> sale = new LinkedHashMap<>(change);
        // "Return" for a reduction, "Cancellation" for the whole contract: their negative quantities make Tryton credit
        // the one-time lines taken back; "Renewal": the contract's new term
        String title = change.get("title") instanceof String named && Set.of("Return", "Cancellation", "Renewal").contains(named)
                ? named : "Amendment";
        sale.put("description", title + " " + reference + " of sale " + originalNumber + " (order " + originalReference
                + "), effective " + change.get("effectiveDate"));
        return new ErpContractChange(sales.place(sale), originalNumber);
    }

    /** Last step of the change's ERP orchestration: once its answer is published, a rejection is a business exception. */
    public void requireAccepted(ErpContractChange booked) {
        ErpSale sale = booked.sale();
        if (!sale.accepted()) {
            throw new BusinessException(sale.rejectionCategory(), "the ERP rejected contract change " + sale.reference()
                    + " of sale " + booked.originalSaleNumber() + ": " + sale.rejectionReason());
        }
    }
}
