package io.revops.bridge.sandbox.salesforce;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

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

    /** Where the counter of an id ends: key prefix (3), "000", 9 digits (newId). */
    private static final int ID_COUNTER_END = 15;

    private final Map<String, SObjectType> types = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> records = new ConcurrentHashMap<>();
    /** object -> indexed field -> value -> ids: external ids and references are looked up without a scan. */
    private final Map<String, Map<String, Map<Object, Set<String>>>> indexes = new ConcurrentHashMap<>();
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
        types.put(type.name().toLowerCase(Locale.ROOT), type);
        records.putIfAbsent(type.name(), new LinkedHashMap<>());
        Map<String, Map<Object, Set<String>>> byField = new ConcurrentHashMap<>();
        type.describedFields().stream().filter(f -> f.externalId() || f.unique() || f.kind() == SObjectType.FieldType.REFERENCE)
                .filter(f -> !f.name().equals("Id")).forEach(f -> byField.put(f.name(), new HashMap<>()));
        indexes.put(type.name(), byField);
    }

    /** The object of that name in any letter case; an unknown one is Salesforce's 404 NOT_FOUND. */
    SObjectType type(String name) {
        SObjectType type = name == null ? null : types.get(name.toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new SObjectException(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        return type;
    }

    Optional<SObjectType> find(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name.toLowerCase(Locale.ROOT)));
    }

    Collection<SObjectType> types() {
        return types.values().stream().sorted(java.util.Comparator.comparing(SObjectType::name)).toList();
    }

    /** @param values checked and typed by {@link RecordValues} */
    synchronized String create(String object, Map<String, Object> values) {
        SObjectType type = type(object);
        RecordValues.checkRequired(type, values);
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
        records.get(type.name()).put(id, record);
        index(type.name(), id, Map.of(), record);
        onRollback(() -> {
            records.get(type.name()).remove(id);
            index(type.name(), id, record, Map.of());
        });
        publish(type, "CREATE", id, record, List.of());
        return id;
    }

    /** @param values checked and typed by {@link RecordValues} */
    synchronized void update(String object, String id, Map<String, Object> values) {
        SObjectType type = type(object);
        Map<String, Object> record = live(type.name(), id);
        Map<String, Object> before = new LinkedHashMap<>(record);
        onRollback(() -> {
            index(type.name(), id, new HashMap<>(record), before);
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
        index(type.name(), id, before, record);
        publish(type, "UPDATE", id, record, changed);
    }

    synchronized void delete(String object, String id) {
        SObjectType type = type(object);
        Map<String, Object> record = live(type.name(), id);
        record.put("IsDeleted", true);
        onRollback(() -> record.put("IsDeleted", false));
        publish(type, "DELETE", id, record, List.of());
    }

    /** Deletes a record for good (Bulk API hardDelete): it skips the recycle bin, so queryAll no longer sees it. */
    synchronized void hardDelete(String object, String id) {
        SObjectType type = type(object);
        Map<String, Object> record = live(type.name(), id);
        records.get(type.name()).remove(id);
        index(type.name(), id, record, Map.of());
        onRollback(() -> {
            records.get(type.name()).put(id, record);
            index(type.name(), id, Map.of(), record);
        });
        publish(type, "DELETE", id, record, List.of());
    }

    synchronized void undelete(String object, String id) {
        SObjectType type = type(object);
        Map<String, Object> record = records.get(type.name()).get(id);
        if (record == null || !Boolean.TRUE.equals(record.get("IsDeleted"))) {
            throw new SObjectException(400, "UNDELETE_FAILED", "Entity is not in the recycle bin", List.of());
        }
        record.put("IsDeleted", false);
        onRollback(() -> record.put("IsDeleted", true));
        publish(type, "UNDELETE", id, record, List.of());
    }

    synchronized Optional<Map<String, Object>> get(String object, String id) {
        SObjectType type = type(object);
        Map<String, Object> record = records.get(type.name()).get(id);
        return record == null || Boolean.TRUE.equals(record.get("IsDeleted")) ? Optional.empty()
                : Optional.of(new LinkedHashMap<>(record));
    }

    synchronized List<Map<String, Object>> all(String object) {
        return select(object, false, r -> true);
    }

    /** Copies of the records that pass the filter (deleted ones only when asked): nothing else is copied. */
    synchronized List<Map<String, Object>> select(String object, boolean includeDeleted, Predicate<Map<String, Object>> filter) {
        SObjectType type = type(object);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> record : records.get(type.name()).values()) {
            if ((includeDeleted || !Boolean.TRUE.equals(record.get("IsDeleted"))) && filter.test(record)) {
                out.add(new LinkedHashMap<>(record));
            }
        }
        return out;
    }

    /** Whether a field is indexed, so {@link #findBy} answers without scanning. */
    boolean indexed(String object, String field) {
        return field.equals("Id") || indexes.get(type(object).name()).containsKey(field);
    }

    /**
     * The records whose field has the value (Id or an indexed field: external ids, unique fields, references),
     * found through the index, in creation order.
     */
    synchronized List<Map<String, Object>> findBy(String object, String field, Object value, boolean includeDeleted) {
        SObjectType type = type(object);
        Map<String, Map<String, Object>> all = records.get(type.name());
        Set<String> ids = field.equals("Id") ? Set.of(String.valueOf(value))
                : indexes.get(type.name()).get(field).getOrDefault(value, Set.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, Object> record = all.get(id);
            if (record != null && (includeDeleted || !Boolean.TRUE.equals(record.get("IsDeleted")))) {
                out.add(new LinkedHashMap<>(record));
            }
        }
        return out;
    }

    private void index(String object, String id, Map<String, Object> before, Map<String, Object> after) {
        indexes.get(object).forEach((field, byValue) -> {
            Object old = before.get(field);
            Object now = after.get(field);
            if (java.util.Objects.equals(old, now)) {
                return;
            }
            if (old != null) {
                Set<String> ids = byValue.get(old);
                ids.remove(id);
                if (ids.isEmpty()) {
                    byValue.remove(old);
                }
            }
            if (now != null) {
                byValue.computeIfAbsent(now, v -> new java.util.LinkedHashSet<>()).add(id);
            }
        });
    }

    /** The object whose ids start with the key prefix of this id, if any. */
    Optional<SObjectType> typeOfId(String id) {
        return id == null || id.length() < 3 ? Optional.empty()
                : types.values().stream().filter(t -> id.startsWith(t.keyPrefix())).findFirst();
    }

    private Map<String, Object> live(String object, String id) {
        Map<String, Object> record = records.get(object).get(id);
        if (record == null || Boolean.TRUE.equals(record.get("IsDeleted"))) {
            throw new SObjectException(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + id,
                    List.of());
        }
        return record;
    }

    /**
     * Ids given from now on continue past the largest counter among these ids of this store's form (others are
     * ignored): records of a new org then never reuse an id an earlier org's records left in a real target system.
     */
    void continueIdsAfter(Collection<String> idsInUse) {
        for (String id : idsInUse) {
            if (id != null && id.length() >= ID_COUNTER_END && id.startsWith("000", 3)
                    && id.substring(6, ID_COUNTER_END).chars().allMatch(Character::isDigit)) {
                sequence.accumulateAndGet(Long.parseLong(id.substring(6, ID_COUNTER_END)), Math::max);
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
