/*
 * demo.c - the scale generator's library interface against a real
 * PostgreSQL: sizes resolved from their defaults and checked against each
 * other before anything runs; the progress callback called for every step
 * in order, each step from 0% to 100%; the summary counting what is in
 * the tables; a non-empty catalog refused, then replaced; an account
 * without the right refused before any change.  tests/cli/demo.sh checks
 * the catalog itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "db.h"
#include "demo.h"
#include "error.h"
#include "tap.h"
#include "testdb.h"

static struct sf_db *db;
static struct sf_actor os;

static int has(const char *text)
{
	return strstr(sf_error_message(), text) != NULL;
}

/* Resolves a spec; returns the error code, *s resolved. */
static int resolve(struct sf_demo_spec *s, long long titles, long long series,
		   long long episodes, long long people)
{
	struct sf_demo_spec init = SF_DEMO_SPEC_INIT;

	*s = init;
	s->titles = titles;
	s->series = series;
	s->episodes = episodes;
	s->people = people;
	return sf_demo_spec_resolve(s);
}

static void specs(void)
{
	struct sf_demo_spec s;

	is_int(resolve(&s, 1000, -1, -1, -1), 0, "spec: the defaults resolve");
	ok(s.series == 200 && s.episodes == 10000 && s.people == 1000 && s.seed == 1,
	   "spec: a fifth series, 50 episodes a series, people as titles, seed 1");
	resolve(&s, 7, -1, -1, -1);
	ok(s.series == 1 && s.episodes == 50 && s.people == 100,
	   "spec: a fifth rounds down; at least 100 people");
	resolve(&s, 4, -1, -1, -1);
	ok(s.series == 0 && s.episodes == 0, "spec: fewer than 5 titles, no series");
	resolve(&s, SF_DEMO_MAX_TITLES, SF_DEMO_MAX_TITLES, -1, -1);
	is_int(s.episodes, SF_DEMO_MAX_EPISODES, "spec: default episodes capped at the maximum");

	is_int(resolve(&s, 0, -1, -1, -1), SF_EINVAL, "spec: no titles is invalid");
	ok(has("--titles '0'"), "spec: ... naming --titles");
	is_int(resolve(&s, SF_DEMO_MAX_TITLES + 1, -1, -1, -1), SF_EINVAL,
	       "spec: too many titles is invalid");
	is_int(resolve(&s, 10, 11, -1, -1), SF_EINVAL, "spec: more series than titles");
	ok(has("--series '11': more than the 10 titles"), "spec: ... naming --series");
	is_int(resolve(&s, 100, 20, 19, -1), SF_EINVAL, "spec: fewer episodes than series");
	ok(has("--episodes '19'"), "spec: ... naming --episodes");
	is_int(resolve(&s, 100, 0, 1, -1), SF_EINVAL, "spec: episodes without series");
	is_int(resolve(&s, 100, 20, 20001, -1), SF_EINVAL, "spec: over 1000 episodes a series");
	is_int(resolve(&s, 100, 20, 20000, -1), 0, "spec: 1000 episodes a series is fine");
	is_int(resolve(&s, 100, 20, 20, 0), SF_EINVAL, "spec: no people is invalid");
	ok(has("--people '0'"), "spec: ... naming --people");
	resolve(&s, 100, -1, -1, -1);
	s.seed = -1;
	is_int(sf_demo_spec_resolve(&s), SF_EINVAL, "spec: a negative seed is invalid");

	resolve(&s, 100, -1, -1, -1);
	ok(s.viewers == 0 && s.plays == 0, "spec: no viewers, no plays by default");
	resolve(&s, 100, -1, -1, -1);
	s.viewers = 40;
	s.plays = -1;
	is_int(sf_demo_spec_resolve(&s), 0, "spec: viewers resolve");
	is_int(s.plays, 1000, "spec: 25 plays a viewer by default");
	s.viewers = 0;
	s.plays = 5;
	is_int(sf_demo_spec_resolve(&s), SF_EINVAL, "spec: plays without viewers");
	ok(has("--plays '5': there are no viewers"), "spec: ... naming --plays");
	s.viewers = 10;
	s.plays = 10001;
	is_int(sf_demo_spec_resolve(&s), SF_EINVAL, "spec: over 1000 plays a viewer");
	s.viewers = SF_DEMO_MAX_VIEWERS + 1;
	s.plays = -1;
	is_int(sf_demo_spec_resolve(&s), SF_EINVAL, "spec: too many viewers");
}

