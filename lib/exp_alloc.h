/*
 * exp_alloc.h - who gets which variant of an experiment: stateless,
 * deterministic allocation by hashing (murmur3.h).
 *
 * A unit (a profile id, or an account id when the experiment says so)
 * falls in one of SF_EXP_BUCKETS buckets of each layer: the MurmurHash3
 * of its id's decimal text seeded with the layer's salt.  Experiments of
 * one layer own disjoint bucket ranges, so they exclude each other; the
 * salts of two layers differ, so their buckets are independent.  Inside
 * its range an experiment splits units among its variants by weight with
 * a second hash, seeded with its own salt and its phase: a new phase (new
 * weights) re-randomizes everyone, and within a phase nothing ever moves.
 * A global holdout, by a salt of its own, keeps a share of units out of
 * every experiment.
 */
#ifndef SF_EXP_ALLOC_H
#define SF_EXP_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#define SF_EXP_BUCKETS 10000
#define SF_EXP_VARIANTS_MAX 16

/* The bucket, 0 .. SF_EXP_BUCKETS - 1, of unit in the layer salted salt. */
int sf_exp_bucket(long long unit, uint32_t salt);

/* Whether unit is in the global holdout of share basis points (0 to
 * SF_EXP_BUCKETS) under the holdout's salt. */
bool sf_exp_held_out(long long unit, uint32_t salt, int share);

/* One experiment's allocation. */
struct sf_exp_alloc {
	uint32_t layer_salt;
	int bucket_lo, bucket_hi;      /* its buckets in the layer: [lo, hi) */
	uint32_t salt;                 /* its own, for the split among variants */
	int phase;                     /* 1, 2 ...: each phase splits anew */
	int nvariants;                 /* 1 .. SF_EXP_VARIANTS_MAX */
	int weights[SF_EXP_VARIANTS_MAX];   /* >= 0, not all 0 */
};

/* The index of the variant unit gets, or -1 when the unit is outside the
 * experiment's buckets (or the allocation has no weight at all). */
int sf_exp_variant(const struct sf_exp_alloc *a, long long unit);

#endif
