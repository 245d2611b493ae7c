/*
 * title.c - the catalog against a real PostgreSQL: every field's checks
 * and canonical form, the one JSON form, refs, add, edit (and the edit
 * that changes nothing), genres, seasons, episodes and credits, status and
 * scheduled publishing with what viewers see, listing, history and
 * rollback, deletion, who may do what, and that a refused change writes
 * nothing.  Last, many connections edit one title at once: every change
 * must get its own consecutive version, none lost.
 *
 * Import and export are in title_io.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "credit.h"
#include "crowd.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "genre.h"
#include "json.h"
#include "maturity.h"
#include "season.h"
#include "tap.h"
#include "testdb.h"
#include "title.h"
#include "title_field.h"
#include "title_version.h"

static struct sf_db *db;
static struct sf_actor os;

/* ---- helpers ---- */

/* A digest of every catalog row, versions and audit entries included:
 * equal before and after means nothing was written. */
static long long digest(void)
{
	return test_db_countf(db, "SELECT ('x' || substr(md5(string_agg(t, '|'"
			      " ORDER BY t)), 1, 15))::bit(60)"
			      "::bigint FROM (SELECT to_jsonb(x)::text AS t FROM titles x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM title_genres x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM genres x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM seasons x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM episodes x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM credits x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM people x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM title_versions x"
			      " UNION ALL SELECT to_jsonb(x)::text FROM audit_log x) all_rows");
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void genre(const char *name)
{
	json_t *g = NULL;

	if (sf_genre_add(db, &os, name, &g)) {
		printf("Bail out! genre %s: %s\n", name, sf_error_message());
		exit(1);
	}
	json_decref(g);
}

/* Adds a title from "field=value" pairs (NULL-terminated); bails out on
 * failure.  Returns its id. */
static long long add(const char *kind, const char *name, ...)
{
	struct sf_title_input in;
	json_t *t = NULL;
	const char *kv;
	long long id;
	va_list ap;

	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "kind", kind, NULL);
	sf_title_input_set_text(&in, "title", name, NULL);
	va_start(ap, name);
	while ((kv = va_arg(ap, const char *))) {
		char field[64];
		const char *eq = strchr(kv, '=');

		snprintf(field, sizeof(field), "%.*s", (int)(eq - kv), kv);
		if (sf_title_input_set_text(&in, field, eq + 1, NULL)) {
			printf("Bail out! %s: %s\n", kv, sf_error_message());
			exit(1);
		}
	}
	va_end(ap);
	if (sf_title_input_check(&in) || sf_title_add(db, &os, &in, &t)) {
		printf("Bail out! adding %s: %s\n", name, sf_error_message());
		exit(1);
	}
	id = num(t, "id");
	json_decref(t);
	sf_title_input_release(&in);
	return id;
}

/* Edits ref with one field set from text, as the operating-system user. */
static int edit1(const char *ref, const char *field, const char *text, int *changed)
{
	struct sf_title_input in;
	json_t *t = NULL;
	int ch = 0, rc;

	sf_title_input_init(&in);
	rc = sf_title_input_set_text(&in, field, text, NULL);
	if (!rc)
		rc = sf_title_input_check(&in);
	if (!rc)
		rc = sf_title_edit(db, &os, ref, &in, &t, &ch);
	if (changed)
		*changed = ch;
	json_decref(t);
	sf_title_input_release(&in);
	return rc;
}

static json_t *get(const char *ref)
{
	json_t *t = NULL;

	if (sf_title_get(db, &os, ref, &t)) {
		printf("Bail out! get %s: %s\n", ref, sf_error_message());
		exit(1);
	}
	return t;
}

static void account(const char *email, const char *username, const char *role,
		    struct sf_actor *as)
{
	struct sf_account_new in = { email, username, "Secret123", role };
	struct sf_account a;

	if (sf_account_add(db, &os, &in, &a) || sf_actor_account(db, email, as)) {
		printf("Bail out! account %s: %s\n", email, sf_error_message());
		exit(1);
	}
	sf_account_release(&a);
}

/* ---- fields ---- */

/* Sets one field from text; returns the code, *out the canonical column
 * value (or NULL). */
static int field(const char *name, const char *text, json_t **out)
{
	struct sf_title_input in;
	const char *col = !strcmp(name, "maturity_level") ? "maturity" : name;
	int rc;

	sf_title_input_init(&in);
	rc = sf_title_input_set_text(&in, name, text, NULL);
	*out = NULL;
	if (!rc) {
		json_t *v = json_object_get(in.cols, col);

		if (!v && !strcmp(name, "genres"))
			v = in.genres;
		*out = json_incref(v);
	}
	sf_title_input_release(&in);
	return rc;
}

static void bad(const char *name, const char *text, const char *why)
{
	json_t *v = NULL;

	is_int(field(name, text, &v), SF_EINVAL, "field %s '%s' is refused", name, text);
	ok(test_error_has(why), "...saying '%s' (%s)", why, sf_error_message());
	json_decref(v);
}

static void good(const char *name, const char *text, const char *want)
{
	json_t *v = NULL;
	char *got = NULL;

	is_int(field(name, text, &v), 0, "field %s '%s' is accepted", name, text);
	got = v ? sf_json_dump(v) : NULL;
	is_str(got, want, "...as %s", want);
	free(got);
	json_decref(v);
}

