/*
 * account.c - create, find, change and remove accounts.
 *
 * Every change follows one pattern (change_tx): lock the account row, check
 * the actor may touch it, run the one UPDATE or DELETE, and record the old
 * and new object in the audit log, all in one transaction.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "maturity.h"
#include "password.h"
#include "role.h"
#include "text.h"
#include "xalloc.h"

/* The advisory lock that serializes changes which could remove an admin. */
#define ADMINS_LOCK "7380133745316178"

#define COLS "id, email, username, role, status, sf_iso(created_at) AS created_at," \
	     " sf_iso(updated_at) AS updated_at, sf_iso(deleted_at) AS deleted_at"

/* ---- field checks ---- */

static int email_local_char(char c)
{
	return isalnum((unsigned char)c) || strchr(".!#$%&'*+=?^_`{|}~-", c);
}

int sf_email_check(const char *email)
{
	const char *at, *p, *label;
	int rc = sf_text_check("email", email, 3, SF_EMAIL_MAX);

	if (rc)
		return rc;
	at = strchr(email, '@');
	if (!at || strchr(at + 1, '@') || at == email || at - email > 64)
		goto bad;
	for (p = email; p < at; p++)
		if (!email_local_char(*p) || (*p == '.' && (p == email || p[1] == '.' || p + 1 == at)))
			goto bad;
	/* Domain: two or more labels of letters, digits and inner hyphens. */
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || !*p) {
			if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
				goto bad;
			if (!*p)
				break;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-') {
			goto bad;
		}
	}
	if (!strchr(at + 1, '.') || strspn(label, "0123456789") == strlen(label))
		goto bad;
	return 0;
bad:
	return sf_error(SF_EINVAL, "email '%s': not a valid address", sf_text_quote(email));
}

int sf_username_check(const char *name)
{
	int rc = sf_text_check("username", name, 1, SF_USERNAME_MAX);

	if (rc)
		return rc;
	if (!isalnum((unsigned char)name[0]) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
	    != strlen(name))
		return sf_error(SF_EINVAL, "username '%s': use letters, digits, '.', '_' and '-', "
				"starting with a letter or digit", sf_text_quote(name));
	if (strspn(name, "0123456789") == strlen(name))
		return sf_error(SF_EINVAL, "username '%s': must not be all digits (that reads as an id)",
				name);
	return 0;
}

/* ---- rows and refs ---- */

static void from_row(const PGresult *res, int row, struct sf_account *a)
{
	const char *deleted = sf_db_str(res, row, "deleted_at");

	a->id = sf_db_int(res, row, "id");
	a->email = sf_xstrdup(sf_db_str(res, row, "email"));
	a->username = sf_xstrdup(sf_db_str(res, row, "username"));
	a->role = sf_xstrdup(sf_db_str(res, row, "role"));
	a->status = sf_xstrdup(sf_db_str(res, row, "status"));
	a->created_at = sf_xstrdup(sf_db_str(res, row, "created_at"));
	a->updated_at = sf_xstrdup(sf_db_str(res, row, "updated_at"));
	a->deleted_at = deleted ? sf_xstrdup(deleted) : NULL;
}

void sf_account_release(struct sf_account *a)
{
	free(a->email);
	free(a->username);
	free(a->role);
	free(a->status);
	free(a->created_at);
	free(a->updated_at);
	free(a->deleted_at);
	memset(a, 0, sizeof(*a));
}

json_t *sf_account_json(const struct sf_account *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "email", json_string(a->email));
	json_object_set_new(o, "username", json_string(a->username));
	json_object_set_new(o, "role", json_string(a->role));
	json_object_set_new(o, "status", json_string(a->status));
	json_object_set_new(o, "created_at", json_string(a->created_at));
	json_object_set_new(o, "updated_at", json_string(a->updated_at));
	json_object_set_new(o, "deleted_at", sf_json_str(a->deleted_at));
	return o;
}

/* The WHERE condition that matches ref ($1): id, email or username. */
static const char *ref_condition(const char *ref)
{
	long long id;

	if (sf_text_parse_id(ref, &id))
		return "id = $1::bigint";
	if (strchr(ref, '@'))
		return "lower(email) = lower($1)";
	return "lower(username) = lower($1)";
}

static int ref_check(const char *ref)
{
	if (!*ref)
		return sf_error(SF_EINVAL, "account: empty name; give an id, email or username");
	if (!sf_utf8_valid(ref, strlen(ref)))
		return sf_error(SF_EINVAL, "account '%s': not valid UTF-8", sf_text_quote(ref));
	return 0;
}

