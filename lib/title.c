/*
 * title.c - add, find, list, change and delete titles.
 *
 * sf_title_apply() is the one way a title's fields, genres, credits and
 * seasons are written: add, edit, schedule, import and rollback all call
 * it with a checked sf_title_input (title_field.h), inside a change of
 * title_version.c.  The columns go in with one UPDATE through
 * jsonb_populate_record, so a field not given keeps its value; genres and
 * credits given replace the title's; seasons given are matched by number
 * (and their episodes by number) so that what stays keeps its row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "role.h"
#include "text.h"
#include "title.h"
#include "title_version.h"
#include "xalloc.h"

/* ---- refs ---- */

/* The WHERE condition for ref and its parameter (*value points into ref). */
static int ref_parse(const char *ref, const char **cond, const char **value)
{
	long long id;

	if (!*ref)
		return sf_error(SF_EINVAL, "title: empty name; give an id or an external id");
	if (!sf_utf8_valid(ref, strlen(ref)))
		return sf_error(SF_EINVAL, "title '%s': not valid UTF-8", sf_text_quote(ref));
	if (strspn(ref, "0123456789") == strlen(ref)) {
		if (!sf_text_parse_id(ref, &id))
			return sf_error(SF_EINVAL, "title '%s': not a valid id", sf_text_quote(ref));
		*cond = "t.id = $1::bigint";
		*value = ref;
		return 0;
	}
	*cond = "t.external_id = $1";
	*value = strncmp(ref, "ext:", 4) ? ref : ref + 4;
	if (!**value)
		return sf_error(SF_EINVAL, "title '%s': no external id after 'ext:'",
				sf_text_quote(ref));
	return 0;
}

int sf_title_ref_check(const char *ref)
{
	const char *cond, *value;

	return ref_parse(ref, &cond, &value);
}

/* Finds ref's id; suffix ends the statement (" FOR UPDATE"). */
static int find(struct sf_db *db, const char *ref, const char *suffix, long long *id,
		int *visible)
{
	const char *cond, *value;
	PGresult *res = NULL;
	char *sql;
	int rc = ref_parse(ref, &cond, &value);

	if (rc)
		return rc;
	sql = sf_xasprintf("SELECT t.id, sf_title_visible(t) AS visible FROM titles t WHERE %s%s",
			   cond, suffix);
	rc = sf_db_query(db, &res, sql, SF_ARGS(value));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s': not found", sf_text_quote(ref));
	if (!rc) {
		*id = sf_db_int(res, 0, "id");
		if (visible)
			*visible = sf_db_bool(res, 0, "visible");
	}
	PQclear(res);
	free(sql);
	return rc;
}

int sf_title_find(struct sf_db *db, const char *ref, long long *id)
{
	return find(db, ref, "", id, NULL);
}

int sf_title_lock(struct sf_db *db, const char *ref, long long *id)
{
	return find(db, ref, " FOR UPDATE", id, NULL);
}

int sf_title_json(struct sf_db *db, long long id, char **text, json_t **out)
{
	char buf[SF_INT_STR_MAX];
	PGresult *res = NULL;
	const char *s;
	int rc;

	if (text)
		*text = NULL;
	if (out)
		*out = NULL;
	rc = sf_db_query(db, &res, "SELECT sf_title_json($1)::text AS j",
			 SF_ARGS(sf_db_fmt_int(buf, id)));
	if (rc)
		return rc;
	s = sf_db_str(res, 0, "j");
	if (!s)
		rc = sf_error(SF_ENOTFOUND, "title '%lld': not found", id);
	if (!rc && out && !(*out = json_loads(s, JSON_DECODE_ANY, NULL)))
		rc = sf_error(SF_EINTERNAL, "title '%lld': its JSON does not parse", id);
	if (!rc && text)
		*text = sf_xstrdup(s);
	PQclear(res);
	return rc;
}

int sf_title_operator(const struct sf_actor *actor)
{
	return !actor->account_id || sf_role_can(actor->role, SF_PERM_MANAGE_CATALOG);
}

/* ---- writing ---- */

int sf_title_insert(struct sf_db *db, const struct sf_title_input *in, long long *id)
{
	const char *kind = json_string_value(json_object_get(in->cols, "kind"));
	const char *title = json_string_value(json_object_get(in->cols, "title"));
	PGresult *res = NULL;
	int rc;

	if (!kind)
		return sf_error(SF_EINVAL, "kind: missing; a title is a movie or a series");
	if (!title)
		return sf_error(SF_EINVAL, "title: missing; a title needs a name");
	rc = sf_db_query(db, &res, "INSERT INTO titles (kind, title) VALUES ($1, $2) RETURNING id",
			 SF_ARGS(kind, title));
	if (!rc)
		*id = sf_db_int(res, 0, "id");
	PQclear(res);
	return rc;
}

