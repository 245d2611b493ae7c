/*
 * exp_alloc.c - experiment allocation without a database: MurmurHash3
 * against the published reference vectors, and over 1,000,000 units the
 * shares of buckets, variants and the holdout, the independence of two
 * layers (chi-square), mutual exclusion inside a layer, stability within
 * a phase and re-randomization by a new one.
 */
#include <math.h>
#include <string.h>

#include "exp_alloc.h"
#include "murmur3.h"
#include "tap.h"

#define UNITS 1000000

static void test_vectors(void)
{
	static const struct { const char *key; size_t len; uint32_t seed, want; } v[] = {
		{ "", 0, 0, 0 },
		{ "", 0, 1, 0x514E28B7 },
		{ "", 0, 0xffffffff, 0x81F16F39 },
		{ "\0\0\0\0", 4, 0, 0x2362F9DE },
		{ "Hello, world!", 13, 0x9747B28C, 0x24884CBA },
		{ "a", 1, 0x9747B28C, 0x7FA09EA6 },
		{ "ab", 2, 0x9747B28C, 0x74875592 },
		{ "abc", 3, 0x9747B28C, 0xC84A62DD },
		{ "abcd", 4, 0x9747B28C, 0xF0478627 },
		{ "aaaa", 4, 0x9747B28C, 0x5A97808A },
		{ "abc", 3, 0, 0xB3DD93FA },
		{ "The quick brown fox jumps over the lazy dog", 43, 0x9747B28C, 0x2FA826CD },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		is_int(sf_murmur3_32(v[i].key, v[i].len, v[i].seed), v[i].want,
		       "murmur3(\"%s\", %zu bytes, seed 0x%08X)", v[i].key, v[i].len, v[i].seed);
}

/* |share - want| <= 0.5 percentage points. */
static int near(long long n, double want)
{
	return fabs((double)n / UNITS - want) <= 0.005;
}

static void test_buckets(void)
{
	long long tenth[10] = { 0 }, held = 0;
	int worst = 0;

	for (long long u = 1; u <= UNITS; u++) {
		tenth[sf_exp_bucket(u, 0x5EED0001) / 1000]++;
		held += sf_exp_held_out(u, 0x401D0001, 500);
	}
	for (int i = 0; i < 10; i++)
		if (!near(tenth[i], 0.1))
			worst = i + 1;
	ok(!worst, "buckets: every tenth of the range holds 10%% of units, +-0.5 points");
	ok(near(held, 0.05), "holdout: a 5%% share holds 5%% of units (%.3f%%)",
	   100.0 * (double)held / UNITS);
	is_int(sf_exp_bucket(42, 7), sf_exp_bucket(42, 7), "buckets: the same unit, the same bucket");
}

static void test_shares(void)
{
	struct sf_exp_alloc a = { .layer_salt = 11, .bucket_lo = 0, .bucket_hi = SF_EXP_BUCKETS,
				  .salt = 12, .phase = 1, .nvariants = 3, .weights = { 50, 30, 20 } };
	long long n[3] = { 0 }, out = 0;

	for (long long u = 1; u <= UNITS; u++) {
		int v = sf_exp_variant(&a, u);

		if (v < 0)
			out++;
		else
			n[v]++;
	}
	is_int(out, 0, "shares: a full range takes every unit");
	ok(near(n[0], 0.5) && near(n[1], 0.3) && near(n[2], 0.2),
	   "shares: 50/30/20 within 0.5 points (%.3f/%.3f/%.3f%%)", 100.0 * (double)n[0] / UNITS,
	   100.0 * (double)n[1] / UNITS, 100.0 * (double)n[2] / UNITS);

	a.bucket_lo = 2000;
	a.bucket_hi = 4500;
	out = 0;
	for (long long u = 1; u <= UNITS; u++)
		out += sf_exp_variant(&a, u) < 0;
	ok(near(UNITS - out, 0.25), "shares: buckets 2000-4499 take 25%% of units");
}

/* Chi-square statistic of a 2x2 table. */
static double chi2(const long long t[2][2])
{
	double n = (double)(t[0][0] + t[0][1] + t[1][0] + t[1][1]), x = 0;

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double e = (double)(t[i][0] + t[i][1]) * (double)(t[0][j] + t[1][j]) / n;

			x += ((double)t[i][j] - e) * ((double)t[i][j] - e) / e;
		}
	return x;
}

static void test_layers(void)
{
	struct sf_exp_alloc x = { .layer_salt = 101, .bucket_lo = 0, .bucket_hi = SF_EXP_BUCKETS,
				  .salt = 102, .phase = 1, .nvariants = 2, .weights = { 1, 1 } };
	struct sf_exp_alloc y = x, left = x, right = x;
	long long t[2][2] = { { 0 } }, both = 0, neither = 0;

	y.layer_salt = 201;
	y.salt = 202;
	for (long long u = 1; u <= UNITS; u++)
		t[sf_exp_variant(&x, u)][sf_exp_variant(&y, u)]++;
	/* 10.83: the 0.999 quantile of chi-square with one degree of freedom. */
	ok(chi2((const long long (*)[2])t) < 10.83,
	   "layers: two layers' assignments are independent (chi-square %.3f, 1 df)",
	   chi2((const long long (*)[2])t));

	left.bucket_hi = 5000;
	right.bucket_lo = 5000;
	right.salt = 103;
	for (long long u = 1; u <= UNITS; u++) {
		int l = sf_exp_variant(&left, u) >= 0, r = sf_exp_variant(&right, u) >= 0;

		both += l && r;
		neither += !l && !r;
	}
	ok(both == 0 && neither == 0,
	   "layers: two experiments of one layer never share a unit, and cover it all");
}

static void test_phases(void)
{
	struct sf_exp_alloc a = { .layer_salt = 301, .bucket_lo = 0, .bucket_hi = SF_EXP_BUCKETS,
				  .salt = 302, .phase = 1, .nvariants = 2, .weights = { 1, 1 } };
	struct sf_exp_alloc b = a, none = a;
	long long moved = 0, same = 0;

	b.phase = 2;
	for (long long u = 1; u <= UNITS; u++) {
		moved += sf_exp_variant(&a, u) != sf_exp_variant(&b, u);
		same += sf_exp_variant(&a, u) == sf_exp_variant(&a, u);
	}
	is_int(same, UNITS, "phases: within a phase every unit keeps its variant");
	ok(near(moved, 0.5), "phases: a new phase re-randomizes (%.2f%% moved in a 50/50 split)",
	   100.0 * (double)moved / UNITS);
	none.weights[0] = none.weights[1] = 0;
	is_int(sf_exp_variant(&none, 1), -1, "no weight at all: no variant");
}

int main(void)
{
	test_vectors();
	test_buckets();
	test_shares();
	test_layers();
	test_phases();
	return done_testing();
}
