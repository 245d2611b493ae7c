/*
 * migrate.c - schema migrations against a real PostgreSQL.  Small
 * migration files of our own are written to a temporary directory named
 * by SF_MIGRATIONS_DIR and applied to fresh, empty databases made for the
 * purpose (from template0, dropped at the end): pending counts, the order
 * of application, a second run that applies nothing, a failing migration
 * that leaves no trace and names its file, an applied file that changed
 * (refused, naming it), bad file names and repeated numbers, the states
 * that status reports, and several processes migrating one database at
 * once (each file applied exactly once).  Last, the built-in set is
 * checked against sql/ and the template database the tests clone from
 * must be fully migrated.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "error.h"
#include "fixture.h"
#include "migrate.h"
#include "tap.h"
#include "testdb.h"
#include "xalloc.h"

static char root[256];

/* ---- files ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	fp = fopen(path, "w");
	if (!fp || fputs(text, fp) < 0 || fclose(fp)) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	unlink(path);
}

static int rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Loads the set in root/dir. */
static int load(const char *dir, struct sf_migration_set *set)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	setenv("SF_MIGRATIONS_DIR", path, 1);
	return sf_migrations_load(set);
}

/* ---- fresh databases ---- */

#define FRESH_MAX 4

static struct {
	char name[64];
	char *conninfo;
} fresh[FRESH_MAX];
static int nfresh;

static void admin(const char *sql)
{
	char *ci = sf_xasprintf("host='%s' user=sf dbname=postgres", getenv("SF_TEST_PGHOST"));
	struct sf_db *db = NULL;

	if (!getenv("SF_TEST_PGHOST") || sf_db_connect(ci, &db) || sf_db_exec(db, sql)) {
		printf("Bail out! %s: %s\n", sql, sf_error_message());
		exit(1);
	}
	sf_db_free(db);
	free(ci);
}

/* An empty database of our own (no schema_migrations, no tables). */
static struct sf_db *fresh_db(const char *tag, const char **conninfo)
{
	struct sf_db *db = NULL;
	char sql[512];
	int i = nfresh++;

	snprintf(fresh[i].name, sizeof(fresh[i].name), "t_migrate_%s_%d", tag, (int)getpid());
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0", fresh[i].name);
	admin(sql);
	fresh[i].conninfo = sf_xasprintf("host='%s' user=sf dbname=%s", getenv("SF_TEST_PGHOST"),
					 fresh[i].name);
	if (sf_db_connect(fresh[i].conninfo, &db)) {
		printf("Bail out! %s\n", sf_error_message());
		exit(1);
	}
	if (conninfo)
		*conninfo = fresh[i].conninfo;
	return db;
}

static void drop_fresh(void)
{
	char sql[512];

	for (int i = 0; i < nfresh; i++) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", fresh[i].name);
		admin(sql);
		free(fresh[i].conninfo);
	}
}

static int exists(struct sf_db *db, const char *table)
{
	return test_db_countf(db, "SELECT count(*) FROM pg_class WHERE relname = '%s'"
			      " AND relnamespace = 'public'::regnamespace", table) > 0;
}

/* "1,2,10": the versions in trace, in the order they were inserted. */
static const char *trace(struct sf_db *db)
{
	static char buf[256];
	PGresult *res = NULL;

	buf[0] = '\0';
	if (sf_db_query(db, &res, "SELECT string_agg(version::text, ',' ORDER BY n) AS v"
			" FROM trace", SF_NOARGS) == 0 && sf_db_str(res, 0, "v"))
		snprintf(buf, sizeof(buf), "%s", sf_db_str(res, 0, "v"));
	PQclear(res);
	return buf;
}

/* "1:applied,2:pending,...": what status says, in order. */
static const char *status(struct sf_db *db, const struct sf_migration_set *set, int *dated)
{
	static const char *names[] = { "pending", "applied", "changed", "unknown" };
	static char buf[512];
	struct sf_migration_status *st = NULL;
	size_t n = 0;

	buf[0] = '\0';
	*dated = 1;
	if (sf_migrate_status(db, set, &st, &n)) {
		snprintf(buf, sizeof(buf), "ERROR: %s", sf_error_message());
		return buf;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(buf);

		snprintf(buf + len, sizeof(buf) - len, "%s%d:%s", i ? "," : "", st[i].version,
			 names[st[i].state]);
		/* applied_at is set exactly when the file was applied. */
		if ((st[i].state == SF_MIGRATION_PENDING) != (st[i].applied_at == NULL))
			*dated = 0;
	}
	sf_migration_status_free(st, n);
	return buf;
}

