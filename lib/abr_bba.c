/*
 * abr_bba.c - buffer-based rate adaptation (Huang et al., SIGCOMM 2014),
 * in its simplest form: under the 5 s reservoir the lowest rung, above
 * reservoir + cushion (15 s) the highest, in between a straight line.
 */
#include "abr_algo.h"

#define RESERVOIR_S 5.0
#define CUSHION_S 10.0

int sf_abr_bba_choose(struct sf_abr *a, const struct sf_abr_input *in)
{
	int top = a->v->rungs - 1;

	if (in->buffer_s < RESERVOIR_S)
		return 0;
	if (in->buffer_s >= RESERVOIR_S + CUSHION_S)
		return top;
	return (int)(top * (in->buffer_s - RESERVOIR_S) / CUSHION_S);
}
