-- Audit trail of operator actions outside the dead-letter API: routes stopped, started, suspended or resumed over
-- Jolokia (Hawtio). Written before the action runs; an action that cannot be audited is refused.
CREATE TABLE operator_action (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    actor          VARCHAR(255)  NOT NULL,
    client_address VARCHAR(255),
    channel        VARCHAR(20)   NOT NULL,
    action         VARCHAR(50)   NOT NULL,
    target         VARCHAR(1000) NOT NULL,
    at             TIMESTAMP     NOT NULL
);
CREATE INDEX operator_action_at_ix ON operator_action (at);