/* ---- the set ---- */

#define M1 "CREATE TABLE trace (n serial PRIMARY KEY, version int NOT NULL);\n" \
	   "INSERT INTO trace (version) VALUES (1);\n"
#define M2 "CREATE TABLE things (id int);\nINSERT INTO trace (version) VALUES (2);\n"
#define M10 "ALTER TABLE things ADD COLUMN name text;\nINSERT INTO trace (version) VALUES (10);\n"

static void loading(void)
{
	struct sf_migration_set set;
	char dir[512];
	int sorted = 1;

	/* Written newest first, so the directory's order is not the answer. */
	write_file("a", "0010_more_things.sql", M10);
	write_file("a", "0002_things.sql", M2);
	write_file("a", "0001_trace.sql", M1);
	write_file("a", "README.md", "not a migration\n");
	write_file("a", ".0003_hidden.sql", "SELECT 1/0;\n");

	is_int(load("a", &set), 0, "load: a directory of migrations loads");
	is_int((long long)set.n, 3, "load: ...its three .sql files, ignoring other and hidden files");
	snprintf(dir, sizeof(dir), "%s/a", root);
	is_str(set.source, dir, "load: the source is the directory");
	for (size_t i = 1; i < set.n; i++)
		sorted &= set.items[i - 1].version < set.items[i].version;
	ok(sorted && set.n == 3 && set.items[0].version == 1 && set.items[1].version == 2 &&
	   set.items[2].version == 10, "load: sorted by number (1, 2, 10)");
	is_str(set.n ? set.items[2].name : NULL, "0010_more_things.sql", "load: each keeps its file name");
	is_str(set.n ? set.items[1].sql : NULL, M2, "load: ...and its SQL");
	ok(set.n && strlen(set.items[0].checksum) == 64 &&
	   strspn(set.items[0].checksum, "0123456789abcdef") == 64,
	   "load: ...and a hex SHA-256 checksum");
	sf_migrations_release(&set);
	ok(set.items == NULL && set.n == 0 && set.source == NULL, "release: empties the set");
}

static void bad_names(void)
{
	static const struct { const char *file, *why; } bad[] = {
		{ "1_short.sql", "a number of one digit" },
		{ "00001_long.sql", "a number of five digits" },
		{ "0001-dash.sql", "a dash for the underscore" },
		{ "0001_Upper.sql", "upper case in the name" },
		{ "0001_sp ace.sql", "a space in the name" },
		{ "0001_.sql", "an empty name" },
		{ "0000_zero.sql", "number 0000" },
		{ "abcd_letters.sql", "letters for the number" },
		{ "0001_backup.sql.orig", "an editor's backup of a migration" },
	};
	struct sf_migration_set set;
	char dir[32], missing[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(dir, sizeof(dir), "bad%zu", i);
		write_file(dir, "0001_fine.sql", "SELECT 1;\n");
		write_file(dir, bad[i].file, "SELECT 1;\n");
		is_int(load(dir, &set), SF_EINVAL, "bad name: %s ('%s') is rejected", bad[i].why,
		       bad[i].file);
		ok(test_error_has(bad[i].file) && test_error_has("NNNN_name.sql"), "bad name: ...naming the file (%s)",
		   sf_error_message());
		ok(set.n == 0 && set.items == NULL, "bad name: ...and no set is returned");
	}

	write_file("dup", "0003_one.sql", "SELECT 1;\n");
	write_file("dup", "0003_two.sql", "SELECT 2;\n");
	is_int(load("dup", &set), SF_EINVAL, "duplicate: two files with one number are rejected");
	ok(test_error_has("0003_one.sql") && test_error_has("0003_two.sql") && test_error_has("same number"),
	   "duplicate: ...naming both (%s)", sf_error_message());
	ok(set.n == 0 && set.items == NULL, "duplicate: ...and no set is returned");

	snprintf(missing, sizeof(missing), "%s/no-such-dir", root);
	setenv("SF_MIGRATIONS_DIR", missing, 1);
	is_int(sf_migrations_load(&set), SF_EINVAL, "a missing SF_MIGRATIONS_DIR is rejected");
	ok(test_error_has("no-such-dir"), "...naming it (%s)", sf_error_message());

	write_file("empty", "README", "nothing here\n");
	ok(!load("empty", &set) && set.n == 0, "an empty directory is an empty set");
	sf_migrations_release(&set);
}

