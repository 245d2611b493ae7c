-- Search: the weighted search document of each title, the indexes that
-- make full-text search, typo-tolerant search and autocomplete fast, and
-- the log of searches that "sf search stats" reads.
--
-- Text is compared in one normalized form everywhere: lower case, accents
-- removed (unaccent), so "amelie" finds "Amélie".  Words are stemmed with
-- the English Snowball stemmer ("running" finds "run").  A title's key is
-- its normalized title with punctuation turned into single spaces ("Star
-- Wars: Episode IV" -> "star wars episode iv"); keys find exact titles and
-- drive autocomplete (search_prefixes).  Typos are mended word by word
-- against the words titles have (search_words), by trigrams.
--
-- The search document (titles.search_doc), by weight:
--   A  the title
--   B  the original title and the names of the people credited
--   C  the tagline, the overview and the characters played
--   D  the year
-- Episode names are not in it: they have an index of their own, searched
-- when a query finds few titles (sf_search), so that "Ozymandias" finds
-- Breaking Bad while the fifty episode names of every series do not make
-- each common word match most series.
-- Title and original title are indexed twice: stemmed, and as written
-- (accents removed), so a prefix of a word that runs past its stem
-- ("happin" of "happiness", whose stem is "happi") still matches.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Lower case without accents.  unaccent() itself is only STABLE (it looks
-- its dictionary up by name); naming the dictionary in a SQL-standard body
-- binds it once, so this is safe to index.
CREATE FUNCTION sf_norm(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(unaccent('unaccent'::regdictionary, t));

-- The key of a title: normalized, punctuation and runs of spaces turned
-- into one space, trimmed.
CREATE FUNCTION sf_search_key(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(sf_norm(t), '[^[:alnum:]]+', ' ', 'g'));

-- sf_english: English stemming and stop words, accents removed first.
-- sf_simple: the words as written (accents removed, English stop words
-- dropped), for prefixes of words that run past their stem.
CREATE TEXT SEARCH CONFIGURATION sf_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION sf_english
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, english_stem;

CREATE TEXT SEARCH DICTIONARY sf_simple_dict (TEMPLATE = pg_catalog.simple, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION sf_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION sf_simple
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, sf_simple_dict;

-- Words both stemmed and as written (the written forms only where they
-- differ from the stems).
CREATE FUNCTION sf_search_words(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsvector('sf_english', coalesce(t, ''))
        || ts_delete(to_tsvector('sf_simple', coalesce(t, '')),
                     tsvector_to_array(to_tsvector('sf_english', coalesce(t, ''))));

CREATE FUNCTION sf_search_document(p_title text, p_original text, p_people text,
                                   p_tagline text, p_overview text, p_characters text,
                                   p_year integer) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(sf_search_words(p_title), 'A')
        || setweight(sf_search_words(p_original)
                     || to_tsvector('sf_english', coalesce(p_people, '')), 'B')
        || setweight(to_tsvector('sf_english', concat_ws(' ', p_tagline, p_overview,
                                                         p_characters)), 'C')
        || setweight(to_tsvector('sf_english', coalesce(p_year::text, '')), 'D');

-- A prefix query for one word as typed: each of its lexemes (by cfg) as
-- a prefix, in a phrase when the word has several ("spider-m"); NULL for
-- a stop word.  (PL/pgSQL, here and below, for its cached plans: these
-- run once or twice in every search.)
CREATE FUNCTION sf_search_prefix(cfg regconfig, word text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
    q text;
BEGIN
    SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':*',
                      ' <-> ' ORDER BY positions[1])
      INTO q
      FROM unnest(to_tsvector(cfg, coalesce(word, '')));
    RETURN q::tsquery;
END;
$$;

-- The query for the user's words: head in websearch_to_tsquery syntax
-- (quoted phrases, -word, or), AND the last word as a prefix, stemmed or
-- as written.  The caller splits the words (lib/search.c); last is NULL
-- when the last word is quoted, negated, or followed by a space.  NULL
-- when there is nothing to search for (no words, or only stop words).
CREATE FUNCTION sf_search_tsquery(head text, last text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
    w tsquery;
    pe tsquery := sf_search_prefix('sf_english', last);
    ps tsquery := sf_search_prefix('sf_simple', last);
    p tsquery := CASE WHEN pe IS NULL OR pe = ps THEN coalesce(pe, ps)
                      WHEN ps IS NULL THEN pe ELSE pe || ps END;
BEGIN
    IF head ~ '[[:alnum:]]' THEN
        w := websearch_to_tsquery('sf_english', head);
        IF numnode(w) = 0 THEN
            w := NULL;
        END IF;
    END IF;
    RETURN CASE WHEN p IS NULL THEN w WHEN w IS NULL THEN p ELSE w && p END;
END;
$$;

-- ---- The document of each title ----------------------------------------

-- The search document of one title from its rows; both reindex functions
-- build it the same way.
CREATE FUNCTION sf_title_document(p_id bigint) RETURNS tsvector
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
                   t.year)
          FROM titles t
         WHERE t.id = p_id;
    END;

-- Autocomplete: one row for each word of a title's key (and of its
-- original title's key) with the rest of the key from there, so that a
-- prefix finds "The Godfather" by "godf" and "Star Wars" by "wars".  lead
-- marks the rows a title begins with (also after a leading article).
-- Kept by the reindex functions, like the document.
CREATE TABLE search_prefixes (
    title_id  bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    key       text NOT NULL,
    lead      boolean NOT NULL,
    PRIMARY KEY (title_id, key)
);
CREATE INDEX search_prefixes_key_idx ON search_prefixes (key text_pattern_ops, lead, title_id);

-- The rows of one title: at most the first 12 words of each key.
CREATE FUNCTION sf_search_prefix_rows(p_title text, p_original text)
    RETURNS TABLE (key text, lead boolean)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    BEGIN ATOMIC
        SELECT s.key, bool_or(s.lead)
          FROM (SELECT array_to_string(w.words[i:], ' ') AS key,
                       i = 1 OR (i = 2 AND w.words[1] IN ('the', 'a', 'an', 'le', 'la', 'les',
                                                          'l', 'el', 'los', 'las', 'il',
                                                          'der', 'die', 'das')) AS lead
                  FROM (SELECT string_to_array(k, ' ') AS words
                          FROM unnest(ARRAY[sf_search_key(p_title),
                                            sf_search_key(p_original)]) AS k
                         WHERE k <> '') AS w,
                       generate_series(1, least(cardinality(w.words), 12)) AS i) AS s
         GROUP BY s.key;
    END;

-- Typos: the words of titles, original titles, episode names and people's
-- names, each with the number of titles it appears in, so that a word no
-- title has can be corrected to the closest one that some title has.
-- reindex adds words; reindex_all also drops those no longer used.
CREATE TABLE search_words (
    word    text PRIMARY KEY,
    titles  integer NOT NULL DEFAULT 1
);

-- The words of a text for search_words (of its key, three letters or more).
CREATE FUNCTION sf_search_split_words(t text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    BEGIN ATOMIC
        SELECT w FROM regexp_split_to_table(sf_search_key(t), ' ') AS w WHERE length(w) >= 3;
    END;

CREATE OR REPLACE FUNCTION sf_title_reindex(p_title bigint) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles SET search_doc = sf_title_document(id)
         WHERE id = p_title AND search_doc IS DISTINCT FROM sf_title_document(id);
        DELETE FROM search_prefixes WHERE title_id = p_title;
        INSERT INTO search_prefixes (title_id, key, lead)
            SELECT t.id, r.key, r.lead
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
-- rewritten.  About 20 s for 100,000 titles with 1,000,000 episodes on
-- two cores when the search indexes exist, several times that for the
-- first build: bulk loads should build the indexes after it.
CREATE OR REPLACE FUNCTION sf_title_reindex_all() RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles t
           SET search_doc = d.doc
          FROM (SELECT t2.id,
                       sf_search_document(t2.title, t2.original_title, p.names, t2.tagline,
                                          t2.overview, p.characters, t2.year) AS doc
                  FROM titles t2
                  LEFT JOIN (SELECT c.title_id,
                                    string_agg(pe.name, ' ' ORDER BY c.ord, c.id) AS names,
                                    string_agg(c.character, ' ' ORDER BY c.ord, c.id) AS characters
                               FROM credits c JOIN people pe ON pe.id = c.person_id
                              GROUP BY c.title_id) p ON p.title_id = t2.id) d
         WHERE d.id = t.id AND t.search_doc IS DISTINCT FROM d.doc;
        WITH want AS (SELECT t.id AS title_id, r.key, r.lead
                        FROM titles t, sf_search_prefix_rows(t.title, t.original_title) AS r)
        DELETE FROM search_prefixes sp
         WHERE NOT EXISTS (SELECT 1 FROM want w
                            WHERE w.title_id = sp.title_id AND w.key = sp.key
                              AND w.lead = sp.lead);
        INSERT INTO search_prefixes (title_id, key, lead)
            SELECT t.id, r.key, r.lead
              FROM titles t, sf_search_prefix_rows(t.title, t.original_title) AS r
            ON CONFLICT DO NOTHING;
        WITH want AS (
            SELECT u.word, count(DISTINCT u.title_id)::integer AS titles
              FROM (SELECT t.id AS title_id,
                           sf_search_split_words(concat_ws(' ', t.title, t.original_title)) AS word
                      FROM titles t
                    UNION ALL
                    SELECT c.title_id, sf_search_split_words(p.name)
                      FROM credits c JOIN people p ON p.id = c.person_id
                    UNION ALL
                    SELECT e.title_id, sf_search_split_words(e.name)
                      FROM episodes e) AS u
             GROUP BY u.word)
        DELETE FROM search_words s
         WHERE NOT EXISTS (SELECT 1 FROM want w WHERE w.word = s.word);
        INSERT INTO search_words (word, titles)
            SELECT u.word, count(DISTINCT u.title_id)
              FROM (SELECT t.id AS title_id,
                           sf_search_split_words(concat_ws(' ', t.title, t.original_title)) AS word
                      FROM titles t
                    UNION ALL
                    SELECT c.title_id, sf_search_split_words(p.name)
                      FROM credits c JOIN people p ON p.id = c.person_id
                    UNION ALL
                    SELECT e.title_id, sf_search_split_words(e.name)
                      FROM episodes e) AS u
             GROUP BY u.word
            ON CONFLICT (word) DO UPDATE SET titles = excluded.titles
             WHERE search_words.titles <> excluded.titles;
    END;

-- When a title came out, for --sort newest and oldest: its release date,
-- else the first day of its year.
CREATE FUNCTION sf_search_released(p_date date, p_year smallint) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(p_date, make_date(p_year, 1, 1));

-- ---- Indexes -----------------------------------------------------------
-- fastupdate is off: a search never scans a pending list, at some cost to
-- writes.

-- Full text: the whole document, the title alone (to find the matches in
-- titles among many matches elsewhere), and episode names.
CREATE INDEX titles_search_doc_idx ON titles USING gin (search_doc) WITH (fastupdate = off);
CREATE INDEX titles_search_title_idx ON titles USING gin (sf_search_words(title))
    WITH (fastupdate = off);
CREATE INDEX episodes_search_idx ON episodes USING gin (to_tsvector('sf_english', name))
    WITH (fastupdate = off);
-- Exact titles by key; typos by trigrams of words and of keys.
CREATE INDEX titles_search_key_idx ON titles (sf_search_key(title) text_pattern_ops);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops)
    WITH (fastupdate = off);
CREATE INDEX titles_search_key_trgm_idx ON titles USING gin (sf_search_key(title) gin_trgm_ops)
    WITH (fastupdate = off);
-- The orders of --sort newest, oldest and rating (popular has
-- titles_popularity_idx), walked when many titles match.
CREATE INDEX titles_search_released_idx ON titles (sf_search_released(release_date, year));
CREATE INDEX titles_search_rating_idx ON titles (rating_avg DESC NULLS LAST);

-- ---- Searching ---------------------------------------------------------

-- Whether a title passes a search's filters (all but the genre, which
-- needs a subquery and is tested beside each use, so that this function
-- stays inlined).  A viewer (a search for a profile) sees only published
-- titles inside their availability window and rated at most p_maturity.
-- With a region, only titles available there (titles naming no region are
-- available everywhere), as sf_title_visible does.  NULL filters pass all.
CREATE FUNCTION sf_search_filter(t titles, p_viewer boolean, p_maturity integer,
                                 p_region text, p_kind text, p_year_min integer,
                                 p_year_max integer, p_min_rating numeric, p_lang text)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (NOT p_viewer
            OR (t.status = 'published'
                AND (t.available_from IS NULL OR t.available_from <= now())
                AND (t.available_until IS NULL OR now() < t.available_until)
                AND t.maturity <= p_maturity))
       AND (p_region IS NULL OR t.regions = '{}' OR p_region = ANY (t.regions))
       AND (p_kind IS NULL OR t.kind = p_kind)
       AND (p_year_min IS NULL OR t.year >= p_year_min)
       AND (p_year_max IS NULL OR t.year <= p_year_max)
       AND (p_min_rating IS NULL OR t.rating_avg >= p_min_rating)
       AND (p_lang IS NULL OR lower(t.original_language) = p_lang
            OR p_lang = ANY (t.spoken_languages));

-- The key k with each word of three letters or more that no title has
-- (search_words) replaced by the closest word that some have, by trigram
-- similarity, the more common first among equals; NULL when no word was
-- replaced.  "godfahter" becomes "godfather", "kubrik" "kubrick".
CREATE FUNCTION sf_search_correct(k text) RETURNS text
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
             ORDER BY similarity(s.word, w) DESC, s.titles DESC, s.word
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

-- Titles whose key has a run of words close to q (a key), by trigram word
-- similarity: the last resort for typos that no word's correction mends
-- ("spiderman").  The threshold is set here so that the index applies it.
CREATE FUNCTION sf_search_fuzzy(q text) RETURNS TABLE (title_id bigint, similarity real)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 20
    SET pg_trgm.word_similarity_threshold = 0.6
    BEGIN ATOMIC
        SELECT t.id, word_similarity(q, sf_search_key(t.title))
          FROM titles t
         WHERE q <% sf_search_key(t.title);
    END;

-- The rows of sf_search.
CREATE TYPE sf_search_row AS (
    total           integer,     -- the number of matches, on every row
    fuzzy           boolean,     -- nothing matched: these titles come close
    corrected       text,        -- ...to these words, the query with its typos mended
    pos             integer,     -- place in the results from 1; NULL: an empty page
    id              bigint,
    kind            text,
    title           text,
    year            smallint,
    maturity        smallint,
    rating          numeric,
    popularity      double precision,
    status          text,
    genres          text[],
    episode_season  smallint,    -- the episode whose name matched, when an
    episode_number  smallint,    -- episode's name alone led to this series
    episode_name    text
);

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
-- episode whose name matches, by popularity.
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
                          p_episodes_below integer DEFAULT 20, p_titles_max integer DEFAULT 1000)
    RETURNS SETOF sf_search_row
    LANGUAGE plpgsql STABLE
    SET jit = off
    SET plan_cache_mode = force_custom_plan
    SET enable_seqscan = off
    AS $$
DECLARE
    qm tsquery := sf_search_tsquery(p_head, p_last);
    qe tsquery := sf_search_tsquery(p_query, NULL);
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
    -- One statement for each way of ordering, each planned for the values
    -- at hand: how many titles hold the words decides between walking the
    -- titles by popularity and reading every match.
    IF qm IS NULL AND keys IS NULL THEN
        FOR res IN
            -- No words: every title that passes the filters.
            WITH m AS MATERIALIZED (
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year) AS released
                  FROM titles t
                 WHERE sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))
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
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                    AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                     WHERE g.title_id = t.id
                                                       AND g.genre_id = p_genre OFFSET 0))
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
                   WHERE t.kind = 'series' AND p.class = 0 AND qm IS NOT NULL
                     AND NOT coalesce(t.search_doc @@ qm, false)
                     AND e.title_id = t.id
                     AND to_tsvector('sf_english', e.name) @@ qm
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
            -- The matches, up to one more than p_count_max: by the document,
            -- or an exact title that it does not hold (only stop words: "It").
            WITH m0 AS MATERIALIZED (
                (SELECT t.id, t.popularity, t.rating_avg,
                        sf_search_released(t.release_date, t.year) AS released
                   FROM titles t
                  WHERE t.search_doc @@ qm
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                    AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                     WHERE g.title_id = t.id
                                                       AND g.genre_id = p_genre OFFSET 0))
                  LIMIT p_count_max + 1)
                UNION ALL
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year)
                  FROM titles t
                 WHERE t.id = ANY (ex)
                   AND NOT coalesce(t.search_doc @@ qm, false)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))),
            -- With fewer than p_episodes_below of those, also the series with an
            -- episode whose name matches.
            m AS MATERIALIZED (
                SELECT * FROM m0
                UNION ALL
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year)
                  FROM titles t
                 WHERE (SELECT count(*) FROM m0) < p_episodes_below
                   AND t.id = ANY (ARRAY(SELECT e.title_id FROM episodes e
                                          WHERE to_tsvector('sf_english', e.name) @@ qm))
                   AND t.id NOT IN (SELECT m0.id FROM m0)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))),
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
                    AND t.search_doc @@ qm
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                    AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                     WHERE g.title_id = t.id
                                                       AND g.genre_id = p_genre OFFSET 0))
                  ORDER BY t.popularity DESC, t.id
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
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))
                 LIMIT p_titles_max + 1),
            -- The candidates for ranking: every match, or with many, the exact
            -- titles and the most popular matches, in the document and in titles.
            cand AS (
                SELECT m.id FROM m WHERE (SELECT n FROM total) <= 2 * p_window
                UNION
                SELECT m.id FROM m
                 WHERE (SELECT n FROM total) > 2 * p_window AND m.id = ANY (ex)
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
                   WHERE t.kind = 'series' AND p.class = 0 AND qm IS NOT NULL
                     AND NOT coalesce(t.search_doc @@ qm, false)
                     AND e.title_id = t.id
                     AND to_tsvector('sf_english', e.name) @@ qm
                   ORDER BY s.number, e.number LIMIT 1) ep ON true
             ORDER BY p.pos
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
                  WHERE t.search_doc @@ qm
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                    AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                     WHERE g.title_id = t.id
                                                       AND g.genre_id = p_genre OFFSET 0))
                  LIMIT p_count_max + 1)
                UNION ALL
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year)
                  FROM titles t
                 WHERE t.id = ANY (ex)
                   AND NOT coalesce(t.search_doc @@ qm, false)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))),
            -- With fewer than p_episodes_below of those, also the series with an
            -- episode whose name matches.
            m AS MATERIALIZED (
                SELECT * FROM m0
                UNION ALL
                SELECT t.id, t.popularity, t.rating_avg,
                       sf_search_released(t.release_date, t.year)
                  FROM titles t
                 WHERE (SELECT count(*) FROM m0) < p_episodes_below
                   AND t.id = ANY (ARRAY(SELECT e.title_id FROM episodes e
                                          WHERE to_tsvector('sf_english', e.name) @@ qm))
                   AND t.id NOT IN (SELECT m0.id FROM m0)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                        p_year_max, p_min_rating, p_lang)
                   AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                    WHERE g.title_id = t.id
                                                      AND g.genre_id = p_genre OFFSET 0))),
            total AS MATERIALIZED (SELECT least(count(*), p_count_max + 1)::integer AS n FROM m),
            ordered AS (
                SELECT m.id, m.popularity, m.rating_avg, m.released
                  FROM m WHERE (SELECT n FROM total) <= p_count_max
                UNION ALL
                (SELECT t.id, t.popularity, t.rating_avg,
                        sf_search_released(t.release_date, t.year)
                   FROM titles t
                  WHERE (SELECT n FROM total) > p_count_max
                    AND t.search_doc @@ qm
                    AND sf_search_filter(t, p_viewer, p_maturity, p_region, p_kind, p_year_min,
                                         p_year_max, p_min_rating, p_lang)
                    AND (p_genre IS NULL OR EXISTS (SELECT FROM title_genres g
                                                     WHERE g.title_id = t.id
                                                       AND g.genre_id = p_genre OFFSET 0))
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
                   WHERE t.kind = 'series' AND p.class = 0 AND qm IS NOT NULL
                     AND NOT coalesce(t.search_doc @@ qm, false)
                     AND e.title_id = t.id
                     AND to_tsvector('sf_english', e.name) @@ qm
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
                                        false, p_episodes_below, p_titles_max)
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
-- by popularity; filtered for a viewer as sf_search_filter does.  A
-- prefix that many titles share is answered by walking the titles from
-- the most popular down, so it is as fast as a rare one.
CREATE FUNCTION sf_search_suggest(p_prefix text, p_viewer boolean, p_maturity integer,
                                  p_region text, p_limit integer)
    RETURNS TABLE (id bigint, kind text, title text, year smallint)
    LANGUAGE plpgsql STABLE
    SET jit = off
    SET plan_cache_mode = force_custom_plan
    AS $$
#variable_conflict use_column
DECLARE
    p text := sf_search_key(p_prefix);
    lead_only boolean;
    many integer := 3000;
    ids bigint[];
    found_ids bigint[] := '{}';
    n integer;
BEGIN
    IF p IS NULL OR p = '' THEN
        RETURN;
    END IF;
    -- First the titles that begin with the prefix, then the others.
    FOREACH lead_only IN ARRAY ARRAY[true, false] LOOP
        SELECT count(*) INTO n
          FROM (SELECT 1 FROM search_prefixes sp
                 WHERE sp.key LIKE p || '%' AND (sp.lead OR NOT lead_only)
                 LIMIT many) AS x;
        IF n < many THEN
            -- Few: those titles, sorted (fetched first, so that the plan
            -- cannot walk every title instead).
            ids := ARRAY(SELECT DISTINCT sp.title_id FROM search_prefixes sp
                          WHERE sp.key LIKE p || '%' AND (sp.lead OR NOT lead_only));
            found_ids := found_ids || ARRAY(
                SELECT t.id
                  FROM titles t
                 WHERE t.id = ANY (ids)
                   AND t.id <> ALL (found_ids)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, NULL, NULL, NULL,
                                        NULL, NULL)
                 ORDER BY t.popularity DESC, t.id
                 LIMIT p_limit - cardinality(found_ids));
        ELSE
            -- Many: the most popular titles, walking down until enough.
            found_ids := found_ids || ARRAY(
                SELECT t.id
                  FROM titles t
                 WHERE EXISTS (SELECT 1 FROM search_prefixes sp
                                WHERE sp.title_id = t.id AND sp.key LIKE p || '%'
                                  AND (sp.lead OR NOT lead_only))
                   AND t.id <> ALL (found_ids)
                   AND sf_search_filter(t, p_viewer, p_maturity, p_region, NULL, NULL, NULL,
                                        NULL, NULL)
                 ORDER BY t.popularity DESC, t.id
                 LIMIT p_limit - cardinality(found_ids));
        END IF;
        EXIT WHEN cardinality(found_ids) >= p_limit;
    END LOOP;
    RETURN QUERY
        SELECT t.id, t.kind, t.title, t.year
          FROM unnest(found_ids) WITH ORDINALITY AS f (id, ord)
          JOIN titles t ON t.id = f.id
         ORDER BY f.ord;
