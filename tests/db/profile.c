/*
 * profile.c - profiles against a real PostgreSQL: adding with defaults and
 * options, finding by id or ACCOUNT/NAME, the limits (five per account,
 * unique names in any case, kids capped at PG), changing, deleting (never
 * the last one), PINs, who may touch whose profiles, and the audit entry
 * of every change.  Last, profiles are added to one account from many
 * connections at once: the limit of five must hold under concurrency, and
 * deleting concurrently must never leave an account without a profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "crowd.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "profile.h"
#include "tap.h"
#include "testdb.h"

static struct sf_db *db;
static struct sf_actor os;

/* ---- helpers ---- */

static long long rows(void)
{
	return test_db_countf(db, "SELECT count(*) FROM profiles") * 1000000 +
	       test_db_countf(db, "SELECT count(*) FROM audit_log");
}

/* Adds a profile with only a name, as the operating-system user. */
static int add(const char *account, const char *name, struct sf_profile *out)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile scratch;
	int rc;

	c.name = name;
	rc = sf_profile_add(db, &os, account, &c, out ? out : &scratch);
	if (!out)
		sf_profile_release(&scratch);
	return rc;
}

/* ---- add ---- */

static void add_defaults(void)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	long long acct = test_add_account(db, "ann@example.com", "ann", NULL);

	c.name = "Ann's Films";
	is_int(sf_profile_add(db, &os, "ann", &c, &p), 0, "add: a profile with only a name");
	ok(p.id > 0 && p.account_id == acct, "add: ...belongs to the account");
	is_str(p.name, "Ann's Films", "add: ...keeps its name as typed");
	is_int(p.maturity, 6, "add: ...defaults to maturity 6 (NC-17)");
	ok(!p.kids, "add: ...is not a kids profile");
	is_str(p.language, "en", "add: ...defaults to language en");
	ok(!p.has_pin, "add: ...has no PIN");
	ok(p.created_at && p.updated_at, "add: ...has timestamps");
	sf_profile_release(&p);

	c.name = "Little Ones";
	c.kids = 1;
	is_int(sf_profile_add(db, &os, "ann", &c, &p), 0, "add: a kids profile");
	ok(p.kids, "add: ...is a kids profile");
	is_int(p.maturity, 3, "add: ...defaults to maturity 3 (PG)");
	sf_profile_release(&p);
}

static void add_options(void)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	json_t *j;
	int match = -1;

	test_add_account(db, "bob@example.com", "bob", NULL);
	c.name = "Teen";
	c.maturity = "tv-14";
	c.language = "pt-br";
	c.pin = "0420";
	is_int(sf_profile_add(db, &os, "bob", &c, &p), 0, "add: with maturity, language and PIN");
	is_int(p.maturity, 4, "add: maturity by a TV rating name (tv-14 is level 4)");
	is_str(p.language, "pt-BR", "add: the language is normalized (pt-br -> pt-BR)");
	ok(p.has_pin, "add: the profile has a PIN");
	j = sf_profile_json(&p);
	is_str(json_string_value(json_object_get(j, "maturity")), "PG-13",
	       "add: the JSON shows the maturity label");
	ok(!json_object_get(j, "pin_hash") && !json_object_get(j, "pin"),
	   "add: the JSON never holds the PIN or its hash");
	json_decref(j);
	is_int(test_db_countf(db, "SELECT count(*) FROM profiles WHERE id = %lld"
			      " AND pin_hash LIKE '$argon2id$%%'", p.id), 1,
	       "add: the PIN is stored as an argon2id hash");
	is_int(test_db_countf(db, "SELECT count(*) FROM profiles"
			      " WHERE pin_hash LIKE '%%0420%%'"), 0,
	       "add: ...and never in clear");
	ok(!sf_profile_check_pin(db, "bob/Teen", "0420", &match) && match == 1,
	   "PIN: the right PIN matches");
	ok(!sf_profile_check_pin(db, "bob/Teen", "0421", &match) && match == 0,
	   "PIN: a wrong PIN does not");
	ok(!sf_profile_check_pin(db, "bob/bob", "1234", &match) && match == 1,
	   "PIN: a profile without a PIN lets any PIN through");
	is_int(sf_profile_check_pin(db, "bob/Nobody", "1234", &match), SF_ENOTFOUND,
	       "PIN: an unknown profile is not found");
	sf_profile_release(&p);

	memset(&c, 0, sizeof(c));
	c.kids = -1;
	c.name = "Film";
	c.maturity = "R";
	ok(!sf_profile_add(db, &os, "bob", &c, &p) && p.maturity == 5,
	   "add: maturity by a film rating name (R is level 5)");
	sf_profile_release(&p);
}

