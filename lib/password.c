/*
 * password.c - policy checks and argon2id via libsodium.
 */
#include <ctype.h>
#include <string.h>

#include "error.h"
#include "password.h"
#include "text.h"

static int init(void)
{
	if (sodium_init() < 0)
		return sf_error(SF_EINTERNAL, "libsodium failed to initialize");
	return 0;
}

int sf_password_check(const char *pw)
{
	size_t len = strlen(pw);
	int upper = 0, digit = 0;

	if (!sf_utf8_valid(pw, len))
		return sf_error(SF_EINVAL, "password: not valid UTF-8");
	if (len > SF_PASSWORD_MAX)
		return sf_error(SF_EINVAL, "password: longer than %d bytes", SF_PASSWORD_MAX);
	if (sf_utf8_chars(pw) < SF_PASSWORD_MIN)
		return sf_error(SF_EINVAL, "password: shorter than %d characters", SF_PASSWORD_MIN);
	for (const char *p = pw; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return sf_error(SF_EINVAL, "password: contains a control character");
		upper |= isupper((unsigned char)*p) != 0;
		digit |= isdigit((unsigned char)*p) != 0;
	}
	if (!upper)
		return sf_error(SF_EINVAL, "password: needs an upper-case letter");
	if (!digit)
		return sf_error(SF_EINVAL, "password: needs a digit");
	return 0;
}

int sf_password_hash(const char *pw, char out[SF_HASH_MAX])
{
	int rc = init();

	if (rc)
		return rc;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return sf_error(SF_EINTERNAL, "password hashing ran out of memory");
	return 0;
}

int sf_password_verify(const char *hash, const char *pw)
{
	if (init())
		return 0;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int sf_pin_check(const char *pin)
{
	if (strlen(pin) != 4 || strspn(pin, "0123456789") != 4)
		return sf_error(SF_EINVAL, "PIN: must be exactly 4 digits");
	return 0;
}
