/*
 * audit.c - reading the audit log against a real PostgreSQL: the entries
 * that account and profile changes write, filtered by actor (any case),
 * by entity (TYPE or TYPE:ID), by time (an absolute date or an age such
 * as 2h), limited in number, always newest first; and filter values that
 * make no sense rejected as invalid with the value named, before any
 * query runs.  Entry times are moved into the past with plain SQL so the
 * time filters have something to tell apart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "profile.h"
#include "tap.h"
#include "testdb.h"

#define PW TEST_PASSWORD

static struct sf_db *db;
static struct sf_actor os;

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (sf_db_exec(db, buf)) {
		printf("Bail out! %s: %s\n", buf, sf_error_message());
		exit(1);
	}
}

/* The entries a filter lists, as "action@entity_type:entity_id" joined by
 * commas in the order returned; "ERROR" if listing failed. */
static const char *list(const char *actor, const char *entity, const char *since,
			long long limit)
{
	static char buf[4096];
	struct sf_audit_filter f = { actor, entity, since, limit };
	json_t *arr = NULL, *o;
	size_t i;

	buf[0] = '\0';
	if (sf_audit_list(db, &f, &arr)) {
		snprintf(buf, sizeof(buf), "ERROR: %s", sf_error_message());
		return buf;
	}
	json_array_foreach(arr, i, o) {
		size_t n = strlen(buf);

		snprintf(buf + n, sizeof(buf) - n, "%s%s@%s:%s", i ? "," : "",
			 json_string_value(json_object_get(o, "action")),
			 json_string_value(json_object_get(o, "entity_type")),
			 json_string_value(json_object_get(o, "entity_id")));
	}
	json_decref(arr);
	return buf;
}

static size_t list_size(const char *entity, long long limit)
{
	struct sf_audit_filter f = { NULL, entity, NULL, limit };
	json_t *arr = NULL;
	size_t n = (size_t)-1;

	if (!sf_audit_list(db, &f, &arr))
		n = json_array_size(arr);
	json_decref(arr);
	return n;
}

/*
 * The log this file reads, oldest first:
 *	user.add      account:V   os        2020-01-01 (moved)
 *	user.add      account:M   os        3 hours ago (moved)
 *	user.add      account:N   um@...    now
 *	profile.add   profile:P   os        now
 *	user.suspend  account:V   um@...    now
 */
static char V[32], M[32], N[32], P[32];

static void setup(void)
{
	struct sf_account_new viewer = { "viewer@example.com", "viewer", PW, NULL };
	struct sf_account_new um = { "UM@example.com", "um", PW, "user_manager" };
	struct sf_account_new newbie = { "newbie@example.com", "newbie", PW, NULL };
	struct sf_profile_change pc = SF_PROFILE_CHANGE_INIT;
	struct sf_actor manager;
	struct sf_account a;
	struct sf_profile p;

	pc.name = "Den";
	if (sf_account_add(db, &os, &viewer, &a)) {
		printf("Bail out! %s\n", sf_error_message());
		exit(1);
	}
	snprintf(V, sizeof(V), "%lld", a.id);
	sf_account_release(&a);
	sf_account_add(db, &os, &um, &a);
	snprintf(M, sizeof(M), "%lld", a.id);
	sf_account_release(&a);
	sf_actor_account(db, "um", &manager);
	sf_account_add(db, &manager, &newbie, &a);
	snprintf(N, sizeof(N), "%lld", a.id);
	sf_account_release(&a);
	sf_profile_add(db, &os, "viewer", &pc, &p);
	snprintf(P, sizeof(P), "%lld", p.id);
	sf_profile_release(&p);
	sf_account_set_suspended(db, &manager, "viewer", 1, NULL);
	sf_actor_release(&manager);

	sql("UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE action = 'user.add'"
	    " AND entity_id = '%s'", V);
	sql("UPDATE audit_log SET at = now() - interval '3 hours' WHERE action = 'user.add'"
	    " AND entity_id = '%s'", M);
}

