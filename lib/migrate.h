/*
 * migrate.h - schema migrations.
 *
 * Migrations are the files sql/NNNN_name.sql, compiled into the binary (or
 * read from $SF_MIGRATIONS_DIR when set).  Each is applied in its own
 * transaction and recorded in schema_migrations with a SHA-256 checksum;
 * a whole run holds an advisory lock, so concurrent runs apply each file
 * exactly once.  A file whose checksum no longer matches what was applied
 * is an error naming the file: migrations are never edited once landed.
 */
#ifndef SF_MIGRATE_H
#define SF_MIGRATE_H

#include <stddef.h>

struct sf_db;

struct sf_migration {
	int version;        /* NNNN */
	char *name;         /* "0001_accounts.sql" */
	char *sql;
	char checksum[65];  /* hex SHA-256 of sql */
};

struct sf_migration_set {
	struct sf_migration *items;  /* sorted by version */
	size_t n;
	char *source;                /* "built-in" or the directory */
};

/* Loads the embedded set or $SF_MIGRATIONS_DIR.  A badly named file or a
 * repeated version is SF_EINVAL naming it. */
int sf_migrations_load(struct sf_migration_set *set);
void sf_migrations_release(struct sf_migration_set *set);

enum sf_migration_state {
	SF_MIGRATION_PENDING,
	SF_MIGRATION_APPLIED,
	SF_MIGRATION_CHANGED,   /* applied, but the file differs now */
	SF_MIGRATION_UNKNOWN,   /* applied, but no such file here (a newer sf?) */
};

struct sf_migration_status {
	int version;
	char *name;
	enum sf_migration_state state;
	char *applied_at;       /* NULL when pending */
};

/* Lists every migration known to the set or the database, by version.
 * The caller frees with sf_migration_status_free. */
int sf_migrate_status(struct sf_db *db, const struct sf_migration_set *set,
		      struct sf_migration_status **out, size_t *n);
void sf_migration_status_free(struct sf_migration_status *st, size_t n);

/* Applies the pending migrations in order; *applied gets how many.  Stops
 * at the first failure, whose message names the file. */
int sf_migrate_apply(struct sf_db *db, const struct sf_migration_set *set, int *applied);

/* Counts pending migrations without changing anything; a changed applied
 * file is an error. */
int sf_migrate_pending(struct sf_db *db, const struct sf_migration_set *set, int *pending);

#endif
