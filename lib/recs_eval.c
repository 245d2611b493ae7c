/*
 * recs_eval.c - "sf recs eval": read ratings, split them, train the
 * models and measure them (recs_eval.h has the definitions).
 *
 * Users and items are interned to dense numbers in order of first
 * appearance; ties in every ranking go to the item seen first in the
 * file, so results are exactly reproducible.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "recs.h"
#include "recs_eval.h"
#include "text.h"
#include "xalloc.h"

#define KNN 50

/* ---- interning --------------------------------------------------------- */

struct names {
	char **s;
	int n, cap;
	int *h;
	int hcap;
};

static unsigned long long str_hash(const char *s)
{
	unsigned long long h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static int names_find(const struct names *m, const char *s)
{
	if (!m->hcap)
		return -1;
	for (unsigned long long i = str_hash(s) & (unsigned long long)(m->hcap - 1); m->h[i];
	     i = (i + 1) & (unsigned long long)(m->hcap - 1))
		if (!strcmp(m->s[m->h[i] - 1], s))
			return m->h[i] - 1;
	return -1;
}

static void names_put(struct names *m, int idx)
{
	unsigned long long i = str_hash(m->s[idx]) & (unsigned long long)(m->hcap - 1);

	while (m->h[i])
		i = (i + 1) & (unsigned long long)(m->hcap - 1);
	m->h[i] = idx + 1;
}

static int names_intern(struct names *m, const char *s)
{
	int i = names_find(m, s);

	if (i >= 0)
		return i;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->s = sf_xrealloc(m->s, (size_t)m->cap * sizeof(char *));
	}
	m->s[m->n++] = sf_xstrdup(s);
	if (m->n * 2 > m->hcap) {
		free(m->h);
		m->hcap = m->hcap ? m->hcap * 4 : 4096;
		m->h = sf_xcalloc((size_t)m->hcap, sizeof(int));
		for (int k = 0; k < m->n; k++)
			names_put(m, k);
	} else {
		names_put(m, m->n - 1);
	}
	return m->n - 1;
}

static void names_free(struct names *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->s[i]);
	free(m->s);
	free(m->h);
}

/* ---- reading ----------------------------------------------------------- */

struct ev {
	int u, i;
	double ts;
	long seq;
};

struct data {
	struct names users, items;
	struct ev *ev;
	long n, cap;
	unsigned long long *genres;   /* by item: a bit a genre */
	int has_genres;
};

/* Splits line into at most max fields on "::", tab or comma. */
static int split_line(char *line, char **f, int max, int csv)
{
	int n = 0;
	const char *sep = csv ? "," : strstr(line, "::") ? "::" : strchr(line, '\t') ? "\t"
		: strchr(line, '|') && !strchr(line, ',') ? "|" : ",";
	size_t seplen = strlen(sep);
	char *p = line;

	while (n < max) {
		char *e = strstr(p, sep);

		f[n++] = p;
		if (!e)
			break;
		*e = '\0';
		p = e + seplen;
	}
	return n;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int numeric(const char *s)
{
	char *end;

	errno = 0;
	strtod(s, &end);
	return *s && !*end && !errno;
}

static int read_ratings(struct data *d, const char *path, int csv)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;

	if (!fp)
		return sf_error(SF_EINVAL, "--ratings '%s': %s", sf_text_quote(path), strerror(errno));
	while (getline(&line, &cap, fp) > 0) {
		char *f[5];
		int n;

		lineno++;
		chomp(line);
		if (!*line)
			continue;
		n = split_line(line, f, 5, csv);
		if (lineno == 1 && (n < 2 || !numeric(f[n > 2 ? 2 : 1])))
			continue;   /* a header */
		if (n < 2 || !*f[0] || !*f[1] || (n > 2 && !numeric(f[2])) ||
		    (n > 3 && !numeric(f[3]))) {
			rc = sf_error(SF_EINVAL, "--ratings '%s' line %ld: not user, item, rating, "
				      "timestamp", sf_text_quote(path), lineno);
			break;
		}
		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 4096;
			d->ev = sf_xrealloc(d->ev, (size_t)d->cap * sizeof(*d->ev));
		}
		d->ev[d->n] = (struct ev){ names_intern(&d->users, f[0]),
					   names_intern(&d->items, f[1]),
					   n > 3 ? strtod(f[3], NULL) : 0, d->n };
		d->n++;
	}
	free(line);
	fclose(fp);
	if (!rc && d->n == 0)
		rc = sf_error(SF_EINVAL, "--ratings '%s': no ratings", sf_text_quote(path));
	return rc;
}

