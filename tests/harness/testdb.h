/*
 * testdb.h - a database of its own for each C test file.
 *
 * test_db_open() clones the migrated template that tests/run prepared
 * into a new database named after the test and the process, and connects
 * to it; test_db_close() disconnects and drops it.
 */
#ifndef SF_TESTDB_H
#define SF_TESTDB_H

struct sf_db;

/* Aborts the test (exit 1 with a diagnostic) when the database cannot be
 * made: there is nothing to test without it. */
struct sf_db *test_db_open(const char *name);
void test_db_close(struct sf_db *db);

/* The connection string of the test database (valid until close), for
 * tests that open more connections (concurrency). */
const char *test_db_conninfo(void);

/* Runs SQL and returns the first column of the first row as a number
 * (0 when there is no row); aborts on error. */
long long test_db_count(struct sf_db *db, const char *sql);

/* test_db_count with the SQL made from a printf format; also for
 * "INSERT ... RETURNING id" and other writes. */
long long test_db_countf(struct sf_db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Runs SQL and returns the first column of the first row as text ("" when
 * there is no row or it is NULL), to be freed by the caller; aborts on
 * error. */
char *test_db_text(struct sf_db *db, const char *sql);

#endif
