/*
 * credit.c - add and remove the credits of a title.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "credit.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "text.h"
#include "title.h"
#include "title_field.h"
#include "title_version.h"

struct op {
	json_t *credit;        /* add: the checked credit */
	const char *name;      /* remove */
	const char *role;      /* remove: NULL for every role */
};

static const char *name_of(const json_t *title)
{
	return sf_text_quote(json_string_value(json_object_get(title, "title")));
}

static int add_fn(struct sf_db *db, long long id, const json_t *title, void *arg)
{
	struct op *op = arg;
	const char *name = json_string_value(json_object_get(op->credit, "name"));
	const char *role = json_string_value(json_object_get(op->credit, "role"));
	char tid[SF_INT_STR_MAX], *c = NULL;
	int rc;

	sf_db_fmt_int(tid, id);
	/* After the others of its role, unless an order was given. */
	if (json_is_null(json_object_get(op->credit, "order"))) {
		PGresult *res = NULL;

		rc = sf_db_query(db, &res, "SELECT coalesce(max(ord) + 1, 0) AS n FROM credits"
				 " WHERE title_id = $1 AND role = $2", SF_ARGS(tid, role));
		if (rc)
			return rc;
		json_object_set_new(op->credit, "order", json_integer(sf_db_int(res, 0, "n")));
		PQclear(res);
	}
	c = sf_json_dump(op->credit);
	rc = sf_db_query(db, NULL, "INSERT INTO people (name) VALUES ($1)"
			 " ON CONFLICT (name) DO NOTHING", SF_ARGS(name));
	if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO credits (title_id, person_id, role, character,"
				 " ord) SELECT $1, p.id, r.role, r.character, r.\"order\""
				 " FROM json_to_record($2::json) AS r(name text, role text,"
				 " character text, \"order\" smallint) JOIN people p ON p.name = r.name",
				 SF_ARGS(tid, c));
	if (rc == SF_ECONFLICT && !strcmp(sf_db_constraint(db), "credits_title_id_person_id_role_key"))
		rc = sf_error(SF_ECONFLICT, "'%s' is already credited as %s on title '%s'",
			      sf_text_quote(name), role, name_of(title));
	free(c);
	return rc;
}

int sf_credit_add(struct sf_db *db, const struct sf_actor *actor, const char *title,
		  const json_t *credit, json_t **out)
{
	struct op op = { 0 };
	struct sf_title_change c = { .ref = title, .action = "credit.add", .fn = add_fn,
				     .arg = &op };
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_ref_check(title)) ||
	    (rc = sf_title_part_check(SF_PART_CREDIT, credit, NULL, 0, &op.credit)))
		return rc;
	rc = sf_title_change(db, actor, &c);
	if (!rc)
		*out = json_incref(c.new);
	sf_title_change_release(&c);
	json_decref(op.credit);
	return rc;
}

static int remove_fn(struct sf_db *db, long long id, const json_t *title, void *arg)
{
	struct op *op = arg;
	char tid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "DELETE FROM credits c USING people p"
			 " WHERE c.person_id = p.id AND c.title_id = $1 AND lower(p.name) = lower($2)"
			 " AND ($3::text IS NULL OR c.role = $3) RETURNING c.id",
			 SF_ARGS(sf_db_fmt_int(tid, id), op->name, op->role));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s': no credit for '%s'%s%s", name_of(title),
			      sf_text_quote(op->name), op->role ? " as " : "",
			      op->role ? op->role : "");
	PQclear(res);
	return rc;
}

int sf_credit_remove(struct sf_db *db, const struct sf_actor *actor, const char *title,
		     const char *name, const char *role, json_t **out)
{
	struct op op = { .name = name, .role = role };
	struct sf_title_change c = { .ref = title, .action = "credit.remove", .fn = remove_fn,
				     .arg = &op };
	json_t *checked = NULL;
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_title_ref_check(title)) || (rc = sf_person_name_check("person", name)))
		return rc;
	if (role && (rc = sf_title_part_text(SF_PART_CREDIT, "role", role, "role", &checked)))
		return rc;
	if (checked)
		op.role = json_string_value(checked);
	rc = sf_title_change(db, actor, &c);
	if (!rc)
		*out = json_incref(c.old);
	sf_title_change_release(&c);
	json_decref(checked);
	return rc;
}