/* Item metadata: id::title::A|B, id,title,A|B, or u.item's genre flags. */
static int read_items(struct data *d, const char *path)
{
	FILE *fp = fopen(path, "r");
	struct names genres = { 0 };
	char *line = NULL;
	size_t cap = 0;

	if (!fp)
		return sf_error(SF_EINVAL, "--items '%s': %s", sf_text_quote(path), strerror(errno));
	d->genres = sf_xcalloc((size_t)d->items.n + 1, sizeof(*d->genres));
	d->has_genres = 1;
	while (getline(&line, &cap, fp) > 0) {
		char *f[32], *g;
		int n, item;

		chomp(line);
		n = split_line(line, f, 32, 0);
		if (n < 3 || (item = names_find(&d->items, f[0])) < 0)
			continue;
		if (n >= 24) {   /* u.item: the last 19 fields are genre flags */
			for (int k = 0; k < 19; k++)
				if (!strcmp(f[n - 19 + k], "1"))
					d->genres[item] |= 1ull << k;
			continue;
		}
		/* A title with commas (movies.csv quotes it): genres are last. */
		for (g = strtok(f[n - 1], "|"); g; g = strtok(NULL, "|")) {
			int gi = names_intern(&genres, g);

			if (gi < 64)
				d->genres[item] |= 1ull << gi;
		}
	}
	free(line);
	fclose(fp);
	names_free(&genres);
	return 0;
}

/* ---- splitting --------------------------------------------------------- */

static int by_user_time(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->u != y->u)
		return x->u < y->u ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- models ------------------------------------------------------------ */

struct model_data {
	int nu, ni;
	int *ustart, *uitems;        /* training items by user (CSR) */
	int *tstart, *titems;        /* test items by user */
	int *istart, *iusers;        /* training users by item */
	int *pop;                    /* training count by item */
	int *poporder;               /* items by popularity, best first */
	double *poppct;              /* popularity percentile by item */
	int *nbstart, *nb;           /* item-knn neighbours (CSR) */
	float *nbs;
};

static int pop_cmp(const void *a, const void *b, void *arg)
{
	const int *pop = arg, x = *(const int *)a, y = *(const int *)b;

	if (pop[x] != pop[y])
		return pop[x] > pop[y] ? -1 : 1;
	return x < y ? -1 : 1;
}

static void train_knn(struct model_data *m)
{
	float *co = sf_xcalloc((size_t)m->ni + 1, sizeof(float));
	int *touched = sf_xmalloc((size_t)m->ni * sizeof(int) + 1), cap = m->ni * 8 + 16, len = 0;

	m->nbstart = sf_xmalloc(((size_t)m->ni + 1) * sizeof(int));
	m->nb = sf_xmalloc((size_t)cap * sizeof(int));
	m->nbs = sf_xmalloc((size_t)cap * sizeof(float));
	for (int i = 0; i < m->ni; i++) {
		int nt = 0, keep;

		m->nbstart[i] = len;
		for (int a = m->istart[i]; a < m->istart[i + 1]; a++) {
			int u = m->iusers[a];

			for (int b = m->ustart[u]; b < m->ustart[u + 1]; b++) {
				int j = m->uitems[b];

				if (j == i)
					continue;
				if (co[j] == 0)
					touched[nt++] = j;
				co[j] += 1;
			}
		}
		/* Shrunk cosine, then the best KNN by partial selection. */
		for (int k = 0; k < nt; k++) {
			int j = touched[k];
			float c = co[j];

			co[j] = c < 2 ? -1 : (float)(c / sqrt((double)m->pop[i] * m->pop[j])
						     * c / (c + SF_RECS_SHRINK));
		}
		keep = nt < KNN ? nt : KNN;
		for (int k = 0; k < keep; k++) {
			int best = k;

			for (int l = k + 1; l < nt; l++)
				if (co[touched[l]] > co[touched[best]] ||
				    (co[touched[l]] == co[touched[best]] && touched[l] < touched[best]))
					best = l;
			int t = touched[k];
			touched[k] = touched[best];
			touched[best] = t;
		}
		if (len + keep > cap) {
			cap = (len + keep) * 2;
			m->nb = sf_xrealloc(m->nb, (size_t)cap * sizeof(int));
			m->nbs = sf_xrealloc(m->nbs, (size_t)cap * sizeof(float));
		}
		for (int k = 0; k < keep; k++)
			if (co[touched[k]] > 0) {
				m->nb[len] = touched[k];
				m->nbs[len++] = co[touched[k]];
			}
		for (int k = 0; k < nt; k++)
			co[touched[k]] = 0;
	}
	m->nbstart[m->ni] = len;
	free(co);
	free(touched);
}

