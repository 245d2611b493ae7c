/*
 * fixture.c - error checks, and the accounts, profiles and titles the C
 * database tests act on (see fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "profile.h"
#include "testdb.h"

int test_error_has(const char *text)
{
	return strstr(sf_error_message(), text) != NULL;
}

long long test_add_account(struct sf_db *db, const char *email, const char *username,
			   const char *role)
{
	struct sf_account_new in = { email, username, TEST_PASSWORD, role };
	struct sf_actor os;
	struct sf_account a;
	long long id;
	int rc;

	sf_actor_os(&os);
	rc = sf_account_add(db, &os, &in, &a);
	sf_actor_release(&os);
	if (rc) {
		printf("Bail out! adding %s: %s\n", email, sf_error_message());
		exit(1);
	}
	id = a.id;
	sf_account_release(&a);
	return id;
}

long long test_add_profile(struct sf_db *db, const char *account, const char *name, int kids)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_actor os;
	struct sf_profile p;
	long long id;
	int rc;

	c.name = name;
	c.kids = kids;
	sf_actor_os(&os);
	rc = sf_profile_add(db, &os, account, &c, &p);
	sf_actor_release(&os);
	if (rc) {
		printf("Bail out! adding profile %s: %s\n", name, sf_error_message());
		exit(1);
	}
	id = p.id;
	sf_profile_release(&p);
	return id;
}

long long test_add_title(struct sf_db *db, const char *name, int maturity, const char *extra)
{
	long long id = test_db_countf(db, "INSERT INTO titles (kind, title, maturity, status,"
				      " external_id) VALUES ('movie', '%s', %d, 'published',"
				      " 'x-%s') RETURNING id", name, maturity, name);

	if (extra)
		test_db_countf(db, "UPDATE titles SET %s WHERE id = %lld", extra, id);
	return id;
}

const char *test_ref(long long id)
{
	static char bufs[8][24];
	static int next;
	char *r = bufs[next++ & 7];

	snprintf(r, sizeof(bufs[0]), "%lld", id);
	return r;
}
