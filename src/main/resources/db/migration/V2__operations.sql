-- Operations: where a dead letter came from (so it can be replayed through the same route) and the audit trail
-- of what operators did with dead letters.
ALTER TABLE dead_letter ADD COLUMN source_endpoint VARCHAR(1000);

CREATE TABLE dead_letter_audit (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    dead_letter_id VARCHAR(36)   NOT NULL,
    action         VARCHAR(20)   NOT NULL,
    actor          VARCHAR(255)  NOT NULL,
    reason         VARCHAR(2000),
    at             TIMESTAMP     NOT NULL,
    CONSTRAINT dead_letter_audit_fk FOREIGN KEY (dead_letter_id) REFERENCES dead_letter (id)
);
CREATE INDEX dead_letter_audit_dl_ix ON dead_letter_audit (dead_letter_id);
