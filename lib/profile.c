/*
 * profile.c - add, find, change and delete profiles.
 *
 * Adding takes a lock on the account row first, so two concurrent adds
 * cannot both see four profiles and make seven between them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "maturity.h"
#include "password.h"
#include "profile.h"
#include "text.h"
#include "xalloc.h"

#define COLS "p.id, p.account_id, p.name, p.maturity, p.kids, p.language," \
	     " p.pin_hash IS NOT NULL AS has_pin, sf_iso(p.created_at) AS created_at," \
	     " sf_iso(p.updated_at) AS updated_at, p.list_on_finish"

const char *const sf_profile_on_finish[] = { "keep", "remove", "watched", NULL };

int sf_language_check(const char *tag, char out[16])
{
	size_t lang = 0, n = strlen(tag);

	while (lang < n && isalpha((unsigned char)tag[lang]))
		lang++;
	if (lang < 2 || lang > 3)
		goto bad;
	if (lang < n) {
		const char *r = tag + lang + 1;
		size_t rl = n - lang - 1;

		if (tag[lang] != '-' ||
		    !((rl == 2 && isalpha((unsigned char)r[0]) && isalpha((unsigned char)r[1])) ||
		      (rl == 3 && strspn(r, "0123456789") == 3)))
			goto bad;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(i < lang ? tolower((unsigned char)tag[i])
				: toupper((unsigned char)tag[i]));
	out[n] = '\0';
	return 0;
bad:
	return sf_error(SF_EINVAL, "language '%s': not a language tag such as en, fr or pt-BR",
			sf_text_quote(tag));
}

static void from_row(const PGresult *res, int row, struct sf_profile *p)
{
	p->id = sf_db_int(res, row, "id");
	p->account_id = sf_db_int(res, row, "account_id");
	p->name = sf_xstrdup(sf_db_str(res, row, "name"));
	p->maturity = (int)sf_db_int(res, row, "maturity");
	p->kids = sf_db_bool(res, row, "kids");
	p->language = sf_xstrdup(sf_db_str(res, row, "language"));
	p->has_pin = sf_db_bool(res, row, "has_pin");
	p->created_at = sf_xstrdup(sf_db_str(res, row, "created_at"));
	p->updated_at = sf_xstrdup(sf_db_str(res, row, "updated_at"));
	p->list_on_finish = sf_xstrdup(sf_db_str(res, row, "list_on_finish"));
}

void sf_profile_release(struct sf_profile *p)
{
	free(p->name);
	free(p->language);
	free(p->created_at);
	free(p->updated_at);
	free(p->list_on_finish);
	memset(p, 0, sizeof(*p));
}

json_t *sf_profile_json(const struct sf_profile *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "account_id", json_integer(p->account_id));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "maturity", json_string(sf_maturity_label(p->maturity)));
	json_object_set_new(o, "maturity_level", json_integer(p->maturity));
	json_object_set_new(o, "kids", json_boolean(p->kids));
	json_object_set_new(o, "language", json_string(p->language));
	json_object_set_new(o, "has_pin", json_boolean(p->has_pin));
	json_object_set_new(o, "list_on_finish", json_string(p->list_on_finish));
	json_object_set_new(o, "created_at", json_string(p->created_at));
	json_object_set_new(o, "updated_at", json_string(p->updated_at));
	return o;
}

/* Splits "ACCOUNT/NAME" (or an id) into a WHERE condition and its two
 * parameters. */
struct ref {
	const char *cond;
	char *a, *b;
};

static int parse_ref(const char *ref, struct ref *r)
{
	const char *slash = strchr(ref, '/');
	long long id;

	memset(r, 0, sizeof(*r));
	if (!sf_utf8_valid(ref, strlen(ref)))
		return sf_error(SF_EINVAL, "profile '%s': not valid UTF-8", sf_text_quote(ref));
	if (sf_text_parse_id(ref, &id)) {
		r->cond = "p.id = $1::bigint AND $2::text IS NULL";
		r->a = sf_xstrdup(ref);
		return 0;
	}
	if (!slash || slash == ref || !slash[1])
		return sf_error(SF_EINVAL, "profile '%s': give an id or ACCOUNT/NAME",
				sf_text_quote(ref));
	r->a = sf_xstrndup(ref, (size_t)(slash - ref));
	r->b = sf_xstrdup(slash + 1);
	if (sf_text_parse_id(r->a, &id))
		r->cond = "a.id = $1::bigint AND lower(p.name) = lower($2)";
	else if (strchr(r->a, '@'))
		r->cond = "lower(a.email) = lower($1) AND lower(p.name) = lower($2)";
	else
		r->cond = "lower(a.username) = lower($1) AND lower(p.name) = lower($2)";
	return 0;
}

