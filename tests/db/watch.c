/*
 * watch.c - viewer state against a real PostgreSQL: progress writes and
 * their order (late writes, repeated writes, many connections writing at
 * once in shuffled order), history, completion at 95% or the credits
 * mark, the resume boundaries (5 s and 95%), next up across seasons and
 * for a finished series, Continue Watching (order, each series once),
 * filtering by maturity limit, availability window and region, finishing
 * a title applying the My List setting, forgetting a title, what goes
 * when a title, episode, profile or account goes, who may act for whom,
 * and every bad input leaving the database as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "actor.h"
#include "crowd.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"
#include "watch.h"

static struct sf_db *db;
static struct sf_actor os;
static json_t *last;       /* the last result */

/* ---- helpers ---- */

/* Every row of the two tables, as one number that any change moves. */
static long long state(void)
{
	return test_db_countf(db, "SELECT count(*) * 1000000 + coalesce(sum(hashtext(w::text)) %% 999983, 0)"
			      " FROM watch_progress w") * 7 +
	       test_db_countf(db, "SELECT count(*) * 1000000 + coalesce(sum(hashtext(v::text)) %% 999983, 0)"
			      " FROM watch_events v");
}

/* The client time n seconds after 2026-01-01T00:00:00Z. */
static const char *ts(long n)
{
	static char buf[8][32];
	static int k;
	time_t t = 1767225600 + n;
	struct tm tm;
	char *b = buf[k++ % 8];

	gmtime_r(&t, &tm);
	strftime(b, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return b;
}

static long long profile(const char *email, const char *username, int maturity, int kids)
{
	struct sf_account_new in = { email, username, "Secret123", NULL };
	struct sf_account a;
	long long id;

	if (sf_account_add(db, &os, &in, &a)) {
		printf("Bail out! adding %s: %s\n", email, sf_error_message());
		exit(1);
	}
	id = test_db_countf(db, "UPDATE profiles SET maturity = %d, kids = %s"
			    " WHERE account_id = %lld"
			    " RETURNING id", maturity, kids ? "true" : "false", a.id);
	sf_account_release(&a);
	return id;
}

/* A published movie of minutes and maturity level. */
static long long movie(const char *name, int minutes, int maturity)
{
	return test_db_countf(db, "INSERT INTO titles (kind, title, runtime_minutes, maturity, status)"
			      " VALUES ('movie', '%s', %d, %d, 'published') RETURNING id",
			      name, minutes, maturity);
}

static long long series(const char *name, int maturity)
{
	return test_db_countf(db, "INSERT INTO titles (kind, title, maturity, status)"
			      " VALUES ('series', '%s', %d, 'published') RETURNING id", name, maturity);
}

/* Adds episode number of season (made if needed), 10 minutes long. */
static long long episode(long long title, int season, int number)
{
	long long s = test_db_countf(db, "SELECT id FROM seasons WHERE title_id = %lld"
				     " AND number = %d",
				     title, season);

	if (!s)
		s = test_db_countf(db, "INSERT INTO seasons (title_id, number) VALUES (%lld, %d)"
				   " RETURNING id",
			title, season);
	return test_db_countf(db, "INSERT INTO episodes (season_id, title_id, number, name, runtime_minutes)"
			      " VALUES (%lld, %lld, %d, 'S%dE%d', 10) RETURNING id", s, title, number,
			      season, number);
}

/* One write of a playable ("S:E" names an episode, NULL a movie). */
static int put(const char *prof, long long title, const char *ep, const char *event,
	       const char *position, const char *duration, const char *credits, const char *at)
{
	char season[16] = "", number[16] = "";
	struct sf_watch_write w = {
		.profile = prof, .title = test_ref(title), .event = event, .position = position,
		.duration = duration, .credits = credits, .at = at,
	};

	if (ep) {
		sscanf(ep, "%15[^:]:%15s", season, number);
		w.season = season;
		w.episode = number;
	}
	json_decref(last);
	last = NULL;
	return sf_watch_record(db, &os, &w, &last);
}

/* A progress write at position (text) and client time n. */
static int at(const char *prof, long long title, const char *ep, const char *position, long n)
{
	return put(prof, title, ep, NULL, position, NULL, NULL, ts(n));
}

static long long geti(const json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static int getb(const json_t *j, const char *key)
{
	return json_is_true(json_object_get(j, key));
}

static const char *gets_(const json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));

	return s ? s : "(null)";
}

static int resume(const char *prof, long long title, const char *ep, const char *region)
{
	char season[16] = "", number[16] = "";
	struct sf_watch_query q = { .profile = prof, .title = test_ref(title), .region = region };

	if (ep) {
		sscanf(ep, "%15[^:]:%15s", season, number);
		q.season = season;
		q.episode = number;
	}
	json_decref(last);
	last = NULL;
	return sf_watch_resume(db, &os, &q, &last);
}

/* Next up as "S2E1", "none" or "error". */
static const char *next(const char *prof, long long title)
{
	static char buf[32];
	struct sf_watch_query q = { .profile = prof, .title = test_ref(title) };
	json_t *out = NULL, *ep;

	if (sf_watch_next(db, &os, &q, &out))
		return "error";
	ep = json_object_get(out, "episode");
	if (json_is_object(ep))
		snprintf(buf, sizeof(buf), "S%lldE%lld", geti(ep, "season"), geti(ep, "number"));
	else
		snprintf(buf, sizeof(buf), "none%s", getb(out, "finished") ? " (finished)" : "");
	json_decref(out);
	return buf;
}

