package io.revops.bridge.canonical;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;

/**
 * The business rules of the canonical objects, each with its own reason code. They run before the JSON Schema, so
 * a rule's code wins over the schema's generic invalid-event (an order without lines is order-without-lines), and
 * they leave every wrong shape to the schema: a rule only judges values of the type it expects. Numbers are
 * compared as BigDecimal, and only bounded ones are ever multiplied or rounded, so 1e300 or 1e999999999 costs nothing.
 */
final class BusinessRules {
    static final BigDecimal MAX_QUANTITY = new BigDecimal(1_000_000);
    static final int MAX_QUANTITY_DECIMALS = 6;
    static final int MAX_NAME_LENGTH = 255;
    private static final Pattern ISO_4217 = Pattern.compile("[A-Z]{3}");
    /** Money beyond 15 integer digits is out of range (schema money.v1): totals are only summed below it. */
    private static final int MAX_MONEY_DIGITS = 15;

    private BusinessRules() {
    }

    static void check(String object, String type, JsonNode data) {
        switch (object) {
            case "order" -> order(data);
            case "invoice" -> invoice(data);
            case "account" -> account(type, data);
            case "payment" -> currencyOfMoney(data.get("amount"), "/amount");
            case "contract-change" -> contractChange(data);
            default -> {
            }
        }
    }

