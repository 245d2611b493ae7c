/*
 * account.c - accounts against a real PostgreSQL: adding one (with its
 * first profile and its audit entry), finding it by any ref in any case,
 * listing, every change and its audit entry, soft delete, restore and
 * purge, the rule that the last active admin cannot be removed, and who
 * may do what when an account is the actor (--as).  A change that fails
 * must leave nothing behind, so failures are checked by counting the rows
 * of accounts, profiles and audit_log before and after; to show that a
 * change and its audit entry are one transaction, the test database's
 * audit_log is made to refuse an action.  Last, two admins demote each
 * other from two connections at once: one must stay an admin.
 */
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

#define PW TEST_PASSWORD

static struct sf_db *db;
static struct sf_actor os;

/* ---- helpers ---- */

struct counts {
	long long accounts, profiles, audit;
};

static struct counts counts(void)
{
	struct counts c = {
		test_db_count(db, "SELECT count(*) FROM accounts"),
		test_db_count(db, "SELECT count(*) FROM profiles"),
		test_db_count(db, "SELECT count(*) FROM audit_log"),
	};
	return c;
}

static int unchanged(struct counts before)
{
	struct counts now = counts();

	if (now.accounts == before.accounts && now.profiles == before.profiles &&
	    now.audit == before.audit)
		return 1;
	diag("rows before: %lld accounts, %lld profiles, %lld audit; after: %lld, %lld, %lld",
	     before.accounts, before.profiles, before.audit, now.accounts, now.profiles, now.audit);
	return 0;
}

static int iso8601(const char *s)
{
	regex_t re;
	int match;

	if (!s)
		return 0;
	regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
		REG_EXTENDED | REG_NOSUB);
	match = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return match;
}

/* The number of audit rows matching a WHERE clause over audit_log. */
static long long audit_rows(const char *where)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE %s", where);
	return test_db_count(db, sql);
}

static const char *role_of(const char *ref)
{
	static char role[32];
	struct sf_account a;

	role[0] = '\0';
	if (!sf_account_get(db, ref, &a))
		snprintf(role, sizeof(role), "%s", a.role);
	sf_account_release(&a);
	return role;
}

static const char *status_of(const char *ref)
{
	static char status[32];
	struct sf_account a;

	status[0] = '\0';
	if (!sf_account_get(db, ref, &a))
		snprintf(status, sizeof(status), "%s%s", a.status, a.deleted_at ? ",deleted" : "");
	sf_account_release(&a);
	return status;
}

/* Usernames of a listing, comma-separated, in order. */
static const char *names(const struct sf_account_filter *f, int *rc)
{
	static char buf[1024];
	json_t *arr = NULL, *o;
	size_t i;

	buf[0] = '\0';
	*rc = sf_account_list(db, f, &arr);
	json_array_foreach(arr, i, o) {
		if (i)
			strcat(buf, ",");
		strncat(buf, json_string_value(json_object_get(o, "username")),
			sizeof(buf) - strlen(buf) - 2);
	}
	json_decref(arr);
	return buf;
}

/* ---- add ---- */

static void add_returns_the_account(void)
{
	struct sf_account_new in = { "Alice.Smith@Example.COM", "Alice", PW, NULL };
	struct sf_account a;
	char where[256];
	PGresult *res = NULL;
	long long audit_before = audit_rows("true");

	is_int(sf_account_add(db, &os, &in, &a), 0, "add: a valid account is created");
	ok(a.id > 0, "add: it gets an id");
	is_str(a.email, "Alice.Smith@Example.COM", "add: the email is kept as typed");
	is_str(a.username, "Alice", "add: the username is kept as typed");
	is_str(a.role, "viewer", "add: the role defaults to viewer");
	is_str(a.status, "active", "add: a new account is active");
	ok(iso8601(a.created_at), "add: created_at is ISO 8601 UTC (%s)", a.created_at);
	ok(iso8601(a.updated_at), "add: updated_at is ISO 8601 UTC");
	ok(a.deleted_at == NULL, "add: deleted_at is null");

	snprintf(where, sizeof(where), "SELECT count(*) FROM profiles WHERE account_id = %lld",
		 a.id);
	is_int(test_db_count(db, where), 1, "add: exactly one profile is created with it");
	snprintf(where, sizeof(where), "SELECT name, maturity, kids, language, pin_hash"
		 " FROM profiles WHERE account_id = %lld", a.id);
	if (!sf_db_query(db, &res, where, SF_NOARGS) && PQntuples(res) == 1) {
		is_str(sf_db_str(res, 0, "name"), "Alice", "add: the profile is named after the username");
		is_int(sf_db_int(res, 0, "maturity"), 6, "add: the profile's maturity is 6 (NC-17)");
		ok(!sf_db_bool(res, 0, "kids"), "add: the profile is not a kids profile");
		is_str(sf_db_str(res, 0, "language"), "en", "add: the profile's language is en");
		ok(sf_db_isnull(res, 0, "pin_hash"), "add: the profile has no PIN");
	} else {
		ok(0, "add: the profile can be read back");
	}
	PQclear(res);
	res = NULL;

	is_int(audit_rows("true"), audit_before + 1, "add: exactly one audit row is written");
	snprintf(where, sizeof(where), "SELECT actor, action, entity_type, entity_id, old IS NULL"
		 " AS no_old, new->>'email' AS email, new->>'role' AS role, (new->>'id')::bigint AS id"
		 " FROM audit_log ORDER BY id DESC LIMIT 1");
	if (!sf_db_query(db, &res, where, SF_NOARGS) && PQntuples(res) == 1) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", a.id);
		is_str(sf_db_str(res, 0, "action"), "user.add", "add: the audit action is user.add");
		is_str(sf_db_str(res, 0, "actor"), os.name, "add: the audit row names the actor");
		is_str(sf_db_str(res, 0, "entity_type"), "account", "add: the audit entity is the account");
		is_str(sf_db_str(res, 0, "entity_id"), id, "add: ...with its id");
		ok(sf_db_bool(res, 0, "no_old"), "add: the audit row has no old object");
		is_str(sf_db_str(res, 0, "email"), a.email, "add: the audit row's new object is the account");
		is_str(sf_db_str(res, 0, "role"), "viewer", "add: ...with its role");
		is_int(sf_db_int(res, 0, "id"), a.id, "add: ...and its id");
	} else {
		ok(0, "add: the audit row can be read back");
	}
	PQclear(res);
	ok(audit_rows("new ? 'password_hash' OR new::text LIKE '%argon2%'") == 0,
	   "add: the audit row holds no password hash");
	is_int(test_db_count(db, "SELECT count(*) FROM accounts WHERE password_hash LIKE '$argon2id$%'"),
	       1, "add: the password is stored as an argon2id hash");
	sf_account_release(&a);
}

