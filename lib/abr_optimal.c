/*
 * abr_optimal.c - the offline optimum: the best QoE_lin over every plan of
 * rungs, with the whole trace known in advance.
 *
 * Dynamic programming over the chunks, with exact dominance instead of a
 * grid.  After chunk i a plan is summed up by: the rung just fetched; the
 * time E elapsed on the trace since the first request (sleeps included),
 * which fixes where the next download starts; its rebuffering so far R;
 * and its bitrate-and-change terms so far, bits.  Its QoE_lin so far is
 * value = bits - 4.3 R, and its buffer is 4 (i + 1) - E + R: every second
 * of rebuffering is a second more of buffer.
 *
 * Plan A is at least as good as plan B of the same rung when it is no
 * later (E_A <= E_B), and value_A >= value_B, and bits_A >= bits_B.
 * Whatever B does next, A can do too: starting no later, each of its
 * downloads ends no later.  If B holds more buffer, by R_B - R_A, that
 * can save it at most that much rebuffering later, 4.3 (R_B - R_A) of
 * QoE, and value_A - value_B = bits_A - bits_B + 4.3 (R_B - R_A) is at
 * least that; if A holds more, value_A >= value_B is enough.  (The 60 s
 * cap can make A sleep where B does not; the argument ignores that, which
 * matters only to plans that already hold a full buffer.  The unit test
 * checks the result against a brute force over every plan.)
 *
 * So each stage keeps, per rung, only the plans no other plan dominates:
 * sorted by E, each plan is checked against a staircase of the (bits,
 * value) pairs of the earlier ones.  Nothing is rounded to a grid, so
 * there is nothing to converge: the result is the optimum (up to the cap
 * caveat above).
 *
 * That frontier alone still holds thousands of plans a stage.  Two passes
 * make it cheap: a quick one that keeps only the 32 most promising plans
 * of each stage gives a real plan, a floor; the exact one then drops
 * every plan whose value plus an upper bound on what the rest of the
 * video can add (bound_rest) stays under that floor.  On the 127 traces
 * published with Pensieve that is about 3 s of CPU for all of them, and
 * the same figures as the frontier without the bound.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abr_sim.h"
#include "error.h"
#include "xalloc.h"

/* Plans a stage of the quick first pass keeps. */
#define QUICK_BEAM 32

struct plan {
	double elapsed;          /* E */
	double bits;             /* bitrate and change terms so far */
	double value;            /* QoE_lin so far */
	double t, buffer;        /* the trace's clock, the buffer */
	int ptr, rung;
	/* The plan's other figures, carried along. */
	double qoe_log, qoe_hd, rebuffer_s, kbps_sum, startup_s;
	int switches;
	double promise;          /* value + the bound on the rest */
};

struct plans {
	struct plan *p;
	size_t n, cap;
};

static void plans_add(struct plans *s, const struct plan *x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->p = sf_xrealloc(s->p, s->cap * sizeof(*s->p));
	}
	s->p[s->n++] = *x;
}

/* The plan after fetching chunk i at rung r from plan x. */
static int step(const struct sf_abr_video *v, const struct sf_abr_trace *tr,
		const struct plan *x, int i, int r, int first, struct plan *y)
{
	struct sf_abr_net net = { tr, x->ptr, x->t };
	double delay = sf_abr_net_fetch(&net, sf_abr_segment_bytes(v, i, r));
	double rebuffer = delay > x->buffer ? delay - x->buffer : 0;
	double kbps = v->kbps[r], prev = first ? kbps : v->kbps[x->rung];

	if (!isfinite(delay))
		return -1;
	*y = *x;
	y->elapsed += delay;
	y->buffer = (x->buffer > delay ? x->buffer - delay : 0) + v->segment_s;
	if (y->buffer > SF_ABR_SIM_BUFFER_MAX_S) {
		double sleep = ceil((y->buffer - SF_ABR_SIM_BUFFER_MAX_S) / SF_ABR_SIM_SLEEP_S) *
			       SF_ABR_SIM_SLEEP_S;

		y->buffer -= sleep;
		y->elapsed += sleep;
		sf_abr_net_sleep(&net, sleep);
	}
	y->t = net.t;
	y->ptr = net.ptr;
	y->rung = r;
	y->bits += sf_abr_qoe_lin(kbps, prev, 0);
	y->value += sf_abr_qoe_lin(kbps, prev, rebuffer);
	y->qoe_log += sf_abr_qoe_log(kbps, prev, v->kbps[0], rebuffer);
	y->qoe_hd += sf_abr_qoe_hd(kbps, prev, rebuffer);
	y->rebuffer_s += rebuffer;
	y->kbps_sum += kbps;
	y->switches += r != (first ? r : x->rung);
	if (first)
		y->startup_s = delay;
	return 0;
}

