/*
 * route_import.c - catalog import over HTTP (content_manager, admin).
 *
 * The body is {"titles": [...], "continue_on_error": bool, "dry_run":
 * bool} with titles in their one JSON form, exactly what "sf title
 * import" reads from a JSON file, and the rules are title_io.h's: all or
 * nothing by default (the first bad record is the error, its message
 * naming the record as "body:N"), or every good record with
 * continue_on_error.  Bodies are capped (SF_HTTP_BODY_MAX): a larger
 * catalog goes in several requests, each one transaction.
 */
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "route.h"
#include "title_io.h"

static json_t *result_json(const struct sf_title_import_result *r, int dry_run)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:b, s:O}",
			 "records", (json_int_t)r->records, "added", (json_int_t)r->added,
			 "updated", (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged,
			 "failed", (json_int_t)r->failed, "dry_run", dry_run,
			 "errors", r->errors ? r->errors : json_array());
}

int sf_route_import(struct sf_http_req *req, struct sf_http_resp *resp)
{
	static const struct sf_http_field b[] = {
		{ "titles", SF_HTTP_ANY, 1 }, { "continue_on_error", SF_HTTP_BOOL },
		{ "dry_run", SF_HTTP_BOOL }, { NULL },
	};
	const json_t *v[3];
	struct sf_title_import_opts o = { SF_FORMAT_JSONL, "body" };
	struct sf_title_import_result r = { 0 };
	const json_t *t;
	FILE *fp = NULL;
	char *text = NULL, *line;
	size_t size = 0, i;
	int rc = sf_http_fields(req->body, b, v, "body");

	if (!rc && !json_is_array(v[0]))
		rc = sf_error(SF_EINVAL, "body: field 'titles' must be an array of titles");
	if (rc)
		return rc;
	o.continue_on_error = v[1] && json_is_true(v[1]);
	o.dry_run = v[2] && json_is_true(v[2]);
	/* One title a line, so an error's line is the record's number. */
	fp = open_memstream(&text, &size);
	if (!fp)
		return sf_error(SF_EINTERNAL, "import: out of memory");
	json_array_foreach(v[0], i, t) {
		line = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
		fprintf(fp, "%s\n", line ? line : "null");
		free(line);
	}
	fclose(fp);
	if (!size) {   /* no titles: nothing to do */
		free(text);
		return sf_http_reply(resp, 200, result_json(&r, o.dry_run));
	}
	fp = fmemopen(text, size, "r");
	if (!fp) {
		free(text);
		return sf_error(SF_EINTERNAL, "import: out of memory");
	}
	rc = sf_title_import(req->db, &req->actor, fp, &o, &r);
	if (!rc)
		sf_http_reply(resp, 200, result_json(&r, o.dry_run));
	sf_title_import_result_release(&r);
	fclose(fp);
	free(text);
	return rc;
}
