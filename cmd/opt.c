/*
 * opt.c - finding commands and verbs, parsing options, printing usage.
 *
 * Everything here is driven by the tables of cmd.h: the getopt_long table,
 * the usage line, --help and the checks for required options, choices and
 * argument counts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "error.h"
#include "text.h"
#include "xalloc.h"

const struct sf_opt sf_common_opts[] = {
	{ "db", "<conninfo>", "PostgreSQL connection string (default: $SF_DATABASE_URL, "
	  "else the embedded cluster)" },
	{ "as", "<account>", "act as this account: its role decides what is allowed" },
	{ "json", NULL, "print JSON instead of a table" },
	{ "help", NULL, "show this help" },
	{ NULL },
};
enum { COMMON_DB, COMMON_AS, COMMON_JSON, COMMON_HELP };

static int common_applies(const struct sf_verb *v, int i)
{
	switch (i) {
	case COMMON_DB: return (v->flags & (CMD_DB | CMD_DBURL)) != 0;
	case COMMON_AS: return (v->flags & CMD_DB) != 0;
	case COMMON_JSON: return (v->flags & CMD_JSON) != 0;
	default: return 1;
	}
}

/* Exact name or alias first, then a unique prefix. */
const struct sf_command *sf_find_command(const char *name, int *ambiguous)
{
	const struct sf_command *found = NULL;
	size_t len = strlen(name);
	int n = 0;

	*ambiguous = 0;
	for (int i = 0; sf_commands[i]; i++)
		if (!strcmp(sf_commands[i]->name, name) ||
		    (sf_commands[i]->alias && !strcmp(sf_commands[i]->alias, name)))
			return sf_commands[i];
	for (int i = 0; sf_commands[i] && len > 0; i++) {
		if (!sf_commands[i]->hidden && !strncmp(sf_commands[i]->name, name, len)) {
			found = sf_commands[i];
			n++;
		}
	}
	*ambiguous = n > 1;
	return n == 1 ? found : NULL;
}

const struct sf_verb *sf_find_verb(const struct sf_command *cmd, const char *name,
				   int *ambiguous)
{
	const struct sf_verb *found = NULL;
	size_t len = strlen(name);
	int n = 0;

	*ambiguous = 0;
	const struct sf_verb *v;

	sf_each_verb(v, cmd)
		if (v->name && !strcmp(v->name, name))
			return v;
	sf_each_verb(v, cmd) {
		if (len > 0 && v->name && !strncmp(v->name, name, len)) {
			found = v;
			n++;
		}
	}
	*ambiguous = n > 1;
	return n == 1 ? found : NULL;
}

int sf_resolve(int argc, char **argv, const struct sf_command **cmd,
	       const struct sf_verb **verb)
{
	int ambiguous, used = 1;

	*verb = NULL;
	if (argc < 1)
		return sf_error(SF_EINVAL, "no command given; see 'sf help'");
	*cmd = sf_find_command(argv[0], &ambiguous);
	if (!*cmd)
		return sf_error(SF_EINVAL, ambiguous
			? "'%s' is ambiguous: more than one command starts with it; see 'sf help'"
			: "'%s' is not an sf command; see 'sf help'", sf_text_quote(argv[0]));
	if (!sf_has_verbs(*cmd)) {
		*verb = &(*cmd)->verbs[0];
		return used;
	}
	while (used < argc && argv[used][0] != '-') {
		const struct sf_verb *v = sf_find_verb(*cmd, argv[used], &ambiguous);

		if (!v)
			return sf_error(SF_EINVAL, ambiguous
				? "%s: '%s' is ambiguous: more than one verb starts with it; "
				  "see 'sf %s --help'"
				: "%s: '%s' is not a verb; see 'sf %s --help'", (*cmd)->name,
				sf_text_quote(argv[used]), (*cmd)->name);
		used++;
		if (!v->group) {
			*verb = v;
			break;
		}
		*cmd = v->group;
	}
	return used;
}

/* Appends the parts (NULL-terminated) to *s. */
static void append(char **s, ...)
{
	va_list ap;
	const char *part;

	va_start(ap, s);
	while ((part = va_arg(ap, const char *))) {
		char *old = *s;

		*s = sf_xasprintf("%s%s", old, part);
		free(old);
	}
	va_end(ap);
}

