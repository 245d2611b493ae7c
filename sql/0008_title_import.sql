-- Import in bulk: a batch of checked records applied with a few
-- set-based statements instead of one savepoint and a dozen statements a
-- record (lib/title_batch.c).
--
-- The caller makes the staging table with sf_title_import_begin(), fills
-- it with COPY (one record a row: its place in the batch, its line in the
-- file, and the record as lib/title_field.c checked it: {cols, genres,
-- credits, seasons}, a part left out or null when not given), calls
-- sf_title_import_batch() and empties the table for the next batch.
--
-- sf_title_import_batch() does what the per-record path does
-- (sf_title_insert, sf_title_apply, sf_title_change_in_tx), with the
-- same results:
--  - a record whose external id a title has updates that title, any other
--    adds one (ids in the order of the file);
--  - a matched title that the record would leave as it is is not written
--    at all: no version, no audit entry, no new row versions.  What the
--    record gives is compared with what the title has, part by part,
--    as sf_title_json() shows it (times to the second);
--  - a changed title is locked, its version as it was is kept if it had
--    none stored (title.untracked), its version is bumped, and the title
--    as it now is goes into title_versions and the audit log with the
--    title before;
--  - a new title gets version 1 and its audit entry;
--  - the search documents of the titles added or changed are rebuilt
--    (sf_title_reindex_many).
-- It raises an error instead of reporting a bad record: the caller then
-- rolls the batch back and applies its records one by one, which finds
-- the bad one and says why.  The records of a batch have distinct
-- external ids (the caller sees to it).

CREATE FUNCTION sf_title_import_begin() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS sf_import_stage (
        ord      integer PRIMARY KEY,
        line     bigint NOT NULL,
        rec      jsonb NOT NULL,
        id       bigint,
        is_new   boolean NOT NULL DEFAULT false,
        changed  boolean NOT NULL DEFAULT false
    ) ON COMMIT DROP;
    TRUNCATE sf_import_stage;
END;
$$;

-- The search documents, prefixes and words of many titles at once: what
-- sf_title_reindex() does for one, for each of p_ids.
CREATE FUNCTION sf_title_reindex_many(p_ids bigint[]) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles t SET search_doc = d.doc
          FROM (SELECT i.id, sf_title_document(i.id) AS doc
                  FROM unnest(p_ids) AS i (id)) d
         WHERE t.id = d.id AND t.search_doc IS DISTINCT FROM d.doc;
        DELETE FROM search_prefixes sp USING unnest(p_ids) AS i (id) WHERE sp.title_id = i.id;
        INSERT INTO search_prefixes (title_id, key, lead, popularity, status, maturity,
                                     available_from, available_until, regions)
            SELECT t.id, r.key, r.lead, t.popularity, t.status, t.maturity, t.available_from,
                   t.available_until, t.regions
              FROM unnest(p_ids) AS i (id) JOIN titles t ON t.id = i.id,
                   sf_search_prefix_rows(t.title, t.original_title) AS r;
        INSERT INTO search_words (word)
            SELECT DISTINCT w.w
              FROM (SELECT sf_search_split_words(concat_ws(' ', t.title, t.original_title))
                      FROM unnest(p_ids) AS i (id) JOIN titles t ON t.id = i.id
                    UNION ALL
                    SELECT sf_search_split_words(p.name)
                      FROM (SELECT DISTINCT c.person_id
                              FROM unnest(p_ids) AS i (id) JOIN credits c ON c.title_id = i.id) c
                      JOIN people p ON p.id = c.person_id
                    UNION ALL
                    SELECT sf_search_split_words(e.name)
                      FROM (SELECT DISTINCT e.name
                              FROM unnest(p_ids) AS i (id)
                              JOIN episodes e ON e.title_id = i.id) e) AS w (w)
            ON CONFLICT DO NOTHING;
    END;

CREATE FUNCTION sf_title_import_batch(p_actor text, p_account bigint, p_action text)
    RETURNS TABLE (ord integer, id bigint, outcome text)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
DECLARE
    keys text[];
    bad record;
