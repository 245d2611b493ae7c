/*
 * db.c - libpq wrapper: connect, query, map errors, retry transactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "error.h"
#include "log.h"
#include "text.h"
#include "xalloc.h"

#define TX_RETRIES 8

struct sf_db {
	PGconn *conn;
	char *target;
	char sqlstate[6];
	char constraint[64];
};

static void notice_to_log(void *arg, const char *message)
{
	(void)arg;
	sf_debug("postgres: %.*s", (int)strcspn(message, "\n"), message);
}

/* libpq's connection errors are several lines ("connection to server on
 * socket ... failed: No such file or directory\n\tIs the server ...");
 * keep only the reason after the last "failed: " of the first line. */
static const char *short_reason(const char *msg, char *buf, size_t size)
{
	size_t len = strcspn(msg, "\n");
	const char *p = msg, *q;

	while ((q = strstr(p, "failed: ")) && q < msg + len)
		p = q + 8;
	/* The server's own words come as "FATAL:  database ... does not exist". */
	if (!strncmp(p, "FATAL:  ", 8) || !strncmp(p, "ERROR:  ", 8))
		p += 8;
	len = strcspn(p, "\n");
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r'))
		len--;
	snprintf(buf, size, "%.*s", (int)len, p);
	return buf;
}

static char *describe_target(PGconn *conn)
{
	const char *host = PQhost(conn), *port = PQport(conn), *db = PQdb(conn);

	if (!host || !*host)
		host = "localhost";
	return sf_xasprintf("database '%s' on '%s:%s'", db ? db : "?", host,
			    port && *port ? port : "5432");
}

int sf_db_connect(const char *conninfo, struct sf_db **out)
{
	const char *keys[] = { "connect_timeout", "fallback_application_name",
			       "client_encoding", "dbname", NULL };
	const char *vals[] = { "10", "sf", "UTF8", conninfo, NULL };
	PQconninfoOption *opts;
	char *perr = NULL, reason[512];
	struct sf_db *db;
	PGconn *conn;

	*out = NULL;
	opts = PQconninfoParse(conninfo, &perr);
	if (!opts) {
		/* Not quoted: a string libpq cannot parse may hold a password. */
		int rc = sf_error(SF_EINVAL, "connection string: %s",
				  perr ? short_reason(perr, reason, sizeof(reason)) : "invalid");
		PQfreemem(perr);
		return rc;
	}
	PQconninfoFree(opts);

	conn = PQconnectdbParams(keys, vals, 1);
	if (!conn)
		return sf_error(SF_EINTERNAL, "out of memory connecting to the database");
	if (PQstatus(conn) != CONNECTION_OK) {
		char *target = describe_target(conn);
		int rc = sf_error(SF_EUNAVAIL, "cannot connect to %s: %s", target,
				  short_reason(PQerrorMessage(conn), reason, sizeof(reason)));
		free(target);
		PQfinish(conn);
		return rc;
	}
	PQsetNoticeProcessor(conn, notice_to_log, NULL);
	db = sf_xcalloc(1, sizeof(*db));
	db->conn = conn;
	db->target = describe_target(conn);
	*out = db;
	return 0;
}

char *sf_db_conninfo_redacted(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	char *s = sf_xstrdup("");

	if (!opts) {
		free(s);
		return NULL;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		const char *v = o->val;
		char *next, *quoted, *q;

		if (!v)
			continue;
		if (!strcmp(o->keyword, "password"))
			v = "********";
		quoted = q = sf_xmalloc(2 * strlen(v) + 3);
		*q++ = '\'';
		for (const char *p = v; *p; p++) {
			if (*p == '\'' || *p == '\\')
				*q++ = '\\';
			*q++ = *p;
		}
		*q++ = '\'';
		*q = '\0';
		next = sf_xasprintf("%s%s%s=%s", s, *s ? " " : "", o->keyword, quoted);
		free(quoted);
		free(s);
		s = next;
	}
	PQconninfoFree(opts);
	return s;
}

void sf_db_free(struct sf_db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db->target);
	free(db);
}

PGconn *sf_db_conn(struct sf_db *db)
{
	return db->conn;
}

const char *sf_db_target(struct sf_db *db)
{
	return db->target;
}

const char *sf_db_sqlstate(struct sf_db *db)
{
	return db->sqlstate;
}

const char *sf_db_constraint(struct sf_db *db)
{
	return db->constraint;
}

static int code_for_sqlstate(const char *st)
{
	if (!strcmp(st, "23505") || !strcmp(st, "23503") || !strcmp(st, "40001") ||
	    !strcmp(st, "40P01") || !strcmp(st, "55P03") || !strcmp(st, "23P01"))
		return SF_ECONFLICT;
	if (!strncmp(st, "22", 2) || !strcmp(st, "23514") || !strcmp(st, "23502"))
		return SF_EINVAL;
	if (!strncmp(st, "08", 2) || !strncmp(st, "57P", 3) || !strncmp(st, "53", 2) ||
	    !strcmp(st, "25006"))
		return SF_EUNAVAIL;
	return SF_EINTERNAL;
}

