-- Recommendations and the personalized homepage: what "sf recs build"
-- precomputes, and the per-profile cache of the homepage's rows.
--
-- recs_neighbours: for each title, its top neighbours by source: 'cf'
-- (item-to-item collaborative filtering: shrunk cosine similarity over
-- which profiles watched or liked both titles) and 'content' (genres,
-- people and era, for titles with little history).  recs_title_stats:
-- one row a title: viewers, trending score (plays of the last 7 days,
-- decayed with a half-life of two days), its rank in today's Top 10,
-- its Bayesian average rating (at least 5 ratings) and its popularity
-- score.  recs_genre_popular: the most popular titles of each genre.
-- recs_state: when the last build finished (one row).
--
-- These tables are rebuilt as a whole by lib/recs_build.c (each in one
-- transaction that deletes and inserts, so readers see the old or the
-- new rows, never none) and carry no foreign keys: every read joins
-- titles, so a row of a deleted title is never shown, and a load of
-- millions of rows checks no key row by row.
--
-- home_generations: a counter a profile, bumped by statement triggers
-- whenever the profile's own state changes (watch progress, My List,
-- ratings).  home_cache: the homepage last computed for a profile (by
-- ranker and region), with the generation and the build it was computed
-- from; lib/homepage.c serves it only while both are still current, so
-- a title finished a moment ago is in or out of Continue Watching on the
-- very next request.

CREATE TABLE recs_neighbours (
    title_id      bigint NOT NULL,
    source        text NOT NULL CHECK (source IN ('cf', 'content')),
    rank          smallint NOT NULL CHECK (rank >= 1),
    neighbour_id  bigint NOT NULL,
    score         real NOT NULL,
    PRIMARY KEY (title_id, source, rank)
);

CREATE TABLE recs_title_stats (
    title_id  bigint PRIMARY KEY,
    viewers   integer NOT NULL DEFAULT 0,
    plays_7d  integer NOT NULL DEFAULT 0,
    trend     real NOT NULL DEFAULT 0,
    top10     smallint CHECK (top10 BETWEEN 1 AND 10),
    bayes     real,
    score     real NOT NULL DEFAULT 0
);
CREATE INDEX recs_title_stats_trend_idx ON recs_title_stats (trend DESC) WHERE trend > 0;
CREATE INDEX recs_title_stats_bayes_idx ON recs_title_stats (bayes DESC) WHERE bayes IS NOT NULL;
CREATE INDEX recs_title_stats_score_idx ON recs_title_stats (score DESC);

CREATE TABLE recs_genre_popular (
    genre_id  integer NOT NULL,
    rank      integer NOT NULL,
    title_id  bigint NOT NULL,
    score     real NOT NULL,
    PRIMARY KEY (genre_id, rank)
);

CREATE TABLE recs_state (
    one          boolean PRIMARY KEY DEFAULT true CHECK (one),
    built_at     timestamptz NOT NULL,
    milliseconds bigint NOT NULL,
    summary      json NOT NULL
);

CREATE TABLE home_generations (
    profile_id  bigint PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    generation  bigint NOT NULL DEFAULT 1
);

CREATE TABLE home_cache (
    profile_id  bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    ranker      text NOT NULL,
    region      text NOT NULL DEFAULT '',
    generation  bigint NOT NULL,
    maturity    smallint NOT NULL,
    recs_built  timestamptz,
    built_at    timestamptz NOT NULL DEFAULT now(),
    rows        text NOT NULL,
    PRIMARY KEY (profile_id, ranker, region)
);

-- Bumps the generation of every profile in the transition table.
CREATE FUNCTION sf_home_bump_new() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO home_generations AS g (profile_id)
    SELECT DISTINCT n.profile_id FROM sf_new n
     WHERE EXISTS (SELECT 1 FROM profiles p WHERE p.id = n.profile_id)
    ON CONFLICT (profile_id) DO UPDATE SET generation = g.generation + 1;
    RETURN NULL;
END
$$;

CREATE FUNCTION sf_home_bump_old() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO home_generations AS g (profile_id)
    SELECT DISTINCT o.profile_id FROM sf_old o
     WHERE EXISTS (SELECT 1 FROM profiles p WHERE p.id = o.profile_id)
    ON CONFLICT (profile_id) DO UPDATE SET generation = g.generation + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER watch_progress_home_ins AFTER INSERT ON watch_progress
    REFERENCING NEW TABLE AS sf_new FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_new();
CREATE TRIGGER watch_progress_home_upd AFTER UPDATE ON watch_progress
    REFERENCING NEW TABLE AS sf_new FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_new();
CREATE TRIGGER watch_progress_home_del AFTER DELETE ON watch_progress
    REFERENCING OLD TABLE AS sf_old FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_old();
CREATE TRIGGER list_items_home_ins AFTER INSERT ON list_items
    REFERENCING NEW TABLE AS sf_new FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_new();
CREATE TRIGGER list_items_home_upd AFTER UPDATE ON list_items
    REFERENCING NEW TABLE AS sf_new FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_new();
CREATE TRIGGER list_items_home_del AFTER DELETE ON list_items
    REFERENCING OLD TABLE AS sf_old FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_old();
CREATE TRIGGER ratings_home_ins AFTER INSERT ON ratings
    REFERENCING NEW TABLE AS sf_new FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_new();
CREATE TRIGGER ratings_home_upd AFTER UPDATE ON ratings
    REFERENCING NEW TABLE AS sf_new FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_new();
CREATE TRIGGER ratings_home_del AFTER DELETE ON ratings
    REFERENCING OLD TABLE AS sf_old FOR EACH STATEMENT EXECUTE FUNCTION sf_home_bump_old();
