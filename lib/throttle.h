/*
 * throttle.h - growing delays after failed attempts (logins, PINs).
 *
 * A key names what is throttled: "account:a@example.com" (any case),
 * "address:192.0.2.7", "pin:42", "register:192.0.2.7".  Each key may fail `allowed` times in a row
 * without delay; every failure after that blocks the key for twice as
 * long as the one before (1 s, 2 s, 4 s ... up to 15 minutes).  A success
 * clears the key; failures older than 15 minutes are forgotten.  The
 * counts live in the database, shared by every sf serve instance.
 */
#ifndef SF_THROTTLE_H
#define SF_THROTTLE_H

struct sf_db;

#define SF_THROTTLE_MAX_DELAY 900   /* seconds */
#define SF_THROTTLE_ACCOUNT_FREE 5  /* failed logins per account before delays */
#define SF_THROTTLE_ADDRESS_FREE 20 /* failed logins per client address */
#define SF_THROTTLE_PIN_FREE 5      /* wrong PINs per profile */
#define SF_THROTTLE_REGISTER_FREE 20 /* registrations per client address */

/* 0 if key may try now; SF_ERATELIMIT with *retry_after (seconds, at
 * least 1) and a message saying when, if it is blocked. */
int sf_throttle_check(struct sf_db *db, const char *key, long long *retry_after);

/* Counts a failure of key. */
int sf_throttle_fail(struct sf_db *db, const char *key, int allowed);

/* Forgets key's failures (after a success). */
int sf_throttle_clear(struct sf_db *db, const char *key);

#endif