static const char *col_str(const json_t *cols, const char *key)
{
	return json_string_value(json_object_get(cols, key));
}

/* Checks what the title will be, in by in the light of what it is, before
 * anything is written (the table's checks would only say "violates"). */
static int check_merged(struct sf_db *db, const char *id, const char *ref,
			const struct sf_title_input *in)
{
	PGresult *res = NULL;
	const char *kind, *from, *until, *date;
	json_t *runtime = json_object_get(in->cols, "runtime_minutes");
	long long year;
	int has_runtime, has_seasons, rc;

	rc = sf_db_query(db, &res, "SELECT t.kind, t.runtime_minutes IS NOT NULL AS has_runtime,"
			 " to_char(t.release_date, 'YYYY-MM-DD') AS release_date, t.year,"
			 " sf_iso(t.available_from) AS available_from,"
			 " sf_iso(t.available_until) AS available_until,"
			 " EXISTS (SELECT 1 FROM seasons s WHERE s.title_id = t.id) AS has_seasons"
			 " FROM titles t WHERE t.id = $1", SF_ARGS(id));
	if (rc)
		return rc;
	kind = col_str(in->cols, "kind") ? col_str(in->cols, "kind") : sf_db_str(res, 0, "kind");
	has_runtime = runtime ? !json_is_null(runtime) : sf_db_bool(res, 0, "has_runtime");
	has_seasons = in->seasons ? json_array_size(in->seasons) > 0
		    : sf_db_bool(res, 0, "has_seasons");
	from = json_object_get(in->cols, "available_from")
	     ? col_str(in->cols, "available_from") : sf_db_str(res, 0, "available_from");
	until = json_object_get(in->cols, "available_until")
	      ? col_str(in->cols, "available_until") : sf_db_str(res, 0, "available_until");
	date = json_object_get(in->cols, "release_date")
	     ? col_str(in->cols, "release_date") : sf_db_str(res, 0, "release_date");
	year = json_object_get(in->cols, "year")
	     ? json_integer_value(json_object_get(in->cols, "year")) : sf_db_int(res, 0, "year");
	if (!strcmp(kind, "series") && has_runtime)
		rc = runtime && !json_is_null(runtime)
			? sf_error(SF_EINVAL, "runtime_minutes '%lld': a series has no runtime of its "
				   "own (its episodes do)", (long long)json_integer_value(runtime))
			: sf_error(SF_ECONFLICT, "title '%s' has a runtime; clear it to make the title "
				   "a series", sf_text_quote(ref));
	else if (!strcmp(kind, "movie") && has_seasons)
		rc = in->seasons
			? sf_error(SF_EINVAL, "seasons: a movie has no seasons (its kind is movie)")
			: sf_error(SF_ECONFLICT, "title '%s' has seasons; delete them to make the "
				   "title a movie", sf_text_quote(ref));
	else if (date && year && strtoll(date, NULL, 10) != year)
		rc = sf_error(SF_EINVAL, "year '%lld': the release date %s is in %lld", year, date,
			      strtoll(date, NULL, 10));
	else if (from && until && strcmp(until, from) <= 0)
		rc = sf_error(SF_EINVAL, "available_until '%s': not after available_from '%s'",
			      until, from);
	PQclear(res);
	return rc;
}