/* Continue Watching as "Title[/SxEy]:state:start|...", or "error". */
static const char *cont(const char *prof, const char *region)
{
	static char buf[1024];
	struct sf_watch_query q = { .profile = prof, .region = region };
	json_t *out = NULL, *it;
	size_t i;

	buf[0] = '\0';
	if (sf_watch_continue(db, &os, &q, &out))
		return "error";
	json_array_foreach(out, i, it) {
		const json_t *ep = json_object_get(it, "episode");
		size_t n = strlen(buf);

		snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "|" : "", gets_(it, "title"));
		n = strlen(buf);
		if (json_is_object(ep))
			snprintf(buf + n, sizeof(buf) - n, "/S%lldE%lld", geti(ep, "season"),
				 geti(ep, "number"));
		n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, ":%s:%lld", gets_(it, "state"),
			 geti(it, "start"));
	}
	json_decref(out);
	return buf;
}

/* ---- writes ---- */

static void writes(void)
{
	long long now = movie("Now", 100, 3), m = movie("Writes", 100, 3);

	profile("w@example.com", "w", 6, 0);
	is_int(put("w/w", now, NULL, NULL, "60", NULL, NULL, NULL), 0,
	       "write: a write without a client time");
	ok(strcmp(gets_(last, "updated_at"), "2026-11-01") > 0, "write: ...takes the server's (%s)",
	   gets_(last, "updated_at"));
	is_int(put("w/w", m, NULL, NULL, "600", NULL, NULL, ts(0)), 0, "write: a progress write");
	is_int(geti(last, "position"), 600, "write: ...stores the position");
	is_int(geti(last, "duration"), 6000, "write: ...with the catalog's runtime as duration");
	ok(getb(last, "applied") && !getb(last, "completed") && !getb(last, "duplicate"),
	   "write: ...applied, not complete, not a duplicate");
	is_str(gets_(last, "kind"), "movie", "write: ...of a movie");
	ok(json_is_null(json_object_get(last, "episode")), "write: ...with no episode");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events WHERE title_id = %lld"
			      " AND kind = 'progress'"
			      " AND position_s = 600", m), 1, "write: ...and appends a progress event");

	is_int(put("w/w", m, NULL, "pause", "700", "6100", NULL, ts(100)), 0,
	       "write: a pause event with a duration and a client time");
	is_int(geti(last, "duration"), 6100, "write: ...keeps the duration given");
	is_str(gets_(last, "updated_at"), ts(100), "write: ...and the client's time");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events WHERE title_id = %lld", m), 2,
	       "write: ...a second event");

	/* Late and repeated writes. */
	is_int(at("w/w", m, NULL, "5000", 50), 0, "order: a late write (older time) succeeds");
	ok(!getb(last, "applied"), "order: ...but is not applied");
	is_int(geti(last, "position"), 700, "order: ...and the position does not move back");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events WHERE title_id = %lld", m), 3,
	       "order: ...though history keeps the event");
	is_int(at("w/w", m, NULL, "100", 200), 0, "order: a newer write going back (a seek)");
	is_int(geti(last, "position"), 100, "order: ...moves the position back: newest wins");
	is_int(geti(last, "duration"), 6100, "write: without a duration, the one last written stays");
	is_int(at("w/w", m, NULL, "100", 200), 0, "order: the same write again");
	ok(getb(last, "duplicate") && !getb(last, "applied"), "order: ...is a duplicate");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events WHERE title_id = %lld", m), 4,
	       "order: ...stored once");
	is_int(at("w/w", m, NULL, "90", 200), 0, "order: another write at the same time");
	is_int(geti(last, "position"), 100, "order: ...a tie keeps the furthest position");
	is_int(at("w/w", m, NULL, "120", 200), 0, "order: ...and a further one at that time");
	is_int(geti(last, "position"), 120, "order: ...wins the tie");

	is_int(put("w/w", m, NULL, "stop", "130", NULL, NULL, "2026-01-01T00:03:20.500+00:00"), 0,
	       "write: a time with a fraction and an offset");
	is_int(geti(last, "position"), 130, "write: ...is after the whole second before it");
	is_int(put("w/w", m, NULL, "seek", "140", NULL, NULL, "2026-01-01T01:03:20+01:00"), 0,
	       "write: a time in another zone");
	is_int(geti(last, "position"), 130,
	       "write: ...compares in UTC: 00:03:20, before the write at 00:03:20.5");
}

