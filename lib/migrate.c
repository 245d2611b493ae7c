/*
 * migrate.c - load, inspect and apply schema migrations.
 */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "log.h"
#include "migrate.h"
#include "xalloc.h"

/* Generated at build time from sql/ (see the Makefile). */
extern const char *const sf_embedded_migrations[][2];
extern const size_t sf_embedded_migrations_count;

/* "sf.migrate" as a number, the advisory lock every run takes. */
#define MIGRATE_LOCK "7380133745316177"

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

static int parse_name(const char *name, int *version)
{
	size_t len = strlen(name);

	if (len < 10 || strspn(name, "0123456789") != 4 || name[4] != '_' ||
	    strcmp(name + len - 4, ".sql") != 0)
		return -1;
	for (const char *p = name + 5; p < name + len - 4; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return -1;
	*version = atoi(name);
	return *version > 0 ? 0 : -1;
}

static void checksum(const char *sql, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)sql, strlen(sql));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static int add(struct sf_migration_set *set, const char *name, const char *sql)
{
	struct sf_migration *m;
	int version;

	if (parse_name(name, &version) < 0)
		return sf_error(SF_EINVAL, "migration '%s': name is not NNNN_name.sql", name);
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].version == version)
			return sf_error(SF_EINVAL, "migrations '%s' and '%s' have the same number",
					set->items[i].name, name);
	set->items = sf_xrealloc(set->items, (set->n + 1) * sizeof(*set->items));
	m = &set->items[set->n++];
	m->version = version;
	m->name = sf_xstrdup(name);
	m->sql = sf_xstrdup(sql);
	checksum(sql, m->checksum);
	return 0;
}

static int by_version(const void *a, const void *b)
{
	return ((const struct sf_migration *)a)->version -
	       ((const struct sf_migration *)b)->version;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, k;

	if (!fp)
		return NULL;
	do {
		if (cap - len < 4096)
			buf = sf_xrealloc(buf, cap = cap * 2 + 4096);
		k = fread(buf + len, 1, cap - len - 1, fp);
		len += k;
	} while (k > 0);
	if (ferror(fp)) {
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	fclose(fp);
	return buf;
}

static int load_dir(struct sf_migration_set *set, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return sf_error(SF_EINVAL, "SF_MIGRATIONS_DIR '%s': %s", dir, strerror(errno));
	while (!rc && (e = readdir(d))) {
		char *path, *sql;

		if (e->d_name[0] == '.' || !strstr(e->d_name, ".sql"))
			continue;
		path = sf_xasprintf("%s/%s", dir, e->d_name);
		sql = read_file(path);
		if (!sql)
			rc = sf_error(SF_EINVAL, "migration '%s': %s", path, strerror(errno));
		else
			rc = add(set, e->d_name, sql);
		free(sql);
		free(path);
	}
	closedir(d);
	return rc;
}

int sf_migrations_load(struct sf_migration_set *set)
{
	const char *dir = getenv("SF_MIGRATIONS_DIR");
	int rc = 0;

	memset(set, 0, sizeof(*set));
	if (sodium_init() < 0)
		return sf_error(SF_EINTERNAL, "libsodium failed to initialize");
	if (dir && *dir) {
		set->source = sf_xstrdup(dir);
		rc = load_dir(set, dir);
	} else {
		set->source = sf_xstrdup("built-in");
		for (size_t i = 0; !rc && i < sf_embedded_migrations_count; i++)
			rc = add(set, sf_embedded_migrations[i][0], sf_embedded_migrations[i][1]);
	}
	if (rc) {
		sf_migrations_release(set);
		return rc;
	}
	if (set->n)  /* an empty directory has no items: qsort(NULL, ...) is undefined */
		qsort(set->items, set->n, sizeof(*set->items), by_version);
	return 0;
}

void sf_migrations_release(struct sf_migration_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->items[i].name);
		free(set->items[i].sql);
	}
	free(set->items);
	free(set->source);
	memset(set, 0, sizeof(*set));
}

static const struct sf_migration *find(const struct sf_migration_set *set, int version)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].version == version)
			return &set->items[i];
	return NULL;
}

/* Reads schema_migrations; a database that has none yet has no rows. */
static int applied_rows(struct sf_db *db, PGresult **res)
{
	int rc = sf_db_query(db, res, "SELECT to_regclass('schema_migrations') IS NOT NULL AS ok",
			     SF_NOARGS);
	int exists;

	if (rc)
		return rc;
	exists = sf_db_bool(*res, 0, "ok");
	PQclear(*res);
	*res = NULL;
	return sf_db_query(db, res, exists
		? "SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC',"
		  " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS applied_at"
		  " FROM schema_migrations ORDER BY version"
		: "SELECT 0 AS version, '' AS name, '' AS checksum, '' AS applied_at WHERE false",
		SF_NOARGS);
}

