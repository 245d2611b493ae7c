-- Ratings, reviews, votes on reviews, and reports for moderation.
--
-- Ratings: one per profile and title, 1 to 5 stars.  Each title carries
-- its ratings' count, sum and average (rating_count, rating_sum,
-- rating_avg), kept by a trigger on ratings: every insert, change and
-- delete (a purged account's, by cascade, too) adds its difference to the
-- title's row in the same transaction.  The update reads the row's
-- current values under its row lock, so concurrent ratings queue on the
-- title row and none is lost; rating_avg is always round(sum / count, 3),
-- NULL with no ratings.
--
-- Reviews: one per profile and title.  Votes: one per profile and
-- review, helpful or not; the review carries its counts (kept by a
-- trigger, as for ratings) and score, the lower bound of the Wilson score
-- interval at 95% confidence (z = 1.96) of the share of helpful votes,
-- 0 with no votes, so that 3 helpful votes of 3 rank below 90 of 100.
--
-- Reports: a profile reports a review once, with a reason.  A review with
-- an open report (resolved_at NULL) is hidden from every viewer but its
-- author until a moderator approves it (which resolves its reports) or
-- removes it (which deletes it with its votes and reports; the audit log
-- keeps it).
--
-- Everything here belongs to a profile and to a title and goes with
-- either (ON DELETE CASCADE).

ALTER TABLE titles ADD COLUMN rating_sum bigint NOT NULL DEFAULT 0;
-- Averages set before this migration keep their value as a sum.
UPDATE titles SET rating_sum = round(rating_avg * rating_count)
 WHERE rating_count > 0 AND rating_avg IS NOT NULL;

CREATE TABLE ratings (
    profile_id  bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    title_id    bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    stars       smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (profile_id, title_id)
);
CREATE INDEX ratings_title_idx ON ratings (title_id);

-- Adds p_count ratings with p_sum stars between them to a title.
CREATE FUNCTION sf_title_rating_add(p_title bigint, p_count integer, p_sum integer)
    RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        UPDATE titles
           SET rating_count = rating_count + p_count,
               rating_sum = rating_sum + p_sum,
               rating_avg = CASE WHEN rating_count + p_count > 0
                                 THEN round((rating_sum + p_sum)::numeric
                                            / (rating_count + p_count), 3) END
         WHERE id = p_title;
    END;

CREATE FUNCTION sf_ratings_count() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.title_id = OLD.title_id THEN
        IF NEW.stars <> OLD.stars THEN
            PERFORM sf_title_rating_add(NEW.title_id, 0, NEW.stars - OLD.stars);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM sf_title_rating_add(OLD.title_id, -1, -OLD.stars);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM sf_title_rating_add(NEW.title_id, 1, NEW.stars);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ratings_count AFTER INSERT OR UPDATE OR DELETE ON ratings
    FOR EACH ROW EXECUTE FUNCTION sf_ratings_count();

-- The Wilson lower bound at z = 1.96 for p_up helpful votes of
-- p_up + p_down (Evan Miller's form: 1.9208 = z^2/2, 0.9604 = z^2/4,
-- 3.8416 = z^2); 0 with no votes.
CREATE FUNCTION sf_wilson(p_up integer, p_down integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN p_up + p_down <= 0 THEN 0
                ELSE greatest(0, ((p_up + 1.9208) / (p_up + p_down)
                                  - 1.96 * sqrt(p_up::float8 * p_down / (p_up + p_down)
                                                + 0.9604) / (p_up + p_down))
                                 / (1 + 3.8416 / (p_up + p_down))) END;

CREATE TABLE reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id  bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    title_id    bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    helpful     integer NOT NULL DEFAULT 0 CHECK (helpful >= 0),
    unhelpful   integer NOT NULL DEFAULT 0 CHECK (unhelpful >= 0),
    score       double precision GENERATED ALWAYS AS (sf_wilson(helpful, unhelpful)) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (profile_id, title_id)
);
CREATE INDEX reviews_title_score_idx ON reviews (title_id, score DESC, id DESC);
CREATE INDEX reviews_title_created_idx ON reviews (title_id, created_at DESC, id DESC);

CREATE TABLE review_votes (
    review_id   bigint NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    profile_id  bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    helpful     boolean NOT NULL,
    voted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (review_id, profile_id)
);
CREATE INDEX review_votes_profile_idx ON review_votes (profile_id);

CREATE FUNCTION sf_review_votes_count() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE reviews
           SET helpful = helpful - OLD.helpful::integer,
               unhelpful = unhelpful - (NOT OLD.helpful)::integer
         WHERE id = OLD.review_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE reviews
           SET helpful = helpful + NEW.helpful::integer,
               unhelpful = unhelpful + (NOT NEW.helpful)::integer
         WHERE id = NEW.review_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER review_votes_count AFTER INSERT OR UPDATE OR DELETE ON review_votes
    FOR EACH ROW EXECUTE FUNCTION sf_review_votes_count();

CREATE TABLE review_reports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id    bigint NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    profile_id   bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    resolved_by  text,          -- the moderator, as audit_log names actors
    UNIQUE (review_id, profile_id)
);
CREATE INDEX review_reports_open_idx ON review_reports (review_id) WHERE resolved_at IS NULL;
CREATE INDEX review_reports_profile_idx ON review_reports (profile_id);