static int update_cols(struct sf_db *db, const char *id, const json_t *cols)
{
	char *names = sf_xstrdup(""), *values = sf_xstrdup(""), *sql, *patch;
	const char *key, *ext;
	json_t *v;
	int rc = 0;

	json_object_foreach((json_t *)cols, key, v) {
		char *n = sf_xasprintf("%s%s%s", names, *names ? ", " : "", key);
		char *r = sf_xasprintf("%s%sr.%s", values, *values ? ", " : "", key);

		free(names);
		free(values);
		names = n;
		values = r;
	}
	sql = sf_xasprintf("UPDATE titles t SET (%s) = (SELECT %s FROM"
			   " jsonb_populate_record(t, $2::jsonb) r) WHERE t.id = $1", names, values);
	patch = sf_json_dump(cols);
	/* Say who has the external id, before the statement fails on it. */
	ext = col_str(cols, "external_id");
	if (ext) {
		PGresult *res = NULL;

		rc = sf_db_query(db, &res, "SELECT id FROM titles WHERE external_id = $1"
				 " AND id <> $2", SF_ARGS(ext, id));
		if (!rc && PQntuples(res) > 0)
			rc = sf_error(SF_ECONFLICT, "external id '%s' is already used by title %s",
				      sf_text_quote(ext), sf_db_str(res, 0, "id"));
		PQclear(res);
	}
	if (!rc)
		rc = sf_db_query(db, NULL, sql, SF_ARGS(id, patch));
	if (rc == SF_ECONFLICT && ext && !strcmp(sf_db_constraint(db), "titles_external_id_key"))
		rc = sf_error(SF_ECONFLICT, "external id '%s' is already used", sf_text_quote(ext));
	free(patch);
	free(sql);
	free(names);
	free(values);
	return rc;
}

static int set_genres(struct sf_db *db, const char *id, const json_t *genres)
{
	char *list = sf_json_dump(genres);
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "SELECT n FROM json_array_elements_text($1::json) n"
			 " WHERE NOT EXISTS (SELECT 1 FROM genres g WHERE lower(g.name) = lower(n))"
			 " LIMIT 1", SF_ARGS(list));
	if (!rc && PQntuples(res) > 0)
		rc = sf_error(SF_ENOTFOUND, "genre '%s': not found (see 'sf genre list')",
			      sf_text_quote(sf_db_str(res, 0, "n")));
	if (!rc)
		rc = sf_db_query(db, NULL, "DELETE FROM title_genres WHERE title_id = $1",
				 SF_ARGS(id));
	if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO title_genres (title_id, genre_id)"
				 " SELECT $1, g.id FROM genres g WHERE lower(g.name) IN"
				 " (SELECT lower(n) FROM json_array_elements_text($2::json) n)",
				 SF_ARGS(id, list));
	PQclear(res);
	free(list);
	return rc;
}

static int set_credits(struct sf_db *db, const char *id, const json_t *credits)
{
	char *list = sf_json_dump(credits);
	int rc;

	rc = sf_db_query(db, NULL, "DELETE FROM credits WHERE title_id = $1", SF_ARGS(id));
	if (!rc && json_array_size(credits) > 0)
		rc = sf_db_query(db, NULL, "INSERT INTO people (name) SELECT DISTINCT r.name"
				 " FROM json_to_recordset($1::json) AS r(name text)"
				 " ON CONFLICT (name) DO NOTHING", SF_ARGS(list));
	if (!rc && json_array_size(credits) > 0)
		rc = sf_db_query(db, NULL, "INSERT INTO credits (title_id, person_id, role, character, ord)"
				 " SELECT $1, p.id, r.role, r.character, r.\"order\""
				 " FROM json_to_recordset($2::json)"
				 "   AS r(name text, role text, character text, \"order\" smallint)"
				 " JOIN people p ON p.name = r.name", SF_ARGS(id, list));
	free(list);
	return rc;
}

/* Seasons by number, episodes by season and number: what is not listed
 * goes, what is listed is updated in place or added. */
static int set_seasons(struct sf_db *db, const char *id, const json_t *seasons)
{
	char *list = sf_json_dump(seasons);
	int rc;

	rc = sf_db_query(db, NULL, "DELETE FROM seasons WHERE title_id = $1 AND number NOT IN"
			 " (SELECT (s->>'number')::int FROM json_array_elements($2::json) s)",
			 SF_ARGS(id, list));
	if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO seasons (title_id, number, name, overview,"
			" release_date) SELECT $1, r.number, r.name, r.overview, r.release_date"
			" FROM json_to_recordset($2::json)"
			"   AS r(number smallint, name text, overview text, release_date date)"
			" ON CONFLICT (title_id, number) DO UPDATE SET name = excluded.name,"
			"   overview = excluded.overview, release_date = excluded.release_date",
			SF_ARGS(id, list));
	if (!rc)
		rc = sf_db_query(db, NULL, "DELETE FROM episodes e USING seasons s"
			" WHERE e.season_id = s.id AND s.title_id = $1 AND NOT EXISTS"
			" (SELECT 1 FROM json_array_elements($2::json) sj,"
			"   json_array_elements(sj->'episodes') ej"
			"  WHERE (sj->>'number')::int = s.number AND (ej->>'number')::int = e.number)",
			SF_ARGS(id, list));
	if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO episodes (season_id, title_id, number, name,"
			" overview, runtime_minutes, release_date)"
			" SELECT s.id, s.title_id, r.number, r.name, r.overview, r.runtime_minutes,"
			"        r.release_date"
			" FROM json_array_elements($2::json) sj"
			" JOIN seasons s ON s.title_id = $1 AND s.number = (sj->>'number')::int,"
			" json_to_recordset(sj->'episodes') AS r(number smallint, name text,"
			"   overview text, runtime_minutes int, release_date date)"
			" ON CONFLICT (season_id, number) DO UPDATE SET name = excluded.name,"
			"   overview = excluded.overview, runtime_minutes = excluded.runtime_minutes,"
			"   release_date = excluded.release_date",
			SF_ARGS(id, list));
	free(list);
	return rc;
}

