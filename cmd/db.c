/*
 * db.c - "sf db": run and inspect the database.
 *
 * start and stop act on the embedded cluster only; status, migrate, reset
 * and psql work on whichever database sf is pointed at.  These verbs
 * connect by themselves (CMD_DBURL), because "status" must not start
 * anything and "migrate" is what makes a database usable in the first
 * place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster.h"
#include "cmd.h"
#include "db.h"
#include "error.h"
#include "migrate.h"
#include "store.h"
#include "xalloc.h"

static int require_embedded(const struct sf_ctx *ctx, const struct sf_store *st,
			    const char *what)
{
	if (st->mode == SF_STORE_EMBEDDED)
		return 0;
	return sf_error(SF_EINVAL, "db %s: sf only starts and stops its embedded cluster, and "
			"the database is set by %s", what,
			ctx->db_url && *ctx->db_url ? "--db" : "SF_DATABASE_URL");
}

/* Connects to the database, starting the embedded cluster if need be,
 * without migrating. */
static int connect_raw(const struct sf_store *st, struct sf_db **db)
{
	struct sf_cluster c;
	char *ci;
	int rc;

	if (st->mode == SF_STORE_EXTERNAL)
		return sf_db_connect(st->conninfo, db);
	rc = sf_cluster_init(&c);
	if (!rc)
		rc = sf_cluster_start(&c, NULL);
	if (!rc) {
		ci = sf_cluster_conninfo(&c, "sf");
		rc = sf_db_connect(ci, db);
		free(ci);
	}
	sf_cluster_release(&c);
	return rc;
}

static const struct sf_column status_cols[] = {
	{ "DATABASE", "mode" }, { "TARGET", "target" }, { "DIRECTORY", "directory" },
	{ "RUNNING", "running" }, { "PID", "pid" }, { "SERVER", "server_version" },
	{ "MIGRATIONS", "migrations" }, { "PENDING", "pending" },
	{ "CHANGED", "changed" }, { NULL },
};

static int db_status(struct sf_ctx *ctx)
{
	struct sf_migration_set set = { 0 };
	struct sf_store st;
	struct sf_cluster c = { 0 };
	struct sf_db *db = NULL;
	json_t *j = json_object();
	int rc, up = 1, pending = 0;

	sf_store_locate(&st, ctx->db_url);
	json_object_set_new(j, "mode", json_string(st.mode == SF_STORE_EMBEDDED ? "embedded"
						 : "external"));
	if (st.mode == SF_STORE_EMBEDDED) {
		char *ci;

		rc = sf_cluster_init(&c);
		if (rc)
			goto out;
		ci = sf_cluster_conninfo(&c, "sf");
		up = sf_cluster_running(&c);
		json_object_set_new(j, "target", json_string(ci));
		json_object_set_new(j, "directory", json_string(c.datadir));
		json_object_set_new(j, "running", json_boolean(up));
		json_object_set_new(j, "pid", up ? json_integer(sf_cluster_pid(&c)) : json_null());
		if (up && (rc = sf_db_connect(ci, &db)))
			up = 0;
		free(ci);
	} else {
		char *shown = sf_db_conninfo_redacted(st.conninfo);

		json_object_set_new(j, "target", shown ? json_string(shown) : json_null());
		free(shown);
		json_object_set_new(j, "directory", json_null());
		rc = sf_db_connect(st.conninfo, &db);
		up = !rc;
		json_object_set_new(j, "running", json_boolean(up));
		json_object_set_new(j, "pid", json_null());
		if (rc == SF_EINVAL)
			goto out;
	}
	if (db) {
		char ver[32];
		int v = PQserverVersion(sf_db_conn(db));
		struct sf_migration_status *ms = NULL;
		size_t n = 0, applied = 0, changed = 0;

		snprintf(ver, sizeof(ver), "%d.%d", v / 10000, v % 10000);
		json_object_set_new(j, "server_version", json_string(ver));
		rc = sf_migrations_load(&set);
		if (!rc)
			rc = sf_migrate_status(db, &set, &ms, &n);
		for (size_t i = 0; !rc && i < n; i++) {
			if (ms[i].state == SF_MIGRATION_PENDING)
				pending++;
			else
				applied++;
			if (ms[i].state == SF_MIGRATION_CHANGED)
				changed++;
		}
		sf_migration_status_free(ms, n);
		if (rc)
			goto out;
		json_object_set_new(j, "migrations", json_integer((json_int_t)applied));
		json_object_set_new(j, "pending", json_integer(pending));
		json_object_set_new(j, "changed", json_integer((json_int_t)changed));
	} else {
		json_object_set_new(j, "server_version", json_null());
		json_object_set_new(j, "migrations", json_null());
		json_object_set_new(j, "pending", json_null());
		json_object_set_new(j, "changed", json_null());
	}
	sf_print(ctx, j, status_cols);
	/* An external server that cannot be reached is a failure; a stopped
	 * embedded cluster is a normal state (sf starts it on demand). */
	if (st.mode == SF_STORE_EXTERNAL && !up)
		goto out;
	rc = 0;
out:
	json_decref(j);
	sf_db_free(db);
	sf_migrations_release(&set);
	sf_cluster_release(&c);
	sf_store_release(&st);
	return rc;
}

