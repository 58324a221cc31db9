-- An event-id-conflict dead letter holds both bodies: its payload is the body that came second, this column the body
-- applied first under the same id (read back from Kafka where the idempotency key says it was read).
ALTER TABLE dead_letter ADD COLUMN conflicting_payload VARCHAR;
