/*
 * title_io.c - "sf title import" and "sf title export".
 *
 * Parses, opens files and prints only; lib/title_io.c does the work.
 * Standard input that cannot be read twice (a pipe) is copied to a
 * temporary file first, because an import transaction retried after a
 * deadlock reads its input again.  An export to --output is written to a
 * temporary file beside it and renamed into place when complete, so a
 * failed export never leaves half a file.  Both draw a progress bar when
 * standard error is a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"
#include "progress.h"
#include "text.h"
#include "title.h"
#include "title_cmd.h"
#include "title_io.h"
#include "xalloc.h"

static const char *const formats[] = { "json", "jsonl", "csv", NULL };
static const char *const kinds[] = { "movie", "series", NULL };
static const char *const statuses[] = { "draft", "published", "archived", NULL };

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

/* The format named, or the one the file name says (.csv, .jsonl), or JSON. */
static int format_of(struct sf_ctx *ctx, const char *file, enum sf_title_format *out)
{
	const char *f = sf_opt(ctx, "format");

	if (!f)
		f = file && ends_with(file, ".csv") ? "csv"
		  : file && ends_with(file, ".jsonl") ? "jsonl" : "json";
	return sf_title_format_parse(f, out);
}

static int open_failed(const char *file)
{
	int e = errno;

	return sf_error(e == ENOENT ? SF_ENOTFOUND : SF_EINVAL, "file '%s': %s",
			sf_text_quote(file), strerror(e));
}

/* The input, as a stream that can be read twice. */
static int open_input(const char *file, FILE **out)
{
	struct stat st;
	FILE *in = !strcmp(file, "-") ? stdin : fopen(file, "rb"), *tmp;
	char buf[65536];
	size_t n;

	*out = NULL;
	if (!in)
		return open_failed(file);
	if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(in);
		return sf_error(SF_EINVAL, "file '%s': is a directory", sf_text_quote(file));
	}
	if (S_ISREG(st.st_mode) && fseek(in, 0, SEEK_SET) == 0) {
		*out = in;
		return 0;
	}
	tmp = tmpfile();
	if (!tmp) {
		int rc = sf_error(SF_EINTERNAL, "cannot make a temporary file: %s", strerror(errno));

		if (in != stdin)
			fclose(in);
		return rc;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, tmp);
	if (ferror(in) || fflush(tmp) != 0) {
		int rc = sf_error(SF_EINVAL, "reading '%s': %s", sf_text_quote(file), strerror(errno));

		fclose(tmp);
		if (in != stdin)
			fclose(in);
		return rc;
	}
	if (in != stdin)
		fclose(in);
	*out = tmp;
	return 0;
}

int sf_title_import_verb(struct sf_ctx *ctx)
{
	const char *file = ctx->argv[0];
	struct sf_title_import_opts o = {
		.name = strcmp(file, "-") ? file : "stdin",
		.continue_on_error = sf_flag(ctx, "continue-on-error"),
		.dry_run = sf_flag(ctx, "dry-run"),
	};
	struct sf_title_import_result r = { 0 };
	struct sf_progress bar;
	FILE *fp = NULL;
	json_t *e;
	size_t i;
	int rc, status = 0;

	if ((rc = format_of(ctx, file, &o.format)) || (rc = open_input(file, &fp)))
		return rc;
	sf_progress_init(&bar, "importing", "bytes");
	o.progress = sf_progress_update;
	o.arg = &bar;
	rc = sf_title_import(ctx->db, &ctx->actor, fp, &o, &r);
	sf_progress_done(&bar);
	if (fp != stdin)
		fclose(fp);
	if (rc) {
		sf_title_import_result_release(&r);
		return rc;
	}
	json_array_foreach(r.errors, i, e) {
		fprintf(stderr, "sf: %s:%lld: %s\n", o.name,
			(long long)json_integer_value(json_object_get(e, "line")),
			json_string_value(json_object_get(e, "error")));
		if (!status)
			status = (int)json_integer_value(json_object_get(e, "status"));
		json_object_del(e, "status");
	}
	if (ctx->json) {
		json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:O}", "file", o.name,
				      "records", (json_int_t)r.records, "added", (json_int_t)r.added,
				      "updated", (json_int_t)r.updated,
				      "unchanged", (json_int_t)r.unchanged,
				      "failed", (json_int_t)r.failed, "dry_run", o.dry_run,
				      "errors", r.errors);

		sf_print_json(j);
		json_decref(j);
	} else {
		printf("%s: %lld record%s: %lld added, %lld updated, %lld unchanged, %lld failed%s\n",
		       o.name, r.records, r.records == 1 ? "" : "s", r.added, r.updated, r.unchanged,
		       r.failed, o.dry_run ? " (dry run: nothing was written)" : "");
	}
	sf_title_import_result_release(&r);
	return status;
}

