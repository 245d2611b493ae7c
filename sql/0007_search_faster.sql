-- Faster search: the kind and genres in the search document, so that the
-- index applies --type and --genre; autocomplete answered from the
-- indexes of search_prefixes alone; ranking by relevance planned once a
-- session; typo correction preferring the commoner word.
--
-- The search document gains, at weight D, a lexeme for the title's kind
-- ("#movie", "#series") and one for each of its genres ("#g7" for genre
-- 7); no word typed can become one.  Every document is rebuilt at the end.

CREATE FUNCTION sf_search_document(p_title text, p_original text, p_people text,
                                   p_tagline text, p_overview text, p_characters text,
                                   p_year integer, p_kind text, p_genres integer[])
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(sf_search_words(p_title), 'A')
        || setweight(sf_search_words(p_original)
                     || to_tsvector('sf_english', coalesce(p_people, '')), 'B')
        || setweight(to_tsvector('sf_english', concat_ws(' ', p_tagline, p_overview,
                                                         p_characters)), 'C')
        || setweight(to_tsvector('sf_english', coalesce(p_year::text, ''))
                     || array_to_tsvector(ARRAY['#' || p_kind]
                                          || ARRAY(SELECT '#g' || g FROM unnest(p_genres) AS g)),
                     'D');

-- A prefix query for one word as typed: each of its lexemes (by cfg) as
-- a prefix, in a phrase when the word has several ("spider-m"); NULL for
-- a stop word.  (PL/pgSQL, here and below, for its cached plans: these
-- run once or twice in every search.)

-- The search document of one title from its rows; both reindex functions
-- build it the same way.
CREATE OR REPLACE FUNCTION sf_title_document(p_id bigint) RETURNS tsvector
    LANGUAGE sql STABLE PARALLEL SAFE
    BEGIN ATOMIC
        SELECT sf_search_document(
                   t.title, t.original_title,
                   (SELECT string_agg(p.name, ' ' ORDER BY c.ord, c.id)
                      FROM credits c JOIN people p ON p.id = c.person_id
                     WHERE c.title_id = t.id),
                   t.tagline, t.overview,
                   (SELECT string_agg(c.character, ' ' ORDER BY c.ord, c.id)
                      FROM credits c WHERE c.title_id = t.id),
                   t.year, t.kind,
                   ARRAY(SELECT g.genre_id FROM title_genres g WHERE g.title_id = t.id))
          FROM titles t
         WHERE t.id = p_id;
    END;

-- The rows of search_prefixes copy what autocomplete orders and filters
-- by, so that a prefix is answered from its index alone.  The reindex
-- functions write the rows and a trigger on titles keeps the copies in
-- step; sf_search_suggest checks what it returns against titles all the
-- same, so a copy that were behind could only order suggestions by an
-- older popularity, never show a title that a viewer may not watch.
ALTER TABLE search_prefixes
    ADD COLUMN popularity double precision,
    ADD COLUMN status text,
    ADD COLUMN maturity smallint,
    ADD COLUMN available_from timestamptz,
    ADD COLUMN available_until timestamptz,
    ADD COLUMN regions text[];
UPDATE search_prefixes sp
   SET popularity = t.popularity, status = t.status, maturity = t.maturity,
       available_from = t.available_from, available_until = t.available_until,
       regions = t.regions
  FROM titles t
 WHERE t.id = sp.title_id;
ALTER TABLE search_prefixes
    ALTER COLUMN popularity SET NOT NULL,
    ALTER COLUMN status SET NOT NULL,
    ALTER COLUMN maturity SET NOT NULL,
    ALTER COLUMN regions SET NOT NULL;
DROP INDEX search_prefixes_key_idx;
CREATE INDEX search_prefixes_key_idx ON search_prefixes (lead, key text_pattern_ops)
    INCLUDE (title_id, popularity, status, maturity, available_from, available_until, regions);
CREATE INDEX search_prefixes_popular_idx ON search_prefixes (lead, popularity DESC)
    INCLUDE (key, title_id, status, maturity, available_from, available_until, regions);


CREATE FUNCTION sf_search_prefixes_copy() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE search_prefixes sp
       SET popularity = NEW.popularity, status = NEW.status, maturity = NEW.maturity,
           available_from = NEW.available_from, available_until = NEW.available_until,
           regions = NEW.regions
     WHERE sp.title_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER titles_search_prefixes_copy
    AFTER UPDATE OF popularity, status, maturity, available_from, available_until, regions
    ON titles
    FOR EACH ROW
    WHEN ((OLD.popularity, OLD.status, OLD.maturity, OLD.available_from, OLD.available_until,
           OLD.regions)
          IS DISTINCT FROM (NEW.popularity, NEW.status, NEW.maturity, NEW.available_from,
                            NEW.available_until, NEW.regions))
    EXECUTE FUNCTION sf_search_prefixes_copy();

