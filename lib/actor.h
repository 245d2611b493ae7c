/*
 * actor.h - who is making a change, and whether they may.
 *
 * From the shell the actor is the operating-system user ("os:alice"), who
 * already holds the database and so may do anything; "--as EMAIL" makes an
 * account the actor, and then its role decides (role.h).  The HTTP API
 * makes the authenticated account the actor.  Every change in the audit
 * log names its actor.
 */
#ifndef SF_ACTOR_H
#define SF_ACTOR_H

#include "role.h"

struct sf_db;

struct sf_actor {
	char *name;             /* "os:alice", or the account's email */
	long long account_id;   /* 0 for an operating-system user */
	char *role;             /* the account's role; NULL for an OS user */
};

/* The operating-system user running this process. */
void sf_actor_os(struct sf_actor *a);

/* The account ref (id, email or username) as actor; it must exist, not be
 * deleted and not be suspended (SF_ENOTFOUND / SF_EFORBIDDEN). */
int sf_actor_account(struct sf_db *db, const char *ref, struct sf_actor *a);

void sf_actor_release(struct sf_actor *a);

/* 0 if the actor holds perm; else SF_EFORBIDDEN saying who may not do
 * what ("account 'a@example.com' (viewer) may not manage accounts"). */
int sf_actor_require(const struct sf_actor *a, enum sf_perm perm);

#endif
