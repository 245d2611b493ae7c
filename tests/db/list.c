/*
 * list.c - My List against a real PostgreSQL: adding (to the top, once),
 * showing (only what the profile sees: its maturity limit, the titles'
 * status, window and regions; --filter), removing, moving, reordering
 * (exactly a permutation), clearing, what finishing a title does under
 * each list_on_finish setting, who may touch whose list, cascades from
 * titles and purged accounts, and every refusal leaving the list as it
 * was.  Last, many connections add the same title at once: one item, the
 * rest conflicts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "crowd.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "list.h"
#include "profile.h"
#include "tap.h"
#include "testdb.h"

static struct sf_db *db;
static struct sf_actor os;

/* ---- helpers ---- */

/* The list section as "id,id,..." in order, as the profile sees it. */
static char *order(const char *profile)
{
	static char buf[512];
	json_t *l = NULL, *item;
	size_t i;

	buf[0] = '\0';
	if (sf_list_show(db, &os, profile, NULL, NULL, &l)) {
		snprintf(buf, sizeof(buf), "error: %s", sf_error_message());
		return buf;
	}
	json_array_foreach(json_object_get(l, "items"), i, item)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%lld", i ? "," : "",
			 (long long)json_integer_value(json_object_get(item, "title_id")));
	json_decref(l);
	return buf;
}

/* Every list row of every profile, with its rank and section. */
static char *state(void)
{
	return test_db_text(db, "SELECT coalesce(string_agg(format('%s/%s/%s/%s', profile_id,"
			    " title_id, rank, watched_at IS NOT NULL), ' ' ORDER BY profile_id,"
			    " title_id), '') AS s FROM list_items");
}

static int add(const char *profile, const char *ref)
{
	json_t *item = NULL;
	int rc = sf_list_add(db, &os, profile, ref, &item);

	json_decref(item);
	return rc;
}

static long long godfather, amelie, bluey, heat, draft, later, gone, french;

static void setup(void)
{
	test_add_account(db, "ann@example.com", "ann", NULL);
	test_add_profile(db, "ann", "Kids", 1);
	test_add_account(db, "bob@example.com", "bob", NULL);
	test_add_account(db, "uma@example.com", "uma", "user_manager");
	godfather = test_add_title(db, "Godfather", 5, NULL);
	amelie = test_add_title(db, "Amelie", 3, "title = 'Amélie'");
	bluey = test_add_title(db, "Bluey", 1, NULL);
	heat = test_add_title(db, "Heat", 5, NULL);
	draft = test_add_title(db, "Draft", 1, "status = 'draft'");
	later = test_add_title(db, "Later", 1, "available_from = now() + interval '1 day'");
	gone = test_add_title(db, "Gone", 1, "available_until = now() - interval '1 day',"
			      " available_from = now() - interval '2 days'");
	french = test_add_title(db, "Francais", 1, "regions = '{FR}'");
}

/* ---- add and show ---- */