static void add_rejects(void)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	long long before;
	char long51[52];

	memset(long51, 'x', 51);
	long51[51] = '\0';
	test_add_account(db, "cat@example.com", "cat", NULL);
	before = rows();

	c.name = "CAT";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_ECONFLICT,
	       "add: a name taken on the account in another case conflicts");
	ok(test_error_has("profile 'CAT' already exists"),
	   "add: ...saying so (%s)", sf_error_message());
	ok(p.id == 0 && p.name == NULL, "add: ...and returns no profile");
	c.name = "a/b";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL, "add: a name with '/' is invalid");
	ok(test_error_has("must not contain '/'"), "add: ...saying so (%s)", sf_error_message());
	c.name = long51;
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL,
	       "add: a name over 50 characters is invalid");
	c.name = "";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL, "add: an empty name is invalid");
	c.name = NULL;
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL, "add: no name is invalid");
	c.name = "Kid";
	c.kids = 1;
	c.maturity = "PG-13";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL,
	       "add: a kids profile above PG is invalid");
	ok(test_error_has("above PG"), "add: ...saying so (%s)", sf_error_message());
	c.kids = -1;
	c.maturity = "X";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL, "add: an unknown rating is invalid");
	c.maturity = NULL;
	c.language = "english";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL, "add: a bad language is invalid");
	c.language = NULL;
	c.pin = "12a4";
	is_int(sf_profile_add(db, &os, "cat", &c, &p), SF_EINVAL, "add: a bad PIN is invalid");
	c.pin = NULL;
	is_int(sf_profile_add(db, &os, "nobody", &c, &p), SF_ENOTFOUND,
	       "add: to an unknown account is not found");
	is_int(rows(), before, "add: ...none of which writes a profile or an audit row");

	for (int i = 2; i <= 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "P%d", i);
		if (add("cat", name, NULL))
			diag("adding %s: %s", name, sf_error_message());
	}
	is_int(test_db_countf(db, "SELECT count(*) FROM profiles p"
			      " JOIN accounts a ON a.id = p.account_id"
			      " WHERE a.username = 'cat'"), 5, "add: an account can have five profiles");
	before = rows();
	is_int(add("cat", "P6", NULL), SF_ECONFLICT, "add: the sixth profile conflicts");
	ok(test_error_has("already has 5 profiles"), "add: ...saying so (%s)", sf_error_message());
	is_int(rows(), before, "add: ...and writes nothing");

	test_add_account(db, "gone@example.com", "gone", NULL);
	sf_account_delete(db, &os, "gone", NULL);
	is_int(add("gone", "Late", NULL), SF_ECONFLICT, "add: to a deleted account conflicts");
}

/* ---- refs ---- */

