/*
 * cluster.c - create, start and stop the embedded PostgreSQL cluster.
 *
 * initdb and pg_ctl run as child processes (spawn.c) with their output in
 * $SF_HOME/cluster.log; the server's own log is $SF_HOME/pg/server.log.
 */
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <signal.h>
#include <unistd.h>

#include "cluster.h"
#include "db.h"
#include "error.h"
#include "home.h"
#include "log.h"
#include "spawn.h"
#include "xalloc.h"

#define SUPERUSER "sf"
#define DBNAME "sf"
#define PORT "5432"

static char *find_bindir(void)
{
	const char *v = getenv("SF_PG_BINDIR");
	char buf[4096], *path;
	FILE *p;

	if (v && *v)
		return sf_xstrdup(v);
	if (access("/usr/lib/postgresql/15/bin/initdb", X_OK) == 0)
		return sf_xstrdup("/usr/lib/postgresql/15/bin");
	p = popen("pg_config --bindir 2>/dev/null", "re");
	if (p) {
		if (fgets(buf, sizeof(buf), p)) {
			buf[strcspn(buf, "\n")] = '\0';
			path = sf_xasprintf("%s/initdb", buf);
			if (access(path, X_OK) == 0) {
				free(path);
				pclose(p);
				return sf_xstrdup(buf);
			}
			free(path);
		}
		pclose(p);
	}
	return NULL;
}

int sf_cluster_init(struct sf_cluster *c)
{
	memset(c, 0, sizeof(*c));
	c->home = sf_home_dir();
	c->datadir = sf_xasprintf("%s/pg", c->home);
	c->logfile = sf_xasprintf("%s/cluster.log", c->home);
	c->bindir = find_bindir();
	if (strchr(c->home, '\'') || strchr(c->home, '\\'))
		return sf_error(SF_EINVAL, "SF_HOME '%s': must not contain quotes or backslashes",
				c->home);
	if (strlen(c->datadir) + sizeof("/.s.PGSQL." PORT) > sizeof(((struct sockaddr_un *)0)->sun_path))
		return sf_error(SF_EINVAL, "SF_HOME '%s': too long for a unix socket path "
				"(at most %zu characters)", c->home,
				sizeof(((struct sockaddr_un *)0)->sun_path) - sizeof("/pg/.s.PGSQL." PORT));
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("postgres");

		if (!pw)
			pw = getpwnam("nobody");
		if (!pw)
			return sf_error(SF_EUNAVAIL, "running as root, and there is no unprivileged "
					"'postgres' or 'nobody' user to run the database as");
		c->as_user = 1;
		c->user = sf_xstrdup(pw->pw_name);
		c->uid = pw->pw_uid;
		c->gid = pw->pw_gid;
	}
	return 0;
}

void sf_cluster_release(struct sf_cluster *c)
{
	free(c->home);
	free(c->datadir);
	free(c->logfile);
	free(c->bindir);
	free(c->user);
	memset(c, 0, sizeof(*c));
}

int sf_cluster_exists(const struct sf_cluster *c)
{
	char *f = sf_xasprintf("%s/PG_VERSION", c->datadir);
	int ok = access(f, F_OK) == 0;

	free(f);
	return ok;
}

