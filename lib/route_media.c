/*
 * route_media.c - GET /media/...: the files of ready assets, for players.
 *
 * The path carries its own signature (media_sign.h), so the route needs
 * no token: a tampered or unsigned path is 403, an expired one 410, a
 * file that is not part of a ready asset 404.  The file goes out
 * zero-copy (sendfile) with its type, a strong validator (ETag from its
 * size and modification time, answered 304 on If-None-Match), and single
 * byte ranges ("bytes=a-b", "bytes=a-", "bytes=-n") as 206; a range past
 * the end is 416.  Several ranges in one request are answered with the
 * whole file, which RFC 9110 allows.
 *
 * Segments, posters and thumbnails never change once an asset is ready,
 * so they may be cached for a year; playlists and subtitles are rewritten
 * when subtitles are added, so they are cached for a minute.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "media.h"
#include "route.h"
#include "server_request.h"
#include "text.h"

static const struct {
	const char *ext, *type;
	int immutable;
} types[] = {
	{ ".m3u8", "application/vnd.apple.mpegurl", 0 },
	{ ".ts", "video/mp2t", 1 },
	{ ".vtt", "text/vtt; charset=utf-8", 0 },
	{ ".jpg", "image/jpeg", 1 },
	{ NULL },
};

/* Parses a single range of a size-byte file into [*first, *last].
 * Returns 1 for a range, 0 to send the whole file (no header, several
 * ranges, or a unit other than bytes), -1 when unsatisfiable. */
static int parse_range(const char *h, long long size, long long *first, long long *last)
{
	char *end;
	long long a, b;

	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	h += 6;
	errno = 0;
	if (*h == '-') {                          /* the last n bytes */
		if (h[1] < '0' || h[1] > '9')
			return 0;
		b = strtoll(h + 1, &end, 10);
		if (*end || errno)
			return 0;
		if (b == 0 || size == 0)
			return -1;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 1;
	}
	if (*h < '0' || *h > '9')
		return 0;
	a = strtoll(h, &end, 10);
	if (*end != '-' || errno)
		return 0;
	if (end[1] == 0) {
		b = size - 1;
	} else {
		if (end[1] < '0' || end[1] > '9')
			return 0;
		b = strtoll(end + 1, &end, 10);
		if (*end || errno || b < a)
			return 0;
	}
	if (a >= size)
		return -1;
	*first = a;
	*last = b >= size ? size - 1 : b;
	return 1;
}

static int error_reply(struct sf_http_resp *resp, int status, const char *code)
{
	return sf_http_reply(resp, status, sf_server_error_json(code, sf_error_message()));
}

int sf_route_media(struct sf_http_req *req, struct sf_http_resp *resp)
{
	char *file = NULL, etag[64];
	const char *ext;
	struct stat st;
	long long first = 0, last = 0;
	int expired = 0, fd, rc, ranged, i;

	if (!req->media || !req->media->secret)
		return sf_error(SF_EUNAVAIL, "media: this server has no media secret");
	rc = sf_media_resolve(req->db, req->media->secret, req->path, (long long)time(NULL), &file,
			      &expired);
	if (rc == SF_EFORBIDDEN && expired)
		return error_reply(resp, 410, "gone");
	if (rc)
		return rc;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = sf_error(SF_ENOTFOUND, "media '%s': not found", sf_text_quote(req->path));
		if (fd >= 0)
			close(fd);
		free(file);
		return rc;
	}
	ext = strrchr(file, '.');
	for (i = 0; types[i].ext && !(ext && !strcmp(ext, types[i].ext)); i++)
		;
	free(file);
	resp->content_type = types[i].ext ? types[i].type : "application/octet-stream";
	resp->cache_control = types[i].immutable ? "public, max-age=31536000, immutable"
						 : "public, max-age=60";
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000);
	sf_http_header(resp, "ETag", "%s", etag);
	sf_http_header(resp, "Accept-Ranges", "bytes");
	sf_http_header(resp, "Access-Control-Allow-Origin", "*");
	if (req->if_none_match && (strstr(req->if_none_match, etag) ||
				   !strcmp(req->if_none_match, "*"))) {
		close(fd);
		resp->status = 304;
		return 0;
	}
	ranged = parse_range(req->range, st.st_size, &first, &last);
	if (ranged < 0) {
		close(fd);
		resp->cache_control = NULL;
		sf_http_header(resp, "Content-Range", "bytes */%lld", (long long)st.st_size);
		sf_error(SF_EINVAL, "range '%s': outside the file's %lld bytes",
			 sf_text_quote(req->range), (long long)st.st_size);
		return error_reply(resp, 416, "range_not_satisfiable");
	}
	if (ranged) {
		resp->status = 206;
		sf_http_header(resp, "Content-Range", "bytes %lld-%lld/%lld", first, last,
			       (long long)st.st_size);
	} else {
		first = 0;
		last = st.st_size - 1;
	}
	resp->file = 1;
	resp->fd = fd;
	resp->offset = first;
	resp->length = last - first + 1;
	return 0;
}
