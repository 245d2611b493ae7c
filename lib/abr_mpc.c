/*
 * abr_mpc.c - robust MPC (Yin et al., SIGCOMM 2015), as the ABR research
 * simulators run it.
 *
 * Throughput ahead is the harmonic mean of the last 5 samples divided by
 * 1 + the largest relative error of the last 5 predictions (a prediction
 * being that harmonic mean, made before each download).  Every sequence of
 * rungs for the next 5 segments (fewer near the end) is played out against
 * that throughput, with the real sizes of those segments, and scored as
 * QoE: bitrate in Mbps - 4.3 x rebuffer seconds - |change of bitrate|;
 * the first rung of the best sequence is fetched.
 */
#include <math.h>

#include "abr_algo.h"

#define HORIZON 5
#define PAST 5
#define REBUFFER_PENALTY 4.3

/* The throughput to plan with, in kbps, and the prediction it came from. */
static double robust_kbps(struct sf_abr *a)
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
	return a->prediction / (1 + err);
}

int sf_abr_mpc_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	const struct sf_abr_video *v = a->v;
	double kbps = a->n ? robust_kbps(a) : a->start_kbps, best = -INFINITY;
	int h = HORIZON, seq[HORIZON] = { 0 }, first = 0;
	int last = a->last_rung >= 0 ? a->last_rung : a->start_rung;

	if (v->segments > 0 && v->segments - in->segment < h)
		h = v->segments - in->segment;
	if (h <= 0)
		return last;
	/* Every sequence, in counting order (the last rung changing fastest). */
	for (;;) {
		double buffer = in->buffer_s, rebuffer = 0, bitrate = 0, change = 0, score;
		int prev = last, i;

		for (i = 0; i < h; i++) {
			double secs = sf_abr_segment_bytes(v, in->segment + i, seq[i]) * 8 / 1000 / kbps;

			if (buffer < secs) {
				rebuffer += secs - buffer;
				buffer = 0;
			} else {
				buffer -= secs;
			}
			buffer += v->segment_s;
			bitrate += v->kbps[seq[i]];
			change += fabs(v->kbps[seq[i]] - v->kbps[prev]);
			prev = seq[i];
		}
		score = bitrate / 1000 - REBUFFER_PENALTY * rebuffer - change / 1000;
		if (score >= best) {
			best = score;
			first = seq[0];
		}
		for (i = h - 1; i >= 0 && ++seq[i] == v->rungs; i--)
			seq[i] = 0;
		if (i < 0)
			break;
	}
	return first;
}