/* ---- applying ---- */

static void apply_in_order(void)
{
	struct sf_migration_set set;
	struct sf_db *db = fresh_db("apply", NULL);
	int pending = -1, applied = -1, dated;

	load("a", &set);
	is_int(sf_migrate_pending(db, &set, &pending), 0, "pending: works on an empty database");
	is_int(pending, 3, "pending: ...all three files are pending");
	ok(!exists(db, "schema_migrations"), "pending: ...and nothing was created");
	is_str(status(db, &set, &dated), "1:pending,2:pending,10:pending",
	       "status: all pending on an empty database");
	ok(dated, "status: ...with no applied_at");

	is_int(sf_migrate_apply(db, &set, &applied), 0, "apply: succeeds");
	is_int(applied, 3, "apply: ...applying three");
	is_str(trace(db), "1,2,10", "apply: ...in order of their numbers (1, 2, 10)");
	is_int(test_db_countf(db, "SELECT count(*) FROM schema_migrations"), 3,
	       "apply: each is recorded in schema_migrations");
	is_int(test_db_countf(db, "SELECT count(*) FROM schema_migrations WHERE version = 10"
			      " AND name = '0010_more_things.sql' AND checksum = '%s'", set.items[2].checksum), 1,
	       "apply: ...with its name and checksum");
	ok(exists(db, "things") && test_db_countf(db, "SELECT count(*)"
						  " FROM information_schema.columns"
						  " WHERE table_name = 'things' AND column_name = 'name'") == 1,
	   "apply: ...and its effect");
	ok(!sf_migrate_pending(db, &set, &pending) && pending == 0, "pending: none after applying");
	is_str(status(db, &set, &dated), "1:applied,2:applied,10:applied", "status: all applied");
	ok(dated, "status: ...each with its applied_at");

	applied = -1;
	is_int(sf_migrate_apply(db, &set, &applied), 0, "apply again: succeeds");
	is_int(applied, 0, "apply again: ...applying nothing");
	is_str(trace(db), "1,2,10", "apply again: ...and running no file a second time");
	sf_migrations_release(&set);

	/* A failing migration, and one after it. */
	write_file("a", "0011_fails.sql", "CREATE TABLE doomed (x int);\n"
		   "INSERT INTO doomed VALUES (1);\nINSERT INTO trace (version) VALUES (11);\n"
		   "SELECT 1 / 0;\n");
	write_file("a", "0012_after.sql", "CREATE TABLE after_fail (x int);\n"
		   "INSERT INTO trace (version) VALUES (12);\n");
	load("a", &set);
	applied = -1;
	ok(sf_migrate_apply(db, &set, &applied) != 0, "failure: a migration that fails fails the run");
	ok(test_error_has("migration '0011_fails.sql'") && test_error_has("division by zero"),
	   "failure: ...naming the file and the reason (%s)", sf_error_message());
	is_int(applied, 0, "failure: ...applying nothing");
	ok(!exists(db, "doomed"), "failure: the failed migration's table is not there");
	is_str(trace(db), "1,2,10", "failure: ...nor its rows");
	is_int(test_db_countf(db, "SELECT count(*) FROM schema_migrations WHERE version >= 11"), 0,
	       "failure: ...nor is it recorded");
	ok(!exists(db, "after_fail"), "failure: the migrations after it are not applied");
	is_int(PQtransactionStatus(sf_db_conn(db)), PQTRANS_IDLE,
	       "failure: the connection is left outside any transaction");
	ok(!sf_migrate_pending(db, &set, &pending) && pending == 2, "failure: both are still pending");
	sf_migrations_release(&set);

	write_file("a", "0011_fails.sql", "CREATE TABLE doomed (x int);\nSELEC 1;\n");
	load("a", &set);
	ok(sf_migrate_apply(db, &set, &applied) != 0 && test_error_has("migration '0011_fails.sql'") &&
	   test_error_has("syntax error"), "failure: a syntax error names the file too (%s)", sf_error_message());
	sf_migrations_release(&set);

	/* A failed migration was never applied, so it may be fixed in place. */
	write_file("a", "0011_fails.sql", "CREATE TABLE doomed (x int);\n"
		   "INSERT INTO trace (version) VALUES (11);\n");
	load("a", &set);
	ok(!sf_migrate_apply(db, &set, &applied) && applied == 2,
	   "failure: once fixed, it and the ones after it apply");
	is_str(trace(db), "1,2,10,11,12", "failure: ...in order");
	sf_migrations_release(&set);

	/* An applied file that changed. */
	write_file("a", "0002_things.sql", M2 "-- an innocent-looking comment\n");
	write_file("a", "0013_new.sql", "CREATE TABLE newer (x int);\n");
	load("a", &set);
	is_int(sf_migrate_pending(db, &set, &pending), SF_ECONFLICT,
	       "changed: pending refuses an applied file that changed");
	ok(test_error_has("migration '0002_things.sql' was changed after it was applied"),
	   "changed: ...naming it (%s)", sf_error_message());
	applied = -1;
	is_int(sf_migrate_apply(db, &set, &applied), SF_ECONFLICT, "changed: apply refuses it too");
	ok(test_error_has("'0002_things.sql'"), "changed: ...naming it (%s)", sf_error_message());
	ok(applied == 0 && !exists(db, "newer"), "changed: ...and applies nothing, not even new files");
	is_str(status(db, &set, &dated), "1:applied,2:changed,10:applied,11:applied,12:applied,"
	       "13:pending", "status: shows the changed file as changed");
	sf_migrations_release(&set);

	write_file("a", "0002_things.sql", M2);
	load("a", &set);
	ok(!sf_migrate_pending(db, &set, &pending) && pending == 1,
	   "changed: with the file restored, only the new file is pending");
	sf_migrations_release(&set);

	/* An applied file that is gone (a newer sf migrated this database). */
	remove_file("a", "0001_trace.sql");
	load("a", &set);
	is_str(status(db, &set, &dated), "1:unknown,2:applied,10:applied,11:applied,12:applied,"
	       "13:pending", "status: an applied migration with no file is unknown");
	ok(dated, "status: ...and still has its applied_at");
	{
		struct sf_migration_status *st = NULL;
		size_t n = 0;

		sf_migrate_status(db, &set, &st, &n);
		is_str(n ? st[0].name : NULL, "0001_trace.sql", "status: ...and its recorded name");
		sf_migration_status_free(st, n);
	}
	ok(!sf_migrate_pending(db, &set, &pending) && pending == 1,
	   "status: an unknown migration does not stop pending");
	ok(!sf_migrate_apply(db, &set, &applied) && applied == 1 && exists(db, "newer"),
	   "status: ...nor apply");
	sf_migrations_release(&set);
	write_file("a", "0001_trace.sql", M1);
	sf_db_free(db);
}

