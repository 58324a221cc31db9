package io.revops.bridge.sandbox.killbill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A refusal as the real Kill Bill answers it: HTTP status and its JSON error (className, code, message, cause). */
final class KillBillError extends RuntimeException {
    final int status;
    private final String className;
    private final Integer code;
    private final String causeClassName;
    private final String causeMessage;

    KillBillError(int status, String className, Integer code, String message) {
        this(status, className, code, message, null, null);
    }

    KillBillError(int status, String className, Integer code, String message, String causeClassName, String causeMessage) {
        super(message);
        this.status = status;
        this.className = className;
        this.code = code;
        this.causeClassName = causeClassName;
        this.causeMessage = causeMessage;
    }

    /** What Kill Bill answers for an id of the tenant it does not know (type ACCOUNT, SUBSCRIPTION, INVOICE, PAYMENT). */
    static KillBillError unknown(String type, String id) {
        return new KillBillError(404, "org.killbill.billing.util.callcontext.InternalCallContextFactory$ObjectDoesNotExist",
                null, "Object id=" + id + " type=" + type + " doesn't exist!");
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("className", className);
        body.put("code", code);
        body.put("message", getMessage());
        body.put("causeClassName", causeClassName);
        body.put("causeMessage", causeMessage);
        body.put("stackTrace", List.of());
        return body;
    }
}