static void adding(void)
{
	json_t *item = NULL, *l = NULL;
	char *before;

	is_int(sf_list_add(db, &os, "ann/ann", "x-Godfather", &item), 0,
	       "add: a title by its external id");
	is_int(json_integer_value(json_object_get(item, "position")), 1, "add: ...returns the item at position 1");
	is_str(json_string_value(json_object_get(item, "title")), "Godfather", "add: ...with its title");
	ok(json_is_null(json_object_get(item, "watched_at")), "add: ...not watched");
	json_decref(item);
	is_int(add("ann/ann", test_ref(amelie)), 0, "add: a second title by id");
	is_int(add("ann/ann", test_ref(bluey)), 0, "add: a third");
	is_str(order("ann/ann"), "3,2,1", "show: the most recently added first");

	before = state();
	is_int(add("ann/ann", test_ref(amelie)), SF_ECONFLICT, "add: a title already in the list conflicts");
	ok(test_error_has("title '2' is already in your list"),
	   "add: ...saying so (%s)", sf_error_message());
	is_int(add("ann/ann", "x-Amelie"), SF_ECONFLICT, "add: ...by another name of it too");
	is_int(add("ann/ann", "999999"), SF_ENOTFOUND, "add: an unknown title is not found");
	ok(test_error_has("title '999999': not found"),
	   "add: ...saying so (%s)", sf_error_message());
	is_int(add("ann/ann", test_ref(draft)), SF_ENOTFOUND, "add: a draft title is not found");
	is_int(add("ann/ann", test_ref(later)), SF_ENOTFOUND, "add: a title before its window is not found");
	is_int(add("ann/ann", test_ref(gone)), SF_ENOTFOUND, "add: a title after its window is not found");
	is_int(add("ann/kids", test_ref(godfather)), SF_ENOTFOUND,
	       "add: an R title is not found for a kids profile");
	ok(test_error_has("title '1': not found"),
	   "add: ...as if it did not exist (%s)", sf_error_message());
	is_int(add("ann/nobody", test_ref(bluey)), SF_ENOTFOUND, "add: an unknown profile is not found");
	is_int(add("nobody", test_ref(bluey)), SF_EINVAL, "add: a bad profile ref is invalid");
	is_int(add("ann/ann", ""), SF_EINVAL, "add: an empty title ref is invalid");
	{
		char *after = state();

		is_str(after, before, "add: ...none of which changes any list");
		free(after);
	}
	free(before);

	is_int(add("ann/kids", test_ref(bluey)), 0, "add: a kids profile adds a G title");
	is_int(add("ann/kids", test_ref(french)), 0, "add: a title of some regions");
	is_int(sf_list_show(db, &os, "ann/kids", NULL, NULL, &l), 0, "show: a kids profile's list");
	is_int((long long)json_array_size(json_object_get(l, "items")), 2, "show: ...both titles");
	is_str(json_string_value(json_object_get(l, "profile")), "Kids", "show: ...names the profile");
	ok(json_is_array(json_object_get(l, "watched")), "show: ...and has a watched section");
	json_decref(l);
	l = NULL;
	is_int(sf_list_show(db, &os, "ann/kids", "us", NULL, &l), 0, "show: from a region");
	is_int((long long)json_array_size(json_object_get(l, "items")), 1,
	       "show: ...leaves out a title not available there");
	json_decref(l);
	l = NULL;
	is_int(sf_list_show(db, &os, "ann/kids", "FR", NULL, &l), 0, "show: from its region");
	is_int((long long)json_array_size(json_object_get(l, "items")), 2, "show: ...shows it");
	json_decref(l);
	l = NULL;
	is_int(sf_list_show(db, &os, "ann/kids", "France", NULL, &l), SF_EINVAL,
	       "show: a region that is not a country code is invalid");
	ok(test_error_has("--region 'France'"), "show: ...naming it (%s)", sf_error_message());
}


/* Sets a profile's maturity limit (a rating name) or list_on_finish. */
static int set_profile(const char *profile, const char *maturity, const char *on_finish)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	int rc;

	c.maturity = maturity;
	c.list_on_finish = on_finish;
	rc = sf_profile_update(db, &os, profile, &c, &p);
	sf_profile_release(&p);
	return rc;
}

static void visibility(void)
{
	json_t *l = NULL, *item;

	is_int(add("ann/ann", test_ref(heat)), 0, "setup: a fourth title");
	is_str(order("ann/ann"), "4,3,2,1", "show: four titles, the latest first");
	set_profile("ann/ann", "PG", NULL);
	is_str(order("ann/ann"), "3,2", "show: a lowered maturity limit hides the titles above it");
	is_int(add("ann/ann", test_ref(godfather)), SF_ENOTFOUND,
	       "add: ...which are then not found, even when in the list");
	set_profile("ann/ann", "NC-17", NULL);
	is_str(order("ann/ann"), "4,3,2,1", "show: raised again, they are back in place");
	test_db_countf(db, "UPDATE titles SET available_until = now() - interval '1 hour',"
		       " available_from = now() - interval '1 day' WHERE id = %lld", amelie);
	is_str(order("ann/ann"), "4,3,1", "show: a title out of its window is left out");
	test_db_countf(db, "UPDATE titles SET status = 'archived', available_until = NULL,"
		       " available_from = NULL WHERE id = %lld", amelie);
	is_str(order("ann/ann"), "4,3,1", "show: ...and an archived title");
	test_db_countf(db, "UPDATE titles SET status = 'published' WHERE id = %lld", amelie);

	is_int(sf_list_show(db, &os, "ann/ann", NULL, "AMELIE", &l), 0, "show: --filter");
	is_int((long long)json_array_size(json_object_get(l, "items")), 1,
	       "show: ...finds one title, in any case and without accents");
	item = json_array_get(json_object_get(l, "items"), 0);
	is_str(json_string_value(json_object_get(item, "title")), "Amélie", "show: ...Amélie");
	is_int(json_integer_value(json_object_get(item, "position")), 3,
	       "show: ...at its position in the whole list");
	json_decref(l);
	l = NULL;
	is_int(sf_list_show(db, &os, "ann/ann", NULL, "%", &l), 0, "show: --filter '%%'");
	is_int((long long)json_array_size(json_object_get(l, "items")), 0,
	       "show: ...is a character, not a pattern");
	json_decref(l);
	l = NULL;
	is_int(sf_list_show(db, &os, "ann/ann", NULL, "", &l), SF_EINVAL,
	       "show: an empty --filter is invalid");
	ok(l == NULL, "show: ...and returns nothing");
}

