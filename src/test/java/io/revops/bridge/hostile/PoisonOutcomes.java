package io.revops.bridge.hostile;

import static io.revops.bridge.hostile.PoisonCorpus.KEY_MARK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.revops.bridge.hostile.PoisonCorpus.PoisonEvent;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.RawKafka.Sent;
import io.revops.bridge.testing.Sql;

/** What must hold once the runtime has read a poison corpus, read from the database and the target systems. */
final class PoisonOutcomes {
    /** Reason codes that say "we do not know what happened": never acceptable for bad input. */
    private static final Set<String> NOT_FOR_BAD_INPUT = Set.of("unexpected-error", "retries-exhausted");

    private PoisonOutcomes() {
    }

    /** No poison event reached a target system: nothing there carries a poison business key. */
    public static void noEffectIn(TrytonEmulator tryton, KillBillEmulator killBill, SalesforceEmulator salesforce) {
        assertThat(tryton.parties()).as("ERP parties of poison accounts")
                .noneMatch(p -> String.valueOf(p.get("identifiers")).contains(KEY_MARK));
        assertThat(killBill.accounts()).as("billing accounts of poison accounts")
                .noneMatch(a -> String.valueOf(a.get("externalKey")).contains(KEY_MARK));
        assertThat(tryton.sales()).as("ERP sales of poison orders")
                .noneMatch(s -> String.valueOf(s.get("reference")).contains(KEY_MARK));
        assertThat(killBill.subscriptions()).as("subscriptions of poison orders")
                .noneMatch(s -> String.valueOf(s.get("externalKey")).contains(KEY_MARK));
        assertThat(tryton.invoices()).as("ERP invoices of poison invoices")
                .noneMatch(i -> String.valueOf(i.get("reference")).contains(KEY_MARK));
        assertThat(salesforce.records("Invoice__c")).as("Salesforce invoices of poison invoices")
                .noneMatch(i -> String.valueOf(i.get("Invoice_Number__c")).contains(KEY_MARK));
    }

    /**
     * Every route of its topic dead-lettered or skipped each poison event (found by its id, or the id derived from
     * where it landed when it had none), at least one route dead-lettered it with the contract's code, and every dead
     * letter is a business one with a readable reason and message.
     */
    public static void everyEventIsAReadableDeadLetterOrSkipped(DataSource dataSource, List<PoisonEvent> corpus,
            Map<PoisonEvent, Sent> sent) throws Exception {
        Map<String, List<Map<String, Object>>> deadLetters = new HashMap<>();
        for (Map<String, Object> row : Sql.rows(dataSource,
                "SELECT route_id, category, reason_code, exception_message, event_id, payload FROM dead_letter")) {
            deadLetters.computeIfAbsent(row.get("route_id") + " " + row.get("event_id"), k -> new ArrayList<>()).add(row);
        }
        Set<String> skipped = Sql.rows(dataSource, "SELECT route_id, event_id FROM lineage WHERE outcome = 'skipped'").stream()
                .map(row -> row.get("route_id") + " " + row.get("event_id")).collect(Collectors.toSet());
        Map<String, Long> idUses = corpus.stream().filter(e -> e.header("ce_id") != null)
                .collect(Collectors.groupingBy(e -> e.header("ce_id"), Collectors.counting()));

        List<String> problems = new ArrayList<>();
        for (PoisonEvent event : corpus) {
            Sent place = sent.get(event);
            List<String> ids = new ArrayList<>();
            if (event.header("ce_id") != null && !event.header("ce_id").isEmpty()) {
                ids.add(event.header("ce_id"));
            }
            ids.add("derived:" + place.topic() + ":" + place.partition() + ":" + place.offset());
            boolean sharedId = idUses.getOrDefault(event.header("ce_id"), 0L) > 1;
            List<Map<String, Object>> all = new ArrayList<>();
            for (String route : event.routes()) {
                List<Map<String, Object>> rows = ids.stream()
                        .flatMap(id -> deadLetters.getOrDefault(route + " " + id, List.of()).stream())
                        .filter(row -> !sharedId || Objects.equals(row.get("payload"), event.payload()))
                        .toList();
                if (rows.isEmpty() && ids.stream().noneMatch(id -> skipped.contains(route + " " + id))) {
                    problems.add(event + ": neither a dead letter nor skipped on " + route);
                }
                for (Map<String, Object> row : rows) {
                    Object reason = row.get("reason_code");
                    Object message = row.get("exception_message");
                    if (!"business".equals(row.get("category")) || reason == null || NOT_FOR_BAD_INPUT.contains(reason)
                            || message == null || message.toString().isBlank() || message.toString().equals("null")) {
                        problems.add(event + ": on " + route + " dead letter " + row.get("category") + " " + reason + ": "
                                + abbreviate(message));
                    }
                }
                all.addAll(rows);
            }
            // which consumer of the topic dead-letters it is the runtime's choice; that one does, with the right code
            if (all.isEmpty()) {
                problems.add(event + ": skipped by every route, dead-lettered by none");
            } else if (all.stream().noneMatch(row -> event.reasons().contains(row.get("reason_code")))) {
                problems.add(event + ": expected " + event.reasons() + " but " + all.stream()
                        .map(r -> r.get("route_id") + " " + r.get("reason_code") + ": " + abbreviate(r.get("exception_message")))
                        .toList());
            }
        }
        assertThat(problems).as("%d problems in %d poison events, e.g.%n%s", problems.size(), corpus.size(),
                String.join("\n", problems.subList(0, Math.min(60, problems.size())))).isEmpty();
    }

    static String abbreviate(Object text) {
        String s = String.valueOf(text);
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
