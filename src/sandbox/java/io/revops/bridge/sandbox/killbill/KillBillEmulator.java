package io.revops.bridge.sandbox.killbill;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;

/**
 * Kill Bill 0.22 REST, the subset the billing adapter and the tenant bootstrap use: healthcheck, tenants,
 * catalog upload, accounts (create, get by id or externalKey, update, bundles), subscriptions (create, get by id
 * or externalKey, change plan, cancel), invoices (pagination, get by id, external payment, item adjustment) and payments (pagination,
 * get by id, refund, invoice payment by payment id). Basic auth (admin/password) and, for tenant data, the X-Killbill-ApiKey/ApiSecret headers are
 * checked like the real server does; errors carry Kill Bill's JSON error shape and codes. Everything is kept per
 * tenant; a subscription is billed from the tenant's uploaded catalog, and what is due is invoiced at once (the
 * real server does it moments later, asynchronously). The test clock (/1.0/kb/test/clock) is the server's "today":
 * subscriptions start on a requested day (past, today or PENDING until then), periods align to the account's bill
 * cycle day, moving the clock bills the periods it reaches (renewals), and ending billing IMMEDIATE repairs the
 * unused part of the paid period as an account credit, as the real 0.22.26 does (README: Contract lifecycle); a change
 * of plan today prorates the same way (the new plan's rest of the period, the old plan's unused days repaired).
 */
public final class KillBillEmulator extends HttpEmulator {
    private static final String USER = "admin";
    private static final String PASSWORD = "password";
    private static final List<String> ACCOUNT_FIELDS = List.of("name", "firstNameLength", "email", "currency",
            "timeZone", "address1", "address2", "postalCode", "company", "city", "state", "country", "locale", "phone",
            "notes", "billCycleDayLocal");

    private static final String SUBSCRIPTION_API = "org.killbill.billing.subscription.api.user.SubscriptionBaseApiException";
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final Map<String, String> tenantSecrets = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ObjectNode>> accountsByTenant = new ConcurrentHashMap<>();
    /** Account ids per tenant in creation order: Kill Bill's account pagination lists them so (by record id). */
    private final Map<String, List<String>> accountOrderByTenant = new ConcurrentHashMap<>();
    /** Account id per externalKey per tenant: Kill Bill's unique index, so a lookup by key does not scan every account. */
    private final Map<String, Map<String, String>> accountIdByKeyByTenant = new ConcurrentHashMap<>();
    private final Map<String, KillBillCatalog> catalogs = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionStore> subscriptionsByTenant = new ConcurrentHashMap<>();
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
    // one sequence each for all tenants, as the real server numbers invoices and payments across tenants
    private final AtomicLong invoiceNumbers = new AtomicLong();
    private final AtomicLong paymentNumbers = new AtomicLong();
    private final LateCommits lateCommits = new LateCommits();
    private final KillBillClock clock = new KillBillClock();

    /** An invoice as tests look at it: its number, whose it is (our account key), its amount and what is still due. */
    public record InvoiceSummary(String invoiceId, String invoiceNumber, String accountExternalKey, BigDecimal amount,
            BigDecimal balance) {
    }

    public KillBillEmulator(int port) {
        super(port);
    }

    /** All accounts of all tenants, as Kill Bill would return them. */
    public List<Map<String, Object>> accounts() {
        List<Map<String, Object>> all = new ArrayList<>();
        accountsByTenant.values().forEach(accounts -> accounts.values().forEach(
                a -> all.add(JSON.convertValue(a, LinkedHashMap.class))));
        return all;
    }

    /**
     * Emulator only: the account with this externalKey is gone, as after a restore from a backup taken before it was
     * created (Kill Bill itself never deletes an account). The reconciliation finds it missing.
     */
    public synchronized void removeAccount(String externalKey) {
        accountsByTenant.forEach((tenant, accounts) -> accounts.values().removeIf(account -> {
            boolean match = externalKey.equals(account.path("externalKey").asText(null));
            if (match) {
                accountOrder(tenant).remove(account.path("accountId").asText());
                accountIdByKey(tenant).remove(externalKey);
            }
            return match;
        }));
    }

