/*
 * abr.c - the ABR engine's common part: the table of algorithms, the
 * throughput estimator, and the bookkeeping of samples and switches.
 * The algorithms themselves are in abr_NAME.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abr_algo.h"
#include "error.h"
#include "text.h"
#include "xalloc.h"

#define FAST_HALF_LIFE_S 2.0
#define SLOW_HALF_LIFE_S 8.0

static const struct sf_abr_algo algos[] = {
	{ "sf", "the default: robust MPC planning 10 segments ahead over the buffer level",
	  sf_abr_sf_choose },
	{ "rule", "the baseline rule: up at 1.5x with 25 s of buffer, down at 0.8x or under 8 s",
	  sf_abr_rule_choose },
	{ "bba", "buffer-based: reservoir 5 s, cushion 10 s", sf_abr_bba_choose },
	{ "bola", "BOLA-BASIC: log utility against buffer level", sf_abr_bola_choose },
	{ "throughput", "hls.js-like: 0.95 x the estimate, 0.7 x to go up",
	  sf_abr_throughput_choose },
	{ "mpc", "robust MPC: 5 segments ahead, discounted harmonic mean", sf_abr_mpc_choose },
};

static const char *const names[] = { "sf", "rule", "bba", "bola", "throughput", "mpc", NULL };

const char *const *sf_abr_algorithms(void)
{
	return names;
}

static const struct sf_abr_algo *find(const char *name)
{
	for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
		if (!strcmp(algos[i].name, name))
			return &algos[i];
	return NULL;
}

const char *sf_abr_summary(const char *name)
{
	const struct sf_abr_algo *al = find(name);

	return al ? al->summary : NULL;
}

struct sf_abr *sf_abr_new(const char *name, const struct sf_abr_video *v, int start_rung,
			  double start_kbps)
{
	const struct sf_abr_algo *al = find(name ? name : "sf");
	struct sf_abr *a;

	if (!al) {
		sf_error(SF_EINVAL, "ABR algorithm '%s': not one of sf, rule, bba, bola, throughput, mpc",
			 sf_text_quote(name));
		return NULL;
	}
	if (v->rungs < 1 || v->rungs > SF_ABR_RUNGS_MAX || !(v->segment_s > 0) ||
	    !(v->buffer_max_s >= v->segment_s)) {
		sf_error(SF_EINVAL, "ABR: a ladder of 1 to %d rungs, segments and a buffer of some length",
			 SF_ABR_RUNGS_MAX);
		return NULL;
	}
	for (int r = 0; r < v->rungs; r++)
		if (!(v->kbps[r] > 0) || (r && v->kbps[r] <= v->kbps[r - 1])) {
			sf_error(SF_EINVAL, "ABR: rung %d: bitrates must rise from the lowest", r);
			return NULL;
		}
	a = sf_xcalloc(1, sizeof(*a));
	a->algo = al;
	a->v = v;
	a->start_rung = start_rung < 0 ? 0 : start_rung >= v->rungs ? v->rungs - 1 : start_rung;
	a->start_kbps = start_kbps > 0 ? start_kbps : 0;
	a->last_rung = -1;
	return a;
}

void sf_abr_free(struct sf_abr *a)
{
	free(a);
}

const char *sf_abr_name(const struct sf_abr *a)
{
	return a->algo->name;
}

double sf_abr_segment_bytes(const struct sf_abr_video *v, int i, int r)
{
	if (v->sizes && i >= 0 && (v->segments <= 0 || i < v->segments))
		return v->sizes[(size_t)i * v->rungs + r];
	return v->kbps[r] * 1000.0 * v->segment_s / 8.0;
}

int sf_abr_rung_under(const struct sf_abr *a, double kbps)
{
	int r = 0;

	while (r + 1 < a->v->rungs && a->v->kbps[r + 1] <= kbps)
		r++;
	return r;
}

double sf_abr_sample_kbps(const struct sf_abr *a, int k)
{
	return a->kbps[(a->n - 1 - k) % SF_ABR_HISTORY];
}

/* One moving average: value and weight after a sample of kbps over
 * seconds, with the given half-life (in seconds of download). */
static void ewma(double *value, double *weight, double kbps, double seconds, double half_life)
{
	double alpha = pow(0.5, seconds / half_life);

	*value = kbps * (1 - alpha) + alpha * *value;
	*weight += seconds;
}

static double ewma_get(double value, double weight, double half_life)
{
	double zero = 1 - pow(0.5, weight / half_life);

	return zero > 0 ? value / zero : 0;
}

double sf_abr_estimate_kbps(const struct sf_abr *a)
{
	double f, s;

	if (!a->n)
		return a->start_kbps;
	f = ewma_get(a->fast, a->fast_weight, FAST_HALF_LIFE_S);
	s = ewma_get(a->slow, a->slow_weight, SLOW_HALF_LIFE_S);
	return f < s ? f : s;
}

void sf_abr_observe(struct sf_abr *a, const struct sf_abr_sample *s)
{
	double secs = s->seconds > 1e-6 ? s->seconds : 1e-6;
	double kbps = s->bytes * 8.0 / 1000.0 / secs;

	ewma(&a->fast, &a->fast_weight, kbps, secs, FAST_HALF_LIFE_S);
	ewma(&a->slow, &a->slow_weight, kbps, secs, SLOW_HALF_LIFE_S);
	a->kbps[a->n % SF_ABR_HISTORY] = kbps;
	a->predicted[a->n % SF_ABR_HISTORY] = a->prediction;
	a->prediction = 0;
	a->n++;
	if (a->last_rung >= 0 && s->rung != a->last_rung) {
		a->last_switch_s = s->clock_s;
		a->switched = 1;
	}
	a->last_rung = s->rung;
}

int sf_abr_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	int r;

	if (!a->n && !a->start_kbps)
		return a->start_rung;
	r = a->algo->choose(a, in);
	return r < 0 ? 0 : r >= a->v->rungs ? a->v->rungs - 1 : r;
}