struct sink {
	FILE *fp;
	const char *name;
};

static int sink_write(void *arg, const char *data, size_t len)
{
	struct sink *s = arg;

	if (fwrite(data, 1, len, s->fp) != len)
		return sf_error(SF_EINTERNAL, "error writing %s: %s", s->name, strerror(errno));
	return 0;
}

int sf_title_export_verb(struct sf_ctx *ctx)
{
	const char *output = sf_opt(ctx, "output");
	struct sf_title_filter f = { 0 };
	struct sf_title_export_opts o = { .filter = &f, .write = sink_write };
	struct sink sink = { stdout, "output" };
	struct sf_progress bar;
	char *tmp = NULL;
	long long count = 0;
	int rc;

	if ((rc = format_of(ctx, output, &o.format)) || (rc = sf_title_read_filter(ctx, &f)))
		return rc;
	if (output && !*output)
		return sf_error(SF_EINVAL, "--output '': give a file name");
	if (output) {
		int fd;

		tmp = sf_xasprintf("%s.tmp.XXXXXX", output);
		fd = mkstemp(tmp);
		if (fd < 0 || !(sink.fp = fdopen(fd, "w"))) {
			rc = sf_error(SF_EINVAL, "--output '%s': %s", sf_text_quote(output),
				      strerror(errno));
			if (fd >= 0)
				close(fd);
			free(tmp);
			return rc;
		}
		sink.name = output;
	}
	sf_progress_init(&bar, "exporting", "titles");
	o.arg = &sink;
	o.progress = sf_progress_update;
	o.progress_arg = &bar;
	rc = sf_title_export(ctx->db, &ctx->actor, &o, &count);
	sf_progress_done(&bar);
	if (output) {
		if (!rc && (fflush(sink.fp) != 0 || fsync(fileno(sink.fp)) != 0))
			rc = sf_error(SF_EINTERNAL, "error writing %s: %s", output, strerror(errno));
		if (fclose(sink.fp) != 0 && !rc)
			rc = sf_error(SF_EINTERNAL, "error writing %s: %s", output, strerror(errno));
		if (!rc && rename(tmp, output) != 0)
			rc = sf_error(SF_EINTERNAL, "cannot rename %s to %s: %s", tmp, output,
				      strerror(errno));
		if (rc)
			unlink(tmp);
		else
			fprintf(stderr, "exported %lld title%s to %s\n", count, count == 1 ? "" : "s",
				output);
		free(tmp);
	}
	return rc;
}

const struct sf_opt sf_title_import_opts[] = {
	{ "format", "<format>", "json (an array or JSON lines; the default) or csv "
	  "(default for a .csv file)", false, formats },
	{ "continue-on-error", NULL, "import the good records and report each bad one" },
	{ "dry-run", NULL, "check and report everything, then write nothing" },
	{ NULL },
};

const struct sf_opt sf_title_export_opts[] = {
	{ "format", "<format>", "json (the default), jsonl or csv", false, formats },
	{ "output", "<file>", "write to this file (replaced only when complete)" },
	{ "kind", "<kind>", "only movies or only series", false, kinds },
	{ "genre", "<genre>", "only titles of this genre" },
	{ "status", "<status>", "only draft, published or archived titles", false, statuses },
	{ "year-from", "<year>", "only titles of this year or later" },
	{ "year-to", "<year>", "only titles of this year or earlier" },
	{ NULL },
};
