-- Experiments: layers, the global holdout, experiments and exposures
-- (lib/experiment.c; the allocation itself is lib/exp_alloc.c, a pure
-- function of the ids, salts and phase stored here).
--
-- exp_layers: each layer has a salt of its own; its experiments own
-- disjoint bucket ranges of 0..9999, which the exclusion constraint on
-- experiments enforces for every experiment that is not stopped.
--
-- exp_holdout: one row, the share of units (basis points, 0..10000)
-- kept out of every experiment, chosen by its own salt.
--
-- experiments: a key, a hypothesis, the layer and bucket range, the
-- unit (profile or account), variants [{name, weight, params}] and
-- targeting {kids, countries, max_maturity, new_profiles}; status draft
-- -> running -> stopped.  Changing a running experiment's weights starts
-- a new phase, which re-randomizes its units.
--
-- exp_exposures: the first time a unit got a variant's parameter in a
-- phase; one row a unit and phase.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE exp_layers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    salt        bigint NOT NULL CHECK (salt BETWEEN 0 AND 4294967295),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE exp_holdout (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    share       integer NOT NULL CHECK (share BETWEEN 0 AND 10000),
    salt        bigint NOT NULL CHECK (salt BETWEEN 0 AND 4294967295),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE experiments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    hypothesis  text NOT NULL DEFAULT '',
    layer_id    bigint NOT NULL REFERENCES exp_layers (id),
    bucket_lo   integer NOT NULL,
    bucket_hi   integer NOT NULL,
    unit        text NOT NULL DEFAULT 'profile' CHECK (unit IN ('profile', 'account')),
    salt        bigint NOT NULL CHECK (salt BETWEEN 0 AND 4294967295),
    phase       integer NOT NULL DEFAULT 1 CHECK (phase >= 1),
    variants    jsonb NOT NULL,
    targeting   jsonb NOT NULL DEFAULT '{}',
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    stopped_at  timestamptz,
    CHECK (0 <= bucket_lo AND bucket_lo < bucket_hi AND bucket_hi <= 10000),
    EXCLUDE USING gist (layer_id WITH =, int4range(bucket_lo, bucket_hi) WITH &&)
        WHERE (status <> 'stopped')
);
CREATE INDEX experiments_running_idx ON experiments (layer_id) WHERE status = 'running';

CREATE TABLE exp_exposures (
    experiment_id  bigint NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    phase          integer NOT NULL,
    unit           bigint NOT NULL,
    variant        text NOT NULL,
    first_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, phase, unit)
);
