package io.revops.bridge.sandbox.tryton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;

/**
 * Tryton 6.0 JSON-RPC (POST /{database}/), the subset the ERP adapter uses: login with session authentication,
 * user preferences as context, party.party search/read/create/write with identifiers and addresses as x2many
 * values, the catalogue and setup of .ci/tryton_setup.py (products SVC-001, ONB-001 and the non-salable OLD-001,
 * USD, payment term, payment method, journals), sales with their workflow, customer invoices (create, post,
 * the pay wizard), their moves, revenue deferrals of account_invoice_defer (see {@link DeferralStore}) and the
 * on_change calls the adapter makes. Parties get their code from a sequence like
 * Tryton's default party sequence; searches skip inactive parties unless the context says active_test=false;
 * errors have Tryton's [type, [message, ...]] shape, with the messages the real Tryton 6.0 gives.
 */
public final class TrytonEmulator extends HttpEmulator {
    private static final String USER = "admin";
    private static final String PASSWORD = "admin";
    private static final int USER_ID = 1;

    private final String database;
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private final PartyStore parties = new PartyStore();
    private final Timestamps clock = new Timestamps();
    private final CatalogStore catalog = new CatalogStore();
    private final InvoiceStore invoices = new InvoiceStore(clock, catalog);
    private final DeferralStore deferrals = new DeferralStore(invoices);
    private final SaleStore sales = new SaleStore(catalog, parties, invoices, clock);
    private final PayWizard payWizard = new PayWizard(invoices);

    public TrytonEmulator(int port, String database) {
        super(port);
        this.database = database;
    }

    /** The parties as Tryton holds them: id, code, name, active, identifiers (codes), addresses. */
    public List<Map<String, Object>> parties() {
        return parties.snapshot();
    }

    /** The sales: id, reference, number, state, party (code), lines [{type, product (code), quantity, unitPrice, description}]. */
    public synchronized List<Map<String, Object>> sales() {
        return sales.snapshot();
    }

    /** The customer invoices: id, number, reference, state, total, amountToPay, party (code). */
    public synchronized List<Map<String, Object>> invoices() {
        return invoices.snapshot(parties);
    }

    /** The account moves: id, description, journal, state, lines [{account, party, debit, credit}]. */
    public synchronized List<Map<String, Object>> moves() {
        return invoices.moves().snapshot();
    }

    /**
     * Emulator only: from now on, confirming a sale of this customer fails as Tryton 6.0's sale_credit_limit module
     * makes it fail for the admin user when the party's credit limit is exceeded: a UserWarning
     * ["credit_limit_amount_sale.sale,<id>", "Party "<name>" has reached their credit limit of $0.00.", ""]
     * (measured on a real Tryton 6.0 with the module activated; a user outside the credit limit group gets a
     * UserError with the same message). That module is not installed on the CI's real Tryton, so no conformance
     * test covers it.
     */
    public synchronized void holdCredit(String customerKey) {
        sales.holdCredit((Integer) parties.withIdentifier(customerKey).get("id"));
    }

    /** Emulator only: the accountant raised the customer's credit limit; confirming its sales succeeds again. */
    public synchronized void releaseCredit(String customerKey) {
        sales.releaseCredit((Integer) parties.withIdentifier(customerKey).get("id"));
    }

    /**
     * Emulator only: a transaction that starts now and commits later. Tryton stamps write_date with the start of the
     * writing transaction, so what {@link LateTransaction#commit} runs (RPC calls from the test, e.g. paying an
     * invoice) gets a write_date of now, while every write made meanwhile is stamped later: the change lands behind
     * a feed position that already passed it, as with a slow transaction on the real Tryton. Other writes made during
     * the commit are stamped with that start too, so a test commits while nothing else writes.
     */
    public LateTransaction beginLateTransaction() {
        return new LateTransaction(clock.next());
    }

    /** See {@link #beginLateTransaction()}. */
    public final class LateTransaction {
        private final java.time.LocalDateTime start;

        private LateTransaction(java.time.LocalDateTime start) {
            this.start = start;
        }

        public void commit(Runnable writes) {
            clock.stampAsOf(start);
            try {
                writes.run();
            } finally {
                clock.endTransaction();
            }
        }
    }

    /**
     * Emulator only: a user edits a party behind the integration's back (the reconciliation finds it): its name, or a
     * copy of it (a second party with the same identifier, as a careless import makes one).
     */
    public synchronized void renameParty(String customerKey, String name) {
        parties.write(JSON.valueToTree(List.of(parties.withIdentifier(customerKey).get("id"))),
                JSON.valueToTree(Map.of("name", name)));
    }

    /** Emulator only: a second party carrying the identifier {@code customerKey}; returns its id. */
    public synchronized int duplicateParty(String customerKey, String name) {
        int id = parties.create(JSON.valueToTree(List.of(Map.of("name", name)))).get(0);
        parties.addIdentifier(id, customerKey);
        return id;
    }

    @Override
    protected boolean injectsFaults(HttpExchange exchange) {
        return exchange.getRequestHeaders().containsKey("Authorization"); // logins are spared
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/" + database + "/")) {
            send(exchange, 404, "text/plain", "Not Found");
            return;
        }
        JsonNode request = readJson(exchange);
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        if (countAndFail(exchange, method)) {
            return;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", request.get("id"));
        if (method.equals("common.db.login")) {
            if (!USER.equals(params.path(0).asText()) || !PASSWORD.equals(params.path(1).path("password").asText())) {
                send(exchange, 401, "text/plain", "Unauthorized");
                return;
            }
            String key = UUID.randomUUID().toString().replace("-", "");
            sessions.put(key, true);
            response.put("result", List.of(USER_ID, key));
            sendJson(exchange, 200, response);
            return;
        }
        if (method.equals("common.server.version")) {
            response.put("result", "6.0.29");
            sendJson(exchange, 200, response);
            return;
        }
        if (!authenticated(exchange)) {
            send(exchange, 401, "text/plain", "Unauthorized");
            return;
        }
        try {
            response.put("result", dispatch(method, params));
        } catch (TrytonError e) {
            response.put("error", e.json());
        }
        sendJson(exchange, 200, response);
    }