static void bad_input(void)
{
	long long m = movie("Bad", 100, 3), s = series("BadSeries", 3), r = movie("Rated", 90, 5);
	long long before;

	profile("bad@example.com", "bad", 3, 1);
	episode(s, 1, 1);
	at("bad/bad", m, NULL, "60", 0);
	before = state();
	is_int(at("bad/nobody", m, NULL, "1", 1), SF_ENOTFOUND, "bad: an unknown profile");
	ok(test_error_has("profile 'bad/nobody': not found"),
	   "bad: ...named (%s)", sf_error_message());
	is_int(at("nobody", m, NULL, "1", 1), SF_EINVAL, "bad: a profile that is no ref");
	is_int(at("bad/bad", 999999, NULL, "1", 1), SF_ENOTFOUND, "bad: an unknown title");
	ok(test_error_has("title '999999': not found"), "bad: ...named (%s)", sf_error_message());
	is_int(at("bad/bad", s, "1:9", "1", 1), SF_ENOTFOUND, "bad: an unknown episode");
	ok(test_error_has("episode 9 of season 1 of title"),
	   "bad: ...named (%s)", sf_error_message());
	is_int(at("bad/bad", s, "4:1", "1", 1), SF_ENOTFOUND, "bad: an unknown season");
	is_int(at("bad/bad", s, "x:1", "1", 1), SF_EINVAL, "bad: a season that is no number");
	ok(test_error_has("season 'x'"), "bad: ...named (%s)", sf_error_message());
	is_int(at("bad/bad", s, NULL, "1", 1), SF_EINVAL, "bad: a series without an episode");
	ok(test_error_has("is a series"), "bad: ...saying so (%s)", sf_error_message());
	is_int(at("bad/bad", m, "1:1", "1", 1), SF_EINVAL, "bad: an episode of a movie");
	ok(test_error_has("is a movie"), "bad: ...saying so (%s)", sf_error_message());
	is_int(at("bad/bad", m, NULL, "-1", 1), SF_EINVAL, "bad: a position below 0");
	ok(test_error_has("position '-1': below 0"), "bad: ...named (%s)", sf_error_message());
	is_int(at("bad/bad", m, NULL, "6001", 1), SF_EINVAL, "bad: a position beyond the duration");
	ok(test_error_has("position '6001': beyond the duration of 6000 seconds"),
	   "bad: ...named (%s)",
	   sf_error_message());
	is_int(put("bad/bad", m, NULL, NULL, "50", "40", NULL, ts(1)), SF_EINVAL,
	       "bad: a position beyond a duration given");
	is_int(at("bad/bad", m, NULL, "1.5", 1), SF_EINVAL, "bad: a position that is no whole number");
	is_int(at("bad/bad", m, NULL, "", 1), SF_EINVAL, "bad: an empty position");
	is_int(put("bad/bad", m, NULL, NULL, NULL, NULL, NULL, ts(1)), SF_EINVAL,
	       "bad: no position");
	is_int(put("bad/bad", m, NULL, "rewind", "1", NULL, NULL, ts(1)), SF_EINVAL,
	       "bad: an unknown event kind");
	ok(test_error_has("event 'rewind': not one of"), "bad: ...named (%s)", sf_error_message());
	is_int(put("bad/bad", m, NULL, NULL, "1", "0", NULL, ts(1)), SF_EINVAL, "bad: a duration of 0");
	is_int(put("bad/bad", m, NULL, NULL, "1", NULL, "7000", ts(1)), SF_EINVAL,
	       "bad: credits beyond the duration");
	ok(test_error_has("credits '7000'"), "bad: ...named (%s)", sf_error_message());
	is_int(put("bad/bad", m, NULL, NULL, "1", NULL, NULL, "yesterday"), SF_EINVAL,
	       "bad: a time that is no time");
	ok(test_error_has("at 'yesterday'"), "bad: ...named (%s)", sf_error_message());
	is_int(put("bad/bad", m, NULL, NULL, "1", NULL, NULL, "2026-02-30T00:00:00Z"), SF_EINVAL,
	       "bad: a date that does not exist");
	is_int(put("bad/bad", m, NULL, NULL, "1", NULL, NULL, "2026-01-01T00:00:00"), SF_EINVAL,
	       "bad: a time without a zone");
	is_int(put("bad/bad", m, NULL, NULL, "1", NULL, NULL, "2999-01-01T00:00:00Z"), SF_EINVAL,
	       "bad: a time far in the future");
	ok(test_error_has("in the future"), "bad: ...saying so (%s)", sf_error_message());
	is_int(at("bad/bad", r, NULL, "1", 1), SF_ENOTFOUND,
	       "bad: a title above the profile's limit is not found for it");
	ok(test_error_has("rated R, above its limit PG"),
	   "bad: ...saying so (%s)", sf_error_message());
	test_db_countf(db, "UPDATE titles SET status = 'draft' WHERE id = %lld", m);
	is_int(at("bad/bad", m, NULL, "1", 1), SF_ENOTFOUND, "bad: a title not available");
	test_db_countf(db, "UPDATE titles SET status = 'published' WHERE id = %lld", m);
	is_int(state(), before, "bad: ...none of which changed anything");
	ok(last == NULL, "bad: ...nor returned anything");

	test_db_countf(db, "INSERT INTO titles (kind, title, status, maturity)"
		       " VALUES ('movie', 'No runtime', 'published', 1) RETURNING id");
	is_int(at("bad/bad", test_db_countf(db, "SELECT id FROM titles"
					    " WHERE title = 'No runtime'"), NULL, "1", 1),
	       SF_EINVAL, "bad: no duration for a title without a runtime");
	ok(test_error_has("duration: unknown"), "bad: ...saying so (%s)", sf_error_message());
	is_int(put("bad/bad", test_db_countf(db, "SELECT id FROM titles"
					     " WHERE title = 'No runtime'"), NULL, NULL,
		   "1", "300", NULL, ts(2)), 0, "bad: ...which a first write gives");
	is_int(at("bad/bad", test_db_countf(db, "SELECT id FROM titles"
					    " WHERE title = 'No runtime'"), NULL, "2", 3),
	       0, "bad: ...and the next need not repeat");
	is_int(geti(last, "duration"), 300, "bad: ...keeping it");
}

/* ---- concurrency ---- */

#define THREADS 12
#define PER 10
#define WRITES (THREADS * PER)

/* What a crowd member sends; it counts the writes that failed. */
struct worker {
	long long title;
	int order[WRITES];    /* the writes this worker sends, in this order */
	int n;
	int fails;
};

