/*
 * title_io.c - import and export of titles against a real PostgreSQL:
 * JSON arrays, JSON lines and CSV in; JSON, JSON lines and CSV out; the
 * import rules (match on external id, fields left out stay, null clears,
 * sf's own fields ignored, unknown fields refused); all or nothing (a bad
 * record anywhere leaves the database exactly as it was); going on past
 * bad records with their lines; dry runs; and the round trip: export,
 * delete everything, import, export again gives the same catalog.  And
 * the fast path: thousands of records applied set-based in batches, with
 * the same results as one by one (versions, audit, search), a bad record
 * in the middle of a batch found and named by its line, re-imports that
 * write nothing at all, updates that keep the version before, and an
 * external id given twice in one file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "genre.h"
#include "json.h"
#include "search.h"
#include "tap.h"
#include "testdb.h"
#include "title.h"
#include "title_batch.h"
#include "title_io.h"
#include "title_version.h"
#include "xalloc.h"

static struct sf_db *db;
static struct sf_actor os;

static int has(const char *text)
{
	return strstr(sf_error_message(), text) != NULL;
}

static long long count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long count(const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return test_db_count(db, sql);
}

static long long digest(void)
{
	return count("SELECT ('x' || substr(md5(string_agg(t, '|' ORDER BY t)), 1, 15))::bit(60)"
		     "::bigint FROM (SELECT to_jsonb(x)::text AS t FROM titles x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM title_genres x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM seasons x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM episodes x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM credits x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM people x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM title_versions x"
		     " UNION ALL SELECT to_jsonb(x)::text FROM audit_log x) all_rows");
}

static FILE *file_of(const char *text)
{
	FILE *fp = tmpfile();

	fputs(text, fp);
	rewind(fp);
	return fp;
}

/* Imports text; r is released by the caller. */
static int import(const char *text, enum sf_title_format format, int go_on, int dry,
		  struct sf_title_import_result *r)
{
	struct sf_title_import_opts o = { .format = format, .name = "in", .continue_on_error = go_on,
					  .dry_run = dry };
	FILE *fp = file_of(text);
	int rc = sf_title_import(db, &os, fp, &o, r);

	fclose(fp);
	return rc;
}

struct buf {
	char *s;
	size_t len;
};

static int to_buf(void *arg, const char *data, size_t len)
{
	struct buf *b = arg;

	b->s = realloc(b->s, b->len + len + 1);
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 0;
}

/* The export as a string (caller frees). */
static char *export(enum sf_title_format format)
{
	struct buf b = { sf_xstrdup(""), 0 };
	struct sf_title_export_opts o = { .format = format, .write = to_buf, .arg = &b };
	long long n;

	if (sf_title_export(db, &os, &o, &n)) {
		printf("Bail out! export: %s\n", sf_error_message());
		exit(1);
	}
	return b.s;
}

/* The export as JSON without sf's own fields, compact (caller frees). */
static char *content(void)
{
	char *text = export(SF_FORMAT_JSON), *out;
	json_t *arr = json_loads(text, 0, NULL), *t;
	size_t i;

	json_array_foreach(arr, i, t) {
		const char *own[] = { "id", "version", "created_at", "updated_at" };

		for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++)
			json_object_del(t, own[k]);
	}
	out = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(arr);
	free(text);
	return out;
}

static const char *const catalog =
	"[\n"
	"{\"kind\":\"movie\",\"title\":\"The Godfather\",\"release_date\":\"1972-03-24\","
	"\"runtime_minutes\":175,\"maturity\":\"R\",\"genres\":[\"Crime\",\"Drama\"],"
	"\"original_language\":\"en\",\"spoken_languages\":[\"en\",\"it\"],\"countries\":[\"US\"],"
	"\"credits\":[{\"name\":\"Francis Ford Coppola\",\"role\":\"director\"},"
	"{\"name\":\"Marlon Brando\",\"role\":\"cast\",\"character\":\"Vito Corleone\",\"order\":0},"
	"{\"name\":\"Al Pacino\",\"role\":\"cast\",\"character\":\"Michael, \\\"Mike\\\"\",\"order\":1}],"
	"\"poster_url\":\"https://img.example.com/gf.jpg\",\"external_id\":\"tt0068646\","
	"\"popularity\":91.25,\"status\":\"published\",\"overview\":\"A family.\\nA business.\"},\n"
	"{\"kind\":\"series\",\"title\":\"Breaking Bad\",\"year\":2008,\"maturity\":\"TV-MA\","
	"\"external_id\":\"tt0903747\",\"genres\":[\"drama\"],\"regions\":[\"us\",\"ca\"],"
	"\"available_from\":\"2026-01-01T00:00:00+01:00\",\"seasons\":[{\"number\":1,"
	"\"name\":\"Season 1\",\"episodes\":[{\"number\":1,\"name\":\"Pilot\","
	"\"runtime_minutes\":58},{\"number\":2,\"name\":\"Cat's in the Bag...\"}]},"
	"{\"number\":2,\"episodes\":[]}]},\n"
	"{\"kind\":\"movie\",\"title\":\"No External Id\",\"rating_avg\":4.5,\"rating_count\":9,"
	"\"id\":777,\"version\":12,\"created_at\":\"2000-01-01T00:00:00Z\"}\n"
	"]\n";

