/*
 * abr_sf.c - sf's own algorithm, the default: robust MPC made to look
 * further, to plan with the player's real costs, and to weigh a stall as
 * the risk it is rather than only shrinking the throughput it plans with;
 * tuned on the traces published with Pensieve (see "sf abr sim" and
 * tests/bench/abr.sh).
 *
 * It predicts the throughput of the next downloads as the harmonic mean of
 * the last 5 samples, and fetches the first rung of the plan that scores
 * best (QoE_lin: Mbps - |change| - a penalty per second of rebuffering).
 * The plan is a dynamic programme over (rung, buffer level in 0.25 s
 * cells) 12 segments ahead, so it counts the cap on the buffer and costs
 * little; each segment's download counts its round trip (80 ms), a good
 * part of the small segments of low rungs.  Each first rung is scored
 * twice, and the two scores are blended:
 *  - 3/4 under a cautious prediction, the mean / (1 + the largest
 *    relative error of the last 3 predictions): after a surprise it plans
 *    low for a few segments, then trusts the mean again;
 *  - 1/4 under the mean itself: with a deep buffer a brief dip does not
 *    throw away a rung the buffer can carry, and a plan that only the
 *    cautious view likes is not taken at once, which saves switches.
 * A second of rebuffering costs 16 in the plan (QoE counts 4.3): the
 * prediction is often wrong by more than the discount allows, and a stall
 * costs more than the bitrate a bolder plan gains.  The buffer left at the
 * end of the plan is worth 0.04 a second up to 40 s: a plan that ends on
 * an empty buffer is riskier than its score says.
 *
 * Mean QoE_lin per chunk on those traces: robust MPC 0.157 (5.5%
 * rebuffering); the round trip, a steeper discount and the 10-segment
 * programme took it to 0.267 (4.8%); the blend, the rebuffering weight,
 * the shorter error memory and 12 segments to 0.288 (4.9%), 67% of the
 * offline optimum (0.428).  With nominal segment sizes only (the player
 * without a size table) it scores 0.324 against robust MPC's 0.276
 * (optimum 0.506).
 * Tried and left out, for doing no better: a discount that fades along the
 * plan or shrinks as the buffer grows, a long-term mean for the far end of
 * the plan, an error counted only when the prediction was too high, the
 * mean error instead of the largest, a prior error before the first
 * predictions, a cost on ending the plan away from the sustainable rung,
 * an expectation over the recent error ratios, switches weighed more than
 * QoE weighs them, and throughput samples with the round trip taken out.
 *
 * What is left to the optimum is mostly bitrate (it averages 1312 kbps, sf
 * 1257) and switches (2.3 a session against 5.7): without knowing the
 * trace, a drop can only be answered once it shows.
 */
#include <math.h>

#include "abr_algo.h"

#define PAST 5               /* samples in the mean */
#define ERROR_PAST 3         /* predictions whose error counts */
#define DISCOUNT 1.0
#define MEAN_SHARE 0.25      /* of the score, from the plan under the mean */
#define HORIZON 12
#define RTT_S 0.08
#define BUFFER_WORTH 0.04
#define BUFFER_WORTH_UPTO_S 40.0
#define REBUFFER_PENALTY 16.0

/* The harmonic mean of the last samples, in kbps (kept as this download's
 * prediction), and the largest relative error of the last predictions. */
static double predict(struct sf_abr *a, double *err)
{
	int k = a->n < PAST ? a->n : PAST, ke = a->n < ERROR_PAST ? a->n : ERROR_PAST;
	double inv = 0;

	for (int i = 0; i < k; i++)
		inv += 1 / sf_abr_sample_kbps(a, i);
	*err = 0;
	for (int i = 0; i < ke; i++) {
		double got = sf_abr_sample_kbps(a, i);
		double pred = a->predicted[(a->n - 1 - i) % SF_ABR_HISTORY];

		if (pred > 0 && fabs(pred - got) / got > *err)
			*err = fabs(pred - got) / got;
	}
	a->prediction = k / inv;
	return a->prediction;
}

static struct sf_abr_cell *cell_at(struct sf_abr_cell *grid, int cells, int r, double buffer)
{
	int c = (int)(buffer / SF_ABR_CELL_S);

	return &grid[r * cells + (c < cells ? c : cells - 1)];
}

/* The best plan of h segments at kbps from rung last: best[r] the score of
 * the best one that starts with rung r. */
static void plan(struct sf_abr *a, const struct sf_abr_input *in, double kbps, int h, int last,
		 double *best)
{
	const struct sf_abr_video *v = a->v;
	struct sf_abr_cell *cur = a->plan[0], *next = a->plan[1], *x;
	int cells = (int)(v->buffer_max_s / SF_ABR_CELL_S) + 1;

	if (cells > SF_ABR_CELLS)
		cells = SF_ABR_CELLS;
	for (int r = 0; r < v->rungs; r++)
		best[r] = -INFINITY;
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

		if (cur[k].score > -INFINITY && score > best[cur[k].first])
			best[cur[k].first] = score;
	}
}

int sf_abr_sf_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	const struct sf_abr_video *v = a->v;
	double cautious[SF_ABR_RUNGS_MAX], mean[SF_ABR_RUNGS_MAX], err = 0, top = -INFINITY;
	double kbps = a->n ? predict(a, &err) : a->start_kbps;
	int last = a->last_rung >= 0 ? a->last_rung : a->start_rung, h = HORIZON, first = last;

	if (v->segments > 0 && v->segments - in->segment < h)
		h = v->segments - in->segment;
	if (h <= 0 || !(kbps > 0))
		return last;
	plan(a, in, kbps / (1 + DISCOUNT * err), h, last, cautious);
	if (a->n)
		plan(a, in, kbps, h, last, mean);
	for (int r = 0; r < v->rungs; r++) {
		double score = a->n ? (1 - MEAN_SHARE) * cautious[r] + MEAN_SHARE * mean[r]
				    : cautious[r];

		if (score > top) {
			top = score;
			first = r;
		}
	}
	return first;
}