    /** All subscriptions of all tenants, as Kill Bill would return them. */
    public List<Map<String, Object>> subscriptions() {
        List<Map<String, Object>> all = new ArrayList<>();
        subscriptionsByTenant.values().forEach(store -> store.all().forEach(
                s -> all.add(JSON.convertValue(store.json(s), LinkedHashMap.class))));
        return all;
    }

    /** All invoices of all tenants, in creation order per tenant. */
    public List<InvoiceSummary> invoices() {
        List<InvoiceSummary> all = new ArrayList<>();
        ledgers.forEach((tenant, ledger) -> ledger.invoices().forEach(i -> all.add(new InvoiceSummary(
                i.path("invoiceId").asText(), i.path("invoiceNumber").asText(),
                accounts(tenant).get(i.path("accountId").asText()).path("externalKey").asText(),
                i.path("amount").decimalValue(), i.path("balance").decimalValue()))));
        return all;
    }

    /** All payments of all tenants, as Kill Bill's invoice payment view returns them (with targetInvoiceId). */
    public List<Map<String, Object>> payments() {
        List<Map<String, Object>> all = new ArrayList<>();
        ledgers.values().forEach(ledger -> ledger.invoicePayments().forEach(
                p -> all.add(JSON.convertValue(p, LinkedHashMap.class))));
        return all;
    }

    /**
     * Emulator only: the next invoice Kill Bill generates (in any tenant) commits late: it is numbered and listed in
     * its place in creation order, but no read shows it until {@link #commitLateRecords()}, as a transaction that
     * commits after a later-numbered invoice's. Used to show that the feed's overlap window picks it up.
     */
    public void commitNextInvoiceLate() {
        lateCommits.holdNextInvoice();
    }

    /** Emulator only: as {@link #commitNextInvoiceLate()}, for the next payment recorded. */
    public void commitNextPaymentLate() {
        lateCommits.holdNextPayment();
    }

    /** Emulator only: commits the invoices and payments held by {@link #commitNextInvoiceLate()} and its sibling. */
    public void commitLateRecords() {
        lateCommits.commit();
    }

    @Override
    protected boolean injectsFaults(HttpExchange exchange) {
        return !exchange.getRequestURI().getPath().startsWith("/1.0/kb/tenants");
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (countAndFail(exchange, method + " " + path)) {
            return;
        }
        if (path.equals("/1.0/healthcheck")) {
            sendJson(exchange, 200, Map.of("healthy", true));
            return;
        }
        if (!authenticated(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"killbill\"");
            send(exchange, 401, null, null);
            return;
        }
        if (path.equals("/1.0/kb/tenants")) {
            tenants(exchange, method);
            return;
        }
        String tenant = tenant(exchange);
        if (tenant == null) {
            send(exchange, 401, null, null);
            return;
        }
        if (!path.startsWith("/1.0/kb/")) {
            error(exchange, 404, "javax.ws.rs.NotFoundException", 0, "HTTP 404 Not Found");
            return;
        }
        try {
            route(exchange, tenant, method, path);
        } catch (KillBillError refused) {
            sendJson(exchange, refused.status, refused.body());
        }
    }

    /** A request path as a template with its id (a UUID, as the real resources accept) written {id}. */
    private record Route(String template, String id) {
        static Route of(String path) {
            String id = null;
            StringBuilder template = new StringBuilder();
            for (String segment : path.substring("/1.0/kb/".length()).split("/")) {
                if (ID.matcher(segment).matches()) {
                    id = segment;
                    segment = "{id}";
                } else if (template.toString().endsWith("byNumber") && segment.matches("[0-9]+")) {
                    segment = "{number}";
                }
                template.append(template.isEmpty() ? "" : "/").append(segment);
            }
            return new Route(template.toString(), id);
        }
    }

