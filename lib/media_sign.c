/*
 * media_sign.c - sign and verify media URLs (media_sign.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jwt.h"
#include "media_sign.h"
#include "sign_md5.h"
#include "token.h"
#include "xalloc.h"

int sf_media_secret(char secret[SF_MEDIA_SECRET_LEN + 1])
{
	static const char label[] = "sf media url v1";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	struct sf_jwt_key key;
	int rc = sf_token_secret_load(&key);

	if (rc)
		return rc;
	crypto_auth_hmacsha256_init(&st, key.bytes, key.len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, sizeof(label) - 1);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(secret, SF_MEDIA_SECRET_LEN + 1, mac, sizeof(mac));
	sodium_memzero(&key, sizeof(key));
	sodium_memzero(mac, sizeof(mac));
	return 0;
}

/* base64url(md5(expires "/media/" dir "/" secret)); caller frees. */
static char *digest(const char *secret, const char *dir, long long expires)
{
	char *text = sf_xasprintf("%lld/media/%s/%s", expires, dir, secret);
	unsigned char md[16];
	char *out;

	sf_md5(text, strlen(text), md);
	sodium_memzero(text, strlen(text));
	free(text);
	out = sf_base64url(md, sizeof(md));
	return out;
}

char *sf_media_sign(const char *secret, const char *dir, const char *file,
		    long long expires)
{
	char *md5 = digest(secret, dir, expires);
	char *url = sf_xasprintf("/media/%s/%lld/%s/%s", md5, expires, dir, file);

	free(md5);
	return url;
}

void sf_media_access_release(struct sf_media_access *a)
{
	free(a->dir);
	free(a->file);
	a->dir = a->file = NULL;
}

/* A path segment fit to name a file: not empty, not . or .., no NUL. */
static int good_segment(const char *s, size_t n)
{
	return n > 0 && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static int bad(const char *path)
{
	return sf_error(SF_EFORBIDDEN, "media url '%.200s': bad signature", path);
}

int sf_media_verify(const char *secret, const char *path, long long now,
		    struct sf_media_access *out)
{
	const char *p = path, *md5, *exp, *dir, *file, *s;
	size_t md5_len, dir_len;
	long long expires = 0;
	char *want = NULL, *dirs = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strncmp(p, "/media/", 7))
		return bad(path);
	md5 = p + 7;
	md5_len = strcspn(md5, "/");
	exp = md5 + md5_len;
	if (*exp != '/' || md5_len != 22)
		return bad(path);
	exp++;
	for (s = exp; *s >= '0' && *s <= '9'; s++)
		if (s - exp >= 18)
			return bad(path);
	if (s == exp || *s != '/')
		return bad(path);
	expires = strtoll(exp, NULL, 10);
	dir = s + 1;
	dir_len = strcspn(dir, "/");
	if (!good_segment(dir, dir_len) || dir[dir_len] != '/')
		return bad(path);
	file = dir + dir_len + 1;
	for (s = file; ; ) {
		size_t n = strcspn(s, "/");

		if (!good_segment(s, n))
			return bad(path);
		if (!s[n])
			break;
		s += n + 1;
	}
	dirs = sf_xstrndup(dir, dir_len);
	want = digest(secret, dirs, expires);
	if (strlen(want) != md5_len || sodium_memcmp(want, md5, md5_len) != 0) {
		rc = bad(path);
	} else if (expires < now) {
		out->expired = 1;
		rc = sf_error(SF_EFORBIDDEN, "media url '%.200s': expired", path);
	} else {
		out->dir = dirs;
		out->file = sf_xstrdup(file);
		dirs = NULL;
		rc = 0;
	}
	free(want);
	free(dirs);
	return rc;
}
