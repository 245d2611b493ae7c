/*
 * audit.h - the audit log of administrative changes.
 *
 * A change and its audit entry are written in the same transaction, so
 * the log never claims a change that did not happen, nor misses one that
 * did.
 */
#ifndef SF_AUDIT_H
#define SF_AUDIT_H

#include <jansson.h>
#include <stddef.h>

struct sf_db;
struct sf_actor;

/* Records action on entity (type and id) with the object before and
 * after (either may be NULL).  Call inside the change's transaction.
 * Does not take ownership of old or new. */
int sf_audit_record(struct sf_db *db, const struct sf_actor *actor, const char *action,
		    const char *entity_type, long long entity_id,
		    const json_t *old, const json_t *new);

struct sf_audit_filter {
	const char *actor;    /* "os:alice" or an email, any case; NULL: all */
	const char *entity;   /* "account" or "account:7"; NULL: all */
	const char *since;    /* "2026-11-01", "2026-11-01T10:00:00Z" (UTC either way),
			       * or an age: "90m", "2h", "7d", "2w" */
	long long limit;      /* newest first; 0 means 50 */
};

/* Checks the filter's values; SF_EINVAL naming a bad one. */
int sf_audit_filter_check(const struct sf_audit_filter *f);

/* Lists matching entries newest first as a JSON array of objects
 * {id, at, actor, action, entity_type, entity_id, old, new}; caller
 * json_decref()s it. */
int sf_audit_list(struct sf_db *db, const struct sf_audit_filter *f, json_t **out);

#endif
