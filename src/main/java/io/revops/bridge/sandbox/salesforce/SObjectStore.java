package io.revops.bridge.sandbox.salesforce;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The org's records, per object type. Every change is handed to a listener (Change Data Capture) inside the same
 * lock, so events come out in commit order, as Salesforce orders them per record.
 */
final class SObjectStore {
    static final String USER_ID = "005000000000001AAA";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    interface ChangeListener {
        void changed(SObjectType type, String changeType, String id, Map<String, Object> values, List<String> changedFields);
    }

    /** A failed write with Salesforce's errorCode. */
    static final class SObjectException extends RuntimeException {
        final int status;
        final String errorCode;
        final List<String> fields;

        SObjectException(int status, String errorCode, String message, List<String> fields) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
            this.fields = fields;
        }
    }

    private final Map<String, SObjectType> types = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> records = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, AtomicLong> autoNumbers = new ConcurrentHashMap<>();
    private final ChangeListener listener;
    /** While a transaction runs (the store's lock held): how to undo each write, and its change events, held back. */
    private Deque<Runnable> undo;
    private List<Runnable> heldEvents;

    SObjectStore(ChangeListener listener) {
        this.listener = listener;
    }

    /** What a transaction's work can do besides writing: give it up, as a failed all-or-none request does. */
    interface Transaction {
        void rollback();
    }

    /**
     * Runs {@code work} as one transaction, as Salesforce runs an all-or-none request: other writers wait; its change
     * events are published when it commits; if it rolls back (or throws) every write is undone and no event is
     * published, since a real org publishes nothing for a rolled-back transaction. A nested call joins the outer one.
     */
    synchronized <T> T inTransaction(Function<Transaction, T> work) {
        if (undo != null) {
            // the outer transaction decides: an all-or-none composite request rolls back when any part failed
            return work.apply(() -> { });
        }
        undo = new ArrayDeque<>();
        heldEvents = new ArrayList<>();
        boolean[] rolledBack = {false};
        try {
            T result = work.apply(() -> rolledBack[0] = true);
            if (rolledBack[0]) {
                undo.forEach(Runnable::run);
            } else {
                heldEvents.forEach(Runnable::run);
            }
            return result;
        } catch (RuntimeException e) {
            undo.forEach(Runnable::run);
            throw e;
        } finally {
            undo = null;
            heldEvents = null;
        }
    }

    private void onRollback(Runnable action) {
        if (undo != null) {
            undo.push(action);
        }
    }

    private void publish(SObjectType type, String changeType, String id, Map<String, Object> record, List<String> changed) {
        if (heldEvents == null) {
            listener.changed(type, changeType, id, record, changed);
        } else {
            Map<String, Object> snapshot = new LinkedHashMap<>(record);
            List<String> changedNow = List.copyOf(changed);
            heldEvents.add(() -> listener.changed(type, changeType, id, snapshot, changedNow));
        }
    }

    void define(SObjectType type) {
        types.put(type.name(), type);
        records.putIfAbsent(type.name(), new LinkedHashMap<>());
    }

    SObjectType type(String name) {
        SObjectType type = types.get(name);
        if (type == null) {
            throw new SObjectException(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        return type;
    }

    synchronized String create(String object, Map<String, Object> values) {
        SObjectType type = type(object);
        validate(type, values, true);
        String id = newId(type);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Id", id);
        type.fields().keySet().forEach(f -> record.put(f, null));
        record.putAll(values);
        if (type.autoNumberField() != null) {
            record.put(type.autoNumberField(), String.format("%08d", autoNumbers
                    .computeIfAbsent(type.name(), n -> new AtomicLong(100)).incrementAndGet()));
        }
        Instant now = Instant.now();
        record.put("CreatedDate", now);
        record.put("CreatedById", USER_ID);
        record.put("LastModifiedDate", now);
        record.put("LastModifiedById", USER_ID);
        record.put("IsDeleted", false);
        if (type.fields().containsKey("OwnerId") && record.get("OwnerId") == null) {
            record.put("OwnerId", USER_ID);
        }
        records.get(object).put(id, record);
        onRollback(() -> records.get(object).remove(id));
        publish(type, "CREATE", id, record, List.of());
        return id;
    }

    synchronized void update(String object, String id, Map<String, Object> values) {
        SObjectType type = type(object);
        Map<String, Object> record = live(object, id);
        validate(type, values, false);
        Map<String, Object> before = new LinkedHashMap<>(record);
        onRollback(() -> {
            record.clear();
            record.putAll(before);
        });
        List<String> changed = new ArrayList<>();
        values.forEach((field, value) -> {
            if (!java.util.Objects.equals(record.get(field), value)) {
                changed.add(field);
                record.put(field, value);
            }
        });
        record.put("LastModifiedDate", Instant.now());
        record.put("LastModifiedById", USER_ID);
        changed.add("LastModifiedDate");
        publish(type, "UPDATE", id, record, changed);
    }

    synchronized void delete(String object, String id) {
        Map<String, Object> record = live(object, id);
        record.put("IsDeleted", true);
        onRollback(() -> record.put("IsDeleted", false));
        publish(type(object), "DELETE", id, record, List.of());
    }

    /** Deletes a record for good (Bulk API hardDelete): it skips the recycle bin, so queryAll no longer sees it. */
    synchronized void hardDelete(String object, String id) {
        Map<String, Object> record = live(object, id);
        records.get(object).remove(id);
        onRollback(() -> records.get(object).put(id, record));
        publish(type(object), "DELETE", id, record, List.of());
    }

    synchronized void undelete(String object, String id) {
        Map<String, Object> record = records.get(object).get(id);
        if (record == null || !Boolean.TRUE.equals(record.get("IsDeleted"))) {
            throw new SObjectException(400, "UNDELETE_FAILED", "Entity is not in the recycle bin", List.of());
        }
        record.put("IsDeleted", false);
        onRollback(() -> record.put("IsDeleted", true));
        publish(type(object), "UNDELETE", id, record, List.of());
    }

    synchronized Optional<Map<String, Object>> get(String object, String id) {
        type(object);
        Map<String, Object> record = records.get(object).get(id);
        return record == null || Boolean.TRUE.equals(record.get("IsDeleted")) ? Optional.empty()
                : Optional.of(new LinkedHashMap<>(record));
    }

    synchronized List<Map<String, Object>> all(String object) {
        type(object);
        return records.get(object).values().stream().filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")))
                .map(LinkedHashMap::new).map(r -> (Map<String, Object>) r).toList();
    }

    /** The object whose ids start with the key prefix of this id, if any. */
    Optional<SObjectType> typeOfId(String id) {
        return id == null || id.length() < 3 ? Optional.empty()
                : types.values().stream().filter(t -> id.startsWith(t.keyPrefix())).findFirst();
    }

    /** The records of an object including those in the recycle bin (IsDeleted = true), as queryAll reads them. */
    synchronized List<Map<String, Object>> allIncludingDeleted(String object) {
        type(object);
        return records.get(object).values().stream().map(LinkedHashMap::new).map(r -> (Map<String, Object>) r).toList();
    }

    private Map<String, Object> live(String object, String id) {
        type(object);
        Map<String, Object> record = records.get(object).get(id);
        if (record == null || Boolean.TRUE.equals(record.get("IsDeleted"))) {
            throw new SObjectException(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + id,
                    List.of());
        }
        return record;
    }

    private static void validate(SObjectType type, Map<String, Object> values, boolean creating) {
        for (String field : values.keySet()) {
            if (!type.fields().containsKey(field) || SObjectType.SYSTEM_FIELDS.contains(field)) {
                throw new SObjectException(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type "
                        + type.name(), List.of(field));
            }
        }
        if (type.autoNumberField() != null && values.containsKey(type.autoNumberField())) {
            throw new SObjectException(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                    + type.autoNumberField() + ". Please check the security settings of this field and verify that it is "
                    + "read/write for your profile or permission set.", List.of(type.autoNumberField()));
        }
        for (String required : type.required()) {
            boolean missing = creating ? values.get(required) == null
                    : values.containsKey(required) && values.get(required) == null;
            if (missing) {
                throw new SObjectException(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + required + "]",
                        List.of(required));
            }
        }
    }

    /** 18-character ids: key prefix, a counter, and the case-safe checksum suffix. */
    private String newId(SObjectType type) {
        String id15 = type.keyPrefix() + "000" + String.format("%09d", sequence.incrementAndGet());
        StringBuilder suffix = new StringBuilder();
        for (int block = 0; block < 3; block++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(block * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(ALPHABET.charAt(bits));
        }
        return id15 + suffix;
    }
}
