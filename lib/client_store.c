/*
 * client_store.c - the credentials file of "sf login": which server, as
 * whom, and the token pair.
 *
 * It lives at $XDG_CONFIG_HOME/sf/credentials (~/.config/sf/credentials
 * when XDG_CONFIG_HOME is unset or not absolute, as the XDG spec says),
 * as one JSON object.  The tokens are secrets: the directory is made
 * 0700, the file is written 0600 into a temporary file in the same
 * directory and renamed over the old one, so it is never readable by
 * others and a crash leaves either the old file or the new one.  A file
 * that group or others can read is refused rather than used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "error.h"
#include "text.h"
#include "xalloc.h"

static char *config_dir(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (x && x[0] == '/')
		return sf_xasprintf("%s/sf", x);
	if (!home || !*home)
		return NULL;
	return sf_xasprintf("%s/.config/sf", home);
}

int sf_client_store_path(char **out)
{
	char *dir = config_dir();

	*out = NULL;
	if (!dir)
		return sf_error(SF_EINVAL, "no place for credentials: set HOME or XDG_CONFIG_HOME");
	*out = sf_xasprintf("%s/credentials", dir);
	free(dir);
	return 0;
}

int sf_client_store_load(json_t **out)
{
	char *path = NULL;
	struct stat st;
	json_error_t err;
	int fd = -1, rc = sf_client_store_path(&path);

	*out = NULL;
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = errno == ENOENT ? sf_error(SF_ENOTFOUND, "not logged in: run sf login --server URL")
				     : sf_error(SF_EINTERNAL, "credentials '%s': %s", path,
						strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) || st.st_uid != getuid()) {
		rc = sf_error(SF_EFORBIDDEN, "credentials '%s': readable by others or not yours; "
			      "run sf login again", path);
		goto out;
	}
	*out = json_loadfd(fd, 0, &err);
	if (!*out || !json_is_object(*out) ||
	    !json_is_string(json_object_get(*out, "server"))) {
		json_decref(*out);
		*out = NULL;
		rc = sf_error(SF_EINVAL, "credentials '%s': not sf credentials; run sf login again",
			      path);
	}
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

/* Makes dir and the directories above it that are missing (mode 0700,
 * as the XDG spec asks), like mkdir -p. */
static int make_dir(const char *dir)
{
	char *path = sf_xstrdup(dir), end;
	int rc = 0;

	for (char *p = path + 1; !rc; p++) {
		if (*p && *p != '/')
			continue;
		end = *p;
		*p = 0;
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			rc = sf_error(SF_EINTERNAL, "directory '%s': %s", path, strerror(errno));
		*p = end;
		if (!end)
			break;
	}
	free(path);
	return rc;
}

int sf_client_store_save(const json_t *creds)
{
	char *dir = config_dir(), *path = NULL, *tmp = NULL, *text = NULL;
	size_t len, done = 0;
	int fd = -1, rc;

	if (!dir)
		return sf_error(SF_EINVAL, "no place for credentials: set HOME or XDG_CONFIG_HOME");
	if ((rc = make_dir(dir)))
		goto out;
	path = sf_xasprintf("%s/credentials", dir);
	tmp = sf_xasprintf("%s/.credentials.XXXXXX", dir);
	fd = mkstemp(tmp);   /* mode 0600 */
	if (fd < 0) {
		rc = sf_error(SF_EINTERNAL, "credentials '%s': %s", path, strerror(errno));
		goto out;
	}
	text = json_dumps(creds, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	len = strlen(text);
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = sf_error(SF_EINTERNAL, "credentials '%s': %s", path, strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	if (write(fd, "\n", 1) != 1 || fchmod(fd, 0600) != 0 || fsync(fd) != 0 ||
	    close(fd) != 0) {
		fd = -1;
		rc = sf_error(SF_EINTERNAL, "credentials '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		rc = sf_error(SF_EINTERNAL, "credentials '%s': %s", path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (rc && tmp)
		unlink(tmp);
	if (text)
		memset(text, 0, strlen(text));
	free(text);
	free(tmp);
	free(path);
	free(dir);
	return rc;
}

int sf_client_store_remove(void)
{
	char *path = NULL;
	int rc = sf_client_store_path(&path);

	if (!rc && unlink(path) != 0 && errno != ENOENT)
		rc = sf_error(SF_EINTERNAL, "credentials '%s': %s", path, strerror(errno));
	free(path);
	return rc;
}

/* The saver of a stored client: the new pair replaces the old in the file. */
static int save_pair(void *arg, const char *access, const char *refresh)
{
	json_t *creds = arg;

	json_object_set_new(creds, "access_token", json_string(access));
	json_object_set_new(creds, "refresh_token", json_string(refresh));
	return sf_client_store_save(creds);
}

static void release_creds(void *arg)
{
	json_decref(arg);
}

int sf_client_store_open(struct sf_client **out)
{
	json_t *creds = NULL;
	int rc = sf_client_store_load(&creds);

	*out = NULL;
	if (rc)
		return rc;
	rc = sf_client_open(json_string_value(json_object_get(creds, "server")),
			    json_string_value(json_object_get(creds, "access_token")),
			    json_string_value(json_object_get(creds, "refresh_token")), out);
	if (!rc)
		sf_client_set_saver(*out, save_pair, creds, release_creds);
	else
		json_decref(creds);
	return rc;
}
