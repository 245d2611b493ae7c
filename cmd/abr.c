/*
 * abr.c - "sf abr": the adaptive-bitrate engine seen from the command
 * line.  "sf abr sim" plays a test video over a directory of network
 * traces with each algorithm (lib/abr_sim.c, the model of the ABR
 * research simulators) and prints what each scores, next to the offline
 * optimum, the best any algorithm could do knowing the traces in advance.
 * Parses and prints only.
 */
#include <stdio.h>
#include <string.h>

#include "abr.h"
#include "abr_sim.h"
#include "cmd.h"
#include "error.h"
#include "text.h"

static const char *const algo_names[] = { "all", "sf", "rule", "bba", "bola", "throughput",
					  "mpc", SF_ABR_OPTIMAL, NULL };

static json_t *score_json(const char *name, const struct sf_abr_score *s, double optimum)
{
	json_t *row = json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f}", "algorithm", name,
				"qoe_lin", s->qoe_lin, "qoe_log", s->qoe_log, "qoe_hd", s->qoe_hd,
				"rebuffer_ratio", s->rebuffer_ratio, "kbps", s->kbps,
				"switches", s->switches);

	json_object_set_new(row, "of_optimum",
			    optimum > 0 ? json_real(s->qoe_lin / optimum) : json_null());
	return row;
}

/* The row as the table shows it. */
static json_t *score_cells(const json_t *row)
{
	const json_t *of = json_object_get(row, "of_optimum");
	char buf[7][32];

	snprintf(buf[0], 32, "%.3f", json_real_value(json_object_get(row, "qoe_lin")));
	snprintf(buf[1], 32, "%.3f", json_real_value(json_object_get(row, "qoe_log")));
	snprintf(buf[2], 32, "%.2f", json_real_value(json_object_get(row, "qoe_hd")));
	snprintf(buf[3], 32, "%.2f%%",
		 100 * json_real_value(json_object_get(row, "rebuffer_ratio")));
	snprintf(buf[4], 32, "%.0f", json_real_value(json_object_get(row, "kbps")));
	snprintf(buf[5], 32, "%.1f", json_real_value(json_object_get(row, "switches")));
	if (json_is_real(of))
		snprintf(buf[6], 32, "%.1f%%", 100 * json_real_value(of));
	else
		snprintf(buf[6], 32, "-");
	return json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "algorithm",
			 json_object_get(row, "algorithm"), "qoe_lin", buf[0], "qoe_log", buf[1],
			 "qoe_hd", buf[2], "rebuffer", buf[3], "kbps", buf[4], "switches", buf[5],
			 "of_optimum", buf[6]);
}

static int sim(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "ALGORITHM", "algorithm" }, { "QOE_LIN", "qoe_lin" }, { "QOE_LOG", "qoe_log" },
		{ "QOE_HD", "qoe_hd" }, { "REBUFFER", "rebuffer" }, { "KBPS", "kbps" },
		{ "SWITCHES", "switches" }, { "OPTIMUM", "of_optimum" }, { NULL },
	};
	const char *algo = sf_opt(ctx, "algo") ? sf_opt(ctx, "algo") : "all";
	const char *const *names = sf_abr_algorithms();
	struct sf_abr_video v;
	struct sf_abr_trace *tr = NULL;
	struct sf_abr_score opt, s;
	json_t *rows = NULL, *out = NULL, *cells = NULL;
	int n = 0, rc;

	if ((rc = sf_abr_video_load(sf_opt(ctx, "video"), &v)))
		return rc;
	if ((rc = sf_abr_traces_load(sf_opt(ctx, "traces"), &tr, &n)))
		goto out;
	if ((rc = sf_abr_score(&v, tr, n, SF_ABR_OPTIMAL, &opt)))
		goto out;
	rows = json_array();
	for (int i = 0; names[i]; i++) {
		if (strcmp(algo, "all") && strcmp(algo, names[i]))
			continue;
		if ((rc = sf_abr_score(&v, tr, n, names[i], &s)))
			goto out;
		json_array_append_new(rows, score_json(names[i], &s, opt.qoe_lin));
	}
	json_array_append_new(rows, score_json(SF_ABR_OPTIMAL, &opt, opt.qoe_lin));
	if (ctx->json) {
		out = json_pack("{s:i, s:i, s:f, s:O}", "traces", n, "chunks", v.segments,
				"chunk_seconds", v.segment_s, "algorithms", rows);
		sf_print_json(out);
		goto out;
	}
	cells = json_array();
	for (size_t i = 0; i < json_array_size(rows); i++)
		json_array_append_new(cells, score_cells(json_array_get(rows, i)));
	sf_print_table(cells, cols);
	printf("\n%d trace%s, %d chunks of %g s; QoE per chunk, mean over traces\n", n,
	       n == 1 ? "" : "s", v.segments, v.segment_s);
out:
	json_decref(out);
	json_decref(rows);
	json_decref(cells);
	sf_abr_traces_free(tr, n);
	sf_abr_video_release(&v);
	return rc;
}

static const struct sf_opt sim_opts[] = {
	{ "traces", "<dir>", "a directory of network traces, \"time_s throughput_Mbps\" lines",
	  true },
	{ "video", "<file>", "the chunk sizes of the test video, one line a chunk", true },
	{ "algo", "<name>", "one algorithm, or all of them (the default)", false, algo_names },
	{ NULL },
};

const struct sf_command sf_cmd_abr = {
	.name = "abr",
	.summary = "simulate the adaptive-bitrate algorithms over network traces",
	.verbs = (const struct sf_verb[]){
		{ "sim", NULL, "", "play a test video over network traces with each algorithm", sim,
		  CMD_JSON, sim_opts, 0, 0 },
		{ 0 },
	},
};
