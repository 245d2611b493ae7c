/*
 * homepage_rows.h - assembling the homepage's rows from a ranked pool
 * (recs_pool.h), by the rules of homepage.h.  Internal to lib/.
 */
#ifndef SF_HOMEPAGE_ROWS_H
#define SF_HOMEPAGE_ROWS_H

#include <jansson.h>

struct recs_pool;

/* The rows array and the hero (an item or null) of a pool that
 * recs_pool_rank() scored; both new references. */
void homepage_rows(struct recs_pool *p, json_t **rows, json_t **hero);

#endif
