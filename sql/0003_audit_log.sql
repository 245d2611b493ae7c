-- The audit log: every administrative change, who made it, and the object
-- before and after.  Rows outlive the objects they describe (no foreign
-- keys), so a purge is still on record.

CREATE TABLE audit_log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at               timestamptz NOT NULL DEFAULT now(),
    actor            text NOT NULL,   -- "os:alice" or the account's email
    actor_account_id bigint,          -- set when an account acted
    action           text NOT NULL,   -- "user.add", "profile.set", ...
    entity_type      text NOT NULL,   -- "account", "profile", ...
    entity_id        text NOT NULL,
    old              jsonb,
    new              jsonb
);

CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_actor_idx ON audit_log (lower(actor));