/* ---- several processes at once ---- */

#define RACERS 4

static void concurrent_apply(void)
{
	struct sf_migration_set set;
	const char *conninfo;
	struct sf_db *db = fresh_db("race", &conninfo);
	pid_t pid[RACERS];
	int go[2], total = 0, failed = 0;

	write_file("race", "0001_effects.sql", "CREATE TABLE effects (id serial, note text);\n");
	write_file("race", "0002_slow_effect.sql", "SELECT pg_sleep(0.3);\n"
		   "INSERT INTO effects (note) VALUES ('second');\n");
	write_file("race", "0003_effect.sql", "INSERT INTO effects (note) VALUES ('third');\n");
	if (load("race", &set) || pipe(go)) {
		printf("Bail out! %s\n", sf_error_message());
		exit(1);
	}
	fflush(stdout);
	for (int i = 0; i < RACERS; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			struct sf_db *mine = NULL;
			int applied = 0, rc;
			char c;

			close(go[1]);
			rc = sf_db_connect(conninfo, &mine);
			if (read(go[0], &c, 1) < 0)
				rc = -1;
			if (!rc)
				rc = sf_migrate_apply(mine, &set, &applied);
			if (rc)
				fprintf(stderr, "racer %d: %s\n", i, sf_error_message());
			/* _exit: no atexit handlers, no leak check of the parent's memory. */
			_exit(rc ? 100 : applied);
		}
	}
	close(go[0]);
	close(go[1]);  /* every racer starts now */
	for (int i = 0; i < RACERS; i++) {
		int st = 0;

		waitpid(pid[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) >= 100)
			failed++;
		else
			total += WEXITSTATUS(st);
	}
	is_int(failed, 0, "concurrency: %d processes migrating one database at once all succeed",
	       RACERS);
	is_int(total, 3, "concurrency: ...applying three migrations between them");
	is_int(test_db_countf(db, "SELECT count(*) FROM schema_migrations"), 3,
	       "concurrency: each migration is recorded once");
	is_int(test_db_countf(db, "SELECT count(DISTINCT version) FROM schema_migrations"), 3,
	       "concurrency: ...under its own number");
	is_int(test_db_countf(db, "SELECT count(*) FROM effects WHERE note = 'second'"), 1,
	       "concurrency: the slow migration's insert happened once");
	is_int(test_db_countf(db, "SELECT count(*) FROM effects"), 2,
	       "concurrency: ...and every other effect happened once");
	sf_migrations_release(&set);
	sf_db_free(db);
}