/* By rung, then earliest first; of simultaneous plans the best first. */
static int by_rung_time(const void *pa, const void *pb)
{
	const struct plan *a = pa, *b = pb;

	if (a->rung != b->rung)
		return a->rung - b->rung;
	if (a->elapsed != b->elapsed)
		return a->elapsed < b->elapsed ? -1 : 1;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return (a->bits < b->bits) - (a->bits > b->bits);
}

/* The staircase of the (bits, value) pairs of the plans kept so far in a
 * rung: bits rising, value falling, none dominating another. */
struct stair {
	double *bits, *value;
	size_t n, cap;
};

/* Whether a kept plan has bits >= bits and value >= value; if not, adds
 * the pair and drops the pairs it dominates. */
static int stair_dominated(struct stair *s, double bits, double value)
{
	size_t lo = 0, hi = s->n, k;

	while (lo < hi) {           /* the first pair with bits >= bits */
		size_t mid = (lo + hi) / 2;

		if (s->bits[mid] < bits)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->value[lo] >= value)
		return 1;
	k = lo;                     /* pairs [k, lo) are dominated by the new one */
	while (k > 0 && s->value[k - 1] <= value)
		k--;
	if (s->n + 1 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->bits = sf_xrealloc(s->bits, s->cap * sizeof(double));
		s->value = sf_xrealloc(s->value, s->cap * sizeof(double));
	}
	memmove(s->bits + k + 1, s->bits + lo, (s->n - lo) * sizeof(double));
	memmove(s->value + k + 1, s->value + lo, (s->n - lo) * sizeof(double));
	s->bits[k] = bits;
	s->value[k] = value;
	s->n = s->n - (lo - k) + 1;
	return 0;
}

/* Keeps the plans of s that no other plan dominates. */
static void prune(struct plans *s, struct stair *st)
{
	size_t kept = 0;
	int rung = -1;

	qsort(s->p, s->n, sizeof(*s->p), by_rung_time);
	for (size_t k = 0; k < s->n; k++) {
		const struct plan *x = &s->p[k];

		if (x->rung != rung) {
			rung = x->rung;
			st->n = 0;
		}
		if (!stair_dominated(st, x->bits, x->value))
			s->p[kept++] = *x;
	}
	s->n = kept;
}


/*
 * An upper bound on what the chunks after a plan can still add, to drop
 * plans that cannot catch up with a plan already known.  Were the rest
 * of the video played without rebuffering, all of its bytes would have
 * to arrive within buffer + duration of the rest - the round trips,
 * through the trace from where the plan is.  So the rest can add no
 * more bitrate than the best mix of rungs whose bytes fit in what the
 * trace delivers in that time -- with rungs mixed fractionally, as a
 * knapsack relaxed to a line; and bytes beyond it cost rebuffering at
 * 4.3 a second, more than any rung can return unless the trace is fast
 * (then the bound is the top rung for every chunk).  Changes of rung and
 * the 60 s cap are left out, which only loosens the bound.
 */
struct bound {
	/* The trace's cumulative bytes at the end of each line's interval,
	 * one round of it from clock 0. */
	double *cum, period, period_bytes;
	/* For the chunks from i on: lowest-rung bytes and kbps, then the
	 * steps up the rungs, most kbps per byte first, with running sums. */
	double *base_bytes, *base_kbps;
	double **step_bytes, **step_kbps;
	int *steps;
	int fast;                  /* bytes are worth more than rebuffering */
};

static double bytes_at(const struct bound *b, const struct sf_abr_trace *tr, int ptr, double t)
{
	double bps = tr->mbps[ptr] * 1e6 / 8 * SF_ABR_SIM_PAYLOAD;

	return b->cum[ptr - 1] + bps * (t - (ptr > 1 ? tr->t[ptr - 1] : 0));
}

