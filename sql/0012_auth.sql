-- Authentication for the HTTP API (sf serve): sessions, refresh tokens and
-- the login throttle.
--
-- A session is one login: every refresh token issued from it belongs to
-- it (its "family").  Refresh tokens are random and stored only as their
-- SHA-256; each is used once and replaced by the next.  Presenting a used
-- token again means it was stolen, so the whole session is revoked, and
-- access tokens name their session (claim "sid"), so they die with it.
--
-- login_throttle counts recent failed logins per key ("account:EMAIL",
-- "address:IP", "pin:PROFILE") and says until when the key is blocked.
-- It lives in the database so every sf serve instance shares it.

CREATE TABLE auth_sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    address         text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    revoked_reason  text CHECK (revoked_reason IN ('logout', 'reuse', 'password',
                                                   'account'))
);

CREATE INDEX auth_sessions_account ON auth_sessions (account_id);

CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY CHECK (length(token_hash) = 64),
    session_id  bigint NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_throttle (
    key             text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 300),
    failures        integer NOT NULL CHECK (failures > 0),
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    blocked_until   timestamptz
);
