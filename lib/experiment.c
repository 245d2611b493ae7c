/*
 * experiment.c - layers, the holdout, experiments and assignments
 * (experiment.h).
 *
 * Rows come back as JSON built by the server (jsonb_build_object), so
 * the JSON forms live in the SELECTs below.  Changes run in one
 * transaction with the experiment's row locked; the exclusion constraint
 * of sql/0015_experiments.sql keeps bucket ranges of one layer apart even
 * between concurrent creations, and a clash is checked first to say which
 * experiment holds the buckets.
 */
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "exp_alloc.h"
#include "exp_param.h"
#include "experiment.h"
#include "text.h"
#include "xalloc.h"

#define LAYER_JSON \
	"jsonb_build_object('id', l.id, 'name', l.name, 'salt', l.salt," \
	" 'experiments', (SELECT count(*) FROM experiments e" \
	"                  WHERE e.layer_id = l.id AND e.status <> 'stopped')," \
	" 'free', 10000 - (SELECT coalesce(sum(e.bucket_hi - e.bucket_lo), 0) FROM experiments e" \
	"                  WHERE e.layer_id = l.id AND e.status <> 'stopped')," \
	" 'created_at', sf_iso(l.created_at))"

#define EXP_JSON \
	"jsonb_build_object('id', e.id, 'key', e.key, 'hypothesis', e.hypothesis," \
	" 'layer', l.name, 'buckets', e.bucket_lo || '-' || (e.bucket_hi - 1), 'unit', e.unit," \
	" 'phase', e.phase, 'status', e.status, 'variants', e.variants," \
	" 'targeting', e.targeting, 'created_at', sf_iso(e.created_at)," \
	" 'updated_at', sf_iso(e.updated_at), 'started_at', sf_iso(e.started_at)," \
	" 'stopped_at', sf_iso(e.stopped_at))"

#define EXP_FROM " FROM experiments e JOIN exp_layers l ON l.id = e.layer_id"

static int name_check(const char *what, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n < 1 || n > 64 || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", name[0]) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != n)
		return sf_error(SF_EINVAL, "%s '%s': use 1 to 64 lowercase letters, digits, "
				"'_', '.' and '-', starting with a letter or digit", what,
				sf_text_quote(name ? name : ""));
	return 0;
}

/* The one JSON value in the first column of res's first row into *out;
 * SF_ENOTFOUND (what) when there is no row. */
static int one_json(PGresult *res, const char *what, json_t **out)
{
	if (PQntuples(res) == 0)
		return sf_error(SF_ENOTFOUND, "%s: not found", what);
	*out = json_loads(PQgetvalue(res, 0, 0), JSON_DECODE_ANY, NULL);
	return *out ? 0 : sf_error(SF_EINTERNAL, "experiment: bad JSON from the database");
}

static int query_json(struct sf_db *db, const char *what, json_t **out, const char *sql,
		      int n, const char *const *args)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, sql, n, args);

	if (!rc)
		rc = one_json(res, what, out);
	PQclear(res);
	return rc;
}

static char *salt_text(void)
{
	return sf_xasprintf("%u", randombytes_random());
}

int sf_exp_layer_add(struct sf_db *db, const struct sf_actor *actor, const char *name,
		     json_t **out)
{
	char *salt, *what;
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)) ||
	    (rc = name_check("layer", name)))
		return rc;
	salt = salt_text();
	what = sf_xasprintf("layer '%s'", name);
	rc = query_json(db, what, out,
		"WITH l AS (INSERT INTO exp_layers (name, salt) VALUES ($1, $2::bigint)"
		"           RETURNING *)"
		" SELECT " LAYER_JSON " FROM l", SF_ARGS(name, salt));
	if (rc == SF_ECONFLICT)
		rc = sf_error(SF_ECONFLICT, "layer '%s': there is one already", name);
	if (!rc)
		rc = sf_audit_record(db, actor, "experiment.layer.add", "exp_layer",
				     json_integer_value(json_object_get(*out, "id")), NULL, *out);
	free(salt);
	free(what);
	return rc;
}

