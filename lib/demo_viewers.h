/*
 * demo_viewers.h - synthetic viewers with hidden tastes, made by
 * "sf demo generate --viewers" after the catalog, in the same
 * transaction (demo.c).  Internal to lib/.
 *
 * Viewer n is the account viewerN@demo.invalid (username demo-viewerN,
 * no password that logs in) with one adult profile, demo-viewerN.  Its
 * hidden taste is two favourite genres and a "cluster", one of four
 * interleaved quarters of each genre's movies (by popularity): 45% of
 * its plays are movies of its first genre and 35% of its second, 70% of
 * those in its cluster, the rest anywhere; every pick leans to popular
 * titles.  Plays are spread over the last 30 days, a start and a
 * complete event each (progress completed); the last play is in
 * progress three times in ten; a tenth of plays are rated, 4 or 5 stars
 * in the favourite genres and 2 to 4 elsewhere.  So the truth is known:
 * a model that learns the tastes must beat popularity on the held-out
 * plays, and one that learns the clusters must beat genres alone.
 *
 * As the catalog, every value is a hash of the seed and the row's
 * number: the same seed and sizes give the same viewers.
 */
#ifndef SF_DEMO_VIEWERS_H
#define SF_DEMO_VIEWERS_H

#include "demo.h"

struct sf_db;

/* Deletes the demo viewers (accounts @demo.invalid) and everything
 * theirs; *deleted their number. */
int demo_viewers_delete(struct sf_db *db, long long *deleted);

/* Counts the demo viewers there are. */
int demo_viewers_count(struct sf_db *db, long long *n);

/* Makes spec->viewers viewers and about spec->plays plays of the
 * catalog's published movies, inside the caller's transaction; adds to
 * sum->viewers, sum->plays, sum->ratings. */
int demo_viewers_generate(struct sf_db *db, const struct sf_demo_spec *spec,
			  sf_demo_progress_fn *progress, void *arg,
			  struct sf_demo_summary *sum);

#endif
