/*
 * csv.h - CSV as RFC 4180 has it: fields separated by commas, quoted with
 * double quotes when they hold a comma, a quote or a line break, a quote
 * inside doubled, records ending in CRLF or LF.
 *
 * The reader takes one record at a time from a stream, so a file of any
 * size is read in the memory of its longest record, and says on which line
 * each record starts (a quoted field may span lines).
 */
#ifndef SF_CSV_H
#define SF_CSV_H

#include <stddef.h>
#include <stdio.h>

struct sf_csv {
	FILE *fp;
	long long line;      /* the line the next character is on */
	char *buf;           /* the fields of the record read, each NUL-terminated */
	size_t len, cap;
	size_t *starts;      /* offsets of the fields in buf */
	size_t nfields, capfields;
	int bom_checked;
	long long error_line;   /* where the malformed record is */
};

void sf_csv_init(struct sf_csv *r, FILE *fp);
void sf_csv_release(struct sf_csv *r);

/* Reads the next record, skipping blank lines: returns 1 with *n fields
 * (field i is sf_csv_field(r, i)) and *line the line it starts on, 0 at
 * the end, or SF_EINVAL for a malformed record (a quote inside an
 * unquoted field, a quoted field never closed), r->error_line saying
 * where. */
int sf_csv_next(struct sf_csv *r, size_t *n, long long *line);
const char *sf_csv_field(const struct sf_csv *r, size_t i);

/* value quoted for a CSV field when it needs to be; caller frees. */
char *sf_csv_quote(const char *value);

#endif
