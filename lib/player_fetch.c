/*
 * player_fetch.c - the player's fetch thread: keep the buffer near its
 * target, one segment at a time, at the rung the ABR engine picks.
 *
 * One curl handle, so the connection to the media server is kept alive
 * between requests.  A download is timed from request to last byte and
 * told to the engine.  Failures:
 *   - 410 (the signed URLs expired): ask the caller for fresh ones and
 *     wait for them;
 *   - 403, 404: the media is refused or gone; playback cannot go on;
 *   - anything else (connection refused or reset, 5xx, a timeout): retry
 *     with back-off (0.25 s doubling to 4 s) while the buffer lasts and
 *     for the grace period after it ran out, then give up naming the
 *     server's last answer;
 *   - a segment that is not MPEG-TS: fetched once more, then skipped (a
 *     skipped segment is a gap, never a hang).
 */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "player_int.h"
#include "xalloc.h"

struct body {
	unsigned char *data;
	size_t len, cap;
};

static size_t on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = size * n;

	if (b->len + add > b->cap) {
		b->cap = (b->len + add) * 2;
		b->data = sf_xrealloc(b->data, b->cap + 1);
	}
	memcpy(b->data + b->len, ptr, add);
	b->len += add;
	b->data[b->len] = 0;
	return add;
}

/* abort a transfer when the player is closing or the generation moved */
struct watch {
	struct sf_player *p;
	int gen;
};

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct watch *w = arg;
	int stop;

	(void)dt, (void)dn, (void)ut, (void)un;
	pthread_mutex_lock(&w->p->lock);
	stop = w->p->quit || (w->gen >= 0 && w->gen != w->p->gen);
	pthread_mutex_unlock(&w->p->lock);
	return stop;
}

/* GET url into *b: the HTTP status (0 when nothing came back, with why). */
static long get(CURL *curl, struct sf_player *p, int gen, const char *url, struct body *b,
		char *why, size_t why_size)
{
	struct watch w = { p, gen };
	char err[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode cc;

	b->len = 0;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &w);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	/* a segment may come slowly, but not stall */
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 10L);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		snprintf(why, why_size, "HTTP %ld", status);
	} else {
		snprintf(why, why_size, "%s", err[0] ? err : curl_easy_strerror(cc));
	}
	return status;
}

static int is_ts(const unsigned char *d, size_t len)
{
	if (len < 188 || len % 188)
		return 0;
	for (size_t i = 0; i < len; i += 188)
		if (d[i] != 0x47)
			return 0;
	return 1;
}

enum outcome { GOT, RETRY, RENEW, FATAL, STALE };

static enum outcome classify(long status)
{
	if (status == 200 || status == 206)
		return GOT;
	if (status == 410)
		return RENEW;
	if (status == 403 || status == 404)
		return FATAL;
	return RETRY;
}

/* Waits (lock held) up to seconds, or until woken. */
static void nap(struct sf_player *p, double seconds)
{
	struct timespec ts;
	double whole;

	clock_gettime(CLOCK_REALTIME, &ts);
	seconds += ts.tv_nsec / 1e9;
	ts.tv_nsec = (long)(modf(seconds, &whole) * 1e9);
	ts.tv_sec += (time_t)whole;
	pthread_cond_timedwait(&p->wake, &p->lock, &ts);
}

/* Fetches url (lock held on entry and exit) with the retry rules.  GOT
 * with *b filled; STALE when the generation moved; FATAL with p->error. */
