package io.revops.bridge.canonical;

import java.math.BigDecimal;
import java.util.Objects;

/** An amount in an ISO-4217 currency. Never a double: revenue must reconcile to the cent across systems. */
public record Money(BigDecimal amount, String currency) {
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO-4217 code, was " + currency);
        }
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }
}