static void fields(void)
{
	good("title", "Amélie", "\"Amélie\"");
	bad("title", "", "title '': must not be empty");
	bad("title", "a\tb", "contains a control character");
	good("overview", "Two lines.\nOf text.", "\"Two lines.\\nOf text.\"");
	good("overview", "", "null");
	good("kind", "SERIES", "\"series\"");
	bad("kind", "film", "kind 'film': not one of movie, series");
	good("release_date", "2024-02-29", "\"2024-02-29\"");
	bad("release_date", "2023-02-29", "release_date '2023-02-29': not a date");
	bad("release_date", "1972-3-24", "not a date (YYYY-MM-DD");
	bad("release_date", "1972-03-24x", "not a date");
	good("year", "1972", "1972");
	bad("year", "1869", "year '1869': not a whole number from 1870 to 2200");
	bad("year", "19x2", "not a whole number");
	good("year", "", "null");
	good("runtime_minutes", "175", "175");
	bad("runtime_minutes", "0", "from 1 to 2000");
	good("maturity", "tv-14", "4");
	good("maturity", "nr", "6");
	bad("maturity", "X", "maturity 'X': not one of G, TV-Y");
	bad("maturity", "", "maturity '': not one of");
	good("maturity_level", "3", "3");
	bad("maturity_level", "7", "from 1 to 6");
	good("genres", "Crime, Drama,crime", "[\"Crime\",\"Drama\"]");
	bad("genres", "Sci|Fi", "must not contain ',' or '|'");
	good("original_language", "PT-br", "\"pt-BR\"");
	bad("original_language", "english", "original_language 'english': not a language tag");
	good("spoken_languages", "en,IT,en", "[\"en\",\"it\"]");
	good("spoken_languages", "", "[]");
	bad("spoken_languages", "en,e", "spoken_languages 'e': not a language tag");
	good("countries", "us,fr", "[\"US\",\"FR\"]");
	bad("countries", "USA", "countries 'USA': not a two-letter country code");
	bad("regions", "u1", "regions 'u1': not a two-letter country code");
	good("poster_url", "https://img.example.com/p.jpg", "\"https://img.example.com/p.jpg\"");
	good("poster_url", "HTTP://example.com", "\"HTTP://example.com\"");
	bad("poster_url", "ftp://example.com/p.jpg", "poster_url 'ftp://example.com/p.jpg': not an "
	    "http or https URL");
	bad("backdrop_url", "https:///x", "not an http or https URL");
	bad("backdrop_url", "https://a b.com/", "not an http or https URL");
	good("external_id", "tt0068646", "\"tt0068646\"");
	bad("external_id", "tt 1", "must not contain spaces");
	good("popularity", "7.3", "7.3");
	good("popularity", "12.34567", "12.346");
	bad("popularity", "-1", "popularity '-1': not a number from 0");
	bad("popularity", "nan", "not a number");
	bad("popularity", "", "not a number");
	good("status", "Published", "\"published\"");
	bad("status", "live", "status 'live': not one of draft, published, archived");
	good("available_from", "2026-12-01", "\"2026-12-01T00:00:00Z\"");
	good("available_from", "2026-12-01T18:30", "\"2026-12-01T18:30:00Z\"");
	good("available_from", "2026-12-01T01:30:15+02:00", "\"2026-11-30T23:30:15Z\"");
	good("available_until", "2026-12-31T23:00:00-05:00", "\"2027-01-01T04:00:00Z\"");
	good("available_until", "2026-12-01T18:30Z", "\"2026-12-01T18:30:00Z\"");
	bad("available_from", "2026-12-01T25:00", "available_from '2026-12-01T25:00': not a time");
	bad("available_from", "tomorrow", "not a time");
	bad("available_until", "2026-12-01T10:00+2", "not a time");

	{
		json_t *v = NULL;
		struct sf_title_input in;

		is_int(field("credits", "x", &v), SF_EINVAL, "credits cannot come as text");
		sf_title_input_init(&in);
		is_int(sf_title_input_set_text(&in, "year", "1971", "--year"), 0, "year set...");
		is_int(sf_title_input_set_text(&in, "release_date", "1972-03-24", "--release-date"), 0,
		       "...and a release date of another year...");
		is_int(sf_title_input_check(&in), SF_EINVAL, "...disagree");
		ok(test_error_has("year '1971': the release date 1972-03-24 is in 1972"),
		   "...saying so (%s)",
		   sf_error_message());
		sf_title_input_release(&in);
		sf_title_input_init(&in);
		sf_title_input_set_text(&in, "release_date", "1972-03-24", NULL);
		is_int(sf_title_input_check(&in), 0, "a release date alone...");
		is_int(json_integer_value(json_object_get(in.cols, "year")), 1972,
		       "...sets the year");
		sf_title_input_release(&in);
		sf_title_input_init(&in);
		sf_title_input_set_text(&in, "available_from", "2026-12-01", NULL);
		sf_title_input_set_text(&in, "available_until", "2026-12-01", NULL);
		is_int(sf_title_input_check(&in), SF_EINVAL, "a window that ends as it starts is refused");
		ok(test_error_has("available_until '2026-12-01T00:00:00Z': not after available_from"),
		   "...saying so (%s)", sf_error_message());
		sf_title_input_release(&in);
		sf_title_input_init(&in);
		is_int(sf_title_input_set_text(&in, "maturity", "PG", "--maturity"), 0, "maturity PG...");
		is_int(sf_title_input_set_text(&in, "maturity_level", "4", NULL), SF_EINVAL,
		       "...and maturity_level 4 disagree");
		ok(test_error_has("disagrees"), "...saying so (%s)", sf_error_message());
		is_int(sf_title_input_set_text(&in, "nonsense", "1", NULL), SF_EINTERNAL,
		       "a field that does not exist is a bug from text");
		sf_title_input_release(&in);
	}
	/* The labels the SQL side gives each level are lib/maturity.c's. */
	for (int level = SF_MATURITY_MIN; level <= SF_MATURITY_MAX; level++)
		is_int(test_db_countf(db, "SELECT (sf_maturity_label(%d::smallint) = '%s')::int", level,
				      sf_maturity_label(level)), 1,
		       "maturity level %d is %s in SQL as in C", level, sf_maturity_label(level));
}

/* ---- add, the form, refs ---- */

