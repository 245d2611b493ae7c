/*
 * actor.c - resolve and check the actor of a change.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "actor.h"
#include "error.h"
#include "xalloc.h"

void sf_actor_os(struct sf_actor *a)
{
	struct passwd *pw = getpwuid(getuid());

	memset(a, 0, sizeof(*a));
	if (pw)
		a->name = sf_xasprintf("os:%s", pw->pw_name);
	else
		a->name = sf_xasprintf("os:uid%u", (unsigned)getuid());
}

int sf_actor_account(struct sf_db *db, const char *ref, struct sf_actor *a)
{
	struct sf_account acct;
	int rc;

	memset(a, 0, sizeof(*a));
	rc = sf_account_get(db, ref, &acct);
	if (rc)
		return sf_error_wrap(rc, "--as");
	if (acct.deleted_at)
		rc = sf_error(SF_ENOTFOUND, "--as: account '%s': not found", acct.email);
	else if (strcmp(acct.status, "active") != 0)
		rc = sf_error(SF_EFORBIDDEN, "--as: account '%s' is suspended", acct.email);
	if (!rc) {
		a->name = sf_xstrdup(acct.email);
		a->account_id = acct.id;
		a->role = sf_xstrdup(acct.role);
	}
	sf_account_release(&acct);
	return rc;
}

void sf_actor_release(struct sf_actor *a)
{
	free(a->name);
	free(a->role);
	memset(a, 0, sizeof(*a));
}

static const char *perm_text(enum sf_perm perm)
{
	switch (perm) {
	case SF_PERM_MANAGE_ACCOUNTS: return "manage accounts";
	case SF_PERM_GRANT_ADMIN: return "grant or change the admin role";
	case SF_PERM_READ_AUDIT: return "read the audit log";
	case SF_PERM_MODERATE: return "moderate reviews";
	case SF_PERM_MANAGE_CATALOG: return "manage the catalog";
	case SF_PERM_MANAGE_EXPERIMENTS: return "manage experiments";
	}
	return "do that";
}

int sf_actor_require(const struct sf_actor *a, enum sf_perm perm)
{
	if (!a->account_id || sf_role_can(a->role, perm))
		return 0;
	return sf_error(SF_EFORBIDDEN, "account '%s' (%s) may not %s", a->name, a->role,
			perm_text(perm));
}
