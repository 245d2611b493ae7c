/*
 * hls.h - reading what the player needs from HLS: a media playlist's
 * segments, and where an MPEG-TS segment's timestamps start.
 *
 * Only what sf's own encodes (and any VOD playlist of MPEG-TS segments)
 * use: #EXTINF durations and segment URIs, #EXT-X-ENDLIST.  URIs are
 * resolved against the playlist's URL the way players do (RFC 3986 for
 * the cases HLS has: absolute, absolute path, relative), so a signature
 * in the playlist's path carries over to its segments.
 */
#ifndef SF_HLS_H
#define SF_HLS_H

#include <stddef.h>

struct sf_hls_segment {
	char *url;          /* absolute */
	double duration;    /* seconds, from #EXTINF */
	double start;       /* seconds from the start of the playlist */
};

struct sf_hls_playlist {
	struct sf_hls_segment *segments;
	int count;
	double duration;    /* the sum */
	int ended;          /* #EXT-X-ENDLIST: a whole VOD playlist */
};

/* Parses a media playlist fetched from url.  SF_EINVAL naming the line
 * for anything that is not one (a master playlist, a missing #EXTM3U, a
 * bad duration, a segment without #EXTINF). */
int sf_hls_parse(const char *text, size_t len, const char *url, struct sf_hls_playlist *out);
void sf_hls_release(struct sf_hls_playlist *p);

/* ref resolved against base (both URLs); caller frees. */
char *sf_hls_resolve(const char *base, const char *ref);

/* The segment that holds second t (the last one past the end). */
int sf_hls_segment_at(const struct sf_hls_playlist *p, double t);

/* The first presentation timestamp in an MPEG-TS buffer, in seconds
 * (90 kHz clock); 0 when found, SF_ENOTFOUND when none is in it. */
int sf_hls_ts_first_pts(const unsigned char *buf, size_t len, double *seconds);

#endif
