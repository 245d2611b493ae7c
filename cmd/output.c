/*
 * output.c - printing objects as JSON, aligned tables, or key: value lines.
 *
 * Human output is derived from the same JSON objects that --json prints,
 * so the two can never disagree about a value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "text.h"
#include "xalloc.h"

void sf_print_json(const json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		   JSON_REAL_PRECISION(15));
	putchar('\n');
}

/* A cell's text: strings as they are, null as "-", others as JSON
 * (numbers to 15 digits, so 1.4626 stays 1.4626). */
static char *cell(const json_t *v)
{
	if (!v || json_is_null(v))
		return sf_xstrdup("-");
	if (json_is_string(v))
		return sf_xstrdup(json_string_value(v));
	if (json_is_true(v))
		return sf_xstrdup("yes");
	if (json_is_false(v))
		return sf_xstrdup("no");
	{
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));

		return s ? s : sf_xstrdup("?");
	}
}

/* Display width: code points, good enough for the Latin, Greek and
 * Cyrillic names sf shows; a control character never reaches here. */
static size_t width(const char *s)
{
	return sf_utf8_chars(s);
}

void sf_print_table(const json_t *rows, const struct sf_column *cols)
{
	size_t ncols = 0, nrows = json_array_size(rows), *w;
	char **cells;

	while (cols[ncols].title)
		ncols++;
	w = sf_xcalloc(ncols, sizeof(*w));
	cells = sf_xcalloc(ncols * (nrows + 1), sizeof(*cells));
	for (size_t c = 0; c < ncols; c++) {
		cells[c] = sf_xstrdup(cols[c].title);
		w[c] = width(cells[c]);
	}
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			char *s = cell(json_object_get(json_array_get(rows, r), cols[c].key));

			/* Keep the table one line per row. */
			for (char *p = s; *p; p++)
				if ((unsigned char)*p < 0x20)
					*p = ' ';
			cells[(r + 1) * ncols + c] = s;
			if (width(s) > w[c])
				w[c] = width(s);
		}
	}
	for (size_t r = 0; r <= nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *s = cells[r * ncols + c];

			if (c + 1 == ncols)
				printf("%s\n", s);
			else
				printf("%s%*s", s, (int)(w[c] - width(s) + 2), "");
		}
	}
	for (size_t i = 0; i < ncols * (nrows + 1); i++)
		free(cells[i]);
	free(cells);
	free(w);
}

void sf_print_object(const json_t *obj, const struct sf_column *cols)
{
	size_t wide = 0;

	for (size_t c = 0; cols[c].title; c++)
		if (strlen(cols[c].title) > wide)
			wide = strlen(cols[c].title);
	for (size_t c = 0; cols[c].title; c++) {
		char *s = cell(json_object_get(obj, cols[c].key));

		printf("%s:%*s %s\n", cols[c].title, (int)(wide - strlen(cols[c].title)), "", s);
		free(s);
	}
}

void sf_print(const struct sf_ctx *ctx, const json_t *j, const struct sf_column *cols)
{
	if (ctx->json)
		sf_print_json(j);
	else if (json_is_array(j))
		sf_print_table(j, cols);
	else
		sf_print_object(j, cols);
}
