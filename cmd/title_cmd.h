/*
 * title_cmd.h - what the files of "sf title" share: the verb groups (season,
 * episode, credit), the import and export verbs, and how a title and its
 * parts print.
 */
#ifndef SF_TITLE_CMD_H
#define SF_TITLE_CMD_H

#include <jansson.h>

#include "cmd.h"

/* The groups: "sf title season ...", "sf title episode ...", "sf title
 * credit ..." (title_season.c, title_credit.c). */
extern const struct sf_command sf_cmd_title_season, sf_cmd_title_episode,
	sf_cmd_title_credit;

/* title_io.c: "sf title import" and "sf title export". */
int sf_title_import_verb(struct sf_ctx *ctx);
int sf_title_export_verb(struct sf_ctx *ctx);
extern const struct sf_opt sf_title_import_opts[], sf_title_export_opts[];

/* title.c: prints a title (the JSON form with --json; otherwise one
 * "KEY: value" line per field). */
void sf_title_print(const struct sf_ctx *ctx, const json_t *title);

/* Parses a positional number ("season '4x': not a whole number ..."). */
int sf_title_number_arg(const char *label, const char *text, long long min, long long max,
			long long *out);

/* Reads the filter options list and export share (--kind, --genre,
 * --status, --year-from, --year-to) into f. */
struct sf_title_filter;
int sf_title_read_filter(struct sf_ctx *ctx, struct sf_title_filter *f);

/* The title's name, for messages. */
const char *sf_title_name(const json_t *title);

#endif