static void add_and_form(void)
{
	static const char *const keys =
		"id,kind,title,original_title,overview,tagline,release_date,year,runtime_minutes,"
		"maturity,maturity_level,genres,original_language,spoken_languages,countries,"
		"credits,poster_url,backdrop_url,external_id,popularity,rating_avg,rating_count,"
		"status,available_from,available_until,regions,version,created_at,updated_at";
	char got[1024] = "";
	const char *key;
	json_t *t, *v;
	long long id;

	genre("Crime");
	genre("Drama");
	id = add("movie", "The Godfather", "year=1972", "genres=crime,DRAMA", "runtime_minutes=175",
		 "maturity=R", "external_id=tt0068646", "release_date=1972-03-24",
		 "popularity=7.3", "spoken_languages=en,it", "countries=us", NULL);
	t = get("tt0068646");
	json_object_foreach(t, key, v)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", *got ? "," : "", key);
	is_str(got, keys, "form: a movie's keys, in the form's order");
	ok(num(t, "id") == id && num(t, "version") == 1, "add: a new title is version 1");
	is_str(str(t, "maturity"), "R", "form: maturity by its label");
	is_int(num(t, "maturity_level"), 5, "form: ...and its level");
	is_str(json_string_value(json_array_get(json_object_get(t, "genres"), 0)), "Crime",
	       "form: genres by their names as the list has them");
	is_str(str(t, "status"), "draft", "add: a new title is a draft");
	ok(json_is_null(json_object_get(t, "rating_avg")) && num(t, "rating_count") == 0,
	   "form: no rating yet");
	json_decref(t);
	is_int(test_db_countf(db, "SELECT count(*) FROM title_versions WHERE title_id = %lld"
			      " AND version = 1"
			      " AND action = 'title.add' AND actor = '%s'", id, os.name), 1,
	       "add: version 1 is stored, with its actor");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'title.add'"
			      " AND entity_type = 'title' AND entity_id = '%lld' AND old IS NULL"
			      " AND new->>'title' = 'The Godfather'", id), 1, "add: audited");
	is_int(test_db_countf(db, "SELECT count(*) FROM titles WHERE id = %lld"
			      " AND search_doc <> ''", id), 1,
	       "add: the search document is built");

	id = add("series", "Breaking Bad", "external_id=tt0903747", NULL);
	t = get("ext:tt0903747");
	ok(json_is_array(json_object_get(t, "seasons")), "form: a series has seasons");
	json_decref(t);
	add("movie", "Numbered", "external_id=238", NULL);
	t = get("ext:238");
	is_str(str(t, "title"), "Numbered", "refs: ext: names an all-digit external id");
	json_decref(t);
	t = NULL;
	is_int(sf_title_get(db, &os, "238", &t), SF_ENOTFOUND, "refs: ...which alone is an id");
	is_int(sf_title_get(db, &os, "tt404", &t), SF_ENOTFOUND, "refs: an unknown external id");
	ok(test_error_has("title 'tt404': not found"),
	   "refs: ...is not found (%s)", sf_error_message());
	is_int(sf_title_get(db, &os, "", &t), SF_EINVAL, "refs: an empty ref is invalid");
	is_int(sf_title_get(db, &os, "ext:", &t), SF_EINVAL, "refs: 'ext:' alone is invalid");
	is_int(sf_title_get(db, &os, "99999999999999999999", &t), SF_EINVAL,
	       "refs: an id too large is invalid");
	is_int(sf_title_get(db, &os, "\xff", &t), SF_EINVAL, "refs: bad UTF-8 is invalid");
}

static void add_rejects(void)
{
	struct sf_title_input in;
	json_t *t = NULL;
	long long before = digest();

	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "kind", "movie", NULL);
	sf_title_input_set_text(&in, "title", "Dup", NULL);
	sf_title_input_set_text(&in, "external_id", "tt0068646", NULL);
	is_int(sf_title_add(db, &os, &in, &t), SF_ECONFLICT, "add: a taken external id conflicts");
	ok(test_error_has("external id 'tt0068646' is already used by title"),
	   "add: ...saying by which (%s)",
	   sf_error_message());
	sf_title_input_set_text(&in, "external_id", "tt-new", NULL);
	sf_title_input_set_text(&in, "genres", "Crime,Sci-Fi", NULL);
	is_int(sf_title_add(db, &os, &in, &t), SF_ENOTFOUND, "add: an unknown genre is not found");
	ok(test_error_has("genre 'Sci-Fi': not found"),
	   "add: ...naming it (%s)", sf_error_message());
	sf_title_input_release(&in);
	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "title", "No kind", NULL);
	is_int(sf_title_add(db, &os, &in, &t), SF_EINVAL, "add: a title needs a kind");
	sf_title_input_release(&in);
	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "kind", "series", NULL);
	sf_title_input_set_text(&in, "title", "Long", NULL);
	sf_title_input_set_text(&in, "runtime_minutes", "50", NULL);
	is_int(sf_title_input_check(&in), SF_EINVAL, "add: a series with a runtime is invalid");
	is_int(sf_title_add(db, &os, &in, &t), SF_EINVAL, "add: ...also if not checked first");
	sf_title_input_release(&in);
	ok(t == NULL, "add: a refused add returns no title");
	is_int(digest(), before, "add: refused adds wrote nothing");
}

/* ---- edit ---- */