static void add_with_role(void)
{
	struct sf_account_new in = { "mod@example.com", "mod", PW, "moderator" };
	struct sf_account a;

	is_int(sf_account_add(db, &os, &in, &a), 0, "add: a role may be given");
	is_str(a.role, "moderator", "add: ...and is kept");
	sf_account_release(&a);
}

static void add_rejects_duplicates(void)
{
	struct sf_account_new email = { "ALICE.SMITH@example.com", "alice2", PW, NULL };
	struct sf_account_new user = { "alice2@example.com", "aLiCe", PW, NULL };
	struct counts before = counts();
	struct sf_account a;

	is_int(sf_account_add(db, &os, &email, &a), SF_ECONFLICT,
	       "add: the same email in another case conflicts");
	ok(test_error_has("email 'ALICE.SMITH@example.com' is already taken"),
	   "add: ...saying the email is taken (%s)", sf_error_message());
	ok(a.id == 0 && a.email == NULL, "add: ...and returns no account");
	ok(unchanged(before), "add: ...and writes nothing");

	is_int(sf_account_add(db, &os, &user, &a), SF_ECONFLICT,
	       "add: the same username in another case conflicts");
	ok(test_error_has("username 'aLiCe' is already taken"),
	   "add: ...saying the username is taken (%s)",
	   sf_error_message());
	ok(unchanged(before), "add: ...and writes nothing");
}

static void add_rejects_bad_input(void)
{
	static const struct {
		struct sf_account_new in;
		const char *what, *says;
	} bad[] = {
		{ { "not-an-email", "bob", PW, NULL }, "an invalid email", "not a valid address" },
		{ { "bob@example.com", "bob", "secret", NULL }, "a weak password", "password" },
		{ { "bob@example.com", "bob", "secretsecret1", NULL }, "a password without upper case",
		  "upper-case" },
		{ { "bob@example.com", "bob", PW, "superuser" }, "an unknown role", "'superuser'" },
		{ { "bob@example.com", "abcdefghijklmnopqrstuvwxyz0123456", PW, NULL },
		  "a 33-character username", "longer than 32" },
		{ { "bob@example.com", "12345", PW, NULL }, "an all-digit username", "all digits" },
		{ { "b\xffob@example.com", "bob", PW, NULL }, "a non-UTF-8 email", "UTF-8" },
		{ { "bob@example.com", "bo\xff", PW, NULL }, "a non-UTF-8 username", "UTF-8" },
		{ { "bob@example.com", "bob", "Secret123\xff", NULL }, "a non-UTF-8 password", "UTF-8" },
	};
	struct counts before = counts();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sf_account a;

		is_int(sf_account_add(db, &os, &bad[i].in, &a), SF_EINVAL, "add: %s is invalid",
		       bad[i].what);
		ok(test_error_has(bad[i].says), "add: ...and the message says so (%s)", sf_error_message());
	}
	ok(!test_error_has("Secret123"),
	   "add: a rejected password is never repeated in the message");
	ok(unchanged(before), "add: invalid input writes nothing");
}