int sf_title_apply(struct sf_db *db, long long id, const char *ref,
		   const struct sf_title_input *in)
{
	char buf[SF_INT_STR_MAX];
	const char *sid = sf_db_fmt_int(buf, id);
	int rc = check_merged(db, sid, ref, in);

	if (!rc && json_object_size(in->cols) > 0)
		rc = update_cols(db, sid, in->cols);
	if (!rc && in->genres)
		rc = set_genres(db, sid, in->genres);
	if (!rc && in->credits)
		rc = set_credits(db, sid, in->credits);
	if (!rc && in->seasons)
		rc = set_seasons(db, sid, in->seasons);
	return rc;
}

/* ---- add ---- */

struct add_ctx {
	const struct sf_actor *actor;
	const struct sf_title_input *in;
	json_t **out;
};

static int add_tx(struct sf_db *db, void *arg)
{
	struct add_ctx *c = arg;
	long long id;
	char ref[SF_INT_STR_MAX];
	int rc;

	json_decref(*c->out);
	*c->out = NULL;
	rc = sf_title_insert(db, c->in, &id);
	if (!rc)
		rc = sf_title_apply(db, id, sf_db_fmt_int(ref, id), c->in);
	if (!rc)
		rc = sf_title_created(db, c->actor, id, "title.add", 0, c->out);
	return rc;
}