static int fail(struct sf_db *db, PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *cons = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char reason[512];
	int rc;

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", st ? st : "");
	snprintf(db->constraint, sizeof(db->constraint), "%s", cons ? cons : "");
	if (PQstatus(db->conn) != CONNECTION_OK) {
		rc = sf_error(SF_EUNAVAIL, "lost connection to %s: %s", db->target,
			      short_reason(PQerrorMessage(db->conn), reason, sizeof(reason)));
	} else if (!st) {
		rc = sf_error(SF_EINTERNAL, "%s: %s", db->target,
			      short_reason(PQerrorMessage(db->conn), reason, sizeof(reason)));
	} else {
		rc = sf_error(code_for_sqlstate(st), "database: %s", msg ? msg : st);
	}
	PQclear(res);
	return rc;
}

int sf_db_query(struct sf_db *db, PGresult **out, const char *sql,
		int nparams, const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	if (out)
		*out = NULL;
	db->sqlstate[0] = db->constraint[0] = '\0';
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return fail(db, res);
	if (out)
		*out = res;
	else
		PQclear(res);
	return 0;
}

int sf_db_exec(struct sf_db *db, const char *sql)
{
	PGresult *res;
	ExecStatusType st;

	db->sqlstate[0] = db->constraint[0] = '\0';
	res = PQexec(db->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return fail(db, res);
	PQclear(res);
	return 0;
}

int sf_db_copy_in(struct sf_db *db, const char *sql, const char *data, size_t len)
{
	PGresult *res;
	int rc = 0;

	db->sqlstate[0] = db->constraint[0] = '\0';
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		return fail(db, res);
	PQclear(res);
	/* libpq takes up to about 2 GB at once; keep the pieces modest. */
	for (size_t off = 0; off < len && rc == 0; off += 1 << 20) {
		size_t n = len - off < (1u << 20) ? len - off : 1u << 20;

		if (PQputCopyData(db->conn, data + off, (int)n) != 1)
			rc = 1;
	}
	if (PQputCopyEnd(db->conn, rc ? "sf: sending the data failed" : NULL) != 1)
		rc = 1;
	/* The COPY's own result, then the end of the command. */
	while ((res = PQgetResult(db->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			PGresult *more;

			while ((more = PQgetResult(db->conn)))
				PQclear(more);
			return fail(db, res);
		}
		PQclear(res);
	}
	if (rc)
		return fail(db, NULL);
	return 0;
}

static int retryable(struct sf_db *db)
{
	return !strcmp(db->sqlstate, "40001") || !strcmp(db->sqlstate, "40P01");
}

static void backoff(int attempt)
{
	/* 2, 4, 8 ... ms, with up to 100% jitter so retries spread out. */
	long ms = 2L << attempt;
	struct timespec ts;

	ms += rand() % (ms + 1);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

int sf_db_tx(struct sf_db *db, unsigned flags,
	     int (*fn)(struct sf_db *db, void *arg), void *arg)
{
	const char *begin = (flags & SF_DB_TX_SERIALIZABLE)
		? ((flags & SF_DB_TX_READ_ONLY) ? "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"
						: "BEGIN ISOLATION LEVEL SERIALIZABLE")
		: ((flags & SF_DB_TX_READ_ONLY) ? "BEGIN READ ONLY" : "BEGIN");

	for (int attempt = 0;; attempt++) {
		int rc = sf_db_exec(db, begin);

		if (rc)
			return rc;
		rc = fn(db, arg);
		if (!rc)
			rc = sf_db_exec(db, "COMMIT");
		if (!rc)
			return 0;
		if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
			char state[6];

			/* Keep the failure's SQLSTATE across the rollback. */
			memcpy(state, db->sqlstate, sizeof(state));
			PQclear(PQexec(db->conn, "ROLLBACK"));
			memcpy(db->sqlstate, state, sizeof(state));
		}
		if (!retryable(db) || attempt + 1 >= TX_RETRIES)
			return rc;
		sf_debug("transaction: retrying after %s (attempt %d)", db->sqlstate,
			 attempt + 1);
		backoff(attempt);
	}
}

static int column(const PGresult *res, const char *col)
{
	int c = PQfnumber(res, col);

	if (c < 0) {
		sf_log(SF_LOG_ERROR, "bug: result has no column '%s'", col);
		abort();
	}
	return c;
}

const char *sf_db_str(const PGresult *res, int row, const char *col)
{
	int c = column(res, col);

	return PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
}

long long sf_db_int(const PGresult *res, int row, const char *col)
{
	const char *v = sf_db_str(res, row, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

bool sf_db_bool(const PGresult *res, int row, const char *col)
{
	const char *v = sf_db_str(res, row, col);

	return v && v[0] == 't';
}

bool sf_db_isnull(const PGresult *res, int row, const char *col)
{
	return PQgetisnull(res, row, column(res, col));
}

const char *sf_db_fmt_int(char buf[SF_INT_STR_MAX], long long v)
{
	snprintf(buf, SF_INT_STR_MAX, "%lld", v);
	return buf;
}