static void add_is_atomic(void)
{
	struct sf_account_new in = { "atom@example.com", "atom", PW, NULL };
	struct counts before;
	struct sf_account a;

	/* Make the audit insert, the last step of an add, fail. */
	is_int(sf_db_exec(db, "ALTER TABLE audit_log ADD CONSTRAINT no_add"
			  " CHECK (action <> 'user.add') NOT VALID"), 0,
	       "atomicity: (the audit log is made to refuse user.add)");
	before = counts();
	ok(sf_account_add(db, &os, &in, &a) != 0,
	   "atomicity: add fails when its audit entry cannot be written");
	ok(a.id == 0 && a.email == NULL, "atomicity: ...and returns no account");
	ok(unchanged(before), "atomicity: ...leaving no account, no profile and no audit row");
	is_int(test_db_count(db, "SELECT count(*) FROM accounts WHERE email = 'atom@example.com'"),
	       0, "atomicity: ...the account is not there");
	is_int(test_db_count(db, "SELECT count(*) FROM profiles WHERE name = 'atom'"), 0,
	       "atomicity: ...nor its profile");
	sf_db_exec(db, "ALTER TABLE audit_log DROP CONSTRAINT no_add");
	is_int(sf_account_add(db, &os, &in, &a), 0, "atomicity: once the audit log accepts it, add works");
	sf_account_release(&a);

	/* The same for a change: the account stays as it was. */
	is_int(sf_db_exec(db, "ALTER TABLE audit_log ADD CONSTRAINT no_suspend"
			  " CHECK (action <> 'user.suspend') NOT VALID"), 0,
	       "atomicity: (the audit log is made to refuse user.suspend)");
	before = counts();
	ok(sf_account_set_suspended(db, &os, "atom", 1, &a) != 0,
	   "atomicity: suspend fails when its audit entry cannot be written");
	is_str(status_of("atom"), "active", "atomicity: ...and the account stays active");
	ok(unchanged(before), "atomicity: ...with no audit row");
	sf_db_exec(db, "ALTER TABLE audit_log DROP CONSTRAINT no_suspend");
}

/* ---- get ---- */

static void get_by_any_ref(void)
{
	struct sf_account a;
	char id[32];
	long long want = test_add_account(db, "Carol@Example.com", "Carol", NULL);
	static const char *refs[] = {
		"Carol@Example.com", "carol@example.com", "CAROL@EXAMPLE.COM",
		"Carol", "carol", "CAROL",
	};

	snprintf(id, sizeof(id), "%lld", want);
	is_int(sf_account_get(db, id, &a), 0, "get: by id");
	is_int(a.id, want, "get: ...finds the account");
	sf_account_release(&a);
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		a.id = 0;
		ok(!sf_account_get(db, refs[i], &a) && a.id == want, "get: by '%s'", refs[i]);
		sf_account_release(&a);
	}

	is_int(sf_account_get(db, "999999", &a), SF_ENOTFOUND, "get: an unknown id is not found");
	ok(test_error_has("account '999999': not found"),
	   "get: ...saying so (%s)", sf_error_message());
	is_int(sf_account_get(db, "nobody@example.com", &a), SF_ENOTFOUND,
	       "get: an unknown email is not found");
	is_int(sf_account_get(db, "nobody", &a), SF_ENOTFOUND, "get: an unknown username is not found");
	is_int(sf_account_get(db, "", &a), SF_EINVAL, "get: an empty ref is invalid");
	is_int(sf_account_get(db, "car\xffol", &a), SF_EINVAL, "get: a non-UTF-8 ref is invalid");
}

/* ---- list ---- */

static void list_filters(void)
{
	struct sf_account_filter f = { 0 };
	json_t *arr = NULL;
	int rc;

	test_add_account(db, "l1@example.com", "l1", "content_manager");
	test_add_account(db, "l2@example.com", "l2", "content_manager");
	test_add_account(db, "l3@example.com", "l3", "content_manager");
	sf_account_set_suspended(db, &os, "l2", 1, NULL);
	sf_account_delete(db, &os, "l3", NULL);

	f.role = "content_manager";
	is_str(names(&f, &rc), "l1,l2", "list: by role, deleted accounts hidden, by id");
	is_int(rc, 0, "list: ...succeeds");
	f.status = "active";
	is_str(names(&f, &rc), "l1", "list: active only");
	f.status = "suspended";
	is_str(names(&f, &rc), "l2", "list: suspended only");
	f.status = "deleted";
	is_str(names(&f, &rc), "l3", "list: deleted only");
	f.status = NULL;
	f.all = 1;
	is_str(names(&f, &rc), "l1,l2,l3", "list: all, deleted included");

	f.role = "wizard";
	is_int(sf_account_list(db, &f, &arr), SF_EINVAL, "list: an unknown role is invalid");
	ok(arr == NULL, "list: ...and returns nothing");
	f.role = NULL;
	f.status = "gone";
	is_int(sf_account_list(db, &f, &arr), SF_EINVAL, "list: an unknown status is invalid");
	ok(test_error_has("status 'gone'"), "list: ...naming it (%s)", sf_error_message());

	memset(&f, 0, sizeof(f));
	if (!sf_account_list(db, &f, &arr)) {
		json_t *o = json_array_get(arr, 0);
		static const char *keys[] = { "id", "email", "username", "role", "status",
					      "created_at", "updated_at", "deleted_at" };
		int all = 1;

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			all &= json_object_get(o, keys[i]) != NULL;
		ok(all && json_object_size(o) == 8, "list: each item is the account's one JSON form");
		ok(!json_object_get(o, "password_hash"), "list: ...without the password hash");
	}
	json_decref(arr);
}