-- Typos: search_words counts how often each word is used (by a title, a
-- credit or an episode), so that a word that none uses is corrected to
-- the closest one that some do, the commoner first.
ALTER TABLE search_words RENAME COLUMN titles TO uses;

CREATE OR REPLACE FUNCTION sf_title_reindex(p_title bigint) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles SET search_doc = sf_title_document(id)
         WHERE id = p_title AND search_doc IS DISTINCT FROM sf_title_document(id);
        DELETE FROM search_prefixes WHERE title_id = p_title;
        INSERT INTO search_prefixes (title_id, key, lead, popularity, status, maturity,
                                     available_from, available_until, regions)
            SELECT t.id, r.key, r.lead, t.popularity, t.status, t.maturity, t.available_from,
                   t.available_until, t.regions
              FROM titles t, sf_search_prefix_rows(t.title, t.original_title) AS r
             WHERE t.id = p_title;
        INSERT INTO search_words (word)
            SELECT DISTINCT w.w
              FROM (SELECT sf_search_split_words(concat_ws(' ', t.title, t.original_title))
                      FROM titles t WHERE t.id = p_title
                    UNION ALL
                    SELECT sf_search_split_words(p.name)
                      FROM credits c JOIN people p ON p.id = c.person_id
                     WHERE c.title_id = p_title
                    UNION ALL
                    SELECT sf_search_split_words(e.name)
                      FROM episodes e WHERE e.title_id = p_title) AS w (w)
            ON CONFLICT DO NOTHING;
    END;

-- Every title at once, set-based; rows that did not change are not
-- written.  About 15 s for 100,000 titles with 1,000,000 episodes on two
-- cores when little changed; writing every document into the search
-- indexes takes minutes, so bulk loads should make those indexes after
-- it, as sf demo generate does.
CREATE OR REPLACE FUNCTION sf_title_reindex_all() RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles t
           SET search_doc = d.doc
          FROM (SELECT t2.id,
                       sf_search_document(t2.title, t2.original_title, p.names, t2.tagline,
                                          t2.overview, p.characters, t2.year, t2.kind,
                                          coalesce(g.genres, '{}')) AS doc
                  FROM titles t2
                  LEFT JOIN (SELECT c.title_id,
                                    string_agg(pe.name, ' ' ORDER BY c.ord, c.id) AS names,
                                    string_agg(c.character, ' ' ORDER BY c.ord, c.id) AS characters
                               FROM credits c JOIN people pe ON pe.id = c.person_id
                              GROUP BY c.title_id) p ON p.title_id = t2.id
                  LEFT JOIN (SELECT tg.title_id, array_agg(tg.genre_id) AS genres
                               FROM title_genres tg
                              GROUP BY tg.title_id) g ON g.title_id = t2.id) d
         WHERE d.id = t.id AND t.search_doc IS DISTINCT FROM d.doc;
        -- The prefix rows: drop those no title has, write those that differ.
        WITH want AS MATERIALIZED (
                SELECT t.id AS title_id, r.key, r.lead, t.popularity, t.status, t.maturity,
                       t.available_from, t.available_until, t.regions
                  FROM titles t, sf_search_prefix_rows(t.title, t.original_title) AS r),
             gone AS (
                DELETE FROM search_prefixes sp
                 WHERE NOT EXISTS (SELECT 1 FROM want w
                                    WHERE w.title_id = sp.title_id AND w.key = sp.key))
        INSERT INTO search_prefixes AS sp (title_id, key, lead, popularity, status, maturity,
                                           available_from, available_until, regions)
            SELECT w.* FROM want w
             WHERE NOT EXISTS (
                 SELECT 1 FROM search_prefixes o
                  WHERE o.title_id = w.title_id AND o.key = w.key
                    AND (o.lead, o.popularity, o.status, o.maturity, o.available_from,
                         o.available_until, o.regions)
                        IS NOT DISTINCT FROM (w.lead, w.popularity, w.status, w.maturity,
                                              w.available_from, w.available_until, w.regions))
            ON CONFLICT (title_id, key) DO UPDATE
               SET lead = excluded.lead, popularity = excluded.popularity,
                   status = excluded.status, maturity = excluded.maturity,
                   available_from = excluded.available_from,
                   available_until = excluded.available_until, regions = excluded.regions;
        -- The words, each text split once (episode names repeat).
        WITH texts AS (
                SELECT concat_ws(' ', t.title, t.original_title) AS text, 1 AS uses FROM titles t
                UNION ALL
                SELECT p.name, count(*) FROM credits c JOIN people p ON p.id = c.person_id
                 GROUP BY p.id
                UNION ALL
                SELECT e.name, count(*) FROM episodes e GROUP BY e.name),
             want AS MATERIALIZED (
                SELECT w.word, sum(x.uses)::integer AS uses
                  FROM texts x, sf_search_split_words(x.text) AS w (word)
                 GROUP BY w.word),
             gone AS (
                DELETE FROM search_words s WHERE NOT EXISTS (SELECT 1 FROM want w
                                                              WHERE w.word = s.word))
        INSERT INTO search_words AS s (word, uses)
            SELECT w.word, w.uses FROM want w
            ON CONFLICT (word) DO UPDATE SET uses = excluded.uses
             WHERE s.uses <> excluded.uses;
    END;

