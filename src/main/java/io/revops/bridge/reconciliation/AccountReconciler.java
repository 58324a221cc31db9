package io.revops.bridge.reconciliation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.billing.KillBillClient;
import io.revops.bridge.erp.TrytonClient;
import io.revops.bridge.salesforce.SalesforceRecords;

/**
 * Accounts: Salesforce is the system of record of the attributes ownership.json gives it, the ERP of the customer
 * number. A pass has three phases, each paged and bounded, the cursor saying which and where:
 * <ol>
 * <li>{@code salesforce:<last Id>}: Salesforce accounts by Id (SOQL {@code WHERE Id > :cursor ORDER BY Id LIMIT n});
 * each page's keys are looked up in Tryton (one search_read of party identifiers on our keys) and Kill Bill (by
 * externalKey): missing, more than one party (duplicate), every attribute the target accepts after the routes'
 * mappings, and the ERP customer number on the Salesforce account;</li>
 * <li>{@code erp:<last identifier id>}: Tryton's party identifiers that look like Salesforce account ids: an active
 * party whose account Salesforce does not hold is an orphan;</li>
 * <li>{@code billing:<offset>}: Kill Bill's accounts (pagination): one whose externalKey Salesforce never held
 * (deleted ones included: billing keeps deleted customers' accounts on purpose) is an orphan.</li>
 * </ol>
 * Repairs republish the canonical account event from the system of record to revops.account.v1.
 */
@ApplicationScoped
public class AccountReconciler implements ObjectReconciler {
    static final String OBJECT = "account";
    static final String TOPIC = "revops.account.v1";
    /** SOQL answers at most 2,000 records a page to the client the routes use: a page never needs a second call. */
    private static final int MAX_PAGE = 2000;
    /** An 18-character (or 15) Salesforce Account id: key prefix 001. Other identifiers on a party are not ours. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("001[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?");
    private static final String SALESFORCE = "salesforce:";
    private static final String ERP = "erp:";
    private static final String BILLING = "billing:";
    private static final DateTimeFormatter SALESFORCE_TIME = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd().optionalStart().appendOffsetId().optionalEnd()
            .toFormatter();
    /** Kill Bill is asked per externalKey (it has no search by several keys): that many lookups of a page at once. */
    private static final int BILLING_LOOKUPS = 8;

