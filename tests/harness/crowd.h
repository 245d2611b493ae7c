/*
 * crowd.h - many connections doing something at once, for the tests that
 * show a change holds under concurrency (a limit kept, no update lost,
 * one winner of a race).
 *
 *	static int add_one(struct sf_db *conn, int i, void *arg) { ... }
 *	good = test_crowd(12, add_one, titles, out, &conflicts);
 *
 * Every member is a thread with a connection of its own to the test
 * database; all connect first and then start together from a barrier, so
 * their transactions overlap as much as they can.
 */
#ifndef SF_CROWD_H
#define SF_CROWD_H

struct sf_db;

#define TEST_CROWD_MAX 32

/* What one member of a crowd did: what it returned (or the failure to
 * connect) and, when that is not 0, the error message. */
struct test_crowd_member {
	int rc;
	char message[256];
};

/* Runs act(conn, i, arg) for every i from 0 to n - 1 at once (n at most
 * TEST_CROWD_MAX), conn being member i's own connection.  out (NULL: not
 * kept) gets what each member did, out[i] for member i.  Returns how many
 * returned 0.  When conflicts is not NULL it counts the members that
 * returned SF_ECONFLICT; every other failure is shown with diag. */
int test_crowd(int n, int (*act)(struct sf_db *conn, int i, void *arg), void *arg,
	       struct test_crowd_member *out, int *conflicts);

#endif