static int select_one(struct sf_db *db, const char *ref, const char *suffix,
		      struct sf_account *out)
{
	char *sql = sf_xasprintf("SELECT " COLS " FROM accounts WHERE %s%s",
				 ref_condition(ref), suffix);
	PGresult *res = NULL;
	int rc = ref_check(ref);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = sf_db_query(db, &res, sql, SF_ARGS(ref));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "account '%s': not found", sf_text_quote(ref));
	if (!rc)
		from_row(res, 0, out);
	PQclear(res);
	free(sql);
	return rc;
}

int sf_account_get(struct sf_db *db, const char *ref, struct sf_account *out)
{
	return select_one(db, ref, "", out);
}

/* A unique violation, said in terms of the field that collided. */
static int taken(struct sf_db *db, int rc, const char *email, const char *username)
{
	const char *c = sf_db_constraint(db);

	if (rc != SF_ECONFLICT)
		return rc;
	if (!strcmp(c, "accounts_email_key"))
		return sf_error(SF_ECONFLICT, "email '%s' is already taken", sf_text_quote(email));
	if (!strcmp(c, "accounts_username_key"))
		return sf_error(SF_ECONFLICT, "username '%s' is already taken",
				sf_text_quote(username));
	return rc;
}

/* ---- add ---- */

struct add_ctx {
	const struct sf_actor *actor;
	const struct sf_account_new *in;
	const char *role;
	const char *hash;
	struct sf_account *out;
};

static int add_tx(struct sf_db *db, void *arg)
{
	struct add_ctx *c = arg;
	char id[SF_INT_STR_MAX], level[SF_INT_STR_MAX];
	PGresult *res = NULL;
	json_t *new = NULL;
	int rc;

	sf_account_release(c->out);
	rc = sf_db_query(db, &res, "INSERT INTO accounts (email, username, password_hash, role)"
			 " VALUES ($1, $2, $3, $4) RETURNING " COLS,
			 SF_ARGS(c->in->email, c->in->username, c->hash, c->role));
	if (rc)
		return taken(db, rc, c->in->email, c->in->username);
	from_row(res, 0, c->out);
	PQclear(res);
	rc = sf_db_query(db, NULL, "INSERT INTO profiles (account_id, name, maturity)"
			 " VALUES ($1, $2, $3)",
			 SF_ARGS(sf_db_fmt_int(id, c->out->id), c->out->username,
				 sf_db_fmt_int(level, SF_MATURITY_MAX)));
	if (rc)
		return rc;
	new = sf_account_json(c->out);
	rc = sf_audit_record(db, c->actor, "user.add", "account", c->out->id, NULL, new);
	json_decref(new);
	return rc;
}

int sf_account_add(struct sf_db *db, const struct sf_actor *actor,
		   const struct sf_account_new *in, struct sf_account *out)
{
	char hash[SF_HASH_MAX];
	struct add_ctx c = { actor, in, in->role ? in->role : "viewer", hash, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_ACCOUNTS)) ||
	    (rc = sf_email_check(in->email)) || (rc = sf_username_check(in->username)) ||
	    (rc = sf_role_check(c.role)) || (rc = sf_password_check(in->password)))
		return rc;
	if (!strcmp(c.role, "admin") && (rc = sf_actor_require(actor, SF_PERM_GRANT_ADMIN)))
		return rc;
	rc = sf_password_hash(in->password, hash);
	if (!rc)
		rc = sf_db_tx(db, 0, add_tx, &c);
	sodium_memzero(hash, sizeof(hash));
	if (rc)
		sf_account_release(out);
	return rc;
}

/* ---- list ---- */

int sf_account_list(struct sf_db *db, const struct sf_account_filter *f, json_t **out)
{
	PGresult *res = NULL;
	const char *status = f->status;
	int deleted = 0, rc = 0;

	*out = NULL;
	if (f->role)
		rc = sf_role_check(f->role);
	if (!rc && status && strcmp(status, "active") && strcmp(status, "suspended") &&
	    strcmp(status, "deleted"))
		rc = sf_error(SF_EINVAL, "status '%s': not one of active, suspended, deleted",
			      sf_text_quote(status));
	if (rc)
		return rc;
	if (status && !strcmp(status, "deleted")) {
		deleted = 1;
		status = NULL;
	}
	rc = sf_db_query(db, &res, "SELECT " COLS " FROM accounts"
			 " WHERE ($1::text IS NULL OR role = $1)"
			 "   AND ($2::text IS NULL OR status = $2)"
			 "   AND CASE WHEN $3 THEN deleted_at IS NOT NULL"
			 "            WHEN $4 THEN true ELSE deleted_at IS NULL END"
			 " ORDER BY id",
			 SF_ARGS(f->role, status, deleted ? "true" : "false",
				 f->all ? "true" : "false"));
	if (rc)
		return rc;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		struct sf_account a;

		from_row(res, i, &a);
		json_array_append_new(*out, sf_account_json(&a));
		sf_account_release(&a);
	}
	PQclear(res);
	return 0;
}

