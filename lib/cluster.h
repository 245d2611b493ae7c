/*
 * cluster.h - the private, embedded PostgreSQL cluster sf runs when no
 * database is configured.
 *
 * The cluster lives in $SF_HOME/pg, listens only on a unix socket in that
 * same directory (no TCP port), and trusts local connections: the
 * directory's permissions are the access control.  PostgreSQL refuses to
 * run as root, so when sf runs as root the cluster runs as an unprivileged
 * system user ("postgres", or "nobody" where there is none).  Starting is
 * idempotent and serialized by a lock file, so any number of sf processes
 * may ask for the cluster at once.
 */
#ifndef SF_CLUSTER_H
#define SF_CLUSTER_H

#include <sys/types.h>

struct sf_cluster {
	char *home;      /* $SF_HOME */
	char *datadir;   /* $SF_HOME/pg: data directory and socket directory */
	char *logfile;   /* $SF_HOME/cluster.log: what initdb and pg_ctl said */
	char *bindir;    /* where initdb, pg_ctl and postgres are */
	int as_user;     /* run PostgreSQL as user/uid/gid below */
	char *user;
	uid_t uid;
	gid_t gid;
};

/* Resolves the paths and the user; touches nothing on disk. */
int sf_cluster_init(struct sf_cluster *c);
void sf_cluster_release(struct sf_cluster *c);

int sf_cluster_exists(const struct sf_cluster *c);   /* initialized? */
int sf_cluster_running(const struct sf_cluster *c);  /* accepting connections? */
long sf_cluster_pid(const struct sf_cluster *c);      /* postmaster pid or 0 */

/* Creates the cluster if there is none, starts it if it is not running,
 * and makes sure database "sf" exists.  Sets *created when it initialized
 * a new cluster.  Errors name the directory and point to the log. */
int sf_cluster_start(struct sf_cluster *c, int *created);

/* Stops a running cluster (fast shutdown); stopping a stopped one is 0. */
int sf_cluster_stop(struct sf_cluster *c);

/* Drops and recreates database "sf" (the cluster must be running). */
int sf_cluster_recreate_db(struct sf_cluster *c);

/* A libpq connection string for dbname in this cluster; caller frees. */
char *sf_cluster_conninfo(const struct sf_cluster *c, const char *dbname);

#endif
