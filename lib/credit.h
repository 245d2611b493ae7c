/*
 * credit.h - who made a title: its cast, directors and writers.
 *
 * A credit is {name, role, character, order} in the title's JSON form:
 * a person (by name; people are made as they are first credited), a role
 * (cast, director or writer), the character played (cast only) and the
 * billing order within the role.  A person holds each role on a title at
 * most once.
 *
 * Each change is a change of its title (title_version.h): a new version
 * and an audit entry (credit.add, credit.remove); each returns the title
 * after the change.
 */
#ifndef SF_CREDIT_H
#define SF_CREDIT_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

/* credit: {name, role, character?, order?}; without an order, the credit
 * comes after the others of its role.  The same person in the same role
 * again is SF_ECONFLICT. */
int sf_credit_add(struct sf_db *db, const struct sf_actor *actor, const char *title,
		  const json_t *credit, json_t **out);

/* Removes the person's credit in role, or every credit of the person on
 * the title when role is NULL; the name matches in any case.  None is
 * SF_ENOTFOUND.  *out is the title before the change, with what went. */
int sf_credit_remove(struct sf_db *db, const struct sf_actor *actor, const char *title,
		     const char *name, const char *role, json_t **out);

#endif
