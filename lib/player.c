/*
 * player.c - the player session: the ladder from the playback answer,
 * libmpv reading the fetch thread's queue as a stream, mpv's events, the
 * controls and the QoE record (player.h).
 *
 * mpv is set up to play one continuous MPEG-TS stream that may change
 * rendition at any segment boundary: its cache on and seekable (so a seek
 * inside what it holds is answered from memory, and a start position is
 * reached exactly by decoding from the segment's keyframe), timestamps
 * not rebased, its own key bindings off; the keys of its window come back
 * as "script-message sf-key NAME".  Never call mpv from inside a stream
 * callback: they run on mpv's demuxer thread and only touch the queue.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "mpv_dl.h"
#include "player_int.h"
#include "text.h"
#include "xalloc.h"

/* libmpv's calls, loaded by the first player (mpv_dl.h). */
static const struct sf_mpv *M;

double sf_player_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sf_player_drop_queue(struct sf_player *p)
{
	while (p->head) {
		struct sf_player_chunk *c = p->head;

		p->head = c->next;
		free(c->data);
		free(c);
	}
	p->tail = NULL;
}

/* ---- the stream mpv reads: "sf://<generation>" ---- */

struct stream {
	struct sf_player *p;
	int gen;
};

static int64_t stream_read(void *cookie, char *buf, uint64_t n)
{
	struct stream *s = cookie;
	struct sf_player *p = s->p;
	int64_t got = 0;

	pthread_mutex_lock(&p->lock);
	while (!p->head && s->gen == p->gen && !p->gen_eof && !p->cancel && !p->quit &&
	       !p->error[0])
		pthread_cond_wait(&p->wake, &p->lock);
	if (s->gen == p->gen && p->head) {
		struct sf_player_chunk *c = p->head;
		size_t take = c->len - c->off < n ? c->len - c->off : (size_t)n;

		memcpy(buf, c->data + c->off, take);
		c->off += take;
		got = (int64_t)take;
		if (c->off == c->len) {
			p->head = c->next;
			if (!p->head)
				p->tail = NULL;
			free(c->data);
			free(c);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return got;   /* 0: the end of this stream */
}

static void stream_close(void *cookie)
{
	free(cookie);
}

static void stream_cancel(void *cookie)
{
	struct stream *s = cookie;

	pthread_mutex_lock(&s->p->lock);
	s->p->cancel = 1;
	pthread_cond_broadcast(&s->p->wake);
	pthread_mutex_unlock(&s->p->lock);
}

static int stream_open(void *user, char *uri, mpv_stream_cb_info *info)
{
	struct sf_player *p = user;
	struct stream *s = sf_xcalloc(1, sizeof(*s));

	s->p = p;
	s->gen = atoi(uri + strlen("sf://"));
	pthread_mutex_lock(&p->lock);
	p->cancel = 0;
	p->stream_gen = s->gen;
	pthread_mutex_unlock(&p->lock);
	info->cookie = s;
	info->read_fn = stream_read;
	info->close_fn = stream_close;
	info->cancel_fn = stream_cancel;
	return 0;
}

/* ---- setting up ---- */

static int ladder(struct sf_player *p, const json_t *pb)
{
	const json_t *rends = json_object_get(pb, "renditions"), *r;
	size_t i;

	if (!json_is_array(rends) || json_array_size(rends) == 0)
		return sf_error(SF_EINVAL, "playback: no renditions to play");
	json_array_foreach(rends, i, r) {
		struct sf_player_rendition *x;
		int j;

		if (p->rungs == SF_ABR_RUNGS_MAX)
			break;
		if (!json_is_string(json_object_get(r, "url")))
			return sf_error(SF_EINVAL, "playback: a rendition without a URL");
		/* keep them sorted by bandwidth, lowest first */
		for (j = p->rungs; j > 0 && p->r[j - 1].kbps >
		     json_number_value(json_object_get(r, "bandwidth")) / 1000; j--)
			p->r[j] = p->r[j - 1];
		x = &p->r[j];
		memset(x, 0, sizeof(*x));
		x->url = sf_xstrdup(json_string_value(json_object_get(r, "url")));
		x->height = (int)json_integer_value(json_object_get(r, "height"));
		x->kbps = json_number_value(json_object_get(r, "bandwidth")) / 1000;
		p->rungs++;
	}
	return 0;
}

static int set(struct sf_player *p, const char *name, const char *value)
{
	int e = M->set_option_string(p->mpv, name, value);

	return e < 0 ? sf_error(SF_EINVAL, "player option %s '%s': %s", name, sf_text_quote(value),
				 M->error_string(e))
		     : 0;
}

static const char *const keys[][2] = {
	{ "SPACE", "space" }, { "LEFT", "left" }, { "RIGHT", "right" }, { "UP", "up" },
	{ "DOWN", "down" }, { "s", "s" }, { "q", "q" }, { "Q", "q" }, { "ESC", "q" },
	{ "n", "n" }, { "i", "i" }, { "?", "?" }, { "p", "space" }, { "CLOSE_WIN", "q" },
	{ "0", "0" }, { "1", "1" }, { "2", "2" }, { "3", "3" }, { "4", "4" }, { "5", "5" },
	{ "6", "6" }, { "7", "7" }, { "8", "8" }, { "9", "9" },
	{ NULL },
};

static int start_mpv(struct sf_player *p)
{
	char section[1024] = "";
	size_t used = 0;
	int rc;

	if ((rc = sf_mpv_load(&M)))
		return rc;
	p->mpv = M->create();
	if (!p->mpv)
		return sf_error(SF_EINTERNAL, "player: cannot create mpv");
	if ((rc = set(p, "vo", p->cfg.vo ? p->cfg.vo : "null")) ||
	    (rc = set(p, "ao", p->cfg.ao ? p->cfg.ao : "null")) ||
	    (rc = set(p, "cache", "yes")) || (rc = set(p, "force-seekable", "yes")) ||
	    (rc = set(p, "rebase-start-time", "no")) || (rc = set(p, "hr-seek", "yes")) ||
	    (rc = set(p, "idle", "yes")) || (rc = set(p, "input-default-bindings", "no")) ||
	    (rc = set(p, "input-vo-keyboard", "yes")) || (rc = set(p, "osd-level", "1")) ||
	    (rc = set(p, "title", "sf")) ||
	    (p->cfg.volume && (rc = set(p, "volume", p->cfg.volume))))
		return rc;
	if (M->initialize(p->mpv) < 0)
		return sf_error(SF_EINTERNAL, "player: mpv did not start");
	M->stream_cb_add_ro(p->mpv, "sf", p, stream_open);
	M->observe_property(p->mpv, 1, "time-pos", MPV_FORMAT_DOUBLE);
	M->observe_property(p->mpv, 2, "paused-for-cache", MPV_FORMAT_FLAG);
	M->observe_property(p->mpv, 3, "pause", MPV_FORMAT_FLAG);
	for (int i = 0; keys[i][0]; i++)
		used += (size_t)snprintf(section + used, sizeof(section) - used,
					 "%s script-message sf-key %s\n", keys[i][0], keys[i][1]);
	{
		const char *cmd[] = { "define-section", "sf", section, "force", NULL };
		const char *en[] = { "enable-section", "sf", NULL };

		M->command(p->mpv, cmd);
		M->command(p->mpv, en);
	}
	return 0;
}

/* Starts generation gen at media second t (lock held). */
static void restart_at(struct sf_player *p, double t)
{
	const struct sf_hls_playlist *l = &p->r[0].list;
	int k = 0;

	for (int i = 0; i < p->rungs; i++)
		if (p->r[i].loaded) {
			l = &p->r[i].list;
			break;
		}
	k = sf_hls_segment_at(l, t);
	p->gen++;
	sf_player_drop_queue(p);
	p->next_segment = k;
	p->gen_start = p->fetched_end = l->segments[k].start;
	p->gen_eof = p->gen_ready = 0;
	p->position = t;
	pthread_cond_broadcast(&p->wake);
}

/* Loads generation gen into mpv, starting at t, once its first segment
 * is in (lock held on entry and exit). */
static int load(struct sf_player *p, double t)
{
	char url[32], opts[64];
	int gen = p->gen;

	while (!p->gen_ready && !p->error[0] && !p->quit && gen == p->gen)
		pthread_cond_wait(&p->wake, &p->lock);
	if (p->error[0])
		return sf_error(p->error_code ? p->error_code : SF_EUNAVAIL, "%s", p->error);
	if (gen != p->gen || p->quit)
		return 0;
	snprintf(url, sizeof(url), "sf://%d", gen);
	snprintf(opts, sizeof(opts), "start=%.3f", t + (p->offset_known ? p->offset : 0));
	pthread_mutex_unlock(&p->lock);
	{
		const char *cmd[] = { "loadfile", url, "replace", opts, NULL };

		M->command(p->mpv, cmd);
	}
	pthread_mutex_lock(&p->lock);
	p->seeking = 1;
	return 0;
}

int sf_player_open(const struct sf_player_config *cfg, struct sf_player **out)
{
	struct sf_player *p = sf_xcalloc(1, sizeof(*p));
	struct sf_hls_playlist *l;
	int rc, i;

	*out = NULL;
	p->cfg = *cfg;
	if (p->cfg.buffer_target <= 0)
		p->cfg.buffer_target = 30;
	if (p->cfg.grace <= 0)
		p->cfg.grace = 5;
	p->t0 = sf_player_now();
	p->last_rung = -1;
	p->pinned = -1;
	p->log = json_array();
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->subtitles = json_deep_copy(json_object_get(cfg->playback, "subtitles"));
	rc = ladder(p, cfg->playback);
	if (!rc && cfg->pin_height) {
		for (i = 0; i < p->rungs && p->r[i].height != cfg->pin_height; i++)
			;
		if (i == p->rungs)
			rc = sf_error(SF_EINVAL, "quality '%dp': this title has no such rendition",
				      cfg->pin_height);
		p->pinned = i;
	}
	if (rc)
		goto fail;
	/* The ABR video: nominal bitrates, and the segments from the first
	 * playlist, the start rung's, fetched here (the engine reads the
	 * video when it chooses, so it learns them before the first segment).
	 * Without an estimate from an earlier session the engine starts at
	 * the lowest rung, so the first frame comes as soon as possible. */
	p->video.rungs = p->rungs;
	for (i = 0; i < p->rungs; i++)
		p->video.kbps[i] = p->r[i].kbps;
	p->video.segment_s = 4;
	p->video.buffer_max_s = p->cfg.buffer_target;
	p->abr = sf_abr_new(cfg->abr, &p->video, 0, cfg->start_kbps);
	if (!p->abr) {
		rc = SF_EINVAL;
		goto fail;
	}
	i = p->pinned >= 0 ? p->pinned
			   : sf_abr_choose(p->abr, &(struct sf_abr_input){ 0, 0, sf_player_now() });
	if ((rc = sf_player_load_playlist(p, i)))
		goto fail;
	l = &p->r[i].list;
	p->segments = l->count;
	p->duration = l->duration;
	p->video.segment_s = l->segments[0].duration;
	p->video.segments = l->count;
	if ((rc = start_mpv(p)))
		goto fail;
	pthread_mutex_lock(&p->lock);
	restart_at(p, cfg->start < 0 ? 0 : cfg->start >= p->duration ? 0 : cfg->start);
	pthread_mutex_unlock(&p->lock);
	if (pthread_create(&p->fetcher, NULL, sf_player_fetch_main, p)) {
		rc = sf_error(SF_EINTERNAL, "player: cannot start the fetch thread");
		goto fail;
	}
	p->fetcher_started = 1;
	pthread_mutex_lock(&p->lock);
	rc = load(p, p->position);
	pthread_mutex_unlock(&p->lock);
	if (rc)
		goto fail;
	*out = p;
	return 0;
fail:
	sf_player_close(p);
	return rc;
}

void sf_player_close(struct sf_player *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	if (p->mpv)
		M->terminate_destroy(p->mpv);
	if (p->fetcher_started)
		pthread_join(p->fetcher, NULL);
	sf_player_drop_queue(p);
	for (int i = 0; i < p->rungs; i++) {
		free(p->r[i].url);
		sf_hls_release(&p->r[i].list);
	}
	sf_abr_free(p->abr);
	json_decref(p->log);
	json_decref(p->subtitles);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p);
}

/* ---- events ---- */

/* Calls fn for each subtitle track mpv has: its id and language. */
static void each_subtitle(struct sf_player *p, void (*fn)(void *arg, const char *id,
							   const char *lang), void *arg)
{
	int64_t n = 0;

	M->get_property(p->mpv, "track-list/count", MPV_FORMAT_INT64, &n);
	for (int64_t i = 0; i < n; i++) {
		char name[48], *type, *lang, *id;

		snprintf(name, sizeof(name), "track-list/%lld/type", (long long)i);
		type = M->get_property_string(p->mpv, name);
		snprintf(name, sizeof(name), "track-list/%lld/lang", (long long)i);
		lang = M->get_property_string(p->mpv, name);
		snprintf(name, sizeof(name), "track-list/%lld/id", (long long)i);
		id = M->get_property_string(p->mpv, name);
		if (type && id && !strcmp(type, "sub"))
			fn(arg, id, lang ? lang : "");
		M->free(type);
		M->free(lang);
		M->free(id);
	}
}

struct pick {
	const char *lang;
	char id[24];
};

static void pick_track(void *arg, const char *id, const char *lang)
{
	struct pick *k = arg;

	if (k->lang[0] && !strcmp(lang, k->lang))
		snprintf(k->id, sizeof(k->id), "%s", id);
}

static void count_track(void *arg, const char *id, const char *lang)
{
	(void)id, (void)lang;
	++*(int *)arg;
}

/* Turns on the track of the language picked last (after a reload too),
 * or subtitles off. */
static void select_subtitles(struct sf_player *p)
{
	struct pick k = { p->sub_lang, "no" };

	each_subtitle(p, pick_track, &k);
	M->set_property_string(p->mpv, "sid", k.id);
}

/* Adds the subtitle tracks to what mpv just loaded, shifted by the
 * offset (their cues count from the start of the playable, mpv's clock
 * from the segments' timestamps), off until the viewer picks one. */
static void add_subtitles(struct sf_player *p)
{
	const json_t *sub;
	char delay[32];
	size_t i;

	pthread_mutex_lock(&p->lock);
	if (p->subs_gen == p->gen) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	p->subs_gen = p->gen;
	snprintf(delay, sizeof(delay), "%.3f", p->offset_known ? p->offset : 0);
	pthread_mutex_unlock(&p->lock);
	json_array_foreach(p->subtitles, i, sub) {
		const char *url = json_string_value(json_object_get(sub, "url"));
		const char *lang = json_string_value(json_object_get(sub, "lang"));
		const char *cmd[] = { "sub-add", url, "auto", lang, lang, NULL };

		if (url && lang)
			M->command(p->mpv, cmd);
	}
	M->set_property_string(p->mpv, "sub-delay", delay);
	select_subtitles(p);
}

static void rebuffer_end(struct sf_player *p)
{
	if (p->in_rebuffer) {
		p->rebuffer_s += sf_player_now() - p->rebuffer_since;
		p->in_rebuffer = 0;
	}
}

static void property(struct sf_player *p, mpv_event_property *prop,
		     struct sf_player_event *ev)
{
	pthread_mutex_lock(&p->lock);
	if (!strcmp(prop->name, "time-pos") && prop->format == MPV_FORMAT_DOUBLE) {
		double t = *(double *)prop->data - (p->offset_known ? p->offset : 0);

		if (p->started && !p->paused && !p->seeking && !p->in_rebuffer && t > p->position &&
		    t - p->position < 2) {
			p->played_s += t - p->position;
			if (p->last_rung >= 0)
				p->played_bits_s += (t - p->position) * p->r[p->last_rung].kbps;
		}
		p->position = t < 0 ? 0 : t;
	} else if (!strcmp(prop->name, "paused-for-cache") && prop->format == MPV_FORMAT_FLAG) {
		int on = *(int *)prop->data;

		if (on && p->started && !p->seeking && !p->in_rebuffer) {
			p->in_rebuffer = 1;
			p->rebuffers++;
			p->rebuffer_since = sf_player_now();
		} else if (!on) {
			rebuffer_end(p);
		}
	} else if (!strcmp(prop->name, "pause") && prop->format == MPV_FORMAT_FLAG) {
		int on = *(int *)prop->data;

		if (p->started && on != p->paused)
			ev->kind = on ? SF_PLAYER_PAUSED : SF_PLAYER_UNPAUSED;
		p->paused = on;
	}
	pthread_mutex_unlock(&p->lock);
}

void sf_player_wait(struct sf_player *p, double timeout, struct sf_player_event *ev)
{
	double until = sf_player_now() + timeout;

	memset(ev, 0, sizeof(*ev));
	for (;;) {
		double left = until - sf_player_now();
		mpv_event *e;

		pthread_mutex_lock(&p->lock);
		if (p->error[0]) {
			ev->kind = SF_PLAYER_FAILED;
			ev->code = p->error_code ? p->error_code : SF_EUNAVAIL;
			snprintf(ev->message, sizeof(ev->message), "%s", p->error);
		} else if (p->need_urls == 1) {
			p->need_urls = 2;   /* asked */
			ev->kind = SF_PLAYER_NEED_URLS;
		}
		pthread_mutex_unlock(&p->lock);
		if (ev->kind)
			return;
		e = M->wait_event(p->mpv, left > 0.1 ? 0.1 : left > 0 ? left : 0);
		switch (e->event_id) {
		case MPV_EVENT_PLAYBACK_RESTART:
			pthread_mutex_lock(&p->lock);
			if (!p->started) {
				double t = 0;

				p->started = 1;
				p->ttff = sf_player_now() - p->t0;
				pthread_mutex_unlock(&p->lock);
				M->get_property(p->mpv, "time-pos", MPV_FORMAT_DOUBLE, &t);
				pthread_mutex_lock(&p->lock);
				p->first_frame = t - (p->offset_known ? p->offset : 0);
				p->position = p->first_frame;
				ev->kind = SF_PLAYER_STARTED;
			} else if (p->seeking) {
				ev->kind = SF_PLAYER_SEEKED;
			}
			p->seeking = 0;
			pthread_mutex_unlock(&p->lock);
			add_subtitles(p);
			break;
		case MPV_EVENT_PROPERTY_CHANGE:
			property(p, e->data, ev);
			break;
		case MPV_EVENT_CLIENT_MESSAGE: {
			mpv_event_client_message *m = e->data;

			if (m->num_args == 2 && !strcmp(m->args[0], "sf-key")) {
				ev->kind = SF_PLAYER_KEY;
				snprintf(ev->key, sizeof(ev->key), "%s", m->args[1]);
			}
			break;
		}
		case MPV_EVENT_END_FILE: {
			mpv_event_end_file *end = e->data;

			pthread_mutex_lock(&p->lock);
			if (end->reason == MPV_END_FILE_REASON_EOF && p->stream_gen == p->gen &&
			    p->gen_eof && !p->head) {
				rebuffer_end(p);
				p->position = p->duration;
				ev->kind = SF_PLAYER_ENDED;
			} else if (end->reason == MPV_END_FILE_REASON_ERROR && p->stream_gen == p->gen) {
				ev->kind = SF_PLAYER_FAILED;
				ev->code = SF_EINVAL;
				snprintf(ev->message, sizeof(ev->message), "the player failed: %s",
					 M->error_string(end->error));
			}
			pthread_mutex_unlock(&p->lock);
			break;
		}
		case MPV_EVENT_SHUTDOWN:
			ev->kind = SF_PLAYER_FAILED;
			ev->code = SF_EUNAVAIL;
			snprintf(ev->message, sizeof(ev->message), "the player window was closed");
			break;
		default:
			break;
		}
		if (ev->kind || sf_player_now() >= until)
			return;
	}
}

/* ---- controls ---- */

static void command(struct sf_player *p, const char *const *args)
{
	M->command(p->mpv, (const char **)args);
}

void sf_player_toggle_pause(struct sf_player *p)
{
	command(p, (const char *const[]){ "cycle", "pause", NULL });
}

void sf_player_seek(struct sf_player *p, double t)
{
	char target[32];

	pthread_mutex_lock(&p->lock);
	if (t < 0)
		t = 0;
	if (t > p->duration - 0.5)
		t = p->duration - 0.5;
	if (t >= p->gen_start && t < p->fetched_end - 0.5) {
		/* inside what mpv holds (or will in a moment): its own seek */
		snprintf(target, sizeof(target), "%.3f", t + p->offset);
		p->seeking = 1;
		p->position = t;
		pthread_mutex_unlock(&p->lock);
		command(p, (const char *const[]){ "seek", target, "absolute+exact", NULL });
		return;
	}
	restart_at(p, t);
	load(p, t);
	pthread_mutex_unlock(&p->lock);
}

void sf_player_volume(struct sf_player *p, int delta)
{
	char d[16];

	snprintf(d, sizeof(d), "%d", delta);
	command(p, (const char *const[]){ "add", "volume", d, NULL });
}

void sf_player_cycle_subtitles(struct sf_player *p, char *name, size_t size)
{
	char *lang;

	command(p, (const char *const[]){ "cycle", "sub", NULL });
	lang = M->get_property_string(p->mpv, "current-tracks/sub/lang");
	snprintf(name, size, "%s", lang ? lang : "off");
	snprintf(p->sub_lang, sizeof(p->sub_lang), "%s", lang ? lang : "");
	M->free(lang);
}

void sf_player_show_text(struct sf_player *p, const char *text, int ms)
{
	char d[16];

	snprintf(d, sizeof(d), "%d", ms);
	command(p, (const char *const[]){ "show-text", text, d, NULL });
}

double sf_player_position(struct sf_player *p)
{
	double t;

	pthread_mutex_lock(&p->lock);
	t = p->position;
	pthread_mutex_unlock(&p->lock);
	return t;
}

void sf_player_status(struct sf_player *p, struct sf_player_status *st)
{
	pthread_mutex_lock(&p->lock);
	st->position = p->position;
	st->duration = p->duration;
	st->buffer_s = p->fetched_end - p->position > 0 ? p->fetched_end - p->position : 0;
	st->estimate_kbps = sf_abr_estimate_kbps(p->abr);
	st->rung = p->last_rung;
	st->rungs = p->rungs;
	st->height = p->last_rung >= 0 ? p->r[p->last_rung].height : 0;
	st->rung_kbps = p->last_rung >= 0 ? p->r[p->last_rung].kbps : 0;
	st->paused = p->paused;
	pthread_mutex_unlock(&p->lock);
}

int sf_player_renew(struct sf_player *p, const json_t *playback)
{
	const json_t *rends = json_object_get(playback, "renditions"), *r;
	size_t i;

	pthread_mutex_lock(&p->lock);
	json_array_foreach(rends, i, r) {
		int h = (int)json_integer_value(json_object_get(r, "height"));
		double kbps = json_number_value(json_object_get(r, "bandwidth")) / 1000;
		const char *url = json_string_value(json_object_get(r, "url"));

		for (int j = 0; j < p->rungs && url; j++)
			if (p->r[j].height == h && p->r[j].kbps == kbps) {
				/* the same segments under the new signature */
				free(p->r[j].url);
				p->r[j].url = sf_xstrdup(url);
				for (int k = 0; p->r[j].loaded && k < p->r[j].list.count; k++) {
					const char *name = strrchr(p->r[j].list.segments[k].url, '/');
					char *u = sf_hls_resolve(url, name ? name + 1 : "");

					free(p->r[j].list.segments[k].url);
					p->r[j].list.segments[k].url = u;
				}
			}
	}
	p->need_urls = 0;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

json_t *sf_player_qoe(struct sf_player *p)
{
	json_t *o;
	int subs = 0;
	/* what mpv shows, not what was asked for */
	char *shown = M->get_property_string(p->mpv, "current-tracks/sub/lang");

	each_subtitle(p, count_track, &subs);
	pthread_mutex_lock(&p->lock);
	rebuffer_end(p);
	o = json_pack("{s:s, s:f, s:f, s:i, s:f, s:f, s:i, s:f, s:f, s:O}",
		      "abr", p->pinned >= 0 ? "pinned" : sf_abr_name(p->abr),
		      "ttff_ms", round(p->ttff * 1000 * 10) / 10,
		      "first_frame_s", round(p->first_frame * 1000) / 1000, "rebuffers", p->rebuffers,
		      "rebuffer_s", round(p->rebuffer_s * 1000) / 1000,
		      "avg_kbps", p->played_s > 0 ? round(p->played_bits_s / p->played_s) : 0,
		      "switches", p->switches, "played_s", round(p->played_s * 100) / 100,
		      "end", round(p->position * 100) / 100, "segments", p->log);
	json_object_set_new(o, "subtitle_tracks", json_integer(subs));
	json_object_set_new(o, "subtitle", shown ? json_string(shown) : json_null());
	pthread_mutex_unlock(&p->lock);
	M->free(shown);
	return o;
}