/* Bytes the trace delivers in seconds from line ptr, clock t. */
static double capacity(const struct bound *b, const struct sf_abr_trace *tr, int ptr, double t,
		       double seconds)
{
	double end = t + seconds, from = bytes_at(b, tr, ptr, t), rounds;
	int lo = 1, hi = tr->n - 1;

	if (seconds <= 0)
		return 0;
	rounds = floor(end / b->period);
	end -= rounds * b->period;
	while (lo < hi) {          /* the first line whose time is >= end */
		int mid = (lo + hi) / 2;

		if (tr->t[mid] < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return rounds * b->period_bytes + bytes_at(b, tr, lo, end) - from;
}

static int by_gain(const void *pa, const void *pb)
{
	const double *a = pa, *b = pb;     /* kbps per byte, bytes, kbps */

	return (a[0] < b[0]) - (a[0] > b[0]);
}

static void bound_init(struct bound *b, const struct sf_abr_video *v,
		       const struct sf_abr_trace *tr)
{
	int n = v->segments, rungs = v->rungs;
	double (*all)[3] = sf_xmalloc((size_t)n * rungs * sizeof(*all)), top_gain = 0, top_mbps = 0;

	b->cum = sf_xmalloc((size_t)tr->n * sizeof(double));
	b->cum[0] = 0;
	for (int j = 1; j < tr->n; j++) {
		b->cum[j] = bytes_at(b, tr, j, tr->t[j]);
		if (tr->mbps[j] > top_mbps)
			top_mbps = tr->mbps[j];
	}
	b->period = tr->t[tr->n - 1];
	b->period_bytes = b->cum[tr->n - 1];
	b->base_bytes = sf_xcalloc((size_t)n + 1, sizeof(double));
	b->base_kbps = sf_xcalloc((size_t)n + 1, sizeof(double));
	b->step_bytes = sf_xcalloc((size_t)n + 1, sizeof(double *));
	b->step_kbps = sf_xcalloc((size_t)n + 1, sizeof(double *));
	b->steps = sf_xcalloc((size_t)n + 1, sizeof(int));
	for (int i = n - 1, m = 0; i >= 0; i--) {
		/* The upper hull of chunk i's (bytes, kbps), from the lowest. */
		int r = 0;

		while (r < rungs - 1) {
			int best = r + 1;
			double s0 = sf_abr_segment_bytes(v, i, r), slope = -1;

			for (int q = r + 1; q < rungs; q++) {
				double g = (v->kbps[q] - v->kbps[r]) /
					   (sf_abr_segment_bytes(v, i, q) - s0);

				if (g >= slope) {
					slope = g;
					best = q;
				}
			}
			all[m][0] = slope;
			all[m][1] = sf_abr_segment_bytes(v, i, best) - s0;
			all[m][2] = v->kbps[best] - v->kbps[r];
			if (slope > top_gain)
				top_gain = slope;
			m++;
			r = best;
		}
		b->base_bytes[i] = b->base_bytes[i + 1] + sf_abr_segment_bytes(v, i, 0);
		b->base_kbps[i] = b->base_kbps[i + 1] + v->kbps[0];
		qsort(all, m, sizeof(*all), by_gain);
		b->steps[i] = m;
		b->step_bytes[i] = sf_xmalloc((size_t)m * sizeof(double));
		b->step_kbps[i] = sf_xmalloc((size_t)m * sizeof(double));
		for (int k = 0; k < m; k++) {
			b->step_bytes[i][k] = all[k][1] + (k ? b->step_bytes[i][k - 1] : 0);
			b->step_kbps[i][k] = all[k][2] + (k ? b->step_kbps[i][k - 1] : 0);
		}
	}
	/* kbps per byte is QoE per byte x 1000; rebuffering costs 4.3 a second. */
	b->fast = top_gain / 1000 * top_mbps * 1e6 / 8 * SF_ABR_SIM_PAYLOAD > 4.3;
	free(all);
}

static void bound_release(struct bound *b, const struct sf_abr_video *v)
{
	for (int i = 0; i <= v->segments; i++) {
		free(b->step_bytes[i]);
		free(b->step_kbps[i]);
	}
	free(b->step_bytes);
	free(b->step_kbps);
	free(b->steps);
	free(b->base_bytes);
	free(b->base_kbps);
	free(b->cum);
}

/* The most QoE_lin chunks i.. can add after plan x. */
static double bound_rest(const struct bound *b, const struct sf_abr_video *v,
			 const struct sf_abr_trace *tr, const struct plan *x, int i)
{
	int n = v->segments - i, m = b->steps[i], lo = 0, hi;
	double bytes, extra, *sb = b->step_bytes[i], *sk = b->step_kbps[i];

	if (n <= 0)
		return 0;
	if (b->fast || !m)
		return (b->base_kbps[i] + (m ? sk[m - 1] : 0)) / 1000;
	bytes = capacity(b, tr, x->ptr, x->t,
			 x->buffer + (n - 1) * v->segment_s - n * SF_ABR_SIM_RTT_S);
	extra = bytes - b->base_bytes[i];
	if (extra <= 0)
		return b->base_kbps[i] / 1000;
	hi = m;
	while (lo < hi) {           /* the first step that does not fit */
		int mid = (lo + hi) / 2;

		if (sb[mid] <= extra)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m)
		return (b->base_kbps[i] + sk[m - 1]) / 1000;
	{
		double b0 = lo ? sb[lo - 1] : 0, k0 = lo ? sk[lo - 1] : 0;

		return (b->base_kbps[i] + k0 + (sk[lo] - k0) * (extra - b0) / (sb[lo] - b0)) /
		       1000;
	}
}

static int by_promise(const void *pa, const void *pb)
{
	const struct plan *a = pa, *b = pb;

	return (a->promise < b->promise) - (a->promise > b->promise);
}

/* The dynamic programme: the best plan into *best.  With beam > 0 only
 * the beam most promising plans of each stage go on (a quick plan, not
 * necessarily the best); plans that cannot reach floor are dropped. */
static int search(const struct sf_abr_video *v, const struct sf_abr_trace *tr,
		  const struct bound *bd, size_t beam, double floor, struct plan *best)
{
	int start = SF_ABR_SIM_START_RUNG < v->rungs ? SF_ABR_SIM_START_RUNG : v->rungs - 1;
	struct plans a = { 0 }, b = { 0 }, *cur = &a, *next = &b, *swap;
	struct plan x0 = { .t = tr->t[0], .ptr = 1, .rung = start }, y;
	struct stair st = { 0 };
	int rc = -1;

	if (step(v, tr, &x0, 0, start, 1, &y))
		goto out;
	plans_add(cur, &y);
	for (int i = 1; i < v->segments; i++) {
		next->n = 0;
		for (size_t k = 0; k < cur->n; k++)
			for (int r = 0; r < v->rungs; r++) {
				if (step(v, tr, &cur->p[k], i, r, 0, &y))
					continue;
				y.promise = y.value + bound_rest(bd, v, tr, &y, i + 1);
				if (y.promise >= floor - 1e-9)
					plans_add(next, &y);
			}
		if (!next->n)
			goto out;
		prune(next, &st);
		if (beam && next->n > beam) {
			qsort(next->p, next->n, sizeof(*next->p), by_promise);
			next->n = beam;
		}
		swap = cur;
		cur = next;
		next = swap;
	}
	*best = cur->p[0];
	for (size_t k = 1; k < cur->n; k++)
		if (cur->p[k].value > best->value)
			*best = cur->p[k];
	rc = 0;
out:
	free(a.p);
	free(b.p);
	free(st.bits);
	free(st.value);
	return rc;
}

int sf_abr_optimal(const struct sf_abr_video *v, const struct sf_abr_trace *tr,
		   struct sf_abr_session *out)
{
	struct plan quick, best;
	struct bound bd;
	int rc;

	*out = (struct sf_abr_session){ 0 };
	bound_init(&bd, v, tr);
	rc = search(v, tr, &bd, QUICK_BEAM, -INFINITY, &quick);
	if (!rc)
		rc = search(v, tr, &bd, 0, quick.value, &best);
	bound_release(&bd, v);
	if (rc)
		return sf_error(SF_EINVAL, "trace '%s': no throughput to download with", tr->name);
	out->chunks = v->segments;
	out->qoe_lin = best.value;
	out->qoe_log = best.qoe_log;
	out->qoe_hd = best.qoe_hd;
	out->rebuffer_s = best.rebuffer_s;
	out->kbps_sum = best.kbps_sum;
	out->switches = best.switches;
	out->startup_s = best.startup_s;
	return 0;
}
