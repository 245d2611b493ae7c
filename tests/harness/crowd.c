/*
 * crowd.c - run one action from many connections at once (see crowd.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "crowd.h"
#include "db.h"
#include "error.h"
#include "tap.h"
#include "testdb.h"

struct member {
	pthread_barrier_t *start;
	int i;
	int (*act)(struct sf_db *, int, void *);
	void *arg;
	struct test_crowd_member did;
};

static void *run_member(void *arg)
{
	struct member *m = arg;
	struct sf_db *conn = NULL;
	int rc = sf_db_connect(test_db_conninfo(), &conn);

	pthread_barrier_wait(m->start);
	if (!rc)
		rc = m->act(conn, m->i, m->arg);
	m->did.rc = rc;
	snprintf(m->did.message, sizeof(m->did.message), "%s", rc ? sf_error_message() : "");
	sf_db_free(conn);
	return NULL;
}

int test_crowd(int n, int (*act)(struct sf_db *conn, int i, void *arg), void *arg,
	       struct test_crowd_member *out, int *conflicts)
{
	struct member m[TEST_CROWD_MAX];
	pthread_t t[TEST_CROWD_MAX];
	pthread_barrier_t start;
	int good = 0;

	if (n < 1 || n > TEST_CROWD_MAX) {
		printf("Bail out! a crowd of %d (1 to %d)\n", n, TEST_CROWD_MAX);
		exit(1);
	}
	if (conflicts)
		*conflicts = 0;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		m[i] = (struct member){ .start = &start, .i = i, .act = act, .arg = arg };
		pthread_create(&t[i], NULL, run_member, &m[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		if (m[i].did.rc == 0)
			good++;
		else if (conflicts && m[i].did.rc == SF_ECONFLICT)
			(*conflicts)++;
		else
			diag("member %d: %s", i, m[i].did.message);
		if (out)
			out[i] = m[i].did;
	}
	pthread_barrier_destroy(&start);
	return good;
}