/* Progress: the steps seen, in order, and whether each ran 0% .. 100%. */
struct seen {
	char steps[512];
	long long last_done, last_total;
	int calls, backwards, over;
};

static void on_progress(void *arg, const char *step, long long done, long long total)
{
	struct seen *s = arg;
	size_t n = strlen(s->steps);
	const char *tail = n ? strrchr(s->steps, ',') : NULL;

	tail = tail ? tail + 1 : s->steps;
	if (strcmp(tail, step)) {
		snprintf(s->steps + n, sizeof(s->steps) - n, "%s%s", n ? "," : "", step);
		s->last_done = -1;
	}
	s->backwards |= done < s->last_done;
	s->over |= done > total;
	s->last_done = done;
	s->last_total = total;
	s->calls++;
}

static long long count(const char *table)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return test_db_count(db, sql);
}

static void generate(void)
{
	struct sf_demo_spec spec = SF_DEMO_SPEC_INIT;
	struct sf_demo_summary sum;
	struct seen seen = { 0 };
	json_t *j;

	spec.titles = 300;
	spec.seed = 9;
	is_int(sf_demo_generate(db, &os, &spec, on_progress, &seen, &sum), 0, "generate: succeeds");
	is_str(seen.steps, "genres,titles,episodes,people,credits,indexes,search,indexes",
	       "generate: progress reports every step in order");
	ok(!seen.backwards && !seen.over, "generate: progress never goes back or past the total");
	ok(sum.seed == 9 && sum.titles == 300 && sum.movies == 240 && sum.series == 60 &&
	   sum.episodes == 3000 && sum.people == 300 && sum.genres == 18 &&
	   sum.replaced_titles == 0, "generate: the summary has the sizes");
	ok(sum.seasons == count("seasons") && sum.credits == count("credits") &&
	   sum.episodes == count("episodes") && sum.titles == count("titles"),
	   "generate: the summary counts what is in the tables");
	ok(sum.seconds > 0, "generate: the summary has the time taken");
	j = sf_demo_summary_json(&sum);
	is_int((long long)json_object_size(j), 16, "summary: 16 keys");
	is_int(json_integer_value(json_object_get(j, "episodes")), 3000, "summary: episodes");
	json_decref(j);

	is_int(sf_demo_generate(db, &os, &spec, NULL, NULL, &sum), SF_ECONFLICT,
	       "generate: a catalog that is not empty is a conflict");
	ok(has("the catalog is not empty (300 titles, 300 people)"), "generate: ... saying so");
	spec.replace = true;
	spec.titles = 20;
	is_int(sf_demo_generate(db, &os, &spec, NULL, NULL, &sum), 0,
	       "generate: replace replaces it");
	ok(sum.replaced_titles == 300 && count("titles") == 20 && count("people") == 100,
	   "generate: ... counting what it replaced");
	is_int(test_db_count(db, "SELECT count(*) FROM audit_log WHERE action = 'catalog.generate'"),
	       2, "generate: one audit entry each");
}

static void permission(void)
{
	struct sf_account_new viewer = { "viewer@example.com", "viewer", "Secret123", NULL };
	struct sf_demo_spec spec = SF_DEMO_SPEC_INIT;
	struct sf_demo_summary sum;
	struct sf_account a;
	struct sf_actor v;

	spec.replace = true;
	sf_account_add(db, &os, &viewer, &a);
	sf_account_release(&a);
	sf_actor_account(db, "viewer", &v);
	is_int(sf_demo_generate(db, &v, &spec, NULL, NULL, &sum), SF_EFORBIDDEN,
	       "permission: a viewer may not generate");
	ok(has("may not manage the catalog"), "permission: ... saying so");
	is_int(count("titles"), 20, "permission: the catalog is as it was");
	spec.titles = -5;
	is_int(sf_demo_generate(db, &v, &spec, NULL, NULL, &sum), SF_EFORBIDDEN,
	       "permission: checked before the sizes");
	sf_actor_release(&v);
}

int main(void)
{
	db = test_db_open("demo");
	sf_actor_os(&os);

	specs();
	generate();
	permission();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