int sf_title_add(struct sf_db *db, const struct sf_actor *actor,
		 const struct sf_title_input *in, json_t **out)
{
	struct add_ctx c = { actor, in, out };
	int rc;

	*out = NULL;
	rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);
	if (!rc)
		rc = sf_db_tx(db, 0, add_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- get and list ---- */

int sf_title_get(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		 json_t **out)
{
	long long id;
	int visible = 0, rc;

	*out = NULL;
	rc = find(db, ref, "", &id, &visible);
	/* To a viewer, a title it may not see does not exist. */
	if (!rc && !visible && !sf_title_operator(actor))
		rc = sf_error(SF_ENOTFOUND, "title '%s': not found", sf_text_quote(ref));
	if (!rc)
		rc = sf_title_json(db, id, NULL, out);
	return rc;
}

static const char *const sorts[][2] = {
	{ "id", "t.id" },
	{ "title", "lower(t.title), t.id" },
	{ "year", "t.year DESC NULLS LAST, t.id" },
	{ "popularity", "t.popularity DESC, t.id" },
	{ "updated", "t.updated_at DESC, t.id DESC" },
};

static const char *filter_where =
	"($1::text IS NULL OR t.kind = $1)"
	" AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM title_genres tg"
	"      JOIN genres g ON g.id = tg.genre_id"
	"      WHERE tg.title_id = t.id AND lower(g.name) = lower($2)))"
	" AND ($3::int IS NULL OR t.year >= $3)"
	" AND ($4::int IS NULL OR t.year <= $4)"
	" AND ($5::text IS NULL OR t.status = $5)"
	" AND (NOT $6::boolean OR sf_title_visible(t, $7::text))"
	" AND ($7::text IS NULL OR cardinality(t.regions) = 0 OR $7 = ANY (t.regions))";

int sf_title_filter_sql(struct sf_db *db, const struct sf_actor *actor,
			const struct sf_title_filter *f, const char **where,
			const char *params[SF_TITLE_FILTER_NPARAMS], char bufs[2][24])
{
	static _Thread_local char region[3];
	PGresult *res = NULL;
	int rc = 0;

	if (f->kind && strcmp(f->kind, "movie") && strcmp(f->kind, "series"))
		return sf_error(SF_EINVAL, "kind '%s': not one of movie, series",
				sf_text_quote(f->kind));
	if (f->status && strcmp(f->status, "draft") && strcmp(f->status, "published") &&
	    strcmp(f->status, "archived"))
		return sf_error(SF_EINVAL, "status '%s': not one of draft, published, archived",
				sf_text_quote(f->status));
	if ((f->year_from && (f->year_from < 1870 || f->year_from > 2200)) ||
	    (f->year_to && (f->year_to < 1870 || f->year_to > 2200)))
		return sf_error(SF_EINVAL, "year '%lld': not from 1870 to 2200",
				f->year_from && (f->year_from < 1870 || f->year_from > 2200)
				? f->year_from : f->year_to);
	if (f->year_from && f->year_to && f->year_from > f->year_to)
		return sf_error(SF_EINVAL, "years %lld to %lld: the first is after the last",
				f->year_from, f->year_to);
	if (f->region && (rc = sf_country_check("region", f->region, region)))
		return rc;
	if (f->genre) {
		rc = sf_db_query(db, &res, "SELECT 1 FROM genres WHERE lower(name) = lower($1)",
				 SF_ARGS(f->genre));
		if (!rc && PQntuples(res) == 0)
			rc = sf_error(SF_ENOTFOUND, "genre '%s': not found (see 'sf genre list')",
				      sf_text_quote(f->genre));
		PQclear(res);
		if (rc)
			return rc;
	}
	params[0] = f->kind;
	params[1] = f->genre;
	params[2] = f->year_from ? sf_db_fmt_int(bufs[0], f->year_from) : NULL;
	params[3] = f->year_to ? sf_db_fmt_int(bufs[1], f->year_to) : NULL;
	params[4] = f->status;
	/* A viewer sees what viewers see, whatever it asks for. */
	params[5] = f->visible || !sf_title_operator(actor) ? "true" : "false";
	params[6] = f->region ? region : NULL;
	*where = filter_where;
	return 0;
}

int sf_title_list(struct sf_db *db, const struct sf_actor *actor,
		  const struct sf_title_filter *f, json_t **out)
{
	const char *params[SF_TITLE_FILTER_NPARAMS + 2], *where, *order = NULL;
	char bufs[2][24], limit[SF_INT_STR_MAX], offset[SF_INT_STR_MAX], *sql = NULL;
	long long page = f->page ? f->page : 1, per = f->limit ? f->limit : 20, total;
	PGresult *res = NULL;
	json_t *items;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (!strcmp(f->sort ? f->sort : "id", sorts[i][0]))
			order = sorts[i][1];
	if (!order)
		return sf_error(SF_EINVAL, "sort '%s': not one of id, title, year, popularity, "
				"updated", sf_text_quote(f->sort));
	if (page < 1)
		return sf_error(SF_EINVAL, "page '%lld': pages count from 1", page);
	if (per < 1 || per > 1000)
		return sf_error(SF_EINVAL, "limit '%lld': not from 1 to 1000", per);
	rc = sf_title_filter_sql(db, actor, f, &where, params, bufs);
	if (rc)
		return rc;
	sql = sf_xasprintf("SELECT count(*) AS n FROM titles t WHERE %s", where);
	rc = sf_db_query(db, &res, sql, SF_TITLE_FILTER_NPARAMS, params);
	free(sql);
	if (rc)
		return rc;
	total = sf_db_int(res, 0, "n");
	PQclear(res);
	params[SF_TITLE_FILTER_NPARAMS] = sf_db_fmt_int(limit, per);
	params[SF_TITLE_FILTER_NPARAMS + 1] = sf_db_fmt_int(offset, (page - 1) * per);
	sql = sf_xasprintf("SELECT sf_title_json(t.id)::text AS j FROM titles t WHERE %s"
			   " ORDER BY %s LIMIT $8 OFFSET $9", where, order);
	rc = sf_db_query(db, &res, sql, SF_TITLE_FILTER_NPARAMS + 2, params);
	free(sql);
	if (rc)
		return rc;
	items = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(items, json_loads(sf_db_str(res, i, "j"), 0, NULL));
	PQclear(res);
	*out = json_object();
	json_object_set_new(*out, "items", items);
	json_object_set_new(*out, "total", json_integer(total));
	json_object_set_new(*out, "page", json_integer(page));
	json_object_set_new(*out, "pages", json_integer((total + per - 1) / per));
	return 0;
}

/* ---- changes ---- */

static int apply_fn(struct sf_db *db, long long id, const json_t *old, void *arg)
{
	(void)old;
	return sf_title_apply(db, id, json_string_value(json_object_get(old, "title")), arg);
}

/* Runs a change as a catalog manager; *out the title after. */
static int run(struct sf_db *db, const struct sf_actor *actor, struct sf_title_change *c,
	       json_t **out, int *changed)
{
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	*out = NULL;
	if (!rc)
		rc = sf_title_ref_check(c->ref);
	if (!rc)
		rc = sf_title_change(db, actor, c);
	if (!rc) {
		*out = json_incref(c->new);
		if (changed)
			*changed = c->changed;
	}
	sf_title_change_release(c);
	return rc;
}

int sf_title_edit(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		  const struct sf_title_input *in, json_t **out, int *changed)
{
	struct sf_title_change c = { .ref = ref, .action = "title.edit", .fn = apply_fn,
				     .arg = (void *)in };

	*out = NULL;
	if (sf_title_input_empty(in))
		return sf_error(SF_EINVAL, "nothing to change; give a field to set");
	return run(db, actor, &c, out, changed);
}

static int status_fn(struct sf_db *db, long long id, const json_t *old, void *arg)
{
	const char *status = arg, *was = json_string_value(json_object_get(old, "status"));
	char buf[SF_INT_STR_MAX];

	if (!strcmp(was, status))
		return sf_error(SF_ECONFLICT, "title '%s' is already %s",
				sf_text_quote(json_string_value(json_object_get(old, "title"))), status);
	return sf_db_query(db, NULL, "UPDATE titles SET status = $2 WHERE id = $1",
			   SF_ARGS(sf_db_fmt_int(buf, id), status));
}

int sf_title_set_status(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			const char *status, json_t **out)
{
	struct sf_title_change c = { .ref = ref, .fn = status_fn, .arg = (void *)status };

	*out = NULL;
	if (!strcmp(status, "published"))
		c.action = "title.publish";
	else if (!strcmp(status, "archived"))
		c.action = "title.archive";
	else if (!strcmp(status, "draft"))
		c.action = "title.unpublish";
	else
		return sf_error(SF_EINVAL, "status '%s': not one of draft, published, archived",
				sf_text_quote(status));
	return run(db, actor, &c, out, NULL);
}

int sf_title_schedule(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      const struct sf_title_input *in, json_t **out, int *changed)
{
	struct sf_title_change c = { .ref = ref, .action = "title.schedule", .fn = apply_fn };
	struct sf_title_input all;
	const char *key;
	json_t *v;
	int rc;

	*out = NULL;
	json_object_foreach(in->cols, key, v)
		if (strcmp(key, "available_from") && strcmp(key, "available_until") &&
		    strcmp(key, "regions"))
			return sf_error(SF_EINVAL, "%s: not part of a schedule", key);
	if (json_object_size(in->cols) == 0)
		return sf_error(SF_EINVAL, "nothing to schedule; give a start, an end or regions");
	sf_title_input_init(&all);
	json_object_update(all.cols, in->cols);
	json_object_set_new(all.cols, "status", json_string("published"));
	c.arg = &all;
	rc = run(db, actor, &c, out, changed);
	sf_title_input_release(&all);
	return rc;
}

/* ---- delete ---- */

struct delete_ctx {
	const struct sf_actor *actor;
	const char *ref;
	json_t **old;
};

static int delete_tx(struct sf_db *db, void *arg)
{
	struct delete_ctx *c = arg;
	char buf[SF_INT_STR_MAX];
	long long id;
	int rc;

	json_decref(*c->old);
	*c->old = NULL;
	rc = sf_title_lock(db, c->ref, &id);
	if (!rc)
		rc = sf_title_json(db, id, NULL, c->old);
	if (!rc)
		rc = sf_db_query(db, NULL, "DELETE FROM titles WHERE id = $1",
				 SF_ARGS(sf_db_fmt_int(buf, id)));
	if (!rc)
		rc = sf_audit_record(db, c->actor, "title.delete", "title", id, *c->old, NULL);
	return rc;
}

int sf_title_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    json_t **old)
{
	struct delete_ctx c = { actor, ref, old };
	int rc;

	*old = NULL;
	rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);
	if (!rc)
		rc = sf_title_ref_check(ref);
	if (!rc)
		rc = sf_db_tx(db, 0, delete_tx, &c);
	if (rc) {
		json_decref(*old);
		*old = NULL;
	}
	return rc;
}