DROP FUNCTION sf_search_document(text, text, text, text, text, text, integer);

-- --sort newest walks this one: undated titles last.
CREATE INDEX titles_search_newest_idx
    ON titles (sf_search_released(release_date, year) DESC NULLS LAST);

CREATE OR REPLACE FUNCTION sf_search_correct(k text) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET pg_trgm.similarity_threshold = 0.4
    AS $$
DECLARE
    w text;
    best text;
    words text[] := '{}';
    changed boolean := false;
BEGIN
    FOREACH w IN ARRAY string_to_array(k, ' ') LOOP
        IF length(w) >= 3 AND NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w) THEN
            SELECT s.word INTO best
              FROM search_words s
             WHERE s.word % w
             ORDER BY similarity(s.word, w) DESC, s.uses DESC, s.word
             LIMIT 1;
            IF best IS NOT NULL THEN
                w := best;
                changed := true;
            END IF;
        END IF;
        words := words || w;
    END LOOP;
    RETURN CASE WHEN changed THEN array_to_string(words, ' ') END;
END;
$$;

-- The page of a search by relevance (see sf_search): one statement whose
-- plan does not depend on the values, so it is planned once a session.
CREATE FUNCTION sf_search_ranked(qm tsquery, qmg tsquery, qe tsquery, ex bigint[],
                                 p_viewer boolean,
                                 p_maturity integer, p_region text, p_kind text,
                                 p_genre integer, p_year_min integer, p_year_max integer,
                                 p_min_rating numeric, p_lang text, p_limit integer,
                                 p_offset integer, p_window integer, p_count_max integer,
                                 p_episodes_below integer, p_titles_max integer,
                                 p_episodes_max integer)
    RETURNS SETOF sf_search_row
    LANGUAGE plpgsql STABLE
    SET jit = off
    SET max_parallel_workers_per_gather = 0
    SET plan_cache_mode = force_generic_plan
    SET enable_seqscan = off
    AS $$
