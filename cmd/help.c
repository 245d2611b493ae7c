/*
 * help.c - "sf help [<command> [<verb>]]" and "sf version".
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "text.h"
#include "version.h"

void sf_print_general_help(FILE *fp)
{
	int width = 0;

	for (int i = 0; sf_commands[i]; i++)
		if (!sf_commands[i]->hidden && (int)strlen(sf_commands[i]->name) > width)
			width = (int)strlen(sf_commands[i]->name);
	fprintf(fp, "usage: sf <command> [<verb>] [<options>] [<arguments>]\n\n"
		"sf is a terminal-first streaming platform.\n\ncommands:\n");
	for (int i = 0; sf_commands[i]; i++)
		if (!sf_commands[i]->hidden)
			fprintf(fp, "    %-*s  %s\n", width, sf_commands[i]->name,
				sf_commands[i]->summary);
	fprintf(fp, "\nEvery command and verb takes --help; commands and verbs may be\n"
		"shortened to any unambiguous prefix ('sf us li' is 'sf user list').\n\n"
		"sf uses the PostgreSQL server named by --db or SF_DATABASE_URL; with\n"
		"neither, it runs a private cluster of its own under $SF_HOME.\n\n"
		"See 'sf help <command>' or 'man sf' for more.\n");
}

static int help(struct sf_ctx *ctx)
{
	const struct sf_command *cmd;
	const struct sf_verb *verb;
	int used;

	if (ctx->argc == 0) {
		sf_print_general_help(stdout);
		return 0;
	}
	used = sf_resolve(ctx->argc, ctx->argv, &cmd, &verb);
	if (used < 0)
		return sf_error_wrap(used, "help");
	if (used < ctx->argc)
		return sf_error(SF_EINVAL, "help: unexpected '%s'", sf_text_quote(ctx->argv[used]));
	if (verb)
		sf_print_verb_help(stdout, cmd, verb);
	else
		sf_print_command_help(stdout, cmd);
	return 0;
}

static int version(struct sf_ctx *ctx)
{
	(void)ctx;
	printf("sf %s\n", SF_VERSION);
	return 0;
}

const struct sf_command sf_cmd_help = {
	.name = "help",
	.summary = "show help for sf, a command or a verb",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "[<command> [<verb>]]", "show help for sf, a command or a verb",
		  help, 0, NULL, 0, 3 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_version = {
	.name = "version",
	.summary = "show sf's version",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "", "show sf's version", version, 0, NULL, 0, 0 },
		{ 0 },
	},
};
