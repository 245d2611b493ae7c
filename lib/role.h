/*
 * role.h - account roles and what each may do.
 *
 * Roles: viewer (watches), moderator (moderates reviews), content_manager
 * (manages the catalog and runs experiments), user_manager (manages
 * accounts), admin (all).
 * One table says which role holds which permission, so the CLI's --as and
 * the HTTP API ask the same question the same way.
 */
#ifndef SF_ROLE_H
#define SF_ROLE_H

enum sf_perm {
	SF_PERM_MANAGE_ACCOUNTS,  /* create, change, suspend, delete accounts */
	SF_PERM_GRANT_ADMIN,      /* make or change an admin */
	SF_PERM_READ_AUDIT,       /* read the audit log */
	SF_PERM_MODERATE,         /* moderate reviews */
	SF_PERM_MANAGE_CATALOG,   /* change the catalog */
	SF_PERM_MANAGE_EXPERIMENTS, /* run experiments: layers, holdout, experiments */
};

/* The role names in order of the ladder of power, NULL-terminated. */
extern const char *const sf_roles[];

/* 1 if name is a role. */
int sf_role_valid(const char *name);

/* SF_EINVAL naming the value and listing the roles when it is not one. */
int sf_role_check(const char *name);

/* 1 if role holds perm. */
int sf_role_can(const char *role, enum sf_perm perm);

#endif