int sf_exp_layer_list(struct sf_db *db, const struct sf_actor *actor, json_t **out)
{
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	return query_json(db, "layers", out,
		"SELECT coalesce(jsonb_agg(" LAYER_JSON " ORDER BY l.name), '[]') FROM exp_layers l",
		SF_NOARGS);
}

int sf_exp_holdout_set(struct sf_db *db, const struct sf_actor *actor, const char *percent,
		       json_t **out)
{
	char *end = NULL, share[16], *salt;
	double p = percent ? strtod(percent, &end) : NAN;
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	if (!percent || !*percent || end == percent || *end || !(p >= 0 && p <= 100))
		return sf_error(SF_EINVAL, "holdout '%s': not a percentage from 0 to 100",
				sf_text_quote(percent ? percent : ""));
	snprintf(share, sizeof(share), "%ld", lround(p * 100));
	salt = salt_text();
	rc = query_json(db, "holdout", out,
		"WITH h AS (INSERT INTO exp_holdout (share, salt) VALUES ($1::int, $2::bigint)"
		"           ON CONFLICT (one) DO UPDATE SET share = EXCLUDED.share,"
		"              updated_at = now() RETURNING *)"
		" SELECT jsonb_build_object('share', h.share / 100.0, 'salt', h.salt,"
		"                           'updated_at', sf_iso(h.updated_at)) FROM h",
		SF_ARGS(share, salt));
	free(salt);
	if (!rc)
		rc = sf_audit_record(db, actor, "experiment.holdout.set", "exp_holdout", 1, NULL, *out);
	return rc;
}

/* ---- specs --------------------------------------------------------------- */

/* The variants of text ("a:50,b:50" or a JSON array) with params merged
 * in, checked, as a JSON array of {name, weight, params}. */
static int parse_variants(const char *text, const char *params_text, json_t **out)
{
	json_t *v = NULL, *params = NULL, *it;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!text || !*text)
		return sf_error(SF_EINVAL, "variants '': give two or more, such as control:50,treatment:50");
	if (*text == '[') {
		v = json_loads(text, 0, NULL);
		if (!json_is_array(v))
			rc = sf_error(SF_EINVAL, "variants '%s': not a JSON array", sf_text_quote(text));
	} else {
		char *copy = sf_xstrdup(text), *save = NULL;

		v = json_array();
		for (char *p = strtok_r(copy, ",", &save); p && !rc; p = strtok_r(NULL, ",", &save)) {
			char *colon = strchr(p, ':'), *end = NULL;
			long w = colon ? strtol(colon + 1, &end, 10) : 1;

			if (colon && (end == colon + 1 || *end)) {
				rc = sf_error(SF_EINVAL, "variants '%s': weight '%s' is not a whole "
					      "number", sf_text_quote(text), colon + 1);
				break;
			}
			if (colon)
				*colon = '\0';
			json_array_append_new(v, json_pack("{sssIs{}}", "name", p, "weight",
							   (json_int_t)w, "params"));
		}
		free(copy);
	}
	if (!rc && (json_array_size(v) < 2 || json_array_size(v) > SF_EXP_VARIANTS_MAX))
		rc = sf_error(SF_EINVAL, "variants '%s': give 2 to %d", sf_text_quote(text),
			      SF_EXP_VARIANTS_MAX);
	if (!rc && params_text) {
		params = json_loads(params_text, 0, NULL);
		if (!json_is_object(params))
			rc = sf_error(SF_EINVAL, "params '%s': not a JSON object of variants",
				      sf_text_quote(params_text));
	}
	json_array_foreach(v, i, it) {
		const char *name = json_string_value(json_object_get(it, "name"));
		json_t *w = json_object_get(it, "weight"), *p;

		if (rc)
			break;
		if (!json_is_object(it) || (rc = name_check("variant", name)))
			break;
		if (!json_is_integer(w) || json_integer_value(w) < 0 ||
		    json_integer_value(w) > 1000000) {
			rc = sf_error(SF_EINVAL, "variant '%s': weight not a whole number from 0 "
				      "to 1000000", name);
			break;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(name, json_string_value(json_object_get(json_array_get(v, k),
									    "name"))))
				rc = sf_error(SF_EINVAL, "variant '%s': named twice", name);
		if (!json_is_object(json_object_get(it, "params")))
			json_object_set_new(it, "params", json_object());
		if (!rc && params && (p = json_object_get(params, name))) {
			if (!json_is_object(p))
				rc = sf_error(SF_EINVAL, "params of '%s': not a JSON object", name);
			else
				json_object_update(json_object_get(it, "params"), p);
		}
	}
	if (!rc && params) {
		const char *key;
		json_t *val;

		json_object_foreach(params, key, val) {
			int found = 0;

			json_array_foreach(v, i, it)
				found |= !strcmp(key, json_string_value(json_object_get(it, "name")));
			if (!found) {
				rc = sf_error(SF_EINVAL, "params: no variant '%s'", sf_text_quote(key));
				break;
			}
		}
	}
	if (!rc) {
		json_int_t total = 0;

		json_array_foreach(v, i, it)
			total += json_integer_value(json_object_get(it, "weight"));
		if (!total)
			rc = sf_error(SF_EINVAL, "variants '%s': every weight is 0", sf_text_quote(text));
	}
	json_decref(params);
	if (rc)
		json_decref(v);
	else
		*out = v;
	return rc;
}

