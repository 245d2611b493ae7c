-- Accounts: who can sign in, with what role, and whether they may.
--
-- Email and username are unique without regard to case.  A deleted account
-- keeps its row (deleted_at is set) so it can be restored; purging removes
-- the row and, through ON DELETE CASCADE, everything that belongs to it.

-- ISO 8601 in UTC, second precision: the one way timestamps leave the
-- database for JSON and tables.
CREATE FUNCTION sf_iso(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');

CREATE TABLE accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    username      text NOT NULL CHECK (length(username) BETWEEN 1 AND 32),
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'viewer'
                  CHECK (role IN ('viewer', 'moderator', 'content_manager',
                                  'user_manager', 'admin')),
    status        text NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'suspended')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);

CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username));
