/*
 * cmd.h - the command table and what every subcommand file needs.
 *
 * sf is "sf <command> [<verb>] [<options>] [<arguments>]".  Each command
 * lives in cmd/<command>.c and exports one `const struct sf_command`; its
 * verbs are a table in that file, each with an option table.  Usage lines,
 * --help, option parsing and shell completion are all derived from these
 * tables, so a verb's options are written down exactly once.
 *
 * Adding a command:
 *  1. cmd/NAME.c defining `const struct sf_command sf_cmd_NAME` (exec
 *     functions static, one per verb; they parse nothing themselves);
 *  2. its line in the command table in cmd/sf.c (and extern below);
 *  3. man/sf-NAME.1.scd, whose SYNOPSIS repeats `sf __usage NAME` and
 *     which names every option (tests/cli/docs.sh checks both);
 *  4. tests in tests/cli/ (and tests/db/ for its lib module);
 *  5. completions need no edit: they ask `sf __complete`, and
 *     tests/cli/completion.sh checks bash, zsh and fish offer every
 *     command, verb and option in the table.
 */
#ifndef SF_CMD_H
#define SF_CMD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "actor.h"

struct sf_db;

struct sf_opt {
	const char *name;       /* long name without dashes: "email" */
	const char *value;      /* "<email>" for an option with a value; NULL for a flag */
	const char *help;       /* one line for --help */
	bool required;
	const char *const *choices;  /* values to complete and check; NULL: any */
};

/* Verb flags. */
#define CMD_DB    1u  /* open the database (and resolve --as) before exec */
#define CMD_JSON  2u  /* accepts --json */
#define CMD_DBURL 4u  /* accepts --db but connects by itself (sf db) */

struct sf_ctx;

struct sf_command;

struct sf_verb {
	const char *name;       /* NULL for a command that has no verbs */
	const struct sf_command *group; /* a verb with verbs of its own ("sf title
					 * season add"): the group, named "title season" */
	const char *args;       /* positional arguments for usage: "<account>" */
	const char *summary;    /* one line, lowercase, no full stop */
	int (*exec)(struct sf_ctx *ctx);
	unsigned flags;
	const struct sf_opt *opts;   /* terminated by an entry with name NULL */
	int min_args, max_args;      /* positional argument counts; max -1: any */
};

struct sf_command {
	const char *name;            /* "user"; for a group, "title season" */
	const char *alias;
	const char *summary;
	const struct sf_verb *verbs; /* terminated by an entry with exec and group NULL */
	bool hidden;                 /* left out of help and completion */
	const char *page;            /* its man page is sf-PAGE(1); NULL: sf-NAME */
};

/* Every verb of a command or group. */
#define sf_each_verb(v, cmd) for ((v) = (cmd)->verbs; (v)->exec || (v)->group; (v)++)
/* A command with no verbs runs its one entry directly. */
#define sf_has_verbs(cmd) ((cmd)->verbs[0].name != NULL)
/* The man page a command or group is documented in ("user", "title"). */
#define sf_page(cmd) ((cmd)->page ? (cmd)->page : (cmd)->name)

struct sf_ctx {
	const struct sf_command *cmd;
	const struct sf_verb *verb;
	const char **vals;      /* option values, parallel to verb->opts; NULL if absent */
	int argc;               /* positional arguments */
	char **argv;
	bool json;              /* --json */
	const char *db_url;     /* --db */
	const char *as;         /* --as */
	struct sf_db *db;       /* open when the verb has CMD_DB */
	struct sf_actor actor;
};

/* The table (cmd/sf.c). */
extern const struct sf_command *const sf_commands[];
extern const struct sf_command sf_cmd_help, sf_cmd_version, sf_cmd_db, sf_cmd_user,
	sf_cmd_profile, sf_cmd_audit, sf_cmd_complete, sf_cmd_usage;
extern const struct sf_command sf_cmd_demo;
extern const struct sf_command sf_cmd_title, sf_cmd_genre;
extern const struct sf_command sf_cmd_search;
extern const struct sf_command sf_cmd_abr;
extern const struct sf_command sf_cmd_serve;
extern const struct sf_command sf_cmd_login, sf_cmd_logout;
extern const struct sf_command sf_cmd_list, sf_cmd_review;
extern const struct sf_command sf_cmd_watch;
extern const struct sf_command sf_cmd_home, sf_cmd_recs, sf_cmd_experiment;
extern const struct sf_command sf_cmd_play;

/* opt.c: parsing and usage. */
const struct sf_command *sf_find_command(const char *name, int *ambiguous);
const struct sf_verb *sf_find_verb(const struct sf_command *cmd, const char *name,
				   int *ambiguous);
/* Parses argv (after the verb) into ctx; prints help and returns 1 for
 * --help; returns SF_EINVAL with a message for bad usage. */
int sf_parse(struct sf_ctx *ctx, int argc, char **argv);
/* Walks words naming a command and its verbs (groups included): sets
 * *cmd and *verb (NULL when the words stop at a command or group) and
 * returns how many words were used, or SF_EINVAL naming a word that is
 * not a command or verb. */
int sf_resolve(int argc, char **argv, const struct sf_command **cmd,
	       const struct sf_verb **verb);
/* The usage line of a verb, without "usage: "; caller frees. */
char *sf_usage_line(const struct sf_command *cmd, const struct sf_verb *verb);
void sf_print_command_help(FILE *fp, const struct sf_command *cmd);
/* help.c: the overview of all commands ("sf help"). */
void sf_print_general_help(FILE *fp);
void sf_print_verb_help(FILE *fp, const struct sf_command *cmd, const struct sf_verb *verb);
/* The options every verb takes, besides its own. */
extern const struct sf_opt sf_common_opts[];

/* The value of option name, or NULL if not given. */
const char *sf_opt(const struct sf_ctx *ctx, const char *name);
bool sf_flag(const struct sf_ctx *ctx, const char *name);
/* Parses a whole-number option in [min, max]; *out keeps its default when
 * the option is absent.  SF_EINVAL names the option and the value. */
int sf_opt_int(const struct sf_ctx *ctx, const char *name, long long min, long long max,
	       long long *out);

/* output.c: printing. */
struct sf_column {
	const char *title;   /* "EMAIL" */
	const char *key;     /* JSON key: "email" */
};
/* Prints a JSON value, indented, keys in order, with a newline. */
void sf_print_json(const json_t *j);
/* Prints an array of objects as an aligned table (columns NULL-terminated). */
void sf_print_table(const json_t *rows, const struct sf_column *cols);
/* Prints one object as "key: value" lines. */
void sf_print_object(const json_t *obj, const struct sf_column *cols);
/* --json: the JSON; otherwise the table or the object. */
void sf_print(const struct sf_ctx *ctx, const json_t *j, const struct sf_column *cols);

/* secret.c: passwords and PINs, never from the command line.  With
 * from_stdin reads one line of standard input; otherwise asks on the
 * terminal without echo (twice when confirm is set).  *out is freed with
 * sf_secret_free. */
int sf_read_secret(const char *what, bool from_stdin, bool confirm, char **out);
void sf_secret_free(char *s);
/* Asks "prompt [y/N] " on the terminal; SF_EINVAL when there is none
 * (the message says to use --yes); 0 with *yes set otherwise. */
int sf_confirm(const char *prompt, const char *what, bool *yes);

#endif
