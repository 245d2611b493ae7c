/*
 * exp_alloc.c - bucketing and variant splits by MurmurHash3 (exp_alloc.h).
 *
 * Every hash is of the unit id's decimal text, so any other program can
 * recompute an assignment from the id, the salts and the phase.  The
 * split seed mixes the phase into the experiment's salt with the golden
 * ratio's odd multiplier, so consecutive phases get unrelated seeds.
 */
#include <stdio.h>

#include "exp_alloc.h"
#include "murmur3.h"

static uint32_t hash_unit(long long unit, uint32_t seed)
{
	char text[24];
	int n = snprintf(text, sizeof(text), "%lld", unit);

	return sf_murmur3_32(text, (size_t)n, seed);
}

int sf_exp_bucket(long long unit, uint32_t salt)
{
	return (int)(hash_unit(unit, salt) % SF_EXP_BUCKETS);
}

bool sf_exp_held_out(long long unit, uint32_t salt, int share)
{
	return sf_exp_bucket(unit, salt) < share;
}

int sf_exp_variant(const struct sf_exp_alloc *a, long long unit)
{
	int bucket = sf_exp_bucket(unit, a->layer_salt);
	uint64_t total = 0, cum = 0, point;

	if (bucket < a->bucket_lo || bucket >= a->bucket_hi)
		return -1;
	for (int i = 0; i < a->nvariants && i < SF_EXP_VARIANTS_MAX; i++)
		total += a->weights[i] > 0 ? (uint64_t)a->weights[i] : 0;
	if (!total)
		return -1;
	/* A point in [0, total) from the split hash, then the variant whose
	 * cumulative weight passes it. */
	point = (uint64_t)hash_unit(unit, a->salt ^ ((uint32_t)a->phase * 0x9e3779b9u)) * total
		>> 32;
	for (int i = 0; i < a->nvariants && i < SF_EXP_VARIANTS_MAX; i++) {
		cum += a->weights[i] > 0 ? (uint64_t)a->weights[i] : 0;
		if (point < cum)
			return i;
	}
	return a->nvariants - 1;
}
