-- Viewer state: where each profile is in each playable, and the log of
-- what it did.  A playable is a movie, or an episode of a series
-- (episode_id NULL for a movie).  lib/watch.h is the one way in.
--
-- watch_progress holds one row per profile and playable: the newest
-- position and duration.  Each write carries the client's time (at); a
-- write replaces the row only when (at, position) is greater than the
-- row's, so writes that arrive late or twice never move the position
-- back, and the outcome does not depend on the order they arrive in.
-- completed says the newest position is past the completion mark (the
-- credits mark when the player gave one, else 95% of the duration) or
-- came with a "complete" event; completed_at is the latest client time at
-- which the playable was completed, and stays when it is watched again:
-- next up goes by it.
--
-- watch_events is append-only (a trigger refuses UPDATE): start,
-- progress, pause, seek, stop and complete, with time and position.  The
-- same event sent twice (same playable, kind, time and position) is
-- stored once.
--
-- Both tables belong to the profile and to the title (ON DELETE CASCADE):
-- purging an account (which deletes its profiles), deleting a profile, a
-- title or an episode removes their rows.  A viewer forgetting a title
-- deletes its rows for that profile (lib/watch.c).

CREATE TABLE watch_progress (
    profile_id    bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    title_id      bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    episode_id    bigint REFERENCES episodes (id) ON DELETE CASCADE,
    position_s    integer NOT NULL CHECK (position_s >= 0),
    duration_s    integer NOT NULL CHECK (duration_s > 0),
    credits_s     integer CHECK (credits_s > 0),
    at            timestamptz NOT NULL,
    completed     boolean NOT NULL,
    completed_at  timestamptz,
    received_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (position_s <= duration_s),
    CHECK (credits_s <= duration_s)
);
CREATE UNIQUE INDEX watch_progress_key
    ON watch_progress (profile_id, title_id, coalesce(episode_id, 0));
CREATE INDEX watch_progress_recent_idx ON watch_progress (profile_id, at DESC);
CREATE INDEX watch_progress_title_idx ON watch_progress (title_id);
CREATE INDEX watch_progress_episode_idx ON watch_progress (episode_id);

CREATE TABLE watch_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id   bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    title_id     bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    episode_id   bigint REFERENCES episodes (id) ON DELETE CASCADE,
    kind         text NOT NULL
                 CHECK (kind IN ('start', 'progress', 'pause', 'seek', 'stop', 'complete')),
    position_s   integer NOT NULL CHECK (position_s >= 0),
    duration_s   integer NOT NULL CHECK (duration_s > 0),
    at           timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX watch_events_key
    ON watch_events (profile_id, title_id, coalesce(episode_id, 0), at, kind, position_s);
CREATE INDEX watch_events_recent_idx ON watch_events (profile_id, at DESC, id DESC);
CREATE INDEX watch_events_title_idx ON watch_events (title_id);
CREATE INDEX watch_events_episode_idx ON watch_events (episode_id);

CREATE FUNCTION sf_watch_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'watch_events is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER watch_events_append_only BEFORE UPDATE ON watch_events
    FOR EACH ROW EXECUTE FUNCTION sf_watch_events_append_only();

-- Whether a position completes a playable: past the credits mark when
-- there is one, else at or past 95% of the duration.
CREATE FUNCTION sf_watch_done(p_position integer, p_duration integer, p_credits integer)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN p_credits IS NOT NULL THEN p_position >= p_credits
                ELSE p_position::bigint * 100 >= p_duration::bigint * 95 END;

-- Records one write: appends the event and applies it to the progress row
-- under the rule above.  applied: the write is now the newest; completes:
-- it completed the playable, which was not complete before (the caller
-- then applies the profile's My List setting when that finishes the
-- title); duplicate: the same event was already recorded (nothing
-- changed).  The row is locked (or made) before it is compared, so
-- concurrent writes queue up and the newest wins.
CREATE FUNCTION sf_watch_apply(p_profile bigint, p_title bigint, p_episode bigint, p_kind text,
                               p_position integer, p_duration integer, p_credits integer,
                               p_at timestamptz)
    RETURNS TABLE (applied boolean, completes boolean, duplicate boolean)
    LANGUAGE plpgsql AS $$
