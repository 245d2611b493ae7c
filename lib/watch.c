/*
 * watch.c - recording what a profile watches, and forgetting it.
 *
 * A write is checked in full before the database is touched (the values)
 * and inside its transaction (the profile, title and episode), then goes
 * through sf_watch_apply() in sql/0011_watch.sql, which appends the event
 * and keeps the newest position under a row lock, so parallel writes in
 * any order end in the same state.  When the write finishes a title, the
 * profile's My List setting is applied in the same transaction.  The
 * rules are in watch.h.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "error.h"
#include "text.h"
#include "title.h"
#include "watch.h"
#include "watch_target.h"

const char *const sf_watch_events[] = {
	"start", "progress", "pause", "seek", "stop", "complete", NULL,
};

/* The checked values of a write. */
struct values {
	const char *event;
	long long position, duration, credits;   /* -1: not given */
	const char *at;
};

/* ISO 8601 with a zone: 2026-11-22T10:00[:00[.250]](Z|+01[:00]). */
static int iso_time(const char *s)
{
	static const char *re = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
				"(:[0-9]{2}([.][0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$";
	regex_t r;
	int match;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return 0;
	match = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return match;
}

static int check_values(const struct sf_watch_write *w, struct values *v)
{
	int rc = 0;

	v->event = NULL;
	v->position = v->duration = v->credits = -1;
	v->at = w->at;
	for (int i = 0; sf_watch_events[i] && !v->event; i++)
		if (!strcasecmp(sf_watch_events[i], w->event ? w->event : "progress"))
			v->event = sf_watch_events[i];
	if (!v->event)
		return sf_error(SF_EINVAL, "event '%s': not one of start, progress, pause, seek, "
				"stop, complete", sf_text_quote(w->event));
	if (w->position)
		rc = sf_watch_seconds("position", w->position, &v->position);
	else if (strcmp(v->event, "complete"))
		rc = sf_error(SF_EINVAL, "position: missing; a %s event needs one", v->event);
	if (!rc && w->duration && !(rc = sf_watch_seconds("duration", w->duration, &v->duration)) &&
	    v->duration == 0)
		rc = sf_error(SF_EINVAL, "duration '%s': must be more than 0 seconds",
			      sf_text_quote(w->duration));
	if (!rc && w->credits && !(rc = sf_watch_seconds("credits", w->credits, &v->credits)) &&
	    v->credits == 0)
		rc = sf_error(SF_EINVAL, "credits '%s': must be more than 0 seconds",
			      sf_text_quote(w->credits));
	if (!rc && w->at && !iso_time(w->at))
		rc = sf_error(SF_EINVAL, "at '%s': not a time such as 2026-11-22T10:00:00Z",
			      sf_text_quote(w->at));
	return rc;
}

/* The client's time: a real date, not more than 5 minutes ahead. */
static int check_at(struct sf_db *db, const char *at)
{
	PGresult *res = NULL;
	int rc;

	if (!at)
		return 0;
	rc = sf_db_query(db, &res, "SELECT $1::timestamptz > now() + interval '5 minutes' AS ahead",
			 SF_ARGS(at));
	if (rc == SF_EINVAL)
		rc = sf_error(SF_EINVAL, "at '%s': not a valid date or time", sf_text_quote(at));
	else if (!rc && sf_db_bool(res, 0, "ahead"))
		rc = sf_error(SF_EINVAL, "at '%s': more than 5 minutes in the future",
			      sf_text_quote(at));
	PQclear(res);
	return rc;
}

struct record_ctx {
	const struct sf_actor *actor;
	const struct sf_watch_write *w;
	const struct values *v;
	json_t **out;
};

/* Whether completing the target finishes its title: a movie, or the
 * last regular episode of a series. */
static int finishes(struct sf_db *db, const struct sf_watch_target *t, int *yes)
{
	char id[SF_INT_STR_MAX], s[SF_INT_STR_MAX], n[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	*yes = !t->series;
	if (!t->series || t->season == 0)
		return 0;
	rc = sf_db_query(db, &res, "SELECT sf_watch_after($1, $2, $3) IS NULL AS last",
			 SF_ARGS(sf_db_fmt_int(id, t->title_id), sf_db_fmt_int(s, t->season),
				 sf_db_fmt_int(n, t->number)));
	if (!rc)
		*yes = sf_db_bool(res, 0, "last");
	PQclear(res);
	return rc;
}

/* The duration of the playable's progress, when there is one: the player
 * need not repeat it with every write.  *duration stays -1 otherwise. */
static int stored_duration(struct sf_db *db, const char *profile, const char *title,
			   const char *episode, long long *duration)
{
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "SELECT duration_s FROM watch_progress WHERE profile_id = $1"
			 " AND title_id = $2 AND episode_id IS NOT DISTINCT FROM $3::bigint",
			 SF_ARGS(profile, title, episode));
	if (!rc && PQntuples(res) == 1)
		*duration = sf_db_int(res, 0, "duration_s");
	PQclear(res);
	return rc;
}

