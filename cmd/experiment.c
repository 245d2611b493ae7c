/*
 * experiment.c - "sf experiment": layers, the global holdout, experiments
 * (create, edit, start, stop, list, show) and assignments
 * (lib/experiment.c; allocation in lib/exp_alloc.c).
 *
 * Human output: an experiment as key: value lines with its variants as
 * a table; lists as tables; --json prints experiment.h's JSON forms.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "experiment.h"

static const struct sf_column exp_cols[] = {
	{ "KEY", "key" }, { "LAYER", "layer" }, { "BUCKETS", "buckets" }, { "UNIT", "unit" },
	{ "PHASE", "phase" }, { "STATUS", "status" }, { "STARTED", "started_at" }, { NULL },
};

/* One experiment: fields, then its variants. */
static int print_experiment(struct sf_ctx *ctx, json_t *e)
{
	static const struct sf_column fields[] = {
		{ "KEY", "key" }, { "HYPOTHESIS", "hypothesis" }, { "LAYER", "layer" },
		{ "BUCKETS", "buckets" }, { "UNIT", "unit" }, { "PHASE", "phase" },
		{ "STATUS", "status" }, { "STARTED", "started_at" }, { "STOPPED", "stopped_at" },
		{ NULL },
	};
	static const struct sf_column variant_cols[] = {
		{ "VARIANT", "name" }, { "WEIGHT", "weight" }, { "PARAMS", "params" }, { NULL },
	};

	if (ctx->json) {
		sf_print_json(e);
	} else {
		json_t *t = json_object_get(e, "targeting");

		sf_print(ctx, e, fields);
		if (json_object_size(t)) {
			char *s = json_dumps(t, JSON_COMPACT | JSON_PRESERVE_ORDER);

			printf("TARGETING:  %s\n", s);
			free(s);
		}
		putchar('\n');
		sf_print_table(json_object_get(e, "variants"), variant_cols);
	}
	json_decref(e);
	return 0;
}

static struct sf_exp_spec spec(struct sf_ctx *ctx)
{
	return (struct sf_exp_spec){
		.key = ctx->argv[0], .hypothesis = sf_opt(ctx, "hypothesis"),
		.layer = sf_opt(ctx, "layer"), .buckets = sf_opt(ctx, "buckets"),
		.unit = sf_opt(ctx, "unit"), .variants = sf_opt(ctx, "variants"),
		.params = sf_opt(ctx, "params"), .targeting = sf_opt(ctx, "targeting"),
	};
}

static int exp_create(struct sf_ctx *ctx)
{
	struct sf_exp_spec s = spec(ctx);
	json_t *out;
	int rc = sf_exp_create(ctx->db, &ctx->actor, &s, &out);

	return rc ? rc : print_experiment(ctx, out);
}

static int exp_edit(struct sf_ctx *ctx)
{
	struct sf_exp_spec s = spec(ctx);
	json_t *out;
	int rc = sf_exp_edit(ctx->db, &ctx->actor, &s, &out);

	return rc ? rc : print_experiment(ctx, out);
}

/* A verb that takes the key and prints the experiment: start, stop, show. */
static int by_key(struct sf_ctx *ctx, int (*fn)(struct sf_db *, const struct sf_actor *,
						const char *, json_t **))
{
	json_t *out;
	int rc = fn(ctx->db, &ctx->actor, ctx->argv[0], &out);

	return rc ? rc : print_experiment(ctx, out);
}

static int exp_start(struct sf_ctx *ctx)
{
	return by_key(ctx, sf_exp_start);
}

static int exp_stop(struct sf_ctx *ctx)
{
	return by_key(ctx, sf_exp_stop);
}

static int exp_show(struct sf_ctx *ctx)
{
	return by_key(ctx, sf_exp_show);
}


static int exp_list(struct sf_ctx *ctx)
{
	json_t *out;
	int rc = sf_exp_list(ctx->db, &ctx->actor, sf_opt(ctx, "status"), &out);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(out);
	else if (!json_array_size(out))
		printf("no experiments\n");
	else
		sf_print_table(out, exp_cols);
	json_decref(out);
	return 0;
}