    private void route(HttpExchange exchange, String tenant, String method, String path) throws IOException {
        Route route = Route.of(path);
        String id = route.id();
        switch (method + " " + route.template()) {
            case "POST catalog/xml" -> uploadCatalog(exchange, tenant);
            case "POST accounts" -> createAccount(exchange, tenant);
            case "GET accounts" -> {
                String externalKey = query(exchange, "externalKey");
                String accountId = externalKey == null ? null : accountIdByKey(tenant).get(externalKey);
                ObjectNode account = accountId == null ? null : accounts(tenant).get(accountId);
                if (account == null) {
                    throw new KillBillError(404, "org.killbill.billing.account.api.AccountApiException", 3003,
                            "Account does not exist for key " + externalKey);
                }
                sendJson(exchange, 200, account);
            }
            case "GET accounts/pagination" -> page(exchange, "/1.0/kb/accounts/pagination",
                    "&accountWithBalance=false&accountWithBalanceAndCBA=false&audit=NONE",
                    (offset, limit) -> Ledger.Page.of(accountsInOrder(tenant), offset, limit, a -> a));
            case "GET accounts/{id}" -> sendJson(exchange, 200, account(tenant, id));
            case "PUT accounts/{id}" -> updateAccount(exchange, tenant, id);
            case "GET accounts/{id}/bundles" -> {
                account(tenant, id);
                sendJson(exchange, 200, subscriptions(tenant).bundlesJson(id));
            }
            case "GET accounts/{id}/invoices" -> {
                account(tenant, id);
                // measured on Kill Bill 0.22.26: the account's invoices in full, items, amount and balance included
                sendJson(exchange, 200, ledger(tenant).invoicesOf(id));
            }
            case "POST subscriptions" -> createSubscription(exchange, tenant);
            case "GET subscriptions" -> {
                String externalKey = query(exchange, "externalKey");
                SubscriptionStore store = subscriptions(tenant);
                sendJson(exchange, 200, store.json(store.byExternalKey(String.valueOf(externalKey)).orElseThrow(
                        () -> new KillBillError(404, "org.killbill.billing.entitlement.api.SubscriptionApiException", 1083,
                                "Unknown subscription matching key " + externalKey, SUBSCRIPTION_API,
                                "Unknown subscription matching key " + externalKey))));
            }
            case "GET subscriptions/{id}" -> {
                SubscriptionStore store = subscriptions(tenant);
                sendJson(exchange, 200, store.json(store.byId(id).orElseThrow(() -> KillBillError.unknown("SUBSCRIPTION", id))));
            }
            case "DELETE subscriptions/{id}" -> cancelSubscription(exchange, tenant, id);
            case "PUT subscriptions/{id}" -> changePlan(exchange, tenant, id);
            case "GET test/clock" -> sendJson(exchange, 200, clock.json());
            case "POST test/clock" -> {
                clock.set(query(exchange, "requestedDate"));
                billEveryTenant();
                sendJson(exchange, 200, clock.json());
            }
            case "GET invoices/pagination" -> page(exchange, "/1.0/kb/invoices/pagination", "&audit=NONE",
                    (offset, limit) -> ledger(tenant).invoicePage(offset, limit, KillBillEmulator::listedInvoice));
            case "GET invoices/byNumber/{number}" -> {
                String number = path.substring(path.lastIndexOf('/') + 1);
                sendJson(exchange, 200, ledger(tenant).invoiceByNumber(number)
                        .orElseThrow(() -> new KillBillError(404, "org.killbill.billing.invoice.api.InvoiceApiException",
                                4018, "No invoice could be found for number " + number + ".")));
            }
            case "GET invoices/{id}" -> sendJson(exchange, 200,
                    ledger(tenant).invoice(id).orElseThrow(() -> KillBillError.unknown("INVOICE", id)));
            case "POST invoices/{id}/payments" -> payInvoice(exchange, tenant, id);
            case "POST invoices/{id}" -> adjustInvoiceItem(exchange, tenant, id);
            case "GET payments/{id}" -> sendJson(exchange, 200, listedPayment(ledger(tenant).invoicePayment(id)
                    .orElseThrow(() -> KillBillError.unknown("PAYMENT", id))));
            case "POST payments/{id}/refunds" -> refundPayment(exchange, tenant, id);
            case "GET payments/pagination" -> page(exchange, "/1.0/kb/payments/pagination", "&pluginName=&audit=NONE",
                    (offset, limit) -> ledger(tenant).paymentPage(offset, limit, KillBillEmulator::listedPayment));
            case "GET invoicePayments/{id}" -> sendJson(exchange, 200, ledger(tenant).invoicePayment(id)
                    .orElseThrow(() -> KillBillError.unknown("PAYMENT", id)));
            default -> error(exchange, 404, "javax.ws.rs.NotFoundException", 0, "HTTP 404 Not Found");
        }
    }