static int record_tx(struct sf_db *db, void *arg)
{
	struct record_ctx *c = arg;
	const struct sf_watch_write *w = c->w;
	struct sf_watch_target t = { 0 };
	char prof[SF_INT_STR_MAX], title[SF_INT_STR_MAX], ep[SF_INT_STR_MAX];
	char pos[SF_INT_STR_MAX], dur[SF_INT_STR_MAX], cred[SF_INT_STR_MAX];
	long long position = c->v->position, duration = c->v->duration;
	PGresult *res = NULL, *item = NULL;
	int rc, applied, duplicate, finished = 0;

	json_decref(*c->out);
	*c->out = NULL;
	if ((rc = sf_watch_target_profile(db, c->actor, w->profile, &t)) ||
	    (rc = sf_watch_target_title(db, c->actor, w->title, &t)) ||
	    (rc = sf_watch_target_episode(db, w->title, w->season, w->episode, 1, &t)) ||
	    (rc = sf_watch_target_may_watch(&t, w->profile, w->title)))
		return rc;
	if (t.account_deleted)
		return sf_error(SF_ECONFLICT, "profile '%s': its account is deleted; restore it "
				"first", sf_text_quote(w->profile));
	sf_db_fmt_int(prof, t.profile_id);
	sf_db_fmt_int(title, t.title_id);
	sf_db_fmt_int(ep, t.episode_id);
	if (duration < 0 && (rc = stored_duration(db, prof, title, t.episode_id ? ep : NULL,
						  &duration)))
		return rc;
	if (duration < 0 && !(duration = t.runtime_s))
		return sf_error(SF_EINVAL, "duration: unknown for title '%s'; give it",
				sf_text_quote(w->title));
	if (position < 0)       /* complete without a position: at the end */
		position = duration;
	if (position > duration)
		return sf_error(SF_EINVAL, "position '%lld': beyond the duration of %lld seconds",
				position, duration);
	if (c->v->credits > duration)
		return sf_error(SF_EINVAL, "credits '%lld': beyond the duration of %lld seconds",
				c->v->credits, duration);
	rc = sf_db_query(db, &res, "SELECT * FROM sf_watch_apply($1, $2, $3, $4, $5, $6, $7,"
			 " coalesce($8::timestamptz, now()))",
			 SF_ARGS(prof, title, t.episode_id ? ep : NULL, c->v->event,
				 sf_db_fmt_int(pos, position), sf_db_fmt_int(dur, duration),
				 c->v->credits >= 0 ? sf_db_fmt_int(cred, c->v->credits) : NULL,
				 c->v->at));
	if (rc)
		goto out;
	applied = sf_db_bool(res, 0, "applied");
	duplicate = sf_db_bool(res, 0, "duplicate");
	if (sf_db_bool(res, 0, "completes") && !(rc = finishes(db, &t, &finished)) && finished)
		rc = sf_db_query(db, NULL, "SELECT sf_list_title_finished($1::bigint, $2::bigint)",
				 SF_ARGS(prof, title));
	if (!rc)
		rc = sf_db_query(db, &item, "SELECT sf_watch_item($1, $2, $3)::text AS j",
				 SF_ARGS(prof, title, t.episode_id ? ep : NULL));
	if (rc)
		goto out;
	*c->out = json_loads(sf_db_str(item, 0, "j"), 0, NULL);
	if (!*c->out) {
		rc = sf_error(SF_EINTERNAL, "watch: the database sent bad JSON");
		goto out;
	}
	json_object_set_new(*c->out, "applied", json_boolean(applied));
	json_object_set_new(*c->out, "duplicate", json_boolean(duplicate));
	json_object_set_new(*c->out, "finished", json_boolean(finished));
out:
	PQclear(res);
	PQclear(item);
	return rc;
}

int sf_watch_record(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_watch_write *w, json_t **out)
{
	struct values v;
	struct record_ctx c = { actor, w, &v, out };
	int rc;

	*out = NULL;
	rc = check_values(w, &v);
	if (!rc && !w->profile)
		rc = sf_error(SF_EINVAL, "profile: missing; give an id or ACCOUNT/NAME");
	if (!rc && !w->title)
		rc = sf_error(SF_EINVAL, "title: missing; give an id or an external id");
	if (!rc && w->title)
		rc = sf_title_ref_check(w->title);
	if (!rc)
		rc = check_at(db, w->at);
	if (!rc)
		rc = sf_db_tx(db, 0, record_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- forget ---- */

struct forget_ctx {
	const struct sf_actor *actor;
	const struct sf_watch_query *q;
	json_t **out;
};

static int forget_tx(struct sf_db *db, void *arg)
{
	struct forget_ctx *c = arg;
	struct sf_watch_target t = { 0 };
	char prof[SF_INT_STR_MAX], title[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	json_decref(*c->out);
	*c->out = NULL;
	/* Any title the profile may have watched, whatever it is now. */
	rc = sf_watch_target_profile(db, c->actor, c->q->profile, &t);
	if (!rc)
		rc = sf_title_find(db, c->q->title, &t.title_id);
	if (!rc)
		rc = sf_db_query(db, &res,
			"WITH e AS (DELETE FROM watch_events WHERE profile_id = $1 AND title_id = $2"
			"           RETURNING 1),"
			"     p AS (DELETE FROM watch_progress WHERE profile_id = $1 AND title_id = $2"
			"           RETURNING 1)"
			" SELECT (SELECT count(*) FROM e) AS events, (SELECT count(*) FROM p) AS progress",
			SF_ARGS(sf_db_fmt_int(prof, t.profile_id), sf_db_fmt_int(title, t.title_id)));
	if (rc)
		return rc;
	*c->out = json_pack("{sIsIsIsI}", "profile_id", (json_int_t)t.profile_id,
			    "title_id", (json_int_t)t.title_id,
			    "events", (json_int_t)sf_db_int(res, 0, "events"),
			    "progress", (json_int_t)sf_db_int(res, 0, "progress"));
	PQclear(res);
	return 0;
}

int sf_watch_forget(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_watch_query *q, json_t **out)
{
	struct forget_ctx c = { actor, q, out };
	int rc = 0;

	*out = NULL;
	if (!q->profile)
		rc = sf_error(SF_EINVAL, "profile: missing; give an id or ACCOUNT/NAME");
	else if (!q->title)
		rc = sf_error(SF_EINVAL, "title: missing; give an id or an external id");
	if (!rc)
		rc = sf_db_tx(db, 0, forget_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
