/*
 * abr_throughput.c - throughput-based, as hls.js does it: the highest rung
 * whose bitrate fits in 0.95 x the estimate (the lower of a fast and a
 * slow moving average), but a rung above the current one only when it
 * fits in 0.7 x the estimate.
 */
#include "abr_algo.h"

#define STAY_FACTOR 0.95
#define UP_FACTOR 0.7

int sf_abr_throughput_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	double est = sf_abr_estimate_kbps(a);
	int cur = a->last_rung >= 0 ? a->last_rung : a->start_rung;
	int r = sf_abr_rung_under(a, STAY_FACTOR * est), up;

	(void)in;
	if (r <= cur)
		return r;
	up = sf_abr_rung_under(a, UP_FACTOR * est);
	return up > cur ? up : cur;
}
