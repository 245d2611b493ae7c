/*
 * complete.c - the hidden commands behind shell completion and the docs
 * tests.
 *
 * "sf __complete -- sf user a" prints the candidates for the last word,
 * one per line as "candidate<TAB>description"; the bash, zsh and fish
 * scripts in completions/ are thin wrappers around it, so they can never
 * fall behind the command table.  "sf __usage [<command>]" prints the
 * usage line of every verb, which the man pages must repeat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xalloc.h"

static void candidate(const char *word, const char *prefix, const char *desc)
{
	if (!strncmp(word, prefix, strlen(prefix)))
		printf("%s\t%s\n", word, desc ? desc : "");
}

static void options(const struct sf_verb *v, const char *cur)
{
	char buf[128];

	for (const struct sf_opt *o = v->opts; o && o->name; o++) {
		snprintf(buf, sizeof(buf), "--%s", o->name);
		candidate(buf, cur, o->help);
	}
	for (int i = 0; sf_common_opts[i].name; i++) {
		const char *n = sf_common_opts[i].name;

		if ((!strcmp(n, "db") && !(v->flags & (CMD_DB | CMD_DBURL))) ||
		    (!strcmp(n, "as") && !(v->flags & CMD_DB)) ||
		    (!strcmp(n, "json") && !(v->flags & CMD_JSON)))
			continue;
		snprintf(buf, sizeof(buf), "--%s", n);
		candidate(buf, cur, sf_common_opts[i].help);
	}
}

/* The option whose value the current word is, if any. */
static const struct sf_opt *value_of(const struct sf_verb *v, const char *prev)
{
	if (!prev || strncmp(prev, "--", 2))
		return NULL;
	for (const struct sf_opt *o = v->opts; o && o->name; o++)
		if (!strcmp(prev + 2, o->name) && o->value)
			return o;
	return NULL;
}

static int complete(struct sf_ctx *ctx)
{
	char **w = ctx->argv;
	int n = ctx->argc, ambiguous;
	const char *cur = n > 0 ? w[n - 1] : "";
	const struct sf_command *cmd;
	const struct sf_verb *verb;
	const struct sf_opt *o;

	/* w[0] is "sf"; w[n-1] is the word being completed. */
	if (n <= 2) {
		for (int i = 0; sf_commands[i]; i++)
			if (!sf_commands[i]->hidden)
				candidate(sf_commands[i]->name, cur, sf_commands[i]->summary);
		return 0;
	}
	cmd = sf_find_command(w[1], &ambiguous);
	if (!cmd)
		return 0;
	/* "sf help <command> <verb>"; its options (--help) as for any command. */
	if (!strcmp(cmd->name, "help") && cur[0] != '-') {
		if (n == 3)
			for (int i = 0; sf_commands[i]; i++)
				if (!sf_commands[i]->hidden)
					candidate(sf_commands[i]->name, cur, sf_commands[i]->summary);
		if (n == 4 && (cmd = sf_find_command(w[2], &ambiguous)) && cmd->verbs[0].name)
			for (verb = cmd->verbs; verb->exec; verb++)
				candidate(verb->name, cur, verb->summary);
		return 0;
	}
	if (cmd->verbs[0].name) {
		if (n == 3) {
			for (verb = cmd->verbs; verb->exec; verb++)
				candidate(verb->name, cur, verb->summary);
			return 0;
		}
		verb = sf_find_verb(cmd, w[2], &ambiguous);
	} else {
		verb = &cmd->verbs[0];
	}
	if (!verb)
		return 0;
	o = value_of(verb, n >= 2 ? w[n - 2] : NULL);
	if (o) {
		for (int i = 0; o->choices && o->choices[i]; i++)
			candidate(o->choices[i], cur, NULL);
		return 0;
	}
	if (cur[0] == '-')
		options(verb, cur);
	return 0;
}

static int usage(struct sf_ctx *ctx)
{
	for (int i = 0; sf_commands[i]; i++) {
		const struct sf_command *cmd = sf_commands[i];

		if (cmd->hidden || (ctx->argc && strcmp(ctx->argv[0], cmd->name)))
			continue;
		for (const struct sf_verb *v = cmd->verbs; v->exec; v++) {
			char *line = sf_usage_line(cmd, v);

			printf("%s\n", line);
			free(line);
		}
	}
	return 0;
}

const struct sf_command sf_cmd_complete = {
	.name = "__complete",
	.summary = "print completions for the words of a command line",
	.hidden = true,
	.verbs = (const struct sf_verb[]){
		{ NULL, "-- <word>...", "print completions for the words of a command line",
		  complete, 0, NULL, 0, -1 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_usage = {
	.name = "__usage",
	.summary = "print the usage line of every verb",
	.hidden = true,
	.verbs = (const struct sf_verb[]){
		{ NULL, "[<command>]", "print the usage line of every verb", usage, 0, NULL, 0, 1 },
		{ 0 },
	},
};
