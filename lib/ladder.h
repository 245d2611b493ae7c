/*
 * ladder.h - the bitrate ladder of an HLS asset: which renditions to make
 * from a source, at what size and bitrate.  Pure functions, no I/O.
 *
 * The standard ladder is 240p 400k, 360p 800k, 480p 1400k, 720p 2800k,
 * 1080p 5000k (H.264 main, AAC stereo 128k beside it), cut at the
 * source's height: sf never upscales.  A source smaller than 240p gets one
 * rendition at its own size.  Widths follow the source's aspect ratio,
 * rounded to even numbers.
 *
 * The auto ladder is per-title encoding in its simplest honest form: the
 * source is probed by a quick constant-quality encode (ffmpeg.h), and the
 * ratio of the bits that took to the standard bitrate of that size is the
 * title's complexity.  Every rung's bitrate is scaled by it, clamped to
 * [SF_LADDER_MIN_FACTOR, 1]: simple pictures (cartoons, slides, test
 * patterns) get fewer bits, complex ones never more than the standard.
 */
#ifndef SF_LADDER_H
#define SF_LADDER_H

#define SF_LADDER_MAX 6
#define SF_LADDER_MIN_FACTOR 0.25
#define SF_LADDER_AUDIO_BPS 128000
/* The height the complexity probe encodes at (or the source's, if lower). */
#define SF_LADDER_PROBE_HEIGHT 360
/* The constant quality (x264 CRF) the probe encodes at. */
#define SF_LADDER_PROBE_CRF 23

struct sf_rung {
	char name[16];      /* "720p" */
	int width, height;
	int bitrate;        /* video, bits per second */
	int level;          /* H.264 level times ten: 30, 31, 40 */
};

struct sf_ladder {
	int n;
	struct sf_rung rungs[SF_LADDER_MAX];
	double factor;      /* 1 for the standard ladder */
};

/* The ladder for a source of width x height (both > 0).  factor scales the
 * bitrates (1 for the standard ladder; clamped as above). */
void sf_ladder_make(int width, int height, double factor, struct sf_ladder *out);

/* The standard bitrate of a rendition height (interpolated between rungs,
 * scaled by pixels below the first). */
int sf_ladder_standard_bitrate(int width, int height);

/* The complexity factor from a probe encode that made bits_per_second at
 * width x height, clamped to [SF_LADDER_MIN_FACTOR, 1]. */
double sf_ladder_factor(double bits_per_second, int width, int height);

/* The RFC 6381 codecs string of a rung: "avc1.4d401e,mp4a.40.2" (without
 * the audio part when audio is 0).  Writes at most size bytes. */
void sf_ladder_codecs(const struct sf_rung *r, int audio, char *buf, int size);

#endif
