/*
 * abr.c - the ABR engine and the simulator's model, on small traces and
 * videos made up here, with every expected figure worked out by hand:
 * download times through the trace's intervals (the throughput of line i
 * holds up to line i's time), the round trip, wrap-around, the sleep
 * above 60 s of buffer, rebuffering, the QoE terms; each rule's switch
 * conditions and the estimator; and the offline optimum against a brute
 * force over every plan of a short video.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abr.h"
#include "abr_sim.h"
#include "error.h"
#include "tap.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* 8 Mbps through 0.95 payload: 950,000 bytes a second. */
#define B8 950000.0

static double trace_t[] = { 0, 1, 2, 3 };
static double trace_mbps[] = { 100, 8, 4, 8 };
static struct sf_abr_trace trace = { "synthetic", 4, trace_t, trace_mbps };

static struct sf_abr_video ladder(int segments)
{
	return (struct sf_abr_video){ .rungs = 4, .kbps = { 300, 750, 1200, 1850 },
				      .segment_s = 4, .segments = segments,
				      .buffer_max_s = 60 };
}

/* A sample of kbps over one second at the given clock. */
static void feed(struct sf_abr *a, int rung, double kbps, double clock)
{
	sf_abr_observe(a, &(struct sf_abr_sample){ .rung = rung, .bytes = kbps * 1000 / 8,
						   .seconds = 1, .clock_s = clock });
}

static int pick(struct sf_abr *a, double buffer, double clock)
{
	return sf_abr_choose(a, &(struct sf_abr_input){ .segment = 1, .buffer_s = buffer,
							.clock_s = clock });
}

static void test_network(void)
{
	struct sf_abr_net net;

	sf_abr_net_start(&net, &trace);
	ok(NEAR(sf_abr_net_fetch(&net, B8), 1.08),
	   "line 1's 8 Mbps holds from 0 to 1 s (line 0's 100 Mbps is never used): 1 s + 80 ms");
	ok(NEAR(sf_abr_net_fetch(&net, B8 / 4), 0.5 + 0.08),
	   "line 2's 4 Mbps from 1 to 2 s: a quarter of 950,000 bytes takes 0.5 s");
	ok(NEAR(sf_abr_net_fetch(&net, B8 / 4 + B8 + B8 / 2), 0.5 + 1 + 0.5 + 0.08),
	   "a download walks 4 Mbps, then 8 Mbps, then wraps to line 1 at clock 0");
	ok(net.ptr == 1 && NEAR(net.t, 0.5), "after the wrap: line 1, clock 0.5 s");
	sf_abr_net_sleep(&net, 2.0);
	ok(net.ptr == 3 && NEAR(net.t, 2.5), "sleeping 2 s moves the clock on to 2.5 s");
	ok(NEAR(sf_abr_net_fetch(&net, B8 / 2), 0.58), "and the next download starts there");
}

static void test_qoe(void)
{
	ok(NEAR(sf_abr_qoe_lin(1200, 750, 0.5), 1.2 - 4.3 * 0.5 - 0.45),
	   "QoE_lin: Mbps - 4.3 x rebuffer - |change|");
	ok(NEAR(sf_abr_qoe_lin(750, 1200, 0), 0.75 - 0.45), "QoE_lin: a switch down costs too");
	ok(NEAR(sf_abr_qoe_log(1200, 750, 300, 0.5), log(4) - 2.66 * 0.5 - (log(4) - log(2.5))),
	   "QoE_log: ln(bitrate / lowest) - 2.66 x rebuffer - |change|");
	ok(NEAR(sf_abr_qoe_hd(1200, 750, 0.5), 3 - 8 * 0.5 - 1),
	   "QoE_hd: scores 2 (750) and 3 (1200), 8 a second of rebuffering");
	ok(NEAR(sf_abr_qoe_hd(4300, 2850, 0), 20 - 5), "QoE_hd: 2850 scores 15, above it 20");
}

/* The buffer after each chunk, and its rebuffering. */
struct log {
	double buffer[64], rebuffer[64], seconds[64];
	int rung[64];
};

static void record(void *arg, int chunk, int rung, double bytes, double seconds,
		   double rebuffer, double buffer)
{
	struct log *l = arg;

	(void)bytes;
	l->rung[chunk] = rung;
	l->seconds[chunk] = seconds;
	l->rebuffer[chunk] = rebuffer;
	l->buffer[chunk] = buffer;
}

