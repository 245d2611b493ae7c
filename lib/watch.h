/*
 * watch.h - viewer state: watch progress, history, resume, next up and
 * Continue Watching.  The one entry point for the CLI ("sf watch"), the
 * player (which reports progress every few seconds) and the HTTP API.
 *
 * A playable is a movie, or an episode of a series.  Every function works
 * for one profile (a profile ref, profile.h); the actor must be the
 * profile's account or may manage accounts (SF_EFORBIDDEN), and an
 * operating-system user may act for any profile.  Titles are named by
 * title refs (title.h), episodes by season and episode number.
 *
 * The rules:
 *  - Progress: one record per profile and playable, {position, duration,
 *    updated_at}, in whole seconds.  Each write carries the client's time
 *    ("at"); the record keeps the write with the greatest (at, position),
 *    so a write that arrives late never moves the position back, the same
 *    write twice changes nothing, and parallel writes in any order end in
 *    the same state.  Without "at" the server's time is used (then a
 *    retried write is a new write).
 *  - History: every write is also an event (start, progress, pause, seek,
 *    stop, complete) appended to the profile's history with its time and
 *    position; the same event twice is stored once.
 *  - Completion: a playable is complete when the position reaches the
 *    credits mark the write gives, or else 95% of the duration, or when
 *    the event is "complete".  When a write completes a movie, or the last
 *    regular episode of a series (specials, season 0, never finish one),
 *    the profile has finished the title and its My List setting is applied
 *    (sf_list_title_finished, sql/0009_my_list.sql), in the same
 *    transaction.
 *  - Resume: offered when the position is more than 5 s and the playable
 *    is not complete (below 95% or the credits mark); otherwise play
 *    starts at 0.
 *  - Next up, for a series: the regular episode after the furthest one,
 *    in season and episode order, that the profile has completed, across
 *    seasons; the first episode when it has completed none; none when it
 *    completed the last (a finished series).
 *  - Continue Watching: each title once, most recent activity first: the
 *    playable last touched when resume is offered there, or else, for a
 *    series with a completed episode, its next up at 0; finished series
 *    and completed movies leave it.
 *  - What a profile sees: continue leaves out titles rated above the
 *    profile's maturity limit and titles not available now
 *    (sf_title_visible: published, inside the window, and in the region
 *    when one is given); resume, next and writes refuse them as not
 *    found (SF_ENOTFOUND, naming the rating for a title above the limit),
 *    as My List and reviews do.
 *    History leaves out titles above the limit but keeps titles that left
 *    the catalog: it is the record of what the profile watched.
 *  - Forget removes a title's history and progress for the profile,
 *    whatever the title's rating or availability.
 *  - The profiles of a deleted account (until it is restored) take no
 *    writes (SF_ECONFLICT); purging the account removes everything.
 *  - Viewing is not an administrative change: nothing here writes to the
 *    audit log.
 *
 * Requests carry values as the text given (NULL when absent), so the CLI
 * and the HTTP API share one validation; a bad value is SF_EINVAL with a
 * one-line message naming it ("position '-3': below 0"), an unknown
 * profile, title or episode SF_ENOTFOUND, and nothing is written.
 *
 * The JSON form of a playable's progress:
 *	{title_id, title, kind, episode: {id, season, number, name} | null,
 *	 position, duration, credits, completed, completed_at, updated_at}
 */
#ifndef SF_WATCH_H
#define SF_WATCH_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_WATCH_SECONDS_MAX 200000   /* the longest duration: 2000 minutes and more */
/* The two thresholds; sf_watch_done() and sf_watch_continue() in
 * sql/0011_watch.sql say the same, and tests/db/watch.c checks both. */
#define SF_WATCH_RESUME_MIN 5         /* resume only past this many seconds */
#define SF_WATCH_DONE_PERCENT 95      /* complete at this share of the duration */
#define SF_WATCH_LIMIT_DEFAULT 20
#define SF_WATCH_LIMIT_MAX 1000

/* The event kinds, NULL-terminated. */
extern const char *const sf_watch_events[];

struct sf_watch_write {
	const char *profile;    /* a profile ref */
	const char *title;      /* a title ref */
	const char *season;     /* an episode of a series: both numbers; a movie: neither */
	const char *episode;
	const char *event;      /* start, progress (default), pause, seek, stop, complete */
	const char *position;   /* seconds from 0 to the duration; for complete,
				 * default the duration; required otherwise */
	const char *duration;   /* seconds; default the duration of the stored
				 * progress, else the catalog's runtime */
	const char *credits;    /* seconds where the end credits start: then
				 * complete from there instead of at 95% */
	const char *at;         /* the client's time, ISO 8601 with a zone
				 * ("2026-11-22T10:00:00.250Z"); default now;
				 * at most 5 minutes ahead of the server */
};

/* Records a write.  *out is the progress after it (JSON form above) with
 * three more keys: applied (this write is now the newest), duplicate (the
 * same event was already recorded) and finished (it finished the title,
 * and the My List setting was applied).  Caller json_decref()s it. */
int sf_watch_record(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_watch_write *w, json_t **out);

struct sf_watch_query {
	const char *profile;    /* a profile ref */
	const char *title;      /* a title ref (resume, next, forget; history: optional) */
	const char *season;     /* resume: a given episode of a series */
	const char *episode;
	const char *region;     /* a country code: availability as seen from there */
	const char *limit;      /* history and continue: 1 to 1000 (default 20) */
};

/* Where to start playing.  For a movie or a given episode: that
 * playable; for a series without an episode: the episode last touched
 * when resume is offered there, else next up, else (finished) the first
 * episode.  *out is the JSON form (position and duration 0 and the
 * catalog's runtime when never played) with start (the second to start
 * at), resume (whether to offer resuming) and finished (a series). */
int sf_watch_resume(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_watch_query *q, json_t **out);

/* Next up for a series: *out is {title_id, title, episode: {id, season,
 * number, name, runtime_minutes} | null, finished}; episode null means the
 * series is finished (or has no episodes).  A movie is SF_EINVAL. */
int sf_watch_next(struct sf_db *db, const struct sf_actor *actor,
		  const struct sf_watch_query *q, json_t **out);

/* Continue Watching: an array of the JSON form with state ("resume" or
 * "next") and start, most recent activity first. */
int sf_watch_continue(struct sf_db *db, const struct sf_actor *actor,
		      const struct sf_watch_query *q, json_t **out);

/* The profile's history (of one title when q->title is given), newest
 * first: an array of {id, at, event, title_id, title, kind, episode,
 * position, duration}. */
int sf_watch_history(struct sf_db *db, const struct sf_actor *actor,
		     const struct sf_watch_query *q, json_t **out);

/* Deletes the profile's history and progress of one title.  *out is
 * {profile_id, title_id, events, progress}: how many of each went. */
int sf_watch_forget(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_watch_query *q, json_t **out);

#endif