/* ---- changes ---- */

struct change {
	const struct sf_actor *actor;
	const char *ref;
	const char *action;      /* audit action */
	const char *sql;         /* the change; $1 is the id; RETURNING COLS (or nothing) */
	int nargs;               /* how many of $1, $2, $3 the SQL uses */
	const char *arg2, *arg3; /* $2, $3 */
	int allow_deleted;
	int removes_admin;       /* the change could leave no active admin */
	int grants_admin;        /* the change makes someone an admin */
	struct sf_account *out;  /* the account after (before, for a purge) */
	int (*precheck)(struct change *c, const struct sf_account *old);
};

static int last_admin_check(struct sf_db *db, const struct sf_account *old)
{
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	if (strcmp(old->role, "admin") || old->deleted_at || strcmp(old->status, "active"))
		return 0;
	/* Lock every admin row so two demotions cannot both pass this check. */
	rc = sf_db_query(db, &res, "SELECT id FROM accounts WHERE role = 'admin'"
			 " AND status = 'active' AND deleted_at IS NULL AND id <> $1 FOR UPDATE",
			 SF_ARGS(sf_db_fmt_int(id, old->id)));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ECONFLICT, "account '%s' is the last active admin", old->email);
	PQclear(res);
	return rc;
}

static int change_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	struct sf_account old;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	json_t *jold = NULL, *jnew = NULL;
	int rc;

	sf_account_release(c->out);
	/* Changes that may remove an admin queue up here first: each would
	 * otherwise hold its own row while locking the other admins' rows. */
	if (c->removes_admin &&
	    (rc = sf_db_query(db, NULL, "SELECT pg_advisory_xact_lock(" ADMINS_LOCK ")",
			      SF_NOARGS)))
		return rc;
	rc = select_one(db, c->ref, " FOR UPDATE", &old);
	if (rc)
		return rc;
	/* Who may touch the account comes first, so a refusal reveals nothing
	 * about its state. */
	if ((!strcmp(old.role, "admin") || c->grants_admin) &&
	    (rc = sf_actor_require(c->actor, SF_PERM_GRANT_ADMIN)))
		goto out;
	if (old.deleted_at && !c->allow_deleted) {
		rc = sf_error(SF_ECONFLICT, "account '%s' is deleted; restore it first", old.email);
		goto out;
	}
	if (c->precheck && (rc = c->precheck(c, &old)))
		goto out;
	if (c->removes_admin && (rc = last_admin_check(db, &old)))
		goto out;
	rc = sf_db_query(db, &res, c->sql, c->nargs,
			 (const char *const[]){ sf_db_fmt_int(id, old.id), c->arg2, c->arg3 });
	if (rc) {
		rc = taken(db, rc, c->arg2, c->arg3);
		goto out;
	}
	jold = sf_account_json(&old);
	from_row(res, 0, c->out);  /* for a purge: the account as it was */
	if (strcmp(c->action, "user.purge") != 0)
		jnew = sf_account_json(c->out);
	rc = sf_audit_record(db, c->actor, c->action, "account", old.id, jold, jnew);
out:
	PQclear(res);
	json_decref(jold);
	json_decref(jnew);
	sf_account_release(&old);
	return rc;
}

static int change(struct sf_db *db, struct change *c)
{
	struct sf_account scratch = { 0 };
	int rc;

	if (!c->out)
		c->out = &scratch;
	memset(c->out, 0, sizeof(*c->out));
	rc = ref_check(c->ref);
	if (!rc)
		rc = sf_actor_require(c->actor, SF_PERM_MANAGE_ACCOUNTS);
	if (!rc)
		rc = sf_db_tx(db, 0, change_tx, c);
	if (rc || c->out == &scratch)
		sf_account_release(c->out);
	return rc;
}

int sf_account_update(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      const char *email, const char *username, struct sf_account *out)
{
	struct change c = {
		.actor = actor, .ref = ref, .action = "user.set", .out = out,
		.nargs = 3, .sql = "UPDATE accounts SET email = coalesce($2, email),"
		       " username = coalesce($3, username), updated_at = now()"
		       " WHERE id = $1 RETURNING " COLS,
		.arg2 = email, .arg3 = username,
	};
	int rc = 0;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!email && !username)
		return sf_error(SF_EINVAL, "nothing to change; give --email or --username");
	if (email)
		rc = sf_email_check(email);
	if (!rc && username)
		rc = sf_username_check(username);
	if (!rc)
		rc = change(db, &c);
	return rc;
}