/* ---- the built-in set and the template ---- */

static void built_in(void)
{
	struct sf_migration_set set, dir;
	struct sf_db *db;
	char sql[512];
	int pending = -1, applied = -1, dated, same = 1;
	const char *top = getenv("SF_TEST_TOP");

	unsetenv("SF_MIGRATIONS_DIR");
	is_int(sf_migrations_load(&set), 0, "built-in: the migrations compiled into sf load");
	is_str(set.source, "built-in", "built-in: ...from the binary");
	ok(set.n >= 3 && set.items[0].version == 1, "built-in: ...starting at 0001");

	snprintf(sql, sizeof(sql), "%s/sql", top ? top : ".");
	setenv("SF_MIGRATIONS_DIR", sql, 1);
	is_int(sf_migrations_load(&dir), 0, "built-in: sql/ loads as a directory too");
	unsetenv("SF_MIGRATIONS_DIR");
	same = set.n == dir.n;
	for (size_t i = 0; same && i < set.n; i++)
		same = !strcmp(set.items[i].name, dir.items[i].name) &&
		       !strcmp(set.items[i].checksum, dir.items[i].checksum);
	ok(same, "built-in: ...and is the same files with the same checksums");
	sf_migrations_release(&dir);

	db = test_db_open("migrate");
	is_int(sf_migrate_pending(db, &set, &pending), 0, "template: pending works");
	is_int(pending, 0, "template: the database tests clone from is fully migrated");
	{
		char want[256] = "";

		for (size_t i = 0; i < set.n; i++) {
			size_t n = strlen(want);

			snprintf(want + n, sizeof(want) - n, "%s%d:applied", i ? "," : "",
				 set.items[i].version);
		}
		is_str(status(db, &set, &dated), want, "template: status shows every file applied");
	}
	ok(!sf_migrate_apply(db, &set, &applied) && applied == 0, "template: apply has nothing to do");
	test_db_close(db);

	db = fresh_db("builtin", NULL);
	ok(!sf_migrate_pending(db, &set, &pending) && pending == (int)set.n,
	   "built-in: on an empty database every file is pending");
	ok(!sf_migrate_apply(db, &set, &applied) && applied == (int)set.n,
	   "built-in: ...and every file applies");
	ok(exists(db, "accounts") && exists(db, "profiles") && exists(db, "audit_log"),
	   "built-in: ...creating accounts, profiles and audit_log");
	sf_db_free(db);
	sf_migrations_release(&set);
}

int main(void)
{
	const char *tmp = getenv("SF_TEST_TMP");

	snprintf(root, sizeof(root), "%s/migrate.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		printf("Bail out! cannot make a temporary directory\n");
		return 1;
	}

	loading();
	bad_names();
	apply_in_order();
	concurrent_apply();
	built_in();

	drop_fresh();
	nftw(root, rm, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
