/*
 * route_ops.c - the routes for operators and load balancers: liveness,
 * readiness (the database answers), metrics, and the OpenAPI document.
 */
#include <string.h>

#include "db.h"
#include "route.h"
#include "server_metrics.h"
#include "xalloc.h"

/* api/openapi.json, built into the binary (route_openapi.c). */
extern const char sf_openapi_json[];

int sf_route_healthz(struct sf_http_req *req, struct sf_http_resp *resp)
{
	(void)req;
	return sf_http_reply(resp, 200, json_pack("{s:s}", "status", "ok"));
}

int sf_route_readyz(struct sf_http_req *req, struct sf_http_resp *resp)
{
	int rc = sf_db_query(req->db, NULL, "SELECT 1", SF_NOARGS);

	if (!rc)
		sf_http_reply(resp, 200, json_pack("{s:s, s:s}", "status", "ok",
						   "database", "ok"));
	return rc;
}

int sf_route_metrics(struct sf_http_req *req, struct sf_http_resp *resp)
{
	(void)req;
	resp->status = 200;
	resp->text = sf_metrics_text();
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}

int sf_route_openapi(struct sf_http_req *req, struct sf_http_resp *resp)
{
	(void)req;
	resp->status = 200;
	resp->text = sf_xstrdup(sf_openapi_json);
	resp->content_type = "application/json";
	return 0;
}