END;
$$;

-- ---- The search log ----------------------------------------------------

-- Every search: for whom (NULL for an operator's search), what, with which
-- filters, how many results (counted as sf_search counts them: 1001 is
-- more than 1000), whether they were fuzzy (typos) and how long it took.
-- query_key groups the spellings of a query for the stats ("Godfather!"
-- and "godfather").  A profile's searches go with the profile.
CREATE TABLE search_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    profile_id    bigint REFERENCES profiles (id) ON DELETE CASCADE,
    query         text NOT NULL,
    query_key     text NOT NULL,
    filters       jsonb NOT NULL DEFAULT '{}',
    result_count  integer NOT NULL CHECK (result_count >= 0),
    fuzzy         boolean NOT NULL DEFAULT false,
    latency_ms    real NOT NULL CHECK (latency_ms >= 0)
);
CREATE INDEX search_log_at_idx ON search_log (at);
CREATE INDEX search_log_profile_idx ON search_log (profile_id, at);

-- Records one search.  The log is not worth waiting for the disk: a crash
-- may lose its last few entries, never a search.
CREATE FUNCTION sf_search_log_record(p_profile bigint, p_query text, p_filters jsonb,
                                     p_results integer, p_fuzzy boolean, p_latency real)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO search_log (profile_id, query, query_key, filters, result_count, fuzzy,
                            latency_ms)
    VALUES (p_profile, p_query, coalesce(sf_search_key(p_query), ''), p_filters, p_results,
            p_fuzzy, p_latency);
END;
$$;

SELECT sf_title_reindex_all();
