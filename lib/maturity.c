/*
 * maturity.c - rating names to ladder levels.
 */
#include <strings.h>

#include "error.h"
#include "maturity.h"
#include "text.h"

static const struct {
	const char *name;
	int level;
} ratings[] = {
	{ "G", 1 }, { "TV-Y", 1 }, { "TV-G", 1 },
	{ "TV-Y7", 2 }, { "TV-Y7-FV", 2 },
	{ "PG", 3 }, { "TV-PG", 3 },
	{ "PG-13", 4 }, { "TV-14", 4 },
	{ "R", 5 },
	{ "NC-17", 6 }, { "TV-MA", 6 }, { "NR", 6 },
};

const char *const sf_maturity_names[] = {
	"G", "TV-Y", "TV-G", "TV-Y7", "TV-Y7-FV", "PG", "TV-PG", "PG-13", "TV-14",
	"R", "NC-17", "TV-MA", "NR", NULL,
};

static const char *const labels[] = { "?", "G", "TV-Y7", "PG", "PG-13", "R", "NC-17" };

int sf_maturity_parse(const char *name, int *level)
{
	for (size_t i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
		if (!strcasecmp(name, ratings[i].name)) {
			*level = ratings[i].level;
			return 0;
		}
	}
	return sf_error(SF_EINVAL, "maturity rating '%s': not one of G, TV-Y, TV-G, TV-Y7, "
			"TV-Y7-FV, PG, TV-PG, PG-13, TV-14, R, NC-17, TV-MA, NR",
			sf_text_quote(name));
}

const char *sf_maturity_label(int level)
{
	return level >= SF_MATURITY_MIN && level <= SF_MATURITY_MAX ? labels[level] : "?";
}