static void ref_release(struct ref *r)
{
	free(r->a);
	free(r->b);
}

/* Loads a profile and its account's email and deleted flag. */
static int select_profile(struct sf_db *db, const char *ref, const char *suffix,
			  struct sf_profile *out, PGresult **extra)
{
	struct ref r;
	char *sql = NULL;
	PGresult *res = NULL;
	int rc = parse_ref(ref, &r);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	sql = sf_xasprintf("SELECT " COLS ", a.email, a.deleted_at IS NOT NULL AS account_deleted,"
			   " p.pin_hash FROM profiles p JOIN accounts a ON a.id = p.account_id"
			   " WHERE %s%s", r.cond, suffix);
	rc = sf_db_query(db, &res, sql, SF_ARGS(r.a, r.b));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "profile '%s': not found", sf_text_quote(ref));
	if (!rc)
		from_row(res, 0, out);
	if (!rc && extra) {
		*extra = res;
		res = NULL;
	}
	PQclear(res);
	free(sql);
	ref_release(&r);
	return rc;
}

int sf_profile_get(struct sf_db *db, const char *ref, struct sf_profile *out)
{
	return select_profile(db, ref, "", out, NULL);
}

/* OS users and account managers may touch any profile; an account only
 * its own. */
static int may_touch(const struct sf_actor *actor, long long account_id)
{
	if (!actor->account_id || actor->account_id == account_id)
		return 0;
	return sf_actor_require(actor, SF_PERM_MANAGE_ACCOUNTS);
}

/* Validated form of a change. */
struct fields {
	int maturity;            /* 0: unchanged */
	char language[16];       /* "": unchanged */
	char pin_hash[SF_HASH_MAX];
	int set_pin;
	const char *on_finish;   /* NULL: unchanged */
};

static int check_change(const struct sf_profile_change *in, struct fields *f)
{
	int rc = 0;

	memset(f, 0, sizeof(*f));
	if (in->name)
		rc = sf_text_check("profile name", in->name, 1, SF_PROFILE_NAME_MAX);
	if (!rc && in->name && strchr(in->name, '/'))
		rc = sf_error(SF_EINVAL, "profile name '%s': must not contain '/'",
			      sf_text_quote(in->name));
	if (!rc && in->maturity)
		rc = sf_maturity_parse(in->maturity, &f->maturity);
	if (!rc && in->language)
		rc = sf_language_check(in->language, f->language);
	if (!rc && in->pin && in->clear_pin)
		rc = sf_error(SF_EINVAL, "give a PIN or clear it, not both");
	if (!rc && in->list_on_finish) {
		for (int i = 0; sf_profile_on_finish[i]; i++)
			if (!strcasecmp(in->list_on_finish, sf_profile_on_finish[i]))
				f->on_finish = sf_profile_on_finish[i];
		if (!f->on_finish)
			rc = sf_error(SF_EINVAL, "on finish '%s': not one of keep, remove, watched",
				      sf_text_quote(in->list_on_finish));
	}
	if (!rc && in->pin && !(rc = sf_pin_check(in->pin))) {
		rc = sf_password_hash(in->pin, f->pin_hash);
		f->set_pin = 1;
	}
	return rc;
}

static int kids_cap(int kids, int maturity)
{
	if (kids && maturity > SF_MATURITY_KIDS_MAX)
		return sf_error(SF_EINVAL, "maturity rating '%s': above %s, the most a kids "
				"profile may have", sf_maturity_label(maturity),
				sf_maturity_label(SF_MATURITY_KIDS_MAX));
	return 0;
}

static int name_taken(struct sf_db *db, int rc, const char *name)
{
	if (rc == SF_ECONFLICT && !strcmp(sf_db_constraint(db), "profiles_account_name_key"))
		return sf_error(SF_ECONFLICT, "profile '%s' already exists on this account",
				sf_text_quote(name));
	return rc;
}

/* ---- add ---- */

struct add_ctx {
	const struct sf_actor *actor;
	const char *account_ref;
	const struct sf_profile_change *in;
	struct fields *f;
	struct sf_profile *out;
};

