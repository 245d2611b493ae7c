/*
 * testdb.c - clone, connect to and drop a test database, and read single
 * values from it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "error.h"
#include "testdb.h"
#include "xalloc.h"

static char dbname[128];
static char *conninfo;

static char *admin_conninfo(void)
{
	const char *host = getenv("SF_TEST_PGHOST");

	if (!host) {
		printf("Bail out! SF_TEST_PGHOST is not set; run the tests with 'make check'\n");
		exit(1);
	}
	return sf_xasprintf("host='%s' user=sf dbname=postgres", host);
}

static void admin(const char *sql)
{
	char *ci = admin_conninfo();
	struct sf_db *db = NULL;

	if (sf_db_connect(ci, &db) || sf_db_exec(db, sql)) {
		printf("Bail out! %s: %s\n", sql, sf_error_message());
		exit(1);
	}
	sf_db_free(db);
	free(ci);
}

struct sf_db *test_db_open(const char *name)
{
	struct sf_db *db = NULL;
	char sql[256];

	snprintf(dbname, sizeof(dbname), "t_%s_%d", name, (int)getpid());
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE sf_template", dbname);
	admin(sql);
	conninfo = sf_xasprintf("host='%s' user=sf dbname=%s", getenv("SF_TEST_PGHOST"), dbname);
	if (sf_db_connect(conninfo, &db)) {
		printf("Bail out! %s\n", sf_error_message());
		exit(1);
	}
	return db;
}

void test_db_close(struct sf_db *db)
{
	char sql[256];

	sf_db_free(db);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
	admin(sql);
	free(conninfo);
	conninfo = NULL;
}

const char *test_db_conninfo(void)
{
	return conninfo;
}

long long test_db_count(struct sf_db *db, const char *sql)
{
	PGresult *res = NULL;
	long long n = 0;

	if (sf_db_query(db, &res, sql, SF_NOARGS)) {
		printf("Bail out! %s: %s\n", sql, sf_error_message());
		exit(1);
	}
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

long long test_db_countf(struct sf_db *db, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return test_db_count(db, sql);
}

char *test_db_text(struct sf_db *db, const char *sql)
{
	PGresult *res = NULL;
	char *s;

	if (sf_db_query(db, &res, sql, SF_NOARGS)) {
		printf("Bail out! %s: %s\n", sql, sf_error_message());
		exit(1);
	}
	s = sf_xstrdup(PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return s;
}