BEGIN
    RETURN QUERY
        -- The matches, up to one more than p_count_max: by the document,
        -- or an exact title that it does not hold (only stop words: "It").
        WITH m0 AS MATERIALIZED (
            (SELECT t.id, t.popularity, t.rating_avg,
                    sf_search_released(t.release_date, t.year) AS released
               FROM titles t
              WHERE t.search_doc @@ qmg
                AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                     p_year_max, p_min_rating, p_lang)
              LIMIT p_count_max + 1)
            UNION ALL
            SELECT t.id, t.popularity, t.rating_avg,
                   sf_search_released(t.release_date, t.year)
              FROM titles t
             WHERE t.id = ANY (ex)
               AND NOT coalesce(t.search_doc @@ qm, false)
               AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                    p_year_max, p_min_rating, p_lang)
               AND (p_genre IS NULL OR t.id IN (SELECT g.title_id FROM title_genres g
                                                 WHERE g.genre_id = p_genre))),
        -- With fewer than p_episodes_below of those, also the series with an
        -- episode whose name has the words (whole words; from the first
        -- p_episodes_max such episodes, not to read thousands).
        m AS MATERIALIZED (
            SELECT * FROM m0
            UNION ALL
            SELECT t.id, t.popularity, t.rating_avg,
                   sf_search_released(t.release_date, t.year)
              FROM titles t
             WHERE (SELECT count(*) FROM m0) < p_episodes_below
               AND t.id = ANY (ARRAY(SELECT e.title_id FROM episodes e
                                      WHERE to_tsvector('sf_english', e.name) @@ qe
                                      LIMIT p_episodes_max))
               AND t.id NOT IN (SELECT m0.id FROM m0)
               AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                    p_year_max, p_min_rating, p_lang)
               AND (p_genre IS NULL OR t.id IN (SELECT g.title_id FROM title_genres g
                                                 WHERE g.genre_id = p_genre))),
        total AS MATERIALIZED (SELECT least(count(*), p_count_max + 1)::integer AS n FROM m),
        -- Many matches: the most popular ones; past p_count_max, by walking
        -- the titles down from the most popular.
        popular AS (
            (SELECT m.id FROM m
              WHERE (SELECT n FROM total) <= p_count_max
              ORDER BY m.popularity DESC, m.id
              LIMIT p_window)
            UNION ALL
            (SELECT t.id
               FROM titles t
              WHERE (SELECT n FROM total) > p_count_max
                AND (t.search_doc @@ qmg) IS TRUE  -- not by the index: walk
                AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                     p_year_max, p_min_rating, p_lang)
              ORDER BY t.popularity DESC  -- the order of titles_popularity_idx
              LIMIT p_window)),
        -- Many matches: those in titles, unless there are many of those too
        -- (then the most popular matches hold enough of them).  By the index
        -- of titles: testing titles one by one would cost more.
        in_title AS MATERIALIZED (
            SELECT t.id, t.popularity
              FROM titles t
             WHERE (SELECT n FROM total) > 2 * p_window
               AND sf_search_words(t.title) @@ qm
               AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                    p_year_max, p_min_rating, p_lang)
               AND (p_genre IS NULL OR t.id IN (SELECT g.title_id FROM title_genres g
                                                 WHERE g.genre_id = p_genre))
             LIMIT p_titles_max + 1),
        -- The candidates for ranking: every match, or with many, the exact
        -- titles and the most popular matches, in the document and in titles.
        cand AS (
            SELECT m.id FROM m WHERE (SELECT n FROM total) <= 2 * p_window
            UNION
            SELECT m.id FROM m
             WHERE (SELECT n FROM total) > 2 * p_window
               AND m.id IN (SELECT x.id FROM unnest(ex) AS x (id))
            UNION
            SELECT p.id FROM popular p WHERE (SELECT n FROM total) > 2 * p_window
            UNION
            (SELECT i.id FROM in_title i
              WHERE (SELECT count(*) FROM in_title) <= p_titles_max
              ORDER BY i.popularity DESC, i.id
              LIMIT p_window)),
        ranked AS (
            SELECT c.id, c.class, c.popularity,
                   CASE WHEN c.class > 0 THEN ln(1 + c.popularity)
                        ELSE coalesce(ts_rank_cd('{0.05, 0.2, 0.4, 1.0}', c.search_doc, qm), 0)
                             * (1 + ln(1 + c.popularity) / 5) END AS score
              FROM (SELECT t.id, t.popularity, t.search_doc,
                           CASE WHEN t.id = ANY (ex) THEN 3
                                WHEN ts_filter(t.search_doc, '{a}') @@ qe THEN 2
                                WHEN ts_filter(t.search_doc, '{a}') @@ qm THEN 1
                                ELSE 0 END AS class
                      FROM cand
                      CROSS JOIN LATERAL (SELECT * FROM titles t1 WHERE t1.id = cand.id
                                          OFFSET 0) AS t
                    OFFSET 0) AS c),
        page AS (
            SELECT r.id, r.class, r.pos
              FROM (SELECT r.id, r.class, (row_number() OVER (ORDER BY r.class DESC,
                               r.score DESC, r.popularity DESC, r.id))::integer AS pos
                      FROM ranked r) AS r
             ORDER BY r.pos LIMIT p_limit OFFSET p_offset)
        SELECT (SELECT n FROM total), false, NULL::text, p.pos, t.id, t.kind, t.title, t.year,
               t.maturity, t.rating_avg, t.popularity, t.status,
               ARRAY(SELECT g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
                      WHERE tg.title_id = t.id ORDER BY lower(g.name)),
               ep.season, ep.number, ep.name
          FROM (SELECT 1) AS one
          LEFT JOIN page p ON true
          LEFT JOIN LATERAL (SELECT * FROM titles t1 WHERE t1.id = p.id OFFSET 0) AS t ON true
          LEFT JOIN LATERAL (
              SELECT s.number AS season, e.number, e.name
                FROM episodes e JOIN seasons s ON s.id = e.season_id
               WHERE t.kind = 'series' AND p.class = 0 AND qe IS NOT NULL
                 AND NOT coalesce(t.search_doc @@ qm, false)
                 AND e.title_id = t.id
                 AND to_tsvector('sf_english', e.name) @@ qe
               ORDER BY s.number, e.number LIMIT 1) ep ON true
         ORDER BY p.pos;
END;
$$;

DROP FUNCTION sf_search(text, text, text, text, boolean, integer, text, text, integer, integer,
                        integer, numeric, text, text, integer, integer, integer, integer,
                        boolean, integer, integer);