static void import_json(void)
{
	struct sf_title_import_result r;
	json_t *t = NULL;

	is_int(import(catalog, SF_FORMAT_JSON, 0, 0, &r), 0, "import: a JSON array");
	ok(r.records == 3 && r.added == 3 && r.updated == 0 && r.failed == 0,
	   "import: ...adds its 3 titles");
	sf_title_import_result_release(&r);
	is_int(count("SELECT count(*) FROM title_versions WHERE action = 'title.import'"), 3,
	       "import: ...each as version 1 'title.import'");
	is_int(count("SELECT count(*) FROM audit_log WHERE action = 'title.import'"), 3,
	       "import: ...audited");
	is_int(count("SELECT count(*) FROM titles WHERE search_doc = ''"), 0,
	       "import: ...with search documents");
	sf_title_get(db, &os, "tt0903747", &t);
	ok(json_array_size(json_object_get(t, "seasons")) == 2 &&
	   !strcmp(json_string_value(json_object_get(t, "available_from")), "2025-12-31T23:00:00Z") &&
	   !strcmp(json_string_value(json_array_get(json_object_get(t, "regions"), 0)), "US") &&
	   !strcmp(json_string_value(json_array_get(json_object_get(t, "genres"), 0)), "Drama"),
	   "import: values come in canonical (UTC times, upper-case regions, genre names)");
	json_decref(t);
	sf_title_get(db, &os, "tt0068646", &t);
	ok(json_integer_value(json_object_get(t, "year")) == 1972 &&
	   json_array_size(json_object_get(t, "credits")) == 3,
	   "import: the year from the release date; the credits");
	json_decref(t);
	is_int(count("SELECT count(*) FROM titles WHERE title = 'No External Id' AND id <> 777"
		     " AND version = 1 AND rating_count = 0 AND rating_avg IS NULL"
		     " AND created_at > now() - interval '1 hour'"), 1,
	       "import: id, version, ratings and times are sf's own: ignored");

	/* Again: nothing changes, nothing is added but the title without an
	 * external id, which cannot be matched. */
	{
		long long versions = count("SELECT count(*) FROM title_versions");

		is_int(import(catalog, SF_FORMAT_JSON, 0, 0, &r), 0, "import: the same file again");
		ok(r.added == 1 && r.updated == 0 && r.unchanged == 2,
		   "import: ...changes nothing (%lld added, %lld unchanged)", r.added, r.unchanged);
		sf_title_import_result_release(&r);
		is_int(count("SELECT count(*) FROM title_versions"), versions + 1,
		       "import: ...and makes no version for the titles it matched");
		is_int(count("SELECT count(*) FROM titles WHERE title = 'No External Id'"), 2,
		       "import: ...a title without an external id is added again");
	}
	{
		/* Remove the second copy again. */
		PGresult *res = NULL;

		sf_db_query(db, &res, "SELECT max(id) AS id FROM titles WHERE title = 'No External Id'",
			    SF_NOARGS);
		sf_title_delete(db, &os, sf_db_str(res, 0, "id"), &t);
		json_decref(t);
		PQclear(res);
	}

	/* An update: fields left out stay, null clears, lists replace. */
	is_int(import("{\"external_id\":\"tt0068646\",\"tagline\":\"An offer.\","
		      "\"overview\":null,\"credits\":[]}\n"
		      "{\"external_id\":\"tt0903747\",\"seasons\":[{\"number\":1,\"episodes\":"
		      "[{\"number\":1,\"name\":\"Pilot\",\"runtime_minutes\":58},"
		      "{\"number\":3,\"name\":\"Three\"}]}]}\n", SF_FORMAT_JSONL, 0, 0, &r), 0,
	       "import: JSON lines that update");
	ok(r.updated == 2 && r.added == 0, "import: ...two titles updated");
	sf_title_import_result_release(&r);
	sf_title_get(db, &os, "tt0068646", &t);
	ok(!strcmp(json_string_value(json_object_get(t, "tagline")), "An offer.") &&
	   json_is_null(json_object_get(t, "overview")) &&
	   json_array_size(json_object_get(t, "credits")) == 0 &&
	   json_integer_value(json_object_get(t, "runtime_minutes")) == 175 &&
	   json_integer_value(json_object_get(t, "version")) == 2,
	   "import: ...set, cleared, replaced, kept, as version 2");
	json_decref(t);
	sf_title_get(db, &os, "tt0903747", &t);
	{
		json_t *s = json_object_get(t, "seasons");
		json_t *eps = json_object_get(json_array_get(s, 0), "episodes");

		ok(json_array_size(s) == 1 && json_array_size(eps) == 2 &&
		   json_integer_value(json_object_get(json_array_get(eps, 1), "number")) == 3,
		   "import: seasons and episodes become exactly those given");
	}
	json_decref(t);
	is_int(count("SELECT count(*) FROM episodes e JOIN seasons s ON s.id = e.season_id"
		     " JOIN titles t ON t.id = s.title_id WHERE t.external_id = 'tt0903747'"
		     " AND e.number = 1 AND e.id = (SELECT min(id) FROM episodes)"), 1,
	       "import: ...an episode kept keeps its row");
}

