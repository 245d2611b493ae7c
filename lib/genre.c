/*
 * genre.c - add, list, rename and delete genres.
 */
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "genre.h"
#include "text.h"
#include "title_field.h"
#include "xalloc.h"

#define COLS "g.id, g.name, (SELECT count(*) FROM title_genres tg WHERE tg.genre_id = g.id)" \
	     " AS titles"

static json_t *from_row(const PGresult *res, int row)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(sf_db_int(res, row, "id")));
	json_object_set_new(o, "name", json_string(sf_db_str(res, row, "name")));
	json_object_set_new(o, "titles", json_integer(sf_db_int(res, row, "titles")));
	return o;
}

static int name_check(const char *name)
{
	int rc = sf_genre_name_check("genre", name);

	if (!rc && strspn(name, "0123456789") == strlen(name))
		rc = sf_error(SF_EINVAL, "genre '%s': must not be all digits (that reads as an id)",
			      name);
	return rc;
}

static int select_one(struct sf_db *db, const char *ref, const char *suffix, json_t **out)
{
	long long id;
	const char *cond = sf_text_parse_id(ref, &id) ? "g.id = $1::bigint"
						       : "lower(g.name) = lower($1)";
	char *sql = sf_xasprintf("SELECT " COLS " FROM genres g WHERE %s%s", cond, suffix);
	PGresult *res = NULL;
	int rc = 0;

	*out = NULL;
	if (!*ref || !sf_utf8_valid(ref, strlen(ref)))
		rc = sf_error(SF_EINVAL, "genre '%s': not a genre id or name", sf_text_quote(ref));
	if (!rc)
		rc = sf_db_query(db, &res, sql, SF_ARGS(ref));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "genre '%s': not found", sf_text_quote(ref));
	if (!rc)
		*out = from_row(res, 0);
	PQclear(res);
	free(sql);
	return rc;
}

int sf_genre_get(struct sf_db *db, const char *ref, json_t **out)
{
	return select_one(db, ref, "", out);
}

int sf_genre_list(struct sf_db *db, json_t **out)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT " COLS " FROM genres g ORDER BY lower(g.name)",
			     SF_NOARGS);

	*out = NULL;
	if (rc)
		return rc;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(*out, from_row(res, i));
	PQclear(res);
	return 0;
}

/* SF_ECONFLICT if another genre (not id) has name in any case. */
static int name_free(struct sf_db *db, const char *name, const char *id)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT name FROM genres WHERE lower(name) = lower($1)"
			     " AND id IS DISTINCT FROM $2::integer", SF_ARGS(name, id));

	if (!rc && PQntuples(res) > 0)
		rc = !strcmp(sf_db_str(res, 0, "name"), name)
			? sf_error(SF_ECONFLICT, "genre '%s' already exists", sf_text_quote(name))
			: sf_error(SF_ECONFLICT, "genre '%s' already exists (as '%s')",
				   sf_text_quote(name), sf_text_quote(sf_db_str(res, 0, "name")));
	PQclear(res);
	return rc;
}

/* A unique violation on the name (a race with another add), said as such. */
static int taken(struct sf_db *db, int rc, const char *name)
{
	if (rc == SF_ECONFLICT && !strcmp(sf_db_constraint(db), "genres_name_key"))
		return sf_error(SF_ECONFLICT, "genre '%s' already exists", sf_text_quote(name));
	return rc;
}

struct change {
	const struct sf_actor *actor;
	const char *ref;       /* NULL: add */
	const char *name;      /* new name; NULL: delete */
	json_t **out;
};

static int change_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char id[SF_INT_STR_MAX];
	json_t *old = NULL, *new = NULL;
	PGresult *res = NULL;
	const char *action;
	int rc = 0;

	json_decref(*c->out);
	*c->out = NULL;
	if (c->ref && (rc = select_one(db, c->ref, " FOR UPDATE", &old)))
		return rc;
	if (old)
		sf_db_fmt_int(id, json_integer_value(json_object_get(old, "id")));
	if (!c->ref) {
		action = "genre.add";
		rc = name_free(db, c->name, NULL);
		if (!rc)
			rc = sf_db_query(db, &res, "INSERT INTO genres (name) VALUES ($1) RETURNING id",
					 SF_ARGS(c->name));
		if (!rc)
			sf_db_fmt_int(id, sf_db_int(res, 0, "id"));
		rc = taken(db, rc, c->name);
	} else if (c->name) {
		action = "genre.rename";
		if (!strcmp(json_string_value(json_object_get(old, "name")), c->name))
			rc = sf_error(SF_ECONFLICT, "genre '%s' already has that name",
				      sf_text_quote(c->name));
		if (!rc)
			rc = name_free(db, c->name, id);
		if (!rc)
			rc = taken(db, sf_db_query(db, NULL, "UPDATE genres SET name = $2 WHERE id = $1",
						   SF_ARGS(id, c->name)), c->name);
		/* The titles' search documents may hold the genre's name. */
		if (!rc)
			rc = sf_db_query(db, NULL, "SELECT sf_title_reindex(title_id)"
					 " FROM title_genres WHERE genre_id = $1", SF_ARGS(id));
	} else {
		action = "genre.delete";
		if (json_integer_value(json_object_get(old, "titles")) > 0)
			rc = sf_error(SF_ECONFLICT, "genre '%s' is used by %lld title%s; take it off "
				      "them first", sf_text_quote(json_string_value(json_object_get(
					      old, "name"))),
				      (long long)json_integer_value(json_object_get(old, "titles")),
				      json_integer_value(json_object_get(old, "titles")) == 1 ? "" : "s");
		if (!rc)
			rc = sf_db_query(db, NULL, "DELETE FROM genres WHERE id = $1", SF_ARGS(id));
	}
	PQclear(res);
	if (!rc && c->name)
		rc = select_one(db, id, "", &new);
	if (!rc)
		rc = sf_audit_record(db, c->actor, action, "genre", strtoll(id, NULL, 10), old, new);
	if (!rc)
		*c->out = c->name ? json_incref(new) : json_incref(old);
	json_decref(old);
	json_decref(new);
	return rc;
}

static int change(struct sf_db *db, struct change *c)
{
	int rc = sf_actor_require(c->actor, SF_PERM_MANAGE_CATALOG);

	*c->out = NULL;
	if (!rc && c->name)
		rc = name_check(c->name);
	if (!rc)
		rc = sf_db_tx(db, 0, change_tx, c);
	if (rc) {
		json_decref(*c->out);
		*c->out = NULL;
	}
	return rc;
}

int sf_genre_add(struct sf_db *db, const struct sf_actor *actor, const char *name,
		 json_t **out)
{
	struct change c = { actor, NULL, name, out };

	return change(db, &c);
}

int sf_genre_rename(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    const char *name, json_t **out)
{
	struct change c = { actor, ref, name, out };

	return change(db, &c);
}

int sf_genre_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    json_t **out)
{
	struct change c = { actor, ref, NULL, out };

	return change(db, &c);
}