/* ---- changes ---- */

static void update_email_and_username(void)
{
	struct sf_account a;
	struct counts before;
	long long id = test_add_account(db, "dave@example.com", "dave", NULL);

	test_add_account(db, "erin@example.com", "erin", NULL);
	is_int(sf_account_update(db, &os, "dave", "Dave.New@Example.com", NULL, &a), 0,
	       "update: the email can be changed");
	is_str(a.email, "Dave.New@Example.com", "update: ...kept as typed");
	is_str(a.username, "dave", "update: ...and the username is left as it was");
	sf_account_release(&a);
	is_int(sf_account_update(db, &os, "dave.new@example.com", NULL, "David", &a), 0,
	       "update: the username can be changed (found by the new email)");
	is_str(a.username, "David", "update: ...to the new name");
	is_int(a.id, id, "update: ...of the same account");
	sf_account_release(&a);
	is_int(sf_account_update(db, &os, "david", "dave.new@EXAMPLE.com", NULL, &a), 0,
	       "update: an account may change the case of its own email");
	sf_account_release(&a);
	is_int(audit_rows("action = 'user.set' AND old->>'username' = 'dave'"
			  " AND new->>'username' = 'dave'"
			  " AND new->>'email' = 'Dave.New@Example.com'"), 1,
	       "update: the audit row has the old and new objects");

	before = counts();
	is_int(sf_account_update(db, &os, "david", "ERIN@example.com", NULL, &a), SF_ECONFLICT,
	       "update: another account's email (any case) conflicts");
	ok(test_error_has("email 'ERIN@example.com' is already taken"), "update: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_account_update(db, &os, "david", NULL, "Erin", &a), SF_ECONFLICT,
	       "update: another account's username (any case) conflicts");
	ok(test_error_has("username 'Erin' is already taken"),
	   "update: ...saying so (%s)", sf_error_message());
	ok(unchanged(before), "update: ...and nothing is written");
	is_str(role_of("david"), "viewer", "update: the account is still there as it was");

	is_int(sf_account_update(db, &os, "david", NULL, NULL, &a), SF_EINVAL,
	       "update: nothing to change is invalid");
	is_int(sf_account_update(db, &os, "david", "bad", NULL, &a), SF_EINVAL,
	       "update: an invalid email is invalid");
	is_int(sf_account_update(db, &os, "david", NULL, "-x", &a), SF_EINVAL,
	       "update: an invalid username is invalid");
	is_int(sf_account_update(db, &os, "ghost", NULL, "ghost2", &a), SF_ENOTFOUND,
	       "update: an unknown account is not found");
	ok(unchanged(before), "update: ...none of which writes anything");
}

static void set_password(void)
{
	int match = -1;
	struct counts before;

	test_add_account(db, "frank@example.com", "frank", NULL);
	ok(!sf_account_check_password(db, "frank", PW, &match) && match == 1,
	   "password: the password given at add verifies");
	ok(!sf_account_check_password(db, "frank", "Wrong1234", &match) && match == 0,
	   "password: a wrong one does not");
	is_int(sf_account_set_password(db, &os, "FRANK@example.com", "NewSecret456"), 0,
	       "password: it can be changed");
	ok(!sf_account_check_password(db, "frank", PW, &match) && match == 0,
	   "password: the old password no longer verifies");
	ok(!sf_account_check_password(db, "frank", "NewSecret456", &match) && match == 1,
	   "password: the new one does");
	is_int(audit_rows("action = 'user.passwd'"), 1, "password: the change is audited");
	is_int(audit_rows("old::text LIKE '%argon2%' OR new::text LIKE '%argon2%'"
			  " OR old ? 'password_hash' OR new ? 'password_hash'"), 0,
	       "password: ...without any hash in the audit log");

	before = counts();
	is_int(sf_account_set_password(db, &os, "frank", "weak"), SF_EINVAL,
	       "password: a weak password is invalid");
	ok(!test_error_has("weak"), "password: ...and the message does not repeat it");
	is_int(sf_account_set_password(db, &os, "ghost", "NewSecret456"), SF_ENOTFOUND,
	       "password: an unknown account is not found");
	ok(unchanged(before), "password: ...neither writes anything");
	ok(!sf_account_check_password(db, "frank", "NewSecret456", &match) && match == 1,
	   "password: ...and the password is still the new one");
	ok(!sf_account_check_password(db, "nobody", "NewSecret456", &match) && match == 0,
	   "password: an unknown account matches nothing");
}