char *sf_usage_line(const struct sf_command *cmd, const struct sf_verb *verb)
{
	char *s = sf_xasprintf("sf %s%s%s", cmd->name, verb->name ? " " : "",
			       verb->name ? verb->name : "");

	for (const struct sf_opt *o = verb->opts; o && o->name; o++)
		append(&s, o->required ? " --" : " [--", o->name, o->value ? " " : "",
		       o->value ? o->value : "", o->required ? "" : "]", NULL);
	if (verb->flags & CMD_JSON)
		append(&s, " [--json]", NULL);
	if (verb->args && *verb->args)
		append(&s, " ", verb->args, NULL);
	return s;
}

static void print_opt(FILE *fp, const struct sf_opt *o, int width)
{
	char *left = sf_xasprintf("--%s%s%s", o->name, o->value ? " " : "",
				  o->value ? o->value : "");

	fprintf(fp, "    %-*s  %s\n", width, left, o->help);
	free(left);
}

static int opt_width(const struct sf_opt *o)
{
	return (int)(2 + strlen(o->name) + (o->value ? 1 + strlen(o->value) : 0));
}

void sf_print_verb_help(FILE *fp, const struct sf_command *cmd, const struct sf_verb *verb)
{
	char *usage = sf_usage_line(cmd, verb);
	int width = 0;

	for (const struct sf_opt *o = verb->opts; o && o->name; o++)
		if (opt_width(o) > width)
			width = opt_width(o);
	for (int i = 0; sf_common_opts[i].name; i++)
		if (common_applies(verb, i) && opt_width(&sf_common_opts[i]) > width)
			width = opt_width(&sf_common_opts[i]);
	fprintf(fp, "usage: %s\n\n%c%s.\n\n", usage, verb->summary[0] - 'a' + 'A',
		verb->summary + 1);
	for (const struct sf_opt *o = verb->opts; o && o->name; o++)
		print_opt(fp, o, width);
	for (int i = 0; sf_common_opts[i].name; i++)
		if (common_applies(verb, i))
			print_opt(fp, &sf_common_opts[i], width);
	fprintf(fp, "\nSee 'man sf-%s' for more.\n", sf_page(cmd));
	free(usage);
}

/* The usage lines of every verb of cmd, groups' verbs included. */
static void print_usages(FILE *fp, const struct sf_command *cmd, const char **lead)
{
	const struct sf_verb *v;

	sf_each_verb(v, cmd) {
		char *usage;

		if (v->group) {
			print_usages(fp, v->group, lead);
			continue;
		}
		usage = sf_usage_line(cmd, v);
		fprintf(fp, "%s%s\n", *lead, usage);
		*lead = "   or: ";
		free(usage);
	}
}

void sf_print_command_help(FILE *fp, const struct sf_command *cmd)
{
	const struct sf_verb *v;
	const char *lead = "usage: ";
	int width = 0;

	print_usages(fp, cmd, &lead);
	sf_each_verb(v, cmd)
		if (v->name && (int)strlen(v->name) > width)
			width = (int)strlen(v->name);
	fprintf(fp, "\n%c%s.\n", cmd->summary[0] - 'a' + 'A', cmd->summary + 1);
	if (sf_has_verbs(cmd)) {
		fprintf(fp, "\nverbs:\n");
		sf_each_verb(v, cmd)
			fprintf(fp, "    %-*s  %s\n", width, v->name,
				v->group ? v->group->summary : v->summary);
	}
	fprintf(fp, "\nSee 'sf %s <verb> --help' or 'man sf-%s' for more.\n", cmd->name,
		sf_page(cmd));
}

static const char *verb_label(const struct sf_ctx *ctx)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s%s%s", ctx->cmd->name, ctx->verb->name ? " " : "",
		 ctx->verb->name ? ctx->verb->name : "");
	return buf;
}

static int check_choice(const struct sf_opt *o, const char *v)
{
	char list[512] = "";

	for (int i = 0; o->choices[i]; i++) {
		if (!strcasecmp(o->choices[i], v))
			return 0;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? ", " : "", o->choices[i]);
	}
	return sf_error(SF_EINVAL, "--%s '%s': not one of %s", o->name, sf_text_quote(v), list);
}

