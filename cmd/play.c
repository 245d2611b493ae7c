/*
 * play.c - "sf play": play a movie or an episode through the API, with
 * sf's own adaptive bitrate (lib/player.c), resume, progress reports and
 * the next episode.
 *
 * With --server it talks to that sf serve with the session "sf login"
 * saved; without, it serves the embedded database to itself on loopback
 * (lib/local.c), so both paths are the same API calls.  The playback
 * answer says where to start (the resume rule) unless --start-over.
 *
 * Progress goes to the server every 10 s of playing and on pause, seek,
 * stop and quit, each write carrying the time it was made, so a retry is
 * harmless; writes that fail are queued and sent again in order, and any
 * still unsent at exit are reported, never dropped silently.  Playing to the end
 * records the playable complete; a next episode then starts after a
 * countdown that any key (or --no-next) cancels.
 *
 * Keys come from the terminal (raw mode, when standard input is one) and
 * from mpv's window; the overlays are mpv's on-screen text.  At exit one
 * summary line goes to standard output (the QoE record with --json, and
 * to --stats FILE), and the session's throughput estimate is kept for
 * the next start ($XDG_STATE_HOME/sf/abr.json, per server).
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "abr.h"
#include "client.h"
#include "cmd.h"
#include "error.h"
#include "home.h"
#include "local.h"
#include "player.h"
#include "text.h"
#include "xalloc.h"

#define REPORT_EVERY 10.0   /* seconds of playing between progress writes */
#define PENDING_MAX 16      /* unsent progress writes kept */

static volatile sig_atomic_t stop_signal;
static struct termios saved_tty;
static int tty_raw;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void tty_restore(void)
{
	if (tty_raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	tty_raw = 0;
}

static void tty_setup(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) < 0)
		return;
	t = saved_tty;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		tty_raw = 1;
}

/* A key from the terminal, as the names mpv's window sends; "" for none. */
static const char *read_key(char *buf, size_t size)
{
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
	unsigned char c[8];
	ssize_t n;

	buf[0] = 0;
	if (!tty_raw || poll(&pfd, 1, 0) <= 0 || (n = read(STDIN_FILENO, c, sizeof(c))) <= 0)
		return buf;
	if (n >= 3 && c[0] == 27 && c[1] == '[')
		snprintf(buf, size, "%s", c[2] == 'A' ? "up" : c[2] == 'B' ? "down" :
			 c[2] == 'C' ? "right" : c[2] == 'D' ? "left" : "");
	else if (c[0] == ' ')
		snprintf(buf, size, "space");
	else if (c[0] == 27 || c[0] == 'Q')
		snprintf(buf, size, "q");
	else
		snprintf(buf, size, "%c", c[0]);
	return buf;
}

/* ---- the session's client ---- */

struct session {
	struct sf_client *client;
	struct sf_local *local;
	char profile[32];
	const char *title;
	char title_id[24];
	long long season, episode;
	double ttff;             /* from the command's start to the first frame */
	/* progress writes not yet accepted, oldest first */
	struct unsent {
		struct sf_client_progress w;
		char event[16], at[40];
	} queue[PENDING_MAX];
	int pending;
	char last_error[300];
};

static void iso_now(char out[40])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), 40 - strlen(out), ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Sends the queued writes in order; stops at the first that fails. */
static int send_pending(struct session *s)
{
	while (s->pending) {
		struct unsent *u = &s->queue[0];
		json_t *out = NULL;
		int rc;

		u->w.event = u->event;
		u->w.at = u->at;
		rc = sf_client_progress(s->client, *s->profile ? s->profile : NULL, s->title_id,
					&u->w, &out);
		json_decref(out);
		if (rc) {
			snprintf(s->last_error, sizeof(s->last_error), "%s", sf_error_message());
			return rc;
		}
		memmove(s->queue, s->queue + 1, --s->pending * sizeof(s->queue[0]));
	}
	return 0;
}