static void set_role(void)
{
	struct sf_account a;
	struct counts before;

	test_add_account(db, "gina@example.com", "gina", NULL);
	is_int(sf_account_set_role(db, &os, "gina", "moderator", &a), 0, "role: it can be changed");
	is_str(a.role, "moderator", "role: ...and is returned");
	sf_account_release(&a);
	is_int(audit_rows("action = 'user.role' AND old->>'role' = 'viewer'"
			  " AND new->>'role' = 'moderator'"), 1,
	       "role: the audit row has the old and new role");
	before = counts();
	is_int(sf_account_set_role(db, &os, "gina", "moderator", &a), SF_ECONFLICT,
	       "role: the same role again conflicts");
	ok(test_error_has("already has role moderator"),
	   "role: ...saying so (%s)", sf_error_message());
	is_int(sf_account_set_role(db, &os, "gina", "god", &a), SF_EINVAL,
	       "role: an unknown role is invalid");
	ok(unchanged(before), "role: ...neither writes anything");
}

static void suspend_and_unsuspend(void)
{
	struct sf_account a;
	struct counts before;

	test_add_account(db, "hank@example.com", "hank", NULL);
	is_int(sf_account_set_suspended(db, &os, "hank", 1, &a), 0,
	       "suspend: an account can be suspended");
	is_str(a.status, "suspended", "suspend: ...and is suspended");
	sf_account_release(&a);
	before = counts();
	is_int(sf_account_set_suspended(db, &os, "hank", 1, &a), SF_ECONFLICT,
	       "suspend: suspending twice conflicts");
	ok(test_error_has("already suspended"), "suspend: ...saying so (%s)", sf_error_message());
	ok(unchanged(before), "suspend: ...and writes nothing");
	is_int(sf_account_set_suspended(db, &os, "hank", 0, &a), 0, "unsuspend: it can be reactivated");
	is_str(a.status, "active", "unsuspend: ...and is active");
	sf_account_release(&a);
	before = counts();
	is_int(sf_account_set_suspended(db, &os, "hank", 0, &a), SF_ECONFLICT,
	       "unsuspend: reactivating twice conflicts");
	ok(unchanged(before), "unsuspend: ...and writes nothing");
	is_int(audit_rows("action IN ('user.suspend', 'user.unsuspend') AND entity_id ="
			  " (SELECT id::text FROM accounts WHERE username = 'hank')"), 2,
	       "suspend: both changes are audited");
}

static void delete_restore(void)
{
	struct sf_account_filter f = { 0 };
	struct sf_account a;
	struct counts before;
	int rc, match = -1;

	test_add_account(db, "ivy@example.com", "ivy", NULL);
	is_int(sf_account_delete(db, &os, "ivy", &a), 0, "delete: an account can be deleted");
	ok(a.deleted_at && iso8601(a.deleted_at), "delete: ...and has deleted_at set");
	sf_account_release(&a);
	is_int(test_db_count(db, "SELECT count(*) FROM accounts WHERE username = 'ivy'"), 1,
	       "delete: it is soft: the row is kept");
	is_int(test_db_count(db, "SELECT count(*) FROM profiles p JOIN accounts a"
			     " ON a.id = p.account_id WHERE a.username = 'ivy'"), 1,
	       "delete: ...and so is its profile");
	ok(!strstr(names(&f, &rc), "ivy"), "delete: it is hidden from the default list");
	ok(!sf_account_get(db, "ivy", &a) && a.deleted_at, "delete: get still finds it, marked deleted");
	sf_account_release(&a);
	ok(!sf_account_check_password(db, "ivy", PW, &match) && match == 0,
	   "delete: its password no longer verifies");

	before = counts();
	is_int(sf_account_delete(db, &os, "ivy", &a), SF_ECONFLICT, "delete: deleting twice conflicts");
	is_int(sf_account_update(db, &os, "ivy", NULL, "ivy2", &a), SF_ECONFLICT,
	       "delete: updating a deleted account conflicts");
	ok(test_error_has("is deleted; restore it first"), "delete: ...saying to restore it (%s)",
	   sf_error_message());
	is_int(sf_account_set_password(db, &os, "ivy", "NewSecret456"), SF_ECONFLICT,
	       "delete: setting a deleted account's password conflicts");
	is_int(sf_account_set_role(db, &os, "ivy", "moderator", &a), SF_ECONFLICT,
	       "delete: setting a deleted account's role conflicts");
	is_int(sf_account_set_suspended(db, &os, "ivy", 1, &a), SF_ECONFLICT,
	       "delete: suspending a deleted account conflicts");
	ok(unchanged(before), "delete: ...none of which writes anything");

	is_int(sf_account_restore(db, &os, "ivy", &a), 0, "restore: a deleted account can be restored");
	ok(a.deleted_at == NULL, "restore: ...and is no longer deleted");
	sf_account_release(&a);
	ok(strstr(names(&f, &rc), "ivy") != NULL, "restore: it is back in the default list");
	ok(!sf_account_check_password(db, "ivy", PW, &match) && match == 1,
	   "restore: its password verifies again");
	is_int(sf_account_restore(db, &os, "ivy", &a), SF_ECONFLICT,
	       "restore: restoring an account that is not deleted conflicts");
	is_int(audit_rows("action = 'user.delete' AND old->>'username' = 'ivy'"
			  " AND old->>'deleted_at' IS NULL AND new->>'deleted_at' IS NOT NULL"), 1,
	       "delete: is audited with the old and new objects");
	is_int(audit_rows("action = 'user.restore' AND old->>'username' = 'ivy'"
			  " AND old->>'deleted_at' IS NOT NULL AND new->>'deleted_at' IS NULL"), 1,
	       "restore: is audited with the old and new objects");
}

