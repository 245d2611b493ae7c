/*
 * profile.h - profiles: the people who watch under one account.
 *
 * An account has one to five profiles, each with a name unique within the
 * account (any case), a maturity limit on the ladder of maturity.h, a kids
 * flag (kids profiles are capped at PG/TV-PG), a language (BCP 47 such as
 * "en" or "pt-BR") and an optional four-digit PIN, stored hashed.
 *
 * A profile is named by a "ref": its numeric id, or ACCOUNT/NAME where
 * ACCOUNT is an account ref (account.h), e.g. "a@example.com/Kids".
 *
 * list_on_finish says what happens to a title in the profile's My List
 * when the profile finishes watching it (list.h): "keep" (the default),
 * "remove", or "watched" (moved to the list's watched section).
 */
#ifndef SF_PROFILE_H
#define SF_PROFILE_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_PROFILES_MAX 5
#define SF_PROFILE_NAME_MAX 50

struct sf_profile {
	long long id;
	long long account_id;
	char *name;
	int maturity;       /* ladder level */
	int kids;
	char *language;
	int has_pin;
	char *created_at;
	char *updated_at;
	char *list_on_finish;   /* "keep", "remove" or "watched" */
};

/* What to set; NULL / -1 leave a field as it is (add uses defaults:
 * maturity NC-17, or PG for kids; language "en"; no PIN). */
struct sf_profile_change {
	const char *name;
	const char *maturity;   /* a rating name, e.g. "PG-13" */
	int kids;               /* 0, 1, or -1 */
	const char *language;
	const char *pin;        /* four digits */
	int clear_pin;
	const char *list_on_finish;  /* one of sf_profile_on_finish */
};
#define SF_PROFILE_CHANGE_INIT { NULL, NULL, -1, NULL, NULL, 0, NULL }

/* The values of list_on_finish, NULL-terminated. */
extern const char *const sf_profile_on_finish[];

/* Normalizes a language tag ("PT-br" -> "pt-BR") into out (16 bytes);
 * SF_EINVAL naming the value if it is not language[-REGION]. */
int sf_language_check(const char *tag, char out[16]);

int sf_profile_add(struct sf_db *db, const struct sf_actor *actor, const char *account_ref,
		   const struct sf_profile_change *in, struct sf_profile *out);
int sf_profile_get(struct sf_db *db, const char *ref, struct sf_profile *out);
/* The account's profiles by id as a JSON array (sf_profile_json form). */
int sf_profile_list(struct sf_db *db, const struct sf_actor *actor, const char *account_ref,
		    json_t **out);
int sf_profile_update(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      const struct sf_profile_change *in, struct sf_profile *out);
/* Deleting an account's only profile is SF_ECONFLICT. */
int sf_profile_delete(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		      struct sf_profile *out);
/* *match = 1 if the profile has no PIN or pin matches it. */
int sf_profile_check_pin(struct sf_db *db, const char *ref, const char *pin, int *match);

/* {id, account_id, name, maturity, maturity_level, kids, language,
 *  has_pin, list_on_finish, created_at, updated_at}; never the PIN hash. */
json_t *sf_profile_json(const struct sf_profile *p);
void sf_profile_release(struct sf_profile *p);

#endif