-- One page of a search.
--
-- p_query is the user's words, p_head and p_last the same words split for
-- sf_search_tsquery.  p_exact is the words again when they hold no -word
-- or "or": their key (sf_search_key) finds exact titles and typos.  The
-- filters are sf_search_filter's and p_genre.  p_sort is relevance,
-- newest, oldest, rating or popular.  With no words, every title passing
-- the filters matches.
--
-- Relevance: first the titles whose key is the query's ("godfather" is
-- "The Godfather"), then those whose title has every word of the query,
-- then those whose title matches with the last word as a prefix, each
-- group by popularity; then the rest, by ts_rank_cd of the weighted
-- document (which fields hold the words, how close together) raised by
-- popularity (up to about 2.4 times for the most popular); last, when the
-- documents match fewer than p_episodes_below titles, the series with an
-- episode whose name has the words, by popularity.
--
-- Bounded work: matches are counted up to p_count_max (beyond, total is
-- p_count_max + 1: "more than").  Up to 2 * p_window matches, every one is
-- ranked; beyond, only the exact titles, the p_window most popular matches
-- and the p_window most popular matches in titles (unless more than
-- p_titles_max titles hold the words), so that a word found in much of
-- the catalog costs about what a rarer one does; past p_count_max the most
-- popular are found by walking the titles from the most popular down.
-- Callers page through the first p_window results only.
--
-- When nothing matches a query of plain words (p_exact), its words that no
-- title has are corrected (sf_search_correct) and the corrected words
-- searched instead (with p_correct false), or failing that, titles close
-- to the query by trigrams (sf_search_fuzzy), most similar first: fuzzy is
-- set, and corrected holds the corrected words.
--
-- A page past the end is one row with only total, fuzzy and corrected.
CREATE FUNCTION sf_search(p_query text, p_head text, p_last text, p_exact text,
                          p_viewer boolean, p_maturity integer, p_region text,
                          p_kind text, p_genre integer, p_year_min integer,
                          p_year_max integer, p_min_rating numeric, p_lang text,
                          p_sort text, p_limit integer, p_offset integer, p_window integer,
                          p_count_max integer, p_correct boolean DEFAULT true,
                          p_episodes_below integer DEFAULT 20, p_titles_max integer DEFAULT 300,
                          p_episodes_max integer DEFAULT 500)
    RETURNS SETOF sf_search_row
    LANGUAGE plpgsql STABLE
    SET jit = off
    SET max_parallel_workers_per_gather = 0
    SET plan_cache_mode = force_custom_plan
    SET enable_seqscan = off
    AS $$
