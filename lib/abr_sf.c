/*
 * abr_sf.c - sf's own algorithm, the default: robust MPC made to look
 * further and to plan with the player's real costs, tuned on the traces
 * published with Pensieve (see "sf abr sim" and tests/bench/abr.sh).
 *
 * Like robust MPC (abr_mpc.c) it predicts the throughput of the next
 * downloads as the harmonic mean of the last 5 samples, discounted by the
 * largest relative error of the last 5 predictions, and fetches the first
 * rung of the plan that scores best under that prediction (QoE_lin:
 * Mbps - 4.3 x rebuffering - |change|).  What it does differently, with
 * what each step brings in mean QoE_lin per chunk on those traces, from
 * robust MPC's 0.157:
 *  - the plan counts the round trip (80 ms) of each segment, which on the
 *    small segments of low rungs is a good part of the download (0.193);
 *  - the discount is steeper, mean / (1 + 1.5 x error) (0.226);
 *  - the plan is a dynamic programme over (rung, buffer level in 0.25 s
 *    cells) instead of every sequence of rungs, which also lets it count
 *    the cap on the buffer (0.237) and look 10 segments ahead instead of
 *    5 at less cost (0.244): a switch up pays only when it will last;
 *  - the buffer left at the end of the plan is worth 0.02 a second, up to
 *    20 s: a plan that ends on an empty buffer is riskier than its score
 *    says (0.267, with less rebuffering than robust MPC: 4.8% against
 *    5.5%).
 * Tried and left out, for doing no better: a horizon of 8 or 14, a
 * discount that shrinks as the buffer grows, the error discount fading
 * with age, more or fewer past samples, an undiscounted prediction beyond
 * the first segments, a heavier rebuffering penalty or a reserve of
 * buffer in the plan, switches weighed more than QoE weighs them.
 *
 * The offline optimum on the same traces is 0.428: sf reaches about 62%
 * of it.  What it leaves is mostly bitrate (the optimum averages 1312
 * kbps, sf 1229) and switches (2.3 against 6.3 a session): after a sudden
 * drop the error discount stays large for 5 segments, and sf stays low
 * while the buffer could carry a higher rung.
 */
#include <math.h>

#include "abr_algo.h"

#define PAST 5
#define DISCOUNT 1.5
#define HORIZON 10
#define RTT_S 0.08
#define BUFFER_WORTH 0.02
#define BUFFER_WORTH_UPTO_S 20.0
#define REBUFFER_PENALTY 4.3

/* The throughput to plan with, in kbps. */
static double predict(struct sf_abr *a)
{
	int k = a->n < PAST ? a->n : PAST;
	double inv = 0, err = 0;

	for (int i = 0; i < k; i++) {
		double got = sf_abr_sample_kbps(a, i);
		double pred = a->predicted[(a->n - 1 - i) % SF_ABR_HISTORY];

		inv += 1 / got;
		if (pred > 0 && fabs(pred - got) / got > err)
			err = fabs(pred - got) / got;
	}
	a->prediction = k / inv;
	return a->prediction / (1 + DISCOUNT * err);
}

static struct sf_abr_cell *cell_at(struct sf_abr_cell *grid, int cells, int r, double buffer)
{
	int c = (int)(buffer / SF_ABR_CELL_S);

	return &grid[r * cells + (c < cells ? c : cells - 1)];
}

int sf_abr_sf_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	const struct sf_abr_video *v = a->v;
	struct sf_abr_cell *cur = a->plan[0], *next = a->plan[1], *x;
	int cells = (int)(v->buffer_max_s / SF_ABR_CELL_S) + 1, last = a->last_rung, h = HORIZON;
	int first = last;
	double kbps = a->n ? predict(a) : a->start_kbps, best = -INFINITY;

	if (last < 0)
		last = first = a->start_rung;
	if (cells > SF_ABR_CELLS)
		cells = SF_ABR_CELLS;
	if (v->segments > 0 && v->segments - in->segment < h)
		h = v->segments - in->segment;
	if (h <= 0 || !(kbps > 0))
		return last;
	for (int k = 0; k < v->rungs * cells; k++)
		cur[k].score = -INFINITY;
	*cell_at(cur, cells, last, in->buffer_s) = (struct sf_abr_cell){ 0, in->buffer_s, last };
	for (int i = 0; i < h; i++) {
		for (int k = 0; k < v->rungs * cells; k++)
			next[k].score = -INFINITY;
		for (int k = 0; k < v->rungs * cells; k++) {
			int p = k / cells;

			if (cur[k].score == -INFINITY)
				continue;
			for (int r = 0; r < v->rungs; r++) {
				double secs = sf_abr_segment_bytes(v, in->segment + i, r) * 8 / 1000 /
					      kbps + RTT_S;
				double buffer = cur[k].buffer, rebuffer = 0, score;

				if (buffer < secs) {
					rebuffer = secs - buffer;
					buffer = 0;
				} else {
					buffer -= secs;
				}
				buffer += v->segment_s;
				if (buffer > v->buffer_max_s)
					buffer = v->buffer_max_s;
				score = cur[k].score + v->kbps[r] / 1000 - REBUFFER_PENALTY * rebuffer -
					fabs(v->kbps[r] - v->kbps[p]) / 1000;
				x = cell_at(next, cells, r, buffer);
				if (score > x->score)
					*x = (struct sf_abr_cell){ score, buffer, i ? cur[k].first : r };
			}
		}
		x = cur;
		cur = next;
		next = x;
	}
	for (int k = 0; k < v->rungs * cells; k++) {
		double score = cur[k].score + BUFFER_WORTH * fmin(cur[k].buffer, BUFFER_WORTH_UPTO_S);

		if (cur[k].score > -INFINITY && score > best) {
			best = score;
			first = cur[k].first;
		}
	}
	return first;
}