enum { M_POP, M_KNN, M_CONTENT, M_HYBRID, M_COUNT };
static const char *const model_names[] = { "popularity", "item-knn", "content", "hybrid" };

/* Scores every item for user u by model into s (seen items -inf). */
static void score(const struct model_data *m, const struct data *d, int model, int u,
		  double *s, double *tmp)
{
	double maxk = 0, maxc = 0, maxp = m->pop[m->poporder[0]];
	int gc[64] = { 0 };

	for (int i = 0; i < m->ni; i++)
		s[i] = 0;
	if (model == M_KNN || model == M_HYBRID) {
		for (int i = 0; i < m->ni; i++)
			tmp[i] = 0;
		for (int a = m->ustart[u]; a < m->ustart[u + 1]; a++) {
			int i = m->uitems[a];

			for (int b = m->nbstart[i]; b < m->nbstart[i + 1]; b++)
				tmp[m->nb[b]] += m->nbs[b];
		}
		for (int i = 0; i < m->ni; i++)
			maxk = tmp[i] > maxk ? tmp[i] : maxk;
		for (int i = 0; i < m->ni; i++)
			s[i] += maxk > 0 ? tmp[i] / maxk : 0;
	}
	if ((model == M_CONTENT || model == M_HYBRID) && d->has_genres) {
		for (int a = m->ustart[u]; a < m->ustart[u + 1]; a++)
			for (int g = 0; g < 64; g++)
				gc[g] += (d->genres[m->uitems[a]] >> g) & 1;
		for (int i = 0; i < m->ni; i++) {
			int n = __builtin_popcountll(d->genres[i]);
			double v = 0;

			for (int g = 0; n && g < 64; g++)
				if ((d->genres[i] >> g) & 1)
					v += gc[g];
			tmp[i] = n ? v / sqrt(n) : 0;
			maxc = tmp[i] > maxc ? tmp[i] : maxc;
		}
		for (int i = 0; i < m->ni; i++)
			s[i] += (model == M_HYBRID ? 0.3 : 1) * (maxc > 0 ? tmp[i] / maxc : 0);
	}
	for (int i = 0; i < m->ni; i++)
		s[i] += (model == M_POP ? 1 : model == M_HYBRID ? 0.1 : 0.001)
			* (maxp > 0 ? m->pop[i] / maxp : 0);
	for (int a = m->ustart[u]; a < m->ustart[u + 1]; a++)
		s[m->uitems[a]] = -INFINITY;
}

/* The top k items of s into out (ties: the lower item number). */
static int top_k(const double *s, int ni, int k, int *out)
{
	int n = 0;

	for (int i = 0; i < ni; i++) {
		int p;

		if (s[i] == -INFINITY)
			continue;
		if (n == k && s[i] <= s[out[n - 1]])
			continue;
		if (n < k)
			n++;
		for (p = n - 1; p > 0 && s[out[p - 1]] < s[i]; p--)
			out[p] = out[p - 1];
		out[p] = i;
	}
	return n;
}

/* ---- the run ----------------------------------------------------------- */

static int parse_ks(const char *text, int *ks, int *nk)
{
	const char *p = text ? text : "10,20";

	*nk = 0;
	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p || v < 1 || v > SF_RECS_EVAL_KMAX || *nk == 8 || (*end && *end != ','))
			return sf_error(SF_EINVAL, "--k '%s': not a list of whole numbers from 1 to %d "
					"such as 10,20", sf_text_quote(text), SF_RECS_EVAL_KMAX);
		ks[(*nk)++] = (int)v;
		p = *end ? end + 1 : end;
	}
	return *nk ? 0 : sf_error(SF_EINVAL, "--k '': give at least one cut-off");
}

