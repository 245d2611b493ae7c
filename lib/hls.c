/*
 * hls.c - media playlists and MPEG-TS timestamps for the player (hls.h).
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hls.h"
#include "text.h"
#include "xalloc.h"

char *sf_hls_resolve(const char *base, const char *ref)
{
	const char *scheme_end = strstr(base, "://"), *host_end, *q;
	size_t dir;

	if (strstr(ref, "://"))
		return sf_xstrdup(ref);
	host_end = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
	if (!host_end)
		host_end = base + strlen(base);
	if (ref[0] == '/')
		return sf_xasprintf("%.*s%s", (int)(host_end - base), base, ref);
	q = base + strcspn(base, "?#");           /* the query never carries over */
	for (dir = (size_t)(q - base); dir > (size_t)(host_end - base) && base[dir - 1] != '/';
	     dir--)
		;
	if (dir <= (size_t)(host_end - base))
		return sf_xasprintf("%.*s/%s", (int)(host_end - base), base, ref);
	return sf_xasprintf("%.*s%s", (int)dir, base, ref);
}

void sf_hls_release(struct sf_hls_playlist *p)
{
	for (int i = 0; i < p->count; i++)
		free(p->segments[i].url);
	free(p->segments);
	memset(p, 0, sizeof(*p));
}

int sf_hls_parse(const char *text, size_t len, const char *url, struct sf_hls_playlist *out)
{
	char *copy = sf_xstrndup(text, len), *save = NULL, *line;
	double extinf = -1;
	int n = 0, cap = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	for (line = strtok_r(copy, "\r\n", &save); line && !rc; line = strtok_r(NULL, "\r\n", &save)) {
		n++;
		if (n == 1 && strncmp(line, "#EXTM3U", 7) != 0) {
			rc = sf_error(SF_EINVAL, "playlist '%s': not HLS (no #EXTM3U)",
				      sf_text_quote(url));
		} else if (!strncmp(line, "#EXT-X-STREAM-INF", 17)) {
			rc = sf_error(SF_EINVAL, "playlist '%s': a master playlist, not a media one",
				      sf_text_quote(url));
		} else if (!strncmp(line, "#EXTINF:", 8)) {
			char *end;

			extinf = strtod(line + 8, &end);
			if (end == line + 8 || (*end && *end != ',') || !(extinf >= 0 && extinf < 3600))
				rc = sf_error(SF_EINVAL, "playlist '%s' line %d: bad duration '%s'",
					      sf_text_quote(url), n, sf_text_quote(line + 8));
		} else if (!strcmp(line, "#EXT-X-ENDLIST")) {
			out->ended = 1;
		} else if (line[0] != '#' && line[0]) {
			struct sf_hls_segment *s;

			if (extinf < 0) {
				rc = sf_error(SF_EINVAL, "playlist '%s' line %d: segment '%s' without "
					      "#EXTINF", sf_text_quote(url), n, sf_text_quote(line));
				break;
			}
			if (out->count == cap) {
				cap = cap ? 2 * cap : 64;
				out->segments = sf_xrealloc(out->segments, cap * sizeof(*s));
			}
			s = &out->segments[out->count++];
			s->url = sf_hls_resolve(url, line);
			s->duration = extinf;
			s->start = out->duration;
			out->duration += extinf;
			extinf = -1;
		}
	}
	if (!rc && n == 0)
		rc = sf_error(SF_EINVAL, "playlist '%s': empty", sf_text_quote(url));
	if (!rc && out->count == 0)
		rc = sf_error(SF_EINVAL, "playlist '%s': no segments", sf_text_quote(url));
	free(copy);
	if (rc)
		sf_hls_release(out);
	return rc;
}

int sf_hls_segment_at(const struct sf_hls_playlist *p, double t)
{
	int i;

	for (i = 0; i + 1 < p->count && t >= p->segments[i + 1].start; i++)
		;
	return i;
}

/* MPEG-TS: 188-byte packets; a payload that starts a PES packet
 * (payload_unit_start) begins 00 00 01, stream id, length, flags; PTS
 * when the flags say so, 33 bits in 5 bytes. */
int sf_hls_ts_first_pts(const unsigned char *buf, size_t len, double *seconds)
{
	for (size_t off = 0; off + 188 <= len; off += 188) {
		const unsigned char *p = buf + off, *pl;
		int afc;

		if (p[0] != 0x47 || !(p[1] & 0x40))
			continue;
		afc = (p[3] >> 4) & 3;
		if (!(afc & 1))
			continue;
		pl = p + 4 + ((afc & 2) ? 1 + p[4] : 0);
		if (pl + 14 > p + 188 || pl[0] || pl[1] || pl[2] != 1 || pl[3] < 0xc0)
			continue;
		if (!(pl[7] & 0x80))
			continue;
		{
			unsigned long long pts =
				((unsigned long long)(pl[9] & 0x0e) << 29) | ((unsigned)pl[10] << 22) |
				((unsigned)(pl[11] & 0xfe) << 14) | ((unsigned)pl[12] << 7) |
				(pl[13] >> 1);

			*seconds = pts / 90000.0;
			return 0;
		}
	}
	return sf_error(SF_ENOTFOUND, "no timestamp in the segment");
}