    /** One call at a time, as if each were a database transaction of its own. */
    private synchronized Object dispatch(String method, JsonNode params) {
        JsonNode context = params.isEmpty() ? JSON.createObjectNode() : params.get(params.size() - 1);
        boolean activeOnly = context.path("active_test").asBoolean(true);
        return switch (method) {
            case "model.res.user.get_preferences" -> Map.of("company", 1, "language", "en", "language_direction", "ltr",
                    "locale", Map.of("date", "%m/%d/%Y"), "company.rec_name", "Example ERP Inc");
            case "model.party.party.search" -> parties.search(params.get(0), activeOnly);
            case "model.party.party.read" -> parties.read(params.get(0), params.get(1));
            case "model.party.party.search_read" -> parties.searchRead(params, activeOnly);
            case "model.party.party.create" -> parties.create(params.get(0));
            case "model.party.party.write" -> {
                parties.write(params.get(0), params.get(1));
                yield null;
            }
            case "model.party.address.read" -> parties.readAddresses(params.get(0), params.get(1));
            case "model.party.identifier.read" -> parties.readIdentifiers(params.get(0), params.get(1));
            case "model.party.identifier.search_read" -> parties.searchReadIdentifiers(params);
            case "model.sale.sale.create" -> sales.create(params.get(0));
            case "model.sale.sale.quote" -> {
                sales.quote(params.get(0));
                yield null;
            }
            case "model.sale.sale.confirm" -> {
                sales.confirm(params.get(0));
                yield null;
            }
            case "model.account.invoice.create" -> invoices.create(params.get(0));
            case "model.account.invoice.write" -> {
                invoices.write(params.get(0), params.get(1));
                yield null;
            }
            case "model.account.invoice.post" -> {
                deferrals.afterPost(invoices.post(params.get(0)));
                yield null;
            }
            case "model.account.move.create" -> invoices.moves().createFromRpc(params.get(0));
            case "model.account.move.post" -> {
                invoices.moves().post(params.get(0));
                yield null;
            }
            case "model.account.period.search" -> invoices.moves().periodSearch(params.get(0));
            case "model.account.invoice.deferred.run" -> {
                deferrals.run(params.get(0));
                yield null;
            }
            case "model.account.invoice.on_change_with" -> invoices.onChangeWith(params.get(0), params.get(1));
            case "model.account.invoice.line.on_change" -> invoices.lineOnChange(params.get(0), params.get(1), catalog);
            case "wizard.account.invoice.pay.create" -> payWizard.create(context);
            case "wizard.account.invoice.pay.execute" -> payWizard.execute(params);
            case "wizard.account.invoice.pay.delete" -> {
                payWizard.delete(params);
                yield null;
            }
            default -> tableCall(method, params);
        };
    }

    /** search, search_read and read of the models held in {@link Table}s. */
    private Object tableCall(String method, JsonNode params) {
        int dot = method.lastIndexOf('.');
        Table table = switch (method.substring(0, Math.max(dot, 0))) {
            case "model.product.product" -> catalog.products;
            case "model.currency.currency" -> catalog.currencies;
            case "model.account.invoice.payment_term" -> catalog.paymentTerms;
            case "model.account.invoice.payment.method" -> catalog.paymentMethods;
            case "model.account.journal" -> catalog.journals;
            case "model.sale.sale" -> sales.sales();
            case "model.sale.line" -> sales.lines();
            case "model.account.invoice" -> invoices.invoices();
            case "model.account.invoice.line" -> invoices.lines();
            case "model.account.move.line" -> invoices.moveLines();
            case "model.account.move" -> invoices.moves().moves();
            case "model.account.invoice.deferred" -> deferrals.deferrals();
            default -> null;
        };
        String operation = method.substring(dot + 1);
        if (table == null || !List.of("search", "search_read", "read").contains(operation)) {
            throw new TrytonError("UserError", "Calling method " + method + " is not allowed.");
        }
        return switch (operation) {
            case "search" -> table.search(params);
            case "search_read" -> table.searchRead(params);
            default -> table.read(params.get(0), params.get(1));
        };
    }

    private boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Session ")) {
            return false;
        }
        String[] parts = new String(Base64.getDecoder().decode(header.substring(8)), StandardCharsets.UTF_8).split(":");
        return parts.length == 3 && parts[0].equals(USER) && parts[1].equals(String.valueOf(USER_ID))
                && sessions.containsKey(parts[2]);
    }

    /** A Tryton exception reported in the JSON-RPC error member. */
    static final class TrytonError extends RuntimeException {
        final String type;

        TrytonError(String type, String message) {
            super(message);
            this.type = type;
        }

        private String warningName;

        /** A server-side exception that is not a Tryton error class: JSON-RPC carries [str(exception), traceback]. */
        static TrytonError internal(String message) {
            return new TrytonError(null, message);
        }

        /** A UserWarning: JSON-RPC carries ["UserWarning", [name, message, description]]. */
        static TrytonError warning(String name, String message) {
            TrytonError warning = new TrytonError("UserWarning", message);
            warning.warningName = name;
            return warning;
        }

        Object json() {
            if (type == null) {
                return List.of(getMessage(), "");
            }
            if (warningName != null) {
                return List.of(type, List.of(warningName, getMessage(), ""));
            }
            return List.of(type, java.util.Arrays.asList(getMessage(), "", null));
        }
    }
}