/* Write i: client time i, a position that does not grow with time. */
static long position_of(int i)
{
	return (i * 37) % 1000;
}

/* Crowd member i sends every write of its worker, also after one fails;
 * it returns the code of the last that failed. */
static int work(struct sf_db *conn, int i, void *arg)
{
	struct worker *w = (struct worker *)arg + i;
	char pos[16], title[24];
	int rc = 0;

	snprintf(title, sizeof(title), "%lld", w->title);
	for (int k = 0; k < w->n; k++) {
		struct sf_watch_write wr = { .profile = "crowd/crowd", .title = title,
					     .position = pos, .duration = "1000" };
		char when[32];
		time_t t = 1767225600 + w->order[k];
		struct tm tm;
		json_t *out = NULL;
		int one;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		wr.at = when;
		snprintf(pos, sizeof(pos), "%ld", position_of(w->order[k]));
		one = sf_watch_record(conn, &os, &wr, &out);
		if (one) {
			w->fails++;
			rc = one;
		}
		json_decref(out);
	}
	return rc;
}

static void concurrency(void)
{
	static struct worker w[THREADS];
	struct test_crowd_member did[THREADS];
	int perm[WRITES], fails = 0;
	unsigned seed = 20261122;
	long long m = movie("Crowd", 100, 1);

	profile("crowd@example.com", "crowd", 6, 0);
	/* Every write once in a shuffled order, dealt out round robin, and
	 * each worker also repeats a few writes of others. */
	for (int i = 0; i < WRITES; i++)
		perm[i] = i;
	for (int i = WRITES - 1; i > 0; i--) {
		int j = (int)(rand_r(&seed) % (unsigned)(i + 1)), x = perm[i];

		perm[i] = perm[j];
		perm[j] = x;
	}
	memset(w, 0, sizeof(w));
	for (int i = 0; i < WRITES; i++) {
		struct worker *x = &w[i % THREADS];

		x->order[x->n++] = perm[i];
	}
	for (int i = 0; i < THREADS; i++) {
		w[i].order[w[i].n++] = perm[(i * 7 + 3) % WRITES];
		w[i].order[w[i].n++] = WRITES - 1;    /* the newest, sent by everyone */
	}
	for (int i = 0; i < THREADS; i++)
		w[i].title = m;
	test_crowd(THREADS, work, w, did, NULL);
	/* A member that could not connect sent nothing: one failure. */
	for (int i = 0; i < THREADS; i++)
		fails += did[i].rc && !w[i].fails ? 1 : w[i].fails;
	is_int(fails, 0, "concurrency: %d connections sending %d writes in shuffled order all "
	       "succeed", THREADS, WRITES + 2 * THREADS);
	is_int(test_db_countf(db, "SELECT position_s FROM watch_progress WHERE title_id = %lld", m),
	       position_of(WRITES - 1), "concurrency: ...and the newest write's position is kept");
	ok(position_of(WRITES - 1) != test_db_countf(db, "SELECT max(position_s) FROM watch_events"
					   " WHERE title_id = %lld", m),
	   "concurrency: ...which is not the furthest position sent");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_progress"
			      " WHERE title_id = %lld", m), 1,
	       "concurrency: ...in one progress record");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events"
			      " WHERE title_id = %lld", m), WRITES,
	       "concurrency: ...with each distinct write in history once");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_progress WHERE title_id = %lld"
			      " AND at = '%s'::timestamptz", m, ts(WRITES - 1)), 1,
	       "concurrency: ...and the record's time is the newest write's");
}

/* ---- completion and resume ---- */

static void completion(void)
{
	long long m = movie("Complete", 100, 1), c = movie("Credits", 100, 1);
	long long e = movie("Event", 100, 1);

	profile("c@example.com", "c", 6, 0);
	is_int(put("c/c", m, NULL, NULL, "949", "1000", NULL, ts(1)), 0, "done: 94.9%%");
	ok(!getb(last, "completed"), "done: ...is not complete");
	is_int(put("c/c", m, NULL, NULL, "950", "1000", NULL, ts(2)), 0, "done: 95.0%%");
	ok(getb(last, "completed"), "done: ...is complete");
	is_str(gets_(last, "completed_at"), ts(2), "done: ...at the write's time");
	is_int(put("c/c", c, NULL, NULL, "899", "1000", "900", ts(1)), 0,
	       "done: before a credits mark at 90%%");
	ok(!getb(last, "completed"), "done: ...is not complete");
	is_int(geti(last, "credits"), 900, "done: ...and the mark is kept");
	is_int(put("c/c", c, NULL, NULL, "900", "1000", "900", ts(2)), 0, "done: at the credits mark");
	ok(getb(last, "completed"), "done: ...is complete, below 95%%");
	is_int(put("c/c", c, NULL, NULL, "960", "1000", "990", ts(3)), 0,
	       "done: past 95%% but before a later credits mark");
	ok(!getb(last, "completed"), "done: ...is not complete: the mark replaces 95%%");
	is_int(put("c/c", e, NULL, "complete", NULL, "1000", NULL, ts(1)), 0,
	       "done: a complete event without a position");
	ok(getb(last, "completed") && geti(last, "position") == 1000,
	   "done: ...completes at the end");
	is_int(put("c/c", e, NULL, NULL, "10", "1000", NULL, ts(2)), 0,
	       "done: watching a completed movie again");
	ok(!getb(last, "completed"), "done: ...makes it in progress again");
	is_str(gets_(last, "completed_at"), ts(1), "done: ...while it keeps when it was completed");
}