    private void uploadCatalog(HttpExchange exchange, String tenant) throws IOException {
        catalogs.put(tenant, KillBillCatalog.parse(readText(exchange)));
        exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/catalog");
        send(exchange, 201, null, null);
    }

    /**
     * Creates the subscription and, as Kill Bill does for an IN_ADVANCE plan without trial, invoices what is due: from
     * a start today or in the past, its periods up to today; a start in the future is PENDING and billed once the
     * clock reaches it.
     */
    private void createSubscription(HttpExchange exchange, String tenant) throws IOException {
        JsonNode body = readJson(exchange);
        ObjectNode account = account(tenant, body.path("accountId").asText(null));
        String planName = body.path("planName").asText(null);
        if (planName == null) {
            throw new KillBillError(400, "java.lang.IllegalArgumentException", null,
                    "SubscriptionJson productName needs to be set when no planName is specified");
        }
        KillBillCatalog catalog = catalogs.get(tenant);
        String unknownPlan = "Could not find any plans named '" + planName + "'";
        KillBillCatalog.Plan plan = (catalog == null ? Optional.<KillBillCatalog.Plan>empty() : catalog.plan(planName))
                .orElseThrow(() -> new KillBillError(400, SUBSCRIPTION_API, 2021, unknownPlan,
                        "org.killbill.billing.catalog.api.CatalogApiException", unknownPlan));
        LocalDate start = startDate(exchange);
        int billCycleDay;
        synchronized (this) {
            if (!account.hasNonNull("billCycleDayLocal")) {
                account.put("billCycleDayLocal", start.getDayOfMonth()); // set by the account's first subscription
            }
            billCycleDay = account.get("billCycleDayLocal").asInt();
        }
        plan.billingPeriodEnd(start, billCycleDay); // refuses what the emulator cannot align before anything is stored
        SubscriptionStore.Subscription subscription = subscriptions(tenant).create(account.path("accountId").asText(),
                body.path("externalKey").asText(null), body.path("bundleExternalKey").asText(null), plan, start, billCycleDay);
        ledger(tenant).billDue(subscriptions(tenant), List.of(subscription), clock.today(), catalog.effectiveDate());
        exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/subscriptions/" + subscription.subscriptionId());
        send(exchange, 201, null, null);
    }

    /**
     * Cancels with Kill Bill's policies: entitlementPolicy END_OF_TERM ends service at the charged-through date,
     * IMMEDIATE (or a requestedDate) on the requested day or today; billingPolicy likewise (default END_OF_TERM, as the
     * real server's). Billing ending within a paid period books Kill Bill's repair: the unused days as account credit.
     */
    private void cancelSubscription(HttpExchange exchange, String tenant, String id) throws IOException {
        SubscriptionStore store = subscriptions(tenant);
        SubscriptionStore.Subscription subscription = store.byId(id).orElseThrow(() -> KillBillError.unknown("SUBSCRIPTION", id));
        LocalDate today = clock.today();
        String requestedDate = query(exchange, "requestedDate");
        LocalDate requested = requestedDate == null ? today : day(requestedDate);
        String entitlementPolicy = Optional.ofNullable(query(exchange, "entitlementPolicy"))
                .orElse(requestedDate != null ? "IMMEDIATE" : "END_OF_TERM");
        String billingPolicy = Optional.ofNullable(query(exchange, "billingPolicy")).orElse("END_OF_TERM");
        LocalDate endOfTerm = subscription.chargedThroughDate() == null ? subscription.startDate() : subscription.chargedThroughDate();
        LocalDate billingEnd = policyDate(billingPolicy, requested, endOfTerm);
        SubscriptionStore.Subscription cancelled = store.cancel(id, policyDate(entitlementPolicy, requested, endOfTerm), billingEnd);
        if (billingEnd.isBefore(endOfTerm)) {
            ledger(tenant).repair(cancelled, billingEnd, today);
        }
        send(exchange, 204, null, null);
    }