static int db_start(struct sf_ctx *ctx)
{
	struct sf_migration_set set = { 0 };
	struct sf_store st;
	struct sf_cluster c = { 0 };
	struct sf_db *db = NULL;
	int rc, created = 0, applied = 0;
	char *ci = NULL;

	sf_store_locate(&st, ctx->db_url);
	rc = require_embedded(ctx, &st, "start");
	if (!rc)
		rc = sf_cluster_init(&c);
	if (!rc)
		rc = sf_cluster_start(&c, &created);
	if (!rc) {
		ci = sf_cluster_conninfo(&c, "sf");
		rc = sf_db_connect(ci, &db);
	}
	if (!rc)
		rc = sf_migrations_load(&set);
	if (!rc)
		rc = sf_migrate_apply(db, &set, &applied);
	if (!rc)
		printf("database %s in %s (pid %ld)\n", created ? "created and running" : "running",
		       c.datadir, sf_cluster_pid(&c));
	free(ci);
	sf_db_free(db);
	sf_migrations_release(&set);
	sf_cluster_release(&c);
	sf_store_release(&st);
	return rc;
}

static int db_stop(struct sf_ctx *ctx)
{
	struct sf_store st;
	struct sf_cluster c = { 0 };
	int rc, was;

	sf_store_locate(&st, ctx->db_url);
	rc = require_embedded(ctx, &st, "stop");
	if (!rc)
		rc = sf_cluster_init(&c);
	if (!rc) {
		was = sf_cluster_running(&c);
		rc = sf_cluster_stop(&c);
		if (!rc)
			printf("database in %s %s\n", c.datadir, was ? "stopped" : "was not running");
	}
	sf_cluster_release(&c);
	sf_store_release(&st);
	return rc;
}

static const char *state_name(enum sf_migration_state s)
{
	switch (s) {
	case SF_MIGRATION_PENDING: return "pending";
	case SF_MIGRATION_APPLIED: return "applied";
	case SF_MIGRATION_CHANGED: return "changed";
	case SF_MIGRATION_UNKNOWN: return "unknown";
	}
	return "?";
}

static const struct sf_column migration_cols[] = {
	{ "VERSION", "version" }, { "NAME", "name" }, { "STATE", "state" },
	{ "APPLIED", "applied_at" }, { NULL },
};

static int db_migrate(struct sf_ctx *ctx)
{
	struct sf_migration_set set = { 0 };
	struct sf_migration_status *ms = NULL;
	struct sf_store st;
	struct sf_db *db = NULL;
	size_t n = 0;
	int rc, applied = 0;

	sf_store_locate(&st, ctx->db_url);
	rc = sf_migrations_load(&set);
	if (!rc)
		rc = connect_raw(&st, &db);
	if (!rc && !sf_flag(ctx, "status")) {
		rc = sf_migrate_apply(db, &set, &applied);
		if (!rc && !ctx->json && applied)
			printf("applied %d migration%s to %s\n", applied, applied == 1 ? "" : "s",
			       sf_db_target(db));
		else if (!rc && !ctx->json)
			printf("%s is up to date\n", sf_db_target(db));
	}
	if (!rc && (sf_flag(ctx, "status") || ctx->json))
		rc = sf_migrate_status(db, &set, &ms, &n);
	if (!rc && (sf_flag(ctx, "status") || ctx->json)) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "version", json_integer(ms[i].version));
			json_object_set_new(o, "name", json_string(ms[i].name));
			json_object_set_new(o, "state", json_string(state_name(ms[i].state)));
			json_object_set_new(o, "applied_at", ms[i].applied_at
					    ? json_string(ms[i].applied_at) : json_null());
			json_array_append_new(arr, o);
		}
		sf_print(ctx, arr, migration_cols);
		json_decref(arr);
	}
	sf_migration_status_free(ms, n);
	sf_db_free(db);
	sf_migrations_release(&set);
	sf_store_release(&st);
	return rc;
}