static void resume_rule(void)
{
	static const struct { const char *pos; int resume; } cases[] = {
		{ "0", 0 }, { "5", 0 }, { "6", 1 }, { "500", 1 }, { "949", 1 }, { "950", 0 },
		{ "1000", 0 },
	};
	long long m = movie("Resume", 100, 1);

	profile("r@example.com", "r", 6, 0);
	is_int(resume("r/r", m, NULL, NULL), 0, "resume: a movie never played");
	ok(geti(last, "start") == 0 && !getb(last, "resume") && geti(last, "duration") == 6000,
	   "resume: ...starts at 0, with the catalog's runtime");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put("r/r", m, NULL, NULL, cases[i].pos, "1000", NULL, ts((long)i));
		resume("r/r", m, NULL, NULL);
		is_int(getb(last, "resume"), cases[i].resume, "resume: at %s of 1000 s: %s",
		       cases[i].pos, cases[i].resume ? "offered" : "start at 0");
		is_int(geti(last, "start"), cases[i].resume ? atoi(cases[i].pos) : 0,
		       "resume: ...starting at %lld", geti(last, "start"));
	}
}

/* ---- series: next up, resume, finishing ---- */

static void next_up(void)
{
	long long s = series("Next", 1);

	profile("n@example.com", "n", 6, 0);
	episode(s, 0, 1);
	episode(s, 1, 1);
	episode(s, 1, 2);
	episode(s, 2, 1);
	episode(s, 2, 2);
	is_str(next("n/n", s), "S1E1", "next: nothing completed: the first episode");
	is_int(resume("n/n", s, NULL, NULL), 0, "next: resume of a series never played");
	is_str(json_string_value(json_object_get(json_object_get(last, "episode"), "name")),
	       "S1E1", "next: ...is its first episode");
	at("n/n", s, "1:1", "300", 1);
	is_str(next("n/n", s), "S1E1", "next: an episode in progress is not completed");
	resume("n/n", s, NULL, NULL);
	ok(geti(json_object_get(last, "episode"), "number") == 1 && geti(last, "start") == 300,
	   "next: resume of the series: the episode in progress, at its position");
	at("n/n", s, "0:1", "600", 2);
	is_str(next("n/n", s), "S1E1", "next: a completed special does not move next up");
	at("n/n", s, "1:2", "600", 3);
	is_str(next("n/n", s), "S2E1", "next: after the last episode of season 1: season 2");
	resume("n/n", s, NULL, NULL);
	is_int(geti(json_object_get(last, "episode"), "season"), 2,
	       "next: resume of the series after a completed episode: next up");
	ok(geti(last, "start") == 0 && !getb(last, "finished"), "next: ...from the start");
	at("n/n", s, "1:1", "600", 4);
	is_str(next("n/n", s), "S2E1", "next: completing an earlier episode later changes nothing");
	at("n/n", s, "2:2", "600", 5);
	is_str(next("n/n", s), "none (finished)", "next: after the last episode: none, finished");
	resume("n/n", s, NULL, NULL);
	ok(getb(last, "finished") && geti(json_object_get(last, "episode"), "number") == 1 &&
	   geti(json_object_get(last, "episode"), "season") == 1,
	   "next: resume of a finished series: the first episode again");
	is_int(resume("n/n", s, "2:1", NULL), 0, "next: resume of a given episode");
	ok(!getb(last, "resume") && geti(last, "position") == 0,
	   "next: ...never played (season 2 episode 1 was skipped)");
	episode(s, 2, 3);
	is_str(next("n/n", s), "S2E3", "next: a new episode after the last comes up");

	long long empty = series("Empty", 1);
	is_str(next("n/n", empty), "none", "next: a series without episodes has none, not finished");
	is_int(resume("n/n", empty, NULL, NULL), SF_ENOTFOUND,
	       "next: resume of a series without episodes is not found");
	struct sf_watch_query q = { .profile = "n/n", .title = test_ref(movie("Film", 10, 1)) };
	json_t *out = NULL;
	is_int(sf_watch_next(db, &os, &q, &out), SF_EINVAL, "next: a movie has none (invalid)");
	ok(test_error_has("is a movie"), "next: ...saying so (%s)", sf_error_message());
}