static void test_session(void)
{
	/* 8 Mbps throughout; every chunk 95,000 bytes: 0.1 s + 80 ms. */
	static double t[] = { 0, 1000 }, mbps[] = { 8, 8 }, sizes[40 * 4];
	struct sf_abr_trace flat = { "flat", 2, t, mbps };
	struct sf_abr_video v = ladder(40);
	struct sf_abr_session s;
	struct log l;
	int capped = 1, stepped = 1;

	for (int i = 0; i < 40 * 4; i++)
		sizes[i] = B8 / 10;
	v.sizes = sizes;
	is_int(sf_abr_simulate(&v, &flat, "bba", &s, record, &l), 0, "a session plays");
	is_int(l.rung[0], 1, "the first chunk is fetched at rung 1");
	ok(NEAR(l.rebuffer[0], 0.18) && NEAR(s.startup_s, 0.18),
	   "the first chunk's download is all rebuffering: 0.18 s");
	ok(NEAR(l.buffer[0], 4) && NEAR(l.buffer[1], 4 - 0.18 + 4),
	   "each chunk adds 4 s, less its download");
	for (int i = 0; i < 40; i++) {
		capped &= l.buffer[i] <= 60 + 1e-9;
		if (i >= 15)    /* 4 + 15 x 3.82 > 60: from then on it sleeps to 59.5..60 */
			stepped &= l.buffer[i] > 59.5 - 1e-9;
	}
	ok(capped && stepped, "the buffer never passes 60 s: the player sleeps in 0.5 s steps");
	ok(NEAR(s.rebuffer_s, 0.18), "no rebuffering after the first chunk");

	/* 1 Mbps, 4 s chunks of 2 Mbps: each takes 8 s + 80 ms. */
	mbps[0] = mbps[1] = 1;
	for (int i = 0; i < 40 * 4; i++)
		sizes[i] = 1e6 * 0.95;
	v.segments = 3;
	is_int(sf_abr_simulate(&v, &flat, "rule", &s, record, &l), 0, "a slow session plays");
	ok(NEAR(l.rebuffer[1], 8.08 - 4) && NEAR(l.buffer[1], 4),
	   "a download that outlasts the buffer rebuffers for the rest: 4.08 s");
	ok(NEAR(s.rebuffer_s, 8.08 + 2 * 4.08), "the session sums it");
}

static void test_rule(void)
{
	struct sf_abr_video v = ladder(0);
	struct sf_abr *a = sf_abr_new("rule", &v, 1, 0);

	is_int(pick(a, 0, 0), 1, "before any sample, the start rung");
	feed(a, 1, 3000, 10);
	is_int(pick(a, 30, 20), 3, "up at once to the highest rung under estimate / 1.5");
	is_int(pick(a, 25, 20), 1, "not up with 25 s of buffer or less");
	sf_abr_free(a);

	a = sf_abr_new("rule", &v, 1, 0);
	feed(a, 1, 2000, 10);
	is_int(pick(a, 30, 20), 2, "2000 kbps: 1200 x 1.5 passes, 1850 x 1.5 does not");
	feed(a, 2, 4000, 20);   /* the switch up, at 20 s */
	is_int(pick(a, 30, 29), 2, "no switch up within 10 s of the last");
	is_int(pick(a, 30, 30), 3, "up again 10 s after the last switch");
	is_int(pick(a, 7.9, 21), 1, "down at once, one rung, under 8 s of buffer");
	sf_abr_free(a);

	a = sf_abr_new("rule", &v, 3, 0);
	feed(a, 3, 1400, 10);
	is_int(pick(a, 30, 11), 1, "under 0.8 x the current bitrate: down at once, under 0.8 x "
	       "the estimate");
	sf_abr_free(a);

	v = ladder(30);     /* two minutes: the thresholds halve */
	a = sf_abr_new("rule", &v, 1, 0);
	feed(a, 1, 3000, 10);
	is_int(pick(a, 13, 20), 3, "short content: up with 12.5 s of buffer");
	is_int(pick(a, 4.5, 20), 1, "short content: down only under 4 s");
	is_int(pick(a, 3.9, 20), 0, "short content: down under 4 s");
	sf_abr_free(a);
}

static void test_others(void)
{
	struct sf_abr_video v = ladder(0);
	struct sf_abr *a = sf_abr_new("bba", &v, 1, 0);

	feed(a, 1, 1000, 1);
	is_int(pick(a, 4.9, 2), 0, "bba: under the 5 s reservoir, the lowest rung");
	is_int(pick(a, 10, 2), 1, "bba: in the cushion, along a line (10 s: rung 1 of 3)");
	is_int(pick(a, 15, 2), 3, "bba: past 15 s, the highest");
	sf_abr_free(a);

	a = sf_abr_new("throughput", &v, 1, 0);
	feed(a, 1, 2000, 1);
	is_int(pick(a, 10, 2), 2, "throughput: up only to what fits 0.7 x the estimate");
	sf_abr_free(a);
	a = sf_abr_new("throughput", &v, 3, 0);
	feed(a, 3, 2000, 1);
	is_int(pick(a, 10, 2), 3, "throughput: stays while it fits 0.95 x the estimate");
	feed(a, 3, 1000, 2);
	ok(pick(a, 10, 3) < 3, "throughput: down when it no longer does");
	sf_abr_free(a);

	a = sf_abr_new("bola", &v, 1, 0);
	feed(a, 1, 1000, 1);
	ok(pick(a, 2, 2) == 0 && pick(a, 40, 2) == 3, "bola: lowest on an empty buffer, "
	   "highest on a full one");
	sf_abr_free(a);

	for (int k = 0; k < 2; k++) {
		const char *name = k ? "sf" : "mpc";

		a = sf_abr_new(name, &v, 1, 0);
		for (int i = 0; i < 5; i++)
			feed(a, 1, 10000, i);
		is_int(pick(a, 20, 6), 3, "%s: a steady 10 Mbps, the highest rung", name);
		sf_abr_free(a);
		a = sf_abr_new(name, &v, 1, 0);
		for (int i = 0; i < 5; i++)
			feed(a, 1, 200, i);
		is_int(pick(a, 3, 6), 0, "%s: a steady 200 kbps, the lowest", name);
		sf_abr_free(a);
	}
	ok(!sf_abr_new("fastest", &v, 1, 0) && strstr(sf_error_message(), "'fastest'"),
	   "an unknown algorithm is refused by name");
}

