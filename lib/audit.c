/*
 * audit.c - write and query audit_log.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "text.h"
#include "xalloc.h"

int sf_audit_record(struct sf_db *db, const struct sf_actor *actor, const char *action,
		    const char *entity_type, long long entity_id,
		    const json_t *old, const json_t *new)
{
	char id[SF_INT_STR_MAX], actor_id[SF_INT_STR_MAX];
	char *o = old ? sf_json_dump(old) : NULL, *n = new ? sf_json_dump(new) : NULL;
	int rc;

	rc = sf_db_query(db, NULL,
			 "INSERT INTO audit_log (actor, actor_account_id, action, entity_type,"
			 " entity_id, old, new) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			 SF_ARGS(actor->name,
				 actor->account_id ? sf_db_fmt_int(actor_id, actor->account_id) : NULL,
				 action, entity_type, sf_db_fmt_int(id, entity_id), o, n));
	free(o);
	free(n);
	return rc;
}

/* "90m", "2h", "7d", "2w" -> a PostgreSQL interval; NULL if not relative. */
static char *relative(const char *s)
{
	static const struct { char unit; const char *word; } units[] = {
		{ 's', "seconds" }, { 'm', "minutes" }, { 'h', "hours" },
		{ 'd', "days" }, { 'w', "weeks" },
	};
	size_t digits = strspn(s, "0123456789");

	if (digits == 0 || digits > 6 || strlen(s) != digits + 1)
		return NULL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s[digits] == units[i].unit)
			return sf_xasprintf("%.*s %s", (int)digits, s, units[i].word);
	return NULL;
}

/* YYYY-MM-DD, optionally followed by THH:MM[:SS][Z]. */
static int absolute(const char *s)
{
	const char *shape = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (!s[i] || (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-'))
			return 0;
	if (!s[i])
		return 1;
	if (s[i] != 'T' && s[i] != ' ')
		return 0;
	s += i + 1;
	if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':' &&
	      isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])))
		return 0;
	s += 5;
	if (s[0] == ':') {
		if (!(isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])))
			return 0;
		s += 3;
	}
	return !*s || !strcmp(s, "Z");
}

int sf_audit_filter_check(const struct sf_audit_filter *f)
{
	char *rel;

	if (f->since) {
		rel = relative(f->since);
		free(rel);
		if (!rel && !absolute(f->since))
			return sf_error(SF_EINVAL, "--since '%s': not a date (2026-11-01[T10:00:00Z]) "
					"or an age (90m, 2h, 7d, 2w)", sf_text_quote(f->since));
	}
	if (f->entity) {
		const char *colon = strchr(f->entity, ':');
		long long id;

		if (!*f->entity || colon == f->entity ||
		    (colon && !sf_text_parse_id(colon + 1, &id)))
			return sf_error(SF_EINVAL, "--entity '%s': not TYPE or TYPE:ID",
					sf_text_quote(f->entity));
	}
	if (f->limit < 0 || f->limit > 100000)
		return sf_error(SF_EINVAL, "--limit '%lld': not between 1 and 100000", f->limit);
	return 0;
}

int sf_audit_list(struct sf_db *db, const struct sf_audit_filter *f, json_t **out)
{
	char limit[SF_INT_STR_MAX], idbuf[SF_INT_STR_MAX], *rel = NULL, *type = NULL;
	const char *entity_id = NULL, *absol = NULL;
	PGresult *res = NULL;
	json_t *arr;
	int rc;

	*out = NULL;
	rc = sf_audit_filter_check(f);
	if (rc)
		return rc;
	if (f->since && !(rel = relative(f->since)))
		absol = f->since;
	if (f->entity) {
		const char *colon = strchr(f->entity, ':');

		type = colon ? sf_xstrndup(f->entity, (size_t)(colon - f->entity))
			     : sf_xstrdup(f->entity);
		if (colon) {
			long long id;

			/* Stored as written by sf_audit_record: "7", not "007". */
			sf_text_parse_id(colon + 1, &id);
			entity_id = sf_db_fmt_int(idbuf, id);
		}
	}
	rc = sf_db_query(db, &res,
		"SELECT id, sf_iso(at) AS at, actor, action, entity_type, entity_id,"
		" old::text AS old, new::text AS new FROM audit_log"
		" WHERE ($1::text IS NULL OR lower(actor) = lower($1))"
		"   AND ($2::text IS NULL OR entity_type = $2)"
		"   AND ($3::text IS NULL OR entity_id = $3)"
		"   AND ($4::timestamp IS NULL OR at >= ($4::timestamp AT TIME ZONE 'UTC'))"
		"   AND ($5::interval IS NULL OR at >= now() - $5::interval)"
		" ORDER BY id DESC LIMIT $6",
		SF_ARGS(f->actor, type, entity_id, absol, rel,
			sf_db_fmt_int(limit, f->limit ? f->limit : 50)));
	/* The shape was checked above; only the server knows 2026-02-30. */
	if (rc == SF_EINVAL && absol)
		rc = sf_error(SF_EINVAL, "--since '%s': not a valid date or time",
			      sf_text_quote(absol));
	else if (rc == SF_EINVAL && rel)
		rc = sf_error(SF_EINVAL, "--since '%s': too far back", sf_text_quote(f->since));
	if (rc)
		goto out;
	arr = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		const char *old = sf_db_str(res, i, "old"), *new = sf_db_str(res, i, "new");
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(sf_db_int(res, i, "id")));
		json_object_set_new(o, "at", json_string(sf_db_str(res, i, "at")));
		json_object_set_new(o, "actor", json_string(sf_db_str(res, i, "actor")));
		json_object_set_new(o, "action", json_string(sf_db_str(res, i, "action")));
		json_object_set_new(o, "entity_type", json_string(sf_db_str(res, i, "entity_type")));
		json_object_set_new(o, "entity_id", json_string(sf_db_str(res, i, "entity_id")));
		json_object_set_new(o, "old", old ? json_loads(old, JSON_DECODE_ANY, NULL) : json_null());
		json_object_set_new(o, "new", new ? json_loads(new, JSON_DECODE_ANY, NULL) : json_null());
		json_array_append_new(arr, o);
	}
	*out = arr;
out:
	PQclear(res);
	free(rel);
	free(type);
	return rc;
}
