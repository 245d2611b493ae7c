/*
 * abr_algo.h - what the ABR algorithms share: the engine's state and the
 * table of algorithms.  Private to lib/abr*.c; the rest of sf uses abr.h.
 */
#ifndef SF_ABR_ALGO_H
#define SF_ABR_ALGO_H

#include "abr.h"

struct sf_abr_algo {
	const char *name;
	const char *summary;
	int (*choose)(struct sf_abr *a, const struct sf_abr_input *in);
};

/* A cell of abr_sf.c's plan: the best plan that reaches a rung and a
 * buffer level (within SF_ABR_CELL_S), its score, exact buffer and first
 * rung.  Buffers beyond the last cell share it. */
#define SF_ABR_CELL_S 0.25
#define SF_ABR_CELLS 256
struct sf_abr_cell {
	double score, buffer;
	int first;
};

struct sf_abr {
	const struct sf_abr_algo *algo;
	const struct sf_abr_video *v;
	int start_rung;
	double start_kbps;
	int last_rung;             /* -1 before the first sample */
	double last_switch_s;      /* the clock of the last change of rung */
	int switched;              /* there was one */
	/* The two moving averages (abr.c). */
	double fast, fast_weight, slow, slow_weight;
	/* The last samples in kbps, newest at [(n - 1) % SF_ABR_HISTORY], and
	 * what the algorithm predicted for each before it came (0: nothing). */
	int n;
	double kbps[SF_ABR_HISTORY];
	double predicted[SF_ABR_HISTORY];
	double prediction;         /* the prediction for the download under way */
	/* abr_sf.c's working space, so that choosing allocates nothing. */
	struct sf_abr_cell plan[2][SF_ABR_RUNGS_MAX * SF_ABR_CELLS];
};

/* The newest k-th sample (k = 0 the newest), in kbps; k < min(n, HISTORY). */
double sf_abr_sample_kbps(const struct sf_abr *a, int k);

/* The highest rung whose bitrate is at most kbps (0 if none is). */
int sf_abr_rung_under(const struct sf_abr *a, double kbps);

int sf_abr_rule_choose(struct sf_abr *a, const struct sf_abr_input *in);
int sf_abr_bba_choose(struct sf_abr *a, const struct sf_abr_input *in);
int sf_abr_bola_choose(struct sf_abr *a, const struct sf_abr_input *in);
int sf_abr_throughput_choose(struct sf_abr *a, const struct sf_abr_input *in);
int sf_abr_mpc_choose(struct sf_abr *a, const struct sf_abr_input *in);
int sf_abr_sf_choose(struct sf_abr *a, const struct sf_abr_input *in);

#endif