int sf_parse(struct sf_ctx *ctx, int argc, char **argv)
{
	const struct sf_verb *v = ctx->verb;
	int nopts = 0, ncommon = 0, rc = 0, c;
	struct option *lo;

	for (const struct sf_opt *o = v->opts; o && o->name; o++)
		nopts++;
	while (sf_common_opts[ncommon].name)
		ncommon++;
	lo = sf_xcalloc((size_t)(nopts + ncommon + 1), sizeof(*lo));
	ctx->vals = sf_xcalloc((size_t)nopts + 1, sizeof(*ctx->vals));
	for (int i = 0; i < nopts; i++)
		lo[i] = (struct option){ v->opts[i].name,
			v->opts[i].value ? required_argument : no_argument, NULL, 256 + i };
	for (int i = 0, k = nopts; i < ncommon; i++)
		if (common_applies(v, i))
			lo[k++] = (struct option){ sf_common_opts[i].name,
				sf_common_opts[i].value ? required_argument : no_argument,
				NULL, 1024 + i };

	/* "--password X" would read as an abbreviation of --password-stdin
	 * followed by an argument, and the error would repeat the password. */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--password") || !strncmp(argv[i], "--password=", 11)) {
			free(lo);
			return sf_error(SF_EINVAL, "%s: passwords are never taken on the command "
					"line; use --password-stdin or type it when asked",
					verb_label(ctx));
		}
	opterr = 0;
	optind = 0;
	while (!rc && (c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		if (c == 'h' || c == 1024 + COMMON_HELP) {
			sf_print_verb_help(stdout, ctx->cmd, v);
			rc = 1;
		} else if (c >= 1024) {
			if (c == 1024 + COMMON_DB)
				ctx->db_url = optarg;
			else if (c == 1024 + COMMON_AS)
				ctx->as = optarg;
			else if (c == 1024 + COMMON_JSON)
				ctx->json = true;
		} else if (c >= 256) {
			const struct sf_opt *o = &v->opts[c - 256];

			ctx->vals[c - 256] = optarg ? optarg : "";
			if (optarg && o->choices)
				rc = check_choice(o, optarg);
		} else if (c == ':') {
			rc = sf_error(SF_EINVAL, "%s: option '%s' needs a value", verb_label(ctx),
				      argv[optind - 1]);
		} else if (optopt >= 256) {
			/* A flag given a value: "--json=yes". */
			rc = sf_error(SF_EINVAL, "%s: option '--%s' takes no value", verb_label(ctx),
				      optopt >= 1024 ? sf_common_opts[optopt - 1024].name
				      : v->opts[optopt - 256].name);
		} else {
			rc = sf_error(SF_EINVAL, "%s: unknown option '%s'; see 'sf %s --help'",
				      verb_label(ctx), optopt ? (char[]){ '-', (char)optopt, 0 }
				      : sf_text_quote(argv[optind - 1]), verb_label(ctx));
		}
	}
	free(lo);
	if (rc)
		return rc;
	for (int i = 0; i < nopts; i++)
		if (v->opts[i].required && !ctx->vals[i])
			return sf_error(SF_EINVAL, "%s: missing --%s %s", verb_label(ctx),
					v->opts[i].name, v->opts[i].value ? v->opts[i].value : "");
	ctx->argc = argc - optind;
	ctx->argv = argv + optind;
	if (ctx->argc < v->min_args)
		return sf_error(SF_EINVAL, "%s: missing %s; see 'sf %s --help'", verb_label(ctx),
				v->args, verb_label(ctx));
	if (v->max_args >= 0 && ctx->argc > v->max_args) {
		/* A verb that reads a secret does not echo a stray word: it may
		 * be the secret, typed where it does not belong. */
		for (int i = 0; i < nopts; i++)
			if (strstr(v->opts[i].name, "-stdin"))
				return sf_error(SF_EINVAL, "%s: unexpected argument (not shown: secrets "
						"are read from standard input or the terminal, never "
						"from the command line)", verb_label(ctx));
		return sf_error(SF_EINVAL, "%s: unexpected argument '%s'", verb_label(ctx),
				sf_text_quote(ctx->argv[v->max_args]));
	}
	return 0;
}

static int opt_index(const struct sf_ctx *ctx, const char *name)
{
	for (int i = 0; ctx->verb->opts && ctx->verb->opts[i].name; i++)
		if (!strcmp(ctx->verb->opts[i].name, name))
			return i;
	fprintf(stderr, "sf: bug: verb has no option '%s'\n", name);
	abort();
}

const char *sf_opt(const struct sf_ctx *ctx, const char *name)
{
	return ctx->vals[opt_index(ctx, name)];
}

bool sf_flag(const struct sf_ctx *ctx, const char *name)
{
	return ctx->vals[opt_index(ctx, name)] != NULL;
}

int sf_opt_int(const struct sf_ctx *ctx, const char *name, long long min, long long max,
	       long long *out)
{
	const char *v = sf_opt(ctx, name);
	char *end;
	long long n;

	if (!v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || *end || errno == ERANGE || n < min || n > max || strspn(v, "-0123456789") != strlen(v))
		return sf_error(SF_EINVAL, "--%s '%s': not a whole number from %lld to %lld",
				name, sf_text_quote(v), min, max);
	*out = n;
	return 0;
}
