-- Lineage: one row per hop of an event through a route, so one query answers "where is X and what happened to it".
CREATE TABLE lineage (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    at             TIMESTAMP     NOT NULL,
    route_id       VARCHAR(255)  NOT NULL,
    outcome        VARCHAR(30)   NOT NULL,
    event_id       VARCHAR(255),
    event_type     VARCHAR(255),
    correlation_id VARCHAR(255),
    business_key   VARCHAR(255),
    detail         VARCHAR(1000)
);
CREATE INDEX lineage_business_key_ix ON lineage (business_key);
CREATE INDEX lineage_correlation_ix ON lineage (correlation_id);