    /**
     * Changes the plan now (billingPolicy IMMEDIATE, or a requestedDate of today or earlier), as the real 0.22.26 does:
     * a CHANGE event, and within a paid period an invoice with the new plan's RECURRING item for the rest of it and a
     * REPAIR_ADJ of the old plan's unused days. A change on a later day is not modelled: refused rather than applied
     * on the wrong day.
     */
    private void changePlan(HttpExchange exchange, String tenant, String id) throws IOException {
        SubscriptionStore store = subscriptions(tenant);
        store.byId(id).orElseThrow(() -> KillBillError.unknown("SUBSCRIPTION", id));
        JsonNode body = readJson(exchange);
        String planName = body.path("planName").asText(null);
        if (planName == null) {
            throw new KillBillError(400, "java.lang.IllegalArgumentException", null,
                    "SubscriptionJson productName needs to be set when no planName is specified");
        }
        LocalDate today = clock.today();
        String requestedDate = query(exchange, "requestedDate");
        if (requestedDate != null && day(requestedDate).isAfter(today)) {
            throw new KillBillError(400, "java.lang.IllegalArgumentException", null,
                    "the emulated Kill Bill changes plans today only, not on " + requestedDate);
        }
        KillBillCatalog catalog = catalogs.get(tenant);
        String unknownPlan = "Could not find any plans named '" + planName + "'";
        KillBillCatalog.Plan plan = (catalog == null ? Optional.<KillBillCatalog.Plan>empty() : catalog.plan(planName))
                .orElseThrow(() -> new KillBillError(400, SUBSCRIPTION_API, 2021, unknownPlan,
                        "org.killbill.billing.catalog.api.CatalogApiException", unknownPlan));
        SubscriptionStore.Subscription before = store.byId(id).orElseThrow();
        if (!before.plan().name().equals(plan.name())) { // the same plan again changes nothing, as the real server
            SubscriptionStore.Subscription after = store.changePlan(id, plan, today);
            ledger(tenant).changePlan(before, after, today, catalog.effectiveDate());
        }
        send(exchange, 204, null, null);
    }

    /** Bills, in every tenant, what the clock has reached: periods starting by today (renewals, pending starts). */
    private void billEveryTenant() {
        catalogs.forEach((tenant, catalog) -> ledger(tenant).billDue(subscriptions(tenant), subscriptions(tenant).all(),
                clock.today(), catalog.effectiveDate()));
    }

    /** The day service and billing start: entitlementDate and billingDate (the same day if both are given), or today. */
    private LocalDate startDate(HttpExchange exchange) {
        String entitlementDate = query(exchange, "entitlementDate");
        String billingDate = query(exchange, "billingDate");
        if (entitlementDate != null && billingDate != null && !entitlementDate.equals(billingDate)) {
            // service and billing starting apart is not modelled: refused rather than started on the wrong day
            throw new UnsupportedOperationException("the emulator starts service and billing on the same day, not "
                    + "entitlementDate=" + entitlementDate + " and billingDate=" + billingDate);
        }
        String requested = entitlementDate != null ? entitlementDate : billingDate;
        return requested == null ? clock.today() : day(requested);
    }

    private static LocalDate day(String date) {
        try {
            return LocalDate.parse(date.length() > 10 ? date.substring(0, 10) : date);
        } catch (java.time.format.DateTimeParseException e) {
            throw new KillBillError(400, "java.lang.IllegalArgumentException", null, "Invalid format: \"" + date + "\"");
        }
    }

    private static LocalDate policyDate(String policy, LocalDate today, LocalDate endOfTerm) {
        return switch (policy) {
            case "END_OF_TERM" -> endOfTerm;
            case "IMMEDIATE" -> today;
            default -> throw new KillBillError(400, "java.lang.IllegalArgumentException", null,
                    "No enum constant " + policy);
        };
    }

    private void payInvoice(HttpExchange exchange, String tenant, String invoiceId) throws IOException {
        if (!"true".equals(query(exchange, "externalPayment"))) {
            throw new UnsupportedOperationException("the emulator records external payments only (externalPayment=true)");
        }
        JsonNode body = readJson(exchange);
        String accountId = account(tenant, body.path("accountId").asText(null)).path("accountId").asText();
        BigDecimal amount = body.hasNonNull("purchasedAmount") ? new BigDecimal(body.get("purchasedAmount").asText()) : null;
        ObjectNode payment = ledger(tenant).pay(invoiceId, accountId, amount);
        // sic: the real server ends this Location with a slash
        exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/invoicePayments/" + payment.path("paymentId").asText() + "/");
        send(exchange, 201, null, null);
    }