/* Queues a progress event at position and sends what is queued.  A
 * periodic "progress" replaces one still queued behind it (the newer says
 * more); the queue keeps the first and the latest writes when full. */
static void report(struct session *s, const char *event, double position, double duration)
{
	struct unsent *u;

	if (s->pending && !strcmp(event, "progress") &&
	    !strcmp(s->queue[s->pending - 1].event, "progress")) {
		s->pending--;
	} else if (s->pending == PENDING_MAX) {
		memmove(s->queue + 1, s->queue + 2, (PENDING_MAX - 2) * sizeof(s->queue[0]));
		s->pending--;
	}
	u = &s->queue[s->pending++];
	u->w = (struct sf_client_progress){ s->season, s->episode, NULL, (long long)floor(position),
					    (long long)ceil(duration) };
	snprintf(u->event, sizeof(u->event), "%s", event);
	iso_now(u->at);
	send_pending(s);
}

/* At exit: a few more tries, then say what was not saved. */
static void flush_reports(struct session *s)
{
	for (int i = 0; s->pending && i < 4; i++) {
		if (!send_pending(s))
			break;
		usleep(250000u << i);
	}
	if (s->pending) {
		struct unsent *u = &s->queue[s->pending - 1];

		fprintf(stderr, "sf: progress at %lld:%02lld not saved (%d write%s): %s\n",
			u->w.position / 60, u->w.position % 60, s->pending,
			s->pending == 1 ? "" : "s", s->last_error);
	}
}

/* ---- the throughput estimate kept between sessions ---- */

static char *state_path(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (x && x[0] == '/')
		return sf_xasprintf("%s/sf/abr.json", x);
	return home && *home ? sf_xasprintf("%s/.local/state/sf/abr.json", home) : NULL;
}

static double load_estimate(const char *server)
{
	char *path = state_path();
	json_t *j = path ? json_load_file(path, 0, NULL) : NULL;
	double kbps = json_number_value(json_object_get(j, server));

	json_decref(j);
	free(path);
	return kbps > 0 && kbps < 1e7 ? kbps : 0;
}

static void save_estimate(const char *server, double kbps)
{
	char *path = state_path(), *tmp, *slash;
	json_t *j;

	if (!path || kbps <= 0)
		goto out;
	j = json_load_file(path, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	json_object_set_new(j, server, json_real(round(kbps)));
	tmp = sf_xasprintf("%s.tmp", path);
	slash = strrchr(path, '/');
	*slash = 0;
	sf_home_mkdirs(path, 0700);
	*slash = '/';
	if (json_dump_file(j, tmp, JSON_COMPACT) == 0)
		rename(tmp, path);
	free(tmp);
	json_decref(j);
out:
	free(path);
}

/* ---- one playable ---- */

struct options {
	int start_over, no_next, pin;
	const char *abr, *vo, *ao, *stats;
	double stop_at, countdown, buffer;
	int json;
};

struct outcome {
	int ended, quit, rc;
	json_t *next;        /* the next episode when ended */
};

static int fetch_playback(struct session *s, json_t **out)
{
	return sf_client_playback(s->client, *s->profile ? s->profile : NULL, s->title, s->season,
				  s->episode, out);
}

static void overlay(struct sf_player *p)
{
	struct sf_player_status st;
	char text[256];

	sf_player_status(p, &st);
	snprintf(text, sizeof(text), "%dp (%d of %d) %.0f kbps | estimate %.0f kbps | buffer %.1f s",
		 st.height, st.rung + 1, st.rungs, st.rung_kbps, st.estimate_kbps, st.buffer_s);
	sf_player_show_text(p, text, 4000);
}

static const char help_text[] =
	"space pause | \xe2\x86\x90/\xe2\x86\x92 seek 10 s | 0-9 jump to 0-90% | "
	"\xe2\x86\x91/\xe2\x86\x93 volume | s subtitles | i info | n next episode | q quit";

static void print_summary(const json_t *pb, const json_t *qoe, double from)
{
	const json_t *ep = json_object_get(pb, "episode");
	double end = json_number_value(json_object_get(qoe, "end"));
	char what[300];

	if (json_is_object(ep))
		snprintf(what, sizeof(what), "%s S%02lldE%02lld",
			 json_string_value(json_object_get(pb, "title")),
			 (long long)json_integer_value(json_object_get(ep, "season")),
			 (long long)json_integer_value(json_object_get(ep, "number")));
	else
		snprintf(what, sizeof(what), "%s", json_string_value(json_object_get(pb, "title")));
	printf("played %s from %d:%02d to %d:%02d: first frame in %.0f ms, %lld rebuffers "
	       "(%.1f s), %.0f kbps on average, %lld switches\n", what, (int)from / 60,
	       (int)from % 60, (int)end / 60, (int)end % 60,
	       json_number_value(json_object_get(qoe, "ttff_ms")),
	       (long long)json_integer_value(json_object_get(qoe, "rebuffers")),
	       json_number_value(json_object_get(qoe, "rebuffer_s")),
	       json_number_value(json_object_get(qoe, "avg_kbps")),
	       (long long)json_integer_value(json_object_get(qoe, "switches")));
}

/* Refuses a --stats file that could not be written, before playing. */
static int check_stats(const char *file)
{
	char *dir = sf_xstrdup(file), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash)
		slash[slash == dir] = 0;   /* "/x" keeps "/" */
	if (access(file, F_OK) == 0 ? access(file, W_OK) < 0
				    : access(slash ? dir : ".", W_OK) < 0)
		rc = sf_error(SF_EINVAL, "stats file '%s': %s", sf_text_quote(file), strerror(errno));
	free(dir);
	return rc;
}

