/*
 * player.h - one playback of one playable: segments fetched with libcurl,
 * chosen by the ABR engine (abr.h), fed to libmpv as one MPEG-TS stream.
 *
 * mpv picks one HLS variant at open and never switches, so sf drives
 * adaptation itself (ARCHITECTURE.md, "Playback and adaptive bitrate").
 * A fetch thread keeps the buffer (media fetched ahead of the playhead)
 * near its target: before each segment it asks the engine for a rung,
 * downloads that rendition's segment over a kept-alive connection, tells
 * the engine what it cost, and queues the bytes; mpv reads the queue
 * through a stream callback ("sf://N", one stream per generation).
 *
 * Positions are media seconds from the start of the playable.  mpv runs
 * with rebase-start-time off, so its time-pos is the segments' own
 * timestamps; the offset between the two is read from the first segment
 * fetched.  A seek inside what mpv holds is an mpv seek; anywhere else the
 * stream restarts (a new generation) at the segment holding the target,
 * and mpv starts exactly there (hr-seek over its cache).
 *
 * Transient fetch errors are retried with back-off for as long as the
 * buffer lasts and a grace period after; a media URL answered 410 (the
 * signature expired) asks the caller for fresh URLs (sf_player_renew); a
 * segment that is not MPEG-TS is fetched once more, then skipped.  The
 * library never prints: the caller shows what sf_player_wait reports.
 *
 * The QoE record (sf_player_qoe) holds time to first frame, rebuffers,
 * average bitrate, switches and one entry per segment.
 */
#ifndef SF_PLAYER_H
#define SF_PLAYER_H

#include <jansson.h>

struct sf_player;

struct sf_player_config {
	const json_t *playback;   /* GET /api/v1/playback answer (playback.h) */
	double start;             /* media second to start at */
	const char *abr;          /* algorithm (abr.h); NULL: sf */
	int pin_height;           /* a fixed rendition by height; 0: adapt */
	double start_kbps;        /* a throughput estimate from an earlier session; 0: none */
	double buffer_target;     /* seconds fetched ahead; 0: 30 */
	double grace;             /* seconds to keep retrying with an empty buffer; 0: 5 */
	const char *vo, *ao;      /* mpv's video and audio outputs */
	const char *volume;       /* start volume, 0-100; NULL: mpv's */
};

enum sf_player_event_kind {
	SF_PLAYER_NONE,           /* the timeout passed */
	SF_PLAYER_STARTED,        /* the first frame is shown */
	SF_PLAYER_PAUSED,
	SF_PLAYER_UNPAUSED,
	SF_PLAYER_SEEKED,         /* playback goes on from a new position */
	SF_PLAYER_KEY,            /* a key pressed in mpv's window: key names it */
	SF_PLAYER_NEED_URLS,      /* the media URLs expired: call sf_player_renew */
	SF_PLAYER_ENDED,          /* played to the end */
	SF_PLAYER_FAILED,         /* cannot go on: message says why */
};

struct sf_player_event {
	enum sf_player_event_kind kind;
	int code;                 /* FAILED: SF_EFORBIDDEN (media refused), SF_ENOTFOUND
				   * (gone), SF_EUNAVAIL (no answer), SF_EINVAL (not playable) */
	char key[16];
	char message[300];
};

/* What the overlay shows. */
struct sf_player_status {
	double position, duration, buffer_s, estimate_kbps;
	int rung, rungs, height, paused;
	double rung_kbps;
};

int sf_player_open(const struct sf_player_config *cfg, struct sf_player **out);
void sf_player_close(struct sf_player *p);

/* Waits up to timeout seconds for the next event. */
void sf_player_wait(struct sf_player *p, double timeout, struct sf_player_event *ev);

void sf_player_toggle_pause(struct sf_player *p);
/* To media second t (clamped to the playable). */
void sf_player_seek(struct sf_player *p, double t);
void sf_player_volume(struct sf_player *p, int delta);
/* The next subtitle track, or none after the last; *name gets its language. */
void sf_player_cycle_subtitles(struct sf_player *p, char *name, size_t size);
/* Text on the video for ms milliseconds (mpv's OSD). */
void sf_player_show_text(struct sf_player *p, const char *text, int ms);

double sf_player_position(struct sf_player *p);
void sf_player_status(struct sf_player *p, struct sf_player_status *st);
/* Fresh URLs after SF_PLAYER_NEED_URLS (a new playback answer). */
int sf_player_renew(struct sf_player *p, const json_t *playback);

/* The QoE record: {abr, ttff_ms, first_frame_s (the position of the
 * first frame shown), rebuffers, rebuffer_s, avg_kbps,
 * switches, played_s, start, end, segments: [{index, rung, kbps, height,
 * bytes, download_ms, buffer_s, at_s}], subtitle_tracks, subtitle (the
 * language shown at the end, or null)}. */
json_t *sf_player_qoe(struct sf_player *p);

#endif
