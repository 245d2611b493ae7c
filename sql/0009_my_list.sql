-- My List: the titles a profile keeps to watch later, in an order of its
-- own, and a "watched" section for the titles it has finished.
--
-- An item is in the list while watched_at is NULL and in the watched
-- section once it is set.  The list is ordered by rank, smallest first: a
-- new item takes a rank below every other, so with no moves the list is
-- "most recently added first", and moving or reordering items renumbers
-- the ranks.  The watched section is ordered by watched_at, the latest
-- first.  lib/list.c makes every change under a lock on the profile row,
-- so an add or a reorder sees the whole list as it is.
--
-- What happens to an item when its profile finishes the title is the
-- profile's choice, list_on_finish: keep it, remove it, or move it to the
-- watched section.  The watch module calls sf_list_title_finished() when a
-- profile completes a title.

ALTER TABLE profiles
    ADD COLUMN list_on_finish text NOT NULL DEFAULT 'keep'
        CHECK (list_on_finish IN ('keep', 'remove', 'watched'));

CREATE TABLE list_items (
    profile_id  bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    title_id    bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    rank        bigint NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    watched_at  timestamptz,
    PRIMARY KEY (profile_id, title_id)
);
CREATE INDEX list_items_title_idx ON list_items (title_id);

-- Applies the profile's list_on_finish to its item for the title, if it
-- has one: keep does nothing, remove deletes the item, watched moves it
-- to the watched section (a title finished again comes back to its top).
CREATE FUNCTION sf_list_title_finished(p_profile bigint, p_title bigint) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
        DELETE FROM list_items l
         USING profiles p
         WHERE p.id = p_profile AND p.list_on_finish = 'remove'
           AND l.profile_id = p_profile AND l.title_id = p_title;
        UPDATE list_items l SET watched_at = now()
          FROM profiles p
         WHERE p.id = p_profile AND p.list_on_finish = 'watched'
           AND l.profile_id = p_profile AND l.title_id = p_title;
    END;

-- Whether a profile with maturity limit p_maturity sees a title (from
-- p_region, when given): viewers see it (sf_title_visible) and its rating
-- is within the limit.  Every read of My List, ratings and reviews made as
-- a profile filters with it.
CREATE FUNCTION sf_title_viewable(t titles, p_maturity integer, p_region text DEFAULT NULL)
    RETURNS boolean
    LANGUAGE sql STABLE
    RETURN sf_title_visible(t, p_region) AND t.maturity <= p_maturity;