static int write_stats(const char *file, json_t *qoe)
{
	if (json_dump_file(qoe, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		return sf_error(SF_EINVAL, "stats file '%s': %s", sf_text_quote(file),
				strerror(errno));
	return 0;
}

static void play_one(struct session *s, const struct options *o, double t_start,
		     double *estimate, struct outcome *res)
{
	struct sf_player_config cfg = { 0 };
	struct sf_player *p = NULL;
	struct sf_player_event ev;
	json_t *pb = NULL, *qoe;
	double start, last_report = 0, duration;
	const char *abr;
	char key[16], sub[32];
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = fetch_playback(s, &pb)))
		goto out;
	{
		const json_t *ep = json_object_get(pb, "episode");

		snprintf(s->title_id, sizeof(s->title_id), "%lld",
			 (long long)json_integer_value(json_object_get(pb, "title_id")));
		s->season = json_is_object(ep) ? json_integer_value(json_object_get(ep, "season")) : 0;
		s->episode = json_is_object(ep) ? json_integer_value(json_object_get(ep, "number")) : 0;
	}
	start = o->start_over ? 0 : json_number_value(json_object_get(pb, "start"));
	duration = json_number_value(json_object_get(pb, "media_duration"));
	/* No --abr: the algorithm an experiment gives the viewer, if sf has it. */
	abr = o->abr;
	if (!abr && json_is_string(json_object_get(pb, "abr")) &&
	    sf_abr_summary(json_string_value(json_object_get(pb, "abr"))))
		abr = json_string_value(json_object_get(pb, "abr"));
	cfg = (struct sf_player_config){ .playback = pb, .start = start, .abr = abr,
					 .pin_height = o->pin, .start_kbps = *estimate,
					 .vo = o->vo, .ao = o->ao, .buffer_target = o->buffer };
	if ((rc = sf_player_open(&cfg, &p)))
		goto out;
	for (;;) {
		double pos;

		sf_player_wait(p, 0.2, &ev);
		pos = sf_player_position(p);
		if (stop_signal) {
			res->quit = 1;
			break;
		}
		if (ev.kind == SF_PLAYER_NONE)
			read_key(key, sizeof(key));
		else if (ev.kind == SF_PLAYER_KEY)
			snprintf(key, sizeof(key), "%s", ev.key);
		else
			key[0] = 0;
		switch (ev.kind) {
		case SF_PLAYER_STARTED:
			s->ttff = now() - t_start;
			report(s, "start", pos, duration);
			last_report = now();
			break;
		case SF_PLAYER_PAUSED:
			report(s, "pause", pos, duration);
			break;
		case SF_PLAYER_SEEKED:
			report(s, "seek", pos, duration);
			last_report = now();
			break;
		case SF_PLAYER_NEED_URLS: {
			json_t *fresh = NULL;

			if ((rc = fetch_playback(s, &fresh)) == 0)
				sf_player_renew(p, fresh);
			json_decref(fresh);
			if (rc)
				goto stop;
			break;
		}
		case SF_PLAYER_ENDED:
			report(s, "complete", duration, duration);
			res->ended = 1;
			res->next = json_incref(json_object_get(pb, "next"));
			goto stop;
		case SF_PLAYER_FAILED:
			rc = sf_error(ev.code, "%s", ev.message);
			goto stop;
		default:
			break;
		}
		if (o->stop_at > 0 && pos >= o->stop_at) {
			res->quit = 1;
			break;
		}
		if (!strcmp(key, "q")) {
			res->quit = 1;
			break;
		} else if (!strcmp(key, "space")) {
			sf_player_toggle_pause(p);
		} else if (!strcmp(key, "left") || !strcmp(key, "right")) {
			sf_player_seek(p, pos + (key[0] == 'l' ? -10 : 10));
		} else if (key[0] >= '0' && key[0] <= '9' && !key[1]) {
			sf_player_seek(p, duration * (key[0] - '0') / 10);
		} else if (!strcmp(key, "up") || !strcmp(key, "down")) {
			sf_player_volume(p, key[0] == 'u' ? 5 : -5);
		} else if (!strcmp(key, "s")) {
			sf_player_cycle_subtitles(p, sub, sizeof(sub));
			sf_player_show_text(p, sub, 2000);
		} else if (!strcmp(key, "i")) {
			overlay(p);
		} else if (!strcmp(key, "?")) {
			sf_player_show_text(p, help_text, 5000);
		} else if (!strcmp(key, "n") && json_is_object(json_object_get(pb, "next"))) {
			res->ended = 1;
			res->next = json_incref(json_object_get(pb, "next"));
			report(s, "stop", pos, duration);
			goto stop;
		}
		if (last_report && now() - last_report >= REPORT_EVERY) {
			struct sf_player_status st;

			sf_player_status(p, &st);
			if (!st.paused)
				report(s, "progress", pos, duration);
			last_report = now();
		} else if (s->pending && last_report) {
			send_pending(s);
		}
	}
	report(s, "stop", sf_player_position(p), duration);
stop:
	qoe = sf_player_qoe(p);
	/* from the command's start: the API call, the first segment, the frame */
	json_object_set(qoe, "player_ttff_ms", json_object_get(qoe, "ttff_ms"));
	json_object_set_new(qoe, "ttff_ms", json_real(round(s->ttff * 10000) / 10));
	json_object_set_new(qoe, "title_id", json_incref(json_object_get(pb, "title_id")));
	json_object_set(qoe, "episode", json_object_get(pb, "episode"));
	json_object_set_new(qoe, "start", json_real(start));
	{
		struct sf_player_status st;

		sf_player_status(p, &st);
		if (st.estimate_kbps > 0)
			*estimate = st.estimate_kbps;
	}
	sf_player_close(p);
	p = NULL;
	{
		/* the reports' own failures must not replace why playback stopped */
		char *why = rc ? sf_xstrdup(sf_error_message()) : NULL;

		flush_reports(s);
		if (why)
			sf_error(rc, "%s", why);
		free(why);
	}
	if (o->json)
		sf_print_json(qoe);
	else
		print_summary(pb, qoe, start);
	if (o->stats && !rc)
		rc = write_stats(o->stats, qoe);
	json_decref(qoe);
out:
	sf_player_close(p);
	json_decref(pb);
	res->rc = rc;
}