static void refs(void)
{
	struct sf_profile p;
	char ref[64];
	long long acct = test_add_account(db, "Dora@Example.com", "Dora", NULL);
	long long id;
	const char *forms[] = { "Dora/Kitchen", "dora/KITCHEN", "dora@example.com/kitchen",
				"DORA@EXAMPLE.COM/Kitchen", NULL, NULL };

	add("dora", "Kitchen", &p);
	id = p.id;
	sf_profile_release(&p);
	snprintf(ref, sizeof(ref), "%lld", id);
	ok(!sf_profile_get(db, ref, &p) && p.id == id, "ref: by id");
	sf_profile_release(&p);
	snprintf(ref, sizeof(ref), "%lld/kitchen", acct);
	forms[4] = ref;
	for (int i = 0; forms[i]; i++) {
		p.id = 0;
		ok(!sf_profile_get(db, forms[i], &p) && p.id == id, "ref: by '%s'", forms[i]);
		sf_profile_release(&p);
	}
	is_int(sf_profile_get(db, "dora/Bathroom", &p), SF_ENOTFOUND, "ref: an unknown name is not found");
	ok(test_error_has("profile 'dora/Bathroom': not found"),
	   "ref: ...saying so (%s)", sf_error_message());
	is_int(sf_profile_get(db, "nobody/Kitchen", &p), SF_ENOTFOUND,
	       "ref: an unknown account is not found");
	is_int(sf_profile_get(db, "99999999", &p), SF_ENOTFOUND, "ref: an unknown id is not found");
	is_int(sf_profile_get(db, "Kitchen", &p), SF_EINVAL, "ref: a bare name is invalid");
	ok(test_error_has("give an id or ACCOUNT/NAME"),
	   "ref: ...saying what to give (%s)", sf_error_message());
	is_int(sf_profile_get(db, "dora/", &p), SF_EINVAL, "ref: an empty name is invalid");
	is_int(sf_profile_get(db, "/Kitchen", &p), SF_EINVAL, "ref: an empty account is invalid");
	is_int(sf_profile_get(db, "dora/K\xff", &p), SF_EINVAL, "ref: non-UTF-8 is invalid");
}

/* ---- list ---- */

static void list(void)
{
	json_t *arr = NULL;

	test_add_account(db, "eve@example.com", "eve", NULL);
	add("eve", "Second", NULL);
	is_int(sf_profile_list(db, &os, "eve", &arr), 0, "list: an account's profiles");
	is_int((long long)json_array_size(arr), 2, "list: ...all of them");
	is_str(json_string_value(json_object_get(json_array_get(arr, 0), "name")), "eve",
	       "list: ...by id, the first profile first");
	ok(!json_object_get(json_array_get(arr, 0), "pin_hash"), "list: ...without PIN hashes");
	json_decref(arr);
	arr = NULL;
	is_int(sf_profile_list(db, &os, "nobody", &arr), SF_ENOTFOUND,
	       "list: an unknown account is not found");
	ok(arr == NULL, "list: ...and returns nothing");
}

/* ---- set ---- */