    private final SalesforceRecords salesforce;
    private final TrytonClient tryton;
    private final KillBillClient killBill;
    private final AccountViews views;
    private final RepairEvents repairs;
    private final int pageSize;
    private final Duration settleTime;
    private final ExecutorService lookups = Executors.newFixedThreadPool(BILLING_LOOKUPS, task -> {
        Thread thread = new Thread(task, "reconciliation-billing-lookup");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public AccountReconciler(SalesforceRecords salesforce, TrytonClient tryton, KillBillClient killBill,
            AccountViews views, RepairEvents repairs,
            @ConfigProperty(name = "revops.reconciliation.page-size", defaultValue = "200") int pageSize,
            @ConfigProperty(name = "revops.reconciliation.settle-time", defaultValue = "PT5M") Duration settleTime) {
        this.salesforce = salesforce;
        this.tryton = tryton;
        this.killBill = killBill;
        this.views = views;
        this.repairs = repairs;
        this.pageSize = Math.max(1, Math.min(pageSize, MAX_PAGE));
        this.settleTime = settleTime;
    }

    @PreDestroy
    void stop() {
        lookups.shutdownNow();
    }

    @Override
    public String object() {
        return OBJECT;
    }

    @Override
    public String reconcilePage(String cursor, Consumer<Drift> drifts) {
        if (cursor == null || cursor.startsWith(SALESFORCE)) {
            return salesforcePage(cursor == null ? null : cursor.substring(SALESFORCE.length()), drifts);
        }
        if (cursor.startsWith(ERP)) {
            return erpOrphans(Integer.parseInt(cursor.substring(ERP.length())), drifts);
        }
        if (cursor.startsWith(BILLING)) {
            return billingOrphans(Long.parseLong(cursor.substring(BILLING.length())), drifts);
        }
        throw new IllegalArgumentException("not an account reconciliation cursor: " + cursor);
    }

    private String salesforcePage(String afterId, Consumer<Drift> drifts) {
        List<Map<String, Object>> accounts = salesforce.query("SELECT " + AccountViews.SOQL_FIELDS + " FROM Account"
                + (afterId == null ? "" : " WHERE Id > '" + safeId(afterId) + "'") + " ORDER BY Id LIMIT " + pageSize);
        if (accounts.isEmpty()) {
            return ERP + 0;
        }
        List<String> keys = accounts.stream().map(a -> (String) a.get("Id")).toList();
        Map<String, List<Party>> parties = partiesOf(keys);
        Map<String, Optional<JsonNode>> billed = billingAccounts(keys);
        Instant settled = Instant.now().minus(settleTime);
        for (Map<String, Object> record : accounts) {
            String key = (String) record.get("Id");
            if (changedAfter(record, settled)) {
                continue; // its change events may still be on their way through the routes: the next run compares it
            }
            RecordComparison.compare(OBJECT, key, "salesforce", drifts, () -> {
                Map<String, Object> canonical = AccountViews.canonical(record);
                compareErp(key, record, canonical, parties.getOrDefault(key, List.of()), drifts);
                compareBilling(key, canonical, billed.get(key), drifts);
            });
        }
        return accounts.size() < pageSize ? ERP + 0 : SALESFORCE + keys.get(keys.size() - 1);
    }

    /** Salesforce's LastModifiedDate, e.g. 2026-12-01T16:55:46.000+0000; one not understood is compared. */
    static boolean changedAfter(Map<String, Object> record, Instant settled) {
        Object modified = record.get("LastModifiedDate");
        if (modified == null) {
            return false;
        }
        try {
            return SALESFORCE_TIME.parse(modified.toString(), Instant::from).isAfter(settled);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void compareErp(String key, Map<String, Object> record, Map<String, Object> canonical, List<Party> parties,
            Consumer<Drift> drifts) {
        if (parties.isEmpty()) {
            drifts.accept(new Drift(OBJECT, key, DriftKind.MISSING_IN_TARGET, "salesforce", "erp", null,
                    (String) record.get("Name"), null));
            return;
        }
        if (parties.size() > 1) {
            drifts.accept(new Drift(OBJECT, key, DriftKind.DUPLICATE_IN_TARGET, "salesforce", "erp", null, "1 party",
                    parties.size() + " parties: " + String.join(", ", parties.stream().map(p -> "id " + p.id()
                            + " code " + p.code()).toList())));
            return;
        }
        Party party = parties.get(0);
        AccountViews.compare(key, "erp", views.expected(canonical, "erp"), party.view(), drifts);
        Object onSalesforce = record.get("ERP_Customer_Number__c");
        if (!party.code().equals(onSalesforce)) {
            drifts.accept(new Drift(OBJECT, key, DriftKind.FIELD_MISMATCH, "erp", "salesforce", "customerNumber",
                    party.code(), onSalesforce == null ? null : onSalesforce.toString()));
        }
    }

    private void compareBilling(String key, Map<String, Object> canonical, Optional<JsonNode> account, Consumer<Drift> drifts) {
        if (account.isEmpty()) {
            drifts.accept(new Drift(OBJECT, key, DriftKind.MISSING_IN_TARGET, "salesforce", "billing", null,
                    (String) canonical.get("name"), null));
            return;
        }
        AccountViews.compare(key, "billing", views.expected(canonical, "billing"), AccountViews.billingActual(account.get()),
                drifts);
    }

    /** A Tryton party with our key, as compared. */
    private record Party(int id, String code, boolean active, Map<String, Object> view) {
    }

    /** The parties carrying each key: one search_read of identifiers, one read of parties, one of their addresses. */
    private Map<String, List<Party>> partiesOf(List<String> keys) {
        JsonNode identifiers = tryton.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("code", "in", keys)), 0, null, List.of(List.of("id", "ASC")), List.of("code", "party"));
        Map<Integer, Party> byId = parties(partyIds(identifiers));
        Map<String, List<Party>> byKey = new LinkedHashMap<>();
        for (JsonNode identifier : identifiers) {
            Party party = byId.get(identifier.path("party").asInt());
            List<Party> withKey = byKey.computeIfAbsent(identifier.path("code").asText(), k -> new ArrayList<>());
            if (party != null && !withKey.contains(party)) {
                withKey.add(party);
            }
        }
        return byKey;
    }

    private static Set<Integer> partyIds(Iterable<JsonNode> identifiers) {
        Set<Integer> ids = new HashSet<>();
        identifiers.forEach(identifier -> ids.add(identifier.path("party").asInt()));
        return ids;
    }

    private Map<Integer, Party> parties(Set<Integer> ids) {
        Map<Integer, Party> parties = new TreeMap<>();
        if (ids.isEmpty()) {
            return parties;
        }
        JsonNode rows = tryton.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO, List.copyOf(ids),
                List.of("name", "code", "active", "addresses"));
        List<Integer> firstAddresses = new ArrayList<>();
        rows.forEach(row -> {
            if (!row.path("addresses").isEmpty()) {
                firstAddresses.add(row.path("addresses").get(0).asInt());
            }
        });
        Map<Integer, JsonNode> addresses = new TreeMap<>();
        if (!firstAddresses.isEmpty()) {
            tryton.call("model.party.address.read", firstAddresses, List.of("street", "city", "postal_code"))
                    .forEach(address -> addresses.put(address.path("id").asInt(), address));
        }
        for (JsonNode row : rows) {
            JsonNode address = row.path("addresses").isEmpty() ? null : addresses.get(row.path("addresses").get(0).asInt());
            parties.put(row.path("id").asInt(), new Party(row.path("id").asInt(), row.path("code").asText(),
                    row.path("active").asBoolean(true), AccountViews.erpActual(row, address)));
        }
        return parties;
    }

    private Map<String, Optional<JsonNode>> billingAccounts(List<String> keys) {
        Map<String, Future<Optional<JsonNode>>> pending = new LinkedHashMap<>();
        keys.forEach(key -> pending.put(key, lookups.submit(() -> billingAccount(key))));
        Map<String, Optional<JsonNode>> accounts = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Future<Optional<JsonNode>>> lookup : pending.entrySet()) {
                accounts.put(lookup.getKey(), lookup.getValue().get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Kill Bill accounts", e);
        } finally {
            pending.values().forEach(lookup -> lookup.cancel(true));
        }
        return accounts;
    }

    private Optional<JsonNode> billingAccount(String key) {
        return killBill.find("/1.0/kb/accounts?externalKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    }

    private String erpOrphans(int afterIdentifier, Consumer<Drift> drifts) {
        JsonNode identifiers = tryton.callWithContext("model.party.identifier.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("id", ">", afterIdentifier)), 0, pageSize, List.of(List.of("id", "ASC")),
                List.of("code", "party"));
        List<JsonNode> ours = new ArrayList<>();
        identifiers.forEach(identifier -> {
            if (ACCOUNT_ID.matcher(identifier.path("code").asText()).matches()) {
                ours.add(identifier);
            }
        });
        Set<String> inSalesforce = inSalesforce(ours.stream().map(i -> i.path("code").asText()).toList(), false);
        List<JsonNode> unknown = ours.stream().filter(i -> !inSalesforce.contains(i.path("code").asText())).toList();
        if (!unknown.isEmpty()) {
            Map<Integer, Party> parties = parties(partyIds(unknown));
            for (JsonNode identifier : unknown) {
                Party party = parties.get(identifier.path("party").asInt());
                if (party != null && party.active()) { // an inactive party is a deleted account, as the route leaves it
                    drifts.accept(new Drift(OBJECT, identifier.path("code").asText(), DriftKind.ORPHAN_IN_TARGET,
                            "salesforce", "erp", null, null, "party id " + party.id() + " code " + party.code()
                                    + " (" + party.view().get("name") + ")"));
                }
            }
        }
        return identifiers.size() < pageSize ? BILLING + 0
                : ERP + identifiers.get(identifiers.size() - 1).path("id").asInt();
    }

    private String billingOrphans(long offset, Consumer<Drift> drifts) {
        JsonNode accounts = killBill.find("/1.0/kb/accounts/pagination?offset=" + offset + "&limit=" + pageSize
                + "&accountWithBalance=false&accountWithBalanceAndCBA=false&audit=NONE")
                .orElseThrow(() -> new IllegalStateException("Kill Bill does not list its accounts"));
        List<String> keys = new ArrayList<>();
        accounts.forEach(account -> {
            String key = account.path("externalKey").asText();
            if (ACCOUNT_ID.matcher(key).matches()) {
                keys.add(key);
            }
        });
        Set<String> everInSalesforce = inSalesforce(keys, true);
        for (JsonNode account : accounts) {
            String key = account.path("externalKey").asText();
            if (keys.contains(key) && !everInSalesforce.contains(key)) {
                drifts.accept(new Drift(OBJECT, key, DriftKind.ORPHAN_IN_TARGET, "salesforce", "billing", null, null,
                        "account " + account.path("accountId").asText() + " (" + account.path("name").asText() + ")"));
            }
        }
        return accounts.size() < pageSize ? null : BILLING + (offset + accounts.size());
    }

    /** Which of the keys Salesforce holds (with {@code deletedToo}, the recycle bin included). */
    private Set<String> inSalesforce(List<String> keys, boolean deletedToo) {
        Set<String> held = new HashSet<>();
        if (keys.isEmpty()) {
            return held;
        }
        String soql = "SELECT Id FROM Account WHERE Id IN ('" + String.join("', '", keys.stream().map(AccountReconciler::safeId)
                .toList()) + "')";
        (deletedToo ? salesforce.queryAll(soql) : salesforce.query(soql)).forEach(record -> held.add((String) record.get("Id")));
        return held;
    }

    @Override
    public void repair(Drift drift, String repairId) throws Exception {
        if ("erp".equals(drift.systemOfRecord())) {
            repairs.publish(TOPIC, customerNumberEvent(drift.businessKey(), repairId), repairId);
            return;
        }
        switch (drift.kind()) {
            case ORPHAN_IN_TARGET -> {
                if (!"erp".equals(drift.target())) {
                    throw new RepairRefusedException("billing keeps the accounts of deleted customers (and never deletes"
                            + " any): close account " + drift.businessKey() + " in Kill Bill if finance agrees");
                }
                repairs.publish(TOPIC, salesforceEvent(drift.businessKey(), "deleted", Map.of("accountId",
                        drift.businessKey(), "deleted", true, "ids", Map.of("salesforce", drift.businessKey())), repairId), repairId);
            }
            case DUPLICATE_IN_TARGET -> throw new IllegalStateException("duplicates are only reported");
            default -> {
                Map<String, Object> account = AccountViews.canonical(salesforceAccount(drift.businessKey()));
                // a party created now gets its customer number written back, as for an account created in Salesforce
                boolean createsParty = drift.kind() == DriftKind.MISSING_IN_TARGET && "erp".equals(drift.target());
                if (!createsParty) {
                    account.put("changedAttributes", List.copyOf(account.keySet().stream()
                            .filter(name -> !List.of("accountId", "deleted", "ids").contains(name)).toList()));
                }
                repairs.publish(TOPIC, salesforceEvent(drift.businessKey(), createsParty ? "created" : "updated", account,
                        repairId), repairId);
            }
        }
    }

    private Map<String, Object> salesforceAccount(String key) {
        List<Map<String, Object>> found = salesforce.query("SELECT " + AccountViews.SOQL_FIELDS + " FROM Account WHERE Id = '"
                + safeId(key) + "'");
        if (found.isEmpty()) {
            throw new IllegalStateException("account " + key + " is no longer in Salesforce: the next run shows what is left");
        }
        return found.get(0);
    }

    private static Map<String, Object> salesforceEvent(String key, String lifecycle, Map<String, Object> data, String repairId) {
        return event(key, lifecycle, AccountViews.SALESFORCE_SOURCE, data, repairId);
    }

    /** The ERP's customer number for the Salesforce write-back, read from the party now. */
    private Map<String, Object> customerNumberEvent(String key, String repairId) {
        List<Party> parties = partiesOf(List.of(key)).getOrDefault(key, List.of());
        if (parties.size() != 1) {
            throw new IllegalStateException("account " + key + " has " + parties.size() + " parties in the ERP: the"
                    + " customer number is not known until that is resolved");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("accountId", key);
        data.put("customerNumber", parties.get(0).code());
        data.put("deleted", false);
        data.put("ids", Map.of("salesforce", key, "erp", String.valueOf(parties.get(0).id())));
        data.put("changedAttributes", List.of("customerNumber"));
        return event(key, "updated", AccountViews.ERP_SOURCE, data, repairId);
    }

    private static Map<String, Object> event(String key, String lifecycle, String source, Map<String, Object> data,
            String repairId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", RepairEvents.eventId(repairId));
        event.put("type", "revops.account." + lifecycle + ".v1");
        event.put("source", source);
        event.put("subject", key);
        event.put("time", Instant.now().toString());
        event.put("correlationId", "reconciliation-" + repairId);
        event.put("data", data);
        return event;
    }

    /** Keys go into SOQL: only what an Id can be (letters and digits), so nothing can be injected. */
    private static String safeId(String id) {
        if (!id.matches("[A-Za-z0-9]{1,18}")) {
            throw new IllegalArgumentException("not a Salesforce id: " + id);
        }
        return id;
    }
}