static void my_list(void)
{
	long long p = profile("l@example.com", "l", 6, 0);
	long long m = movie("Listed", 100, 1), s = series("Listed Series", 1), k = movie("Kept", 100, 1);

	episode(s, 1, 1);
	episode(s, 1, 2);
	episode(s, 0, 1);
	test_db_countf(db, "UPDATE profiles SET list_on_finish = 'remove' WHERE id = %lld"
		       " RETURNING id", p);
	test_db_countf(db, "INSERT INTO list_items (profile_id, title_id, rank)"
		       " VALUES (%lld, %lld, 1), (%lld, %lld, 2) RETURNING 1", p, m, p, s);
	put("l/l", m, NULL, NULL, "100", "1000", NULL, ts(1));
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items WHERE title_id = %lld", m), 1,
	       "list: a movie in progress stays on My List");
	put("l/l", m, NULL, NULL, "960", "1000", NULL, ts(2));
	ok(getb(last, "finished"), "list: completing a movie finishes it");
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items WHERE title_id = %lld", m), 0,
	       "list: ...and the 'remove' setting took it off My List");
	put("l/l", s, "1:1", NULL, "600", NULL, NULL, ts(3));
	ok(getb(last, "completed") && !getb(last, "finished"),
	   "list: completing an episode that is not the last does not finish the series");
	put("l/l", s, "0:1", NULL, "600", NULL, NULL, ts(4));
	ok(!getb(last, "finished"), "list: ...nor does a special");
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items WHERE title_id = %lld", s), 1,
	       "list: ...and the series stays on My List");
	put("l/l", s, "1:2", "complete", NULL, NULL, NULL, ts(5));
	ok(getb(last, "finished"), "list: completing the last episode finishes the series");
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items WHERE title_id = %lld", s), 0,
	       "list: ...and takes it off My List");

	test_db_countf(db, "UPDATE profiles SET list_on_finish = 'watched' WHERE id = %lld"
		       " RETURNING id", p);
	test_db_countf(db, "INSERT INTO list_items (profile_id, title_id, rank)"
		       " VALUES (%lld, %lld, 3) RETURNING 1", p, k);
	put("l/l", k, NULL, NULL, "990", "1000", NULL, ts(10));
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items WHERE title_id = %lld"
			      " AND watched_at IS NOT NULL",
			      k), 1, "list: the 'watched' setting moves a finished title to watched");
	test_db_countf(db, "UPDATE list_items SET watched_at = NULL WHERE title_id = %lld"
		       " RETURNING 1", k);
	put("l/l", k, NULL, NULL, "995", "1000", NULL, ts(11));
	ok(!getb(last, "finished"), "list: a further write past the mark finishes nothing again");
	put("l/l", k, NULL, NULL, "999", "1000", NULL, ts(10));
	ok(!getb(last, "finished") && !getb(last, "applied"), "list: ...nor does a late one");
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items WHERE title_id = %lld"
			      " AND watched_at IS NULL", k),
	       1, "list: ...so My List is left alone");
}

/* ---- Continue Watching ---- */

static void continue_watching(void)
{
	long long a = movie("A Movie", 100, 1), b = series("B Series", 1);
	long long c = movie("C Done", 100, 1), d = series("D Series", 1), e = series("E Done", 1);
	long long f = movie("F Barely", 100, 1);

	profile("cw@example.com", "cw", 6, 0);
	is_str(cont("cw/cw", NULL), "", "continue: empty for a new profile");
	for (int i = 1; i <= 3; i++) {
		episode(b, 1, i);
		episode(d, 1, i);
	}
	episode(e, 1, 1);
	at("cw/cw", a, NULL, "1200", 10);
	at("cw/cw", b, "1:1", "600", 20);           /* complete */
	at("cw/cw", b, "1:2", "120", 30);           /* in progress */
	at("cw/cw", c, NULL, "6000", 40);           /* complete: left out */
	at("cw/cw", d, "1:2", "600", 50);           /* complete: next S1E3 */
	at("cw/cw", e, "1:1", "600", 60);           /* the last: finished */
	at("cw/cw", f, NULL, "5", 70);              /* not past 5 s */
	is_str(cont("cw/cw", NULL), "D Series/S1E3:next:0|B Series/S1E2:resume:120|A Movie:resume:1200",
	       "continue: newest first, each series once with its current or next episode");
	at("cw/cw", a, NULL, "1300", 80);
	is_str(cont("cw/cw", NULL), "A Movie:resume:1300|D Series/S1E3:next:0|B Series/S1E2:resume:120",
	       "continue: watching moves a title to the front");
	at("cw/cw", b, "1:1", "30", 90);            /* rewatching the first episode */
	is_str(cont("cw/cw", NULL), "B Series/S1E1:resume:30|A Movie:resume:1300|D Series/S1E3:next:0",
	       "continue: a series shows the episode touched last when it is in progress");
	at("cw/cw", b, "1:1", "3", 100);            /* back to the start */
	is_str(cont("cw/cw", NULL), "B Series/S1E2:next:120|A Movie:resume:1300|D Series/S1E3:next:0",
	       "continue: ...else its next up (after the furthest completed), resumed there");
	at("cw/cw", d, "1:3", "600", 110);
	is_str(cont("cw/cw", NULL), "B Series/S1E2:next:120|A Movie:resume:1300",
	       "continue: finishing a series takes it out");
	struct sf_watch_query q = { .profile = "cw/cw", .limit = "1" };
	json_t *out = NULL;
	ok(!sf_watch_continue(db, &os, &q, &out) && json_array_size(out) == 1,
	   "continue: --limit 1 gives one title");
	json_decref(out);
	q.limit = "0";
	is_int(sf_watch_continue(db, &os, &q, &out), SF_EINVAL, "continue: a limit of 0 is invalid");
}

/* ---- maturity and availability ---- */