static int parse_buckets(const char *text, int *lo, int *hi)
{
	char *end = NULL, *end2 = NULL;
	long a = text ? strtol(text, &end, 10) : -1, b = -1;

	if (text && end != text && *end == '-')
		b = strtol(end + 1, &end2, 10);
	if (!text || end == text || *end != '-' || end2 == end + 1 || *end2 || a < 0 || b < a ||
	    b >= SF_EXP_BUCKETS)
		return sf_error(SF_EINVAL, "buckets '%s': not a range such as 0-4999 within 0-%d",
				sf_text_quote(text ? text : ""), SF_EXP_BUCKETS - 1);
	*lo = (int)a;
	*hi = (int)b + 1;
	return 0;
}

static int parse_targeting(const char *text, json_t **out)
{
	static const char *const keys[] = { "kids", "countries", "max_maturity", "new_profiles",
					    NULL };
	json_t *t = json_loads(text ? text : "{}", 0, NULL), *v;
	const char *key;

	*out = NULL;
	if (!json_is_object(t)) {
		json_decref(t);
		return sf_error(SF_EINVAL, "targeting '%s': not a JSON object", sf_text_quote(text));
	}
	json_object_foreach(t, key, v) {
		int known = 0;

		for (int i = 0; keys[i]; i++)
			known |= !strcmp(key, keys[i]);
		if (!known || ((!strcmp(key, "kids") || !strcmp(key, "new_profiles")) &&
			       !json_is_boolean(v)) ||
		    (!strcmp(key, "countries") && !json_is_array(v)) ||
		    (!strcmp(key, "max_maturity") && !json_is_string(v))) {
			int rc = sf_error(SF_EINVAL, "targeting '%s': '%s' is not one of kids (true "
					  "or false), countries (a list), max_maturity (a rating), "
					  "new_profiles (true or false)", sf_text_quote(text),
					  sf_text_quote(key));

			json_decref(t);   /* after the message: key is t's */
			return rc;
		}
	}
	*out = t;
	return 0;
}

/* ---- create, edit, start, stop ---------------------------------------- */

/* SF_ECONFLICT naming the experiment of the layer whose buckets overlap
 * [lo, hi), other than key. */