/* ---- remove, move, reorder ---- */

static void removing(void)
{
	json_t *item = NULL;
	char *before, *after;

	is_int(sf_list_remove(db, &os, "ann/ann", "x-Bluey", &item), 0, "remove: a title");
	is_str(json_string_value(json_object_get(item, "title")), "Bluey",
	       "remove: ...returns the item as it was");
	json_decref(item);
	item = NULL;
	is_str(order("ann/ann"), "4,2,1", "remove: ...and it is gone from the list");
	before = state();
	is_int(sf_list_remove(db, &os, "ann/ann", "x-Bluey", &item), SF_ENOTFOUND,
	       "remove: a title not in the list is not found");
	ok(test_error_has("title 'x-Bluey' is not in your list"), "remove: ...saying so (%s)",
	   sf_error_message());
	ok(item == NULL, "remove: ...and returns nothing");
	is_int(sf_list_remove(db, &os, "ann/ann", "nope", &item), SF_ENOTFOUND,
	       "remove: an unknown title is not found");
	after = state();
	is_str(after, before, "remove: ...neither changes anything");
	free(before);
	free(after);
	add("ann/ann", test_ref(bluey));
}

static int move(const char *profile, const char *title, long long to)
{
	json_t *l = NULL;
	int rc = sf_list_move(db, &os, profile, title, to, &l);

	if (!rc && !json_is_array(json_object_get(l, "items")))
		rc = -100;
	json_decref(l);
	return rc;
}

static void moving(void)
{
	char *before, *after;

	is_str(order("ann/ann"), "3,4,2,1", "move: the list before");
	is_int(move("ann/ann", test_ref(godfather), 1), 0, "move: the last title to the top");
	is_str(order("ann/ann"), "1,3,4,2", "move: ...is first, the others keep their order");
	is_int(move("ann/ann", test_ref(godfather), 4), 0, "move: the first to the bottom");
	is_str(order("ann/ann"), "3,4,2,1", "move: ...is last");
	is_int(move("ann/ann", test_ref(heat), 3), 0, "move: one down the middle");
	is_str(order("ann/ann"), "3,2,4,1", "move: ...lands at position 3");
	is_int(move("ann/ann", test_ref(heat), 3), 0, "move: to where it is");
	is_str(order("ann/ann"), "3,2,4,1", "move: ...changes nothing");

	before = state();
	is_int(move("ann/ann", test_ref(heat), 5), SF_EINVAL, "move: past the end is invalid");
	ok(test_error_has("position '5': your list has 4 titles"), "move: ...saying so (%s)",
	   sf_error_message());
	is_int(move("ann/ann", test_ref(heat), 0), SF_EINVAL, "move: to position 0 is invalid");
	is_int(move("ann/ann", test_ref(french), 1), SF_ENOTFOUND,
	       "move: a title not in the list is not found");
	ok(test_error_has("is not in your list"), "move: ...saying so (%s)", sf_error_message());
	is_int(move("ann/ann", test_ref(draft), 1), SF_ENOTFOUND, "move: a draft title is not found");
	after = state();
	is_str(after, before, "move: ...none of which changes anything");
	free(before);
	free(after);

	/* Titles the profile does not see keep out of the way. */
	set_profile("ann/ann", "PG", NULL);
	is_str(order("ann/ann"), "3,2", "move: with a lower limit two titles show");
	is_int(move("ann/ann", test_ref(amelie), 1), 0, "move: among those it sees");
	is_str(order("ann/ann"), "2,3", "move: ...moves there");
	set_profile("ann/ann", "NC-17", NULL);
	is_str(order("ann/ann"), "2,3,4,1", "move: ...and the hidden titles come after, in order");
}

static int reorder(const char *profile, int n, ...)
{
	const char *refs[16];
	json_t *l = NULL;
	va_list ap;
	int rc;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		refs[i] = va_arg(ap, const char *);
	va_end(ap);
	rc = sf_list_reorder(db, &os, profile, refs, n, &l);
	json_decref(l);
	return rc;
}

