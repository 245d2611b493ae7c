-- Title versions, and the one JSON form of a title.
--
-- sf_title_json(id) is the only definition of a title's JSON form: `sf
-- title show --json`, export, import (which reads the same form), the
-- snapshots below, the audit log and the HTTP API all use it.  It is built
-- with row_to_json so its keys keep their order and its text is compact,
-- and export streams it straight from a cursor.
--
-- Every change to a title (its fields, genres, credits, seasons or
-- episodes) runs in one transaction that locks the title row, bumps
-- titles.version and stores the title as it now is in title_versions, so
-- the table holds every version, the current one included: "history"
-- lists them and "rollback" re-applies an old snapshot as a new version.
-- The row lock makes concurrent changes queue up, and the primary key
-- makes a lost or doubled version number impossible.

-- The label of a maturity level, as lib/maturity.c names it (checked by
-- tests/db/title.c).
CREATE FUNCTION sf_maturity_label(level smallint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (ARRAY['G', 'TV-Y7', 'PG', 'PG-13', 'R', 'NC-17'])[level];

CREATE FUNCTION sf_title_json(p_id bigint) RETURNS json
    LANGUAGE sql STABLE
    RETURN (
        SELECT CASE WHEN b.kind = 'series'
                    THEN (SELECT row_to_json(s) FROM (SELECT b.*, coalesce((
                          SELECT array_to_json(array_agg(row_to_json(se) ORDER BY se.number))
                            FROM (SELECT sn.number, sn.name, sn.overview,
                                         to_char(sn.release_date, 'YYYY-MM-DD') AS release_date,
                                         coalesce((
                                             SELECT array_to_json(array_agg(row_to_json(ep)
                                                                  ORDER BY ep.number))
                                               FROM (SELECT e.number, e.name, e.overview,
                                                            e.runtime_minutes,
                                                            to_char(e.release_date, 'YYYY-MM-DD')
                                                                AS release_date
                                                       FROM episodes e
                                                      WHERE e.season_id = sn.id) ep),
                                             '[]'::json) AS episodes
                                    FROM seasons sn WHERE sn.title_id = b.id) se),
                          '[]'::json) AS seasons) s)
                    ELSE row_to_json(b) END
          FROM (SELECT t.id, t.kind, t.title, t.original_title, t.overview, t.tagline,
                       to_char(t.release_date, 'YYYY-MM-DD') AS release_date, t.year,
                       t.runtime_minutes, sf_maturity_label(t.maturity) AS maturity,
                       t.maturity AS maturity_level,
                       coalesce((SELECT array_to_json(array_agg(g.name ORDER BY lower(g.name)))
                                   FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
                                  WHERE tg.title_id = t.id), '[]'::json) AS genres,
                       t.original_language,
                       array_to_json(t.spoken_languages) AS spoken_languages,
                       array_to_json(t.countries) AS countries,
                       coalesce((SELECT array_to_json(array_agg(
                                            row_to_json((SELECT x FROM (SELECT cr.name, cr.role,
                                                         cr.character, cr."order") x))
                                            ORDER BY cr.rank, cr."order", cr.name))
                                   FROM (SELECT p.name, c.role, c.character, c.ord AS "order",
                                                array_position(ARRAY['director', 'writer', 'cast'],
                                                               c.role) AS rank
                                           FROM credits c JOIN people p ON p.id = c.person_id
                                          WHERE c.title_id = t.id) cr), '[]'::json) AS credits,
                       t.poster_url, t.backdrop_url, t.external_id, t.popularity,
                       t.rating_avg::float8 AS rating_avg, t.rating_count, t.status,
                       sf_iso(t.available_from) AS available_from,
                       sf_iso(t.available_until) AS available_until,
                       array_to_json(t.regions) AS regions, t.version,
                       sf_iso(t.created_at) AS created_at, sf_iso(t.updated_at) AS updated_at
                  FROM titles t WHERE t.id = p_id) b
    );

-- Whether viewers see a title at a moment (from a region, when one is
-- given): published, inside its window, and in its regions if it names
-- any.  Operators see every title.
CREATE FUNCTION sf_title_visible(t titles, p_region text DEFAULT NULL,
                                 p_at timestamptz DEFAULT now()) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN t.status = 'published'
       AND (t.available_from IS NULL OR t.available_from <= p_at)
       AND (t.available_until IS NULL OR p_at < t.available_until)
       AND (p_region IS NULL OR cardinality(t.regions) = 0 OR p_region = ANY (t.regions));

CREATE TABLE title_versions (
    title_id          bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    version           integer NOT NULL CHECK (version >= 1),
    at                timestamptz NOT NULL DEFAULT now(),
    actor             text NOT NULL,   -- as in audit_log
    actor_account_id  bigint,
    action            text NOT NULL,   -- "title.add", "season.add", "title.rollback", ...
    note              text,            -- "to version 3" for a rollback
    snapshot          json NOT NULL,   -- sf_title_json() after the change
    PRIMARY KEY (title_id, version)
);