static void edit(void)
{
	json_t *t;
	int changed = -1;
	long long before;

	is_int(edit1("tt0068646", "tagline", "An offer you can't refuse.", &changed), 0,
	       "edit: a field");
	ok(changed == 1, "edit: ...changes the title");
	t = get("tt0068646");
	is_int(num(t, "version"), 2, "edit: ...and makes version 2");
	is_str(str(t, "tagline"), "An offer you can't refuse.", "edit: ...with the field set");
	is_int(num(t, "year"), 1972, "edit: ...and the others as they were");
	json_decref(t);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'title.edit'"
			      " AND old->>'tagline' IS NULL AND new->>'tagline' LIKE 'An offer%%'"), 1,
	       "edit: audited with the title before and after");

	before = digest();
	is_int(edit1("tt0068646", "tagline", "An offer you can't refuse.", &changed), 0,
	       "edit: setting a field to its value succeeds");
	ok(changed == 0, "edit: ...but changes nothing");
	is_int(digest(), before, "edit: ...and writes no version nor audit entry");

	is_int(edit1("tt0068646", "tagline", "", &changed), 0, "edit: '' clears a field");
	t = get("tt0068646");
	ok(json_is_null(json_object_get(t, "tagline")) && num(t, "version") == 3,
	   "edit: ...as version 3");
	json_decref(t);

	before = digest();
	is_int(edit1("tt0068646", "year", "1973", NULL), SF_EINVAL,
	       "edit: a year against the release date is invalid");
	ok(test_error_has("year '1973': the release date 1972-03-24 is in 1972"),
	   "edit: ...saying so (%s)",
	   sf_error_message());
	is_int(edit1("tt0068646", "kind", "series", NULL), SF_ECONFLICT,
	       "edit: a movie with a runtime cannot become a series");
	ok(test_error_has("has a runtime"), "edit: ...saying why (%s)", sf_error_message());
	is_int(edit1("tt0903747", "runtime_minutes", "50", NULL), SF_EINVAL,
	       "edit: a series given a runtime is invalid");
	is_int(edit1("tt0903747", "external_id", "tt0068646", NULL), SF_ECONFLICT,
	       "edit: another title's external id conflicts");
	is_int(edit1("tt0903747", "available_until", "2000-01-01", NULL), 0,
	       "edit: an end alone is fine");
	before = digest();
	is_int(edit1("tt0903747", "available_from", "2001-01-01", NULL), SF_EINVAL,
	       "edit: a start after the end already there is invalid");
	ok(test_error_has("not after available_from"),
	   "edit: ...saying so (%s)", sf_error_message());
	is_int(edit1("tt404", "year", "1999", NULL), SF_ENOTFOUND, "edit: an unknown title");
	{
		struct sf_title_input in;
		json_t *out = NULL;

		sf_title_input_init(&in);
		is_int(sf_title_edit(db, &os, "tt0068646", &in, &out, NULL), SF_EINVAL,
		       "edit: nothing to change is invalid");
		sf_title_input_release(&in);
	}
	is_int(digest(), before, "edit: refused edits wrote nothing");
	is_int(edit1("tt0903747", "available_until", "", NULL), 0, "edit: clear the end again");
}

/* ---- genres ---- */

static void genres(void)
{
	json_t *g = NULL, *t;
	long long before;

	is_int(sf_genre_add(db, &os, "crime", &g), SF_ECONFLICT, "genre: a name in another case");
	ok(test_error_has("genre 'crime' already exists (as 'Crime')"), "genre: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_genre_add(db, &os, "1984", &g), SF_EINVAL, "genre: all digits is invalid");
	is_int(sf_genre_add(db, &os, "A,B", &g), SF_EINVAL, "genre: a comma is invalid");
	is_int(sf_genre_add(db, &os, " Pad", &g), SF_EINVAL, "genre: edge spaces are invalid");
	is_int(sf_genre_add(db, &os, "Thriller", &g), 0, "genre: add");
	is_int(num(g, "titles"), 0, "genre: ...with no titles");
	json_decref(g);
	is_int(sf_genre_rename(db, &os, "thriller", "Drama", &g), SF_ECONFLICT,
	       "genre: rename to a taken name");
	is_int(sf_genre_rename(db, &os, "thriller", "THRILLER", &g), 0,
	       "genre: rename in another case");
	json_decref(g);
	is_int(sf_genre_rename(db, &os, "crime", "Crime Drama", &g), 0, "genre: rename one in use");
	is_int(num(g, "titles"), 1, "genre: ...which one title has");
	json_decref(g);
	t = get("tt0068646");
	is_str(json_string_value(json_array_get(json_object_get(t, "genres"), 0)), "Crime Drama",
	       "genre: the title shows the new name");
	is_int(num(t, "version"), 3, "genre: ...without a new version");
	json_decref(t);
	before = digest();
	is_int(sf_genre_delete(db, &os, "Crime Drama", &g), SF_ECONFLICT,
	       "genre: one in use cannot be deleted");
	ok(test_error_has("is used by 1 title"), "genre: ...saying so (%s)", sf_error_message());
	is_int(sf_genre_delete(db, &os, "nope", &g), SF_ENOTFOUND, "genre: unknown");
	is_int(digest(), before, "genre: refusals wrote nothing");
	is_int(sf_genre_delete(db, &os, "thriller", &g), 0, "genre: delete an unused one");
	is_str(str(g, "name"), "THRILLER", "genre: ...returning it");
	json_decref(g);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE entity_type = 'genre'"), 6,
	       "genre: add, renames and delete are audited");
	is_int(sf_genre_rename(db, &os, "Crime Drama", "Crime", &g), 0, "genre: rename back");
	json_decref(g);
}

/* ---- seasons, episodes, credits ---- */

static json_t *obj(const char *text)
{
	return json_loads(text, 0, NULL);
}

