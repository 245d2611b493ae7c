/*
 * season.c - add, change and delete seasons and episodes.
 *
 * Each verb is an op (one struct, one function) run as a change of the
 * title by sf_title_change(); the op checks the title is a series, finds
 * the season (and episode), and runs one statement.  Columns are set from
 * the checked JSON object with jsonb_populate_record, so an edit touches
 * only the fields it names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "season.h"
#include "text.h"
#include "title.h"
#include "title_field.h"
#include "title_version.h"
#include "xalloc.h"

enum what { SEASON_ADD, SEASON_EDIT, SEASON_DELETE, EPISODE_ADD, EPISODE_EDIT,
	    EPISODE_DELETE };

struct op {
	enum what what;
	long long season, number;   /* the season; the episode's number */
	json_t *obj;                /* checked input (add, edit) */
};

static const char *name_of(const json_t *title)
{
	return sf_text_quote(json_string_value(json_object_get(title, "title")));
}

/* "name, overview" -> "(name, overview) = (SELECT r.name, r.overview FROM
 * jsonb_populate_record(x, $N::jsonb) r)" for the keys of obj. */
static char *set_clause(const json_t *obj, const char *alias, int param)
{
	char *names = sf_xstrdup(""), *values = sf_xstrdup(""), *s;
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		char *n = sf_xasprintf("%s%s%s", names, *names ? ", " : "", key);
		char *r = sf_xasprintf("%s%sr.%s", values, *values ? ", " : "", key);

		free(names);
		free(values);
		names = n;
		values = r;
	}
	s = sf_xasprintf("(%s) = (SELECT %s FROM jsonb_populate_record(%s, $%d::jsonb) r)",
			 names, values, alias, param);
	free(names);
	free(values);
	return s;
}

/* The season's id, or SF_ENOTFOUND. */
static int season_id(struct sf_db *db, const char *tid, const json_t *title, long long number,
		     char id[SF_INT_STR_MAX])
{
	char n[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT id FROM seasons WHERE title_id = $1 AND number = $2",
			     SF_ARGS(tid, sf_db_fmt_int(n, number)));

	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s': season %lld: not found", name_of(title),
			      number);
	if (!rc)
		snprintf(id, SF_INT_STR_MAX, "%s", sf_db_str(res, 0, "id"));
	PQclear(res);
	return rc;
}

static int taken(struct sf_db *db, int rc, const json_t *title, const struct op *op,
		 long long number)
{
	if (rc != SF_ECONFLICT)
		return rc;
	if (!strcmp(sf_db_constraint(db), "seasons_title_id_number_key"))
		return sf_error(SF_ECONFLICT, "title '%s': season %lld already exists",
				name_of(title), number);
	if (!strcmp(sf_db_constraint(db), "episodes_season_id_number_key"))
		return sf_error(SF_ECONFLICT, "title '%s': season %lld episode %lld already exists",
				name_of(title), op->season, number);
	return rc;
}

static long long number_in(const json_t *obj, long long dflt)
{
	json_t *n = json_object_get(obj, "number");

	return n ? (long long)json_integer_value(n) : dflt;
}

static int op_fn(struct sf_db *db, long long id, const json_t *title, void *arg)
{
	struct op *op = arg;
	char tid[SF_INT_STR_MAX], sid[SF_INT_STR_MAX], n[SF_INT_STR_MAX];
	char *sql = NULL, *obj = op->obj ? sf_json_dump(op->obj) : NULL;
	PGresult *res = NULL;
	int rc = 0;

	sf_db_fmt_int(tid, id);
	if (strcmp(json_string_value(json_object_get(title, "kind")), "series")) {
		rc = sf_error(SF_ECONFLICT, "title '%s' is a movie; only a series has seasons",
			      name_of(title));
		goto out;
	}
	if (op->what != SEASON_ADD && (rc = season_id(db, tid, title, op->season, sid)))
		goto out;
	switch (op->what) {
	case SEASON_ADD:
		rc = sf_db_query(db, &res, "INSERT INTO seasons (title_id, number, name, overview,"
				 " release_date) SELECT $1, r.number, r.name, r.overview, r.release_date"
				 " FROM json_populate_record(NULL::seasons, $2::json) r RETURNING id",
				 SF_ARGS(tid, obj));
		rc = taken(db, rc, title, op, number_in(op->obj, 0));
		if (!rc)
			snprintf(sid, sizeof(sid), "%s", sf_db_str(res, 0, "id"));
		if (!rc && json_array_size(json_object_get(op->obj, "episodes")) > 0)
			rc = sf_db_query(db, NULL, "INSERT INTO episodes (season_id, title_id, number,"
				" name, overview, runtime_minutes, release_date)"
				" SELECT $1, $2, r.number, r.name, r.overview, r.runtime_minutes,"
				" r.release_date FROM json_to_recordset($3::json -> 'episodes')"
				" AS r(number smallint, name text, overview text, runtime_minutes int,"
				" release_date date)", SF_ARGS(sid, tid, obj));
		break;
	case SEASON_EDIT: {
		char *set = set_clause(op->obj, "s", 2);

		sql = sf_xasprintf("UPDATE seasons s SET %s WHERE s.id = $1", set);
		free(set);
		rc = sf_db_query(db, NULL, sql, SF_ARGS(sid, obj));
		rc = taken(db, rc, title, op, number_in(op->obj, op->season));
		break;
	}
	case SEASON_DELETE:
		rc = sf_db_query(db, NULL, "DELETE FROM seasons WHERE id = $1", SF_ARGS(sid));
		break;
	case EPISODE_ADD:
		rc = sf_db_query(db, NULL, "INSERT INTO episodes (season_id, title_id, number, name,"
				 " overview, runtime_minutes, release_date) SELECT $1, $2, r.number,"
				 " r.name, r.overview, r.runtime_minutes, r.release_date"
				 " FROM json_populate_record(NULL::episodes, $3::json) r",
				 SF_ARGS(sid, tid, obj));
		rc = taken(db, rc, title, op, number_in(op->obj, 0));
		break;
	case EPISODE_EDIT: {
		char *set = set_clause(op->obj, "e", 3);

		sql = sf_xasprintf("UPDATE episodes e SET %s WHERE e.season_id = $1"
				   " AND e.number = $2 RETURNING e.id", set);
		free(set);
		rc = sf_db_query(db, &res, sql, SF_ARGS(sid, sf_db_fmt_int(n, op->number), obj));
		rc = taken(db, rc, title, op, number_in(op->obj, op->number));
		break;
	}
	case EPISODE_DELETE:
		rc = sf_db_query(db, &res, "DELETE FROM episodes WHERE season_id = $1"
				 " AND number = $2 RETURNING id",
				 SF_ARGS(sid, sf_db_fmt_int(n, op->number)));
		break;
	}
	if (!rc && (op->what == EPISODE_EDIT || op->what == EPISODE_DELETE) &&
	    PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s': season %lld episode %lld: not found",
			      name_of(title), op->season, op->number);
out:
	PQclear(res);
	free(sql);
	free(obj);
	return rc;
}

