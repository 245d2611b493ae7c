/*
 * murmur3.h - MurmurHash3, x86 32-bit variant: the hash experiment
 * allocation buckets units with (exp_alloc.h).
 *
 * Fast, well mixed, stateless and the same on every machine and in every
 * language that implements it, so an assignment can be recomputed
 * anywhere from the unit id and the salt alone.
 */
#ifndef SF_MURMUR3_H
#define SF_MURMUR3_H

#include <stddef.h>
#include <stdint.h>

/* The hash of len bytes at key with seed (the result of the published
 * reference implementation, whatever the machine's byte order). */
uint32_t sf_murmur3_32(const void *key, size_t len, uint32_t seed);

#endif