static int db_reset(struct sf_ctx *ctx)
{
	struct sf_migration_set set = { 0 };
	struct sf_store st;
	struct sf_cluster c = { 0 };
	struct sf_db *db = NULL;
	bool yes = sf_flag(ctx, "yes");
	int rc, applied = 0;
	char *ci = NULL;

	sf_store_locate(&st, ctx->db_url);
	rc = sf_migrations_load(&set);
	if (!rc)
		rc = connect_raw(&st, &db);
	if (!rc && !yes) {
		char prompt[512];

		snprintf(prompt, sizeof(prompt), "Erase everything in %s?", sf_db_target(db));
		rc = sf_confirm(prompt, "reset the database", &yes);
		if (!rc && !yes)
			rc = sf_error(SF_EINVAL, "reset not confirmed");
	}
	if (rc)
		goto out;
	if (st.mode == SF_STORE_EMBEDDED) {
		sf_db_free(db);
		db = NULL;
		rc = sf_cluster_init(&c);
		if (!rc)
			rc = sf_cluster_recreate_db(&c);
		if (!rc) {
			ci = sf_cluster_conninfo(&c, "sf");
			rc = sf_db_connect(ci, &db);
		}
	} else {
		rc = sf_db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	}
	if (!rc)
		rc = sf_migrate_apply(db, &set, &applied);
	if (!rc)
		printf("reset %s: applied %d migration%s\n", sf_db_target(db), applied,
		       applied == 1 ? "" : "s");
out:
	free(ci);
	sf_db_free(db);
	sf_cluster_release(&c);
	sf_migrations_release(&set);
	sf_store_release(&st);
	return rc;
}

static int db_psql(struct sf_ctx *ctx)
{
	struct sf_store st;
	struct sf_db *db = NULL;
	const char **argv;
	char *ci;
	int rc;

	sf_store_locate(&st, ctx->db_url);
	/* Connecting first starts the embedded cluster and checks the target. */
	rc = connect_raw(&st, &db);
	sf_db_free(db);
	if (rc) {
		sf_store_release(&st);
		return rc;
	}
	if (st.mode == SF_STORE_EMBEDDED) {
		struct sf_cluster c;

		sf_cluster_init(&c);
		ci = sf_cluster_conninfo(&c, "sf");
		sf_cluster_release(&c);
	} else {
		ci = sf_xstrdup(st.conninfo);
	}
	sf_store_release(&st);
	argv = sf_xcalloc((size_t)ctx->argc + 3, sizeof(*argv));
	argv[0] = "psql";
	argv[1] = ci;
	for (int i = 0; i < ctx->argc; i++)
		argv[i + 2] = ctx->argv[i];
	fflush(stdout);
	execvp("psql", (char *const *)argv);
	rc = sf_error(SF_EUNAVAIL, "cannot run psql: %s", "not found (install postgresql-client)");
	free(argv);
	free(ci);
	return rc;
}

static const struct sf_opt migrate_opts[] = {
	{ "status", NULL, "list applied and pending migrations; change nothing" },
	{ NULL },
};

static const struct sf_opt reset_opts[] = {
	{ "yes", NULL, "do not ask for confirmation" },
	{ NULL },
};

const struct sf_command sf_cmd_db = {
	.name = "db",
	.summary = "run and inspect the database",
	.verbs = (const struct sf_verb[]){
		{ "status", NULL, "", "show which database sf uses and its state", db_status,
		  CMD_DBURL | CMD_JSON, NULL, 0, 0 },
		{ "start", NULL, "", "create and start the embedded cluster", db_start, CMD_DBURL,
		  NULL, 0, 0 },
		{ "stop", NULL, "", "stop the embedded cluster", db_stop, CMD_DBURL, NULL, 0, 0 },
		{ "migrate", NULL, "", "apply pending migrations", db_migrate, CMD_DBURL | CMD_JSON,
		  migrate_opts, 0, 0 },
		{ "reset", NULL, "", "erase the database and migrate it afresh", db_reset, CMD_DBURL,
		  reset_opts, 0, 0 },
		{ "psql", NULL, "[-- <psql-argument>...]", "open psql on the database", db_psql,
		  CMD_DBURL, NULL, 0, -1 },
		{ 0 },
	},
};
