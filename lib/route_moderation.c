/*
 * route_moderation.c - the moderators' side of reviews over HTTP: the
 * queue of reported reviews and the decision on one.
 *
 * Both routes need SF_PERM_MODERATE (moderator or admin), checked by the
 * router table; the rules and the audit entries are moderation.h's.
 */
#include <string.h>

#include "error.h"
#include "moderation.h"
#include "review.h"
#include "route.h"
#include "text.h"

int sf_route_moderation_queue(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field q[] = { { "limit", SF_HTTP_STRING }, { NULL } };
	const json_t *v[1];
	long long limit = 0;
	json_t *out = NULL;
	int rc = sf_http_fields(req->query, q, v, "query");

	if (!rc)
		rc = sf_route_int("limit", sf_http_str(v[0]), 1, SF_QUEUE_LIMIT_MAX, &limit);
	if (!rc)
		rc = sf_moderation_queue(req->db, &req->actor, limit, &out);
	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:o}", "items", out));
	return rc;
}

int sf_route_moderation_decide(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field b[] = {
		{ "decision", SF_HTTP_STRING, 1 }, { "reason", SF_HTTP_STRING, 1 }, { NULL },
	};
	const json_t *v[2];
	const char *decision;
	json_t *out = NULL;
	long long id;
	int rc = sf_review_parse_id(req->params[0], &id);

	if (!rc)
		rc = sf_http_fields(req->body, b, v, "body");
	if (rc)
		return rc;
	decision = sf_http_str(v[0]);
	if (strcmp(decision, "approve") && strcmp(decision, "remove"))
		return sf_error(SF_EINVAL, "decision '%s': give approve or remove",
				sf_text_quote(decision));
	rc = sf_moderation_decide(req->db, &req->actor, req->params[0],
				  !strcmp(decision, "approve"), sf_http_str(v[1]), &out);
	if (!rc)
		sf_http_reply(resp, 200, out);
	return rc;
}
