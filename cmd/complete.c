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

static void commands(const char *cur)
{
	for (int i = 0; sf_commands[i]; i++)
		if (!sf_commands[i]->hidden)
			candidate(sf_commands[i]->name, cur, sf_commands[i]->summary);
}

static void verbs(const struct sf_command *cmd, const char *cur)
{
	const struct sf_verb *v;

	sf_each_verb(v, cmd)
		candidate(v->name, cur, v->group ? v->group->summary : v->summary);
}

/* Follows the words after "sf" through commands, groups and verbs; the
 * last word (being completed) is never followed. */
static int walk(char **w, int n, const struct sf_command **cmd, const struct sf_verb **verb)
{
	int ambiguous, k = 1;

	*verb = NULL;
	*cmd = sf_find_command(w[0], &ambiguous);
	if (!*cmd)
		return -1;
	if (!sf_has_verbs(*cmd)) {
		*verb = &(*cmd)->verbs[0];
		return k;
	}
	while (k < n - 1) {
		const struct sf_verb *v = sf_find_verb(*cmd, w[k], &ambiguous);

		if (!v)
			return -1;
		k++;
		if (!v->group) {
			*verb = v;
			break;
		}
		*cmd = v->group;
	}
	return k;
}

static int complete(struct sf_ctx *ctx)
{
	char **w = ctx->argv;
	int n = ctx->argc, k;
	const char *cur = n > 0 ? w[n - 1] : "";
	const struct sf_command *cmd;
	const struct sf_verb *verb;
	const struct sf_opt *o;

	/* w[0] is "sf"; w[n-1] is the word being completed. */
	if (n <= 2) {
		commands(cur);
		return 0;
	}
	/* "sf help <command> <verb>..."; its options (--help) as for any command. */
	if (!strcmp(w[1], "help") && cur[0] != '-') {
		if (n == 3)
			commands(cur);
		else if (walk(w + 2, n - 2, &cmd, &verb) == n - 3 && !verb)
			verbs(cmd, cur);
		return 0;
	}
	k = walk(w + 1, n - 1, &cmd, &verb);
	if (k < 0)
		return 0;
	if (!verb) {
		if (k == n - 2)
			verbs(cmd, cur);
		return 0;
	}
	o = value_of(verb, w[n - 2]);
	if (o) {
		for (int i = 0; o->choices && o->choices[i]; i++)
			candidate(o->choices[i], cur, NULL);
		return 0;
	}
	if (cur[0] == '-')
		options(verb, cur);
	return 0;
}

static void usages(const struct sf_command *cmd)
{
	const struct sf_verb *v;

	sf_each_verb(v, cmd) {
		char *line;

		if (v->group) {
			usages(v->group);
			continue;
		}
		line = sf_usage_line(cmd, v);
		printf("%s\n", line);
		free(line);
	}
}

static int usage(struct sf_ctx *ctx)
{
	for (int i = 0; sf_commands[i]; i++) {
		const struct sf_command *cmd = sf_commands[i];

		if (cmd->hidden || (ctx->argc && strcmp(ctx->argv[0], cmd->name)))
			continue;
		usages(cmd);
	}
	return 0;
}

const struct sf_command sf_cmd_complete = {
	.name = "__complete",
	.summary = "print completions for the words of a command line",
	.hidden = true,
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "-- <word>...", "print completions for the words of a command line",
		  complete, 0, NULL, 0, -1 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_usage = {
	.name = "__usage",
	.summary = "print the usage line of every verb",
	.hidden = true,
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "[<command>]", "print the usage line of every verb", usage, 0, NULL, 0, 1 },
		{ 0 },
	},
};