static void filtering(void)
{
	long long p = profile("f@example.com", "f", 6, 0);
	long long r = movie("R Movie", 100, 5), g = movie("G Movie", 100, 1), rs = series("R Series", 5);
	long long win = movie("Window", 100, 1), reg = movie("Regional", 100, 1);
	long long kid;
	json_t *out = NULL;
	struct sf_watch_query q = { .profile = "f/f" };

	episode(rs, 1, 1);
	episode(rs, 1, 2);
	at("f/f", r, NULL, "100", 1);
	at("f/f", g, NULL, "100", 2);
	at("f/f", rs, "1:1", "600", 3);
	at("f/f", win, NULL, "100", 4);
	at("f/f", reg, NULL, "100", 5);
	is_str(cont("f/f", NULL), "Regional:resume:100|Window:resume:100|R Series/S1E2:next:0|"
	       "G Movie:resume:100|R Movie:resume:100", "filter: an adult profile sees everything");

	/* The same profile made a kids profile: its history is still there. */
	test_db_countf(db, "UPDATE profiles SET maturity = 3, kids = true WHERE id = %lld"
		       " RETURNING id", p);
	is_str(cont("f/f", NULL), "Regional:resume:100|Window:resume:100|G Movie:resume:100",
	       "filter: a kids profile never sees an R-rated title in Continue Watching");
	is_str(next("f/f", rs), "error", "filter: ...nor next up of an R-rated series");
	ok(test_error_has("rated R, above its limit PG"), "filter: ...which is not found for it (%s)",
	   sf_error_message());
	is_int(resume("f/f", r, NULL, NULL), SF_ENOTFOUND, "filter: ...nor a resume point");
	ok(!sf_watch_history(db, &os, &q, &out), "filter: its history");
	is_int((long long)json_array_size(out), 3, "filter: ...leaves out the R-rated titles");
	json_decref(out);
	test_db_countf(db, "UPDATE profiles SET maturity = 6, kids = false WHERE id = %lld"
		       " RETURNING id", p);

	test_db_countf(db, "UPDATE titles SET available_until = now() - interval '1 day',"
		       " available_from = now() - interval '9 days' WHERE id = %lld RETURNING id", win);
	test_db_countf(db, "UPDATE titles SET regions = '{US,CA}' WHERE id = %lld"
		       " RETURNING id", reg);
	is_str(cont("f/f", NULL), "Regional:resume:100|R Series/S1E2:next:0|G Movie:resume:100|"
	       "R Movie:resume:100", "filter: a title past its window leaves Continue Watching");
	is_str(cont("f/f", "fr"), "R Series/S1E2:next:0|G Movie:resume:100|R Movie:resume:100",
	       "filter: ...and one not available in the region (FR)");
	is_str(cont("f/f", "US"), "Regional:resume:100|R Series/S1E2:next:0|G Movie:resume:100|"
	       "R Movie:resume:100", "filter: ...which shows where it is (US)");
	is_int(resume("f/f", win, NULL, NULL), SF_ENOTFOUND,
	       "filter: resume of a title past its window is not found");
	is_int(resume("f/f", reg, NULL, "FR"), SF_ENOTFOUND, "filter: ...nor one elsewhere");
	ok(test_error_has("not available in FR"), "filter: ...saying so (%s)", sf_error_message());
	is_int(resume("f/f", reg, NULL, "XYZ"), SF_EINVAL, "filter: a bad region is invalid");
	test_db_countf(db, "UPDATE titles SET status = 'draft' WHERE id = %lld RETURNING id", g);
	is_str(cont("f/f", "US"), "Regional:resume:100|R Series/S1E2:next:0|R Movie:resume:100",
	       "filter: an unpublished title leaves it too");
	q.title = test_ref(win);
	ok(!sf_watch_history(db, &os, &q, &out) && json_array_size(out) == 1,
	   "filter: history still shows a title that left the catalog");
	json_decref(out);

	kid = profile("k@example.com", "k", 3, 1);
	(void)kid;
	is_int(at("k/k", r, NULL, "1", 1), SF_ENOTFOUND, "filter: a kids profile cannot write R");
	is_str(cont("k/k", NULL), "", "filter: ...and has nothing to continue");
}

/* ---- forget, removal, permissions ---- */

static void forget(void)
{
	long long s = series("Forget Me", 1), m = movie("Keep Me", 100, 1);
	long long other = profile("o@example.com", "o", 6, 0);
	struct sf_watch_query q = { .profile = "fg/fg", .title = NULL };
	json_t *out = NULL;

	(void)other;
	profile("fg@example.com", "fg", 6, 0);
	episode(s, 1, 1);
	episode(s, 1, 2);
	at("fg/fg", s, "1:1", "600", 1);
	at("fg/fg", s, "1:2", "60", 2);
	at("fg/fg", m, NULL, "60", 3);
	at("o/o", s, "1:2", "60", 4);
	q.title = test_ref(s);
	is_int(sf_watch_forget(db, &os, &q, &out), 0, "forget: a title");
	ok(geti(out, "events") == 2 && geti(out, "progress") == 2,
	   "forget: ...says what went (2 events, 2 progress records)");
	json_decref(out);
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events v"
			      " JOIN profiles p ON p.id = v.profile_id"
			      " WHERE p.name = 'fg' AND v.title_id = %lld", s) +
	       test_db_countf(db, "SELECT count(*) FROM watch_progress w"
			      " JOIN profiles p ON p.id = w.profile_id"
			      " WHERE p.name = 'fg' AND w.title_id = %lld", s), 0,
	       "forget: ...and none of its history or progress is left");
	is_str(cont("fg/fg", NULL), "Keep Me:resume:60", "forget: ...it leaves Continue Watching");
	is_str(next("fg/fg", s), "S1E1", "forget: ...and next up starts again");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_events v"
			      " JOIN profiles p ON p.id = v.profile_id"
			      " WHERE p.name = 'o'"), 1, "forget: another profile's history stays");
	is_int(sf_watch_forget(db, &os, &q, &out), 0, "forget: again");
	ok(geti(out, "events") == 0 && geti(out, "progress") == 0, "forget: ...removes nothing");
	json_decref(out);
	q.title = "999999";
	is_int(sf_watch_forget(db, &os, &q, &out), SF_ENOTFOUND, "forget: an unknown title");
	q.title = test_ref(s);
	q.profile = "fg/nobody";
	is_int(sf_watch_forget(db, &os, &q, &out), SF_ENOTFOUND, "forget: an unknown profile");
}

