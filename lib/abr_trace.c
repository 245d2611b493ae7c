/*
 * abr_trace.c - reading the simulator's inputs: network traces ("time_s
 * throughput_Mbps" a line) and a test video's chunk sizes.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abr_sim.h"
#include "error.h"
#include "text.h"
#include "xalloc.h"

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int open_file(const char *what, const char *path, FILE **fp)
{
	*fp = fopen(path, "r");
	if (!*fp)
		return sf_error(errno == ENOENT ? SF_ENOTFOUND : SF_EINVAL, "%s '%s': %s", what,
				sf_text_quote(path), strerror(errno));
	return 0;
}

int sf_abr_trace_load(const char *path, struct sf_abr_trace *tr)
{
	char line[256];
	size_t cap = 0;
	long lineno = 0;
	FILE *fp;
	int rc;

	memset(tr, 0, sizeof(*tr));
	if ((rc = open_file("trace", path, &fp)))
		return rc;
	while (fgets(line, sizeof(line), fp)) {
		double t, mbps;
		char extra;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%lf %lf %c", &t, &mbps, &extra) != 2 || !isfinite(t) ||
		    !isfinite(mbps) || mbps < 0 || t < 0 || (tr->n && t < tr->t[tr->n - 1])) {
			rc = sf_error(SF_EINVAL, "trace '%s' line %ld: not a time (not decreasing)"
				      " and a throughput in Mbps", sf_text_quote(path), lineno);
			goto fail;
		}
		if ((size_t)tr->n == cap) {
			cap = cap ? 2 * cap : 256;
			tr->t = sf_xrealloc(tr->t, cap * sizeof(double));
			tr->mbps = sf_xrealloc(tr->mbps, cap * sizeof(double));
		}
		tr->t[tr->n] = t;
		tr->mbps[tr->n++] = mbps;
	}
	if (tr->n < 2) {
		rc = sf_error(SF_EINVAL, "trace '%s': fewer than two samples", sf_text_quote(path));
		goto fail;
	}
	if (tr->t[tr->n - 1] <= tr->t[0]) {
		rc = sf_error(SF_EINVAL, "trace '%s': its clock does not move", sf_text_quote(path));
		goto fail;
	}
	fclose(fp);
	tr->name = sf_xstrdup(base(path));
	return 0;
fail:
	fclose(fp);
	sf_abr_trace_release(tr);
	return rc;
}

void sf_abr_trace_release(struct sf_abr_trace *tr)
{
	free(tr->name);
	free(tr->t);
	free(tr->mbps);
	memset(tr, 0, sizeof(*tr));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sf_abr_traces_load(const char *dir, struct sf_abr_trace **out, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return sf_error(errno == ENOENT ? SF_ENOTFOUND : SF_EINVAL, "traces '%s': %s",
				sf_text_quote(dir), strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 64;
			names = sf_xrealloc(names, cap * sizeof(*names));
		}
		names[count++] = sf_xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (!count) {
		rc = sf_error(SF_EINVAL, "traces '%s': no trace files in it", sf_text_quote(dir));
		goto out;
	}
	qsort(names, count, sizeof(*names), by_name);
	*out = sf_xcalloc(count, sizeof(**out));
	for (size_t i = 0; i < count && !rc; i++)
		if (!(rc = sf_abr_trace_load(names[i], &(*out)[i])))
			(*n)++;
	if (rc) {
		sf_abr_traces_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
out:
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return rc;
}

void sf_abr_traces_free(struct sf_abr_trace *tr, int n)
{
	for (int i = 0; i < n; i++)
		sf_abr_trace_release(&tr[i]);
	free(tr);
}

/* "# ... columns: 300 750 1200 kbps; chunk 4 s" -> bitrates, duration. */
static int header(const char *path, const char *line, struct sf_abr_video *v)
{
	const char *s = strstr(line, "columns:"), *c = s ? strstr(s, "chunk ") : NULL;
	char *end;

	if (!s || !c)
		goto bad;
	s += strlen("columns:");
	for (;;) {
		double k = strtod(s, &end);

		if (end == s)
			break;
		if (v->rungs == SF_ABR_RUNGS_MAX || !(k > 0))
			goto bad;
		v->kbps[v->rungs++] = k;
		s = end;
	}
	v->segment_s = strtod(c + strlen("chunk "), &end);
	if (v->rungs < 1 || !(v->segment_s > 0) || end == c + strlen("chunk "))
		goto bad;
	return 0;
bad:
	return sf_error(SF_EINVAL, "video '%s' line 1: not \"# ... columns: KBPS... kbps; chunk"
			" SECONDS s\"", sf_text_quote(path));
}

int sf_abr_video_load(const char *path, struct sf_abr_video *v)
{
	char line[1024];
	double *sizes = NULL;
	size_t cap = 0;
	long lineno = 0;
	FILE *fp;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	if ((rc = open_file("video", path, &fp)))
		return rc;
	while (!rc && fgets(line, sizeof(line), fp)) {
		const char *s = line;
		char *end;

		if (++lineno == 1) {
			rc = header(path, line, v);
			continue;
		}
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((size_t)(v->segments + 1) * v->rungs > cap) {
			cap = cap ? 2 * cap : 64 * (size_t)v->rungs;
			sizes = sf_xrealloc(sizes, cap * sizeof(double));
		}
		for (int r = 0; r < v->rungs; r++) {
			double b = strtod(s, &end);

			if (end == s || !(b > 0) || !isfinite(b)) {
				rc = sf_error(SF_EINVAL, "video '%s' line %ld: not %d sizes in bytes",
					      sf_text_quote(path), lineno, v->rungs);
				break;
			}
			sizes[(size_t)v->segments * v->rungs + r] = b;
			s = end;
		}
		if (!rc && s[strspn(s, " \t\r\n")] != '\0')
			rc = sf_error(SF_EINVAL, "video '%s' line %ld: more than %d sizes",
				      sf_text_quote(path), lineno, v->rungs);
		v->segments++;
	}
	fclose(fp);
	if (!rc && lineno == 0)
		rc = sf_error(SF_EINVAL, "video '%s': empty", sf_text_quote(path));
	if (!rc && !v->segments)
		rc = sf_error(SF_EINVAL, "video '%s': no chunks", sf_text_quote(path));
	for (int r = 1; !rc && r < v->rungs; r++)
		if (v->kbps[r] <= v->kbps[r - 1])
			rc = sf_error(SF_EINVAL, "video '%s': bitrates must rise", sf_text_quote(path));
	if (rc) {
		free(sizes);
		memset(v, 0, sizeof(*v));
		return rc;
	}
	v->sizes = sizes;
	v->buffer_max_s = SF_ABR_SIM_BUFFER_MAX_S;
	return 0;
}

void sf_abr_video_release(struct sf_abr_video *v)
{
	free((double *)v->sizes);
	memset(v, 0, sizeof(*v));
}