static void everything_newest_first(void)
{
	char want[512];
	struct sf_audit_filter f = { 0 };
	json_t *arr = NULL, *o;
	long long prev = 0;
	int descending = 1;
	size_t i;

	snprintf(want, sizeof(want), "user.suspend@account:%s,profile.add@profile:%s,"
		 "user.add@account:%s,user.add@account:%s,user.add@account:%s", V, P, N, M, V);
	is_str(list(NULL, NULL, NULL, 0), want, "list: with no filter, every entry, newest first");

	is_int(sf_audit_list(db, &f, &arr), 0, "list: succeeds");
	json_array_foreach(arr, i, o) {
		long long id = json_integer_value(json_object_get(o, "id"));

		descending &= i == 0 || id < prev;
		prev = id;
	}
	ok(descending, "list: ids strictly decrease");
	o = json_array_get(arr, 0);
	ok(json_is_integer(json_object_get(o, "id")) && json_is_string(json_object_get(o, "at")) &&
	   json_is_string(json_object_get(o, "actor")) && json_is_string(json_object_get(o, "action")) &&
	   json_is_string(json_object_get(o, "entity_type")) &&
	   json_is_string(json_object_get(o, "entity_id")) && json_object_size(o) == 8,
	   "list: an entry is {id, at, actor, action, entity_type, entity_id, old, new}");
	is_str(json_string_value(json_object_get(o, "actor")), "UM@example.com",
	       "list: the actor is the account's email as stored");
	is_str(json_string_value(json_object_get(json_object_get(o, "old"), "status")), "active",
	       "list: old is the object before, as JSON");
	is_str(json_string_value(json_object_get(json_object_get(o, "new"), "status")), "suspended",
	       "list: new is the object after, as JSON");
	o = json_array_get(arr, 4);
	ok(json_is_null(json_object_get(o, "old")), "list: an add has a null old");
	is_str(json_string_value(json_object_get(o, "at")), "2020-01-01T00:00:00Z",
	       "list: at is ISO 8601 UTC");
	json_decref(arr);
}

static void by_actor(void)
{
	char want[256], upper[64];

	snprintf(want, sizeof(want), "user.suspend@account:%s,user.add@account:%s", V, N);
	is_str(list("um@example.com", NULL, NULL, 0), want, "actor: an account's entries, by email");
	is_str(list("Um@EXAMPLE.com", NULL, NULL, 0), want, "actor: ...in any case");
	snprintf(upper, sizeof(upper), "%s", os.name);
	for (char *c = upper; *c; c++)
		*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	snprintf(want, sizeof(want), "profile.add@profile:%s,user.add@account:%s,"
		 "user.add@account:%s", P, M, V);
	is_str(list(upper, NULL, NULL, 0), want, "actor: an OS user's entries, in any case (%s)", upper);
	is_str(list("ghost@example.com", NULL, NULL, 0), "", "actor: an unknown actor has no entries");
}

static void by_entity(void)
{
	char want[256], ent[64];

	snprintf(want, sizeof(want), "user.suspend@account:%s,user.add@account:%s,"
		 "user.add@account:%s,user.add@account:%s", V, N, M, V);
	is_str(list(NULL, "account", NULL, 0), want, "entity: TYPE lists that type only");
	snprintf(want, sizeof(want), "profile.add@profile:%s", P);
	is_str(list(NULL, "profile", NULL, 0), want, "entity: ...another type");
	snprintf(ent, sizeof(ent), "account:%s", V);
	snprintf(want, sizeof(want), "user.suspend@account:%s,user.add@account:%s", V, V);
	is_str(list(NULL, ent, NULL, 0), want, "entity: TYPE:ID lists that one object's history");
	is_str(list(NULL, "account:999999", NULL, 0), "", "entity: an unknown id has no entries");
	is_str(list(NULL, "title", NULL, 0), "", "entity: a type with no entries has none");
	snprintf(want, sizeof(want), "user.suspend@account:%s", V);
	is_str(list("UM@example.com", ent, NULL, 0), want, "entity: combines with actor");
}

static void by_time(void)
{
	char want[512];

	snprintf(want, sizeof(want), "user.suspend@account:%s,profile.add@profile:%s,"
		 "user.add@account:%s", V, P, N);
	is_str(list(NULL, NULL, "2h", 0), want, "since: 2h leaves out older entries");
	is_str(list(NULL, NULL, "90m", 0), want, "since: 90m likewise");
	is_str(list(NULL, NULL, "7200s", 0), want, "since: 7200s likewise");
	snprintf(want, sizeof(want), "user.suspend@account:%s,profile.add@profile:%s,"
		 "user.add@account:%s,user.add@account:%s", V, P, N, M);
	is_str(list(NULL, NULL, "4h", 0), want, "since: 4h takes in the entry from 3 hours ago");
	is_str(list(NULL, NULL, "7d", 0), want, "since: 7d ...but not the one from 2020");
	is_str(list(NULL, NULL, "2w", 0), want, "since: 2w likewise");
	is_str(list(NULL, NULL, "2020-01-02", 0), want, "since: an absolute date (2020-01-02)");
	is_str(list(NULL, NULL, "2020-01-01T00:00:01Z", 0), want,
	       "since: an absolute time is inclusive to the second (00:00:01Z)");
	snprintf(want, sizeof(want), "user.suspend@account:%s,profile.add@profile:%s,"
		 "user.add@account:%s,user.add@account:%s,user.add@account:%s", V, P, N, M, V);
	is_str(list(NULL, NULL, "2020-01-01T00:00:00Z", 0), want, "since: ...(00:00:00Z)");
	is_str(list(NULL, NULL, "2019-12-31 10:00", 0), want,
	       "since: a space may stand for T, seconds may be left out");
	snprintf(want, sizeof(want), "profile.add@profile:%s,user.add@account:%s", P, M);
	is_str(list(os.name, NULL, "4h", 0), want, "since: combines with actor");
	is_str(list(NULL, "account", "2999-01-01", 0), "", "since: a future date lists nothing");
}