int sf_account_set_password(struct sf_db *db, const struct sf_actor *actor,
			    const char *ref, const char *password)
{
	char hash[SF_HASH_MAX];
	struct change c = {
		.actor = actor, .ref = ref, .action = "user.passwd", .arg2 = hash, .nargs = 2,
		.sql = "UPDATE accounts SET password_hash = $2, updated_at = now()"
		       " WHERE id = $1 RETURNING " COLS,
	};
	int rc = sf_password_check(password);

	if (!rc)
		rc = ref_check(ref);
	if (!rc)
		rc = sf_actor_require(actor, SF_PERM_MANAGE_ACCOUNTS);
	if (!rc)
		rc = sf_password_hash(password, hash);
	if (!rc)
		rc = change(db, &c);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static int same_role(struct change *c, const struct sf_account *old)
{
	if (!strcmp(old->role, c->arg2))
		return sf_error(SF_ECONFLICT, "account '%s' already has role %s", old->email,
				old->role);
	return 0;
}

int sf_account_set_role(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			const char *role, struct sf_account *out)
{
	struct change c = {
		.actor = actor, .ref = ref, .action = "user.role", .arg2 = role, .out = out, .nargs = 2,
		.sql = "UPDATE accounts SET role = $2, updated_at = now()"
		       " WHERE id = $1 RETURNING " COLS,
		.precheck = same_role, .removes_admin = strcmp(role, "admin") != 0,
		.grants_admin = !strcmp(role, "admin"),
	};
	int rc = sf_role_check(role);

	if (out)
		memset(out, 0, sizeof(*out));
	return rc ? rc : change(db, &c);
}

static int same_status(struct change *c, const struct sf_account *old)
{
	if (!strcmp(old->status, c->arg2))
		return sf_error(SF_ECONFLICT, "account '%s' is already %s", old->email, old->status);
	return 0;
}

int sf_account_set_suspended(struct sf_db *db, const struct sf_actor *actor,
			     const char *ref, int suspend, struct sf_account *out)
{
	struct change c = {
		.actor = actor, .ref = ref, .out = out,
		.action = suspend ? "user.suspend" : "user.unsuspend",
		.arg2 = suspend ? "suspended" : "active", .nargs = 2,
		.sql = "UPDATE accounts SET status = $2, updated_at = now()"
		       " WHERE id = $1 RETURNING " COLS,
		.precheck = same_status, .removes_admin = suspend,
	};

	return change(db, &c);
}

static int not_deleted(struct change *c, const struct sf_account *old)
{
	(void)c;
	if (old->deleted_at)
		return sf_error(SF_ECONFLICT, "account '%s' is already deleted", old->email);
	return 0;
}

static int is_deleted(struct change *c, const struct sf_account *old)
{
	(void)c;
	if (!old->deleted_at)
		return sf_error(SF_ECONFLICT, "account '%s' is not deleted", old->email);
	return 0;
}

int sf_account_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      struct sf_account *out)
{
	struct change c = {
		.actor = actor, .ref = ref, .action = "user.delete", .out = out, .nargs = 1,
		.allow_deleted = 1, .precheck = not_deleted, .removes_admin = 1,
		.sql = "UPDATE accounts SET deleted_at = now(), updated_at = now()"
		       " WHERE id = $1 RETURNING " COLS,
	};

	return change(db, &c);
}

int sf_account_restore(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		       struct sf_account *out)
{
	struct change c = {
		.actor = actor, .ref = ref, .action = "user.restore", .out = out, .nargs = 1,
		.allow_deleted = 1, .precheck = is_deleted,
		.sql = "UPDATE accounts SET deleted_at = NULL, updated_at = now()"
		       " WHERE id = $1 RETURNING " COLS,
	};

	return change(db, &c);
}

int sf_account_purge(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		     struct sf_account *out)
{
	struct change c = {
		.actor = actor, .ref = ref, .action = "user.purge", .out = out, .nargs = 1,
		.allow_deleted = 1, .removes_admin = 1,
		.sql = "DELETE FROM accounts WHERE id = $1 RETURNING " COLS,
	};

	return change(db, &c);
}

int sf_account_check_password(struct sf_db *db, const char *ref, const char *password,
			      int *match)
{
	char *sql = sf_xasprintf("SELECT password_hash FROM accounts WHERE %s"
				 " AND deleted_at IS NULL", ref_condition(ref));
	PGresult *res = NULL;
	int rc = ref_check(ref);

	*match = 0;
	if (!rc)
		rc = sf_db_query(db, &res, sql, SF_ARGS(ref));
	if (!rc && PQntuples(res) == 1)
		*match = sf_password_verify(sf_db_str(res, 0, "password_hash"), password);
	PQclear(res);
	free(sql);
	return rc;
}
