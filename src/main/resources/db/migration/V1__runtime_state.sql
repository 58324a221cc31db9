-- The runtime's own state. Portable SQL: runs on H2 (embedded default, tests) and PostgreSQL (production).

-- Idempotent consumers (camel-sql JdbcMessageIdRepository): one row per (route, CloudEvent id) whose effect
-- is durable. The primary key makes a concurrent duplicate insert fail instead of double-applying.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(255) NOT NULL,
    createdAt     TIMESTAMP    NOT NULL,
    CONSTRAINT camel_messageprocessed_pk PRIMARY KEY (processorName, messageId)
);

-- Salesforce Pub/Sub replay checkpoints: written only after Kafka acknowledged the event.
CREATE TABLE salesforce_replay_checkpoint (
    subscription VARCHAR(255) NOT NULL PRIMARY KEY,
    topic        VARCHAR(255) NOT NULL,
    replay_id    VARCHAR(255) NOT NULL,
    updated_at   TIMESTAMP    NOT NULL
);

-- Dead letters: every event a route could not apply, with enough context to repair and replay it.
CREATE TABLE dead_letter (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    route_id          VARCHAR(255)  NOT NULL,
    category          VARCHAR(20)   NOT NULL,
    reason_code       VARCHAR(100)  NOT NULL,
    exception_type    VARCHAR(255)  NOT NULL,
    exception_message VARCHAR(4000),
    event_id          VARCHAR(255),
    event_type        VARCHAR(255),
    correlation_id    VARCHAR(255),
    business_key      VARCHAR(255),
    endpoint_uri      VARCHAR(1000),
    payload           TEXT,
    headers           TEXT,
    attempts          INTEGER       NOT NULL,
    first_failed_at   TIMESTAMP     NOT NULL,
    last_failed_at    TIMESTAMP     NOT NULL,
    status            VARCHAR(20)   NOT NULL,
    CONSTRAINT dead_letter_event_uk UNIQUE (route_id, event_id)
);
CREATE INDEX dead_letter_business_key_ix ON dead_letter (business_key);
CREATE INDEX dead_letter_route_status_ix ON dead_letter (route_id, status);