static void purge(void)
{
	struct sf_account a;
	char sql[256];
	long long id = test_add_account(db, "jack@example.com", "jack", NULL);

	snprintf(sql, sizeof(sql), "INSERT INTO profiles (account_id, name, maturity)"
		 " VALUES (%lld, 'Second', 3)", id);
	sf_db_exec(db, sql);
	is_int(sf_account_purge(db, &os, "jack", &a), 0, "purge: an account can be purged");
	is_str(a.email, "jack@example.com", "purge: ...returning the account as it was");
	sf_account_release(&a);
	is_int(test_db_count(db, "SELECT count(*) FROM accounts WHERE username = 'jack'"), 0,
	       "purge: the account row is gone");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM profiles WHERE account_id = %lld", id);
	is_int(test_db_count(db, sql), 0, "purge: ...and so are its profiles");
	snprintf(sql, sizeof(sql), "action = 'user.purge' AND entity_id = '%lld'"
		 " AND old->>'email' = 'jack@example.com' AND new IS NULL", id);
	is_int(audit_rows(sql), 1, "purge: the audit entry user.purge keeps the old object");
	snprintf(sql, sizeof(sql), "action = 'user.add' AND entity_id = '%lld'", id);
	is_int(audit_rows(sql), 1, "purge: ...and earlier entries about the account remain");
	is_int(sf_account_get(db, "jack", &a), SF_ENOTFOUND, "purge: the account is not found any more");
	is_int(sf_account_purge(db, &os, "jack", &a), SF_ENOTFOUND, "purge: purging twice is not found");

	test_add_account(db, "kate@example.com", "kate", NULL);
	sf_account_delete(db, &os, "kate", NULL);
	is_int(sf_account_purge(db, &os, "kate", NULL), 0, "purge: a deleted account can be purged");
	is_int(sf_account_add(db, &os, &(struct sf_account_new){ "kate@example.com", "kate", PW, NULL },
			      &a), 0, "purge: ...after which its email and username are free again");
	sf_account_release(&a);
}

/* ---- the last active admin ---- */

static void last_admin(void)
{
	struct sf_account a;
	struct counts before;

	/* The template has no accounts; these are the only admins. */
	test_add_account(db, "root1@example.com", "root1", "admin");
	before = counts();
	is_int(sf_account_set_role(db, &os, "root1", "user_manager", &a), SF_ECONFLICT,
	       "last admin: demoting the only active admin conflicts");
	ok(test_error_has("last active admin"),
	   "last admin: ...saying so (%s)", sf_error_message());
	is_int(sf_account_set_suspended(db, &os, "root1", 1, &a), SF_ECONFLICT,
	       "last admin: suspending the only active admin conflicts");
	is_int(sf_account_delete(db, &os, "root1", &a), SF_ECONFLICT,
	       "last admin: deleting the only active admin conflicts");
	is_int(sf_account_purge(db, &os, "root1", &a), SF_ECONFLICT,
	       "last admin: purging the only active admin conflicts");
	ok(unchanged(before), "last admin: ...none of which writes anything");
	is_str(status_of("root1"), "active", "last admin: ...and the admin is still active");

	test_add_account(db, "root2@example.com", "root2", "admin");
	is_int(sf_account_set_suspended(db, &os, "root2", 1, NULL), 0,
	       "last admin: with two admins, one can be suspended");
	is_int(sf_account_set_role(db, &os, "root1", "viewer", &a), SF_ECONFLICT,
	       "last admin: a suspended admin does not count as the other admin");
	is_int(sf_account_set_suspended(db, &os, "root2", 0, NULL), 0,
	       "last admin: ...reactivated, it does");
	is_int(sf_account_set_role(db, &os, "root1", "viewer", &a), 0,
	       "last admin: with two active admins, one can be demoted");
	sf_account_release(&a);
	is_int(sf_account_delete(db, &os, "root2", &a), SF_ECONFLICT,
	       "last admin: ...after which the other is the last one");
	is_int(sf_account_set_role(db, &os, "root1", "admin", &a), 0,
	       "last admin: promoting another admin...");
	sf_account_release(&a);
	is_int(sf_account_delete(db, &os, "root2", &a), 0, "last admin: ...lets the first be deleted");
	sf_account_release(&a);
	is_int(sf_account_restore(db, &os, "root2", &a), 0, "last admin: restoring needs no other admin");
	sf_account_release(&a);
}

/* ---- who may do what ---- */