static int exp_assign(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "EXPERIMENT", "experiment" }, { "UNIT", "unit" }, { "PHASE", "phase" },
		{ "BUCKET", "bucket" }, { "HELD OUT", "held_out" }, { "IN RANGE", "in_range" },
		{ "VARIANT", "variant" }, { NULL },
	};
	json_t *out;
	int rc = sf_exp_assign(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &out);

	if (rc)
		return rc;
	sf_print(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int layer_add(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "ID", "id" }, { "NAME", "name" }, { "SALT", "salt" }, { NULL },
	};
	json_t *out;
	int rc = sf_exp_layer_add(ctx->db, &ctx->actor, ctx->argv[0], &out);

	if (rc)
		return rc;
	sf_print(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int layer_list(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "ID", "id" }, { "NAME", "name" }, { "EXPERIMENTS", "experiments" },
		{ "FREE", "free" }, { "CREATED", "created_at" }, { NULL },
	};
	json_t *out;
	int rc = sf_exp_layer_list(ctx->db, &ctx->actor, &out);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(out);
	else if (!json_array_size(out))
		printf("no layers\n");
	else
		sf_print_table(out, cols);
	json_decref(out);
	return 0;
}

static int holdout_set(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "SHARE", "share" }, { "SALT", "salt" }, { "UPDATED", "updated_at" }, { NULL },
	};
	json_t *out;
	int rc = sf_exp_holdout_set(ctx->db, &ctx->actor, ctx->argv[0], &out);

	if (rc)
		return rc;
	sf_print(ctx, out, cols);
	json_decref(out);
	return 0;
}

static const char *const units[] = { "profile", "account", NULL };
static const char *const statuses[] = { "draft", "running", "stopped", NULL };

#define SPEC_OPTS(required) \
	{ "layer", "<layer>", "the layer it runs in (a name or id)", required }, \
	{ "variants", "<list>", "variants and weights: control:50,treatment:50, or a JSON array " \
	  "of {name, weight, params}", required }, \
	{ "params", "<json>", "parameters by variant: {\"treatment\": {\"home.ranker\": \"cf\"}}" }, \
	{ "buckets", "<range>", "its buckets of the layer, such as 0-4999 (default the first free " \
	  "range)" }, \
	{ "unit", "<unit>", "what is randomized: profile (the default) or account", false, units }, \
	{ "hypothesis", "<text>", "what it should show" }, \
	{ "targeting", "<json>", "who may enter: {kids, countries, max_maturity, new_profiles}" }

static const struct sf_opt create_opts[] = { SPEC_OPTS(true), { NULL } };
static const struct sf_opt edit_opts[] = { SPEC_OPTS(false), { NULL } };
static const struct sf_opt list_opts[] = {
	{ "status", "<status>", "only draft, running or stopped ones", false, statuses },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_experiment_layer = {
	.name = "experiment layer",
	.summary = "manage experiment layers",
	.page = "experiment",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<name>", "add a layer with a salt of its own", layer_add, DBJ, NULL,
		  1, 1 },
		{ "list", NULL, "", "list the layers and their free buckets", layer_list, DBJ, NULL,
		  0, 0 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_experiment_holdout = {
	.name = "experiment holdout",
	.summary = "set the global holdout",
	.page = "experiment",
	.verbs = (const struct sf_verb[]){
		{ "set", NULL, "<percent>", "keep this share of units out of every experiment",
		  holdout_set, DBJ, NULL, 1, 1 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_experiment = {
	.name = "experiment",
	.summary = "run experiments: layers, holdout, variants and who gets which",
	.verbs = (const struct sf_verb[]){
		{ "create", NULL, "<key>", "create a draft experiment", exp_create, DBJ, create_opts,
		  1, 1 },
		{ "edit", NULL, "<key>", "change a draft, or a running experiment's weights (a new "
		  "phase)", exp_edit, DBJ, edit_opts, 1, 1 },
		{ "start", NULL, "<key>", "start a draft experiment", exp_start, DBJ, NULL, 1, 1 },
		{ "stop", NULL, "<key>", "stop a running experiment", exp_stop, DBJ, NULL, 1, 1 },
		{ "list", NULL, "", "list experiments", exp_list, DBJ, list_opts, 0, 0 },
		{ "show", NULL, "<key>", "show an experiment", exp_show, DBJ, NULL, 1, 1 },
		{ "assign", NULL, "<key> <unit>", "show the variant a profile or account id gets",
		  exp_assign, DBJ, NULL, 2, 2 },
		{ "layer", &sf_cmd_experiment_layer },
		{ "holdout", &sf_cmd_experiment_holdout },
		{ 0 },
	},
};