static int add_tx(struct sf_db *db, void *arg)
{
	struct add_ctx *c = arg;
	char *sql = NULL, id[SF_INT_STR_MAX], level[SF_INT_STR_MAX];
	struct sf_account acct = { 0 };
	PGresult *res = NULL;
	json_t *new = NULL;
	int rc, kids = c->in->kids > 0;
	int maturity = c->f->maturity ? c->f->maturity
		     : kids ? SF_MATURITY_KIDS_MAX : SF_MATURITY_MAX;

	sf_profile_release(c->out);
	rc = sf_account_get(db, c->account_ref, &acct);
	if (rc)
		return rc;
	if (acct.deleted_at) {
		rc = sf_error(SF_ECONFLICT, "account '%s' is deleted; restore it first", acct.email);
		goto out;
	}
	if ((rc = may_touch(c->actor, acct.id)) || (rc = kids_cap(kids, maturity)))
		goto out;
	sf_db_fmt_int(id, acct.id);
	/* Lock, then count in a statement of its own: a statement that waited
	 * for the lock still counts with the snapshot it took before waiting. */
	rc = sf_db_query(db, &res, "SELECT deleted_at IS NOT NULL AS deleted FROM accounts"
			 " WHERE id = $1 FOR UPDATE", SF_ARGS(id));
	if (!rc && (PQntuples(res) == 0 || sf_db_bool(res, 0, "deleted")))
		rc = sf_error(SF_ECONFLICT, "account '%s' is deleted; restore it first", acct.email);
	PQclear(res);
	res = NULL;
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM profiles WHERE account_id = $1",
				 SF_ARGS(id));
	if (!rc && sf_db_int(res, 0, "n") >= SF_PROFILES_MAX)
		rc = sf_error(SF_ECONFLICT, "account '%s' already has %d profiles, the most "
			      "allowed", acct.email, SF_PROFILES_MAX);
	PQclear(res);
	res = NULL;
	if (rc)
		goto out;
	rc = sf_db_query(db, &res, "INSERT INTO profiles AS p (account_id, name, maturity, kids,"
			 " language, pin_hash, list_on_finish) VALUES ($1, $2, $3, $4,"
			 " coalesce($5, 'en'), $6, coalesce($7, 'keep')) RETURNING " COLS,
			 SF_ARGS(id, c->in->name, sf_db_fmt_int(level, maturity),
				 kids ? "true" : "false",
				 c->f->language[0] ? c->f->language : NULL,
				 c->f->set_pin ? c->f->pin_hash : NULL, c->f->on_finish));
	if (rc) {
		rc = name_taken(db, rc, c->in->name);
		goto out;
	}
	from_row(res, 0, c->out);
	new = sf_profile_json(c->out);
	rc = sf_audit_record(db, c->actor, "profile.add", "profile", c->out->id, NULL, new);
out:
	json_decref(new);
	PQclear(res);
	free(sql);
	sf_account_release(&acct);
	return rc;
}

int sf_profile_add(struct sf_db *db, const struct sf_actor *actor, const char *account_ref,
		   const struct sf_profile_change *in, struct sf_profile *out)
{
	struct fields f;
	struct add_ctx c = { actor, account_ref, in, &f, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (!in->name)
		return sf_error(SF_EINVAL, "a profile needs a name");
	rc = check_change(in, &f);
	if (!rc)
		rc = sf_db_tx(db, 0, add_tx, &c);
	sodium_memzero(&f, sizeof(f));
	if (rc)
		sf_profile_release(out);
	return rc;
}

/* ---- list ---- */

int sf_profile_list(struct sf_db *db, const struct sf_actor *actor, const char *account_ref,
		    json_t **out)
{
	struct sf_account acct = { 0 };
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	rc = sf_account_get(db, account_ref, &acct);
	if (!rc)
		rc = may_touch(actor, acct.id);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT " COLS " FROM profiles p WHERE p.account_id = $1"
				 " ORDER BY p.id", SF_ARGS(sf_db_fmt_int(id, acct.id)));
	if (!rc) {
		*out = json_array();
		for (int i = 0; i < PQntuples(res); i++) {
			struct sf_profile p;

			from_row(res, i, &p);
			json_array_append_new(*out, sf_profile_json(&p));
			sf_profile_release(&p);
		}
	}
	PQclear(res);
	sf_account_release(&acct);
	return rc;
}

/* ---- update and delete ---- */

struct change_ctx {
	const struct sf_actor *actor;
	const char *ref;
	const struct sf_profile_change *in;
	struct fields *f;
	int delete;
	struct sf_profile *out;
};