static void import_bad(void)
{
	struct sf_title_import_result r;
	long long before = digest();
	static const struct {
		const char *text, *error;
	} cases[] = {
		{ "[{\"kind\":\"movie\",\"title\":\"A\"},\n{\"kind\":\"movie\",\"title\":\"B\","
		  "\"colour\":1}]", "in:2: unknown field 'colour'" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\"},\n\n{\"kind\":\"movie\",\"title\":\"B\","
		  "\"genres\":[\"Sci-Fi\"]}]", "in:3: genre 'Sci-Fi': not found" },
		{ "{\"kind\":\"movie\",\"title\":\"A\"}\n{\"title\":\"B\"}\n",
		  "in:2: kind: missing" },
		{ "{\"kind\":\"movie\",\"title\":\"A\"}\n{\"kind\":\"movie\",\"title\":\"B\","
		  "\"external_id\":\"tt0068646\",\"kind\":\"series\"}\n", "in:2:" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\",\n\"year\":\"1999\"}]",
		  "in:1: year '1999': not a whole number" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\"},\n{\"kind\":\"movie\",\n\"title\":}]",
		  "in:3: not valid JSON" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\"}\n{\"kind\":\"movie\",\"title\":\"B\"}]",
		  "in:2: expected ',' or ']' after the title" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\"},\n", "in:2: the array is not closed" },
		{ "{\"kind\":\"movie\",\"title\":\"A\"", "in:1: the title starting here is not closed" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\"}]\nx", "in:2: text after the array" },
		{ "kind,title\nmovie,A\n", "in:1: not JSON" },
		{ "[1]", "in:1: expected a title (a JSON object)" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\",\"seasons\":[{\"number\":1}]}]",
		  "in:1: seasons: a movie has no seasons" },
		{ "[{\"kind\":\"series\",\"title\":\"A\",\"seasons\":[{\"number\":1},{\"number\":1}]}]",
		  "in:1: season 1: given twice" },
		{ "[{\"kind\":\"series\",\"title\":\"A\",\"seasons\":[{\"number\":1,\"episodes\":"
		  "[{\"number\":2,\"name\":\"\"}]}]}]", "in:1: season 1 episode 2 name '': must not be "
		  "empty" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\",\"credits\":[{\"name\":\"X\",\"role\":\"cast\"},"
		  "{\"name\":\"X\",\"role\":\"cast\"}]}]", "in:1: credit 'X' as cast: given twice" },
		{ "[{\"kind\":\"movie\",\"title\":\"A\",\"maturity\":\"PG\",\"maturity_level\":4}]",
		  "in:1: maturity_level" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = import(cases[i].text, SF_FORMAT_JSON, 0, 0, &r);

		ok(rc < 0 && has(cases[i].error), "import, all or nothing: bad input %zu fails: %s",
		   i + 1, sf_error_message());
		sf_title_import_result_release(&r);
	}
	is_int(digest(), before, "import, all or nothing: ...and nothing was written");
	is_int(import("[]", SF_FORMAT_JSON, 0, 0, &r), 0, "import: an empty array is fine");
	sf_title_import_result_release(&r);
	is_int(import("", SF_FORMAT_JSON, 0, 0, &r), 0, "import: so is an empty file");
	sf_title_import_result_release(&r);

	/* Going on past bad records. */
	is_int(import("{\"kind\":\"movie\",\"title\":\"Good 1\",\"external_id\":\"g1\"}\n"
		      "{\"kind\":\"movie\",\"title\":\"Bad\",\"genres\":[\"Nope\"]}\n"
		      "{\"kind\":\"movie\",\"title\":\"Good 2\",\"external_id\":\"g2\"}\n"
		      "{\"kind\":\"film\",\"title\":\"Bad\"}\n"
		      "{\"kind\":\"movie\",\"title\":\"Taken\",\"external_id\":\"g3\","
		      "\"poster_url\":\"ftp://x\"}\n", SF_FORMAT_JSONL, 1, 0, &r), 0,
	       "import, going on: succeeds");
	ok(r.added == 2 && r.failed == 3, "import, going on: ...2 added, 3 failed");
	{
		char *e = sf_json_dump(r.errors);

		is_str(e, "[{\"line\":2,\"error\":\"genre 'Nope': not found (see 'sf genre list')\","
		       "\"status\":3},{\"line\":4,\"error\":\"kind 'film': not one of movie, series\","
		       "\"status\":2},{\"line\":5,\"error\":\"poster_url 'ftp://x': not an http or "
		       "https URL\",\"status\":2}]", "import, going on: ...each bad record, its line "
		       "and its reason");
		free(e);
	}
	sf_title_import_result_release(&r);
	is_int(count("SELECT count(*) FROM titles WHERE external_id IN ('g1', 'g2')"), 2,
	       "import, going on: the good ones are in");

	before = digest();
	is_int(import("{\"kind\":\"movie\",\"title\":\"Dry\",\"external_id\":\"dry\"}\n"
		      "{\"external_id\":\"g1\",\"year\":2001}\n{\"kind\":\"x\"}\n",
		      SF_FORMAT_JSONL, 1, 1, &r), 0, "import, dry run: succeeds");
	ok(r.added == 1 && r.updated == 1 && r.failed == 1, "import, dry run: ...reports it all");
	sf_title_import_result_release(&r);
	is_int(digest(), before, "import, dry run: ...and writes nothing");
}

static void import_csv(void)
{
	struct sf_title_import_result r;
	json_t *t = NULL;
	long long before;

	is_int(import("\xef\xbb\xbfkind,title,year,genres,external_id,overview,credits\r\n"
		      "movie,Heat,1995,Crime|Drama,tt0113277,\"A \"\"heist\"\",\nin LA.\","
		      "\"[{\"\"name\"\":\"\"Al Pacino\"\",\"\"role\"\":\"\"cast\"\"}]\"\r\n"
		      "\r\n"
		      "series,Fargo,,,tt2802850,,\n", SF_FORMAT_CSV, 0, 0, &r), 0,
	       "import, CSV: a header row, quoting, a BOM, CRLF, blank lines");
	ok(r.added == 2, "import, CSV: ...two titles added");
	sf_title_import_result_release(&r);
	sf_title_get(db, &os, "tt0113277", &t);
	ok(!strcmp(json_string_value(json_object_get(t, "overview")), "A \"heist\",\nin LA.") &&
	   json_array_size(json_object_get(t, "genres")) == 2 &&
	   json_array_size(json_object_get(t, "credits")) == 1,
	   "import, CSV: quoted fields, lists and JSON cells");
	json_decref(t);

	before = digest();
	is_int(import("kind,title,colour\nmovie,A,red\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: an unknown column");
	ok(has("in:1: unknown column 'colour'"), "import, CSV: ...naming it (%s)",
	   sf_error_message());
	sf_title_import_result_release(&r);
	is_int(import("kind,title,kind\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: a column twice");
	sf_title_import_result_release(&r);
	is_int(import("kind,title\nmovie,A\nmovie\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: a short row");
	ok(has("in:3: 1 field, but the header has 2"), "import, CSV: ...saying so (%s)",
	   sf_error_message());
	sf_title_import_result_release(&r);
	is_int(import("kind,title\nmovie,\"A\nmovie,B\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: a quote never closed");
	ok(has("in:2: a quoted field is not closed"), "import, CSV: ...saying where (%s)",
	   sf_error_message());
	sf_title_import_result_release(&r);
	is_int(import("kind,title\nmovie,A \"B\"\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: a stray quote");
	sf_title_import_result_release(&r);
	is_int(import("kind,title,year\nmovie,A,199x\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: a bad number");
	ok(has("in:2: year '199x': not a whole number"), "import, CSV: ...naming it (%s)",
	   sf_error_message());
	sf_title_import_result_release(&r);
	is_int(import("kind,title,credits\nmovie,A,[{\n", SF_FORMAT_CSV, 0, 0, &r), SF_EINVAL,
	       "import, CSV: a JSON cell that is not JSON");
	sf_title_import_result_release(&r);
	is_int(digest(), before, "import, CSV: ...nothing was written");
	is_int(import("kind,title\nmovie,One\nmovie,\nmovie,Three\n", SF_FORMAT_CSV, 1, 0, &r), 0,
	       "import, CSV, going on");
	ok(r.added == 2 && r.failed == 1 &&
	   json_integer_value(json_object_get(json_array_get(r.errors, 0), "line")) == 3,
	   "import, CSV, going on: ...the bad row's line");
	sf_title_import_result_release(&r);
}

static void round_trip(void)
{
	static const enum sf_title_format formats[] = { SF_FORMAT_JSON, SF_FORMAT_JSONL,
							SF_FORMAT_CSV };
	static const char *const names[] = { "JSON", "JSON lines", "CSV" };
	char *first = content();

	for (int f = 0; f < 3; f++) {
		char *text = export(formats[f]), *again, *csv1 = NULL, *csv2;
		struct sf_title_import_result r;

		if (formats[f] == SF_FORMAT_CSV)
			csv1 = sf_xstrdup(text);
		sf_db_exec(db, "DELETE FROM titles");
		is_int(count("SELECT count(*) FROM titles"), 0, "round trip (%s): all deleted",
		       names[f]);
		is_int(import(text, formats[f] == SF_FORMAT_CSV ? SF_FORMAT_CSV : SF_FORMAT_JSON, 0, 0,
			      &r), 0, "round trip (%s): import the export", names[f]);
		sf_title_import_result_release(&r);
		again = content();
		is_str(again, first, "round trip (%s): the same catalog again", names[f]);
		if (csv1) {
			/* Ids and times differ; every other column is the same. */
			csv2 = export(SF_FORMAT_CSV);
			is_int(strlen(csv2), strlen(csv1), "round trip (CSV): an export as long");
			free(csv2);
		}
		free(csv1);
		free(again);
		free(text);
	}
	free(first);
}

static void export_forms(void)
{
	char *json = export(SF_FORMAT_JSON), *lines = export(SF_FORMAT_JSONL);
	char *csv = export(SF_FORMAT_CSV);
	long long n = count("SELECT count(*) FROM titles"), nl = 0;
	json_t *arr = json_loads(json, 0, NULL);

	ok(json_is_array(arr) && (long long)json_array_size(arr) == n,
	   "export, JSON: an array of every title");
	ok(!strncmp(json, "[\n{\"id\":", 8), "export, JSON: one title a line");
	json_decref(arr);
	for (char *p = lines; *p; p++)
		nl += *p == '\n';
	is_int(nl, n, "export, JSON lines: one line a title");
	ok(!strncmp(csv, "id,kind,title,original_title,overview,tagline,release_date,year,", 64),
	   "export, CSV: a header of the form's fields in order");
	ok(strstr(csv, ",Crime|Drama,") != NULL, "export, CSV: lists separated by '|'");
	free(json);
	free(lines);
	free(csv);
	sf_db_exec(db, "DELETE FROM titles");
	json = export(SF_FORMAT_JSON);
	is_str(json, "[]\n", "export, JSON: no titles, an empty array");
	free(json);
	csv = export(SF_FORMAT_CSV);
	ok(strchr(csv, '\n') == csv + strlen(csv) - 1, "export, CSV: no titles, the header alone");
	free(csv);
}

/* ---- the fast path ---- */

#define BIG 3000

/* Record i (1..BIG) as one JSON line: every fifth a series with two
 * seasons of three episodes; credits and genres; external id b<i>.
 * overview replaces the overview of record changed (0: none). */
static void big_record(FILE *fp, int i, int changed, const char *overview)
{
	int series = i % 5 == 0;

	fprintf(fp, "{\"kind\":\"%s\",\"title\":\"%s %d\",\"external_id\":\"b%05d\","
		"\"release_date\":\"%d-0%d-1%d\",\"genres\":[\"%s\"],\"overview\":\"%s\","
		"\"credits\":[{\"name\":\"Person %d\",\"role\":\"director\"},"
		"{\"name\":\"Person %d\",\"role\":\"cast\",\"character\":\"Role %d\"}]",
		series ? "series" : "movie", i == 1234 ? "Zephyrquill" : "Batch Title", i, i,
		1950 + i % 70, 1 + i % 9, i % 10, i % 2 ? "Crime" : "drama",
		i == changed ? overview : "Made in bulk.", i % 400, (i + 7) % 400, i);
	if (series) {
		fputs(",\"seasons\":[", fp);
		for (int sn = 1; sn <= 2; sn++) {
			fprintf(fp, "%s{\"number\":%d,\"name\":\"Season %d\",\"episodes\":[", sn > 1 ? "," : "",
				sn, sn);
			for (int e = 1; e <= 3; e++)
				fprintf(fp, "%s{\"number\":%d,\"name\":\"Episode %d of %d\",\"runtime_minutes\":%d}",
					e > 1 ? "," : "", e, e, i, 20 + e);
			fputs("]}", fp);
		}
		fputs("]", fp);
	} else {
		fprintf(fp, ",\"runtime_minutes\":%d", 80 + i % 60);
	}
	fputs("}\n", fp);
}

/* The big file, with record bad (0: none) replaced by text. */
static FILE *big_file(int bad, const char *text, int changed, const char *overview)
{
	FILE *fp = tmpfile();

	for (int i = 1; i <= BIG; i++) {
		if (i == bad)
			fprintf(fp, "%s\n", text);
		else
			big_record(fp, i, changed, overview);
	}
	rewind(fp);
	return fp;
}

static int import_fp(FILE *fp, int go_on, int dry, struct sf_title_import_result *r)
{
	struct sf_title_import_opts o = { .format = SF_FORMAT_JSONL, .name = "big",
					  .continue_on_error = go_on, .dry_run = dry };
	int rc = sf_title_import(db, &os, fp, &o, r);

	fclose(fp);
	return rc;
}

static void import_batches(void)
{
	struct sf_title_import_result r;
	long long before, versions, audits;
	json_t *t = NULL, *h = NULL, *v1 = NULL, *want;
	struct sf_search_request q = { .query = "zephyrquill" };
	int changed;

	sf_db_exec(db, "DELETE FROM titles");

	/* A bad record in the middle of the first batch: all or nothing. */
	before = digest();
	is_int(import_fp(big_file(1500, "{\"kind\":\"movie\",\"title\":\"X\",\"genres\":[\"Polka\"]}",
				  0, NULL), 0, 0, &r), SF_ENOTFOUND,
	       "batches: a record the database refuses, mid-batch, stops the import");
	ok(has("big:1500: genre 'Polka': not found"), "batches: ...named by its line (%s)",
	   sf_error_message());
	sf_title_import_result_release(&r);
	is_int(import_fp(big_file(2500, "{\"kind\":\"movie\",\"title\":\"X\",\"colour\":1}", 0, NULL),
			 0, 0, &r), SF_EINVAL,
	       "batches: a record that fails its check, mid-batch, stops the import");
	ok(has("big:2500: unknown field 'colour'"), "batches: ...named by its line (%s)",
	   sf_error_message());
	sf_title_import_result_release(&r);
	is_int(digest(), before, "batches: ...and nothing at all was written");

	/* The same, going on: every good record goes in. */
	is_int(import_fp(big_file(1500, "{\"kind\":\"movie\",\"title\":\"X\",\"genres\":[\"Polka\"]}",
				  0, NULL), 1, 0, &r), 0, "batches, going on: succeeds");
	ok(r.records == BIG && r.added == BIG - 1 && r.failed == 1,
	   "batches, going on: %lld added, %lld failed", r.added, r.failed);
	is_int(json_integer_value(json_object_get(json_array_get(r.errors, 0), "line")), 1500,
	       "batches, going on: ...the bad record's line");
	is_int(r.batched, BIG - SF_TITLE_BATCH_RECORDS,
	       "batches, going on: only the refused batch went one by one");
	sf_title_import_result_release(&r);
	is_int(count("SELECT count(*) FROM titles"), BIG - 1, "batches, going on: the titles are in");
	sf_db_exec(db, "DELETE FROM titles");

	/* A dry run writes nothing. */
	before = digest();
	is_int(import_fp(big_file(0, NULL, 0, NULL), 0, 1, &r), 0, "batches, dry run: succeeds");
	ok(r.added == BIG && r.batched == BIG, "batches, dry run: ...reports %lld added", r.added);
	sf_title_import_result_release(&r);
	is_int(digest(), before, "batches, dry run: ...and writes nothing");

	/* The real thing. */
	is_int(import_fp(big_file(0, NULL, 0, NULL), 0, 0, &r), 0,
	       "batches: %d records import", BIG);
	ok(r.added == BIG && r.failed == 0, "batches: ...all added");
	is_int(r.batched, BIG, "batches: ...all set-based");
	sf_title_import_result_release(&r);
	is_int(count("SELECT count(*) FROM titles WHERE external_id LIKE 'b%%'"), BIG,
	       "batches: the titles");
	is_int(count("SELECT count(*) FROM episodes"), BIG / 5 * 6, "batches: their episodes");
	is_int(count("SELECT count(*) FROM credits"), BIG * 2, "batches: their credits");
	is_int(count("SELECT count(*) FROM title_genres"), BIG, "batches: their genres");
	/* For the checks below (the import renews them too, within itself). */
	sf_db_exec(db, "ANALYZE");
	is_int(count("SELECT count(*) FROM titles WHERE"
		     " substr(external_id, 2)::int <> id - (SELECT min(id) - 1 FROM titles)"), 0,
	       "batches: ids in the order of the file");
	is_int(count("SELECT count(*) FROM title_versions v JOIN titles t ON t.id = v.title_id"
		     " WHERE v.version = 1 AND v.action = 'title.import' AND t.version = 1"
		     " AND v.snapshot::jsonb = sf_title_json(t.id)::jsonb"), BIG,
	       "batches: each title's version 1 is the title as it is");
	is_int(count("SELECT count(*) FROM audit_log a JOIN titles t ON a.entity_id = t.id::text"
		     " WHERE a.action = 'title.import' AND a.entity_type = 'title' AND a.old IS NULL"
		     " AND a.new = sf_title_json(t.id)::jsonb"), BIG,
	       "batches: each title audited with its new form");
	is_int(count("SELECT count(*) FROM titles WHERE search_doc = ''"), 0,
	       "batches: search documents made");
	is_int(count("SELECT count(*) FROM titles t WHERE search_doc IS DISTINCT FROM"
		     " sf_title_document(t.id)"), 0,
	       "batches: ...the same as sf_title_reindex makes");
	is_int(count("SELECT count(*) FROM search_prefixes sp JOIN titles t ON t.id = sp.title_id"
		     " WHERE t.title = 'Zephyrquill 1234'"), 2, "batches: ...with their prefixes");
	ok(sf_search(db, &os, &q, &t) == 0 &&
	   !strcmp(json_string_value(json_object_get(json_array_get(json_object_get(t, "items"), 0),
						     "title")), "Zephyrquill 1234"),
	   "batches: search finds an imported title");
	json_decref(t);
	t = NULL;

	/* Again: nothing at all is written. */
	before = digest();
	is_int(import_fp(big_file(0, NULL, 0, NULL), 0, 0, &r), 0, "batches: the same file again");
	ok(r.unchanged == BIG && r.added == 0 && r.updated == 0 && r.batched == BIG,
	   "batches: ...all unchanged (%lld)", r.unchanged);
	sf_title_import_result_release(&r);
	is_int(digest(), before, "batches: ...no version, no audit entry, no row written");

	/* A change to one title of a batch: one new version, the old kept. */
	sf_title_get(db, &os, "b02000", &v1);
	versions = count("SELECT count(*) FROM title_versions");
	audits = count("SELECT count(*) FROM audit_log");
	is_int(import_fp(big_file(0, NULL, 2000, "Changed in bulk."), 0, 0, &r), 0,
	       "batches: a file with one title changed");
	ok(r.updated == 1 && r.unchanged == BIG - 1, "batches: ...one updated (%lld)", r.updated);
	sf_title_import_result_release(&r);
	is_int(count("SELECT count(*) FROM title_versions"), versions + 1,
	       "batches: ...one new version");
	is_int(count("SELECT count(*) FROM audit_log WHERE action = 'title.import'"
		     " AND old->>'overview' = 'Made in bulk.' AND new->>'overview' = 'Changed in bulk.'"
		     " AND (new->>'version')::int = 2"), 1, "batches: ...audited, before and after");
	is_int(count("SELECT count(*) FROM audit_log"), audits + 1, "batches: ...one entry");
	sf_title_history(db, &os, "b02000", &h);
	want = json_pack("[s]", "overview");
	ok(json_array_size(h) == 2 &&
	   !strcmp(json_string_value(json_object_get(json_array_get(h, 0), "action")), "title.import") &&
	   json_equal(json_object_get(json_array_get(h, 0), "changed"), want),
	   "batches: history shows the import and what it changed");
	json_decref(want);
	json_decref(h);
	sf_title_version_get(db, &os, "b02000", 1, &t);
	ok(json_equal(t, v1), "batches: ...version 1 is the title as it was");
	json_decref(t);
	t = NULL;
	ok(sf_title_rollback(db, &os, "b02000", 1, &t, &changed) == 0 && changed &&
	   !strcmp(json_string_value(json_object_get(t, "overview")), "Made in bulk.") &&
	   json_array_size(json_object_get(t, "seasons")) == 2,
	   "batches: rollback of an imported title");
	json_decref(t);
	json_decref(v1);
	t = NULL;

	/* A title that was loaded without a version (in bulk, by SQL) keeps
	 * the one it was at before it changes, as one by one. */
	sf_db_exec(db, "DELETE FROM title_versions WHERE title_id ="
		   " (SELECT id FROM titles WHERE external_id = 'b00007')");
	is_int(import_fp(big_file(0, NULL, 7, "Seven."), 0, 0, &r), 0,
	       "batches: changing a title with no stored version");
	sf_title_import_result_release(&r);
	is_int(count("SELECT count(*) FROM title_versions v JOIN titles t ON t.id = v.title_id"
		     " WHERE t.external_id = 'b00007' AND ((v.version = 1 AND v.action ="
		     " 'title.untracked' AND v.snapshot->>'overview' = 'Made in bulk.') OR"
		     " (v.version = 2 AND v.action = 'title.import'))"), 2,
	       "batches: ...its version as it was is kept (title.untracked), then the new one");
}

/* An external id twice in one file: the later record updates the title
 * the earlier one made, as if they came one by one. */
static void import_twice_in_a_file(void)
{
	struct sf_title_import_result r;
	json_t *t = NULL, *h = NULL;

	is_int(import("{\"kind\":\"movie\",\"title\":\"Twice\",\"external_id\":\"tw1\",\"year\":2001}\n"
		      "{\"kind\":\"movie\",\"title\":\"Other\",\"external_id\":\"tw2\"}\n"
		      "{\"external_id\":\"tw1\",\"year\":2002,\"genres\":[\"Crime\"]}\n"
		      "{\"external_id\":\"tw1\",\"year\":2002}\n", SF_FORMAT_JSONL, 0, 0, &r), 0,
	       "twice in a file: imports");
	ok(r.added == 2 && r.updated == 1 && r.unchanged == 1,
	   "twice in a file: the later record updates the title of the earlier (%lld added,"
	   " %lld updated, %lld unchanged)", r.added, r.updated, r.unchanged);
	sf_title_import_result_release(&r);
	sf_title_get(db, &os, "tw1", &t);
	ok(json_integer_value(json_object_get(t, "year")) == 2002 &&
	   json_array_size(json_object_get(t, "genres")) == 1 &&
	   json_integer_value(json_object_get(t, "version")) == 2,
	   "twice in a file: the later record wins, as version 2");
	json_decref(t);
	sf_title_history(db, &os, "tw1", &h);
	is_int(json_array_size(h), 2, "twice in a file: two versions");
	json_decref(h);
	is_int(count("SELECT count(*) FROM titles WHERE external_id = 'tw1'"), 1,
	       "twice in a file: one title");
}

int main(void)
{
	json_t *g = NULL;

	db = test_db_open("title_io");
	sf_actor_os(&os);
	sf_genre_add(db, &os, "Crime", &g);
	json_decref(g);
	sf_genre_add(db, &os, "Drama", &g);
	json_decref(g);

	import_json();
	import_bad();
	import_csv();
	round_trip();
	export_forms();
	import_batches();
	import_twice_in_a_file();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
