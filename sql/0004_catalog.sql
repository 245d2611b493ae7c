-- The catalog: titles (movies and series), their seasons and episodes,
-- genres, people and credits.
--
-- A title is visible to viewers only when it is published, inside its
-- availability window (available_from/available_until, either end open)
-- and, when regions is not empty, in the viewer's region; operators see
-- everything.  maturity is a level on the ladder of lib/maturity.h.
-- rating_avg and rating_count are kept by the reviews module.  version
-- counts the title's changes; title_versions (0005) keeps each one.

CREATE TABLE genres (
    id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text NOT NULL CHECK (length(name) BETWEEN 1 AND 40)
);
CREATE UNIQUE INDEX genres_name_key ON genres (lower(name));

CREATE TABLE titles (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('movie', 'series')),
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    original_title    text CHECK (length(original_title) <= 300),
    overview          text CHECK (length(overview) <= 4000),
    tagline           text CHECK (length(tagline) <= 300),
    release_date      date,
    year              smallint CHECK (year BETWEEN 1870 AND 2200),
    runtime_minutes   integer CHECK (runtime_minutes BETWEEN 1 AND 2000),
    maturity          smallint NOT NULL DEFAULT 6 CHECK (maturity BETWEEN 1 AND 6),
    original_language text,
    spoken_languages  text[] NOT NULL DEFAULT '{}',
    countries         text[] NOT NULL DEFAULT '{}',
    poster_url        text,
    backdrop_url      text,
    external_id       text CHECK (length(external_id) BETWEEN 1 AND 100),
    popularity        double precision NOT NULL DEFAULT 0 CHECK (popularity >= 0),
    rating_avg        numeric(4, 3),
    rating_count      integer NOT NULL DEFAULT 0,
    status            text NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'published', 'archived')),
    available_from    timestamptz,
    available_until   timestamptz,
    regions           text[] NOT NULL DEFAULT '{}',
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (available_until IS NULL OR available_from IS NULL
           OR available_until > available_from),
    CHECK (kind = 'movie' OR runtime_minutes IS NULL)
);
CREATE UNIQUE INDEX titles_external_id_key ON titles (external_id);
CREATE INDEX titles_kind_year_idx ON titles (kind, year);
CREATE INDEX titles_status_idx ON titles (status);
CREATE INDEX titles_popularity_idx ON titles (popularity DESC);

CREATE TABLE title_genres (
    title_id  bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    genre_id  integer NOT NULL REFERENCES genres (id) ON DELETE CASCADE,
    PRIMARY KEY (title_id, genre_id)
);
CREATE INDEX title_genres_genre_idx ON title_genres (genre_id, title_id);

CREATE TABLE seasons (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id      bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    number        smallint NOT NULL CHECK (number BETWEEN 0 AND 1000),
    name          text CHECK (length(name) BETWEEN 1 AND 300),
    overview      text CHECK (length(overview) <= 4000),
    release_date  date,
    UNIQUE (title_id, number)
);

CREATE TABLE episodes (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    season_id        bigint NOT NULL REFERENCES seasons (id) ON DELETE CASCADE,
    title_id         bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    number           smallint NOT NULL CHECK (number BETWEEN 1 AND 10000),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    overview         text CHECK (length(overview) <= 4000),
    runtime_minutes  integer CHECK (runtime_minutes BETWEEN 1 AND 2000),
    release_date     date,
    UNIQUE (season_id, number)
);
CREATE INDEX episodes_title_idx ON episodes (title_id);

CREATE TABLE people (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
CREATE UNIQUE INDEX people_name_key ON people (name);

CREATE TABLE credits (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id   bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES people (id),
    role       text NOT NULL CHECK (role IN ('cast', 'director', 'writer')),
    character  text CHECK (length(character) <= 200),
    ord        smallint NOT NULL DEFAULT 0,
    UNIQUE (title_id, person_id, role)
);
CREATE INDEX credits_person_idx ON credits (person_id);

-- Search: each title carries its search document, rebuilt by
-- sf_title_reindex(id) in the same transaction as any change to the title,
-- its seasons, episodes or credits, and for every title at once by
-- sf_title_reindex_all() after bulk loads.  These first versions index the
-- title and its overview; the search migration refines them.
ALTER TABLE titles ADD COLUMN search_doc tsvector NOT NULL DEFAULT ''::tsvector;

CREATE FUNCTION sf_title_reindex(p_title bigint) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles
           SET search_doc = setweight(to_tsvector('english', title), 'A')
                         || setweight(to_tsvector('english', coalesce(overview, '')), 'C')
         WHERE id = p_title;
    END;

CREATE FUNCTION sf_title_reindex_all() RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles
           SET search_doc = setweight(to_tsvector('english', title), 'A')
                         || setweight(to_tsvector('english', coalesce(overview, '')), 'C');
    END;