static void append_quoted(char **s, const char *key, const char *val)
{
	char *old = *s, *q = sf_xmalloc(2 * strlen(val) + 3), *o = q;

	*o++ = '\'';
	for (const char *p = val; *p; p++) {
		if (*p == '\'' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	*s = sf_xasprintf("%s%s%s=%s", old ? old : "", old ? " " : "", key, q);
	free(old);
	free(q);
}

char *sf_cluster_conninfo(const struct sf_cluster *c, const char *dbname)
{
	char *s = NULL;

	append_quoted(&s, "host", c->datadir);
	append_quoted(&s, "port", PORT);
	append_quoted(&s, "user", SUPERUSER);
	append_quoted(&s, "dbname", dbname);
	return s;
}

int sf_cluster_running(const struct sf_cluster *c)
{
	char *ci = sf_cluster_conninfo(c, "postgres");
	PGPing p = PQping(ci);

	free(ci);
	return p == PQPING_OK;
}

long sf_cluster_pid(const struct sf_cluster *c)
{
	char *f = sf_xasprintf("%s/postmaster.pid", c->datadir);
	FILE *fp = fopen(f, "re");
	long pid = 0;

	free(f);
	if (fp) {
		if (fscanf(fp, "%ld", &pid) != 1)
			pid = 0;
		fclose(fp);
	}
	return pid;
}

static int run(struct sf_cluster *c, const char *const *argv)
{
	struct sf_spawn sp = {
		.argv = argv, .as_user = c->as_user, .uid = c->uid, .gid = c->gid,
		.user = c->user,
	};
	int rc;

	sp.log_fd = open(c->logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (sp.log_fd < 0)
		return sf_error(SF_EINTERNAL, "cannot open '%s': %s", c->logfile, strerror(errno));
	rc = sf_spawn_run(&sp, NULL);
	close(sp.log_fd);
	return rc;
}

/* The unprivileged user must be able to walk down to the data directory. */
static int check_reachable(const struct sf_cluster *c)
{
	char *p = sf_xstrdup(c->home);
	int rc = 0;

	for (char *s = p + strlen(p); s > p; ) {
		struct stat st;

		if (stat(p, &st) == 0) {
			int ok = st.st_uid == c->uid ? (st.st_mode & S_IXUSR)
				: st.st_gid == c->gid ? (st.st_mode & S_IXGRP)
				: (st.st_mode & S_IXOTH);
			if (!ok) {
				rc = sf_error(SF_EUNAVAIL, "directory '%s' (mode %04o) is not reachable "
					      "by user '%s', who runs the database; set SF_HOME "
					      "to a directory it can reach", p,
					      (unsigned)(st.st_mode & 07777), c->user);
				break;
			}
		}
		while (s > p && *s != '/')
			s--;
		*s = '\0';
	}
	free(p);
	return rc;
}

/* The last line of the server log that says why it stopped. */
static void server_log_reason(const struct sf_cluster *c, char *buf, size_t size)
{
	char *f = sf_xasprintf("%s/server.log", c->datadir), line[512];
	FILE *fp = fopen(f, "re");

	buf[0] = '\0';
	if (fp) {
		while (fgets(line, sizeof(line), fp))
			if (strstr(line, "FATAL") || strstr(line, "PANIC"))
				snprintf(buf, size, "%.*s", (int)strcspn(line, "\n"), line);
		fclose(fp);
	}
	free(f);
}

static int create(struct sf_cluster *c)
{
	char *initdb = sf_xasprintf("%s/initdb", c->bindir);
	char *conf = NULL;
	const char *argv[] = { initdb, "-D", c->datadir, "-U", SUPERUSER, "-E", "UTF8",
			       "--locale=C.UTF-8", "-A", "trust", NULL };
	FILE *fp;
	int rc;

	if (mkdir(c->datadir, 0700) < 0 && errno != EEXIST) {
		rc = sf_error(SF_EINTERNAL, "cannot create directory '%s': %s", c->datadir,
			      strerror(errno));
		goto out;
	}
	if (c->as_user && chown(c->datadir, c->uid, c->gid) < 0) {
		rc = sf_error(SF_EINTERNAL, "cannot give '%s' to user '%s': %s", c->datadir,
			      c->user, strerror(errno));
		goto out;
	}
	sf_info("creating database cluster in %s", c->datadir);
	rc = run(c, argv);
	if (rc) {
		rc = sf_error(SF_EUNAVAIL, "cannot create a database cluster in '%s'; see '%s'",
			      c->datadir, c->logfile);
		goto out;
	}
	conf = sf_xasprintf("%s/postgresql.conf", c->datadir);
	fp = fopen(conf, "ae");
	if (!fp) {
		rc = sf_error(SF_EINTERNAL, "cannot write '%s': %s", conf, strerror(errno));
		goto out;
	}
	fputs("\n# sf: a private cluster, reachable only through the unix socket\n"
	      "# in this directory (given with -k when sf starts it).\n"
	      "listen_addresses = ''\n"
	      "unix_socket_permissions = 0700\n"
	      "logging_collector = off\n", fp);
	if (fclose(fp) != 0)
		rc = sf_error(SF_EINTERNAL, "cannot write '%s': %s", conf, strerror(errno));
out:
	free(conf);
	free(initdb);
	return rc;
}

static int start(struct sf_cluster *c)
{
	char *pg_ctl = sf_xasprintf("%s/pg_ctl", c->bindir);
	char *log = sf_xasprintf("%s/server.log", c->datadir);
	char *opts = sf_xasprintf("-k '%s'", c->datadir);
	const char *argv[] = { pg_ctl, "-D", c->datadir, "-l", log, "-w", "-t", "60",
			       "-o", opts, "start", NULL };
	char reason[512];
	int rc;

	sf_info("starting database cluster in %s", c->datadir);
	rc = run(c, argv);
	if (rc) {
		server_log_reason(c, reason, sizeof(reason));
		rc = sf_error(SF_EUNAVAIL, "the database in '%s' did not start%s%s; see '%s'",
			      c->datadir, reason[0] ? ": " : "", reason, log);
	}
	free(pg_ctl);
	free(log);
	free(opts);
	return rc;
}

static int ensure_database(struct sf_cluster *c)
{
	char *ci = sf_cluster_conninfo(c, "postgres");
	struct sf_db *db = NULL;
	PGresult *res = NULL;
	int rc;

	rc = sf_db_connect(ci, &db);
	if (rc)
		goto out;
	rc = sf_db_query(db, &res, "SELECT 1 FROM pg_database WHERE datname = $1",
			 SF_ARGS(DBNAME));
	if (!rc && PQntuples(res) == 0)
		rc = sf_db_exec(db, "CREATE DATABASE " DBNAME);
out:
	PQclear(res);
	sf_db_free(db);
	free(ci);
	return rc;
}

static int lock_home(struct sf_cluster *c, int *fd)
{
	char *f;
	int rc;

	rc = sf_home_mkdirs(c->home, c->as_user ? 0711 : 0700);
	if (rc)
		return rc;
	f = sf_xasprintf("%s/lock", c->home);
	*fd = open(f, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0) {
		rc = sf_error(SF_EINTERNAL, "cannot open '%s': %s", f, strerror(errno));
	} else if (flock(*fd, LOCK_EX) < 0) {
		rc = sf_error(SF_EINTERNAL, "cannot lock '%s': %s", f, strerror(errno));
		close(*fd);
		*fd = -1;
	}
	free(f);
	return rc;
}

int sf_cluster_start(struct sf_cluster *c, int *created)
{
	int fd = -1, rc, fresh = 0;

	if (created)
		*created = 0;
	if (sf_cluster_running(c))
		return 0;
	if (!c->bindir)
		return sf_error(SF_EUNAVAIL, "PostgreSQL 15 server programs not found (looked in "
				"/usr/lib/postgresql/15/bin and pg_config --bindir); install "
				"postgresql-15 or set SF_DATABASE_URL");
	if (c->as_user && (rc = check_reachable(c)))
		return rc;
	rc = lock_home(c, &fd);
	if (rc)
		return rc;
	if (sf_cluster_running(c))  /* another sf started it while we waited */
		goto out;
	if (!sf_cluster_exists(c)) {
		rc = create(c);
		if (rc)
			goto out;
		fresh = 1;
	}
	rc = start(c);
	if (!rc)
		rc = ensure_database(c);
	if (!rc && created)
		*created = fresh;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int sf_cluster_stop(struct sf_cluster *c)
{
	char *pg_ctl;
	int fd = -1, rc;

	long pid;

	if (!sf_cluster_exists(c) || !(pid = sf_cluster_pid(c)))
		return 0;
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return 0;  /* a stale pid file: the server is not running */
	if (!c->bindir)
		return sf_error(SF_EUNAVAIL, "PostgreSQL 15 server programs not found");
	rc = lock_home(c, &fd);
	if (rc)
		return rc;
	pg_ctl = sf_xasprintf("%s/pg_ctl", c->bindir);
	{
		const char *argv[] = { pg_ctl, "-D", c->datadir, "-m", "fast", "-w", "-t", "60",
				       "stop", NULL };
		if (sf_cluster_pid(c))
			rc = run(c, argv);
	}
	if (rc)
		rc = sf_error(SF_EUNAVAIL, "the database in '%s' did not stop; see '%s'",
			      c->datadir, c->logfile);
	free(pg_ctl);
	close(fd);
	return rc;
}

int sf_cluster_recreate_db(struct sf_cluster *c)
{
	char *ci = sf_cluster_conninfo(c, "postgres");
	struct sf_db *db = NULL;
	int rc;

	rc = sf_db_connect(ci, &db);
	if (!rc)
		rc = sf_db_exec(db, "DROP DATABASE IF EXISTS " DBNAME " WITH (FORCE)");
	if (!rc)
		rc = sf_db_exec(db, "CREATE DATABASE " DBNAME);
	sf_db_free(db);
	free(ci);
	return rc;
}
