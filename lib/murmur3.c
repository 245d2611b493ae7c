/*
 * murmur3.c - MurmurHash3 x86_32 (murmur3.h): four-byte blocks mixed
 * into the state, the one to three tail bytes, then the length and the
 * final avalanche.  Blocks are read as little-endian numbers, as the
 * reference does on the machines it was published for.
 */
#include "murmur3.h"

static uint32_t rotl32(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

/* One block (or the tail) scrambled before it joins the state. */
static uint32_t scramble(uint32_t k)
{
	k *= 0xcc9e2d51u;
	k = rotl32(k, 15);
	return k * 0x1b873593u;
}

uint32_t sf_murmur3_32(const void *key, size_t len, uint32_t seed)
{
	const unsigned char *p = key;
	uint32_t h = seed, k = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		k = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
		    (uint32_t)p[i + 3] << 24;
		h ^= scramble(k);
		h = rotl32(h, 13);
		h = h * 5 + 0xe6546b64u;
	}
	k = 0;
	switch (len & 3) {
	case 3:
		k ^= (uint32_t)p[i + 2] << 16;
		/* fall through */
	case 2:
		k ^= (uint32_t)p[i + 1] << 8;
		/* fall through */
	case 1:
		k ^= p[i];
		h ^= scramble(k);
	}
	h ^= (uint32_t)len;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}
