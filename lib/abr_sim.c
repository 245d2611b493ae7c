/*
 * abr_sim.c - the simulator's network and player model, the QoE terms, and
 * a session played by one algorithm (see abr_sim.h for the model).
 */
#include <math.h>
#include <string.h>

#include "abr_sim.h"
#include "error.h"

void sf_abr_net_start(struct sf_abr_net *net, const struct sf_abr_trace *tr)
{
	net->tr = tr;
	net->ptr = 1;
	net->t = tr->t[0];
}

static void next_line(struct sf_abr_net *net)
{
	net->t = net->tr->t[net->ptr];
	if (++net->ptr >= net->tr->n) {
		net->ptr = 1;
		net->t = 0;
	}
}

double sf_abr_net_fetch(struct sf_abr_net *net, double bytes)
{
	const struct sf_abr_trace *tr = net->tr;
	double sent = 0, delay = 0;
	/* A trace of nothing but zeros would never deliver: give up after
	 * going round it many times (the download then takes "forever"). */
	long steps = 0, limit = 1000L * tr->n;

	for (;;) {
		double bps = tr->mbps[net->ptr] * 1e6 / 8 * SF_ABR_SIM_PAYLOAD;
		double span = tr->t[net->ptr] - net->t;
		double can = bps * span;

		if (sent + can > bytes) {
			double part = (bytes - sent) / bps;

			delay += part;
			net->t += part;
			break;
		}
		sent += can;
		delay += span;
		next_line(net);
		if (++steps > limit)
			return INFINITY;
	}
	return delay + SF_ABR_SIM_RTT_S;
}

void sf_abr_net_sleep(struct sf_abr_net *net, double seconds)
{
	for (;;) {
		double span = net->tr->t[net->ptr] - net->t;

		if (span > seconds) {
			net->t += seconds;
			return;
		}
		seconds -= span;
		next_line(net);
	}
}

double sf_abr_qoe_lin(double kbps, double prev_kbps, double rebuffer_s)
{
	return kbps / 1000 - 4.3 * rebuffer_s - fabs(kbps - prev_kbps) / 1000;
}

double sf_abr_qoe_log(double kbps, double prev_kbps, double lowest_kbps, double rebuffer_s)
{
	double u = log(kbps / lowest_kbps), p = log(prev_kbps / lowest_kbps);

	return u - 2.66 * rebuffer_s - fabs(u - p);
}

static double hd_score(double kbps)
{
	static const double upto[] = { 300, 750, 1200, 1850, 2850 };
	static const double score[] = { 1, 2, 3, 12, 15, 20 };
	int i = 0;

	while (i < 5 && kbps > upto[i])
		i++;
	return score[i];
}

double sf_abr_qoe_hd(double kbps, double prev_kbps, double rebuffer_s)
{
	return hd_score(kbps) - 8 * rebuffer_s - fabs(hd_score(kbps) - hd_score(prev_kbps));
}

int sf_abr_simulate(const struct sf_abr_video *v, const struct sf_abr_trace *tr,
		    const char *name, struct sf_abr_session *out, sf_abr_chunk_fn *fn, void *arg)
{
	int start = SF_ABR_SIM_START_RUNG < v->rungs ? SF_ABR_SIM_START_RUNG : v->rungs - 1;
	struct sf_abr *a = sf_abr_new(name, v, start, 0);
	struct sf_abr_net net;
	double buffer = 0, clock = 0;
	int rung = start, prev = start;

	*out = (struct sf_abr_session){ 0 };
	if (!a)
		return SF_EINVAL;
	sf_abr_net_start(&net, tr);
	for (int i = 0; i < v->segments; i++) {
		double bytes = sf_abr_segment_bytes(v, i, rung);
		double delay = sf_abr_net_fetch(&net, bytes);
		double rebuffer = delay > buffer ? delay - buffer : 0;

		if (!isfinite(delay)) {
			sf_abr_free(a);
			return sf_error(SF_EINVAL, "trace '%s': no throughput to download with",
					tr->name);
		}
		clock += delay;
		buffer = (buffer > delay ? buffer - delay : 0) + v->segment_s;
		if (buffer > SF_ABR_SIM_BUFFER_MAX_S) {
			double sleep = ceil((buffer - SF_ABR_SIM_BUFFER_MAX_S) / SF_ABR_SIM_SLEEP_S) *
				       SF_ABR_SIM_SLEEP_S;

			buffer -= sleep;
			sf_abr_net_sleep(&net, sleep);
			clock += sleep;
		}
		out->qoe_lin += sf_abr_qoe_lin(v->kbps[rung], v->kbps[prev], rebuffer);
		out->qoe_log += sf_abr_qoe_log(v->kbps[rung], v->kbps[prev], v->kbps[0], rebuffer);
		out->qoe_hd += sf_abr_qoe_hd(v->kbps[rung], v->kbps[prev], rebuffer);
		out->rebuffer_s += rebuffer;
		out->kbps_sum += v->kbps[rung];
		out->switches += rung != prev;
		if (!i)
			out->startup_s = delay;
		out->chunks++;
		if (fn)
			fn(arg, i, rung, bytes, delay, rebuffer, buffer);
		sf_abr_observe(a, &(struct sf_abr_sample){ .segment = i, .rung = rung, .bytes = bytes,
							   .seconds = delay, .clock_s = clock });
		prev = rung;
		if (i + 1 < v->segments)
			rung = sf_abr_choose(a, &(struct sf_abr_input){ .segment = i + 1,
									.buffer_s = buffer,
									.clock_s = clock });
	}
	sf_abr_free(a);
	return 0;
}

int sf_abr_score(const struct sf_abr_video *v, const struct sf_abr_trace *tr, int n,
		 const char *name, struct sf_abr_score *out)
{
	double rebuffer = 0, play = 0;

	*out = (struct sf_abr_score){ 0 };
	for (int i = 0; i < n; i++) {
		struct sf_abr_session s;
		int rc = strcmp(name, SF_ABR_OPTIMAL) ? sf_abr_simulate(v, &tr[i], name, &s, NULL, NULL)
						      : sf_abr_optimal(v, &tr[i], &s);

		if (rc)
			return rc;
		out->qoe_lin += s.qoe_lin / s.chunks / n;
		out->qoe_log += s.qoe_log / s.chunks / n;
		out->qoe_hd += s.qoe_hd / s.chunks / n;
		out->kbps += s.kbps_sum / s.chunks / n;
		out->switches += (double)s.switches / n;
		rebuffer += s.rebuffer_s;
		play += s.chunks * v->segment_s;
	}
	out->rebuffer_ratio = play + rebuffer > 0 ? rebuffer / (play + rebuffer) : 0;
	return 0;
}
