/*
 * maturity.h - the maturity ladder: film (MPA) and US TV ratings on one
 * ordered scale, so a profile's limit and a title's rating compare as
 * integers.
 *
 *	1  G      TV-Y, TV-G      all ages
 *	2  TV-Y7  TV-Y7-FV        7+
 *	3  PG     TV-PG           parental guidance
 *	4  PG-13  TV-14           13+
 *	5  R                      17+ (restricted)
 *	6  NC-17  TV-MA, NR       adults only; unrated counts as adult
 */
#ifndef SF_MATURITY_H
#define SF_MATURITY_H

#define SF_MATURITY_MIN 1
#define SF_MATURITY_MAX 6
#define SF_MATURITY_KIDS_MAX 3   /* the highest level a kids profile may have */

/* Parses a rating name (any case: "pg-13", "TV-MA", "NR") into its
 * level; SF_EINVAL naming the value otherwise. */
int sf_maturity_parse(const char *name, int *level);

/* The canonical label of a level ("PG-13"), or "?" out of range. */
const char *sf_maturity_label(int level);

/* Every accepted rating name, NULL-terminated (for completion). */
extern const char *const sf_maturity_names[];

#endif