static void seasons(void)
{
	json_t *t = NULL, *in;
	long long before;
	int changed;

	in = obj("{\"number\": 1, \"name\": \"Season 1\"}");
	t = get("tt0903747");
	before = num(t, "version");
	json_decref(t);
	is_int(sf_season_add(db, &os, "tt0903747", in, &t), 0, "season: add");
	is_int(json_array_size(json_object_get(t, "seasons")), 1, "season: ...the series has it");
	is_int(num(t, "version"), before + 1, "season: ...as a new version of the title");
	json_decref(t);
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'season.add'"
			      " AND entity_type = 'title'"), 1, "season: ...audited on the title");
	before = digest();
	is_int(sf_season_add(db, &os, "tt0903747", in, &t), SF_ECONFLICT, "season: a taken number");
	ok(test_error_has("title 'Breaking Bad': season 1 already exists"),
	   "season: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_season_add(db, &os, "tt0068646", in, &t), SF_ECONFLICT, "season: not on a movie");
	ok(test_error_has("is a movie; only a series has seasons"), "season: ...saying so (%s)",
	   sf_error_message());
	json_decref(in);
	in = obj("{\"number\": -1}");
	is_int(sf_season_add(db, &os, "tt0903747", in, &t), SF_EINVAL, "season: a bad number");
	json_decref(in);
	in = obj("{\"name\": \"x\"}");
	is_int(sf_season_add(db, &os, "tt0903747", in, &t), SF_EINVAL, "season: no number");
	ok(test_error_has("number: missing"), "season: ...saying so (%s)", sf_error_message());
	json_decref(in);
	in = obj("{\"number\": 2, \"colour\": \"x\"}");
	is_int(sf_season_add(db, &os, "tt0903747", in, &t), SF_EINVAL, "season: an unknown field");
	ok(test_error_has("unknown field 'colour'"),
	   "season: ...naming it (%s)", sf_error_message());
	json_decref(in);
	is_int(digest(), before, "season: refusals wrote nothing");

	in = obj("{\"number\": 1, \"name\": \"Pilot\", \"runtime_minutes\": 58}");
	is_int(sf_episode_add(db, &os, "tt0903747", 1, in, &t), 0, "episode: add");
	json_decref(t);
	json_decref(in);
	in = obj("{\"number\": 2, \"name\": \"Cat's in the Bag...\"}");
	is_int(sf_episode_add(db, &os, "tt0903747", 1, in, &t), 0, "episode: add another");
	json_decref(t);
	before = digest();
	is_int(sf_episode_add(db, &os, "tt0903747", 1, in, &t), SF_ECONFLICT,
	       "episode: a taken number");
	ok(test_error_has("season 1 episode 2 already exists"), "episode: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_episode_add(db, &os, "tt0903747", 7, in, &t), SF_ENOTFOUND,
	       "episode: in a season that is not there");
	ok(test_error_has("season 7: not found"), "episode: ...saying so (%s)", sf_error_message());
	json_decref(in);
	in = obj("{\"number\": 3}");
	is_int(sf_episode_add(db, &os, "tt0903747", 1, in, &t), SF_EINVAL, "episode: needs a name");
	json_decref(in);
	in = obj("{\"number\": 3, \"name\": \"x\", \"runtime_minutes\": 0}");
	is_int(sf_episode_add(db, &os, "tt0903747", 1, in, &t), SF_EINVAL, "episode: bad runtime");
	ok(test_error_has("runtime_minutes '0': not a whole number from 1 to 2000"),
	   "episode: ...saying so (%s)", sf_error_message());
	json_decref(in);
	is_int(digest(), before, "episode: refusals wrote nothing");

	in = obj("{\"number\": 3, \"runtime_minutes\": null}");
	is_int(sf_episode_edit(db, &os, "tt0903747", 1, 1, in, &t, &changed), 0,
	       "episode: edit renumbers and clears");
	json_decref(in);
	in = json_object_get(json_array_get(json_object_get(t, "seasons"), 0), "episodes");
	ok(num(json_array_get(in, 1), "number") == 3 &&
	   json_is_null(json_object_get(json_array_get(in, 1), "runtime_minutes")) &&
	   !strcmp(str(json_array_get(in, 1), "name"), "Pilot"),
	   "episode: ...keeping the rest");
	json_decref(t);
	in = obj("{\"number\": 2}");
	is_int(sf_episode_edit(db, &os, "tt0903747", 1, 3, in, &t, &changed), SF_ECONFLICT,
	       "episode: renumbered onto another");
	is_int(sf_episode_edit(db, &os, "tt0903747", 1, 9, in, &t, &changed), SF_ENOTFOUND,
	       "episode: edit one not there");
	json_decref(in);
	in = json_object();
	is_int(sf_episode_edit(db, &os, "tt0903747", 1, 3, in, &t, &changed), SF_EINVAL,
	       "episode: edit with nothing to change");
	json_decref(in);
	is_int(sf_episode_delete(db, &os, "tt0903747", 1, 3, &t), 0, "episode: delete");
	ok(json_array_size(json_object_get(json_array_get(json_object_get(t, "seasons"), 0),
					   "episodes")) == 2,
	   "episode: ...returns the title as it was");
	json_decref(t);
	is_int(sf_episode_delete(db, &os, "tt0903747", 1, 3, &t), SF_ENOTFOUND,
	       "episode: delete again");

	in = obj("{\"number\": 2, \"name\": \"Two\"}");
	sf_season_add(db, &os, "tt0903747", in, &t);
	json_decref(t);
	json_decref(in);
	in = obj("{\"number\": 3, \"overview\": \"Later.\"}");
	is_int(sf_season_edit(db, &os, "tt0903747", 2, in, &t, &changed), 0, "season: edit");
	ok(num(json_array_get(json_object_get(t, "seasons"), 1), "number") == 3 &&
	   !strcmp(str(json_array_get(json_object_get(t, "seasons"), 1), "name"), "Two"),
	   "season: ...renumbered, the name kept");
	json_decref(t);
	json_decref(in);
	in = obj("{\"number\": 1}");
	is_int(sf_season_edit(db, &os, "tt0903747", 3, in, &t, &changed), SF_ECONFLICT,
	       "season: renumbered onto another");
	json_decref(in);
	is_int(sf_season_delete(db, &os, "tt0903747", 3, &t), 0, "season: delete");
	json_decref(t);
	is_int(sf_season_delete(db, &os, "tt0903747", 3, &t), SF_ENOTFOUND, "season: delete again");
	is_int(edit1("tt0903747", "kind", "movie", NULL), SF_ECONFLICT,
	       "edit: a series with seasons cannot become a movie");
	ok(test_error_has("has seasons"), "edit: ...saying why (%s)", sf_error_message());
}

