/*
 * db.h - the one way sf talks to PostgreSQL.
 *
 * A thin layer over libpq: connections that name their target when they
 * fail, parameterized statements only (values never enter SQL text), SQL
 * errors mapped to SF_E* codes, and a transaction helper that retries
 * serialization failures and deadlocks.
 *
 * Values are passed as text parameters:
 *
 *	PGresult *res = NULL;
 *	rc = sf_db_query(db, &res, "SELECT id FROM accounts WHERE email = $1",
 *			 SF_ARGS(email));
 */
#ifndef SF_DB_H
#define SF_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

struct sf_db;

/* Builds the "n, params" pair of sf_db_query from a list of strings;
 * a NULL string is SQL NULL. */
#define SF_ARGS(...) \
	(int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	(const char *const[]){ __VA_ARGS__ }
#define SF_NOARGS 0, NULL

/* Connects with a libpq connection string or URI.  A string libpq cannot
 * parse is SF_EINVAL; a server that cannot be reached is SF_EUNAVAIL with
 * the target (database, host, port) named and libpq's reason in one line.
 * On success *out is owned by the caller (sf_db_free). */
int sf_db_connect(const char *conninfo, struct sf_db **out);
void sf_db_free(struct sf_db *db);

/* A connection string fit to show: key=value form with any password
 * replaced by "********"; NULL if libpq cannot parse it.  Caller frees. */
char *sf_db_conninfo_redacted(const char *conninfo);

PGconn *sf_db_conn(struct sf_db *db);
/* "database 'sf' on '/var/lib/sf/pg:5432'"-style description. */
const char *sf_db_target(struct sf_db *db);

/* Runs one parameterized statement.  On success returns 0 and, if res is
 * not NULL, stores the result for the caller to PQclear (otherwise it is
 * cleared here).  On failure returns a negative code with a message:
 *	unique or foreign-key violation, serialization failure -> SF_ECONFLICT
 *	check violation, bad data                              -> SF_EINVAL
 *	lost connection, server shutting down, read-only       -> SF_EUNAVAIL
 *	anything else                                          -> SF_EINTERNAL
 * sf_db_sqlstate() and sf_db_constraint() then describe the failure, so a
 * domain module can turn "accounts_email_key" into "email 'x' is taken". */
int sf_db_query(struct sf_db *db, PGresult **res, const char *sql,
		int nparams, const char *const *params);

/* Runs SQL text with no parameters (DDL, BEGIN, migrations). */
int sf_db_exec(struct sf_db *db, const char *sql);

/* Runs sql, a COPY ... FROM STDIN, with data (len bytes, in the COPY's
 * format) as its input; fails as sf_db_query does. */
int sf_db_copy_in(struct sf_db *db, const char *sql, const char *data, size_t len);

const char *sf_db_sqlstate(struct sf_db *db);
const char *sf_db_constraint(struct sf_db *db);

#define SF_DB_TX_SERIALIZABLE 1u
#define SF_DB_TX_READ_ONLY 2u

/* Runs fn(db, arg) inside BEGIN ... COMMIT.  If fn returns non-zero the
 * transaction is rolled back and that code returned.  A serialization
 * failure or deadlock (in fn or at COMMIT) is retried from the start, up
 * to a few times with jittered back-off, so fn must be safe to repeat. */
int sf_db_tx(struct sf_db *db, unsigned flags,
	     int (*fn)(struct sf_db *db, void *arg), void *arg);

/* Result accessors by column name.  A missing column is a bug (abort). */
const char *sf_db_str(const PGresult *res, int row, const char *col); /* NULL if SQL NULL */
long long sf_db_int(const PGresult *res, int row, const char *col);   /* 0 if NULL */
bool sf_db_bool(const PGresult *res, int row, const char *col);
bool sf_db_isnull(const PGresult *res, int row, const char *col);

/* Formats an integer for use as a text parameter. */
#define SF_INT_STR_MAX 24
const char *sf_db_fmt_int(char buf[SF_INT_STR_MAX], long long v);

#endif
