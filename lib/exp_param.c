/*
 * exp_param.c - a parameter's value for a viewer from the running
 * experiments (exp_param.h).
 *
 * One query finds the running experiments that set the parameter, with
 * their salts, the holdout and whether the viewer's profile meets their
 * targeting; allocation is exp_alloc.h's; the exposure is written only
 * when it is not there yet, so a viewer's later requests only read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exp_alloc.h"
#include "exp_param.h"
#include "maturity.h"
#include "viewer.h"
#include "xalloc.h"

/* $1: the parameter, or NULL for every running experiment. */
static const char experiments_sql[] =
	"SELECT e.id, e.key, e.unit, e.bucket_lo, e.bucket_hi, e.salt, e.phase, e.variants::text AS variants,"
	"       l.salt AS layer_salt, h.salt AS holdout_salt, coalesce(h.share, 0) AS share,"
	"       e.targeting->>'max_maturity' AS max_maturity,"
	"       (e.targeting->'kids' IS NULL OR (e.targeting->>'kids')::boolean = p.kids)"
	"       AND (e.targeting->'countries' IS NULL OR e.targeting->'countries' ? $3)"
	"       AND (e.targeting->'new_profiles' IS NULL"
	"            OR (e.targeting->>'new_profiles')::boolean = (p.created_at >= e.started_at))"
	"       AS targeted"
	"  FROM experiments e JOIN exp_layers l ON l.id = e.layer_id"
	"  JOIN profiles p ON p.id = $2::bigint"
	"  LEFT JOIN exp_holdout h ON true"
	" WHERE e.status = 'running'"
	"   AND ($1::text IS NULL"
	"        OR EXISTS (SELECT FROM jsonb_array_elements(e.variants) x WHERE x->'params' ? $1))"
	" ORDER BY e.id";

static int expose(struct sf_db *db, const char *experiment, int phase, long long unit,
		  const char *variant)
{
	char ph[16], u[24];

	snprintf(ph, sizeof(ph), "%d", phase);
	snprintf(u, sizeof(u), "%lld", unit);
	return sf_db_query(db, NULL,
		"INSERT INTO exp_exposures (experiment_id, phase, unit, variant)"
		" SELECT $1::bigint, $2::int, $3::bigint, $4 WHERE NOT EXISTS"
		"  (SELECT FROM exp_exposures WHERE experiment_id = $1::bigint AND phase = $2::int"
		"      AND unit = $3::bigint)"
		" ON CONFLICT DO NOTHING", SF_ARGS(experiment, ph, u, variant));
}

void exp_alloc_from_row(const PGresult *res, int row, const json_t *variants,
			struct sf_exp_alloc *a)
{
	memset(a, 0, sizeof(*a));
	a->layer_salt = (uint32_t)sf_db_int(res, row, "layer_salt");
	a->bucket_lo = (int)sf_db_int(res, row, "bucket_lo");
	a->bucket_hi = (int)sf_db_int(res, row, "bucket_hi");
	a->salt = (uint32_t)sf_db_int(res, row, "salt");
	a->phase = (int)sf_db_int(res, row, "phase");
	a->nvariants = (int)json_array_size(variants);
	for (int k = 0; k < a->nvariants && k < SF_EXP_VARIANTS_MAX; k++)
		a->weights[k] = (int)json_integer_value(json_object_get(json_array_get(variants,
									       (size_t)k), "weight"));
}

bool exp_held_out_row(const PGresult *res, int row, long long unit)
{
	return !sf_db_isnull(res, row, "holdout_salt") &&
	       sf_exp_held_out(unit, (uint32_t)sf_db_int(res, row, "holdout_salt"),
			       (int)sf_db_int(res, row, "share"));
}

/* The variant row i of res takes the viewer to, or -1; *unit its unit id. */
static int take(const PGresult *res, int i, const struct sf_viewer *v, json_t *variants,
		long long *unit)
{
	struct sf_exp_alloc a = { 0 };
	const char *max = sf_db_str(res, i, "max_maturity");
	int level;

	if (!sf_db_bool(res, i, "targeted"))
		return -1;
	if (max && (sf_maturity_parse(max, &level) || v->maturity > level))
		return -1;
	*unit = !strcmp(sf_db_str(res, i, "unit"), "account") ? v->account_id : v->profile_id;
	if (exp_held_out_row(res, i, *unit))
		return -1;
	exp_alloc_from_row(res, i, variants, &a);
	return sf_exp_variant(&a, *unit);
}

int sf_exp_param(struct sf_db *db, const struct sf_viewer *v, const char *name, char **value)
{
	char prof[24];
	PGresult *res = NULL;
	int rc;

	*value = NULL;
	snprintf(prof, sizeof(prof), "%lld", v->profile_id);
	rc = sf_db_query(db, &res, experiments_sql, SF_ARGS(name, prof, v->region));
	for (int i = 0; !rc && i < PQntuples(res); i++) {
		json_t *variants = json_loads(sf_db_str(res, i, "variants"), 0, NULL), *chosen, *val;
		long long unit = 0;
		int k = take(res, i, v, variants, &unit);

		if (k < 0) {
			json_decref(variants);
			continue;
		}
		chosen = json_array_get(variants, (size_t)k);
		val = json_object_get(json_object_get(chosen, "params"), name);
		if (json_is_string(val))
			*value = sf_xstrdup(json_string_value(val));
		else if (val)
			*value = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);
		rc = expose(db, sf_db_str(res, i, "id"), (int)sf_db_int(res, i, "phase"), unit,
			    json_string_value(json_object_get(chosen, "name")));
		json_decref(variants);
		break;
	}
	PQclear(res);
	if (rc) {
		free(*value);
		*value = NULL;
	}
	return rc;
}

int sf_exp_assignments(struct sf_db *db, const struct sf_viewer *v, json_t **out)
{
	char prof[24];
	PGresult *res = NULL;
	int rc;

	*out = json_array();
	snprintf(prof, sizeof(prof), "%lld", v->profile_id);
	rc = sf_db_query(db, &res, experiments_sql, SF_ARGS(NULL, prof, v->region));
	for (int i = 0; !rc && i < PQntuples(res); i++) {
		json_t *variants = json_loads(sf_db_str(res, i, "variants"), 0, NULL), *chosen;
		long long unit = 0;
		int k = take(res, i, v, variants, &unit);

		if (k >= 0) {
			chosen = json_array_get(variants, (size_t)k);
			json_array_append_new(*out, json_pack("{sssOsisO}", "experiment",
				sf_db_str(res, i, "key"), "variant", json_object_get(chosen, "name"),
				"phase", (int)sf_db_int(res, i, "phase"), "params",
				json_object_get(chosen, "params")));
			rc = expose(db, sf_db_str(res, i, "id"), (int)sf_db_int(res, i, "phase"), unit,
				    json_string_value(json_object_get(chosen, "name")));
		}
		json_decref(variants);
	}
	PQclear(res);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
