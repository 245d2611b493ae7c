/*
 * job.c - "sf job": the job queue as operators see it (lib/job.c).
 */
#include <stdio.h>

#include "cmd.h"
#include "error.h"
#include "job.h"

static const char *const states[] = { "queued", "running", "done", "failed", NULL };

static const struct sf_column list_cols[] = {
	{ "ID", "id" }, { "KIND", "kind" }, { "ASSET", "asset_id" }, { "STATE", "state" },
	{ "ATTEMPTS", "attempts" }, { "RUN AFTER", "run_after" }, { "WORKER", "worker" },
	{ "ERROR", "error" }, { NULL },
};

static const struct sf_column show_cols[] = {
	{ "ID", "id" }, { "KIND", "kind" }, { "ASSET", "asset_id" }, { "STATE", "state" },
	{ "ATTEMPTS", "attempts" }, { "MAX ATTEMPTS", "max_attempts" },
	{ "RUN AFTER", "run_after" }, { "WORKER", "worker" }, { "STARTED", "started_at" },
	{ "FINISHED", "finished_at" }, { "ERROR", "error" }, { "CREATED", "created_at" },
	{ NULL },
};

static int job_list(struct sf_ctx *ctx)
{
	long long limit = 50;
	json_t *list = NULL;
	int rc = sf_opt_int(ctx, "limit", 1, 10000, &limit);

	if (!rc)
		rc = sf_job_list(ctx->db, sf_opt(ctx, "state"), limit, &list);
	if (!rc)
		sf_print(ctx, list, list_cols);
	json_decref(list);
	return rc;
}

static int job_show(struct sf_ctx *ctx)
{
	json_t *j = NULL;
	int rc = sf_job_get(ctx->db, ctx->argv[0], &j);

	if (!rc)
		sf_print(ctx, j, show_cols);
	json_decref(j);
	return rc;
}

static const struct sf_opt list_opts[] = {
	{ "state", "<state>", "only queued, running, done or failed jobs", false, states },
	{ "limit", "<n>", "at most this many, newest first (default 50)" },
	{ NULL },
};

const struct sf_command sf_cmd_job = {
	.name = "job",
	.summary = "list the background jobs and their state",
	.verbs = (const struct sf_verb[]){
		{ "list", NULL, "", "list jobs, newest first", job_list, CMD_DB | CMD_JSON, list_opts,
		  0, 0 },
		{ "show", NULL, "<job>", "show a job", job_show, CMD_DB | CMD_JSON, NULL, 1, 1 },
		{ 0 },
	},
};