static int overlap_check(struct sf_db *db, const char *layer_id, int lo, int hi, const char *key)
{
	char l[16], h[16];
	PGresult *res = NULL;
	int rc;

	snprintf(l, sizeof(l), "%d", lo);
	snprintf(h, sizeof(h), "%d", hi);
	rc = sf_db_query(db, &res,
		"SELECT key, bucket_lo, bucket_hi - 1 AS last FROM experiments"
		" WHERE layer_id = $1::bigint AND status <> 'stopped' AND key <> $4"
		"   AND int4range(bucket_lo, bucket_hi) && int4range($2::int, $3::int)"
		" ORDER BY bucket_lo LIMIT 1", SF_ARGS(layer_id, l, h, key));
	if (!rc && PQntuples(res))
		rc = sf_error(SF_ECONFLICT, "buckets %d-%d: experiment '%s' of the layer holds "
			      "%s-%s", lo, hi - 1, sf_db_str(res, 0, "key"),
			      sf_db_str(res, 0, "bucket_lo"), sf_db_str(res, 0, "last"));
	PQclear(res);
	return rc;
}

/* The layer's id for a name or id; SF_ENOTFOUND. */
static int layer_id(struct sf_db *db, const char *ref, char *id, size_t size)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT id FROM exp_layers WHERE name = $1"
			     " OR (id::text = $1)", SF_ARGS(ref ? ref : ""));

	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "layer '%s': not found", sf_text_quote(ref ? ref : ""));
	if (!rc)
		snprintf(id, size, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/* The first free range of the layer, all that is free from its start. */
static int first_free(struct sf_db *db, const char *layer, int *lo, int *hi)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res,
		"SELECT bucket_lo, bucket_hi FROM experiments WHERE layer_id = $1::bigint"
		"   AND status <> 'stopped' ORDER BY bucket_lo", SF_ARGS(layer));

	*lo = 0;
	*hi = SF_EXP_BUCKETS;
	for (int i = 0; !rc && i < PQntuples(res); i++) {
		int a = (int)sf_db_int(res, i, "bucket_lo"), b = (int)sf_db_int(res, i, "bucket_hi");

		if (a > *lo) {
			*hi = a;
			break;
		}
		*lo = b;
	}
	if (!rc && *lo >= *hi)
		rc = sf_error(SF_ECONFLICT, "layer: every bucket is taken; give --buckets in a "
			      "stopped experiment's range or use another layer");
	PQclear(res);
	return rc;
}

static int show(struct sf_db *db, const char *key, json_t **out)
{
	char *what = sf_xasprintf("experiment '%s'", sf_text_quote(key ? key : ""));
	int rc = query_json(db, what, out, "SELECT " EXP_JSON EXP_FROM " WHERE e.key = $1",
			    SF_ARGS(key ? key : ""));

	free(what);
	return rc;
}

struct create {
	const struct sf_actor *actor;
	const struct sf_exp_spec *s;
	json_t **out;
};