DECLARE
    old watch_progress;
    done boolean := p_kind = 'complete' OR sf_watch_done(p_position, p_duration, p_credits);
BEGIN
    INSERT INTO watch_events (profile_id, title_id, episode_id, kind, position_s, duration_s, at)
    VALUES (p_profile, p_title, p_episode, p_kind, p_position, p_duration, p_at)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, false, true;
        RETURN;
    END IF;
    LOOP
        SELECT * INTO old FROM watch_progress w
         WHERE w.profile_id = p_profile AND w.title_id = p_title
           AND w.episode_id IS NOT DISTINCT FROM p_episode
           FOR UPDATE;
        EXIT WHEN FOUND;
        INSERT INTO watch_progress (profile_id, title_id, episode_id, position_s, duration_s,
                                    credits_s, at, completed, completed_at)
        VALUES (p_profile, p_title, p_episode, p_position, p_duration, p_credits, p_at, done,
                CASE WHEN done THEN p_at END)
        ON CONFLICT DO NOTHING;
        IF FOUND THEN
            RETURN QUERY SELECT true, done, false;
            RETURN;
        END IF;
    END LOOP;
    IF (p_at, p_position) > (old.at, old.position_s) THEN
        UPDATE watch_progress w
           SET position_s = p_position, duration_s = p_duration, credits_s = p_credits,
               at = p_at, completed = done,
               completed_at = CASE WHEN done THEN greatest(old.completed_at, p_at)
                                   ELSE old.completed_at END,
               received_at = now()
         WHERE w.profile_id = p_profile AND w.title_id = p_title
           AND w.episode_id IS NOT DISTINCT FROM p_episode;
        RETURN QUERY SELECT true, done AND NOT old.completed, false;
    ELSE
        -- A late write leaves the position; a completion still counts.
        IF done AND (old.completed_at IS NULL OR old.completed_at < p_at) THEN
            UPDATE watch_progress w SET completed_at = p_at
             WHERE w.profile_id = p_profile AND w.title_id = p_title
               AND w.episode_id IS NOT DISTINCT FROM p_episode;
        END IF;
        RETURN QUERY SELECT false, done AND old.completed_at IS NULL, false;
    END IF;
END
$$;

-- The first regular episode (season 1 and up, in season and episode
-- order) after season p_season episode p_number of the series; with
-- p_season NULL, its first.  NULL when there is none.  Specials (season
-- 0) never come next.
CREATE FUNCTION sf_watch_after(p_title bigint, p_season integer, p_number integer)
    RETURNS bigint
    LANGUAGE sql STABLE
    RETURN (SELECT e.id FROM episodes e JOIN seasons s ON s.id = e.season_id
             WHERE e.title_id = p_title AND s.number > 0
               AND (p_season IS NULL OR (s.number, e.number) > (p_season, p_number))
             ORDER BY s.number, e.number LIMIT 1);

-- Next up: the regular episode after the furthest one (in season and
-- episode order, not in time) the profile has completed; the first
-- episode when it has completed none; NULL when it completed the last
-- (the series is finished).
CREATE FUNCTION sf_watch_next(p_profile bigint, p_title bigint) RETURNS bigint
    LANGUAGE sql STABLE
    RETURN (SELECT CASE WHEN f.season IS NULL THEN sf_watch_after(p_title, NULL, NULL)
                        ELSE sf_watch_after(p_title, f.season, f.number) END
              FROM (SELECT NULL) one
              LEFT JOIN (SELECT s.number AS season, e.number AS number
                           FROM watch_progress w
                           JOIN episodes e ON e.id = w.episode_id
                           JOIN seasons s ON s.id = e.season_id
                          WHERE w.profile_id = p_profile AND w.title_id = p_title
                            AND w.completed_at IS NOT NULL AND s.number > 0
                          ORDER BY s.number DESC, e.number DESC LIMIT 1) f ON true);