    /** An invoice item adjustment (InvoiceItem body with accountId and invoiceItemId, as the real server requires). */
    private void adjustInvoiceItem(HttpExchange exchange, String tenant, String invoiceId) throws IOException {
        JsonNode body = readJson(exchange);
        account(tenant, body.path("accountId").asText(null));
        if (!body.hasNonNull("invoiceItemId")) {
            throw new KillBillError(400, "java.lang.IllegalArgumentException", null, "InvoiceItemJson invoiceItemId needs to be set");
        }
        ledger(tenant).adjustItem(invoiceId, body.get("invoiceItemId").asText(), new BigDecimal(body.path("amount").asText()),
                body.path("currency").asText(null), body.path("description").asText(null));
        // sic: the real server ends this Location with a slash
        exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/invoices/" + invoiceId + "/");
        send(exchange, 201, null, null);
    }

    private void refundPayment(HttpExchange exchange, String tenant, String paymentId) throws IOException {
        JsonNode body = readJson(exchange);
        ledger(tenant).refund(paymentId, new BigDecimal(body.path("amount").asText()),
                body.path("transactionExternalKey").asText(null));
        exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/payments/" + paymentId + "/");
        send(exchange, 201, null, null);
    }

    /**
     * A page of a listing with Kill Bill's pagination headers; {@code pages} gives the page (its records shaped the
     * way the listing shows them, which is less than a read by id shows) and the listing's size.
     */
    private static void page(HttpExchange exchange, String path, String extraQuery,
            BiFunction<Long, Long, Ledger.Page> pages) throws IOException {
        long offset = Long.parseLong(Optional.ofNullable(query(exchange, "offset")).orElse("0"));
        long limit = Long.parseLong(Optional.ofNullable(query(exchange, "limit")).orElse("100"));
        for (long bound : new long[] {offset, limit}) {
            if (bound > Integer.MAX_VALUE) {
                // measured on Kill Bill 0.22.26: its database refuses the page's LIMIT/OFFSET beyond an int (limit
                // 2147483648 or Long.MAX_VALUE): a 500, not "everything"
                throw new KillBillError(500, "org.skife.jdbi.v2.exceptions.UnableToExecuteStatementException", null,
                        "org.h2.jdbc.JdbcSQLDataException: Numeric value out of range: \"" + bound + "\" in column");
            }
        }
        Ledger.Page page = pages.apply(offset, limit);
        var headers = exchange.getResponseHeaders();
        headers.set("X-Killbill-Pagination-CurrentOffset", String.valueOf(offset));
        if (page.end() < page.total()) {
            headers.set("X-Killbill-Pagination-NextOffset", String.valueOf(page.end()));
            headers.set("X-Killbill-Pagination-NextPageUri", path + "?offset=" + page.end() + "&limit=" + limit + extraQuery);
        }
        headers.set("X-Killbill-Pagination-TotalNbRecords", String.valueOf(page.total()));
        headers.set("X-Killbill-Pagination-MaxNbRecords", String.valueOf(page.total()));
        sendJson(exchange, 200, page.records());
    }

    /** The real invoice listing leaves the items out and shows amount and balance as 0.00. */
    private static ObjectNode listedInvoice(ObjectNode invoice) {
        ObjectNode listed = invoice.deepCopy();
        listed.put("amount", new BigDecimal("0.00"));
        listed.put("balance", new BigDecimal("0.00"));
        listed.putArray("items");
        return listed;
    }

    /** The real payment listing does not say which invoice a payment was for. */
    private static ObjectNode listedPayment(ObjectNode payment) {
        ObjectNode listed = payment.deepCopy();
        listed.remove("targetInvoiceId");
        return listed;
    }

    private void tenants(HttpExchange exchange, String method) throws IOException {
        if (method.equals("POST")) {
            JsonNode body = readJson(exchange);
            String apiKey = body.path("apiKey").asText();
            if (tenantSecrets.putIfAbsent(apiKey, body.path("apiSecret").asText()) != null) {
                // sic: the real 0.22 server says "null" here
                error(exchange, 409, "org.killbill.billing.tenant.api.TenantApiException", 20000,
                        "Tenant already exists for key null");
                return;
            }
            exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/tenants/" + UUID.nameUUIDFromBytes(apiKey.getBytes()));
            send(exchange, 201, null, null);
        } else {
            String apiKey = query(exchange, "apiKey");
            if (apiKey == null || !tenantSecrets.containsKey(apiKey)) {
                // the real server fails its tenant cache lookup instead of answering 404
                error(exchange, 500, "java.lang.RuntimeException", null,
                        "java.lang.IllegalStateException: TenantCacheLoader cannot find value for key " + apiKey);
                return;
            }
            sendJson(exchange, 200, Map.of("tenantId", UUID.nameUUIDFromBytes(apiKey.getBytes()).toString(),
                    "externalKey", apiKey, "apiKey", apiKey));
        }
    }