/* "Next: S01E02 Name in 5 s" until it runs out (1) or a key cancels (0). */
static int countdown(const json_t *next, double seconds)
{
	double until = now() + seconds;
	char key[16];
	int tty = isatty(STDERR_FILENO);

	while (now() < until && !stop_signal) {
		if (tty)
			fprintf(stderr, "\rNext: S%02lldE%02lld %s in %.0f s (any key cancels) ",
				(long long)json_integer_value(json_object_get(next, "season")),
				(long long)json_integer_value(json_object_get(next, "number")),
				json_string_value(json_object_get(next, "name")) ?
				json_string_value(json_object_get(next, "name")) : "",
				ceil(until - now()));
		if (read_key(key, sizeof(key))[0]) {
			if (tty)
				fprintf(stderr, "\rnext episode cancelled%40s\n", "");
			return 0;
		}
		usleep(100000);
	}
	if (tty)
		fputc('\n', stderr);
	return !stop_signal;
}

static int parse_quality(const char *q, int *height)
{
	char *end;
	long h;

	*height = 0;
	if (!q || !strcmp(q, "auto"))
		return 0;
	h = strtol(q, &end, 10);
	if (end == q || strcmp(end, "p") || h < 100 || h > 4320)
		return sf_error(SF_EINVAL, "quality '%s': give auto or a height such as 720p",
				sf_text_quote(q));
	*height = (int)h;
	return 0;
}