static void limits(void)
{
	char want[256];

	snprintf(want, sizeof(want), "user.suspend@account:%s", V);
	is_str(list(NULL, NULL, NULL, 1), want, "limit: 1 gives the newest entry");
	snprintf(want, sizeof(want), "user.suspend@account:%s,profile.add@profile:%s", V, P);
	is_str(list(NULL, NULL, NULL, 2), want, "limit: 2 the newest two");
	snprintf(want, sizeof(want), "%s", list(NULL, "account", NULL, 0));
	is_str(list(NULL, "account", NULL, 100000), want, "limit: 100000 is allowed");

	sql("INSERT INTO audit_log (actor, action, entity_type, entity_id)"
	    " SELECT 'os:bulk', 'bulk.test', 'bulk', g::text FROM generate_series(1, 60) g");
	is_int((long long)list_size("bulk", 0), 50, "limit: 0 means the default, 50");
	is_int((long long)list_size("bulk", 100), 60, "limit: a larger limit shows all 60");
	ok(!strncmp(list(NULL, "bulk", NULL, 1), "bulk.test@bulk:60", 17),
	   "limit: ...the newest first (%s)", list(NULL, "bulk", NULL, 1));
}

static void bad_filters(void)
{
	static const struct {
		const char *actor, *entity, *since;
		long long limit;
		const char *what, *names;
	} bad[] = {
		{ NULL, NULL, "yesterday", 0, "since 'yesterday'", "--since 'yesterday'" },
		{ NULL, NULL, "", 0, "an empty since", "--since ''" },
		{ NULL, NULL, "2h30m", 0, "since '2h30m'", "'2h30m'" },
		{ NULL, NULL, "-2h", 0, "a negative age", "'-2h'" },
		{ NULL, NULL, "2y", 0, "an age in years", "'2y'" },
		{ NULL, NULL, "1234567d", 0, "an age of 7 digits", "'1234567d'" },
		{ NULL, NULL, "2026-11-01T10", 0, "a date with an hour only", "'2026-11-01T10'" },
		{ NULL, NULL, "2026-11-01T10:00:00+02", 0, "a time with an offset",
		  "'2026-11-01T10:00:00+02'" },
		{ NULL, NULL, "26-11-01", 0, "a two-digit year", "'26-11-01'" },
		{ NULL, NULL, "2026-02-30", 0, "a date that does not exist", "'2026-02-30'" },
		{ NULL, ":5", NULL, 0, "entity ':5'", "--entity ':5'" },
		{ NULL, "account:x", NULL, 0, "entity 'account:x'", "--entity 'account:x'" },
		{ NULL, "account:", NULL, 0, "entity 'account:'", "'account:'" },
		{ NULL, "account:-1", NULL, 0, "entity 'account:-1'", "'account:-1'" },
		{ NULL, "", NULL, 0, "an empty entity", "--entity ''" },
		{ NULL, NULL, NULL, -1, "limit -1", "'-1'" },
		{ NULL, NULL, NULL, 100001, "limit 100001", "'100001'" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sf_audit_filter f = { bad[i].actor, bad[i].entity, bad[i].since, bad[i].limit };
		json_t *arr = (json_t *)&f;  /* not NULL: the call must reset it */

		is_int(sf_audit_list(db, &f, &arr), SF_EINVAL, "bad filter: %s is invalid", bad[i].what);
		ok(test_error_has(bad[i].names) && arr == NULL, "bad filter: ...naming it, listing nothing (%s)",
		   sf_error_message());
	}
	{
		struct sf_audit_filter f = { NULL, "account:x", NULL, 0 };

		is_int(sf_audit_filter_check(&f), SF_EINVAL,
		       "bad filter: the check alone rejects it too, without a database");
		f.entity = "account:7";
		f.since = "2h";
		f.limit = 10;
		is_int(sf_audit_filter_check(&f), 0, "bad filter: ...and passes good values");
	}
	{
		/* An age so large that now() minus it is before 4713 BC. */
		struct sf_audit_filter f = { NULL, NULL, "999999w", 0 };
		json_t *arr = NULL;
		int rc = sf_audit_list(db, &f, &arr);

		is_int(rc, SF_EINVAL, "bad filter: an age beyond the calendar is invalid (%s)",
		       sf_error_message());
		json_decref(arr);
	}
}

int main(void)
{
	db = test_db_open("audit");
	sf_actor_os(&os);

	setup();
	everything_newest_first();
	by_actor();
	by_entity();
	by_time();
	limits();
	bad_filters();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