static void reordering(void)
{
	char *before, *after;

	is_int(reorder("ann/ann", 4, "1", "2", "3", "4"), 0, "reorder: a permutation");
	is_str(order("ann/ann"), "1,2,3,4", "reorder: ...is the new order");
	is_int(reorder("ann/ann", 4, "x-Heat", "3", "x-Amelie", "1"), 0,
	       "reorder: by ids and external ids");
	is_str(order("ann/ann"), "4,3,2,1", "reorder: ...is the new order");

	before = state();
	is_int(reorder("ann/ann", 3, "4", "3", "2"), SF_EINVAL, "reorder: a title missing is invalid");
	ok(test_error_has("title '1' of your list is missing"),
	   "reorder: ...naming it (%s)", sf_error_message());
	is_int(reorder("ann/ann", 5, "4", "3", "2", "1", "8"), SF_EINVAL,
	       "reorder: a title not in the list is invalid");
	ok(test_error_has("title '8' is not in your list"),
	   "reorder: ...naming it (%s)", sf_error_message());
	is_int(reorder("ann/ann", 5, "4", "3", "2", "1", "1"), SF_EINVAL,
	       "reorder: a title given twice is invalid");
	ok(test_error_has("title '1' is given twice"),
	   "reorder: ...naming it (%s)", sf_error_message());
	is_int(reorder("ann/ann", 4, "4", "3", "x-Heat", "1"), SF_EINVAL,
	       "reorder: ...also under two names, with one missing");
	is_int(reorder("ann/ann", 4, "4", "3", "2", "999999"), SF_ENOTFOUND,
	       "reorder: an unknown title is not found");
	is_int(reorder("ann/ann", 4, "4", "3", "2", "5"), SF_ENOTFOUND,
	       "reorder: a draft title is not found");
	after = state();
	is_str(after, before, "reorder: ...none of which changes anything");
	free(before);
	free(after);

	set_profile("ann/ann", "PG", NULL);
	is_int(reorder("ann/ann", 2, "2", "3"), 0,
	       "reorder: the titles a profile sees are the whole permutation");
	is_int(reorder("ann/ann", 3, "2", "3", "1"), SF_ENOTFOUND,
	       "reorder: ...a title above its limit is not found");
	set_profile("ann/ann", "NC-17", NULL);
	is_str(order("ann/ann"), "2,3,4,1", "reorder: ...and hidden titles come after, in order");
}

/* ---- finishing a title ---- */

static void finish(long long profile, long long title_id)
{
	test_db_countf(db, "SELECT 1 FROM (SELECT sf_list_title_finished(%lld, %lld)) x", profile, title_id);
}

