/*
 * abr_sim.h - the trace-driven ABR simulator behind "sf abr sim".
 *
 * The chunk-level model of the ABR research simulators (Pensieve, SIGCOMM
 * 2017), so figures compare with published ones:
 *  - a trace is "time_s throughput_Mbps" lines; the throughput of line i
 *    holds from the time of line i - 1 to the time of line i.  Playing
 *    starts at line 1; at the end the trace wraps to line 1 with its clock
 *    back at 0;
 *  - a chunk's bytes go through at 0.95 x the throughput (packet payload),
 *    walking the trace's intervals, then an 80 ms round trip is added;
 *  - the buffer gains a chunk's duration per chunk; a download longer than
 *    the buffer held is rebuffering; above 60 s of buffer the player
 *    sleeps in steps of 500 ms until it is at or under 60 s (the trace's
 *    clock runs on);
 *  - the first chunk is fetched at rung 1 (the second lowest) with an
 *    empty buffer, by every algorithm; each trace plays the whole video
 *    from line 1.
 * Per chunk n, QoE_lin = Mbps_n - 4.3 x rebuffer_n - |Mbps_n - Mbps_n-1|;
 * QoE_log the same with ln(bitrate / lowest) and 2.66; QoE_hd with the
 * scores 1, 2, 3, 12, 15, 20 by bitrate (up to 300, 750, 1200, 1850, 2850
 * kbps, above) and 8 (the first chunk is compared with itself).
 *
 * The offline optimum (abr_optimal.c) knows the whole trace and plans
 * every chunk by dynamic programming.
 */
#ifndef SF_ABR_SIM_H
#define SF_ABR_SIM_H

#include "abr.h"

#define SF_ABR_SIM_START_RUNG 1
#define SF_ABR_SIM_RTT_S 0.08
#define SF_ABR_SIM_PAYLOAD 0.95
#define SF_ABR_SIM_BUFFER_MAX_S 60.0
#define SF_ABR_SIM_SLEEP_S 0.5

struct sf_abr_trace {
	char *name;          /* the file's name, without its directory */
	int n;
	double *t, *mbps;
};

/* Reads a trace file; SF_EINVAL naming the file and line when it is not
 * "time throughput" lines with times that do not decrease, or has fewer
 * than two lines; SF_ENOTFOUND when it cannot be read. */
int sf_abr_trace_load(const char *path, struct sf_abr_trace *tr);
void sf_abr_trace_release(struct sf_abr_trace *tr);

/* Reads the chunk sizes of a test video: a comment line naming the
 * bitrates ("# ... columns: 300 750 ... kbps; chunk 4 s"), then one line
 * a chunk with a size in bytes for each rung.  Fills v (sizes allocated;
 * release with sf_abr_video_release). */
int sf_abr_video_load(const char *path, struct sf_abr_video *v);
void sf_abr_video_release(struct sf_abr_video *v);

/* Reads every file of directory dir (but dot files) as a trace, in the
 * order of their names, into a new array *out of *n; SF_ENOTFOUND when
 * dir cannot be read, SF_EINVAL when it holds no file or a file is not a
 * trace (the message names it).  Free with sf_abr_traces_free. */
int sf_abr_traces_load(const char *dir, struct sf_abr_trace **out, int *n);
void sf_abr_traces_free(struct sf_abr_trace *tr, int n);

/* One session's totals. */
struct sf_abr_session {
	int chunks;
	double qoe_lin, qoe_log, qoe_hd;  /* sums over the chunks */
	double rebuffer_s;
	double kbps_sum;                 /* for the mean bitrate */
	int switches;
	double startup_s;                /* the first chunk's download */
};

/* Per chunk, if wanted: rung, bytes, download seconds (with the round
 * trip), rebuffer seconds and the buffer after it. */
typedef void sf_abr_chunk_fn(void *arg, int chunk, int rung, double bytes, double seconds,
			     double rebuffer_s, double buffer_s);

/* Plays video v over trace tr with algorithm name. */
int sf_abr_simulate(const struct sf_abr_video *v, const struct sf_abr_trace *tr,
		    const char *name, struct sf_abr_session *out, sf_abr_chunk_fn *fn, void *arg);

/* The best QoE_lin any algorithm could reach with the whole trace known,
 * and that plan's other figures. */
int sf_abr_optimal(const struct sf_abr_video *v, const struct sf_abr_trace *tr,
		   struct sf_abr_session *out);

/* What an algorithm (or SF_ABR_OPTIMAL) scores over a set of traces. */
#define SF_ABR_OPTIMAL "optimal"
struct sf_abr_score {
	double qoe_lin, qoe_log, qoe_hd;  /* per chunk, the mean over traces */
	double rebuffer_ratio;           /* rebuffering / (playing + rebuffering), pooled */
	double kbps;                     /* the mean bitrate, the mean over traces */
	double switches;                 /* per trace */
};

/* Plays video v over each of the n traces with algorithm name, or plans
 * it offline with name SF_ABR_OPTIMAL, and sums it up. */
int sf_abr_score(const struct sf_abr_video *v, const struct sf_abr_trace *tr, int n,
		 const char *name, struct sf_abr_score *out);

/* The network of the model: where in the trace the clock is. */
struct sf_abr_net {
	const struct sf_abr_trace *tr;
	int ptr;          /* the line whose interval the clock is in */
	double t;         /* the trace's clock */
};

void sf_abr_net_start(struct sf_abr_net *net, const struct sf_abr_trace *tr);
/* Seconds to fetch bytes (the round trip included), advancing the clock. */
double sf_abr_net_fetch(struct sf_abr_net *net, double bytes);
/* Lets seconds pass. */
void sf_abr_net_sleep(struct sf_abr_net *net, double seconds);

/* A chunk's QoE terms. */
double sf_abr_qoe_lin(double kbps, double prev_kbps, double rebuffer_s);
double sf_abr_qoe_log(double kbps, double prev_kbps, double lowest_kbps, double rebuffer_s);
double sf_abr_qoe_hd(double kbps, double prev_kbps, double rebuffer_s);

#endif
