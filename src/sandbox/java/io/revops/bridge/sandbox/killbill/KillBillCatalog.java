package io.revops.bridge.sandbox.killbill;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plans of a tenant's uploaded catalog XML: what a subscription to each costs and how often. Only what the
 * emulator bills: plans with a single final phase and a recurring price (no trials, fixed or usage prices).
 */
final class KillBillCatalog {
    record Plan(String name, String product, String category, String phaseType, String billingPeriod, String currency,
            BigDecimal price) {
        String phaseName() {
            return name + "-" + phaseType.toLowerCase();
        }

        /** Where a billing period of this plan starting on {@code start} ends (Kill Bill's BillingPeriod names). */
        LocalDate periodEnd(LocalDate start) {
            return switch (billingPeriod) {
                case "DAILY" -> start.plusDays(1);
                case "WEEKLY" -> start.plusWeeks(1);
                case "BIWEEKLY" -> start.plusWeeks(2);
                case "THIRTY_DAYS" -> start.plusDays(30);
                case "MONTHLY" -> start.plusMonths(1);
                case "QUARTERLY" -> start.plusMonths(3);
                case "BIANNUAL" -> start.plusMonths(6);
                case "ANNUAL" -> start.plusYears(1);
                default -> throw new UnsupportedOperationException("billing period " + billingPeriod + " is not emulated");
            };
        }

        /**
         * Where the period billed from {@code from} ends under Kill Bill's ACCOUNT billing alignment (the catalog's
         * default, seen on the real 0.22.26): on the account's bill cycle day, so a subscription starting on another
         * day gets a prorated first period (a MONTHLY plan started on Dec 1 on an account billed on the 16th: Dec 1 -
         * Dec 16), whole periods after that.
         */
        LocalDate billingPeriodEnd(LocalDate from, int billCycleDay) {
            if (from.getDayOfMonth() == Math.min(billCycleDay, from.lengthOfMonth())) {
                return periodEnd(from);
            }
            if (!"MONTHLY".equals(billingPeriod)) {
                throw new UnsupportedOperationException("the emulator aligns " + billingPeriod + " periods to the account's"
                        + " bill cycle day (" + billCycleDay + ") only when they start on it, not on " + from);
            }
            LocalDate sameMonth = from.withDayOfMonth(Math.min(billCycleDay, from.lengthOfMonth()));
            if (sameMonth.isAfter(from)) {
                return sameMonth;
            }
            LocalDate next = from.plusMonths(1);
            return next.withDayOfMonth(Math.min(billCycleDay, next.lengthOfMonth()));
        }
    }

    private final Instant effectiveDate;
    private final Map<String, Plan> plans;

    private KillBillCatalog(Instant effectiveDate, Map<String, Plan> plans) {
        this.effectiveDate = effectiveDate;
        this.plans = plans;
    }

    static KillBillCatalog parse(String xml) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new KillBillError(400, "org.killbill.billing.catalog.api.CatalogApiException", 2044,
                    "Invalid catalog: " + e.getMessage());
        }
        Element root = document.getDocumentElement();
        Map<String, String> categories = new HashMap<>();
        for (Element product : children(root, "products", "product")) {
            categories.put(product.getAttribute("name"), text(product, "category"));
        }
        Map<String, Plan> plans = new HashMap<>();
        for (Element plan : children(root, "plans", "plan")) {
            String name = plan.getAttribute("name");
            if (plan.getElementsByTagName("initialPhases").getLength() > 0) {
                throw new UnsupportedOperationException("the emulator bills final phases only; plan " + name + " has a trial");
            }
            Element phase = (Element) plan.getElementsByTagName("finalPhase").item(0);
            Element price = (Element) ((Element) phase.getElementsByTagName("recurringPrice").item(0))
                    .getElementsByTagName("price").item(0);
            String product = text(plan, "product");
            plans.put(name, new Plan(name, product, categories.get(product), phase.getAttribute("type"),
                    text(phase, "billingPeriod"), text(price, "currency"), new BigDecimal(text(price, "value"))));
        }
        return new KillBillCatalog(OffsetDateTime.parse(text(root, "effectiveDate")).toInstant(), plans);
    }

    Optional<Plan> plan(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    Instant effectiveDate() {
        return effectiveDate;
    }

    /** The {@code tag} elements directly under the {@code container} element directly under the root. */
    private static List<Element> children(Element root, String container, String tag) {
        List<Element> found = new ArrayList<>();
        for (Element holder : elements(root.getChildNodes(), container)) {
            found.addAll(elements(holder.getChildNodes(), tag));
        }
        return found;
    }

    private static List<Element> elements(NodeList nodes, String tag) {
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(tag)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
