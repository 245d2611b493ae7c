/*
 * token_secret.c - the secret that signs access tokens.
 *
 * SF_SECRET wins, so several sf serve instances behind one load balancer
 * can share it.  Otherwise the secret is a file under $SF_HOME made once:
 * 32 random bytes, hex-encoded, mode 0600, written to a temporary name
 * and linked into place, so two servers starting together agree on one.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "home.h"
#include "token.h"
#include "xalloc.h"

#define SECRET_BYTES 32

static int read_file(const char *path, struct sf_jwt_key *key)
{
	char hex[2 * SECRET_BYTES + 2];
	struct stat st;
	size_t n;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno == ENOENT ? 1 : sf_error(SF_EINTERNAL, "secret '%s': %s", path,
						      strerror(errno));
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		rc = sf_error(SF_EINVAL, "secret '%s': readable by others; chmod 600 it", path);
	got = rc ? -1 : read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (rc)
		return rc;
	if (got < 2 * SECRET_BYTES)
		return sf_error(SF_EINVAL, "secret '%s': expected %d hex digits", path,
				2 * SECRET_BYTES);
	hex[got] = 0;
	if (sodium_hex2bin(key->bytes, sizeof(key->bytes), hex, (size_t)got, "\n", &n, NULL) != 0 ||
	    n != SECRET_BYTES)
		return sf_error(SF_EINVAL, "secret '%s': expected %d hex digits", path,
				2 * SECRET_BYTES);
	key->len = n;
	return 0;
}

static int make_file(const char *dir, const char *path)
{
	unsigned char bytes[SECRET_BYTES];
	char hex[2 * SECRET_BYTES + 2];
	char *tmp = sf_xasprintf("%s.%ld.tmp", path, (long)getpid());
	int fd, rc = 0;

	/* 0711 as the embedded cluster makes it: its owner, the postgres user
	 * when sf runs as root, must be able to pass; the file stays 0600. */
	if ((rc = sf_home_mkdirs(dir, 0711)))
		goto out;
	randombytes_buf(bytes, sizeof(bytes));
	sodium_bin2hex(hex, sizeof(hex) - 1, bytes, sizeof(bytes));
	strcat(hex, "\n");
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) || fsync(fd) != 0) {
		rc = sf_error(SF_EINTERNAL, "secret '%s': %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	/* link() fails if another server made the file first: then use theirs. */
	if (link(tmp, path) != 0 && errno != EEXIST)
		rc = sf_error(SF_EINTERNAL, "secret '%s': %s", path, strerror(errno));
	unlink(tmp);
out:
	sodium_memzero(bytes, sizeof(bytes));
	sodium_memzero(hex, sizeof(hex));
	free(tmp);
	return rc;
}

int sf_token_secret_load(struct sf_jwt_key *key)
{
	const char *env = getenv("SF_SECRET");
	char *dir, *path;
	int rc;

	memset(key, 0, sizeof(*key));
	if (sodium_init() < 0)
		return sf_error(SF_EINTERNAL, "libsodium would not initialize");
	if (env && *env) {
		size_t n = strlen(env);

		if (n < SECRET_BYTES || n > sizeof(key->bytes))
			return sf_error(SF_EINVAL, "SF_SECRET: must be %d to %zu bytes long, not %zu",
					SECRET_BYTES, sizeof(key->bytes), n);
		memcpy(key->bytes, env, n);
		key->len = n;
		return 0;
	}
	dir = sf_home_dir();
	path = sf_xasprintf("%s/secret", dir);
	rc = read_file(path, key);
	if (rc == 1) {
		rc = make_file(dir, path);
		if (!rc)
			rc = read_file(path, key);
		if (rc == 1)
			rc = sf_error(SF_EINTERNAL, "secret '%s': vanished", path);
	}
	free(dir);
	free(path);
	return rc;
}
