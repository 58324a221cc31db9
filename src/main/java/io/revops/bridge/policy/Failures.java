package io.revops.bridge.policy;

import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JacksonException;

/**
 * What a dead letter says about the failure that made it: its category, reason code and a readable, never-null
 * message. Bad input that a mapping or an adapter could not read (a string where a number belongs, an unparseable
 * number, date or JSON) is a business failure "invalid-event" naming what could not be read, not a technical one:
 * retrying cannot fix it, an operator repairs the event. Only a failure with no known cause is "unexpected-error".
 */
public final class Failures {
    private Failures() {
    }

    public static String category(Throwable failure) {
        return business(failure) != null || badInput(failure) != null
                ? DeadLetterStore.CATEGORY_BUSINESS : DeadLetterStore.CATEGORY_TECHNICAL;
    }

    public static String reasonCode(Throwable failure) {
        BusinessException business = business(failure);
        if (business != null && business.reasonCode() != null) {
            return business.reasonCode();
        }
        if (badInput(failure) != null) {
            return "invalid-event";
        }
        if (find(failure, TransientFailureException.class) != null) {
            return "retries-exhausted";
        }
        return "unexpected-error";
    }

    /** The failure as a sentence: its own message, or its type and where it was thrown when it has none. */
    public static String message(Throwable failure) {
        if (failure == null) {
            return "the route failed without an exception (no cause recorded)";
        }
        BusinessException business = business(failure);
        Throwable shown = business != null ? business : failure;
        Throwable bad = business == null ? badInput(failure) : null;
        if (bad != null) {
            return "invalid-event: the event could not be read (" + describe(bad) + ")";
        }
        return describe(shown);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return failure instanceof BusinessException ? message : failure.getClass().getSimpleName() + ": " + message;
        }
        StackTraceElement[] trace = failure.getStackTrace();
        return failure.getClass().getSimpleName() + " without a message"
                + (trace.length == 0 ? "" : " at " + trace[0].getClassName() + "." + trace[0].getMethodName()
                        + ":" + trace[0].getLineNumber());
    }

    private static BusinessException business(Throwable failure) {
        return find(failure, BusinessException.class);
    }

    /** An exception that means the input could not be read: wrong JSON types, unparseable numbers, dates, JSON. */
    static Throwable badInput(Throwable failure) {
        for (Throwable cause : causes(failure)) {
            if (cause instanceof ClassCastException || cause instanceof NumberFormatException
                    || cause instanceof DateTimeParseException || cause instanceof JacksonException
                    || cause instanceof ArithmeticException) {
                return cause;
            }
        }
        return null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause : causes(failure)) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** The failure and its causes, outermost first; bounded, as a hostile or buggy chain may loop. */
    private static java.util.List<Throwable> causes(Throwable failure) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable cause = failure; cause != null && chain.size() < 20 && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
