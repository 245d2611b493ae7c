/*
 * abr_bola.c - BOLA-BASIC (Spiteri et al., INFOCOM 2016), with the
 * parameters dash.js derives: utility of a rung ln(bitrate / lowest) + 1,
 * a minimum buffer of 10 s and a buffer target of 10 s + 2 s a rung (at
 * least 12 s, at most what the buffer holds), from which the Lyapunov
 * weights V and gamma follow; the rung maximizing
 * (V (utility + gamma) - buffer) / bitrate is fetched.
 */
#include <math.h>

#include "abr_algo.h"

#define MIN_BUFFER_S 10.0
#define BUFFER_PER_RUNG_S 2.0
#define STABLE_BUFFER_S 12.0

int sf_abr_bola_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	const struct sf_abr_video *v = a->v;
	double target = MIN_BUFFER_S + BUFFER_PER_RUNG_S * v->rungs;
	double u_max = log(v->kbps[v->rungs - 1] / v->kbps[0]) + 1, gp, vp, best = -INFINITY;
	int r_best = 0;

	if (target < STABLE_BUFFER_S)
		target = STABLE_BUFFER_S;
	if (target > v->buffer_max_s)
		target = v->buffer_max_s;
	if (v->rungs == 1 || target <= MIN_BUFFER_S)
		return v->rungs == 1 ? 0 : (in->buffer_s >= target ? v->rungs - 1 : 0);
	gp = (u_max - 1) / (target / MIN_BUFFER_S - 1);
	vp = MIN_BUFFER_S / gp;
	for (int r = 0; r < v->rungs; r++) {
		double u = log(v->kbps[r] / v->kbps[0]) + 1;
		double score = (vp * (u + gp) - in->buffer_s) / v->kbps[r];

		if (score >= best) {
			best = score;
			r_best = r;
		}
	}
	return r_best;
}
