/*
 * home.c - resolve and create $SF_HOME.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "home.h"
#include "xalloc.h"

char *sf_home_dir(void)
{
	const char *v = getenv("SF_HOME"), *home;
	struct passwd *pw;

	if (v && *v)
		return sf_xstrdup(v);
	if (geteuid() == 0)
		return sf_xstrdup("/var/lib/sf");
	v = getenv("XDG_DATA_HOME");
	if (v && *v == '/')
		return sf_xasprintf("%s/sf", v);
	home = getenv("HOME");
	if ((!home || !*home) && (pw = getpwuid(getuid())))
		home = pw->pw_dir;
	return sf_xasprintf("%s/.local/share/sf", home && *home ? home : "/tmp");
}

int sf_home_mkdirs(const char *dir, unsigned mode)
{
	char *p = sf_xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = sf_error(SF_EINTERNAL, "cannot create directory '%s': %s", p,
				      strerror(errno));
		*s = '/';
		if (rc)
			goto out;
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		rc = sf_error(SF_EINTERNAL, "cannot create directory '%s': %s", p,
			      strerror(errno));
out:
	free(p);
	return rc;
}