static int check_unchanged(const struct sf_migration_set *set, PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++) {
		const struct sf_migration *m = find(set, (int)sf_db_int(res, i, "version"));

		if (m && strcmp(m->checksum, sf_db_str(res, i, "checksum")) != 0)
			return sf_error(SF_ECONFLICT, "migration '%s' was changed after it was "
					"applied; add a new migration instead", m->name);
	}
	return 0;
}

static int is_applied(PGresult *res, int version)
{
	for (int i = 0; i < PQntuples(res); i++)
		if (sf_db_int(res, i, "version") == version)
			return i;
	return -1;
}

int sf_migrate_pending(struct sf_db *db, const struct sf_migration_set *set, int *pending)
{
	PGresult *res = NULL;
	int rc = applied_rows(db, &res);

	*pending = 0;
	if (!rc)
		rc = check_unchanged(set, res);
	for (size_t i = 0; !rc && i < set->n; i++)
		if (is_applied(res, set->items[i].version) < 0)
			(*pending)++;
	PQclear(res);
	return rc;
}

static int by_status_version(const void *a, const void *b)
{
	return ((const struct sf_migration_status *)a)->version -
	       ((const struct sf_migration_status *)b)->version;
}

int sf_migrate_status(struct sf_db *db, const struct sf_migration_set *set,
		      struct sf_migration_status **out, size_t *n)
{
	PGresult *res = NULL;
	struct sf_migration_status *st;
	size_t k = 0;
	int rc = applied_rows(db, &res);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	st = sf_xcalloc(set->n + (size_t)PQntuples(res), sizeof(*st));
	for (size_t i = 0; i < set->n; i++) {
		const struct sf_migration *m = &set->items[i];
		int row = is_applied(res, m->version);

		st[k].version = m->version;
		st[k].name = sf_xstrdup(m->name);
		if (row < 0) {
			st[k].state = SF_MIGRATION_PENDING;
		} else {
			st[k].applied_at = sf_xstrdup(sf_db_str(res, row, "applied_at"));
			st[k].state = strcmp(m->checksum, sf_db_str(res, row, "checksum"))
				? SF_MIGRATION_CHANGED : SF_MIGRATION_APPLIED;
		}
		k++;
	}
	for (int row = 0; row < PQntuples(res); row++) {
		int version = (int)sf_db_int(res, row, "version");

		if (find(set, version))
			continue;
		st[k].version = version;
		st[k].name = sf_xstrdup(sf_db_str(res, row, "name"));
		st[k].state = SF_MIGRATION_UNKNOWN;
		st[k].applied_at = sf_xstrdup(sf_db_str(res, row, "applied_at"));
		k++;
	}
	PQclear(res);
	qsort(st, k, sizeof(*st), by_status_version);
	*out = st;
	*n = k;
	return 0;
}

void sf_migration_status_free(struct sf_migration_status *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(st[i].name);
		free(st[i].applied_at);
	}
	free(st);
}

static int apply_one(struct sf_db *db, const struct sf_migration *m)
{
	char v[SF_INT_STR_MAX];
	int rc;

	sf_info("applying migration %s", m->name);
	rc = sf_db_exec(db, "BEGIN");
	if (!rc)
		rc = sf_db_exec(db, m->sql);
	if (!rc)
		rc = sf_db_query(db, NULL, "INSERT INTO schema_migrations (version, name, checksum)"
				 " VALUES ($1, $2, $3)",
				 SF_ARGS(sf_db_fmt_int(v, m->version), m->name, m->checksum));
	if (!rc)
		rc = sf_db_exec(db, "COMMIT");
	if (rc) {
		if (PQtransactionStatus(sf_db_conn(db)) != PQTRANS_IDLE)
			PQclear(PQexec(sf_db_conn(db), "ROLLBACK"));
		return sf_error_wrap(rc, "migration '%s'", m->name);
	}
	return 0;
}

int sf_migrate_apply(struct sf_db *db, const struct sf_migration_set *set, int *applied)
{
	PGresult *res = NULL;
	int rc;

	*applied = 0;
	rc = sf_db_query(db, NULL, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", SF_NOARGS);
	if (rc)
		return rc;
	rc = sf_db_exec(db, create_table);
	if (!rc)
		rc = applied_rows(db, &res);
	if (!rc)
		rc = check_unchanged(set, res);
	for (size_t i = 0; !rc && i < set->n; i++) {
		if (is_applied(res, set->items[i].version) >= 0)
			continue;
		rc = apply_one(db, &set->items[i]);
		if (!rc)
			(*applied)++;
	}
	PQclear(res);
	/* A failed unlock only means the session is gone, which frees it too. */
	PQclear(PQexec(sf_db_conn(db), "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")"));
	return rc;
}