static int create_tx(struct sf_db *db, void *arg)
{
	struct create *c = arg;
	const struct sf_exp_spec *s = c->s;
	json_t *variants = NULL, *targeting = NULL;
	char layer[24], lo_s[16], hi_s[16], *vtext = NULL, *ttext = NULL, *salt = NULL;
	int lo, hi, rc;

	if ((rc = layer_id(db, s->layer, layer, sizeof(layer))) ||
	    (rc = sf_db_query(db, NULL, "SELECT 1 FROM exp_layers WHERE id = $1::bigint FOR UPDATE",
			      SF_ARGS(layer))) ||
	    (rc = parse_variants(s->variants, s->params, &variants)) ||
	    (rc = parse_targeting(s->targeting, &targeting)) ||
	    (rc = s->buckets ? parse_buckets(s->buckets, &lo, &hi) : first_free(db, layer, &lo, &hi)) ||
	    (rc = overlap_check(db, layer, lo, hi, s->key)))
		goto out;
	snprintf(lo_s, sizeof(lo_s), "%d", lo);
	snprintf(hi_s, sizeof(hi_s), "%d", hi);
	vtext = json_dumps(variants, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ttext = json_dumps(targeting, JSON_COMPACT | JSON_PRESERVE_ORDER);
	salt = salt_text();
	rc = sf_db_query(db, NULL,
		"INSERT INTO experiments (key, hypothesis, layer_id, bucket_lo, bucket_hi, unit, salt,"
		"                         variants, targeting)"
		" VALUES ($1, coalesce($2, ''), $3::bigint, $4::int, $5::int, coalesce($6, 'profile'),"
		"         $7::bigint, $8::jsonb, $9::jsonb)",
		SF_ARGS(s->key, s->hypothesis, layer, lo_s, hi_s, s->unit, salt, vtext, ttext));
	if (rc == SF_ECONFLICT)
		rc = sf_error(SF_ECONFLICT, "experiment '%s': there is one already", s->key);
	if (!rc && (rc = show(db, s->key, c->out)) == 0)
		rc = sf_audit_record(db, c->actor, "experiment.create", "experiment",
				     json_integer_value(json_object_get(*c->out, "id")), NULL, *c->out);
out:
	json_decref(variants);
	json_decref(targeting);
	free(vtext);
	free(ttext);
	free(salt);
	return rc;
}

int sf_exp_create(struct sf_db *db, const struct sf_actor *actor, const struct sf_exp_spec *s,
		  json_t **out)
{
	struct create c = { actor, s, out };
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)) ||
	    (rc = name_check("experiment", s->key)))
		return rc;
	if (s->unit && strcmp(s->unit, "profile") && strcmp(s->unit, "account"))
		return sf_error(SF_EINVAL, "unit '%s': not profile or account", sf_text_quote(s->unit));
	if (!s->layer)
		return sf_error(SF_EINVAL, "experiment '%s': give its --layer", s->key);
	rc = sf_db_tx(db, 0, create_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

struct change {
	const struct sf_actor *actor;
	const struct sf_exp_spec *s;
	const char *key, *to;     /* start/stop: the new status */
	json_t **out;
};

/* Locks the experiment's row; its status and id. */
static int lock(struct sf_db *db, const char *key, char *status, size_t ssize, char *id,
		size_t isize)
{
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT id, status FROM experiments WHERE key = $1 FOR UPDATE",
			     SF_ARGS(key ? key : ""));

	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "experiment '%s': not found",
			      sf_text_quote(key ? key : ""));
	if (!rc) {
		snprintf(id, isize, "%s", sf_db_str(res, 0, "id"));
		snprintf(status, ssize, "%s", sf_db_str(res, 0, "status"));
	}
	PQclear(res);
	return rc;
}

static int status_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char status[16], id[24];
	json_t *old = NULL;
	const char *from = !strcmp(c->to, "running") ? "draft" : "running";
	int rc = lock(db, c->key, status, sizeof(status), id, sizeof(id));

	if (!rc && strcmp(status, from))
		rc = sf_error(SF_ECONFLICT, "experiment '%s' is %s: only a %s one can be %s", c->key,
			      status, from, !strcmp(c->to, "running") ? "started" : "stopped");
	if (!rc)
		rc = show(db, c->key, &old);
	if (!rc)
		rc = sf_db_query(db, NULL,
			"UPDATE experiments SET status = $2, updated_at = now(),"
			"       started_at = CASE WHEN $2 = 'running' THEN now() ELSE started_at END,"
			"       stopped_at = CASE WHEN $2 = 'stopped' THEN now() ELSE stopped_at END"
			" WHERE id = $1::bigint", SF_ARGS(id, c->to));
	if (!rc)
		rc = show(db, c->key, c->out);
	if (!rc)
		rc = sf_audit_record(db, c->actor, !strcmp(c->to, "running") ? "experiment.start"
				     : "experiment.stop", "experiment", atoll(id), old, *c->out);
	json_decref(old);
	return rc;
}