static void credits(void)
{
	json_t *t = NULL, *in, *c;
	long long before;

	in = obj("{\"name\": \"Marlon Brando\", \"role\": \"cast\", \"character\": \"Vito\"}");
	is_int(sf_credit_add(db, &os, "tt0068646", in, &t), 0, "credit: add a cast member");
	json_decref(t);
	json_decref(in);
	in = obj("{\"name\": \"Al Pacino\", \"role\": \"cast\"}");
	is_int(sf_credit_add(db, &os, "tt0068646", in, &t), 0, "credit: another");
	json_decref(in);
	in = obj("{\"name\": \"Francis Ford Coppola\", \"role\": \"director\"}");
	json_decref(t);
	is_int(sf_credit_add(db, &os, "tt0068646", in, &t), 0, "credit: a director");
	json_decref(in);
	c = json_object_get(t, "credits");
	ok(!strcmp(str(json_array_get(c, 0), "role"), "director") &&
	   num(json_array_get(c, 1), "order") == 0 && num(json_array_get(c, 2), "order") == 1 &&
	   !strcmp(str(json_array_get(c, 2), "name"), "Al Pacino"),
	   "credit: directors first, the cast in order, each new one last");
	json_decref(t);
	before = digest();
	in = obj("{\"name\": \"Marlon Brando\", \"role\": \"cast\"}");
	is_int(sf_credit_add(db, &os, "tt0068646", in, &t), SF_ECONFLICT,
	       "credit: the same person and role again");
	ok(test_error_has("'Marlon Brando' is already credited as cast"),
	   "credit: ...saying so (%s)",
	   sf_error_message());
	json_decref(in);
	in = obj("{\"name\": \"Mario Puzo\", \"role\": \"writer\", \"character\": \"x\"}");
	is_int(sf_credit_add(db, &os, "tt0068646", in, &t), SF_EINVAL,
	       "credit: a writer has no character");
	json_decref(in);
	in = obj("{\"name\": \"Mario Puzo\", \"role\": \"actor\"}");
	is_int(sf_credit_add(db, &os, "tt0068646", in, &t), SF_EINVAL, "credit: an unknown role");
	ok(test_error_has("role 'actor': not one of cast, director, writer"),
	   "credit: ...naming it (%s)",
	   sf_error_message());
	json_decref(in);
	is_int(sf_credit_remove(db, &os, "tt0068646", "Nobody", NULL, &t), SF_ENOTFOUND,
	       "credit: remove someone not credited");
	is_int(sf_credit_remove(db, &os, "tt0068646", "Al Pacino", "director", &t), SF_ENOTFOUND,
	       "credit: remove a role not held");
	is_int(digest(), before, "credit: refusals wrote nothing");
	is_int(sf_credit_remove(db, &os, "tt0068646", "al pacino", NULL, &t), 0,
	       "credit: remove, in any case");
	json_decref(t);
	t = get("tt0068646");
	is_int(json_array_size(json_object_get(t, "credits")), 2, "credit: ...gone");
	json_decref(t);
}

/* ---- status, schedule, what viewers see, list ---- */

static void status_and_visibility(void)
{
	struct sf_actor viewer, manager;
	struct sf_title_input in;
	json_t *t = NULL;
	int changed;

	account("viewer@example.com", "viewer", NULL, &viewer);
	account("cm@example.com", "cm", "content_manager", &manager);
	is_int(sf_title_get(db, &viewer, "tt0068646", &t), SF_ENOTFOUND,
	       "visible: a viewer does not see a draft");
	is_int(sf_title_set_status(db, &os, "tt0068646", "published", &t), 0, "publish");
	json_decref(t);
	is_int(sf_title_set_status(db, &os, "tt0068646", "published", &t), SF_ECONFLICT,
	       "publish: again conflicts");
	is_int(sf_title_get(db, &viewer, "tt0068646", &t), 0, "visible: a viewer sees it now");
	json_decref(t);

	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "available_from", "2999-01-01", NULL);
	is_int(sf_title_schedule(db, &manager, "tt0068646", &in, &t, &changed), 0,
	       "schedule: a start in the future, by a content manager");
	json_decref(t);
	sf_title_input_release(&in);
	is_int(sf_title_get(db, &viewer, "tt0068646", &t), SF_ENOTFOUND,
	       "visible: not before its window");
	is_int(sf_title_get(db, &manager, "tt0068646", &t), 0, "visible: operators see it");
	json_decref(t);
	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "available_from", "2000-01-01", NULL);
	sf_title_input_set_text(&in, "regions", "CA", NULL);
	is_int(sf_title_schedule(db, &os, "tt0903747", &in, &t, &changed), 0,
	       "schedule: publishes a draft, in a region");
	is_str(str(t, "status"), "published", "schedule: ...as published");
	json_decref(t);
	sf_title_input_release(&in);
	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "year", "2008", NULL);
	is_int(sf_title_schedule(db, &os, "tt0903747", &in, &t, &changed), SF_EINVAL,
	       "schedule: only the window and regions");
	sf_title_input_release(&in);
	sf_title_input_init(&in);
	is_int(sf_title_schedule(db, &os, "tt0903747", &in, &t, &changed), SF_EINVAL,
	       "schedule: nothing to schedule");
	sf_title_input_release(&in);

	{
		struct sf_title_filter f = { .visible = 1 };
		json_t *page = NULL;

		is_int(sf_title_list(db, &os, &f, &page), 0, "list: visible");
		is_int(num(page, "total"), 1, "list: ...only the series is live now");
		json_decref(page);
		f.region = "US";
		sf_title_list(db, &os, &f, &page);
		is_int(num(page, "total"), 0, "list: ...and not in the US");
		json_decref(page);
		f.region = "ca";
		sf_title_list(db, &os, &f, &page);
		is_int(num(page, "total"), 1, "list: ...but in Canada");
		json_decref(page);
		memset(&f, 0, sizeof(f));
		sf_title_list(db, &viewer, &f, &page);
		is_int(num(page, "total"), 1, "list: a viewer sees only what is live");
		json_decref(page);
	}
	is_int(sf_title_set_status(db, &os, "tt0068646", "archived", &t), 0, "archive");
	json_decref(t);
	is_int(sf_title_set_status(db, &os, "tt0068646", "gone", &t), SF_EINVAL,
	       "status: an unknown status");

	/* Who may change what. */
	sf_title_input_init(&in);
	sf_title_input_set_text(&in, "kind", "movie", NULL);
	sf_title_input_set_text(&in, "title", "Forbidden", NULL);
	is_int(sf_title_add(db, &viewer, &in, &t), SF_EFORBIDDEN, "permissions: a viewer may not add");
	ok(test_error_has("(viewer) may not manage the catalog"), "permissions: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_title_edit(db, &viewer, "tt0903747", &in, &t, &changed), SF_EFORBIDDEN,
	       "permissions: ...nor edit");
	is_int(sf_title_delete(db, &viewer, "tt0903747", &t), SF_EFORBIDDEN,
	       "permissions: ...nor delete");
	is_int(sf_title_history(db, &viewer, "tt0903747", &t), SF_EFORBIDDEN,
	       "permissions: ...nor read the history");
	is_int(sf_genre_add(db, &viewer, "Horror", &t), SF_EFORBIDDEN,
	       "permissions: ...nor add a genre");
	is_int(sf_title_add(db, &manager, &in, &t), 0, "permissions: a content manager may add");
	json_decref(t);
	sf_title_input_release(&in);
	sf_actor_release(&viewer);
	sf_actor_release(&manager);
}

