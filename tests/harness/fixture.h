/*
 * fixture.h - what the C database tests build their cases from.
 *
 * The domain tests in tests/db/ all check error messages and need
 * accounts, profiles and published titles to act on; these helpers are
 * written once here.  Each one that makes rows acts as the operating-
 * system user and bails out of the test file (exit 1 with "Bail out!")
 * when it fails, as every later check would depend on it.
 */
#ifndef SF_FIXTURE_H
#define SF_FIXTURE_H

struct sf_db;

/* The password of every account the tests add. */
#define TEST_PASSWORD "Secret123"

/* Whether the message of the last error (sf_error_message) contains
 * text. */
int test_error_has(const char *text);

/* Adds an account with TEST_PASSWORD and role (NULL: the default) and so
 * its first profile, named after username.  Returns the account's id. */
long long test_add_account(struct sf_db *db, const char *email, const char *username,
			   const char *role);

/* Adds a profile named name to the account ref account, a kids profile
 * if kids.  Returns the profile's id. */
long long test_add_profile(struct sf_db *db, const char *account, const char *name, int kids);

/* Inserts a published movie called name at maturity level maturity, with
 * the external id "x-NAME", then applies the SQL assignments in extra
 * (such as "regions = '{FR}'"; NULL for none).  name must not need
 * quoting in SQL.  Returns the title's id. */
long long test_add_title(struct sf_db *db, const char *name, int maturity, const char *extra);

/* An id as text, for the ref arguments of the library.  The result lives
 * in one of eight static buffers used in turn: it stays valid for the
 * next seven calls (of one thread; test_ref is not for crowd members). */
const char *test_ref(long long id);

#endif
