/*
 * ladder.c - the standard and auto ladders (ladder.h).
 */
#include <stdio.h>

#include "ladder.h"

static const struct { int height, bitrate, level; } standard[] = {
	{ 240, 400000, 30 },
	{ 360, 800000, 30 },
	{ 480, 1400000, 31 },
	{ 720, 2800000, 31 },
	{ 1080, 5000000, 40 },
};
#define NSTD ((int)(sizeof(standard) / sizeof(standard[0])))

static int even_width(int src_w, int src_h, int h)
{
	long long w = ((long long)src_w * h + src_h) / (2LL * src_h) * 2;

	return w < 2 ? 2 : (int)w;
}

static double clamp(double f)
{
	if (!(f >= SF_LADDER_MIN_FACTOR))   /* NaN too */
		return SF_LADDER_MIN_FACTOR;
	return f > 1 ? 1 : f;
}

static void rung(struct sf_rung *r, int w, int h, int bitrate, int level)
{
	snprintf(r->name, sizeof(r->name), "%dp", h);
	r->width = w;
	r->height = h;
	r->bitrate = bitrate;
	r->level = level;
}

void sf_ladder_make(int width, int height, double factor, struct sf_ladder *out)
{
	out->n = 0;
	out->factor = clamp(factor);
	for (int i = 0; i < NSTD && standard[i].height <= height; i++)
		rung(&out->rungs[out->n++], even_width(width, height, standard[i].height),
		     standard[i].height, (int)(standard[i].bitrate * out->factor),
		     standard[i].level);
	if (out->n == 0) {
		int h = height & ~1;

		if (h < 2)
			h = 2;
		rung(&out->rungs[out->n++], even_width(width, height, h), h,
		     (int)(sf_ladder_standard_bitrate(even_width(width, height, h), h) * out->factor),
		     30);
	}
}

int sf_ladder_standard_bitrate(int width, int height)
{
	if (height <= standard[0].height) {
		/* By pixels against 426x240, at least 100 kb/s. */
		double b = standard[0].bitrate * ((double)width * height) / (426.0 * 240.0);

		return b < 100000 ? 100000 : (int)b;
	}
	for (int i = 1; i < NSTD; i++)
		if (height <= standard[i].height) {
			double t = (double)(height - standard[i - 1].height) /
				   (standard[i].height - standard[i - 1].height);

			return (int)(standard[i - 1].bitrate +
				     t * (standard[i].bitrate - standard[i - 1].bitrate));
		}
	return standard[NSTD - 1].bitrate;
}

double sf_ladder_factor(double bits_per_second, int width, int height)
{
	return clamp(bits_per_second / sf_ladder_standard_bitrate(width, height));
}

void sf_ladder_codecs(const struct sf_rung *r, int audio, char *buf, int size)
{
	snprintf(buf, (size_t)size, "avc1.4d40%02x%s", r->level, audio ? ",mp4a.40.2" : "");
}