static int set_status(struct sf_db *db, const struct sf_actor *actor, const char *key,
		      const char *to, json_t **out)
{
	struct change c = { .actor = actor, .key = key, .to = to, .out = out };
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	rc = sf_db_tx(db, 0, status_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int sf_exp_start(struct sf_db *db, const struct sf_actor *actor, const char *key, json_t **out)
{
	return set_status(db, actor, key, "running", out);
}

int sf_exp_stop(struct sf_db *db, const struct sf_actor *actor, const char *key, json_t **out)
{
	return set_status(db, actor, key, "stopped", out);
}

/* Whether the variants differ from the stored ones only in weights. */
static int weights_only(const json_t *stored, const json_t *v)
{
	size_t i;
	const json_t *a;

	if (json_array_size(stored) != json_array_size(v))
		return 0;
	json_array_foreach(stored, i, a) {
		const json_t *b = json_array_get(v, i);

		if (!json_equal(json_object_get(a, "name"), json_object_get(b, "name")) ||
		    !json_equal(json_object_get(a, "params"), json_object_get(b, "params")))
			return 0;
	}
	return 1;
}

/* A variant given without parameters keeps those it had (by name), so
 * "--variants control:70,treatment:30" changes weights only. */
static void keep_params(const json_t *stored, json_t *v)
{
	size_t i, k;
	json_t *it, *was;

	json_array_foreach(v, i, it) {
		if (json_object_size(json_object_get(it, "params")))
			continue;
		json_array_foreach(stored, k, was)
			if (json_equal(json_object_get(was, "name"), json_object_get(it, "name")))
				json_object_set(it, "params", json_object_get(was, "params"));
	}
}

static int edit_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	const struct sf_exp_spec *s = c->s;
	char status[16], id[24], layer[24], lo_s[16], hi_s[16], *vtext = NULL, *ttext = NULL;
	json_t *old = NULL, *variants = NULL, *targeting = NULL;
	int lo, hi, rc = lock(db, s->key, status, sizeof(status), id, sizeof(id)), phase = 0;

	if (!rc)
		rc = show(db, s->key, &old);
	if (rc)
		goto out;
	if (strcmp(status, "draft") && (s->layer || s->buckets || s->unit || s->targeting)) {
		rc = sf_error(SF_ECONFLICT, "experiment '%s' is %s: only its hypothesis and "
			      "weights can change", s->key, status);
		goto out;
	}
	if (!strcmp(status, "stopped") && (s->variants || s->params)) {
		rc = sf_error(SF_ECONFLICT, "experiment '%s' is stopped", s->key);
		goto out;
	}
	if (s->variants || s->params) {
		char *text = s->variants ? NULL
			: json_dumps(json_object_get(old, "variants"), JSON_COMPACT);

		rc = parse_variants(s->variants ? s->variants : text, s->params, &variants);
		free(text);
		if (rc)
			goto out;
		keep_params(json_object_get(old, "variants"), variants);
		if (!strcmp(status, "running")) {
			if (!weights_only(json_object_get(old, "variants"), variants)) {
				rc = sf_error(SF_ECONFLICT, "experiment '%s' is running: only the "
					      "weights of its variants can change", s->key);
				goto out;
			}
			phase = !json_equal(json_object_get(old, "variants"), variants);
		}
		vtext = json_dumps(variants, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	if (s->targeting) {
		if ((rc = parse_targeting(s->targeting, &targeting)))
			goto out;
		ttext = json_dumps(targeting, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	if (s->layer && (rc = layer_id(db, s->layer, layer, sizeof(layer))))
		goto out;
	if (s->buckets || s->layer) {
		const char *b = s->buckets ? s->buckets : json_string_value(json_object_get(old, "buckets"));

		if ((rc = parse_buckets(b, &lo, &hi)))
			goto out;
		if (!s->layer)
			rc = layer_id(db, json_string_value(json_object_get(old, "layer")), layer,
				      sizeof(layer));
		if (rc || (rc = overlap_check(db, layer, lo, hi, s->key)))
			goto out;
		snprintf(lo_s, sizeof(lo_s), "%d", lo);
		snprintf(hi_s, sizeof(hi_s), "%d", hi);
	}
	if (s->unit && strcmp(s->unit, "profile") && strcmp(s->unit, "account")) {
		rc = sf_error(SF_EINVAL, "unit '%s': not profile or account", sf_text_quote(s->unit));
		goto out;
	}
	rc = sf_db_query(db, NULL,
		"UPDATE experiments SET hypothesis = coalesce($2, hypothesis),"
		"       variants = coalesce($3::jsonb, variants), targeting = coalesce($4::jsonb, targeting),"
		"       layer_id = coalesce($5::bigint, layer_id), bucket_lo = coalesce($6::int, bucket_lo),"
		"       bucket_hi = coalesce($7::int, bucket_hi), unit = coalesce($8, unit),"
		"       phase = phase + $9::int, updated_at = now()"
		" WHERE id = $1::bigint",
		SF_ARGS(id, s->hypothesis, vtext, ttext, s->layer ? layer : NULL,
			s->buckets || s->layer ? lo_s : NULL, s->buckets || s->layer ? hi_s : NULL,
			s->unit, phase ? "1" : "0"));
	if (!rc)
		rc = show(db, s->key, c->out);
	if (!rc)
		rc = sf_audit_record(db, c->actor, "experiment.edit", "experiment", atoll(id), old,
				     *c->out);
out:
	json_decref(old);
	json_decref(variants);
	json_decref(targeting);
	free(vtext);
	free(ttext);
	return rc;
}

int sf_exp_edit(struct sf_db *db, const struct sf_actor *actor, const struct sf_exp_spec *s,
		json_t **out)
{
	struct change c = { .actor = actor, .s = s, .out = out };
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	rc = sf_db_tx(db, 0, edit_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

int sf_exp_list(struct sf_db *db, const struct sf_actor *actor, const char *status,
		json_t **out)
{
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	if (status && strcmp(status, "draft") && strcmp(status, "running") && strcmp(status, "stopped"))
		return sf_error(SF_EINVAL, "status '%s': not draft, running or stopped",
				sf_text_quote(status));
	return query_json(db, "experiments", out,
		"SELECT coalesce(jsonb_agg(" EXP_JSON " ORDER BY e.id DESC), '[]')" EXP_FROM
		" WHERE $1::text IS NULL OR e.status = $1", SF_ARGS(status));
}

int sf_exp_show(struct sf_db *db, const struct sf_actor *actor, const char *key, json_t **out)
{
	int rc;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	return show(db, key, out);
}

int sf_exp_assign(struct sf_db *db, const struct sf_actor *actor, const char *key,
		  const char *unit, json_t **out)
{
	struct sf_exp_alloc a = { 0 };
	PGresult *res = NULL;
	json_t *variants = NULL;
	long long u;
	int rc, v = -1, held = 0;

	*out = NULL;
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_EXPERIMENTS)))
		return rc;
	if (!sf_text_parse_id(unit ? unit : "", &u))
		return sf_error(SF_EINVAL, "unit '%s': not a profile or account id",
				sf_text_quote(unit ? unit : ""));
	rc = sf_db_query(db, &res,
		"SELECT l.salt AS layer_salt, e.bucket_lo, e.bucket_hi, e.salt, e.phase,"
		"       e.variants::text AS variants, h.salt AS holdout_salt, h.share"
		EXP_FROM " LEFT JOIN exp_holdout h ON true WHERE e.key = $1", SF_ARGS(key ? key : ""));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "experiment '%s': not found", sf_text_quote(key ? key : ""));
	if (rc)
		goto out;
	variants = json_loads(sf_db_str(res, 0, "variants"), 0, NULL);
	exp_alloc_from_row(res, 0, variants, &a);
	held = exp_held_out_row(res, 0, u);
	if (!held)
		v = sf_exp_variant(&a, u);
	{
		int bucket = sf_exp_bucket(u, a.layer_salt);
		json_t *name = v >= 0 ? json_object_get(json_array_get(variants, (size_t)v), "name")
			: NULL;

		*out = json_pack("{sssIsisisbsbsO?}", "experiment", key, "unit", (json_int_t)u,
				 "phase", a.phase, "bucket", bucket, "held_out", held, "in_range",
				 bucket >= a.bucket_lo && bucket < a.bucket_hi, "variant", name);
	}
out:
	json_decref(variants);
	PQclear(res);
	return rc;
}
