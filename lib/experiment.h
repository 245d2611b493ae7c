/*
 * experiment.h - experiments: layers, the global holdout, experiments
 * with their variants and lifecycle, and who is assigned what.
 *
 * The tables are sql/0015_experiments.sql's; allocation is exp_alloc.h's
 * pure function of the stored salts, buckets, weights and phase.
 *
 * JSON forms:
 *   layer       {id, name, salt, experiments (not stopped), free (buckets), created_at}
 *   holdout     {share (percent), salt, updated_at}
 *   experiment  {id, key, hypothesis, layer, buckets: "LO-HI" (inclusive),
 *                unit, phase, status, variants: [{name, weight, params}],
 *                targeting, created_at, updated_at, started_at, stopped_at}
 *   assignment  {experiment, unit, phase, bucket, held_out, in_range,
 *                variant (name or null)}
 *
 * Every change needs SF_PERM_MANAGE_EXPERIMENTS and is in the audit log;
 * reading needs it too (assignments reveal the salts' work).
 */
#ifndef SF_EXPERIMENT_H
#define SF_EXPERIMENT_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

/* Adds a layer with a random salt.  A bad name SF_EINVAL; a taken one
 * SF_ECONFLICT. */
int sf_exp_layer_add(struct sf_db *db, const struct sf_actor *actor, const char *name,
		     json_t **out);

/* Every layer, by name: a JSON array. */
int sf_exp_layer_list(struct sf_db *db, const struct sf_actor *actor, json_t **out);

/* Sets the global holdout to percent ("5", "2.5"; 0 to 100) of units,
 * keeping its salt (a new one the first time). */
int sf_exp_holdout_set(struct sf_db *db, const struct sf_actor *actor, const char *percent,
		       json_t **out);

/* What "sf experiment create" takes; NULL fields take their defaults. */
struct sf_exp_spec {
	const char *key;
	const char *hypothesis;
	const char *layer;       /* a layer name or id (required to create) */
	const char *buckets;     /* "LO-HI", inclusive; default the layer's first free
				  * range from 0 (create) */
	const char *unit;        /* "profile" (default) or "account" */
	const char *variants;    /* "control:50,treatment:50" or a JSON array of
				  * {name, weight, params} (required to create) */
	const char *params;      /* JSON {variant: {param: value}} merged in */
	const char *targeting;   /* JSON {kids, countries, max_maturity, new_profiles} */
};

/* Creates a draft experiment.  Bad fields SF_EINVAL naming the value; a
 * taken key, or buckets another experiment of the layer holds,
 * SF_ECONFLICT; an unknown layer SF_ENOTFOUND. */
int sf_exp_create(struct sf_db *db, const struct sf_actor *actor, const struct sf_exp_spec *s,
		  json_t **out);

/* Changes a draft's fields, or a running experiment's hypothesis and
 * weights: new weights start a new phase (every unit re-randomized).
 * Other changes to a running or stopped experiment SF_ECONFLICT. */
int sf_exp_edit(struct sf_db *db, const struct sf_actor *actor, const struct sf_exp_spec *s,
		json_t **out);

/* draft -> running; running -> stopped.  Anything else SF_ECONFLICT. */
int sf_exp_start(struct sf_db *db, const struct sf_actor *actor, const char *key, json_t **out);
int sf_exp_stop(struct sf_db *db, const struct sf_actor *actor, const char *key, json_t **out);

/* Experiments, newest first (status NULL: all): a JSON array. */
int sf_exp_list(struct sf_db *db, const struct sf_actor *actor, const char *status,
		json_t **out);
int sf_exp_show(struct sf_db *db, const struct sf_actor *actor, const char *key, json_t **out);

/* The assignment of a unit id (a profile or account id, as the
 * experiment's unit says) in the experiment's current phase. */
int sf_exp_assign(struct sf_db *db, const struct sf_actor *actor, const char *key,
		  const char *unit, json_t **out);

#endif