BEGIN
    -- Match by external id, and lock what matched.
    UPDATE sf_import_stage s SET id = t.id
      FROM titles t
     WHERE t.external_id = s.rec->'cols'->>'external_id';
    PERFORM 1 FROM titles t
      WHERE t.id IN (SELECT s.id FROM sf_import_stage s WHERE s.id IS NOT NULL)
      ORDER BY t.id FOR UPDATE OF t;
    SELECT s.line INTO bad FROM sf_import_stage s
     WHERE s.id IS NULL AND (s.rec->'cols'->>'kind' IS NULL OR s.rec->'cols'->>'title' IS NULL)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'line %: a new title without a kind or a name', bad.line;
    END IF;
    SELECT s.line INTO bad
      FROM sf_import_stage s, jsonb_array_elements_text(s.rec->'genres') AS n (name)
     WHERE jsonb_typeof(s.rec->'genres') = 'array'
       AND NOT EXISTS (SELECT 1 FROM genres g WHERE lower(g.name) = lower(n.name))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'line %: a genre not found', bad.line;
    END IF;

    -- Which matched titles the record changes: a column, the genres, the
    -- credits, the seasons or the episodes differ.
    UPDATE sf_import_stage s SET changed = true
      FROM (SELECT s2.ord
              FROM sf_import_stage s2 JOIN titles t ON t.id = s2.id,
                   jsonb_populate_record(t, s2.rec->'cols') r
             WHERE (r.kind, r.title, r.original_title, r.overview, r.tagline, r.release_date, r.year,
            r.runtime_minutes, r.maturity, r.original_language, r.spoken_languages,
            r.countries, r.poster_url, r.backdrop_url, r.external_id, r.popularity, r.status,
            sf_iso(r.available_from), sf_iso(r.available_until), r.regions)
           IS DISTINCT FROM
           (t.kind, t.title, t.original_title, t.overview, t.tagline, t.release_date, t.year,
            t.runtime_minutes, t.maturity, t.original_language, t.spoken_languages,
            t.countries, t.poster_url, t.backdrop_url, t.external_id, t.popularity, t.status,
            sf_iso(t.available_from), sf_iso(t.available_until), t.regions)) d
     WHERE s.ord = d.ord;
    WITH given AS (
            SELECT s.id AS title_id, g.id AS genre_id
              FROM sf_import_stage s, jsonb_array_elements_text(s.rec->'genres') AS n (name),
                   genres g
             WHERE s.id IS NOT NULL AND NOT s.changed
               AND jsonb_typeof(s.rec->'genres') = 'array' AND lower(g.name) = lower(n.name)),
         has AS (
            SELECT tg.title_id, tg.genre_id
              FROM title_genres tg
             WHERE tg.title_id IN (SELECT s.id FROM sf_import_stage s
                                    WHERE s.id IS NOT NULL AND NOT s.changed
                                      AND jsonb_typeof(s.rec->'genres') = 'array')),
         diff AS (
            SELECT coalesce(a.title_id, b.title_id) AS title_id
              FROM (SELECT DISTINCT * FROM given) a
              FULL JOIN has b ON b.title_id = a.title_id AND b.genre_id = a.genre_id
             WHERE a.title_id IS NULL OR b.title_id IS NULL)
    UPDATE sf_import_stage s SET changed = true
      FROM (SELECT DISTINCT title_id FROM diff) d
     WHERE s.id = d.title_id;
    WITH given AS (
            SELECT s.id AS title_id, c.name, c.role, c.character, c."order" AS ord
              FROM sf_import_stage s,
                   jsonb_to_recordset(s.rec->'credits')
                       AS c (name text, role text, character text, "order" smallint)
             WHERE s.id IS NOT NULL AND NOT s.changed
               AND jsonb_typeof(s.rec->'credits') = 'array'),
         has AS (
            SELECT c.title_id, p.name, c.role, c.character, c.ord
              FROM credits c JOIN people p ON p.id = c.person_id
             WHERE c.title_id IN (SELECT s.id FROM sf_import_stage s
                                   WHERE s.id IS NOT NULL AND NOT s.changed
                                     AND jsonb_typeof(s.rec->'credits') = 'array')),
         diff AS (
            SELECT coalesce(a.title_id, b.title_id) AS title_id
              FROM given a
              FULL JOIN has b ON b.title_id = a.title_id AND b.name = a.name
                             AND b.role = a.role
             WHERE a.title_id IS NULL OR b.title_id IS NULL
                OR (a.character, a.ord) IS DISTINCT FROM (b.character, b.ord))
    UPDATE sf_import_stage s SET changed = true
      FROM (SELECT DISTINCT title_id FROM diff) d
     WHERE s.id = d.title_id;
    WITH given AS (
            SELECT s.id AS title_id, x.number, x.name, x.overview, x.release_date
              FROM sf_import_stage s,
                   jsonb_to_recordset(s.rec->'seasons')
                       AS x (number smallint, name text, overview text, release_date date)
             WHERE s.id IS NOT NULL AND NOT s.changed
               AND jsonb_typeof(s.rec->'seasons') = 'array'),
         has AS (
            SELECT sn.title_id, sn.number, sn.name, sn.overview, sn.release_date
              FROM seasons sn
             WHERE sn.title_id IN (SELECT s.id FROM sf_import_stage s
                                    WHERE s.id IS NOT NULL AND NOT s.changed
                                      AND jsonb_typeof(s.rec->'seasons') = 'array')),
         diff AS (
            SELECT coalesce(a.title_id, b.title_id) AS title_id
              FROM given a
              FULL JOIN has b ON b.title_id = a.title_id AND b.number = a.number
             WHERE a.title_id IS NULL OR b.title_id IS NULL
                OR (a.name, a.overview, a.release_date)
                   IS DISTINCT FROM (b.name, b.overview, b.release_date))
    UPDATE sf_import_stage s SET changed = true
      FROM (SELECT DISTINCT title_id FROM diff) d
     WHERE s.id = d.title_id;
    WITH given AS (
            SELECT s.id AS title_id, (sj->>'number')::smallint AS season, x.number, x.name,
                   x.overview, x.runtime_minutes, x.release_date
              FROM sf_import_stage s,
                   jsonb_array_elements(s.rec->'seasons') AS sj,
                   jsonb_to_recordset(sj->'episodes')
                       AS x (number smallint, name text, overview text, runtime_minutes integer,
                             release_date date)
             WHERE s.id IS NOT NULL AND NOT s.changed
               AND jsonb_typeof(s.rec->'seasons') = 'array'),
         has AS (
            SELECT e.title_id, sn.number AS season, e.number, e.name, e.overview,
                   e.runtime_minutes, e.release_date
              FROM episodes e JOIN seasons sn ON sn.id = e.season_id
             WHERE e.title_id IN (SELECT s.id FROM sf_import_stage s
                                   WHERE s.id IS NOT NULL AND NOT s.changed
                                     AND jsonb_typeof(s.rec->'seasons') = 'array')),
         diff AS (
            SELECT coalesce(a.title_id, b.title_id) AS title_id
              FROM given a
              FULL JOIN has b ON b.title_id = a.title_id AND b.season = a.season
                             AND b.number = a.number
             WHERE a.title_id IS NULL OR b.title_id IS NULL
                OR (a.name, a.overview, a.runtime_minutes, a.release_date)
                   IS DISTINCT FROM (b.name, b.overview, b.runtime_minutes, b.release_date))
    UPDATE sf_import_stage s SET changed = true
      FROM (SELECT DISTINCT title_id FROM diff) d
     WHERE s.id = d.title_id;

    -- The titles changed as they were, and their version as it was when
    -- none is stored (loaded in bulk).
    CREATE TEMP TABLE IF NOT EXISTS sf_import_old (id bigint PRIMARY KEY, j json NOT NULL)
        ON COMMIT DROP;
    TRUNCATE sf_import_old;
    INSERT INTO sf_import_old
        SELECT s.id, sf_title_json(s.id) FROM sf_import_stage s WHERE s.changed;
    INSERT INTO title_versions (title_id, version, at, actor, action, snapshot)
        SELECT o.id, (o.j->>'version')::integer, t.updated_at, 'unknown', 'title.untracked', o.j
          FROM sf_import_old o JOIN titles t ON t.id = o.id
        ON CONFLICT (title_id, version) DO NOTHING;

    -- New titles: their ids in the order of the file; one INSERT for each
    -- set of fields given, so that the fields left out get their defaults.
    -- Each comes with its search document made from the record as
    -- sf_title_document() makes it from the rows (credits in their order,
    -- then as given), so that the reindex below finds it right and does
    -- not write the row a second time (and every index of titles again);
    -- were the two ever to differ, the reindex writes the right one.
    UPDATE sf_import_stage s
       SET is_new = true, id = nextval(pg_get_serial_sequence('titles', 'id'))
      FROM (SELECT s2.ord FROM sf_import_stage s2 WHERE s2.id IS NULL ORDER BY s2.ord) n
     WHERE s.ord = n.ord;
    FOR keys IN
        SELECT DISTINCT ARRAY(SELECT k FROM jsonb_object_keys(s.rec->'cols') AS k ORDER BY k)
          FROM sf_import_stage s WHERE s.is_new
    LOOP
        EXECUTE format('INSERT INTO titles (id, search_doc, %s) OVERRIDING SYSTEM VALUE'
                       ' SELECT s.id, sf_search_document(r.title, r.original_title,'
                       '   (SELECT string_agg(c.v->>''name'', '' '' ORDER BY (c.v->>''order'')::int, c.i)'
                       '      FROM jsonb_array_elements(s.rec->''credits'') WITH ORDINALITY AS c (v, i)'
                       '     WHERE jsonb_typeof(s.rec->''credits'') = ''array''),'
                       '   r.tagline, r.overview,'
                       '   (SELECT string_agg(c.v->>''character'', '' '' ORDER BY (c.v->>''order'')::int, c.i)'
                       '      FROM jsonb_array_elements(s.rec->''credits'') WITH ORDINALITY AS c (v, i)'
                       '     WHERE jsonb_typeof(s.rec->''credits'') = ''array''),'
                       '   r.year, r.kind,'
                       '   ARRAY(SELECT g.id FROM genres g WHERE jsonb_typeof(s.rec->''genres'') = ''array'''
                       '          AND lower(g.name) IN (SELECT lower(n)'
                       '            FROM jsonb_array_elements_text(s.rec->''genres'') AS n))),'
                       ' %s FROM sf_import_stage s,'
                       ' jsonb_populate_record(NULL::titles, s.rec->''cols'') r'
                       ' WHERE s.is_new AND ARRAY(SELECT k FROM jsonb_object_keys(s.rec->''cols'')'
                       ' AS k ORDER BY k) = $1 ORDER BY s.ord',
                       (SELECT string_agg(format('%I', k), ', ') FROM unnest(keys) AS k),
                       (SELECT string_agg(format('r.%I', k), ', ') FROM unnest(keys) AS k))
            USING keys;
    END LOOP;

    -- Changed titles: their columns, version and time.
    UPDATE titles t
       SET (kind, title, original_title, overview, tagline, release_date, year,
            runtime_minutes, maturity, original_language, spoken_languages, countries,
            poster_url, backdrop_url, external_id, popularity, status, available_from,
            available_until, regions)
         = (SELECT r.kind, r.title, r.original_title, r.overview, r.tagline, r.release_date,
                   r.year, r.runtime_minutes, r.maturity, r.original_language,
                   r.spoken_languages, r.countries, r.poster_url, r.backdrop_url,
                   r.external_id, r.popularity, r.status, r.available_from,
                   r.available_until, r.regions
              FROM jsonb_populate_record(t, s.rec->'cols') r),
           version = t.version + 1, updated_at = now()
      FROM sf_import_stage s
     WHERE s.changed AND t.id = s.id;

    -- Genres, credits, seasons and episodes given replace the title's.
    DELETE FROM title_genres tg USING sf_import_stage s
     WHERE s.changed AND tg.title_id = s.id AND jsonb_typeof(s.rec->'genres') = 'array';
    INSERT INTO title_genres (title_id, genre_id)
        SELECT DISTINCT s.id, g.id
          FROM sf_import_stage s, jsonb_array_elements_text(s.rec->'genres') AS n (name),
               genres g
         WHERE (s.changed OR s.is_new) AND jsonb_typeof(s.rec->'genres') = 'array'
           AND lower(g.name) = lower(n.name);

    DELETE FROM credits c USING sf_import_stage s
     WHERE s.changed AND c.title_id = s.id AND jsonb_typeof(s.rec->'credits') = 'array';
    INSERT INTO people (name)
        SELECT DISTINCT c.name
          FROM sf_import_stage s, jsonb_to_recordset(s.rec->'credits') AS c (name text)
         WHERE (s.changed OR s.is_new) AND jsonb_typeof(s.rec->'credits') = 'array'
           AND NOT EXISTS (SELECT 1 FROM people p WHERE p.name = c.name)
        ON CONFLICT (name) DO NOTHING;
    INSERT INTO credits (title_id, person_id, role, character, ord)
        SELECT s.id, p.id, c.v->>'role', c.v->>'character', (c.v->>'order')::smallint
          FROM sf_import_stage s,
               jsonb_array_elements(s.rec->'credits') WITH ORDINALITY AS c (v, i),
               people p
         WHERE (s.changed OR s.is_new) AND jsonb_typeof(s.rec->'credits') = 'array'
           AND p.name = c.v->>'name'
         ORDER BY s.ord, c.i;

    DELETE FROM seasons sn USING sf_import_stage s
     WHERE s.changed AND sn.title_id = s.id AND jsonb_typeof(s.rec->'seasons') = 'array'
       AND sn.number NOT IN (SELECT (x->>'number')::integer
                               FROM jsonb_array_elements(s.rec->'seasons') AS x);
    INSERT INTO seasons (title_id, number, name, overview, release_date)
        SELECT s.id, x.number, x.name, x.overview, x.release_date
          FROM sf_import_stage s,
               jsonb_to_recordset(s.rec->'seasons')
                   AS x (number smallint, name text, overview text, release_date date)
         WHERE (s.changed OR s.is_new) AND jsonb_typeof(s.rec->'seasons') = 'array'
         ORDER BY s.ord, x.number
        ON CONFLICT (title_id, number) DO UPDATE
           SET name = excluded.name, overview = excluded.overview,
               release_date = excluded.release_date;
    DELETE FROM episodes e USING seasons sn, sf_import_stage s
     WHERE s.changed AND jsonb_typeof(s.rec->'seasons') = 'array'
       AND sn.title_id = s.id AND e.season_id = sn.id
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.rec->'seasons') AS sj,
                                     jsonb_array_elements(sj->'episodes') AS ej
                        WHERE (sj->>'number')::integer = sn.number
                          AND (ej->>'number')::integer = e.number);
    INSERT INTO episodes (season_id, title_id, number, name, overview, runtime_minutes,
                          release_date)
        SELECT sn.id, s.id, x.number, x.name, x.overview, x.runtime_minutes, x.release_date
          FROM sf_import_stage s,
               jsonb_array_elements(s.rec->'seasons') AS sj,
               seasons sn,
               jsonb_to_recordset(sj->'episodes')
                   AS x (number smallint, name text, overview text, runtime_minutes integer,
                         release_date date)
         WHERE (s.changed OR s.is_new) AND jsonb_typeof(s.rec->'seasons') = 'array'
           AND sn.title_id = s.id AND sn.number = (sj->>'number')::smallint
         ORDER BY s.ord, sn.number, x.number
        ON CONFLICT (season_id, number) DO UPDATE
           SET name = excluded.name, overview = excluded.overview,
               runtime_minutes = excluded.runtime_minutes, release_date = excluded.release_date;

    -- What sf_title_apply checks of the title as a whole.
    SELECT s.line INTO bad
      FROM sf_import_stage s JOIN titles t ON t.id = s.id
     WHERE (t.kind = 'movie' AND EXISTS (SELECT 1 FROM seasons sn WHERE sn.title_id = t.id))
        OR (t.release_date IS NOT NULL AND t.year IS NOT NULL
            AND extract(year FROM t.release_date) <> t.year)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'line %: the title does not hold together', bad.line;
    END IF;

    -- The new versions and the audit log, in the order of the file.
    CREATE TEMP TABLE IF NOT EXISTS sf_import_new (ord integer PRIMARY KEY, id bigint NOT NULL,
                                                   j json NOT NULL) ON COMMIT DROP;
    TRUNCATE sf_import_new;
    INSERT INTO sf_import_new
        SELECT s.ord, s.id, sf_title_json(s.id) FROM sf_import_stage s
         WHERE s.changed OR s.is_new;
    INSERT INTO title_versions (title_id, version, actor, actor_account_id, action, snapshot)
        SELECT n.id, (n.j->>'version')::integer, p_actor, p_account, p_action, n.j
          FROM sf_import_new n ORDER BY n.ord;
    INSERT INTO audit_log (actor, actor_account_id, action, entity_type, entity_id, old, new)
        SELECT p_actor, p_account, p_action, 'title', n.id::text, o.j::jsonb, n.j::jsonb
          FROM sf_import_new n LEFT JOIN sf_import_old o ON o.id = n.id
         ORDER BY n.ord;

    PERFORM sf_title_reindex_many(ARRAY(SELECT n.id FROM sf_import_new n));

    RETURN QUERY
        SELECT s.ord, s.id,
               CASE WHEN s.is_new THEN 'added' WHEN s.changed THEN 'updated'
                    ELSE 'unchanged' END
          FROM sf_import_stage s ORDER BY s.ord;
END;
$$;
