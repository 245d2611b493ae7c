/*
 * audit.c - "sf audit": read the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cmd.h"
#include "error.h"
#include "xalloc.h"

static const struct sf_column cols[] = {
	{ "ID", "id" }, { "AT", "at" }, { "ACTOR", "actor" }, { "ACTION", "action" },
	{ "ENTITY", "entity" }, { "CHANGE", "change" }, { NULL },
};

/* "role=admin status=suspended": the fields that differ between old and
 * new, for the human table; "created" or "removed" for whole objects. */
static char *summarize(const json_t *old, const json_t *new)
{
	const char *key;
	json_t *v;
	char *s;

	if (!json_is_object(old))
		return sf_xstrdup(json_is_object(new) ? "created" : "-");
	if (!json_is_object(new))
		return sf_xstrdup("removed");
	s = sf_xstrdup("");
	json_object_foreach((json_t *)new, key, v) {
		char *val, *next;

		if (!strcmp(key, "updated_at") || json_equal(v, json_object_get(old, key)))
			continue;
		val = json_is_string(v) ? sf_xstrdup(json_string_value(v))
					: json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		next = sf_xasprintf("%s%s%s=%s", s, *s ? " " : "", key, val ? val : "?");
		free(val);
		free(s);
		s = next;
	}
	if (!*s) {
		free(s);
		s = sf_xstrdup("(no field changed)");
	}
	return s;
}

static int audit_list(struct sf_ctx *ctx)
{
	struct sf_audit_filter f = {
		.actor = sf_opt(ctx, "actor"), .entity = sf_opt(ctx, "entity"),
		.since = sf_opt(ctx, "since"), .limit = 50,
	};
	json_t *list = NULL, *row;
	size_t i;
	int rc;

	if ((rc = sf_opt_int(ctx, "limit", 1, 100000, &f.limit)) ||
	    (rc = sf_actor_require(&ctx->actor, SF_PERM_READ_AUDIT)) ||
	    (rc = sf_audit_list(ctx->db, &f, &list)))
		return rc;
	if (!ctx->json) {
		json_array_foreach(list, i, row) {
			char *entity = sf_xasprintf("%s:%s",
				json_string_value(json_object_get(row, "entity_type")),
				json_string_value(json_object_get(row, "entity_id")));
			char *change = summarize(json_object_get(row, "old"),
						 json_object_get(row, "new"));

			json_object_set_new(row, "entity", json_string(entity));
			json_object_set_new(row, "change", json_string(change));
			free(entity);
			free(change);
		}
	}
	sf_print(ctx, list, cols);
	json_decref(list);
	return 0;
}

static const struct sf_opt list_opts[] = {
	{ "actor", "<actor>", "only changes by this actor: an email, or os:USER" },
	{ "entity", "<type[:id]>", "only changes to this kind of object, or this one object" },
	{ "since", "<when>", "only changes since a date (2026-11-01[T10:00Z]) or an age (2h, 7d)" },
	{ "limit", "<n>", "at most this many entries, newest first (default 50)" },
	{ NULL },
};

const struct sf_command sf_cmd_audit = {
	.name = "audit",
	.summary = "read the audit log of administrative changes",
	.verbs = (const struct sf_verb[]){
		{ "list", NULL, "", "list audit entries, newest first", audit_list, CMD_DB | CMD_JSON,
		  list_opts, 0, 0 },
		{ 0 },
	},
};