static const char *auto_vo(void)
{
	if ((getenv("DISPLAY") && *getenv("DISPLAY")) ||
	    (getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY")))
		return "gpu";
	return isatty(STDOUT_FILENO) ? "tct" : "null";
}

static int play(struct sf_ctx *ctx)
{
	struct session s = { 0 };
	struct options o = { 0 };
	struct outcome res = { 0 };
	long long season = 0, episode = 0, stop_at = 0, count = 5, buffer = 30;
	const char *server = sf_opt(ctx, "server"), *vo = sf_opt(ctx, "vo");
	double estimate;
	struct sigaction sa = { 0 };
	int rc;

	if ((rc = sf_opt_int(ctx, "season", 0, 1000, &season)) ||
	    (rc = sf_opt_int(ctx, "episode", 1, 10000, &episode)) ||
	    (rc = sf_opt_int(ctx, "stop-at", 1, 1000000, &stop_at)) ||
	    (rc = sf_opt_int(ctx, "countdown", 0, 60, &count)) ||
	    (rc = sf_opt_int(ctx, "buffer", 4, 600, &buffer)) ||
	    (rc = parse_quality(sf_opt(ctx, "quality"), &o.pin)))
		return rc;
	if (!sf_opt(ctx, "season") != !sf_opt(ctx, "episode"))
		return sf_error(SF_EINVAL, "--season and --episode go together");
	if (sf_opt(ctx, "stats") && (rc = check_stats(sf_opt(ctx, "stats"))))
		return rc;
	if (sf_opt(ctx, "abr") && !sf_abr_summary(sf_opt(ctx, "abr")))
		return sf_error(SF_EINVAL, "abr '%s': not an algorithm (see sf abr sim --help)",
				sf_text_quote(sf_opt(ctx, "abr")));
	o.start_over = sf_flag(ctx, "start-over");
	o.no_next = sf_flag(ctx, "no-next");
	o.abr = sf_opt(ctx, "abr");
	o.vo = !vo || !strcmp(vo, "auto") ? auto_vo() : vo;
	o.ao = sf_opt(ctx, "ao") ? sf_opt(ctx, "ao") : strcmp(o.vo, "null") ? "auto" : "null";
	o.stats = sf_opt(ctx, "stats");
	o.stop_at = (double)stop_at;
	o.countdown = (double)count;
	o.buffer = (double)buffer;
	o.json = ctx->json;
	s.title = ctx->argv[0];
	s.season = season;
	s.episode = episode;
	if (server) {
		json_t *saved = NULL;

		if ((rc = sf_client_store_load(&saved)))
			return rc;
		if (strcmp(json_string_value(json_object_get(saved, "server")), server)) {
			json_decref(saved);
			return sf_error(SF_EUNAUTH, "not logged in to '%s': run sf login --server %s",
					sf_text_quote(server), server);
		}
		json_decref(saved);
		if ((rc = sf_client_store_open(&s.client)))
			return rc;
		snprintf(s.profile, sizeof(s.profile), "%s",
			 sf_opt(ctx, "profile") ? sf_opt(ctx, "profile") : "");
	} else {
		long long pid = 0;

		if (!sf_opt(ctx, "profile"))
			return sf_error(SF_EINVAL, "--profile is required without --server "
					"(sf profile list shows them)");
		if ((rc = sf_local_open(ctx->db_url, sf_opt(ctx, "profile"), &s.local, &s.client,
					&pid)))
			return rc;
		snprintf(s.profile, sizeof(s.profile), "%lld", pid);
	}
	if (strspn(s.profile, "0123456789") != strlen(s.profile)) {
		/* the API names profiles by id */
		rc = sf_error(SF_EINVAL, "profile '%s': give its id with --server",
			      sf_text_quote(s.profile));
		goto out;
	}
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	tty_setup();
	estimate = load_estimate(sf_client_server(s.client));
	for (;;) {
		play_one(&s, &o, now(), &estimate, &res);
		if ((rc = res.rc) || res.quit || !res.ended || o.no_next || !json_is_object(res.next))
			break;
		if (!countdown(res.next, o.countdown))
			break;
		s.season = json_integer_value(json_object_get(res.next, "season"));
		s.episode = json_integer_value(json_object_get(res.next, "number"));
		o.start_over = 0;
		json_decref(res.next);
		res.next = NULL;
	}
	json_decref(res.next);
	tty_restore();
	save_estimate(sf_client_server(s.client), estimate);
out:
	sf_client_free(s.client);
	sf_local_close(s.local);
	return rc;
}

static const char *const vo_choices[] = { "auto", "tct", "sixel", "gpu", "null", NULL };

static const struct sf_opt play_opts[] = {
	{ "profile", "<profile>", "who is watching: a profile id, or ACCOUNT/NAME locally" },
	{ "season", "<n>", "the season of the episode to play, with --episode" },
	{ "episode", "<n>", "the episode to play (default for a series: where the profile is)" },
	{ "start-over", NULL, "start at 0 instead of the saved position" },
	{ "quality", "<auto|height>", "auto (adaptive, the default) or a fixed rendition: 240p, "
	  "360p, 480p, 720p, 1080p" },
	{ "abr", "<name>", "the adaptive-bitrate algorithm (default sf; sf abr sim lists them)" },
	{ "vo", "<output>", "video output: auto (a window with a display, else the terminal), "
	  "tct, sixel, gpu, null", false, vo_choices },
	{ "ao", "<output>", "audio output, as mpv names it (default auto; null with --vo null)" },
	{ "buffer", "<seconds>", "how far ahead of the picture to fetch (default 30)" },
	{ "stats", "<file>", "write the session's QoE record as JSON to file" },
	{ "server", "<url>", "play from this sf serve, with the session sf login saved "
	  "(default: the local database)" },
	{ "stop-at", "<seconds>", "stop when playback reaches this position, as q would" },
	{ "no-next", NULL, "do not go on to the next episode at the end" },
	{ "countdown", "<seconds>", "the countdown before the next episode (default 5)" },
	{ NULL },
};

const struct sf_command sf_cmd_play = {
	.name = "play",
	.summary = "play a movie or an episode",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "<title>", "play a movie or an episode", play, CMD_DBURL | CMD_JSON,
		  play_opts, 1, 1 },
		{ 0 },
	},
};