static void finishing(void)
{
	long long ann = test_db_countf(db, "SELECT id FROM profiles WHERE name = 'ann'");
	struct sf_profile p;
	json_t *l = NULL, *w;
	char *before, *after;

	ok(!sf_profile_get(db, "ann/ann", &p) && !strcmp(p.list_on_finish, "keep"),
	   "on finish: a profile keeps finished titles by default");
	w = sf_profile_json(&p);
	is_str(json_string_value(json_object_get(w, "list_on_finish")), "keep",
	       "on finish: ...as its JSON says");
	json_decref(w);
	sf_profile_release(&p);
	finish(ann, godfather);
	is_str(order("ann/ann"), "2,3,4,1", "keep: a finished title stays in the list");

	is_int(set_profile("ann/ann", NULL, "REMOVE"), 0, "on finish: set to remove (any case)");
	ok(!sf_profile_get(db, "ann/ann", &p) && !strcmp(p.list_on_finish, "remove"),
	   "on finish: ...stored as remove");
	sf_profile_release(&p);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'profile.set'"
			      " AND old->>'list_on_finish' = 'keep' AND new->>'list_on_finish' = 'remove'"),
	       1, "on finish: ...and audited as profile.set");
	finish(ann, godfather);
	is_str(order("ann/ann"), "2,3,4", "remove: a finished title leaves the list");
	finish(ann, godfather);
	is_str(order("ann/ann"), "2,3,4", "remove: finishing a title not in the list does nothing");

	set_profile("ann/ann", NULL, "watched");
	finish(ann, amelie);
	is_str(order("ann/ann"), "3,4", "watched: a finished title leaves the list");
	is_int(sf_list_show(db, &os, "ann/ann", NULL, NULL, &l), 0, "watched: show");
	w = json_object_get(l, "watched");
	ok(json_array_size(w) == 1 && json_integer_value(json_object_get(json_array_get(w, 0),
			"title_id")) == amelie, "watched: ...it is in the watched section");
	ok(json_is_null(json_object_get(json_array_get(w, 0), "position")) &&
	   json_is_string(json_object_get(json_array_get(w, 0), "watched_at")),
	   "watched: ...without a position, with when");
	json_decref(l);
	l = NULL;
	finish(ann, heat);
	is_int(sf_list_show(db, &os, "ann/ann", NULL, NULL, &l), 0, "watched: a second one");
	w = json_object_get(l, "watched");
	is_int((long long)json_array_size(w), 2, "watched: ...two in the section");
	json_decref(l);
	l = NULL;

	before = state();
	is_int(move("ann/ann", test_ref(amelie), 1), SF_ECONFLICT, "watched: moving a watched title conflicts");
	ok(test_error_has("is in your watched section"),
	   "watched: ...saying so (%s)", sf_error_message());
	is_int(reorder("ann/ann", 2, "3", "2"), SF_EINVAL,
	       "watched: a watched title in a reorder is invalid");
	is_int(add("ann/ann", test_ref(bluey)), SF_ECONFLICT,
	       "watched: adding a title in the list still conflicts");
	after = state();
	is_str(after, before, "watched: ...none of which changes anything");
	free(before);
	free(after);
	is_int(reorder("ann/ann", 1, "3"), 0, "watched: the list alone is the permutation");

	is_int(add("ann/ann", test_ref(amelie)), 0, "watched: adding a watched title again");
	is_str(order("ann/ann"), "2,3", "watched: ...brings it back to the top of the list");
	is_int(sf_list_show(db, &os, "ann/ann", NULL, NULL, &l), 0, "watched: show");
	is_int((long long)json_array_size(json_object_get(l, "watched")), 1,
	       "watched: ...and out of the watched section");
	json_decref(l);
	l = NULL;
	is_int(sf_list_remove(db, &os, "ann/ann", test_ref(heat), &l), 0,
	       "watched: a watched title can be removed");
	json_decref(l);

	is_int(set_profile("ann/ann", NULL, "sometimes"), SF_EINVAL,
	       "on finish: an unknown setting is invalid");
	ok(test_error_has("on finish 'sometimes': not one of keep, remove, watched"),
	   "on finish: ...naming it (%s)", sf_error_message());
}

/* ---- clear ---- */

static void clearing(void)
{
	long long kids = test_db_countf(db, "SELECT id FROM profiles WHERE name = 'Kids'"), n = -1;

	set_profile("ann/kids", NULL, "watched");
	finish(kids, bluey);
	test_db_countf(db, "INSERT INTO list_items (profile_id, title_id, rank)"
		       " VALUES (%lld, %lld, 0)",
		       kids, godfather);
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items"
			      " WHERE profile_id = %lld", kids), 3,
	       "clear: a list with a title, a watched one and one it cannot see");
	is_int(sf_list_clear(db, &os, "ann/kids", &n), 0, "clear: clears it");
	is_int(n, 3, "clear: ...removing all three");
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items"
			      " WHERE profile_id = %lld", kids), 0,
	       "clear: ...and the list is empty");
	ok(test_db_countf(db, "SELECT count(*)"
			  " FROM list_items") > 0, "clear: ...others' lists stay");
	is_int(sf_list_clear(db, &os, "ann/kids", &n), 0, "clear: an empty list");
	is_int(n, 0, "clear: ...removes nothing");
	is_int(sf_list_clear(db, &os, "ann/ghost", &n), SF_ENOTFOUND,
	       "clear: an unknown profile is not found");
}

/* ---- who may touch whose list ---- */