static int change_tx(struct sf_db *db, void *arg)
{
	struct change_ctx *c = arg;
	struct sf_profile old;
	char id[SF_INT_STR_MAX], level[SF_INT_STR_MAX];
	PGresult *res = NULL, *extra = NULL;
	json_t *jold = NULL, *jnew = NULL;
	int rc;

	sf_profile_release(c->out);
	rc = select_profile(db, c->ref, " FOR UPDATE OF p", &old, &extra);
	if (rc)
		return rc;
	if (sf_db_bool(extra, 0, "account_deleted")) {
		rc = sf_error(SF_ECONFLICT, "account '%s' is deleted; restore it first",
			      sf_db_str(extra, 0, "email"));
		goto out;
	}
	if ((rc = may_touch(c->actor, old.account_id)))
		goto out;
	sf_db_fmt_int(id, old.id);
	if (c->delete) {
		char acct[SF_INT_STR_MAX];

		/* Lock, then count in a new statement (and so a new snapshot). */
		rc = sf_db_query(db, NULL, "SELECT id FROM accounts WHERE id = $1 FOR UPDATE",
				 SF_ARGS(sf_db_fmt_int(acct, old.account_id)));
		if (!rc)
			rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM profiles"
					 " WHERE account_id = $1", SF_ARGS(acct));
		if (!rc && sf_db_int(res, 0, "n") <= 1)
			rc = sf_error(SF_ECONFLICT, "profile '%s' is the account's only profile",
				      sf_text_quote(old.name));
		PQclear(res);
		res = NULL;
		if (!rc)
			rc = sf_db_query(db, NULL, "DELETE FROM profiles WHERE id = $1", SF_ARGS(id));
	} else {
		int kids = c->in->kids >= 0 ? c->in->kids : old.kids;
		int maturity = c->f->maturity ? c->f->maturity : old.maturity;

		/* Turning a profile into a kids profile lowers a limit above the cap. */
		if (c->in->kids == 1 && !c->f->maturity && maturity > SF_MATURITY_KIDS_MAX)
			maturity = SF_MATURITY_KIDS_MAX;
		rc = kids_cap(kids, maturity);
		if (!rc)
			rc = sf_db_query(db, &res, "UPDATE profiles AS p SET name = coalesce($2, name),"
				" maturity = $3, kids = $4, language = coalesce($5, language),"
				" pin_hash = CASE WHEN $7 THEN NULL ELSE coalesce($6, pin_hash) END,"
				" list_on_finish = coalesce($8, list_on_finish),"
				" updated_at = now() WHERE id = $1 RETURNING " COLS,
				SF_ARGS(id, c->in->name, sf_db_fmt_int(level, maturity),
					kids ? "true" : "false",
					c->f->language[0] ? c->f->language : NULL,
					c->f->set_pin ? c->f->pin_hash : NULL,
					c->in->clear_pin ? "true" : "false", c->f->on_finish));
		if (rc)
			rc = name_taken(db, rc, c->in->name ? c->in->name : old.name);
	}
	if (rc)
		goto out;
	jold = sf_profile_json(&old);
	if (c->delete) {
		*c->out = old;
		memset(&old, 0, sizeof(old));
	} else {
		from_row(res, 0, c->out);
		jnew = sf_profile_json(c->out);
	}
	rc = sf_audit_record(db, c->actor, c->delete ? "profile.delete" : "profile.set",
			     "profile", c->out->id, jold, jnew);
out:
	json_decref(jold);
	json_decref(jnew);
	PQclear(res);
	PQclear(extra);
	sf_profile_release(&old);
	return rc;
}

int sf_profile_update(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      const struct sf_profile_change *in, struct sf_profile *out)
{
	struct fields f;
	struct change_ctx c = { actor, ref, in, &f, 0, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (!in->name && !in->maturity && in->kids < 0 && !in->language && !in->pin &&
	    !in->clear_pin && !in->list_on_finish)
		return sf_error(SF_EINVAL, "nothing to change; give --name, --maturity, --kids, "
				"--language, --on-finish or a PIN option");
	rc = check_change(in, &f);
	if (!rc)
		rc = sf_db_tx(db, 0, change_tx, &c);
	sodium_memzero(&f, sizeof(f));
	if (rc)
		sf_profile_release(out);
	return rc;
}

int sf_profile_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      struct sf_profile *out)
{
	struct sf_profile_change none = SF_PROFILE_CHANGE_INIT;
	struct fields f = { 0 };
	struct change_ctx c = { actor, ref, &none, &f, 1, out };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sf_db_tx(db, 0, change_tx, &c);
	if (rc)
		sf_profile_release(out);
	return rc;
}

int sf_profile_check_pin(struct sf_db *db, const char *ref, const char *pin, int *match)
{
	struct sf_profile p;
	PGresult *extra = NULL;
	int rc = select_profile(db, ref, "", &p, &extra);

	*match = 0;
	if (!rc) {
		const char *hash = sf_db_str(extra, 0, "pin_hash");

		*match = !hash || sf_password_verify(hash, pin);
	}
	PQclear(extra);
	sf_profile_release(&p);
	return rc;
}