    private void createAccount(HttpExchange exchange, String tenant) throws IOException {
        JsonNode body = readJson(exchange);
        String externalKey = body.path("externalKey").asText(null);
        synchronized (this) {
            if (externalKey != null && accountIdByKey(tenant).containsKey(externalKey)) {
                error(exchange, 409, "org.killbill.billing.account.api.AccountApiException", 3000,
                        "Account already exists for key " + externalKey);
                return;
            }
            String id = UUID.randomUUID().toString();
            ObjectNode account = JSON.createObjectNode();
            account.put("accountId", id);
            account.put("externalKey", externalKey == null ? id : externalKey);
            copyFields(body, account);
            account.put("referenceTime", java.time.Instant.now().toString());
            account.put("isMigrated", false);
            accounts(tenant).put(id, account);
            accountOrder(tenant).add(id);
            accountIdByKey(tenant).put(account.path("externalKey").asText(), id);
            exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/accounts/" + id);
        }
        send(exchange, 201, null, null);
    }

    private void updateAccount(HttpExchange exchange, String tenant, String id) throws IOException {
        JsonNode body = readJson(exchange);
        ObjectNode account = account(tenant, id);
        if (body.hasNonNull("currency") && account.hasNonNull("currency")
                && !body.get("currency").asText().equals(account.get("currency").asText())) {
            error(exchange, 400, "org.killbill.billing.account.api.AccountApiException", 2005,
                    "Account currency cannot be updated");
            return;
        }
        synchronized (this) {
            copyFields(body, account); // like treatNullAsReset=false: absent or null fields keep their value
        }
        send(exchange, 204, null, null);
    }

    private static void copyFields(JsonNode from, ObjectNode to) {
        for (String field : ACCOUNT_FIELDS) {
            if (from.hasNonNull(field)) {
                to.set(field, from.get(field));
            }
        }
    }

    private Map<String, String> accountIdByKey(String tenant) {
        return accountIdByKeyByTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
    }

    private List<String> accountOrder(String tenant) {
        return accountOrderByTenant.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>());
    }

    private List<ObjectNode> accountsInOrder(String tenant) {
        Map<String, ObjectNode> accounts = accounts(tenant);
        return accountOrder(tenant).stream().map(accounts::get).filter(Objects::nonNull).toList();
    }

    private Map<String, ObjectNode> accounts(String tenant) {
        return accountsByTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
    }

    private ObjectNode account(String tenant, String accountId) {
        ObjectNode account = accountId == null ? null : accounts(tenant).get(accountId);
        if (account == null) {
            throw KillBillError.unknown("ACCOUNT", accountId);
        }
        return account;
    }

    private SubscriptionStore subscriptions(String tenant) {
        return subscriptionsByTenant.computeIfAbsent(tenant, t -> new SubscriptionStore(JSON, clock));
    }

    private Ledger ledger(String tenant) {
        return ledgers.computeIfAbsent(tenant, t -> new Ledger(JSON, invoiceNumbers, paymentNumbers, lateCommits, clock));
    }

    private static boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        return decoded.equals(USER + ":" + PASSWORD);
    }

    private String tenant(HttpExchange exchange) {
        String apiKey = exchange.getRequestHeaders().getFirst("X-Killbill-ApiKey");
        String apiSecret = exchange.getRequestHeaders().getFirst("X-Killbill-ApiSecret");
        return apiKey != null && apiSecret != null && apiSecret.equals(tenantSecrets.get(apiKey)) ? apiKey : null;
    }

    private static void error(HttpExchange exchange, int status, String className, Integer code, String message) throws IOException {
        sendJson(exchange, status, new KillBillError(status, className, code, message).body());
    }
}