static void test_estimator(void)
{
	struct sf_abr_video v = ladder(0);
	struct sf_abr *a = sf_abr_new("throughput", &v, 0, 1500);
	double before;

	ok(NEAR(sf_abr_estimate_kbps(a), 1500), "before a sample, the last session's estimate");
	is_int(pick(a, 0, 0), 1, "and the first choice follows it: 0.7 x 1500 fits 750 kbps");
	sf_abr_free(a);
	a = sf_abr_new("throughput", &v, 0, 0);
	is_int(pick(a, 0, 0), 0, "without one, the start rung");
	feed(a, 0, 4000, 1);
	ok(NEAR(sf_abr_estimate_kbps(a), 4000), "one sample: the estimate is that sample");
	for (int i = 0; i < 10; i++)
		feed(a, 0, 4000, 2 + i);
	feed(a, 0, 1000, 12);
	before = sf_abr_estimate_kbps(a);
	ok(before < 4000 - 0.28 * 3000 && before > 1000,
	   "a drop pulls it down fast (the 2 s half-life: 29%% of the way in 1 s)");
	for (int i = 0; i < 3; i++)
		feed(a, 0, 4000, 13 + i);
	ok(sf_abr_estimate_kbps(a) < 4000 - 0.05 * 3000,
	   "a recovery lifts it slowly (the 8 s half-life holds it down)");
	sf_abr_free(a);
}

/* The brute force: every plan of rungs for a short video, played through
 * the model step by step. */
static double brute(const struct sf_abr_video *v, const struct sf_abr_trace *tr)
{
	int n = v->segments, plans = 1, rung[8];
	double best = -INFINITY;

	for (int i = 1; i < n; i++)
		plans *= v->rungs;
	for (int p = 0; p < plans; p++) {
		struct sf_abr_net net;
		double buffer = 0, q = 0;

		rung[0] = 1;
		for (int i = 1, x = p; i < n; i++, x /= v->rungs)
			rung[i] = x % v->rungs;
		sf_abr_net_start(&net, tr);
		for (int i = 0; i < n; i++) {
			double d = sf_abr_net_fetch(&net, sf_abr_segment_bytes(v, i, rung[i]));
			double reb = d > buffer ? d - buffer : 0;

			buffer = (buffer > d ? buffer - d : 0) + v->segment_s;
			if (buffer > 60) {
				double sleep = ceil((buffer - 60) / 0.5) * 0.5;

				buffer -= sleep;
				sf_abr_net_sleep(&net, sleep);
			}
			q += sf_abr_qoe_lin(v->kbps[rung[i]], v->kbps[rung[i ? i - 1 : 0]], reb);
		}
		if (q > best)
			best = q;
	}
	return best;
}

static void test_optimal(void)
{
	static double t[] = { 0, 3, 5, 9, 10, 14, 20 }, mbps[] = { 0, 2.5, 0.4, 1.6, 0, 3, 0.9 };
	struct sf_abr_trace tr = { "bumpy", 7, t, mbps };
	struct sf_abr_video v = ladder(7);
	struct sf_abr_session s, heur;
	int fine = 1;

	for (int k = 0; k < 3; k++) {
		double want;

		mbps[1] = 2.5 - k;
		want = brute(&v, &tr);
		is_int(sf_abr_optimal(&v, &tr, &s), 0, "the optimum plans");
		fine &= NEAR(s.qoe_lin, want);
		for (int i = 0; sf_abr_algorithms()[i]; i++) {
			sf_abr_simulate(&v, &tr, sf_abr_algorithms()[i], &heur, NULL, NULL);
			fine &= heur.qoe_lin <= s.qoe_lin + 1e-9;
		}
	}
	ok(fine, "the optimum is the best of every plan of 7 chunks (brute force), on three "
	   "traces, and no algorithm beats it");
}

int main(void)
{
	test_network();
	test_qoe();
	test_session();
	test_rule();
	test_others();
	test_estimator();
	test_optimal();
	return done_testing();
}