static void permissions(void)
{
	struct sf_actor viewer, um, admin, nobody;
	struct sf_account a;
	struct sf_account_new in = { "p.new@example.com", "pnew", PW, NULL };
	struct sf_account_new adm = { "p.adm@example.com", "padm", PW, "admin" };
	struct counts before;

	test_add_account(db, "p.viewer@example.com", "pviewer", NULL);
	test_add_account(db, "p.um@example.com", "pum", "user_manager");
	test_add_account(db, "p.admin@example.com", "padmin", "admin");
	test_add_account(db, "p.target@example.com", "ptarget", NULL);
	test_add_account(db, "p.susp@example.com", "psusp", "admin");
	test_add_account(db, "p.gone@example.com", "pgone", "admin");
	sf_account_set_suspended(db, &os, "psusp", 1, NULL);
	sf_account_delete(db, &os, "pgone", NULL);

	is_int(sf_actor_account(db, "P.Viewer@example.com", &viewer), 0,
	       "--as: an active account can be the actor (any case)");
	is_str(viewer.name, "p.viewer@example.com", "--as: the actor is named by its email");
	is_str(viewer.role, "viewer", "--as: ...and carries its role");
	sf_actor_account(db, "pum", &um);
	sf_actor_account(db, "padmin", &admin);
	is_int(sf_actor_account(db, "psusp", &nobody), SF_EFORBIDDEN,
	       "--as: a suspended account is forbidden");
	ok(test_error_has("suspended"), "--as: ...saying so (%s)", sf_error_message());
	is_int(sf_actor_account(db, "pgone", &nobody), SF_ENOTFOUND,
	       "--as: a deleted account is not found");
	is_int(sf_actor_account(db, "ghost@example.com", &nobody), SF_ENOTFOUND,
	       "--as: an unknown account is not found");
	ok(test_error_has("--as: account 'ghost@example.com': not found"),
	   "--as: ...saying so (%s)",
	   sf_error_message());
	ok(nobody.name == NULL && nobody.role == NULL, "--as: a failed lookup leaves no actor");

	before = counts();
	is_int(sf_account_add(db, &viewer, &in, &a), SF_EFORBIDDEN, "viewer: may not add an account");
	ok(test_error_has("account 'p.viewer@example.com' (viewer) may not manage accounts"),
	   "viewer: ...saying who may not do what (%s)", sf_error_message());
	is_int(sf_account_update(db, &viewer, "ptarget", NULL, "x1", &a), SF_EFORBIDDEN,
	       "viewer: may not change another account");
	is_int(sf_account_update(db, &viewer, "pviewer", NULL, "x2", &a), SF_EFORBIDDEN,
	       "viewer: may not change its own account");
	is_int(sf_account_set_role(db, &viewer, "pviewer", "admin", &a), SF_EFORBIDDEN,
	       "viewer: may not raise its own role");
	is_int(sf_account_set_password(db, &viewer, "ptarget", "NewSecret456"), SF_EFORBIDDEN,
	       "viewer: may not set a password");
	is_int(sf_account_set_suspended(db, &viewer, "ptarget", 1, &a), SF_EFORBIDDEN,
	       "viewer: may not suspend");
	is_int(sf_account_delete(db, &viewer, "ptarget", &a), SF_EFORBIDDEN, "viewer: may not delete");
	is_int(sf_account_purge(db, &viewer, "ptarget", &a), SF_EFORBIDDEN, "viewer: may not purge");
	ok(unchanged(before), "viewer: ...and nothing is written");

	is_int(sf_account_add(db, &um, &in, &a), 0, "user_manager: may add a viewer");
	sf_account_release(&a);
	is_int(audit_rows("action = 'user.add' AND actor = 'p.um@example.com'"
			  " AND actor_account_id = (SELECT id FROM accounts WHERE username = 'pum')"),
	       1, "user_manager: the audit row names the account that acted");
	is_int(sf_account_set_role(db, &um, "ptarget", "moderator", &a), 0,
	       "user_manager: may change a viewer's role");
	sf_account_release(&a);
	is_int(sf_account_set_suspended(db, &um, "ptarget", 1, NULL), 0,
	       "user_manager: may suspend a non-admin");
	is_int(sf_account_set_password(db, &um, "ptarget", "NewSecret456"), 0,
	       "user_manager: may set a non-admin's password");
	before = counts();
	is_int(sf_account_add(db, &um, &adm, &a), SF_EFORBIDDEN, "user_manager: may not add an admin");
	ok(test_error_has("grant or change the admin role"), "user_manager: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_account_set_role(db, &um, "ptarget", "admin", &a), SF_EFORBIDDEN,
	       "user_manager: may not grant admin");
	is_int(sf_account_set_role(db, &um, "pum", "admin", &a), SF_EFORBIDDEN,
	       "user_manager: may not make itself admin");
	is_int(sf_account_set_role(db, &um, "padmin", "viewer", &a), SF_EFORBIDDEN,
	       "user_manager: may not demote an admin");
	is_int(sf_account_update(db, &um, "padmin", NULL, "padmin2", &a), SF_EFORBIDDEN,
	       "user_manager: may not rename an admin");
	is_int(sf_account_set_password(db, &um, "padmin", "NewSecret456"), SF_EFORBIDDEN,
	       "user_manager: may not set an admin's password");
	is_int(sf_account_set_suspended(db, &um, "padmin", 1, &a), SF_EFORBIDDEN,
	       "user_manager: may not suspend an admin");
	is_int(sf_account_delete(db, &um, "padmin", &a), SF_EFORBIDDEN,
	       "user_manager: may not delete an admin");
	is_int(sf_account_purge(db, &um, "padmin", &a), SF_EFORBIDDEN,
	       "user_manager: may not purge an admin");
	ok(unchanged(before), "user_manager: ...and nothing is written");
	is_str(role_of("padmin"), "admin", "user_manager: ...the admin is still an admin");

	is_int(sf_account_add(db, &admin, &adm, &a), 0, "admin: may add an admin");
	sf_account_release(&a);
	is_int(sf_account_set_role(db, &admin, "pum", "admin", &a), 0, "admin: may grant admin");
	sf_account_release(&a);
	is_int(sf_account_set_role(db, &admin, "pum", "user_manager", &a), 0,
	       "admin: may demote another admin");
	sf_account_release(&a);
	is_int(sf_account_update(db, &admin, "padm", NULL, "padm2", &a), 0,
	       "admin: may rename an admin");
	sf_account_release(&a);
	is_int(sf_account_set_suspended(db, &admin, "padm2", 1, NULL), 0, "admin: may suspend an admin");
	is_int(sf_account_delete(db, &admin, "padm2", NULL), 0, "admin: may delete an admin");
	is_int(sf_account_purge(db, &admin, "padm2", NULL), 0, "admin: may purge an admin");

	sf_actor_release(&viewer);
	sf_actor_release(&um);
	sf_actor_release(&admin);
}

