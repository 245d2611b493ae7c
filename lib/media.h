/*
 * media.h - the media of the catalog: HLS assets of movies and episodes,
 * their ingest, subtitles, and what a player is handed to play them.
 *
 * A playable is a movie, or an episode of a series, named as elsewhere in
 * sf: a title ref (title.h) and, for a series, a season and an episode
 * number.  An asset is one encode of a source file for a playable; its
 * JSON form is {id, title_id, title, episode_id, season, episode, source,
 * ladder, status, error, dir, width, height, duration, segment_count,
 * complexity, renditions: [...], subtitles: [...], job: {...},
 * created_at, updated_at, ready_at}.
 *
 * Layout under the media root ($SF_MEDIA_ROOT, else $SF_HOME/media):
 *
 *	<id>-<8 hex>/            one ready asset (its "dir")
 *	    master.m3u8          the master playlist, written by sf
 *	    v0/index.m3u8 v0/seg_00000.ts ...   one directory per rendition
 *	    poster.jpg thumbs.jpg thumbs.vtt    poster, trickplay sprite and index
 *	    subs/<lang>.vtt subs/<lang>.m3u8    subtitles
 *	.tmp-<id>-<...>/         an encode in progress, never served
 *
 * An encode writes into its .tmp- directory and renames it into place
 * only when every file is written, then records the asset ready in one
 * transaction; so whatever moment a worker dies at, viewers see no asset
 * or a whole one, and the next attempt sweeps what the dead one left.
 *
 * Changes need SF_PERM_MANAGE_CATALOG and are audited (media.add,
 * media.remove, media.retry, media.subtitle).
 */
#ifndef SF_MEDIA_H
#define SF_MEDIA_H

#include <jansson.h>

struct sf_db;
struct sf_actor;
struct sf_job;

/* The media root; caller frees. */
char *sf_media_root(void);

struct sf_media_playable_ref {
	const char *title;     /* a title ref */
	const char *season;    /* both or neither; a series needs them */
	const char *episode;
};

/* Queues an ingest of source (a readable regular file, kept by path) for
 * the playable, with ladder "standard" (default) or "auto".  *out is the
 * new asset, *job_id its job. */
int sf_media_add(struct sf_db *db, const struct sf_actor *actor,
		 const struct sf_media_playable_ref *p, const char *source, const char *ladder,
		 json_t **out, long long *job_id);

/* The assets, newest first: of one playable's title when title is not
 * NULL, of one status when status is not NULL. */
int sf_media_list(struct sf_db *db, const struct sf_actor *actor, const char *title,
		  const char *status, json_t **out);

/* One asset by id. */
int sf_media_get(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		 json_t **out);

/* Deletes the asset, its rows and its directory; *old is what it was.  An
 * asset being encoded is SF_ECONFLICT. */
int sf_media_remove(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    json_t **old);

/* Queues a failed asset's ingest again, with fresh attempts. */
int sf_media_retry(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		   json_t **out);

/* Adds (or replaces) the playable's subtitles in language lang from a
 * WebVTT or SRT file (SRT is converted), and writes them into its ready
 * assets.  *out is {title_id, episode_id, lang, cues, assets}. */
int sf_media_subtitle_add(struct sf_db *db, const struct sf_actor *actor,
			  const struct sf_media_playable_ref *p, const char *lang,
			  const char *file, json_t **out);

/* ---- running ingests (media_ingest.c) ---- */

/* What an ingest is doing: phase "probing", "encoding", "finishing";
 * done of total seconds of the source, at speed times real time. */
typedef void sf_media_progress_fn(void *arg, const char *phase, double done, double total,
				  double speed);

/* Takes the next due job (or job id when id > 0) and runs it.  Returns
 * 1 when there was none; 0 when one ran, *job filled, whether it
 * succeeded or not (its state says, job_error its error). */
int sf_media_work(struct sf_db *db, const char *worker, long long id,
		  sf_media_progress_fn *progress, void *arg, struct sf_job *job,
		  char **job_error);

/* ---- for the HTTP routes (route_media.c; playback.c joins the rest) ---- */

/* Checks a /media/... request path (media_sign.h) at time now and finds
 * the ready asset it names.  0 with *file (caller frees) the path on disk
 * of the file, which the caller opens (it may not exist: 404);
 * SF_EFORBIDDEN (with *expired set when only the time is wrong: answer
 * 410), SF_ENOTFOUND when the asset is not ready. */
int sf_media_resolve(struct sf_db *db, const char *secret, const char *path, long long now,
		     char **file, int *expired);

/* What a player needs to play the playable: the newest ready asset, as
 * {asset_id, title_id, episode_id, duration, master_url, poster_url,
 * thumbnails_url, expires, renditions: [{name, width, height, bandwidth,
 * average_bandwidth, codecs, url}], subtitles: [{lang, url}]} with URLs
 * signed for ttl seconds from now (relative: the caller puts its origin
 * in front).  A viewer sees only titles viewers see; no ready asset is
 * SF_ENOTFOUND. */
int sf_media_playback(struct sf_db *db, const struct sf_actor *actor,
		      const struct sf_media_playable_ref *p, const char *secret,
		      long long now, long long ttl, json_t **out);

/* ---- internal to the media files ---- */

/* The asset's JSON form by id. */
int sf_media_asset_json(struct sf_db *db, long long id, json_t **out);
/* Writes master.m3u8 and the subtitle files of the asset into dir (a
 * directory on disk), each by a temporary name renamed into place. */
int sf_media_write_master(struct sf_db *db, long long id, const char *dir);
/* Flushes a file, or a directory tree and every file in it, to disk. */
int sf_media_sync_tree(const char *path);
/* Removes a directory tree; 0 if it is gone. */
int sf_media_rmtree(const char *path);

#endif