static void removal(void)
{
	long long t = movie("Doomed", 100, 1), s = series("Doomed Series", 1), e;
	long long p = profile("gone@example.com", "gone", 6, 0), before;
	struct sf_account a;

	profile("stay@example.com", "stay", 6, 0);
	e = episode(s, 1, 1);
	episode(s, 1, 2);
	at("gone/gone", t, NULL, "60", 1);
	at("stay/stay", t, NULL, "60", 1);
	at("stay/stay", s, "1:1", "60", 1);
	at("stay/stay", s, "1:2", "60", 2);
	test_db_countf(db, "DELETE FROM episodes WHERE id = %lld RETURNING id", e);
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_progress"
			      " WHERE title_id = %lld", s) * 10 +
	       test_db_countf(db, "SELECT count(*) FROM watch_events WHERE title_id = %lld", s), 11,
	       "removal: deleting an episode removes its progress and history only");
	test_db_countf(db, "DELETE FROM titles WHERE id = %lld RETURNING id", t);
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_progress WHERE title_id = %lld", t) +
	       test_db_countf(db, "SELECT count(*) FROM watch_events WHERE title_id = %lld", t), 0,
	       "removal: deleting a title removes every profile's progress and history of it");
	at("gone/gone", s, "1:2", "60", 3);
	is_int(sf_account_delete(db, &os, "gone", &a), 0, "removal: deleting an account");
	sf_account_release(&a);
	before = state();
	is_int(at("gone/gone", s, "1:2", "70", 4), SF_ECONFLICT,
	       "removal: ...its profiles take no writes");
	ok(test_error_has("its account is deleted; restore it first"), "removal: ...saying so (%s)",
	   sf_error_message());
	is_int(state(), before, "removal: ...and nothing changed");
	is_int(sf_account_purge(db, &os, "gone", &a), 0, "removal: purging an account");
	sf_account_release(&a);
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_progress"
			      " WHERE profile_id = %lld", p) +
	       test_db_countf(db, "SELECT count(*) FROM watch_events"
			      " WHERE profile_id = %lld", p), 0,
	       "removal: ...removes its profiles' progress and history");
	is_int(test_db_countf(db, "SELECT count(*) FROM watch_progress w"
			      " JOIN profiles p ON p.id = w.profile_id"
			      " WHERE p.name = 'stay'"), 1, "removal: ...and no one else's");
	is_int(sf_db_exec(db, "UPDATE watch_events SET position_s = 0"), SF_EINTERNAL,
	       "removal: history is append-only: an UPDATE is refused");
}

static void permissions(void)
{
	long long m = movie("Mine", 100, 1);
	struct sf_actor own, other, mgr;
	struct sf_watch_write w = { .profile = "pa/pa", .title = test_ref(m), .position = "60" };
	struct sf_watch_query q = { .profile = "pa/pa" };
	json_t *out = NULL;
	long long before;

	profile("pa@example.com", "pa", 6, 0);
	profile("pb@example.com", "pb", 6, 0);
	profile("pm@example.com", "pm", 6, 0);
	test_db_countf(db, "UPDATE accounts SET role = 'user_manager' WHERE username = 'pm'"
		       " RETURNING id");
	test_db_countf(db, "UPDATE titles SET status = 'draft' WHERE title = 'Empty' RETURNING id");
	sf_actor_account(db, "pa", &own);
	sf_actor_account(db, "pb", &other);
	sf_actor_account(db, "pm", &mgr);
	is_int(sf_watch_record(db, &own, &w, &out), 0, "perm: an account writes its own profile's");
	json_decref(out);
	is_int(sf_watch_continue(db, &own, &q, &out), 0, "perm: ...and reads it");
	json_decref(out);
	before = state();
	is_int(sf_watch_record(db, &other, &w, &out), SF_EFORBIDDEN,
	       "perm: another viewer may not write it");
	ok(test_error_has("may not manage accounts"),
	   "perm: ...saying so (%s)", sf_error_message());
	is_int(sf_watch_continue(db, &other, &q, &out), SF_EFORBIDDEN, "perm: ...nor read it");
	is_int(sf_watch_history(db, &other, &q, &out), SF_EFORBIDDEN, "perm: ...nor its history");
	q.title = test_ref(m);
	is_int(sf_watch_forget(db, &other, &q, &out), SF_EFORBIDDEN, "perm: ...nor forget");
	is_int(state(), before, "perm: ...and nothing changed");
	is_int(sf_watch_history(db, &mgr, &q, &out), 0, "perm: a user manager may read it");
	json_decref(out);
	w.title = test_ref(test_db_countf(db, "SELECT id FROM titles WHERE title = 'Empty'"));
	w.season = "1";
	w.episode = "1";
	is_int(sf_watch_record(db, &own, &w, &out), SF_ENOTFOUND,
	       "perm: to a viewer an unpublished title does not exist");
	sf_actor_release(&own);
	sf_actor_release(&other);
	sf_actor_release(&mgr);
}

int main(void)
{
	db = test_db_open("watch");
	sf_actor_os(&os);
	writes();
	bad_input();
	concurrency();
	completion();
	resume_rule();
	next_up();
	continue_watching();
	filtering();
	forget();
	removal();
	permissions();
	my_list();
	json_decref(last);
	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