/* ---- two admins demoting each other at once ---- */

struct demoter {
	pthread_barrier_t *start;
	const char *who;
	int rc;
};

static void *demote(void *arg)
{
	struct demoter *d = arg;
	struct sf_db *conn = NULL;

	d->rc = sf_db_connect(test_db_conninfo(), &conn);
	pthread_barrier_wait(d->start);
	if (!d->rc)
		d->rc = sf_account_set_role(conn, &os, d->who, "viewer", NULL);
	sf_db_free(conn);
	return NULL;
}

static void last_admin_concurrently(void)
{
	int rounds = 3, exactly_one = 0, one_left = 0;

	/* Leave only two active admins, then demote both at the same time. */
	sf_db_exec(db, "UPDATE accounts SET role = 'viewer' WHERE role = 'admin'");
	for (int r = 0; r < rounds; r++) {
		char a[32], b[32], email[64];
		struct demoter d[2] = { { .who = a }, { .who = b } };
		pthread_barrier_t start;
		pthread_t t[2];

		snprintf(a, sizeof(a), "race%da", r);
		snprintf(b, sizeof(b), "race%db", r);
		snprintf(email, sizeof(email), "%s@example.com", a);
		test_add_account(db, email, a, "admin");
		snprintf(email, sizeof(email), "%s@example.com", b);
		test_add_account(db, email, b, "admin");
		pthread_barrier_init(&start, NULL, 2);
		for (int i = 0; i < 2; i++) {
			d[i].start = &start;
			pthread_create(&t[i], NULL, demote, &d[i]);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&start);
		exactly_one += (d[0].rc == 0) + (d[1].rc == 0) == 1 &&
			       (d[0].rc == SF_ECONFLICT || d[1].rc == SF_ECONFLICT);
		one_left += test_db_count(db, "SELECT count(*) FROM accounts WHERE role = 'admin'"
					  " AND status = 'active' AND deleted_at IS NULL") == 1;
		for (int i = 0; i < 2; i++)
			if (d[i].rc && d[i].rc != SF_ECONFLICT)
				diag("round %d, %s: error %d", r, d[i].who, d[i].rc);
		/* The survivor steps down for the next round's pair. */
		sf_db_exec(db, "UPDATE accounts SET role = 'viewer' WHERE role = 'admin'");
	}
	is_int(exactly_one, rounds, "last admin: two admins demoting each other at once:"
	       " one succeeds, one conflicts (%d rounds)", rounds);
	is_int(one_left, rounds, "last admin: ...and one active admin is always left");
}

static void no_hash_in_audit(void)
{
	is_int(audit_rows("old::text LIKE '%argon2%' OR new::text LIKE '%argon2%'"
			  " OR old::text LIKE '%password%' OR new::text LIKE '%password%'"), 0,
	       "audit: after all of the above, no audit row holds a password or its hash");
}

int main(void)
{
	db = test_db_open("account");
	sf_actor_os(&os);

	add_returns_the_account();
	add_with_role();
	add_rejects_duplicates();
	add_rejects_bad_input();
	add_is_atomic();
	get_by_any_ref();
	list_filters();
	update_email_and_username();
	set_password();
	set_role();
	suspend_and_unsuspend();
	delete_restore();
	purge();
	last_admin();
	permissions();
	last_admin_concurrently();
	no_hash_in_audit();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
