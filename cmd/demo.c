/*
 * demo.c - "sf demo": demo data.  "sf demo generate" fills the catalog
 * with a deterministic, plausible catalog of any size (lib/demo.c).
 *
 * On a terminal it shows which step it is at on standard error, on one
 * line that it clears when done; the summary goes to standard output.
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "demo.h"
#include "error.h"

static const struct sf_column cols[] = {
	{ "SEED", "seed" }, { "TITLES", "titles" }, { "MOVIES", "movies" },
	{ "SERIES", "series" }, { "SEASONS", "seasons" }, { "EPISODES", "episodes" },
	{ "PEOPLE", "people" }, { "CREDITS", "credits" }, { "GENRES", "genres" },
	{ "REPLACED", "replaced_titles" }, { "MILLISECONDS", "milliseconds" }, { NULL },
};

static void show_progress(void *arg, const char *step, long long done, long long total)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kgenerating %s: %lld%%", step, total ? done * 100 / total : 100);
	fflush(stderr);
}

static int demo_generate(struct sf_ctx *ctx)
{
	struct sf_demo_spec spec = SF_DEMO_SPEC_INIT;
	struct sf_demo_summary sum;
	bool tty = isatty(STDERR_FILENO);
	json_t *j;
	int rc;

	if ((rc = sf_opt_int(ctx, "titles", 1, SF_DEMO_MAX_TITLES, &spec.titles)) ||
	    (rc = sf_opt_int(ctx, "series", 0, SF_DEMO_MAX_TITLES, &spec.series)) ||
	    (rc = sf_opt_int(ctx, "episodes", 0, SF_DEMO_MAX_EPISODES, &spec.episodes)) ||
	    (rc = sf_opt_int(ctx, "people", 1, SF_DEMO_MAX_PEOPLE, &spec.people)) ||
	    (rc = sf_opt_int(ctx, "seed", 0, SF_DEMO_MAX_SEED, &spec.seed)))
		return rc;
	spec.replace = sf_flag(ctx, "replace");
	rc = sf_demo_generate(ctx->db, &ctx->actor, &spec, tty ? show_progress : NULL, NULL,
			      &sum);
	if (tty)
		fputs("\r\033[K", stderr);
	if (rc)
		return rc;
	j = sf_demo_summary_json(&sum);
	sf_print(ctx, j, cols);
	json_decref(j);
	return 0;
}

static const struct sf_opt generate_opts[] = {
	{ "titles", "<n>", "how many titles, movies and series (default 1000, at most 1000000)" },
	{ "series", "<n>", "how many of them are series (default a fifth)" },
	{ "episodes", "<n>", "episodes of all series together (default 50 a series, "
	  "at most 10000000)" },
	{ "people", "<n>", "people to credit (default as many as titles, at least 100)" },
	{ "seed", "<n>", "the seed: the same seed and sizes give the same catalog (default 1)" },
	{ "replace", NULL, "delete the catalog that is there first" },
	{ NULL },
};

const struct sf_command sf_cmd_demo = {
	.name = "demo",
	.summary = "generate demo data: a plausible catalog of any size",
	.verbs = (const struct sf_verb[]){
		{ "generate", NULL, "", "fill the catalog with generated titles, series and people",
		  demo_generate, CMD_DB | CMD_JSON, generate_opts, 0, 0 },
		{ 0 },
	},
};
