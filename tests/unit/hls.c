/*
 * hls.c - the player's HLS reading without a server: media playlists
 * (durations, URIs resolved against the playlist's signed URL, what is
 * not a media playlist), the segment at a time, and the first timestamp
 * of an MPEG-TS segment.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hls.h"
#include "tap.h"

static const char list[] =
	"#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n"
	"#EXTINF:4.000000,\nseg_00000.ts\n#EXTINF:4.000000,\nseg_00001.ts\r\n"
	"#EXTINF:2.5,\nseg_00002.ts\n#EXT-X-ENDLIST\n";

static void test_parse(void)
{
	struct sf_hls_playlist p;
	const char *url = "http://h:8/media/AbC/1795366187/1-7ac4aed8/v0/index.m3u8?x=1";

	is_int(sf_hls_parse(list, strlen(list), url, &p), 0, "a VOD media playlist parses");
	is_int(p.count, 3, "three segments");
	ok(p.duration == 10.5 && p.segments[2].start == 8 && p.segments[2].duration == 2.5,
	   "durations and starts from #EXTINF");
	is_str(p.segments[1].url, "http://h:8/media/AbC/1795366187/1-7ac4aed8/v0/seg_00001.ts",
	       "a relative URI keeps the signed path, drops the query");
	ok(p.ended, "#EXT-X-ENDLIST is seen");
	is_int(sf_hls_segment_at(&p, 0), 0, "second 0 is in segment 0");
	is_int(sf_hls_segment_at(&p, 4), 1, "second 4 starts segment 1");
	is_int(sf_hls_segment_at(&p, 9.9), 2, "second 9.9 is in the last");
	is_int(sf_hls_segment_at(&p, 99), 2, "past the end: the last");
	sf_hls_release(&p);
}

static void test_bad(void)
{
	struct sf_hls_playlist p;
	static const char *bad[][2] = {
		{ "", "empty" },
		{ "<html>", "no #EXTM3U" },
		{ "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv0/index.m3u8\n", "a master playlist" },
		{ "#EXTM3U\nseg.ts\n", "without #EXTINF" },
		{ "#EXTM3U\n#EXTINF:abc,\nseg.ts\n", "bad duration 'abc,'" },
		{ "#EXTM3U\n#EXTINF:-1,\nseg.ts\n", "bad duration '-1,'" },
		{ "#EXTM3U\n#EXT-X-ENDLIST\n", "no segments" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sf_hls_parse(bad[i][0], strlen(bad[i][0]), "http://h/x.m3u8", &p);

		ok(rc == SF_EINVAL && strstr(sf_error_message(), bad[i][1]),
		   "refused: %s (%s)", bad[i][1], sf_error_message());
	}
}

static void test_resolve(void)
{
	static const char *cases[][3] = {
		{ "http://h/a/b/c.m3u8", "d.ts", "http://h/a/b/d.ts" },
		{ "http://h/a/b/c.m3u8", "/x/d.ts", "http://h/x/d.ts" },
		{ "http://h/a/b/c.m3u8", "https://cdn/e.ts", "https://cdn/e.ts" },
		{ "http://h:80/c.m3u8", "d.ts", "http://h:80/d.ts" },
		{ "http://h", "d.ts", "http://h/d.ts" },
		{ "http://h/a/c.m3u8?sig=1/2", "d.ts", "http://h/a/d.ts" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = sf_hls_resolve(cases[i][0], cases[i][1]);

		is_str(got, cases[i][2], "%s against %s", cases[i][1], cases[i][0]);
		free(got);
	}
}

/* One TS packet starting a PES with PTS pts (90 kHz). */
static void packet(unsigned char *p, unsigned pid, unsigned long long pts)
{
	memset(p, 0xff, 188);
	p[0] = 0x47;
	p[1] = 0x40 | (pid >> 8);
	p[2] = pid & 0xff;
	p[3] = 0x10;
	p[4] = 0, p[5] = 0, p[6] = 1, p[7] = 0xe0, p[8] = 0, p[9] = 0;
	p[10] = 0x80, p[11] = 0x80, p[12] = 5;
	p[13] = 0x21 | ((pts >> 29) & 0x0e);
	p[14] = (pts >> 22) & 0xff;
	p[15] = 0x01 | ((pts >> 14) & 0xfe);
	p[16] = (pts >> 7) & 0xff;
	p[17] = 0x01 | ((pts << 1) & 0xfe);
}

static void test_pts(void)
{
	unsigned char ts[3 * 188];
	double t = 0;

	memset(ts, 0xff, sizeof(ts));
	ts[0] = 0x47, ts[1] = 0x00, ts[2] = 0x00, ts[3] = 0x10;   /* a PAT-like packet */
	packet(ts + 188, 0x100, 126000 + 36 * 90000ULL);
	is_int(sf_hls_ts_first_pts(ts, sizeof(ts), &t), 0, "a PES with a PTS is found");
	ok(t > 37.399 && t < 37.401, "its PTS in seconds (37.4)");
	ts[188] = 0x46;
	is_int(sf_hls_ts_first_pts(ts, sizeof(ts), &t), SF_ENOTFOUND, "none without sync bytes");
}

int main(void)
{
	test_parse();
	test_bad();
	test_resolve();
	test_pts();
	return done_testing();
}