static void permissions(void)
{
	struct sf_actor ann, bob, uma;
	json_t *l = NULL;
	long long n;
	char *before, *after;

	sf_actor_account(db, "ann", &ann);
	sf_actor_account(db, "bob", &bob);
	sf_actor_account(db, "uma", &uma);
	is_int(sf_list_add(db, &ann, "ann/kids", test_ref(bluey), &l), 0, "own: an account adds to its profile's list");
	json_decref(l);
	l = NULL;
	is_int(sf_list_show(db, &ann, "ann/kids", NULL, NULL, &l), 0, "own: ...and shows it");
	json_decref(l);
	l = NULL;

	before = state();
	is_int(sf_list_show(db, &bob, "ann/kids", NULL, NULL, &l), SF_EFORBIDDEN,
	       "other: another viewer may not see the list");
	ok(test_error_has("account 'bob@example.com' (viewer) may not manage accounts"),
	   "other: ...saying so (%s)", sf_error_message());
	is_int(sf_list_add(db, &bob, "ann/kids", test_ref(french), &l), SF_EFORBIDDEN,
	       "other: ...nor add to it");
	is_int(sf_list_remove(db, &bob, "ann/kids", test_ref(bluey), &l), SF_EFORBIDDEN,
	       "other: ...nor remove from it");
	is_int(sf_list_clear(db, &bob, "ann/kids", &n), SF_EFORBIDDEN, "other: ...nor clear it");
	after = state();
	is_str(after, before, "other: ...and nothing changes");
	free(before);
	free(after);
	is_int(sf_list_add(db, &uma, "ann/kids", test_ref(french), &l), 0,
	       "manager: a user_manager may change another account's list");
	json_decref(l);
	l = NULL;
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'list.%%'"), 0,
	       "audit: list changes are a viewer's own and not audited");

	add("bob/bob", test_ref(bluey));
	sf_account_delete(db, &os, "bob", NULL);
	is_int(add("bob/bob", test_ref(amelie)), SF_ECONFLICT,
	       "deleted: a deleted account's list cannot change");
	ok(test_error_has("restore it first"), "deleted: ...saying so (%s)", sf_error_message());
	is_int(sf_account_purge(db, &os, "bob", NULL), 0, "purge: purging the account");
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items l WHERE NOT EXISTS"
			      " (SELECT 1 FROM profiles p WHERE p.id = l.profile_id)"), 0,
	       "purge: ...removes its list");

	is_int(test_db_countf(db, "SELECT count(*) FROM list_items"
			      " WHERE title_id = %lld", bluey) > 0, 1,
	       "title delete: a title in lists");
	test_db_countf(db, "DELETE FROM titles WHERE id = %lld", bluey);
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items"
			      " WHERE title_id = %lld", bluey), 0,
	       "title delete: ...deleted, leaves no list entry behind");
	sf_actor_release(&ann);
	sf_actor_release(&bob);
	sf_actor_release(&uma);
}

/* ---- concurrency ---- */

#define THREADS 12

/* Crowd member i adds titles[i] to the list of crowd/crowd. */
static int add_title(struct sf_db *conn, int i, void *arg)
{
	char (*titles)[24] = arg;
	json_t *item = NULL;
	int rc = sf_list_add(conn, &os, "crowd/crowd", titles[i], &item);

	json_decref(item);
	return rc;
}

static void concurrency(void)
{
	struct test_crowd_member did[THREADS];
	char titles[THREADS][24];
	long long crowd;
	int good, conflicts, said = 0;

	test_add_account(db, "crowd@example.com", "crowd", NULL);
	crowd = test_db_countf(db, "SELECT id FROM profiles WHERE name = 'crowd'");
	for (int i = 0; i < THREADS; i++)
		snprintf(titles[i], sizeof(titles[i]), "%lld", amelie);
	good = test_crowd(THREADS, add_title, titles, did, &conflicts);
	for (int i = 0; i < THREADS; i++)
		said += strstr(did[i].message, "already in your list") != NULL;
	is_int(test_db_countf(db, "SELECT count(*) FROM list_items"
			      " WHERE profile_id = %lld", crowd), 1,
	       "concurrency: %d connections adding one title at once make one item", THREADS);
	is_int(good, 1, "concurrency: ...one add succeeds");
	is_int(conflicts, THREADS - 1, "concurrency: ...the other %d conflict", THREADS - 1);
	is_int(said, THREADS - 1, "concurrency: ...saying it is already in the list");

	for (int i = 0; i < THREADS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "Crowd%d", i);
		snprintf(titles[i], sizeof(titles[i]), "%lld", test_add_title(db, name, 1, NULL));
	}
	good = test_crowd(THREADS, add_title, titles, NULL, &conflicts);
	is_int(good, THREADS, "concurrency: %d different titles added at once all succeed",
	       THREADS);
	is_int(test_db_countf(db, "SELECT count(DISTINCT rank) FROM list_items"
			      " WHERE profile_id = %lld", crowd),
	       THREADS + 1, "concurrency: ...each at a rank of its own");
}

int main(void)
{
	db = test_db_open("list");
	sf_actor_os(&os);

	setup();
	adding();
	visibility();
	removing();
	moving();
	reordering();
	finishing();
	clearing();
	permissions();
	concurrency();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
