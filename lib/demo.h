/*
 * demo.h - the scale generator: a deterministic, plausible catalog of any
 * size, for the tests, the benchmarks and the demo.
 *
 * Same seed and sizes give the same rows: every value is a hash of the
 * seed and the row's number (PostgreSQL's hashint8extended), never a
 * random number, so the result depends on neither the plan nor the
 * machine.  Rows are made inside the server with generate_series, in one
 * transaction: all of it or none.
 */
#ifndef SF_DEMO_H
#define SF_DEMO_H

#include <jansson.h>
#include <stdbool.h>

struct sf_db;
struct sf_actor;

#define SF_DEMO_MAX_TITLES 1000000LL
#define SF_DEMO_MAX_EPISODES 10000000LL
#define SF_DEMO_MAX_PEOPLE 1000000LL
#define SF_DEMO_MAX_EPISODES_PER_SERIES 1000LL
#define SF_DEMO_MAX_SEED 2147483647LL
#define SF_DEMO_MAX_VIEWERS 1000000LL
#define SF_DEMO_MAX_PLAYS_PER_VIEWER 1000LL

/* What to generate.  A size of -1 takes its default: a fifth of the
 * titles are series, 50 episodes per series, as many people as titles
 * (at least 100), 25 plays a viewer.  Viewers (demo_viewers.h) are
 * synthetic viewers with hidden tastes who watch the catalog. */
struct sf_demo_spec {
	long long titles;     /* 1 .. SF_DEMO_MAX_TITLES */
	long long series;     /* 0 .. titles */
	long long episodes;   /* series .. 1000 per series; 0 without series */
	long long people;     /* 1 .. SF_DEMO_MAX_PEOPLE */
	long long seed;       /* 0 .. SF_DEMO_MAX_SEED */
	long long viewers;    /* 0 .. SF_DEMO_MAX_VIEWERS */
	long long plays;      /* viewers .. 1000 a viewer; 0 without viewers */
	bool replace;         /* delete a catalog (and demo viewers) that is there first */
};
#define SF_DEMO_SPEC_INIT { 1000, -1, -1, -1, 1, 0, -1, false }

/* Fills in the defaults and checks the sizes against each other;
 * SF_EINVAL names the option (--series, --episodes ...) that is wrong. */
int sf_demo_spec_resolve(struct sf_demo_spec *spec);

struct sf_demo_summary {
	long long seed, titles, movies, series, seasons, episodes, people, credits, genres;
	long long viewers, plays, events, ratings;
	long long replaced_titles;   /* titles deleted by replace */
	long long replaced_viewers;  /* demo viewers deleted by replace */
	double seconds;
};

/* Called between steps and chunks: step is "genres", "titles",
 * "episodes", "people", "credits", "indexes", "search" or "viewers"; done of total
 * is how far that step is (in rows or items of its own). */
typedef void sf_demo_progress_fn(void *arg, const char *step, long long done,
				 long long total);

/* Generates the catalog of spec (resolved here) in one transaction: the
 * genres it needs, titles (movies and series), seasons, episodes, people
 * and credits; then rebuilds every title's search document, makes the
 * viewers and their plays, refreshes the planner's statistics and
 * records "catalog.generate" in the audit log.  The actor needs
 * SF_PERM_MANAGE_CATALOG.  A catalog that already has titles or people,
 * or demo viewers that are there, are SF_ECONFLICT unless spec->replace,
 * which truncates the catalog tables, and every table that refers to
 * them, restarts their ids and deletes the demo viewers.  progress may
 * be NULL.  On success fills *out. */
int sf_demo_generate(struct sf_db *db, const struct sf_actor *actor,
		     const struct sf_demo_spec *spec, sf_demo_progress_fn *progress,
		     void *arg, struct sf_demo_summary *out);

/* The summary as JSON: {seed, titles, movies, series, seasons, episodes,
 * people, credits, genres, viewers, plays, events, ratings,
 * replaced_titles, replaced_viewers, milliseconds}. */
json_t *sf_demo_summary_json(const struct sf_demo_summary *s);

#endif