static enum outcome fetch(CURL *curl, struct sf_player *p, int gen, const char *what,
			  char *(*url_of)(struct sf_player *, void *), void *arg, struct body *b,
			  double *seconds)
{
	double backoff = 0.25, dry_since = 0;
	char why[CURL_ERROR_SIZE + 32];
	int renewed = 0;

	for (;;) {
		char *url = url_of(p, arg);
		double t = sf_player_now();
		long status;
		enum outcome o;

		pthread_mutex_unlock(&p->lock);
		status = get(curl, p, gen, url, b, why, sizeof(why));
		free(url);
		pthread_mutex_lock(&p->lock);
		*seconds = sf_player_now() - t;
		if (p->quit || (gen >= 0 && gen != p->gen))
			return STALE;
		o = classify(status);
		if (o == GOT)
			return GOT;
		if (o == FATAL) {
			p->error_code = status == 404 ? SF_ENOTFOUND : SF_EFORBIDDEN;
			snprintf(p->error, sizeof(p->error), "%s: the media server refused it (%.160s)",
				 what, why);
			return FATAL;
		}
		if (o == RENEW && renewed) {
			p->error_code = SF_EFORBIDDEN;
			snprintf(p->error, sizeof(p->error), "%s: the media server says the URL has "
				 "expired even after fresh ones were signed (%.160s)", what, why);
			return FATAL;
		}
		if (o == RENEW) {
			renewed = 1;
			p->need_urls = 1;
			pthread_cond_broadcast(&p->wake);
			while (p->need_urls && !p->quit && !(gen >= 0 && gen != p->gen))
				nap(p, 0.5);
			continue;
		}
		/* transient: retry while the buffer lasts, then for the grace */
		if (p->fetched_end - p->position > 0.5 || !p->started)
			dry_since = 0;
		else if (!dry_since)
			dry_since = sf_player_now();
		if (dry_since && sf_player_now() - dry_since > p->cfg.grace) {
			p->error_code = SF_EUNAVAIL;
			snprintf(p->error, sizeof(p->error), "%s: the media server did not answer for "
				 "%.0f s with nothing left to play (%.160s)", what, p->cfg.grace, why);
			return FATAL;
		}
		nap(p, backoff);
		if (p->quit || (gen >= 0 && gen != p->gen))
			return STALE;
		backoff = backoff * 2 > 4 ? 4 : backoff * 2;
	}
}

static char *playlist_url(struct sf_player *p, void *arg)
{
	return sf_xstrdup(p->r[*(int *)arg].url);
}

struct seg_ref {
	int rung, index;
};

static char *segment_url(struct sf_player *p, void *arg)
{
	struct seg_ref *s = arg;

	return sf_xstrdup(p->r[s->rung].list.segments[s->index].url);
}

/* The rendition's playlist, fetched once (lock held). */
static enum outcome load_playlist(CURL *curl, struct sf_player *p, int rung, struct body *b)
{
	double secs;
	enum outcome o;
	char what[64];

	if (p->r[rung].loaded)
		return GOT;
	snprintf(what, sizeof(what), "the playlist of rendition %dp", p->r[rung].height);
	o = fetch(curl, p, -1, what, playlist_url, &rung, b, &secs);
	if (o != GOT)
		return o;
	if (sf_hls_parse((char *)b->data, b->len, p->r[rung].url, &p->r[rung].list)) {
		p->error_code = SF_EINVAL;
		snprintf(p->error, sizeof(p->error), "%s", sf_error_message());
		return FATAL;
	}
	p->r[rung].loaded = 1;
	return GOT;
}

int sf_player_load_playlist(struct sf_player *p, int rung)
{
	CURL *curl = curl_easy_init();
	struct body b = { 0 };
	enum outcome o;

	pthread_mutex_lock(&p->lock);
	o = load_playlist(curl, p, rung, &b);
	pthread_mutex_unlock(&p->lock);
	free(b.data);
	curl_easy_cleanup(curl);
	if (o == GOT)
		return 0;
	return sf_error(p->error_code ? p->error_code : SF_EUNAVAIL, "%s",
			p->error[0] ? p->error : "cannot fetch the playlist");
}

