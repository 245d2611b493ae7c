/*
 * player_int.h - what the player's files share: the session's state.
 * Private to lib/player*.c; the rest of sf uses player.h.
 *
 * One mutex guards everything below it; three threads meet here: the
 * caller's (mpv's events, commands), the fetch thread (player_fetch.c)
 * and mpv's demuxer thread reading the stream (player.c).
 */
#ifndef SF_PLAYER_INT_H
#define SF_PLAYER_INT_H

#include <pthread.h>

#include "abr.h"
#include "hls.h"
#include "player.h"

struct sf_player_rendition {
	char *url;                 /* its media playlist */
	int height;
	double kbps;
	struct sf_hls_playlist list;
	int loaded;
};

struct sf_player_chunk {
	struct sf_player_chunk *next;
	unsigned char *data;
	size_t len, off;
};

struct sf_player {
	struct sf_player_config cfg;
	struct mpv_handle *mpv;
	pthread_t fetcher;
	int fetcher_started;

	pthread_mutex_t lock;
	pthread_cond_t wake;       /* something changed: any waiter re-checks */

	/* The ladder, lowest first, and the engine. */
	struct sf_player_rendition r[SF_ABR_RUNGS_MAX];
	int rungs;
	struct sf_abr_video video;
	struct sf_abr *abr;
	int pinned;                /* a fixed rung, or -1 */
	int segments;              /* of the playable (the first rendition's count) */
	double duration;

	/* Subtitles, {lang, url} from the playback answer, added to mpv after
	 * each load (a load drops external tracks). */
	json_t *subtitles;
	int subs_gen;
	char sub_lang[32];         /* the language picked with s; "" for none */

	/* The stream: generation gen starts at media second gen_start. */
	int gen;
	int next_segment;          /* the fetch thread's next, in gen */
	double gen_start;          /* media second the generation starts at */
	double fetched_end;        /* media second fetched up to, in gen */
	int gen_eof;               /* every segment of gen is queued */
	int gen_ready;             /* its first segment is queued */
	double offset;             /* mpv time-pos minus media position */
	int offset_known;
	struct sf_player_chunk *head, *tail;
	int stream_gen;            /* the generation mpv reads (opened last) */
	int cancel;

	/* What the caller side knows. */
	double position;
	int started, paused, seeking, quit;
	int need_urls;             /* set by the fetcher, cleared by renew */
	char error[300];           /* the fetcher cannot go on */
	int error_code;            /* an SF_E* code for it */
	int last_rung;

	/* QoE. */
	double t0, ttff, first_frame, rebuffer_s, rebuffer_since, played_bits_s, played_s;
	int rebuffers, switches, in_rebuffer;
	json_t *log;               /* per-segment entries */
};

double sf_player_now(void);
void *sf_player_fetch_main(void *arg);
/* Fetches and parses rung's playlist now, on the caller's thread. */
int sf_player_load_playlist(struct sf_player *p, int rung);
/* Drops every queued chunk (lock held). */
void sf_player_drop_queue(struct sf_player *p);

#endif