static void set(void)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	long long before;
	int match = -1;

	test_add_account(db, "fay@example.com", "fay", NULL);
	add("fay", "Other", NULL);
	c.name = "Fay Jr";
	is_int(sf_profile_update(db, &os, "fay/fay", &c, &p), 0, "set: a profile can be renamed");
	is_str(p.name, "Fay Jr", "set: ...to the new name");
	is_int(p.maturity, 6, "set: ...leaving the rest as it was");
	sf_profile_release(&p);
	ok(!sf_profile_get(db, "fay/fay jr", &p), "set: ...and is found by the new name");
	sf_profile_release(&p);
	c.name = "fay jr";
	is_int(sf_profile_update(db, &os, "fay/Fay Jr", &c, &p), 0,
	       "set: a profile may change the case of its own name");
	sf_profile_release(&p);

	c = (struct sf_profile_change)SF_PROFILE_CHANGE_INIT;
	c.kids = 1;
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), 0, "set: kids can be turned on");
	ok(p.kids, "set: ...and the profile is a kids profile");
	is_int(p.maturity, 3, "set: ...its maturity lowered to PG");
	sf_profile_release(&p);
	c.kids = -1;
	c.maturity = "R";
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), SF_EINVAL,
	       "set: a kids profile cannot be raised above PG");
	c.kids = 1;
	c.maturity = "G";
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), 0,
	       "set: kids with an explicit lower maturity keeps it");
	is_int(p.maturity, 1, "set: ...(G)");
	sf_profile_release(&p);
	c.kids = 0;
	c.maturity = NULL;
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), 0, "set: kids can be turned off");
	ok(!p.kids && p.maturity == 1, "set: ...which does not raise the maturity");
	sf_profile_release(&p);

	c = (struct sf_profile_change)SF_PROFILE_CHANGE_INIT;
	c.pin = "1111";
	c.language = "FR";
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), 0, "set: a PIN and language can be set");
	ok(p.has_pin, "set: ...the profile has a PIN");
	is_str(p.language, "fr", "set: ...and language fr");
	sf_profile_release(&p);
	ok(!sf_profile_check_pin(db, "fay/fay jr", "1111", &match) && match == 1,
	   "set: ...which matches");
	c = (struct sf_profile_change)SF_PROFILE_CHANGE_INIT;
	c.clear_pin = 1;
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), 0, "set: a PIN can be cleared");
	ok(!p.has_pin, "set: ...and the profile has none");
	sf_profile_release(&p);
	is_int(test_db_countf(db, "SELECT count(*) FROM profiles WHERE name = 'fay jr'"
			      " AND pin_hash IS NULL"), 1,
	       "set: ...its hash is gone from the database");
	ok(!sf_profile_check_pin(db, "fay/fay jr", "9999", &match) && match == 1,
	   "set: ...and any PIN passes");

	before = rows();
	c = (struct sf_profile_change)SF_PROFILE_CHANGE_INIT;
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), SF_EINVAL,
	       "set: nothing to change is invalid");
	ok(test_error_has("nothing to change"), "set: ...saying so (%s)", sf_error_message());
	c.name = "OTHER";
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), SF_ECONFLICT,
	       "set: renaming to another profile's name (any case) conflicts");
	ok(test_error_has("profile 'OTHER' already exists"),
	   "set: ...saying so (%s)", sf_error_message());
	c.name = "x/y";
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), SF_EINVAL,
	       "set: a name with '/' is invalid");
	c.name = NULL;
	c.pin = "1234";
	c.clear_pin = 1;
	is_int(sf_profile_update(db, &os, "fay/fay jr", &c, &p), SF_EINVAL,
	       "set: setting and clearing a PIN at once is invalid");
	c = (struct sf_profile_change)SF_PROFILE_CHANGE_INIT;
	c.name = "New";
	is_int(sf_profile_update(db, &os, "fay/nobody", &c, &p), SF_ENOTFOUND,
	       "set: an unknown profile is not found");
	is_int(rows(), before, "set: ...none of which writes anything");
}

/* ---- delete ---- */

static void delete(void)
{
	struct sf_profile p;
	long long before;

	test_add_account(db, "gus@example.com", "gus", NULL);
	add("gus", "Spare", NULL);
	is_int(sf_profile_delete(db, &os, "gus/spare", &p), 0, "delete: a profile can be deleted");
	is_str(p.name, "Spare", "delete: ...returning it as it was");
	sf_profile_release(&p);
	is_int(sf_profile_get(db, "gus/spare", &p), SF_ENOTFOUND, "delete: ...and it is gone");
	before = rows();
	is_int(sf_profile_delete(db, &os, "gus/gus", &p), SF_ECONFLICT,
	       "delete: the account's only profile conflicts");
	ok(test_error_has("only profile"), "delete: ...saying so (%s)", sf_error_message());
	is_int(sf_profile_delete(db, &os, "gus/spare", &p), SF_ENOTFOUND,
	       "delete: deleting twice is not found");
	is_int(rows(), before, "delete: ...neither writes anything");

	add("gus", "Spare2", NULL);
	sf_account_delete(db, &os, "gus", NULL);
	is_int(sf_profile_delete(db, &os, "gus/spare2", &p), SF_ECONFLICT,
	       "delete: a profile of a deleted account conflicts");
	ok(test_error_has("restore it first"), "delete: ...saying to restore the account (%s)",
	   sf_error_message());
}

/* ---- who may touch whose profiles ---- */