/* Which rung for segment i (lock held). */
static int choose(struct sf_player *p, int i)
{
	struct sf_abr_input in = { i, p->fetched_end - p->position, sf_player_now() };

	if (in.buffer_s < 0 || !p->started)
		in.buffer_s = p->started ? 0 : p->fetched_end - p->gen_start;
	return p->pinned >= 0 ? p->pinned : sf_abr_choose(p->abr, &in);
}

static void queue(struct sf_player *p, struct body *b)
{
	struct sf_player_chunk *c = sf_xcalloc(1, sizeof(*c));

	c->data = b->data;
	c->len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	if (p->tail)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
}

static void log_segment(struct sf_player *p, int i, int rung, size_t bytes, double secs,
			double buffer, int skipped)
{
	json_t *e = json_pack("{s:i, s:i, s:i, s:f, s:I, s:i, s:f, s:f}", "index", i, "rung", rung,
			      "height", p->r[rung].height, "kbps", p->r[rung].kbps, "bytes",
			      (json_int_t)bytes, "download_ms", (int)lround(secs * 1000),
			      "buffer_s", round(buffer * 100) / 100,
			      "at_s", round((sf_player_now() - p->t0) * 1000) / 1000);

	if (skipped)
		json_object_set_new(e, "skipped", json_true());
	json_array_append_new(p->log, e);
}

void *sf_player_fetch_main(void *arg)
{
	struct sf_player *p = arg;
	CURL *curl = curl_easy_init();
	struct body b = { 0 };
	int gen = -1, i = 0;

	pthread_mutex_lock(&p->lock);
	while (!p->quit && !p->error[0]) {
		struct seg_ref ref;
		double secs, buffer;
		enum outcome o;
		int tries;

		if (gen != p->gen) {
			gen = p->gen;
			i = p->next_segment;
		}
		buffer = p->fetched_end - (p->started ? p->position : p->gen_start);
		if (i >= p->segments || (p->gen_ready && buffer >= p->cfg.buffer_target)) {
			if (i >= p->segments && !p->gen_eof) {
				p->gen_eof = 1;
				pthread_cond_broadcast(&p->wake);
			}
			nap(p, 0.1);
			continue;
		}
		ref.rung = choose(p, i);
		ref.index = i;
		o = load_playlist(curl, p, ref.rung, &b);
		if (o == GOT && p->r[ref.rung].list.count <= i) {
			p->error_code = SF_EINVAL;
			snprintf(p->error, sizeof(p->error), "rendition %dp has %d segments, not %d",
				 p->r[ref.rung].height, p->r[ref.rung].list.count, p->segments);
			o = FATAL;
		}
		for (tries = 0; o == GOT && tries < 2; tries++) {
			o = fetch(curl, p, gen, "a segment", segment_url, &ref, &b, &secs);
			if (o == GOT && is_ts(b.data, b.len))
				break;
		}
		if (o == STALE)
			continue;
		if (o == FATAL)
			break;
		{
			struct sf_abr_sample s = { i, ref.rung, (double)b.len, secs, sf_player_now() };
			const struct sf_hls_segment *seg = &p->r[ref.rung].list.segments[i];
			int good = is_ts(b.data, b.len);

			if (good)
				sf_abr_observe(p->abr, &s);
			if (good && !p->offset_known) {
				double pts;

				if (!sf_hls_ts_first_pts(b.data, b.len, &pts)) {
					p->offset = pts - seg->start;
					p->offset_known = 1;
				}
			}
			log_segment(p, i, ref.rung, b.len, secs,
				    p->fetched_end - (p->started ? p->position : p->gen_start), !good);
			if (good) {
				if (p->last_rung >= 0 && p->last_rung != ref.rung)
					p->switches++;
				p->last_rung = ref.rung;
				queue(p, &b);
			}
			p->fetched_end = seg->start + seg->duration;
			p->gen_ready = 1;
			i++;
			p->next_segment = i;
			pthread_cond_broadcast(&p->wake);
		}
	}
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	free(b.data);
	curl_easy_cleanup(curl);
	return NULL;
}