static void listing(void)
{
	struct sf_title_filter f = { .limit = 2 };
	json_t *page = NULL;
	char name[32];

	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "Film %d", i);
		add("movie", name, i % 2 ? "year=1990" : "year=2000", "genres=Drama", NULL);
	}
	is_int(sf_title_list(db, &os, &f, &page), 0, "list: a page");
	ok(num(page, "total") == 9 && num(page, "pages") == 5 && num(page, "page") == 1 &&
	   json_array_size(json_object_get(page, "items")) == 2, "list: ...total, pages, items");
	json_decref(page);
	f.page = 5;
	sf_title_list(db, &os, &f, &page);
	is_int(json_array_size(json_object_get(page, "items")), 1, "list: the last page");
	json_decref(page);
	f.page = 6;
	sf_title_list(db, &os, &f, &page);
	is_int(json_array_size(json_object_get(page, "items")), 0, "list: past the last is empty");
	json_decref(page);
	memset(&f, 0, sizeof(f));
	f.genre = "drama";
	f.year_from = 1995;
	f.kind = "movie";
	sf_title_list(db, &os, &f, &page);
	is_int(num(page, "total"), 3, "list: genre, kind and years");
	json_decref(page);
	f.year_to = 1990;
	is_int(sf_title_list(db, &os, &f, &page), SF_EINVAL, "list: an empty year range");
	f.year_to = 0;
	f.genre = "Western";
	is_int(sf_title_list(db, &os, &f, &page), SF_ENOTFOUND, "list: an unknown genre");
	memset(&f, 0, sizeof(f));
	f.sort = "title";
	f.limit = 1;
	sf_title_list(db, &os, &f, &page);
	is_str(str(json_array_get(json_object_get(page, "items"), 0), "title"), "Breaking Bad",
	       "list: sorted by title");
	json_decref(page);
	f.sort = "year";
	sf_title_list(db, &os, &f, &page);
	is_int(num(json_array_get(json_object_get(page, "items"), 0), "year"), 2000,
	       "list: sorted by year, newest first");
	json_decref(page);
	f.sort = "colour";
	is_int(sf_title_list(db, &os, &f, &page), SF_EINVAL, "list: an unknown sort");
	f.sort = NULL;
	f.limit = 1001;
	is_int(sf_title_list(db, &os, &f, &page), SF_EINVAL, "list: a limit too large");
	f.limit = 0;
	f.status = "live";
	is_int(sf_title_list(db, &os, &f, &page), SF_EINVAL, "list: an unknown status");
	f.status = NULL;
	f.region = "USA";
	is_int(sf_title_list(db, &os, &f, &page), SF_EINVAL, "list: a bad region");
}

/* ---- history, rollback, delete ---- */

static void history(void)
{
	json_t *h = NULL, *t = NULL, *v = NULL;
	int changed = -1;
	long long before, id;

	is_int(sf_title_history(db, &os, "tt0903747", &h), 0, "history");
	t = get("tt0903747");
	is_int((long long)json_array_size(h), num(t, "version"), "history: one entry a version");
	is_int(num(json_array_get(h, 0), "version"), num(t, "version"), "history: newest first");
	json_decref(t);
	json_decref(h);
	id = add("series", "Roll", "external_id=roll", NULL);
	{
		json_t *s = obj("{\"number\": 1, \"episodes\": [{\"number\": 1, \"name\": \"One\"}]}");

		sf_season_add(db, &os, "roll", s, &t);      /* version 2 */
		json_decref(s);
		json_decref(t);
	}
	edit1("roll", "overview", "Now.", NULL);               /* version 3 */
	sf_season_delete(db, &os, "roll", 1, &t);              /* version 4 */
	json_decref(t);
	is_int(sf_title_history(db, &os, "roll", &h), 0, "history: of a title with 4 versions");
	is_int(json_array_size(h), 4, "history: ...lists 4");
	is_str(str(json_array_get(h, 0), "action"), "season.delete", "history: the newest first");
	v = json_object_get(json_array_get(h, 1), "changed");
	ok(json_array_size(v) == 1 && !strcmp(json_string_value(json_array_get(v, 0)), "overview"),
	   "history: what changed in each version");
	json_decref(h);
	is_int(sf_title_version_get(db, &os, "roll", 2, &v), 0, "history: show version 2");
	ok(json_array_size(json_object_get(v, "seasons")) == 1 && num(v, "version") == 2,
	   "history: ...as it was");
	json_decref(v);
	is_int(sf_title_version_get(db, &os, "roll", 9, &v), SF_ENOTFOUND,
	       "history: a version that is not there");

	is_int(sf_title_rollback(db, &os, "roll", 2, &t, &changed), 0, "rollback to version 2");
	ok(changed && num(t, "version") == 5, "rollback: ...as version 5");
	ok(json_array_size(json_object_get(t, "seasons")) == 1 &&
	   json_is_null(json_object_get(t, "overview")), "rollback: ...seasons back, overview gone");
	json_decref(t);
	is_int(test_db_countf(db, "SELECT count(*) FROM title_versions WHERE title_id = %lld"
			      " AND version = 5"
			      " AND action = 'title.rollback' AND note = 'to version 2'", id), 1,
	       "rollback: the version says what it restored");
	before = digest();
	is_int(sf_title_rollback(db, &os, "roll", 2, &t, &changed), 0, "rollback: again");
	ok(!changed, "rollback: ...changes nothing");
	json_decref(t);
	is_int(sf_title_rollback(db, &os, "roll", 0, &t, &changed), SF_EINVAL,
	       "rollback: version 0");
	is_int(sf_title_rollback(db, &os, "roll", 6, &t, &changed), SF_ENOTFOUND,
	       "rollback: a version to come");
	is_int(digest(), before, "rollback: ...wrote nothing");

	is_int(sf_title_delete(db, &os, "roll", &t), 0, "delete");
	is_int(num(t, "id"), id, "delete: ...returns the title");
	json_decref(t);
	is_int(test_db_countf(db, "SELECT count(*) FROM seasons WHERE title_id = %lld", id) +
	       test_db_countf(db, "SELECT count(*) FROM episodes WHERE title_id = %lld", id) +
	       test_db_countf(db, "SELECT count(*) FROM title_versions"
			      " WHERE title_id = %lld", id), 0,
	       "delete: seasons, episodes and versions go with it");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'title.delete'"
			      " AND entity_id = '%lld' AND old->>'title' = 'Roll' AND new IS NULL", id), 1,
	       "delete: audited with the title as it was");
	is_int(sf_title_delete(db, &os, "roll", &t), SF_ENOTFOUND, "delete: again");
}

