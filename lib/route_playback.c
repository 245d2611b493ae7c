/*
 * route_playback.c - GET /api/v1/playback/{title}: what a player needs to
 * start (playback.h): where to start for the profile, the signed media
 * URLs and the next episode.
 *
 * The URLs are absolute: the server's --media-base when it has one (a
 * CDN or nginx edge serving the same media root), else the origin the
 * client used to reach this server (its Host header).
 */
#include <time.h>

#include "error.h"
#include "playback.h"
#include "route.h"

int sf_route_playback(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = {
		{ "profile", SF_HTTP_STRING }, { "season", SF_HTTP_STRING },
		{ "episode", SF_HTTP_STRING }, { "region", SF_HTTP_STRING }, { NULL },
	};
	const json_t *v[4];
	char profile[32];
	json_t *out = NULL;
	struct sf_playback_query pq;
	int rc = sf_route_viewer_query(req, q, v, profile);

	if (rc)
		return rc;
	if (!req->media || !req->media->secret)
		return sf_error(SF_EUNAVAIL, "media: this server has no media secret");
	pq = (struct sf_playback_query){
		.profile = profile, .title = req->params[0], .season = sf_http_str(v[1]),
		.episode = sf_http_str(v[2]), .region = sf_http_str(v[3]),
		.secret = req->media->secret,
		.base = req->media->base ? req->media->base : req->origin,
		.now = (long long)time(NULL), .ttl = req->media->ttl,
	};
	rc = sf_playback(req->db, &req->actor, &pq, &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}