static const char *const actions[] = {
	"season.add", "season.edit", "season.delete", "episode.add", "episode.edit",
	"episode.delete",
};

/* Checks the input and runs op as a change of title. */
static int run(struct sf_db *db, const struct sf_actor *actor, const char *title,
	       struct op *op, const json_t *in, json_t **out, int *changed)
{
	struct sf_title_change c = { .ref = title, .action = actions[op->what], .fn = op_fn,
				     .arg = op };
	enum sf_title_part part = op->what <= SEASON_DELETE ? SF_PART_SEASON : SF_PART_EPISODE;
	int partial = op->what == SEASON_EDIT || op->what == EPISODE_EDIT;
	int rc;

	*out = NULL;
	if (changed)
		*changed = 0;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_ref_check(title)))
		return rc;
	if (in) {
		rc = sf_title_part_check(part, in, NULL, partial, &op->obj);
		if (!rc && partial && json_object_size(op->obj) == 0)
			rc = sf_error(SF_EINVAL, "nothing to change; give a field to set");
		if (!rc && op->what == SEASON_EDIT && json_object_get(op->obj, "episodes"))
			rc = sf_error(SF_EINVAL, "episodes: change them one by one, as episodes");
	}
	if (!rc)
		rc = sf_title_change(db, actor, &c);
	/* A deletion returns the title as it was, with what went. */
	if (!rc) {
		*out = json_incref(op->what == SEASON_DELETE || op->what == EPISODE_DELETE
				   ? c.old : c.new);
		if (changed)
			*changed = c.changed;
	}
	sf_title_change_release(&c);
	json_decref(op->obj);
	return rc;
}

int sf_season_add(struct sf_db *db, const struct sf_actor *actor, const char *title,
		  const json_t *season, json_t **out)
{
	struct op op = { .what = SEASON_ADD };

	return run(db, actor, title, &op, season, out, NULL);
}

int sf_season_edit(struct sf_db *db, const struct sf_actor *actor, const char *title,
		   long long number, const json_t *changes, json_t **out, int *changed)
{
	struct op op = { .what = SEASON_EDIT, .season = number };

	return run(db, actor, title, &op, changes, out, changed);
}

int sf_season_delete(struct sf_db *db, const struct sf_actor *actor, const char *title,
		     long long number, json_t **out)
{
	struct op op = { .what = SEASON_DELETE, .season = number };

	return run(db, actor, title, &op, NULL, out, NULL);
}

int sf_episode_add(struct sf_db *db, const struct sf_actor *actor, const char *title,
		   long long season, const json_t *episode, json_t **out)
{
	struct op op = { .what = EPISODE_ADD, .season = season };

	return run(db, actor, title, &op, episode, out, NULL);
}

int sf_episode_edit(struct sf_db *db, const struct sf_actor *actor, const char *title,
		    long long season, long long number, const json_t *changes, json_t **out,
		    int *changed)
{
	struct op op = { .what = EPISODE_EDIT, .season = season, .number = number };

	return run(db, actor, title, &op, changes, out, changed);
}

int sf_episode_delete(struct sf_db *db, const struct sf_actor *actor, const char *title,
		      long long season, long long number, json_t **out)
{
	struct op op = { .what = EPISODE_DELETE, .season = season, .number = number };

	return run(db, actor, title, &op, NULL, out, NULL);
}
