/*
 * playback.h - everything a player needs to start playing, in one answer
 * (GET /api/v1/playback/{title}).
 *
 * For a movie or a named episode: that playable; for a series without an
 * episode: the one sf_watch_resume picks (the episode in progress, else
 * next up, else the first).  The answer joins three things: where to
 * start for the profile (watch.h's resume rule), the newest ready asset
 * with its URLs signed (media.h, sf_media_playback), and the episode that
 * follows in season order, for the player's "next episode" countdown:
 *
 *	{title_id, title, kind, episode: {id, season, number, name} | null,
 *	 position, duration, start, resume, asset_id, media_duration, expires,
 *	 master_url, poster_url, thumbnails_url, renditions: [...],
 *	 subtitles: [...], next: {id, season, number, name} | null,
 *	 abr: the abr.algorithm an experiment gives the profile | null}
 *
 * URLs are base followed by the signed path ("/media/<md5>/<expires>/...").
 */
#ifndef SF_PLAYBACK_H
#define SF_PLAYBACK_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

struct sf_playback_query {
	const char *profile;   /* a profile ref */
	const char *title;     /* a title ref */
	const char *season;    /* both or neither; optional for a series */
	const char *episode;
	const char *region;    /* availability as seen from there; NULL: anywhere */
	const char *secret;    /* the media secret (media_sign.h) */
	const char *base;      /* put before every URL ("http://host:8080"); NULL: none */
	long long now, ttl;    /* the signed URLs last from now for ttl seconds */
};

int sf_playback(struct sf_db *db, const struct sf_actor *actor,
		const struct sf_playback_query *q, json_t **out);

#endif