DECLARE
    qm tsquery := sf_search_tsquery(p_head, p_last);
    qe tsquery := sf_search_tsquery(p_query, NULL);
    -- The kind and the genre are lexemes of the documents ("#series",
    -- "#g7"): the index applies them.
    qg tsquery := CASE WHEN p_kind IN ('movie', 'series') AND p_genre IS NOT NULL
                       THEN ('''#' || p_kind || ''' & ''#g' || p_genre || '''')::tsquery
                       WHEN p_kind IN ('movie', 'series') THEN ('''#' || p_kind || '''')::tsquery
                       WHEN p_genre IS NOT NULL THEN ('''#g' || p_genre || '''')::tsquery END;
    qmg tsquery := CASE WHEN qg IS NULL THEN qm ELSE qm && qg END;
    k text := sf_search_key(p_exact);
    -- A title is exact with or without a leading article on either side.
    keys text[] := CASE WHEN k <> '' THEN ARRAY[k, 'the ' || k, 'a ' || k, 'an ' || k,
                                                regexp_replace(k, '^(the|a|an) ', '')] END;
    -- The titles with the query's key, whatever the filters (an array:
    -- the plans below then look ids up rather than join).
    ex bigint[] := ARRAY(SELECT t.id FROM titles t WHERE sf_search_key(t.title) = ANY (keys));
    fz boolean := false;
    fixed text;
    res sf_search_row;
    matched integer := 0;
    got integer := 0;
BEGIN
    -- By relevance, sf_search_ranked, whose plan is made once a session; by
    -- a column or with no words, a plan for the values at hand, which
    -- decide whether to walk an index in that order.
    IF qm IS NULL AND keys IS NULL THEN
        FOR res IN
            -- No words: every title that passes the filters.
            WITH m AS MATERIALIZED (
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year) AS released
                  FROM titles t
                 WHERE (qg IS NULL OR t.search_doc @@ qg)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                 LIMIT p_count_max + 1),
            total AS MATERIALIZED (SELECT least(count(*), p_count_max + 1)::integer AS n FROM m),
            ordered AS (
                SELECT m.id, m.popularity, m.rating_avg, m.released
                  FROM m WHERE (SELECT n FROM total) <= p_count_max
                UNION ALL
                (SELECT t.id, t.popularity, t.rating_avg,
                        sf_search_released(t.release_date, t.year)
                   FROM titles t
                  WHERE (SELECT n FROM total) > p_count_max
                    AND (qg IS NULL OR t.search_doc @@ qg)
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                  ORDER BY CASE WHEN p_sort = 'newest'
                                THEN sf_search_released(t.release_date, t.year) END DESC NULLS LAST,
                           CASE WHEN p_sort = 'oldest'
                                THEN sf_search_released(t.release_date, t.year) END ASC NULLS LAST,
                           CASE WHEN p_sort = 'rating' THEN t.rating_avg END DESC NULLS LAST,
                           t.popularity DESC, t.id
                  LIMIT p_offset + p_limit)),
            page AS (
                SELECT o.id, 0 AS class, (row_number() OVER (ORDER BY
                           CASE WHEN p_sort = 'newest'
                                THEN o.released END DESC NULLS LAST,
                           CASE WHEN p_sort = 'oldest'
                                THEN o.released END ASC NULLS LAST,
                           CASE WHEN p_sort = 'rating' THEN o.rating_avg END DESC NULLS LAST,
                           o.popularity DESC, o.id))::integer AS pos
                  FROM ordered o
                 ORDER BY pos LIMIT p_limit OFFSET p_offset)
            SELECT (SELECT n FROM total), false, NULL::text, p.pos, t.id, t.kind, t.title, t.year,
                   t.maturity, t.rating_avg, t.popularity, t.status,
                   ARRAY(SELECT g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
                          WHERE tg.title_id = t.id ORDER BY lower(g.name)),
                   ep.season, ep.number, ep.name
              FROM (SELECT 1) AS one
              LEFT JOIN page p ON true
              LEFT JOIN LATERAL (SELECT * FROM titles t1 WHERE t1.id = p.id OFFSET 0) AS t ON true
              LEFT JOIN LATERAL (
                  SELECT s.number AS season, e.number, e.name
                    FROM episodes e JOIN seasons s ON s.id = e.season_id
                   WHERE t.kind = 'series' AND p.class = 0 AND qe IS NOT NULL
                     AND NOT coalesce(t.search_doc @@ qm, false)
                     AND e.title_id = t.id
                     AND to_tsvector('sf_english', e.name) @@ qe
                   ORDER BY s.number, e.number LIMIT 1) ep ON true
             ORDER BY p.pos
        LOOP
            matched := res.total;
            IF res.pos IS NOT NULL THEN
                got := got + 1;
                RETURN NEXT res;
            END IF;
        END LOOP;
    ELSIF p_sort = 'relevance' THEN
        FOR res IN
            SELECT * FROM sf_search_ranked(qm, qmg, qe, ex, p_viewer, p_maturity, p_region, p_kind,
                                           p_genre, p_year_min, p_year_max, p_min_rating, p_lang,
                                           p_limit, p_offset, p_window, p_count_max,
                                           p_episodes_below, p_titles_max, p_episodes_max)
        LOOP
            matched := res.total;
            IF res.pos IS NOT NULL THEN
                got := got + 1;
                RETURN NEXT res;
            END IF;
        END LOOP;
    ELSE
        FOR res IN
            -- The matches, up to one more than p_count_max: by the document,
            -- or an exact title that it does not hold (only stop words: "It").
            WITH m0 AS MATERIALIZED (
                (SELECT t.id, t.popularity, t.rating_avg,
                        sf_search_released(t.release_date, t.year) AS released
                   FROM titles t
                  WHERE t.search_doc @@ qmg
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                  LIMIT p_count_max + 1)
                UNION ALL
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year)
                  FROM titles t
                 WHERE t.id = ANY (ex)
                   AND NOT coalesce(t.search_doc @@ qm, false)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR t.id IN (SELECT g.title_id FROM title_genres g
                                                     WHERE g.genre_id = p_genre))),
            -- With fewer than p_episodes_below of those, also the series with an
            -- episode whose name has the words (whole words; from the first
            -- p_episodes_max such episodes, not to read thousands).
            m AS MATERIALIZED (
                SELECT * FROM m0
                UNION ALL
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year)
                  FROM titles t
                 WHERE (SELECT count(*) FROM m0) < p_episodes_below
                   AND t.id = ANY (ARRAY(SELECT e.title_id FROM episodes e
                                          WHERE to_tsvector('sf_english', e.name) @@ qe
                                          LIMIT p_episodes_max))
                   AND t.id NOT IN (SELECT m0.id FROM m0)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR t.id IN (SELECT g.title_id FROM title_genres g
                                                     WHERE g.genre_id = p_genre))),
            total AS MATERIALIZED (SELECT least(count(*), p_count_max + 1)::integer AS n FROM m),
            ordered AS (
                SELECT m.id, m.popularity, m.rating_avg, m.released
                  FROM m WHERE (SELECT n FROM total) <= p_count_max
                UNION ALL
                (SELECT t.id, t.popularity, t.rating_avg,
                        sf_search_released(t.release_date, t.year)
                   FROM titles t
                  WHERE (SELECT n FROM total) > p_count_max
                    AND t.search_doc @@ qmg
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                  ORDER BY CASE WHEN p_sort = 'newest'
                                THEN sf_search_released(t.release_date, t.year) END DESC NULLS LAST,
                           CASE WHEN p_sort = 'oldest'
                                THEN sf_search_released(t.release_date, t.year) END ASC NULLS LAST,
                           CASE WHEN p_sort = 'rating' THEN t.rating_avg END DESC NULLS LAST,
                           t.popularity DESC, t.id
                  LIMIT p_offset + p_limit)),
            page AS (
                SELECT o.id, 0 AS class, (row_number() OVER (ORDER BY
                           CASE WHEN p_sort = 'newest'
                                THEN o.released END DESC NULLS LAST,
                           CASE WHEN p_sort = 'oldest'
                                THEN o.released END ASC NULLS LAST,
                           CASE WHEN p_sort = 'rating' THEN o.rating_avg END DESC NULLS LAST,
                           o.popularity DESC, o.id))::integer AS pos
                  FROM ordered o
                 ORDER BY pos LIMIT p_limit OFFSET p_offset)
            SELECT (SELECT n FROM total), false, NULL::text, p.pos, t.id, t.kind, t.title, t.year,
                   t.maturity, t.rating_avg, t.popularity, t.status,
                   ARRAY(SELECT g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
                          WHERE tg.title_id = t.id ORDER BY lower(g.name)),
                   ep.season, ep.number, ep.name
              FROM (SELECT 1) AS one
              LEFT JOIN page p ON true
              LEFT JOIN LATERAL (SELECT * FROM titles t1 WHERE t1.id = p.id OFFSET 0) AS t ON true
              LEFT JOIN LATERAL (
                  SELECT s.number AS season, e.number, e.name
                    FROM episodes e JOIN seasons s ON s.id = e.season_id
                   WHERE t.kind = 'series' AND p.class = 0 AND qe IS NOT NULL
                     AND NOT coalesce(t.search_doc @@ qm, false)
                     AND e.title_id = t.id
                     AND to_tsvector('sf_english', e.name) @@ qe
                   ORDER BY s.number, e.number LIMIT 1) ep ON true
             ORDER BY p.pos
        LOOP
            matched := res.total;
            IF res.pos IS NOT NULL THEN
                got := got + 1;
                RETURN NEXT res;
            END IF;
        END LOOP;
    END IF;

    IF matched = 0 AND qm IS NOT NULL AND k <> '' AND p_correct THEN
        fixed := sf_search_correct(k);
        IF fixed IS NOT NULL THEN
            FOR res IN
                SELECT * FROM sf_search(fixed, fixed, NULL, fixed, p_viewer, p_maturity, p_region,
                                        p_kind, p_genre, p_year_min, p_year_max, p_min_rating,
                                        p_lang, p_sort, p_limit, p_offset, p_window, p_count_max,
                                        false, p_episodes_below, p_titles_max, p_episodes_max)
            LOOP
                matched := res.total;
                fz := matched > 0;
                IF res.pos IS NOT NULL THEN
                    res.fuzzy := true;
                    res.corrected := fixed;
                    got := got + 1;
                    RETURN NEXT res;
                END IF;
            END LOOP;
        END IF;
        IF NOT fz THEN
            fixed := NULL;
        END IF;
    END IF;

    IF matched = 0 AND qm IS NOT NULL AND length(k) >= 3 AND p_correct THEN
        FOR res IN
            WITH m AS MATERIALIZED (
                SELECT t.id, f.similarity, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year) AS released
                  FROM sf_search_fuzzy(k) f JOIN titles t ON t.id = f.title_id
                 WHERE sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind,
                                        p_year_min, p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))),
            page AS (
                SELECT m.id, (row_number() OVER (ORDER BY
                           CASE WHEN p_sort = 'relevance' THEN m.similarity END DESC,
                           CASE WHEN p_sort = 'newest' THEN m.released END DESC NULLS LAST,
                           CASE WHEN p_sort = 'oldest' THEN m.released END ASC NULLS LAST,
                           CASE WHEN p_sort = 'rating' THEN m.rating_avg END DESC NULLS LAST,
                           m.popularity DESC, m.id))::integer AS pos
                  FROM m)
            SELECT least((SELECT count(*) FROM m), p_count_max + 1)::integer, true, NULL::text,
                   p.pos,
                   t.id, t.kind, t.title, t.year, t.maturity, t.rating_avg, t.popularity,
                   t.status,
                   ARRAY(SELECT g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
                          WHERE tg.title_id = t.id ORDER BY lower(g.name)),
                   NULL::smallint, NULL::smallint, NULL::text
              FROM (SELECT 1) AS one
              LEFT JOIN (SELECT * FROM page ORDER BY pos LIMIT p_limit OFFSET p_offset) p ON true
              LEFT JOIN LATERAL (SELECT * FROM titles t1 WHERE t1.id = p.id OFFSET 0) AS t
                ON true
             ORDER BY p.pos
        LOOP
            matched := res.total;
            fz := matched > 0;
            IF res.pos IS NOT NULL THEN
                got := got + 1;
                RETURN NEXT res;
            END IF;
        END LOOP;
    END IF;

    IF got = 0 THEN
        res := NULL;
        res.total := matched;
        res.fuzzy := fz;
        res.corrected := fixed;
        RETURN NEXT res;
    END IF;
