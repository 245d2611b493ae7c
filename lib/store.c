/*
 * store.c - pick the database and make it ready.
 */
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "db.h"
#include "error.h"
#include "migrate.h"
#include "store.h"
#include "xalloc.h"

void sf_store_locate(struct sf_store *st, const char *db_url)
{
	const char *env = getenv("SF_DATABASE_URL");

	memset(st, 0, sizeof(*st));
	if (db_url && *db_url) {
		st->mode = SF_STORE_EXTERNAL;
		st->conninfo = sf_xstrdup(db_url);
	} else if (env && *env) {
		st->mode = SF_STORE_EXTERNAL;
		st->conninfo = sf_xstrdup(env);
	} else {
		st->mode = SF_STORE_EMBEDDED;
	}
}

void sf_store_release(struct sf_store *st)
{
	free(st->conninfo);
	memset(st, 0, sizeof(*st));
}

static int open_embedded(struct sf_db **out)
{
	struct sf_migration_set set = { 0 };
	struct sf_cluster c;
	char *ci = NULL;
	int rc, applied, pending = 0;

	rc = sf_cluster_init(&c);
	if (!rc)
		rc = sf_cluster_start(&c, NULL);
	if (!rc) {
		ci = sf_cluster_conninfo(&c, "sf");
		rc = sf_db_connect(ci, out);
	}
	if (!rc)
		rc = sf_migrations_load(&set);
	if (!rc)
		rc = sf_migrate_pending(*out, &set, &pending);
	if (!rc && pending)
		rc = sf_migrate_apply(*out, &set, &applied);
	if (rc) {
		sf_db_free(*out);
		*out = NULL;
	}
	sf_migrations_release(&set);
	free(ci);
	sf_cluster_release(&c);
	return rc;
}

static int open_external(const char *conninfo, struct sf_db **out)
{
	struct sf_migration_set set = { 0 };
	int rc, pending = 0;

	rc = sf_db_connect(conninfo, out);
	if (!rc)
		rc = sf_migrations_load(&set);
	if (!rc)
		rc = sf_migrate_pending(*out, &set, &pending);
	if (!rc && pending)
		rc = sf_error(SF_EUNAVAIL, "%s has %d pending migration%s; run 'sf db migrate'",
			      sf_db_target(*out), pending, pending == 1 ? "" : "s");
	if (rc) {
		sf_db_free(*out);
		*out = NULL;
	}
	sf_migrations_release(&set);
	return rc;
}

int sf_store_open(const char *db_url, struct sf_db **out)
{
	struct sf_store st;
	int rc;

	*out = NULL;
	sf_store_locate(&st, db_url);
	rc = st.mode == SF_STORE_EMBEDDED ? open_embedded(out) : open_external(st.conninfo, out);
	sf_store_release(&st);
	return rc;
}
