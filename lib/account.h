/*
 * account.h - accounts: who may sign in, with which role.
 *
 * An account is named on the command line (and in URLs) by a "ref": its
 * numeric id, its email (anything with an '@'), or its username; all three
 * are matched without regard to case.  Every change is checked against the
 * actor's role, written with its audit entry in one transaction, and
 * leaves nothing behind when it fails.
 */
#ifndef SF_ACCOUNT_H
#define SF_ACCOUNT_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_EMAIL_MAX 254
#define SF_USERNAME_MAX 32

struct sf_account {
	long long id;
	char *email;
	char *username;
	char *role;
	char *status;       /* "active" or "suspended" */
	char *created_at;   /* ISO 8601, UTC */
	char *updated_at;
	char *deleted_at;   /* NULL unless soft-deleted */
};

struct sf_account_new {
	const char *email;
	const char *username;
	const char *password;
	const char *role;   /* NULL: viewer */
};

/* Field checks, exported for the API and for tests. */
int sf_email_check(const char *email);
int sf_username_check(const char *username);

/* Creates an account and its first profile (named after the username).
 * SF_ECONFLICT when the email or username is taken. */
int sf_account_add(struct sf_db *db, const struct sf_actor *actor,
		   const struct sf_account_new *in, struct sf_account *out);

/* Finds an account by ref, deleted ones included. */
int sf_account_get(struct sf_db *db, const char *ref, struct sf_account *out);

struct sf_account_filter {
	const char *role;     /* NULL: any */
	const char *status;   /* "active", "suspended", "deleted", or NULL: not deleted */
	int all;              /* include deleted accounts */
};

/* Lists accounts by id as a JSON array (sf_account_json form). */
int sf_account_list(struct sf_db *db, const struct sf_account_filter *f, json_t **out);

/* Changes email and/or username (NULL leaves a field as it is). */
int sf_account_update(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      const char *email, const char *username, struct sf_account *out);
int sf_account_set_password(struct sf_db *db, const struct sf_actor *actor,
			    const char *ref, const char *password);
int sf_account_set_role(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			const char *role, struct sf_account *out);
/* suspend = 1 suspends, 0 reactivates; the same state again is SF_ECONFLICT. */
int sf_account_set_suspended(struct sf_db *db, const struct sf_actor *actor,
			     const char *ref, int suspend, struct sf_account *out);
/* Soft delete and its undo; the same state again is SF_ECONFLICT. */
int sf_account_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      struct sf_account *out);
int sf_account_restore(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		       struct sf_account *out);
/* Removes the account and everything that belongs to it, for good. */
int sf_account_purge(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		     struct sf_account *out);

/* Checks a password; 1 if it matches an existing, not deleted account. */
int sf_account_check_password(struct sf_db *db, const char *ref, const char *password,
			      int *match);

/* The one JSON form: {id, email, username, role, status, created_at,
 * updated_at, deleted_at}; never the password hash. */
json_t *sf_account_json(const struct sf_account *a);
void sf_account_release(struct sf_account *a);

#endif