END;
$$;

-- Autocomplete: up to p_limit titles with a word starting with the key of
-- p_prefix, those that begin with it first (also after an article), then
-- by popularity; filtered for a viewer as sf_search_filter does.  From the
-- indexes of search_prefixes alone: the rows with the prefix, or when
-- there are many, the rows from the most popular down until enough have
-- it.  The titles found are then checked against their rows.
CREATE OR REPLACE FUNCTION sf_search_suggest(p_prefix text, p_viewer boolean, p_maturity integer,
                                  p_region text, p_limit integer)
    RETURNS TABLE (id bigint, kind text, title text, year smallint)
    LANGUAGE plpgsql STABLE
    SET jit = off
    SET max_parallel_workers_per_gather = 0
    SET plan_cache_mode = force_custom_plan
    AS $$
#variable_conflict use_column
DECLARE
    p text := sf_search_key(p_prefix);
    -- Past every key with the prefix p, in the byte order of
    -- text_pattern_ops (U+10FFFF is in no key).
    p_end text := p || chr(1114111);
    lead_only boolean;
    many integer := 1000;
    ids bigint[];
    found_ids bigint[] := '{}';
    n integer;
BEGIN
    IF p IS NULL OR p = '' THEN
        RETURN;
    END IF;
    -- First the titles that begin with the prefix, then the others (when
    -- the first are fewer than p_limit, every one of them was taken).
    FOREACH lead_only IN ARRAY ARRAY[true, false] LOOP
        -- The rows with the prefix, by the copies in the index, up to many.
        -- Fewer: the most popular of them (twice as many as wanted, in
        -- case a copy is behind).
        WITH x AS MATERIALIZED (
            SELECT sp.title_id, sp.popularity
              FROM search_prefixes sp
             WHERE sp.lead = lead_only AND sp.key ~>=~ p AND sp.key ~<~ p_end
               AND sp.title_id <> ALL (found_ids)
               AND (NOT p_viewer
                    OR (sp.status = 'published'
                        AND (sp.available_from IS NULL OR sp.available_from <= now())
                        AND (sp.available_until IS NULL OR now() < sp.available_until)
                        AND sp.maturity <= p_maturity))
               AND (p_region IS NULL OR sp.regions = '{}' OR p_region = ANY (sp.regions))
             LIMIT many)
        SELECT (SELECT count(*) FROM x),
               ARRAY(SELECT x.title_id FROM x
                      WHERE (SELECT count(*) FROM x) < many
                      GROUP BY x.title_id
                      ORDER BY max(x.popularity) DESC, x.title_id
                      LIMIT 2 * (p_limit - cardinality(found_ids)))
          INTO n, ids;
        IF n >= many THEN
            -- Many: walk the rows down from the most popular until enough.
            ids := ARRAY(
                SELECT sp.title_id
                  FROM search_prefixes sp
                 WHERE sp.lead = lead_only AND sp.key ~>=~ p AND sp.key ~<~ p_end
                   AND sp.title_id <> ALL (found_ids)
                   AND (NOT p_viewer
                        OR (sp.status = 'published'
                            AND (sp.available_from IS NULL OR sp.available_from <= now())
                            AND (sp.available_until IS NULL OR now() < sp.available_until)
                            AND sp.maturity <= p_maturity))
                   AND (p_region IS NULL OR sp.regions = '{}' OR p_region = ANY (sp.regions))
                 ORDER BY sp.popularity DESC
                 LIMIT 2 * (p_limit - cardinality(found_ids)));
        END IF;
        found_ids := found_ids || ARRAY(
            SELECT t.id
              FROM (SELECT f.id, min(f.ord) AS ord
                      FROM unnest(ids) WITH ORDINALITY AS f (id, ord) GROUP BY f.id) AS f
              JOIN titles t ON t.id = f.id
             WHERE sf_search_filter(t, p_viewer, p_maturity, p_region, NULL, NULL, NULL, NULL,
                                    NULL)
             ORDER BY f.ord
             LIMIT p_limit - cardinality(found_ids));
        EXIT WHEN cardinality(found_ids) >= p_limit;
    END LOOP;
    RETURN QUERY
        SELECT t.id, t.kind, t.title, t.year
          FROM unnest(found_ids) WITH ORDINALITY AS f (id, ord)
          JOIN titles t ON t.id = f.id
         ORDER BY f.ord;
END;
$$;

-- Every document again, with the new lexemes, and the words counted anew.
SELECT sf_title_reindex_all();
