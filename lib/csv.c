/*
 * csv.c - read and quote RFC 4180 CSV.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "xalloc.h"

void sf_csv_init(struct sf_csv *r, FILE *fp)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->line = 1;
}

void sf_csv_release(struct sf_csv *r)
{
	free(r->buf);
	free(r->starts);
	memset(r, 0, sizeof(*r));
}

static void put(struct sf_csv *r, char c)
{
	if (r->len + 1 >= r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->buf = sf_xrealloc(r->buf, r->cap);
	}
	r->buf[r->len++] = c;
}

static void start_field(struct sf_csv *r)
{
	if (r->nfields == r->capfields) {
		r->capfields = r->capfields ? 2 * r->capfields : 16;
		r->starts = sf_xrealloc(r->starts, r->capfields * sizeof(*r->starts));
	}
	r->starts[r->nfields++] = r->len;
}

static int get(struct sf_csv *r)
{
	int c = getc(r->fp);

	if (c == '\n')
		r->line++;
	return c;
}

int sf_csv_next(struct sf_csv *r, size_t *n, long long *line)
{
	int c;

	if (!r->bom_checked) {
		/* A UTF-8 byte order mark, as spreadsheets write, is not data. */
		r->bom_checked = 1;
		c = getc(r->fp);
		if (c == 0xef) {
			if (getc(r->fp) != 0xbb || getc(r->fp) != 0xbf)
				return r->error_line = 1, sf_error(SF_EINVAL, "not UTF-8 text");
		} else if (c != EOF) {
			ungetc(c, r->fp);
		}
	}
	/* Blank lines between records are nothing. */
	do {
		c = get(r);
		if (c == '\r') {
			int d = get(r);

			if (d != '\n') {
				if (d != EOF)
					ungetc(d, r->fp);
				break;
			}
			c = '\n';
		}
	} while (c == '\n');
	if (c == EOF)
		return 0;
	*line = r->line;
	r->len = 0;
	r->nfields = 0;
	start_field(r);
	for (;;) {
		if (c == '"' && r->len == r->starts[r->nfields - 1]) {
			/* A quoted field. */
			for (;;) {
				c = get(r);
				if (c == EOF)
					return r->error_line = *line,
					       sf_error(SF_EINVAL, "a quoted field is not closed");
				if (c == '"') {
					c = get(r);
					if (c != '"')
						break;
				}
				put(r, (char)c);
			}
			if (c == '\r') {
				c = get(r);
				if (c != '\n')
					return r->error_line = r->line,
					       sf_error(SF_EINVAL, "a carriage return after a quoted "
							"field");
			}
			if (c != ',' && c != '\n' && c != EOF)
				return r->error_line = r->line,
				       sf_error(SF_EINVAL, "text after the closing quote of a field");
		} else {
			while (c != ',' && c != '\n' && c != EOF) {
				if (c == '"')
					return r->error_line = r->line,
					       sf_error(SF_EINVAL, "a quote inside an unquoted field "
							"(quote the whole field and double the "
							"quote)");
				if (c == '\r') {
					int d = get(r);

					if (d == '\n') {
						c = d;
						break;
					}
					if (d != EOF)
						ungetc(d, r->fp);
				}
				put(r, (char)c);
				c = get(r);
			}
		}
		put(r, '\0');
		if (c != ',')
			break;
		start_field(r);
		c = get(r);
	}
	*n = r->nfields;
	return 1;
}

const char *sf_csv_field(const struct sf_csv *r, size_t i)
{
	return r->buf + r->starts[i];
}

char *sf_csv_quote(const char *value)
{
	size_t n = 0;
	char *out, *q;

	if (!strpbrk(value, ",\"\r\n") && value[0] != ' ' &&
	    (!*value || value[strlen(value) - 1] != ' '))
		return sf_xstrdup(value);
	for (const char *p = value; *p; p++)
		n += *p == '"' ? 2 : 1;
	q = out = sf_xmalloc(n + 3);
	*q++ = '"';
	for (const char *p = value; *p; p++) {
		if (*p == '"')
			*q++ = '"';
		*q++ = *p;
	}
	*q++ = '"';
	*q = '\0';
	return out;
}