-- A playable of a profile in its one JSON form (lib/watch.h): the stored
-- progress, or position 0 and the catalog's runtime when there is none.
CREATE FUNCTION sf_watch_item(p_profile bigint, p_title bigint, p_episode bigint) RETURNS json
    LANGUAGE sql STABLE
    RETURN (SELECT json_build_object(
                'title_id', t.id, 'title', t.title, 'kind', t.kind,
                'episode', CASE WHEN e.id IS NOT NULL THEN json_build_object(
                    'id', e.id, 'season', s.number, 'number', e.number, 'name', e.name) END,
                'position', coalesce(w.position_s, 0),
                'duration', coalesce(w.duration_s,
                                     coalesce(e.runtime_minutes, t.runtime_minutes) * 60),
                'credits', w.credits_s, 'completed', coalesce(w.completed, false),
                'completed_at', sf_iso(w.completed_at), 'updated_at', sf_iso(w.at))
              FROM titles t
              LEFT JOIN episodes e ON e.id = p_episode
              LEFT JOIN seasons s ON s.id = e.season_id
              LEFT JOIN watch_progress w
                     ON w.profile_id = p_profile AND w.title_id = t.id
                    AND w.episode_id IS NOT DISTINCT FROM p_episode
             WHERE t.id = p_title);

-- Continue Watching: for each title the profile may watch now (rated at
-- most p_maturity, visible from p_region), the playable it touched last:
-- a movie or episode still in progress (resume offered: more than 5 s
-- in and not complete) as state 'resume'; for a series whose last
-- episode is not in progress, its next up as state 'next', when it has
-- completed an episode and the series is not finished.  Each title once,
-- most recent activity first; sf_watch_item() gives each its position.
CREATE FUNCTION sf_watch_continue(p_profile bigint, p_maturity integer, p_region text,
                                  p_limit integer)
    RETURNS TABLE (title_id bigint, episode_id bigint, state text, last_at timestamptz)
    LANGUAGE sql STABLE AS $$
    WITH latest AS (
        SELECT DISTINCT ON (w.title_id) w.*, t.kind
          FROM watch_progress w
          JOIN titles t ON t.id = w.title_id
          LEFT JOIN episodes e ON e.id = w.episode_id
          LEFT JOIN seasons s ON s.id = e.season_id
         WHERE w.profile_id = p_profile AND t.maturity <= p_maturity
           AND sf_title_visible(t, p_region)
         ORDER BY w.title_id, w.at DESC, s.number DESC NULLS LAST, e.number DESC NULLS LAST
    ), items AS (
        SELECT l.title_id, l.episode_id, 'resume' AS state, l.at AS last_at
          FROM latest l
         WHERE l.position_s > 5 AND NOT l.completed
        UNION ALL
        SELECT l.title_id, n.id, 'next', l.at
          FROM latest l
          CROSS JOIN LATERAL (SELECT sf_watch_next(p_profile, l.title_id) AS id) n
         WHERE n.id IS NOT NULL AND l.kind = 'series' AND NOT (l.position_s > 5 AND NOT l.completed)
           AND EXISTS (SELECT 1 FROM watch_progress c
                          JOIN episodes ce ON ce.id = c.episode_id
                          JOIN seasons cs ON cs.id = ce.season_id
                        WHERE c.profile_id = p_profile AND c.title_id = l.title_id
                          AND c.completed_at IS NOT NULL AND cs.number > 0)
    )
    SELECT * FROM items ORDER BY last_at DESC, title_id DESC LIMIT p_limit
$$;