static void build_csr(int n, const int *key, const int *val, long count, int **start, int **vals)
{
	int *pos;

	*start = sf_xcalloc((size_t)n + 1, sizeof(int));
	*vals = sf_xmalloc((size_t)count * sizeof(int) + 1);
	for (long e = 0; e < count; e++)
		(*start)[key[e] + 1]++;
	for (int i = 0; i < n; i++)
		(*start)[i + 1] += (*start)[i];
	pos = sf_xmalloc(((size_t)n + 1) * sizeof(int));
	memcpy(pos, *start, ((size_t)n + 1) * sizeof(int));
	for (long e = 0; e < count; e++)
		(*vals)[pos[key[e]]++] = val[e];
	free(pos);
}

int sf_recs_eval(const struct sf_recs_eval_spec *spec, json_t **out)
{
	struct data d = { 0 };
	struct model_data m = { 0 };
	int ks[8], nk, kmax = 0, csv, random_split, rc;
	long ntrain = 0, ntest = 0, seedv = 1;
	int *tu = NULL, *ti = NULL, *xu = NULL, *xi = NULL, *iu = NULL, *ii = NULL;
	json_t *models;

	*out = NULL;
	if (!spec->ratings)
		return sf_error(SF_EINVAL, "--ratings: missing; give the ratings file");
	if (spec->format && strcmp(spec->format, "movielens") && strcmp(spec->format, "csv"))
		return sf_error(SF_EINVAL, "--format '%s': not movielens or csv",
				sf_text_quote(spec->format));
	if (spec->split && strcmp(spec->split, "time") && strcmp(spec->split, "random"))
		return sf_error(SF_EINVAL, "--split '%s': not time or random",
				sf_text_quote(spec->split));
	if (spec->seed) {
		char *end;

		seedv = strtol(spec->seed, &end, 10);
		if (!*spec->seed || *end || seedv < 0)
			return sf_error(SF_EINVAL, "--seed '%s': not a whole number",
					sf_text_quote(spec->seed));
	}
	if ((rc = parse_ks(spec->k, ks, &nk)))
		return rc;
	for (int k = 0; k < nk; k++)
		kmax = ks[k] > kmax ? ks[k] : kmax;
	csv = spec->format && !strcmp(spec->format, "csv");
	random_split = spec->split && !strcmp(spec->split, "random");
	if ((rc = read_ratings(&d, spec->ratings, csv)) ||
	    (spec->items && (rc = read_items(&d, spec->items))))
		goto out;

	/* One interaction a user and item (the latest), then the split. */
	qsort(d.ev, (size_t)d.n, sizeof(*d.ev), by_user_time);
	tu = sf_xmalloc((size_t)d.n * sizeof(int));
	ti = sf_xmalloc((size_t)d.n * sizeof(int));
	xu = sf_xmalloc((size_t)d.n * sizeof(int));
	xi = sf_xmalloc((size_t)d.n * sizeof(int));
	{
		unsigned long long st = 0x9E3779B97F4A7C15ull ^ (unsigned long long)seedv * 2654435761u;
		char *seen = sf_xcalloc((size_t)d.items.n + 1, 1);
		long a = 0;

		if (!st)
			st = 1;
		while (a < d.n) {
			long b = a, n = 0, hold;
			int *its;

			while (b < d.n && d.ev[b].u == d.ev[a].u)
				b++;
			its = sf_xmalloc((size_t)(b - a) * sizeof(int));
			for (long e = b - 1; e >= a; e--)   /* the latest of each item */
				if (!seen[d.ev[e].i]) {
					seen[d.ev[e].i] = 1;
					its[n++] = d.ev[e].i;
				}
			for (long e = 0; e < n; e++)
				seen[its[e]] = 0;
			for (long e = 0; e < n / 2; e++) {   /* back to time order */
				int t = its[e];
				its[e] = its[n - 1 - e];
				its[n - 1 - e] = t;
			}
			hold = n < 2 ? 0 : (long)(0.2 * n + 0.5) < 1 ? 1 : (long)(0.2 * n + 0.5);
			if (random_split)
				for (long e = n - 1; e > 0; e--) {
					long r = (long)(rnd(&st) % (unsigned long long)(e + 1));
					int t = its[e];
					its[e] = its[r];
					its[r] = t;
				}
			for (long e = 0; e < n; e++) {
				if (e >= n - hold) {
					xu[ntest] = d.ev[a].u;
					xi[ntest++] = its[e];
				} else {
					tu[ntrain] = d.ev[a].u;
					ti[ntrain++] = its[e];
				}
			}
			free(its);
			a = b;
		}
		free(seen);
	}
	m.nu = d.users.n;
	m.ni = d.items.n;
	build_csr(m.nu, tu, ti, ntrain, &m.ustart, &m.uitems);
	build_csr(m.nu, xu, xi, ntest, &m.tstart, &m.titems);
	build_csr(m.ni, ti, tu, ntrain, &m.istart, &m.iusers);
	m.pop = sf_xcalloc((size_t)m.ni + 1, sizeof(int));
	for (long e = 0; e < ntrain; e++)
		m.pop[ti[e]]++;
	m.poporder = sf_xmalloc((size_t)m.ni * sizeof(int) + 1);
	for (int i = 0; i < m.ni; i++)
		m.poporder[i] = i;
	qsort_r(m.poporder, (size_t)m.ni, sizeof(int), pop_cmp, m.pop);
	m.poppct = sf_xmalloc((size_t)m.ni * sizeof(double) + 1);
	for (int r = 0; r < m.ni; r++)
		m.poppct[m.poporder[r]] = m.ni > 1 ? 1 - (double)r / (m.ni - 1) : 1;
	train_knn(&m);

	models = json_array();
	{
		double *s = sf_xmalloc((size_t)m.ni * sizeof(double) + 1);
		double *tmp = sf_xmalloc((size_t)m.ni * sizeof(double) + 1);
		int *top = sf_xmalloc((size_t)kmax * sizeof(int) + 1);
		char *hit = sf_xcalloc((size_t)m.ni + 1, 1);
		char **cover = sf_xcalloc((size_t)nk, sizeof(char *));

		for (int model = 0; model < M_COUNT; model++) {
			double recall[8] = { 0 }, ndcg[8] = { 0 }, bias[8] = { 0 };
			long users = 0, nrec[8] = { 0 };

			if (model == M_CONTENT && !d.has_genres)
				continue;
			for (int k = 0; k < nk; k++)
				cover[k] = sf_xcalloc((size_t)m.ni + 1, 1);
			for (int u = 0; u < m.nu; u++) {
				int nt = m.tstart[u + 1] - m.tstart[u], got;

				if (!nt)
					continue;
				users++;
				score(&m, &d, model, u, s, tmp);
				got = top_k(s, m.ni, kmax, top);
				for (int a = m.tstart[u]; a < m.tstart[u + 1]; a++)
					hit[m.titems[a]] = 1;
				for (int k = 0; k < nk; k++) {
					double dcg = 0, idcg = 0;
					int h = 0;

					for (int r = 0; r < ks[k] && r < got; r++) {
						cover[k][top[r]] = 1;
						bias[k] += m.poppct[top[r]];
						nrec[k]++;
						if (hit[top[r]]) {
							h++;
							dcg += 1 / log2(r + 2.0);
						}
					}
					for (int r = 0; r < ks[k] && r < nt; r++)
						idcg += 1 / log2(r + 2.0);
					recall[k] += (double)h / nt;
					ndcg[k] += idcg > 0 ? dcg / idcg : 0;
				}
				for (int a = m.tstart[u]; a < m.tstart[u + 1]; a++)
					hit[m.titems[a]] = 0;
			}
			for (int k = 0; k < nk; k++) {
				long c = 0;

				for (int i = 0; i < m.ni; i++)
					c += cover[k][i];
				json_array_append_new(models, json_pack("{sssisfsfsfsf}",
					"model", model_names[model], "k", ks[k],
					"recall", users ? recall[k] / users : 0.0,
					"ndcg", users ? ndcg[k] / users : 0.0,
					"coverage", m.ni ? (double)c / m.ni : 0.0,
					"popularity_bias", nrec[k] ? bias[k] / nrec[k] : 0.0));
				free(cover[k]);
			}
		}
		free(cover);
		free(hit);
		free(top);
		free(tmp);
		free(s);
	}
	*out = json_pack("{sisisIsIso}", "users", m.nu, "items", m.ni, "train", (json_int_t)ntrain,
			 "test", (json_int_t)ntest, "models", models);
out:
	free(tu);
	free(ti);
	free(xu);
	free(xi);
	free(iu);
	free(ii);
	free(m.ustart);
	free(m.uitems);
	free(m.tstart);
	free(m.titems);
	free(m.istart);
	free(m.iusers);
	free(m.pop);
	free(m.poporder);
	free(m.poppct);
	free(m.nbstart);
	free(m.nb);
	free(m.nbs);
	free(d.ev);
	free(d.genres);
	names_free(&d.users);
	names_free(&d.items);
	return rc;
}