static void permissions(void)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_actor hal, ida, um, admin;
	struct sf_profile p;
	json_t *arr = NULL;
	long long before;

	test_add_account(db, "hal@example.com", "hal", NULL);
	test_add_account(db, "ida@example.com", "ida", NULL);
	test_add_account(db, "jim@example.com", "jim", "user_manager");
	sf_actor_account(db, "hal", &hal);
	sf_actor_account(db, "ida", &ida);
	sf_actor_account(db, "jim", &um);

	c.name = "Hal 2";
	is_int(sf_profile_add(db, &hal, "hal", &c, &p), 0, "own: a viewer may add its own profile");
	sf_profile_release(&p);
	c.name = "Hal Two";
	is_int(sf_profile_update(db, &hal, "hal/hal 2", &c, &p), 0, "own: ...change it");
	sf_profile_release(&p);
	is_int(sf_profile_list(db, &hal, "hal", &arr), 0, "own: ...list its profiles");
	json_decref(arr);
	arr = NULL;
	is_int(sf_profile_delete(db, &hal, "hal/hal two", &p), 0, "own: ...and delete one");
	sf_profile_release(&p);

	before = rows();
	c.name = "Intruder";
	is_int(sf_profile_add(db, &ida, "hal", &c, &p), SF_EFORBIDDEN,
	       "other: a viewer may not add a profile to another account");
	ok(test_error_has("account 'ida@example.com' (viewer) may not manage accounts"),
	   "other: ...saying so (%s)", sf_error_message());
	is_int(sf_profile_update(db, &ida, "hal/hal", &c, &p), SF_EFORBIDDEN,
	       "other: ...nor change another account's profile");
	is_int(sf_profile_delete(db, &ida, "hal/hal", &p), SF_EFORBIDDEN,
	       "other: ...nor delete one");
	is_int(sf_profile_list(db, &ida, "hal", &arr), SF_EFORBIDDEN, "other: ...nor list them");
	is_int(rows(), before, "other: ...and nothing is written");

	c.name = "Managed";
	is_int(sf_profile_add(db, &um, "hal", &c, &p), 0,
	       "manager: a user_manager may add a profile to another account");
	sf_profile_release(&p);
	c.name = "Managed 2";
	is_int(sf_profile_update(db, &um, "hal/managed", &c, &p), 0, "manager: ...change it");
	sf_profile_release(&p);
	is_int(sf_profile_delete(db, &um, "hal/managed 2", &p), 0, "manager: ...and delete it");
	sf_profile_release(&p);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE actor = 'jim@example.com'"
			      " AND action LIKE 'profile.%%'"), 3,
	       "manager: the audit log names the manager as the actor");

	test_add_account(db, "kai@example.com", "kai", "admin");
	sf_actor_account(db, "kai", &admin);
	c.name = "By Admin";
	is_int(sf_profile_add(db, &admin, "hal", &c, &p), 0,
	       "admin: an admin may add a profile to another account");
	sf_profile_release(&p);
	is_int(sf_profile_delete(db, &admin, "hal/by admin", &p), 0, "admin: ...and delete it");
	sf_profile_release(&p);
	c.name = "Moderated";
	is_int(sf_profile_add(db, &hal, "ida", &c, &p), SF_EFORBIDDEN,
	       "other: the rule holds the other way round too (hal may not add to ida)");

	sf_actor_release(&hal);
	sf_actor_release(&ida);
	sf_actor_release(&um);
	sf_actor_release(&admin);
}

/* ---- audit ---- */

static void audited(void)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	long long id;

	test_add_account(db, "kim@example.com", "kim", NULL);
	c.name = "Audited";
	c.pin = "4321";
	sf_profile_add(db, &os, "kim", &c, &p);
	id = p.id;
	sf_profile_release(&p);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'profile.add'"
			      " AND entity_type = 'profile' AND entity_id = '%lld' AND old IS NULL"
			      " AND new->>'name' = 'Audited' AND (new->>'has_pin')::boolean", id), 1,
	       "audit: profile.add records the new profile");
	c = (struct sf_profile_change)SF_PROFILE_CHANGE_INIT;
	c.maturity = "PG";
	sf_profile_update(db, &os, "kim/audited", &c, &p);
	sf_profile_release(&p);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'profile.set'"
			      " AND entity_id = '%lld' AND old->>'maturity' = 'NC-17'"
			      " AND new->>'maturity' = 'PG' AND actor = '%s'", id, os.name), 1,
	       "audit: profile.set records the old and new profile and the actor");
	sf_profile_delete(db, &os, "kim/audited", &p);
	sf_profile_release(&p);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'profile.delete'"
			      " AND entity_id = '%lld' AND old->>'name' = 'Audited' AND new IS NULL", id), 1,
	       "audit: profile.delete records the old profile");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'profile.%%'"
			      " AND (old::text LIKE '%%argon2%%' OR new::text LIKE '%%argon2%%'"
			      "  OR old ? 'pin_hash' OR new ? 'pin_hash' OR old ? 'pin' OR new ? 'pin')"), 0,
	       "audit: no profile entry ever holds a PIN or its hash");
}

