-- Reconciliation across replicas (issue 13). One run at a time: starting a run sets run_id on the single 'run' row
-- with a conditional UPDATE (WHERE run_id IS NULL), so of two replicas starting at once one wins; finishing clears it.
-- One executor at a time: the replica carrying the run out claims it (owner, expires_at) and renews the claim with
-- every page it records; a replica that died mid-run stops renewing, and once its claim expired another takes over.
CREATE TABLE reconciliation_lock (
    name       VARCHAR(20)   NOT NULL PRIMARY KEY,
    run_id     VARCHAR(36),
    owner      VARCHAR(255),
    expires_at TIMESTAMP
);
-- a run left running before this migration keeps the lock, so it is continued rather than joined by a second one
INSERT INTO reconciliation_lock (name, run_id)
    VALUES ('run', (SELECT MIN(id) FROM reconciliation_run WHERE status = 'running'));

-- A repaired drift a later run still finds is open again: how often that happened and when it last did. The repair
-- id stays (the last repair made); the next repair of a reopened drift gets a new one, so the routes' idempotency
-- does not drop it as the same event.
ALTER TABLE reconciliation_drift ADD COLUMN reopened INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE reconciliation_drift ADD COLUMN reopened_at TIMESTAMP;
