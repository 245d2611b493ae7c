-- Profiles: the people who watch under one account (at most five, enforced
-- by the application under a lock on the account row).
--
-- maturity is a level on sf's ladder of film and TV ratings (1 = G/TV-Y
-- ... 6 = NC-17/TV-MA), so "may this profile see that title" is a plain
-- comparison.  A kids profile is capped at PG/TV-PG (level 3).

CREATE TABLE profiles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    maturity    smallint NOT NULL CHECK (maturity BETWEEN 1 AND 6),
    kids        boolean NOT NULL DEFAULT false,
    language    text NOT NULL DEFAULT 'en',
    pin_hash    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT kids OR maturity <= 3)
);

CREATE UNIQUE INDEX profiles_account_name_key ON profiles (account_id, lower(name));