/* ---- concurrency ---- */

#define THREADS 12

/* What a crowd member does: adds the profile name to account, or deletes
 * it. */
struct worker {
	const char *account;
	char name[32];
	int del;       /* delete name instead of adding it */
};

static int work(struct sf_db *conn, int i, void *arg)
{
	struct worker *w = (struct worker *)arg + i;
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	char ref[96];
	int rc;

	if (w->del) {
		snprintf(ref, sizeof(ref), "%s/%s", w->account, w->name);
		rc = sf_profile_delete(conn, &os, ref, &p);
	} else {
		c.name = w->name;
		rc = sf_profile_add(conn, &os, w->account, &c, &p);
	}
	sf_profile_release(&p);
	return rc;
}

static void concurrent_adds(void)
{
	struct test_crowd_member did[THREADS];
	struct worker w[THREADS];
	int good, conflicts, limit_msgs = 0;

	test_add_account(db, "crowd@example.com", "crowd", NULL);
	memset(w, 0, sizeof(w));
	for (int i = 0; i < THREADS; i++) {
		w[i].account = "crowd";
		snprintf(w[i].name, sizeof(w[i].name), "Seat %d", i);
	}
	good = test_crowd(THREADS, work, w, did, &conflicts);
	for (int i = 0; i < THREADS; i++)
		limit_msgs += strstr(did[i].message, "already has 5 profiles") != NULL;
	is_int(test_db_countf(db, "SELECT count(*) FROM profiles p"
			      " JOIN accounts a ON a.id = p.account_id"
			      " WHERE a.username = 'crowd'"), 5,
	       "concurrency: %d connections adding at once leave exactly 5 profiles", THREADS);
	is_int(good, 4, "concurrency: ...4 adds succeed (the account had 1)");
	is_int(conflicts, THREADS - 4, "concurrency: ...the other %d conflict", THREADS - 4);
	is_int(limit_msgs, THREADS - 4, "concurrency: ...saying the account has 5 profiles");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'profile.add' AND"
			      " (new->>'account_id')::bigint = (SELECT id FROM accounts"
			      "  WHERE username = 'crowd')"), 4,
	       "concurrency: ...and exactly the 4 successful adds are audited");
}

static void concurrent_deletes(void)
{
	struct worker w[SF_PROFILES_MAX];
	int good, conflicts;

	test_add_account(db, "few@example.com", "few", NULL);
	memset(w, 0, sizeof(w));
	snprintf(w[0].name, sizeof(w[0].name), "few");
	for (int i = 1; i < SF_PROFILES_MAX; i++) {
		snprintf(w[i].name, sizeof(w[i].name), "Guest %d", i);
		add("few", w[i].name, NULL);
	}
	for (int i = 0; i < SF_PROFILES_MAX; i++) {
		w[i].account = "few";
		w[i].del = 1;
	}
	good = test_crowd(SF_PROFILES_MAX, work, w, NULL, &conflicts);
	is_int(test_db_countf(db, "SELECT count(*) FROM profiles p"
			      " JOIN accounts a ON a.id = p.account_id"
			      " WHERE a.username = 'few'"), 1,
	       "concurrency: deleting all 5 profiles at once leaves exactly one");
	is_int(good, 4, "concurrency: ...4 deletes succeed");
	is_int(conflicts, 1, "concurrency: ...the last one conflicts");
}

int main(void)
{
	db = test_db_open("profile");
	sf_actor_os(&os);

	add_defaults();
	add_options();
	add_rejects();
	refs();
	list();
	set();
	delete();
	permissions();
	audited();
	concurrent_adds();
	concurrent_deletes();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
