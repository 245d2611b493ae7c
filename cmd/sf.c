/*
 * sf.c - the entry point: find the command and verb, parse options, open
 * the database if the verb needs it, run it, and turn the result into an
 * exit status.
 *
 * Errors are printed here and only here, as one line "sf: <message>", and
 * the exit status comes from the table in lib/error.c.  As git does, sf
 * checks at the end that writing standard output worked, so
 * "sf user list --json > /full/disk" fails loudly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "db.h"
#include "error.h"
#include "log.h"
#include "store.h"
#include "text.h"
#include "version.h"

/* media.c, worker.c, job.c */
extern const struct sf_command sf_cmd_media, sf_cmd_worker, sf_cmd_job;

const struct sf_command *const sf_commands[] = {
	&sf_cmd_user,
	&sf_cmd_profile,
	&sf_cmd_list, &sf_cmd_review,
	&sf_cmd_watch,
	&sf_cmd_home, &sf_cmd_recs, &sf_cmd_experiment,
	&sf_cmd_title, &sf_cmd_genre,
	&sf_cmd_media, &sf_cmd_worker, &sf_cmd_job,
	&sf_cmd_search,
	&sf_cmd_abr,
	&sf_cmd_audit,
	&sf_cmd_serve,
	&sf_cmd_login, &sf_cmd_logout,
	&sf_cmd_db,
	&sf_cmd_demo,
	&sf_cmd_play,
	&sf_cmd_help,
	&sf_cmd_version,
	&sf_cmd_complete,
	&sf_cmd_usage,
	NULL,
};

static int fail(int rc)
{
	fprintf(stderr, "sf: %s\n", sf_error_message());
	return sf_error_exit_status(rc);
}

/* Ends like git: a failed write to stdout is an error, except a closed
 * pipe, which is the reader's choice ("sf user list | head"). */
static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE || status)   /* a failed verb has said why */
			return status;
		fprintf(stderr, "sf: error writing output: %s\n", strerror(errno));
		return status ? status : 1;
	}
	return status;
}

static int run_verb(const struct sf_command *cmd, const struct sf_verb *verb,
		    int argc, char **argv)
{
	struct sf_ctx ctx = { .cmd = cmd, .verb = verb };
	int rc;

	rc = sf_parse(&ctx, argc, argv);
	if (rc == 1) {
		rc = 0;
		goto out;
	}
	if (!rc && (verb->flags & CMD_DB)) {
		rc = sf_store_open(ctx.db_url, &ctx.db);
		if (!rc && ctx.as)
			rc = sf_actor_account(ctx.db, ctx.as, &ctx.actor);
		else if (!rc)
			sf_actor_os(&ctx.actor);
	}
	if (!rc)
		rc = verb->exec(&ctx);
out:
	sf_actor_release(&ctx.actor);
	sf_db_free(ctx.db);
	free(ctx.vals);
	return rc < 0 ? fail(rc) : rc;
}

int main(int argc, char **argv)
{
	const struct sf_command *cmd;
	const struct sf_verb *verb;
	int used, rc;

	if (sf_log_init() < 0)
		return finish(fail(SF_EINVAL));
	if (argc < 2) {
		sf_print_general_help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = "help";
	else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		argv[1] = "version";
	else if (argv[1][0] == '-')
		return finish(fail(sf_error(SF_EINVAL, "unknown option '%s'; options go after "
					    "the command (see 'sf help')",
					    sf_text_quote(argv[1]))));

	used = sf_resolve(argc - 1, argv + 1, &cmd, &verb);
	if (used < 0)
		return finish(fail(used));
	if (!verb) {
		/* "sf user": which verb?  "sf user --help": here are the verbs. */
		if (1 + used < argc && (!strcmp(argv[1 + used], "--help") ||
					!strcmp(argv[1 + used], "-h"))) {
			sf_print_command_help(stdout, cmd);
			return finish(0);
		}
		sf_print_command_help(stderr, cmd);
		return finish(2);
	}
	rc = run_verb(cmd, verb, argc - used, argv + used);
	return finish(rc);
}