    private static void order(JsonNode order) {
        JsonNode lines = order.get("lines");
        if (lines == null || lines.isNull() || (lines.isArray() && lines.isEmpty())) {
            throw refusal("order-without-lines", "/lines", "the order has no lines");
        }
        currency(order.get("currency"), "/currency");
        currencyOfMoney(order.get("totalAmount"), "/totalAmount");
        if (!lines.isArray()) {
            return; // a wrong shape: the schema names it
        }
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            String at = "/lines/" + i;
            if (line.isNull()) {
                throw refusal("order-without-lines", at, "the line is null");
            }
            if (line.isObject()) {
                orderLine(line, at);
            }
        }
        linesAddUpToTotal(order, lines);
    }

    private static void orderLine(JsonNode line, String at) {
        BigDecimal quantity = decimal(line.get("quantity"), at + "/quantity", "invalid-quantity");
        if (quantity != null) {
            if (quantity.signum() <= 0 || quantity.compareTo(MAX_QUANTITY) > 0) {
                throw refusal("invalid-quantity", at + "/quantity", Excerpt.of(quantity)
                        + " is not a quantity above 0 and at most " + MAX_QUANTITY.toPlainString());
            }
            int decimals = quantity.stripTrailingZeros().scale();
            if ("RECURRING".equals(line.path("chargeType").asText(null)) && decimals > 0) {
                throw refusal("fractional-seats", at + "/quantity", Excerpt.of(quantity)
                        + " seats: a recurring line sells whole seats (each one is a subscription)");
            }
            if (decimals > MAX_QUANTITY_DECIMALS) {
                throw refusal("invalid-quantity", at + "/quantity", Excerpt.of(quantity) + " has more than "
                        + MAX_QUANTITY_DECIMALS + " decimal places");
            }
        }
        JsonNode unitPrice = line.get("unitPrice");
        if (unitPrice != null && unitPrice.isObject()) {
            BigDecimal price = decimal(unitPrice.get("amount"), at + "/unitPrice/amount", "negative-price");
            if (price != null && price.signum() < 0) {
                throw refusal("negative-price", at + "/unitPrice/amount", Excerpt.of(price) + " is below 0");
            }
            currency(unitPrice.get("currency"), at + "/unitPrice/currency");
        }
    }

    /** total = the sum of the lines, each rounded to cents (as the ERP prices them); only when all are numbers. */
    private static void linesAddUpToTotal(JsonNode order, JsonNode lines) {
        BigDecimal total = boundedMoney(order.path("totalAmount").get("amount"));
        if (total == null) {
            return;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode line : lines) {
            BigDecimal quantity = boundedMoney(line.get("quantity"));
            BigDecimal price = boundedMoney(line.path("unitPrice").get("amount"));
            if (quantity == null || price == null) {
                return;
            }
            sum = sum.add(quantity.multiply(price).setScale(2, RoundingMode.HALF_UP));
        }
        if (total.setScale(2, RoundingMode.HALF_UP).compareTo(sum) != 0) {
            throw refusal("amount-mismatch", "/totalAmount/amount", "the order totals " + total.toPlainString()
                    + " but its lines add up to " + sum.toPlainString());
        }
    }

    /**
     * A change's lines: whole seats for recurring lines, an added line adds and a removed line removes (an amendment
     * that "adds" -2 seats is a mistake to refuse, not a reduction to guess), prices not negative; known currencies.
     */
    private static void contractChange(JsonNode change) {
        currency(change.get("currency"), "/currency");
        currencyOfMoney(change.path("credit").get("amount"), "/credit/amount");
        currencyOfMoney(change.path("refund").get("amount"), "/refund/amount");
        JsonNode lines = change.get("lines");
        if (lines == null || !lines.isArray()) {
            return; // absent or a wrong shape: the schema names it
        }
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            if (line.isObject()) {
                changeLine(line, "/lines/" + i);
            }
        }
    }

    private static void changeLine(JsonNode line, String at) {
        BigDecimal delta = decimal(line.get("quantityDelta"), at + "/quantityDelta", "invalid-quantity");
        if (delta != null) {
            // a change of plan keeps the seats as they are: its only quantity is 0
            boolean planChange = "CHANGE_PLAN".equals(line.path("action").asText(""));
            if (delta.signum() == 0 && !planChange || delta.abs().compareTo(MAX_QUANTITY) > 0) {
                throw refusal("invalid-quantity", at + "/quantityDelta", Excerpt.of(delta)
                        + " is not a change of quantity between -" + MAX_QUANTITY.toPlainString() + " and "
                        + MAX_QUANTITY.toPlainString() + " other than 0");
            }
            if (planChange && delta.signum() != 0) {
                throw refusal("invalid-change", at + "/quantityDelta", "a change of plan keeps the seats: it cannot change"
                        + " the quantity by " + Excerpt.of(delta));
            }
            if ("RECURRING".equals(line.path("chargeType").asText(null)) && delta.stripTrailingZeros().scale() > 0) {
                throw refusal("fractional-seats", at + "/quantityDelta", Excerpt.of(delta)
                        + " seats: a recurring line changes by whole seats (each one is a subscription)");
            }
            String action = line.path("action").asText("");
            if ("ADD".equals(action) && delta.signum() < 0 || "REMOVE".equals(action) && delta.signum() > 0) {
                throw refusal("invalid-change", at + "/quantityDelta", "a line to " + action.toLowerCase()
                        + " cannot change the quantity by " + Excerpt.of(delta));
            }
        }
        JsonNode unitPrice = line.get("unitPrice");
        if (unitPrice != null && unitPrice.isObject()) {
            BigDecimal price = decimal(unitPrice.get("amount"), at + "/unitPrice/amount", "negative-price");
            if (price != null && price.signum() < 0) {
                throw refusal("negative-price", at + "/unitPrice/amount", Excerpt.of(price) + " is below 0");
            }
            currency(unitPrice.get("currency"), at + "/unitPrice/currency");
        }
    }

    private static void invoice(JsonNode invoice) {
        currencyOfMoney(invoice.get("totalAmount"), "/totalAmount");
        currencyOfMoney(invoice.get("balance"), "/balance");
        BigDecimal total = decimal(invoice.path("totalAmount").get("amount"), "/totalAmount/amount", "negative-invoice");
        if (total != null && total.signum() < 0 && !"CREDIT_NOTE".equals(invoice.path("kind").asText(null))) {
            throw refusal("negative-invoice", "/totalAmount/amount", Excerpt.of(total)
                    + " is negative but the invoice is not a credit note (kind CREDIT_NOTE)");
        }
        JsonNode lines = invoice.get("lines");
        if (lines != null && lines.isArray()) {
            for (int i = 0; i < lines.size(); i++) {
                currencyOfMoney(lines.get(i).get("amount"), "/lines/" + i + "/amount");
            }
        }
    }

    /** Creates and undeletes carry the full state, so a name; an update only when the name changed. */
    private static void account(String type, JsonNode account) {
        JsonNode name = account.get("name");
        boolean fullState = type.endsWith(".created.v1") || type.endsWith(".undeleted.v1");
        if (name == null && fullState) {
            throw refusal("invalid-account-name", "/name", "an account needs a name");
        }
        if (name != null) {
            if (!name.isTextual() || name.asText().isBlank()) {
                throw refusal("invalid-account-name", "/name", "the name must be a non-blank text, not "
                        + (name.isTextual() ? "blank" : Excerpt.of(name)));
            }
            if (name.asText().chars().anyMatch(Character::isISOControl)) {
                throw refusal("invalid-account-name", "/name", "the name contains control characters: "
                        + Excerpt.of(name.asText()));
            }
            int length = name.asText().codePointCount(0, name.asText().length());
            if (length > MAX_NAME_LENGTH) {
                throw refusal("invalid-account-name", "/name", "the name is " + length + " characters long, at most "
                        + MAX_NAME_LENGTH + " allowed: " + Excerpt.of(name.asText()));
            }
        }
        JsonNode currency = account.get("currency");
        if (currency != null && !currency.isNull()) { // null: the currency was cleared
            currency(currency, "/currency");
        }
        currencyOfMoney(account.get("creditLimit"), "/creditLimit");
    }

    private static void currencyOfMoney(JsonNode money, String at) {
        if (money != null && money.isObject()) {
            currency(money.get("currency"), at + "/currency");
        }
    }

    /** An ISO 4217 code: three upper-case letters that java.util.Currency knows. Absent is the schema's matter. */
    private static void currency(JsonNode code, String at) {
        if (code == null) {
            return;
        }
        if (!code.isTextual() || !ISO_4217.matcher(code.asText()).matches() || !knownCurrency(code.asText())) {
            throw refusal("invalid-currency", at, Excerpt.of(code.isTextual() ? code.asText() : code)
                    + " is not an ISO 4217 currency code");
        }
    }

    private static boolean knownCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The value as a decimal, or null when it is not a number (then the schema speaks); never a double. */
    private static BigDecimal decimal(JsonNode node, String at, String code) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw refusal(code, at, value + " is not a finite number");
            }
            return new BigDecimal(Double.toString(value));
        }
        return node.decimalValue();
    }

    /** A number small enough to compute with (at most 15 integer digits and 15 decimals), else null. */
    private static BigDecimal boundedMoney(JsonNode node) {
        if (node == null || !node.isNumber() || ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue()))) {
            return null;
        }
        BigDecimal value = node.isDouble() || node.isFloat() ? new BigDecimal(Double.toString(node.doubleValue()))
                : node.decimalValue();
        boolean bounded = value.precision() - value.scale() <= MAX_MONEY_DIGITS && value.scale() <= MAX_MONEY_DIGITS;
        return bounded ? value : null;
    }

    private static BusinessException refusal(String code, String pointer, String why) {
        return new BusinessException(code, pointer + ": " + why);
    }
}