static void untracked(void)
{
	json_t *t = NULL, *h = NULL;
	int changed;

	sf_db_exec(db, "INSERT INTO titles (kind, title, external_id, year)"
		   " VALUES ('movie', 'Bulk', 'bulk', 1999)");
	is_int(edit1("bulk", "year", "2000", NULL), 0, "untracked: edit a title loaded by SQL");
	is_int(sf_title_history(db, &os, "bulk", &h), 0, "untracked: its history...");
	ok(json_array_size(h) == 2 &&
	   !strcmp(str(json_array_get(h, 1), "action"), "title.untracked") &&
	   !strcmp(str(json_array_get(h, 1), "actor"), "unknown"),
	   "untracked: ...keeps the version it was loaded as");
	json_decref(h);
	is_int(sf_title_rollback(db, &os, "bulk", 1, &t, &changed), 0, "untracked: ...which can be "
	       "rolled back to");
	is_int(num(t, "year"), 1999, "untracked: ...as it was");
	json_decref(t);
}

/* ---- concurrency ---- */

#define THREADS 12

/* Crowd member i changes the title crowd: half edit a field, half add a
 * season; both are changes of the title. */
static int work(struct sf_db *conn, int i, void *arg)
{
	struct sf_title_input in;
	json_t *t = NULL;
	char text[32];
	int rc;

	(void)arg;
	sf_title_input_init(&in);
	if (i % 2) {
		snprintf(text, sizeof(text), "%d", i + 1);
		sf_title_input_set_text(&in, "popularity", text, NULL);
		rc = sf_title_edit(conn, &os, "crowd", &in, &t, NULL);
	} else {
		json_t *s = json_pack("{s:i}", "number", i);

		rc = sf_season_add(conn, &os, "crowd", s, &t);
		json_decref(s);
	}
	json_decref(t);
	sf_title_input_release(&in);
	return rc;
}

static void concurrent_edits(void)
{
	long long id = add("series", "Crowd", "external_id=crowd", NULL);
	int good = test_crowd(THREADS, work, NULL, NULL, NULL);

	is_int(good, THREADS, "concurrency: %d connections changing one title all succeed", THREADS);
	is_int(test_db_countf(db, "SELECT version FROM titles WHERE id = %lld", id), THREADS + 1,
	       "concurrency: ...the title is at version %d", THREADS + 1);
	is_int(test_db_countf(db, "SELECT count(DISTINCT version) FROM title_versions"
			      " WHERE title_id = %lld", id),
	       THREADS + 1, "concurrency: ...every version is stored once");
	is_int(test_db_countf(db, "SELECT (min(version) = 1 AND max(version) = %d)::int"
			      " FROM title_versions WHERE title_id = %lld", THREADS + 1, id), 1,
	       "concurrency: ...numbered 1 to %d without a gap", THREADS + 1);
	is_int(test_db_countf(db, "SELECT count(*) FROM title_versions WHERE title_id = %lld"
			      " AND (snapshot->>'version')::int = version", id), THREADS + 1,
	       "concurrency: ...each snapshot is of its own version");
	is_int(test_db_countf(db, "SELECT count(*) FROM seasons"
			      " WHERE title_id = %lld", id), THREADS / 2,
	       "concurrency: ...no season lost");
	/* Each version has one change more than the one before it. */
	is_int(test_db_countf(db, "SELECT count(*) FROM title_versions a JOIN title_versions b"
			      " ON b.title_id = a.title_id AND b.version = a.version + 1"
			      " WHERE a.title_id = %lld AND json_array_length(b.snapshot->'seasons')"
			      " - json_array_length(a.snapshot->'seasons') + CASE WHEN"
			      " (b.snapshot->>'popularity') <> (a.snapshot->>'popularity') THEN 1 ELSE 0 END"
			      " <> 1", id), 0, "concurrency: ...each version builds on the one before");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE entity_type = 'title'"
			      " AND entity_id = '%lld' AND action IN ('title.edit', 'season.add')", id),
	       THREADS, "concurrency: ...and every change is audited");
}

int main(void)
{
	db = test_db_open("title");
	sf_actor_os(&os);

	fields();
	add_and_form();
	add_rejects();
	edit();
	genres();
	seasons();
	credits();
	status_and_visibility();
	listing();
	history();
	untracked();
	concurrent_edits();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
