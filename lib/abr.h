/*
 * abr.h - the adaptive-bitrate engine: which rendition to fetch next.
 *
 * Pure: no I/O, no clock of its own, nothing allocated after sf_abr_new.
 * The player and the simulator (abr_sim.h) drive the same engine the same
 * way: before each segment they ask which rendition to fetch
 * (sf_abr_choose), giving the buffer level and their clock; after it they
 * say what it cost (sf_abr_observe): its rendition, bytes and download
 * time.
 *
 * Throughput is estimated from each download (bits over seconds, request
 * to last byte) by two exponentially weighted moving averages, weighted
 * by download time so a long download counts more: a fast one (half-life
 * 2 s) and a slow one (half-life 8 s); the estimate is the lower of the
 * two, quick to fall and slow to rise.  The last few samples are kept too,
 * for the algorithms that predict from them (mpc, sf).
 *
 * Before the first sample the estimate is the start estimate given to
 * sf_abr_new (the last session's, persisted by the player), or none: then
 * every algorithm starts at the start rung, a conservative default.
 *
 * The algorithms (sf_abr_algorithms lists them, each file abr_NAME.c):
 *   rule        the baseline rule: up only when the estimate exceeds 1.5 x
 *               the next rung and the buffer holds 25 s, down at once below
 *               0.8 x the current rung or under 8 s of buffer, 10 s at
 *               least between switches; buffer thresholds scaled down for
 *               short content
 *   bba         buffer-based: reservoir 5 s, cushion 10 s
 *   bola        BOLA-BASIC, Lyapunov utility of log bitrate vs buffer
 *   throughput  hls.js-like: the highest rung under 0.95 x the estimate,
 *               0.7 x to switch up
 *   mpc         robust MPC: 5 segments ahead, harmonic mean of the last 5
 *               samples discounted by the largest recent relative error
 *   sf          the default: robust MPC that plans 10 segments ahead by
 *               dynamic programming over the buffer level (abr_sf.c)
 */
#ifndef SF_ABR_H
#define SF_ABR_H

#define SF_ABR_RUNGS_MAX 12
#define SF_ABR_HISTORY 8        /* samples kept for prediction */

/* What is being played. */
struct sf_abr_video {
	int rungs;                       /* renditions, lowest bitrate first */
	double kbps[SF_ABR_RUNGS_MAX];   /* the nominal bitrate of each */
	double segment_s;                /* the duration of a segment */
	int segments;                    /* how many; 0 if not known */
	/* The size in bytes of segment i at rung r, sizes[i * rungs + r];
	 * NULL: taken as kbps * segment_s / 8. */
	const double *sizes;
	double buffer_max_s;             /* the most the player buffers */
};

/* Before a segment. */
struct sf_abr_input {
	int segment;        /* the index of the segment to fetch */
	double buffer_s;    /* media buffered ahead of the playhead */
	double clock_s;     /* the caller's monotonic clock, in seconds */
};

/* After a segment. */
struct sf_abr_sample {
	int segment;
	int rung;
	double bytes;
	double seconds;     /* from request to last byte */
	double clock_s;     /* when it arrived */
};

struct sf_abr;

/* A new engine running algorithm name (NULL: "sf") for video v, which
 * must outlive it.  start_rung is where it begins without an estimate;
 * start_kbps a throughput estimate from an earlier session, or 0.
 * Returns NULL with SF_EINVAL naming the algorithm or the bad video. */
struct sf_abr *sf_abr_new(const char *name, const struct sf_abr_video *v, int start_rung,
			  double start_kbps);
void sf_abr_free(struct sf_abr *a);

/* The rung to fetch next, 0 .. rungs - 1. */
int sf_abr_choose(struct sf_abr *a, const struct sf_abr_input *in);

/* What the last download cost. */
void sf_abr_observe(struct sf_abr *a, const struct sf_abr_sample *s);

/* The current throughput estimate in kbps (0 before any sample and
 * without a start estimate), and the algorithm's name. */
double sf_abr_estimate_kbps(const struct sf_abr *a);
const char *sf_abr_name(const struct sf_abr *a);

/* The algorithms' names, NULL-terminated, the default first; and a line
 * about one of them (NULL for an unknown name). */
const char *const *sf_abr_algorithms(void);
const char *sf_abr_summary(const char *name);

/* The size of segment i at rung r in bytes (from sizes or the bitrate). */
double sf_abr_segment_bytes(const struct sf_abr_video *v, int i, int r);

#endif
