-- Reconciliation (issue 13): each run, how far it got per object (a checkpoint: a run interrupted by a crash continues
-- from the last saved cursor), and each drift it found, as data an operator can list, repair and audit.
CREATE TABLE reconciliation_run (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    run_trigger VARCHAR(20)   NOT NULL,
    requested_by VARCHAR(255),
    started     TIMESTAMP     NOT NULL,
    finished    TIMESTAMP,
    status      VARCHAR(20)   NOT NULL,
    error       VARCHAR(2000),
    -- a run after a failed one continues where that one stopped (its per-object cursors are copied)
    resumed_from VARCHAR(36)
);
CREATE INDEX reconciliation_run_started_ix ON reconciliation_run (started);

-- per run and object: the cursor of the next page to compare (null before the first), pages done, drifts seen
CREATE TABLE reconciliation_run_object (
    run_id      VARCHAR(36)   NOT NULL,
    object      VARCHAR(50)   NOT NULL,
    cursor_at   VARCHAR(1000),
    pages       INTEGER       NOT NULL,
    drifts      INTEGER       NOT NULL,
    completed   TIMESTAMP,
    PRIMARY KEY (run_id, object)
);

-- one row per disagreement (object, business_key, kind, target, field) while it lasts: a later run that finds it
-- again moves last_seen; one that no longer finds it closes it. A closed drift found again is a new row.
CREATE TABLE reconciliation_drift (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    first_run_id     VARCHAR(36)   NOT NULL,
    last_run_id      VARCHAR(36)   NOT NULL,
    first_seen       TIMESTAMP     NOT NULL,
    last_seen        TIMESTAMP     NOT NULL,
    object           VARCHAR(50)   NOT NULL,
    business_key     VARCHAR(255)  NOT NULL,
    kind             VARCHAR(30)   NOT NULL,
    system_of_record VARCHAR(20)   NOT NULL,
    target           VARCHAR(20)   NOT NULL,
    field            VARCHAR(255),
    expected         VARCHAR(2000),
    actual           VARCHAR(2000),
    status           VARCHAR(20)   NOT NULL,
    repair_id        VARCHAR(36),
    repaired_by      VARCHAR(255),
    repair_reason    VARCHAR(1000),
    repaired_at      TIMESTAMP,
    closed_at        TIMESTAMP
);
CREATE INDEX reconciliation_drift_identity_ix ON reconciliation_drift (object, business_key, kind, target);
CREATE INDEX reconciliation_drift_status_ix ON reconciliation_drift (status, object, kind);
