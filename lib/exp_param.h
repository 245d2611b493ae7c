/*
 * exp_param.h - product parameters that experiments set: code asks for
 * a parameter by name ("home.ranker", "abr.algorithm") for the viewer in
 * front of it and gets the value of the variant the viewer is assigned,
 * or nothing (its own default) when no running experiment takes it.
 *
 * The viewer's first assignment in an experiment's phase is recorded as
 * an exposure (sql/0015_experiments.sql): the moment it actually got the
 * variant, whatever the variant (a control that sets nothing included).
 */
#ifndef SF_EXP_PARAM_H
#define SF_EXP_PARAM_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"
#include "exp_alloc.h"

struct sf_db;
struct sf_viewer;

/* *value: the parameter's value for the viewer (a string as it is, other
 * JSON as its text; caller frees), or NULL when no running experiment
 * that sets name takes the viewer (or its variant sets nothing).  The
 * experiments are those whose variants set name, running, in the order
 * they were created; the first that takes the viewer (its unit's bucket
 * in range, not held out, targeting met) decides. */
int sf_exp_param(struct sf_db *db, const struct sf_viewer *v, const char *name, char **value);

/* Every running experiment that takes the viewer, in the order they were
 * created: [{experiment, variant, phase, params}], each recorded as an
 * exposure (a client that asks gets every parameter at once). */
int sf_exp_assignments(struct sf_db *db, const struct sf_viewer *v, json_t **out);

/* Internal to lib/ (experiment.c too): the allocation of an experiment
 * row with the columns layer_salt, bucket_lo, bucket_hi, salt and phase,
 * and its parsed variants; whether unit is in the holdout of a row with
 * holdout_salt (NULL: none) and share. */
void exp_alloc_from_row(const PGresult *res, int row, const json_t *variants,
			struct sf_exp_alloc *a);
bool exp_held_out_row(const PGresult *res, int row, long long unit);

#endif
