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

#endif
