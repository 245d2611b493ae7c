/*
 * role.c - the role table.
 */
#include <string.h>

#include "error.h"
#include "role.h"
#include "text.h"

const char *const sf_roles[] = {
	"viewer", "moderator", "content_manager", "user_manager", "admin", NULL,
};

static const struct {
	const char *role;
	unsigned perms;
} grants[] = {
	{ "viewer", 0 },
	{ "moderator", 1u << SF_PERM_MODERATE },
	{ "content_manager", 1u << SF_PERM_MANAGE_CATALOG | 1u << SF_PERM_MANAGE_EXPERIMENTS },
	{ "user_manager", 1u << SF_PERM_MANAGE_ACCOUNTS | 1u << SF_PERM_READ_AUDIT },
	{ "admin", ~0u },
};

int sf_role_valid(const char *name)
{
	for (int i = 0; sf_roles[i]; i++)
		if (!strcmp(name, sf_roles[i]))
			return 1;
	return 0;
}

int sf_role_check(const char *name)
{
	if (sf_role_valid(name))
		return 0;
	return sf_error(SF_EINVAL, "role '%s': not one of viewer, moderator, "
			"content_manager, user_manager, admin", sf_text_quote(name));
}

int sf_role_can(const char *role, enum sf_perm perm)
{
	for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++)
		if (!strcmp(role, grants[i].role))
			return (grants[i].perms >> perm) & 1u;
	return 0;
}
