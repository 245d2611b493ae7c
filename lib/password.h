/*
 * password.h - password policy and hashing, and profile PINs.
 *
 * Hashes are argon2id in libsodium's self-describing string form, with
 * libsodium's "interactive" cost (t=2, m=64 MiB), above OWASP's minimum
 * (t=2, m=19 MiB).  Verification reads the cost from the hash, so raising
 * it later keeps old hashes valid.
 */
#ifndef SF_PASSWORD_H
#define SF_PASSWORD_H

#include <sodium.h>

#define SF_PASSWORD_MIN 8
#define SF_PASSWORD_MAX 1024   /* bytes; far beyond any passphrase */
#define SF_HASH_MAX crypto_pwhash_STRBYTES

/* The policy: valid UTF-8 without control characters, at least 8
 * characters (at most 1024 bytes), an upper-case letter and a digit.
 * SF_EINVAL says which rule failed, and never repeats the password. */
int sf_password_check(const char *password);

/* Hashes into out; SF_EINTERNAL if memory for argon2 cannot be had. */
int sf_password_hash(const char *password, char out[SF_HASH_MAX]);

/* 1 if password matches hash, 0 if not (or the hash is malformed). */
int sf_password_verify(const char *hash, const char *password);

/* A PIN is exactly four ASCII digits. */
int sf_pin_check(const char *pin);

#endif
