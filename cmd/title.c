/*
 * title.c - "sf title": the catalog's movies and series.
 *
 * Parses and prints only; lib/title.c, lib/title_version.c and friends do
 * the work.  The options that set a field (--year, --genres, ...) are one
 * table, field_opts, shared by add and edit and mapped to the fields of
 * the title's JSON form; lib/title_field.c checks the values, naming the
 * option.  season, episode and credit are verb groups (title_season.c,
 * title_credit.c); import and export live in title_io.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "maturity.h"
#include "text.h"
#include "title.h"
#include "title_cmd.h"
#include "title_field.h"
#include "title_version.h"
#include "xalloc.h"

static const char *const kinds[] = { "movie", "series", NULL };
static const char *const statuses[] = { "draft", "published", "archived", NULL };
static const char *const sorts[] = { "id", "title", "year", "popularity", "updated", NULL };

/* Option -> field of the JSON form. */
static const struct { const char *opt, *field; } field_opts[] = {
	{ "kind", "kind" },
	{ "title", "title" },
	{ "original-title", "original_title" },
	{ "overview", "overview" },
	{ "tagline", "tagline" },
	{ "release-date", "release_date" },
	{ "year", "year" },
	{ "runtime", "runtime_minutes" },
	{ "maturity", "maturity" },
	{ "genres", "genres" },
	{ "language", "original_language" },
	{ "spoken-languages", "spoken_languages" },
	{ "countries", "countries" },
	{ "poster", "poster_url" },
	{ "backdrop", "backdrop_url" },
	{ "external-id", "external_id" },
	{ "popularity", "popularity" },
	{ "status", "status" },
	{ "available-from", "available_from" },
	{ "available-until", "available_until" },
	{ "regions", "regions" },
};

/* ---- printing ---- */

const char *sf_title_name(const json_t *title)
{
	return sf_text_quote(json_string_value(json_object_get(title, "title")));
}

int sf_title_number_arg(const char *label, const char *text, long long min, long long max,
			long long *out)
{
	return sf_number_parse(label, text, min, max, out);
}

/* "a, b, c" from an array of strings; NULL when empty. */
static json_t *joined(const json_t *arr)
{
	char *s = NULL;
	size_t i;
	json_t *e, *out;

	json_array_foreach(arr, i, e) {
		char *next = sf_xasprintf("%s%s%s", s ? s : "", s ? ", " : "", json_string_value(e));

		free(s);
		s = next;
	}
	out = s ? json_string(s) : json_null();
	free(s);
	return out;
}

/* The credits of one role: "Marlon Brando (Vito Corleone), Al Pacino". */
static json_t *credits_of(const json_t *credits, const char *role)
{
	char *s = NULL;
	size_t i;
	json_t *c, *out;

	json_array_foreach(credits, i, c) {
		const char *ch = json_string_value(json_object_get(c, "character"));
		char *next;

		if (strcmp(json_string_value(json_object_get(c, "role")), role))
			continue;
		next = sf_xasprintf("%s%s%s%s%s%s", s ? s : "", s ? ", " : "",
				    json_string_value(json_object_get(c, "name")), ch ? " (" : "",
				    ch ? ch : "", ch ? ")" : "");
		free(s);
		s = next;
	}
	out = s ? json_string(s) : json_null();
	free(s);
	return out;
}

static const struct sf_column show_cols[] = {
	{ "ID", "id" }, { "KIND", "kind" }, { "TITLE", "title" },
	{ "ORIGINAL TITLE", "original_title" }, { "YEAR", "year" },
	{ "RELEASED", "release_date" }, { "RUNTIME", "runtime" }, { "MATURITY", "maturity" },
	{ "GENRES", "genres" }, { "LANGUAGE", "original_language" },
	{ "SPOKEN", "spoken_languages" }, { "COUNTRIES", "countries" },
	{ "DIRECTORS", "directors" }, { "WRITERS", "writers" }, { "CAST", "cast" },
	{ "SEASONS", "seasons" }, { "TAGLINE", "tagline" }, { "OVERVIEW", "overview" },
	{ "STATUS", "status" }, { "AVAILABLE FROM", "available_from" },
	{ "AVAILABLE UNTIL", "available_until" }, { "REGIONS", "regions" },
	{ "EXTERNAL ID", "external_id" }, { "POPULARITY", "popularity" },
	{ "RATING", "rating" }, { "POSTER", "poster_url" }, { "BACKDROP", "backdrop_url" },
	{ "VERSION", "version" }, { "CREATED", "created_at" }, { "UPDATED", "updated_at" },
	{ NULL },
};

/* The title as a person reads it: lists joined, credits by role, seasons
 * counted. */
static json_t *human(const json_t *t)
{
	json_t *h = json_deep_copy(t), *seasons = json_object_get(t, "seasons");
	json_t *runtime = json_object_get(t, "runtime_minutes");
	json_t *avg = json_object_get(t, "rating_avg");
	const char *lists[] = { "genres", "spoken_languages", "countries", "regions" };

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		json_object_set_new(h, lists[i], joined(json_object_get(t, lists[i])));
	json_object_set_new(h, "directors", credits_of(json_object_get(t, "credits"), "director"));
	json_object_set_new(h, "writers", credits_of(json_object_get(t, "credits"), "writer"));
	json_object_set_new(h, "cast", credits_of(json_object_get(t, "credits"), "cast"));
	json_object_set_new(h, "runtime", json_is_integer(runtime)
			    ? json_sprintf("%lld min", (long long)json_integer_value(runtime))
			    : json_null());
	json_object_set_new(h, "popularity", json_sprintf("%.15g", json_number_value(
				    json_object_get(t, "popularity"))));
	json_object_set_new(h, "rating", json_is_number(avg)
			    ? json_sprintf("%.1f (%lld ratings)", json_number_value(avg),
					   (long long)json_integer_value(json_object_get(t, "rating_count")))
			    : json_null());
	if (seasons) {
		size_t i, episodes = 0;
		json_t *s;

		json_array_foreach(seasons, i, s)
			episodes += json_array_size(json_object_get(s, "episodes"));
		json_object_set_new(h, "seasons", json_sprintf("%zu (%zu episode%s)",
				    json_array_size(seasons), episodes, episodes == 1 ? "" : "s"));
	}
	return h;
}

void sf_title_print(const struct sf_ctx *ctx, const json_t *title)
{
	json_t *h;

	if (ctx->json) {
		sf_print_json(title);
		return;
	}
	h = human(title);
	if (!json_object_get(title, "seasons")) {
		/* A movie: no SEASONS line. */
		struct sf_column cols[sizeof(show_cols) / sizeof(show_cols[0])];
		size_t k = 0;

		for (size_t i = 0; show_cols[i].title; i++)
			if (strcmp(show_cols[i].key, "seasons"))
				cols[k++] = show_cols[i];
		cols[k] = (struct sf_column){ NULL };
		sf_print_object(h, cols);
	} else {
		sf_print_object(h, show_cols);
	}
	json_decref(h);
}

/* ---- reading the field options ---- */

static int has_opt(const struct sf_ctx *ctx, const char *name)
{
	for (const struct sf_opt *o = ctx->verb->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return 1;
	return 0;
}

static int read_fields(struct sf_ctx *ctx, struct sf_title_input *in)
{
	for (size_t i = 0; i < sizeof(field_opts) / sizeof(field_opts[0]); i++) {
		const char *v;
		char label[40];
		int rc;

		if (!has_opt(ctx, field_opts[i].opt) || !(v = sf_opt(ctx, field_opts[i].opt)))
			continue;
		snprintf(label, sizeof(label), "--%s", field_opts[i].opt);
		rc = sf_title_input_set_text(in, field_opts[i].field, v, label);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- verbs ---- */

static int title_add(struct sf_ctx *ctx)
{
	struct sf_title_input in;
	json_t *t = NULL;
	int rc;

	sf_title_input_init(&in);
	rc = sf_title_input_set_text(&in, "kind", "movie", "--kind");
	if (!rc)
		rc = sf_title_input_set_text(&in, "title", ctx->argv[0], "title");
	if (!rc)
		rc = read_fields(ctx, &in);
	if (!rc)
		rc = sf_title_input_check(&in);
	if (!rc)
		rc = sf_title_add(ctx->db, &ctx->actor, &in, &t);
	if (!rc)
		sf_title_print(ctx, t);
	json_decref(t);
	sf_title_input_release(&in);
	return rc;
}

/* The end of a verb that changes the title ctx->argv[0] with the fields
 * read into in (rc: how reading them went): checks the fields, applies
 * them (sf_title_edit or sf_title_schedule), prints the title and says on
 * standard error when nothing changed.  Releases in; returns the code. */
static int change_title(struct sf_ctx *ctx, struct sf_title_input *in, int rc,
			int (*apply)(struct sf_db *, const struct sf_actor *, const char *,
				     const struct sf_title_input *, json_t **, int *))
{
	json_t *t = NULL;
	int changed = 0;

	if (!rc)
		rc = sf_title_input_check(in);
	if (!rc)
		rc = apply(ctx->db, &ctx->actor, ctx->argv[0], in, &t, &changed);
	if (!rc) {
		sf_title_print(ctx, t);
		if (!changed)
			fprintf(stderr, "title '%s' unchanged: it already was so\n", sf_title_name(t));
	}
	json_decref(t);
	sf_title_input_release(in);
	return rc;
}

static int title_edit(struct sf_ctx *ctx)
{
	struct sf_title_input in;

	sf_title_input_init(&in);
	return change_title(ctx, &in, read_fields(ctx, &in), sf_title_edit);
}

static int title_show(struct sf_ctx *ctx)
{
	long long version = 0;
	json_t *t = NULL;
	int rc = sf_opt_int(ctx, "version", 1, 2147483647, &version);

	if (!rc)
		rc = version ? sf_title_version_get(ctx->db, &ctx->actor, ctx->argv[0], version, &t)
			     : sf_title_get(ctx->db, &ctx->actor, ctx->argv[0], &t);
	if (!rc)
		sf_title_print(ctx, t);
	json_decref(t);
	return rc;
}

static const struct sf_column list_cols[] = {
	{ "ID", "id" }, { "KIND", "kind" }, { "TITLE", "title" }, { "YEAR", "year" },
	{ "MATURITY", "maturity" }, { "GENRES", "genres" }, { "STATUS", "status" },
	{ "EXTERNAL ID", "external_id" }, { NULL },
};

int sf_title_read_filter(struct sf_ctx *ctx, struct sf_title_filter *f)
{
	int rc;

	f->kind = sf_opt(ctx, "kind");
	f->genre = sf_opt(ctx, "genre");
	f->status = sf_opt(ctx, "status");
	if ((rc = sf_opt_int(ctx, "year-from", 1870, 2200, &f->year_from)) ||
	    (rc = sf_opt_int(ctx, "year-to", 1870, 2200, &f->year_to)))
		return rc;
	if (f->year_from && f->year_to && f->year_from > f->year_to)
		return sf_error(SF_EINVAL, "--year-from '%lld': after --year-to '%lld'",
				f->year_from, f->year_to);
	if (f->genre && !*f->genre)
		return sf_error(SF_EINVAL, "--genre '': give a genre's name");
	return 0;
}

static int title_list(struct sf_ctx *ctx)
{
	struct sf_title_filter f = { .page = 1, .limit = 20 };
	json_t *page = NULL;
	int rc;

	f.sort = sf_opt(ctx, "sort");
	f.region = sf_opt(ctx, "region");
	f.visible = sf_flag(ctx, "visible");
	if ((rc = sf_title_read_filter(ctx, &f)) ||
	    (rc = sf_opt_int(ctx, "page", 1, 1000000000, &f.page)) ||
	    (rc = sf_opt_int(ctx, "limit", 1, 1000, &f.limit)) ||
	    (rc = sf_title_list(ctx->db, &ctx->actor, &f, &page)))
		return rc;
	if (ctx->json) {
		sf_print_json(page);
	} else {
		json_t *items = json_object_get(page, "items"), *rows = json_array(), *t;
		long long total = json_integer_value(json_object_get(page, "total"));
		long long first = (f.page - 1) * f.limit + 1, n = (long long)json_array_size(items);
		size_t i;

		json_array_foreach(items, i, t) {
			json_t *h = human(t);

			json_array_append_new(rows, h);
		}
		sf_print_table(rows, list_cols);
		json_decref(rows);
		if (n > 0)
			fprintf(stderr, "showing %lld\u2013%lld of %lld title%s (page %lld of %lld)\n",
				first, first + n - 1, total, total == 1 ? "" : "s", f.page,
				(long long)json_integer_value(json_object_get(page, "pages")));
		else if (total > 0)
			fprintf(stderr, "no titles on page %lld; %lld title%s on %lld page%s\n", f.page,
				total, total == 1 ? "" : "s",
				(long long)json_integer_value(json_object_get(page, "pages")),
				json_integer_value(json_object_get(page, "pages")) == 1 ? "" : "s");
		else
			fprintf(stderr, "no titles\n");
	}
	json_decref(page);
	return 0;
}

static int title_delete(struct sf_ctx *ctx)
{
	json_t *t = NULL;
	bool yes = sf_flag(ctx, "yes");
	int rc;

	if (!yes) {
		char prompt[200];

		rc = sf_title_get(ctx->db, &ctx->actor, ctx->argv[0], &t);
		if (rc)
			return rc;
		snprintf(prompt, sizeof(prompt), "Delete title '%s' with its seasons, credits and "
			 "versions, for good?", sf_title_name(t));
		json_decref(t);
		t = NULL;
		rc = sf_confirm(prompt, "delete a title", &yes);
		if (!rc && !yes)
			rc = sf_error(SF_EINVAL, "deletion of title '%s' not confirmed",
				      sf_text_quote(ctx->argv[0]));
		if (rc)
			return rc;
	}
	rc = sf_title_delete(ctx->db, &ctx->actor, ctx->argv[0], &t);
	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(t);
	else
		printf("deleted title '%s' (id %lld)\n", sf_title_name(t),
		       (long long)json_integer_value(json_object_get(t, "id")));
	json_decref(t);
	return 0;
}

static int title_status(struct sf_ctx *ctx)
{
	json_t *t = NULL;
	int rc = sf_title_set_status(ctx->db, &ctx->actor, ctx->argv[0],
				     !strcmp(ctx->verb->name, "publish") ? "published" : "archived",
				     &t);

	if (!rc)
		sf_title_print(ctx, t);
	json_decref(t);
	return rc;
}

static int title_schedule(struct sf_ctx *ctx)
{
	static const struct { const char *opt, *field; } map[] = {
		{ "from", "available_from" }, { "until", "available_until" }, { "regions", "regions" },
	};
	struct sf_title_input in;
	int rc = 0;

	sf_title_input_init(&in);
	for (size_t i = 0; !rc && i < sizeof(map) / sizeof(map[0]); i++) {
		const char *v = sf_opt(ctx, map[i].opt);
		char label[24];

		snprintf(label, sizeof(label), "--%s", map[i].opt);
		if (v)
			rc = sf_title_input_set_text(&in, map[i].field, v, label);
	}
	if (!rc && sf_title_input_empty(&in))
		rc = sf_error(SF_EINVAL, "title schedule: give --from, --until or --regions");
	return change_title(ctx, &in, rc, sf_title_schedule);
}

static const struct sf_column history_cols[] = {
	{ "VERSION", "version" }, { "AT", "at" }, { "ACTOR", "actor" }, { "ACTION", "action" },
	{ "CHANGES", "changes" }, { NULL },
};

static int title_history(struct sf_ctx *ctx)
{
	json_t *list = NULL, *v;
	size_t i;
	int rc = sf_title_history(ctx->db, &ctx->actor, ctx->argv[0], &list);

	if (rc)
		return rc;
	if (!ctx->json) {
		json_array_foreach(list, i, v) {
			const char *note = json_string_value(json_object_get(v, "note"));
			json_t *changed = joined(json_object_get(v, "changed"));
			const char *c = json_string_value(changed);

			json_object_set_new(v, "changes", json_sprintf("%s%s%s", note ? note : "",
					    note && c ? ": " : "", c ? c : note ? "" : "-"));
			json_decref(changed);
		}
	}
	sf_print(ctx, list, history_cols);
	json_decref(list);
	return 0;
}

static int title_rollback(struct sf_ctx *ctx)
{
	long long to = 0;
	json_t *t = NULL;
	int changed = 0;
	int rc = sf_opt_int(ctx, "to", 1, 2147483647, &to);

	if (!rc)
		rc = sf_title_rollback(ctx->db, &ctx->actor, ctx->argv[0], to, &t, &changed);
	if (rc)
		return rc;
	sf_title_print(ctx, t);
	if (!changed)
		fprintf(stderr, "title '%s' unchanged: it already is as in version %lld\n",
			sf_title_name(t), to);
	json_decref(t);
	return 0;
}

/* ---- the table ---- */

#define FIELD_OPTS \
	{ "original-title", "<text>", "its title in its original language" }, \
	{ "overview", "<text>", "what it is about (up to 4000 characters)" }, \
	{ "tagline", "<text>", "a one-line tagline" }, \
	{ "release-date", "<date>", "first released, YYYY-MM-DD (sets the year too)" }, \
	{ "year", "<year>", "its year, 1870 to 2200" }, \
	{ "runtime", "<minutes>", "its running time in minutes (a movie; 1 to 2000)" }, \
	{ "maturity", "<rating>", "its maturity rating, such as PG-13 or TV-MA (default NR)", \
	  false, sf_maturity_names }, \
	{ "genres", "<list>", "its genres, comma-separated, from 'sf genre list'" }, \
	{ "language", "<tag>", "its original language, such as en or pt-BR" }, \
	{ "spoken-languages", "<list>", "the languages spoken in it, comma-separated" }, \
	{ "countries", "<list>", "the countries it comes from, such as US,IT" }, \
	{ "poster", "<url>", "the http(s) URL of its poster" }, \
	{ "backdrop", "<url>", "the http(s) URL of its backdrop" }, \
	{ "external-id", "<id>", "its id elsewhere, such as tt0068646 (unique)" }, \
	{ "popularity", "<number>", "how popular it is, 0 or more (default 0)" }, \
	{ "status", "<status>", "draft (default), published or archived", false, statuses }, \
	{ "available-from", "<time>", "viewers see it from then on (UTC unless a zone is given)" }, \
	{ "available-until", "<time>", "viewers see it until then" }, \
	{ "regions", "<list>", "the only countries where viewers see it, such as US,CA" }

static const struct sf_opt add_opts[] = {
	{ "kind", "<kind>", "movie (default) or series", false, kinds },
	FIELD_OPTS,
	{ NULL },
};

static const struct sf_opt edit_opts[] = {
	{ "title", "<name>", "a new title" },
	{ "kind", "<kind>", "movie or series", false, kinds },
	FIELD_OPTS,
	{ NULL },
};

static const struct sf_opt show_opts[] = {
	{ "version", "<n>", "show the title as it was in version n (see history)" },
	{ NULL },
};

static const struct sf_opt list_opts[] = {
	{ "kind", "<kind>", "only movies or only series", false, kinds },
	{ "genre", "<genre>", "only titles of this genre" },
	{ "status", "<status>", "only draft, published or archived titles", false, statuses },
	{ "year-from", "<year>", "only titles of this year or later" },
	{ "year-to", "<year>", "only titles of this year or earlier" },
	{ "region", "<country>", "only titles available in this country" },
	{ "visible", NULL, "only titles viewers see now (published, in their window)" },
	{ "sort", "<order>", "id (default), title, year, popularity or updated", false, sorts },
	{ "page", "<n>", "which page, from 1 (default 1)" },
	{ "limit", "<n>", "titles per page, 1 to 1000 (default 20)" },
	{ NULL },
};

static const struct sf_opt delete_opts[] = {
	{ "yes", NULL, "do not ask for confirmation" },
	{ NULL },
};

static const struct sf_opt schedule_opts[] = {
	{ "from", "<time>", "viewers see it from then on ('' for no start)" },
	{ "until", "<time>", "viewers see it until then ('' for no end)" },
	{ "regions", "<list>", "only in these countries, such as US,CA ('' for everywhere)" },
	{ NULL },
};

static const struct sf_opt rollback_opts[] = {
	{ "to", "<n>", "the version to restore (see history)", true },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_title = {
	.name = "title",
	.summary = "manage the catalog of movies and series",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<name>", "add a movie or a series", title_add, DBJ, add_opts, 1, 1 },
		{ "edit", NULL, "<title>", "change a title's fields", title_edit, DBJ, edit_opts, 1, 1 },
		{ "show", NULL, "<title>", "show a title", title_show, DBJ, show_opts, 1, 1 },
		{ "list", NULL, "", "list titles, a page at a time", title_list, DBJ, list_opts, 0, 0 },
		{ "delete", NULL, "<title>", "delete a title and everything in it, for good",
		  title_delete, DBJ, delete_opts, 1, 1 },
		{ "publish", NULL, "<title>", "make a title visible to viewers", title_status, DBJ,
		  NULL, 1, 1 },
		{ "archive", NULL, "<title>", "take a title away from viewers, keeping it",
		  title_status, DBJ, NULL, 1, 1 },
		{ "schedule", NULL, "<title>", "publish a title for a window of time or regions",
		  title_schedule, DBJ, schedule_opts, 1, 1 },
		{ "history", NULL, "<title>", "list a title's versions", title_history, DBJ, NULL, 1, 1 },
		{ "rollback", NULL, "<title>", "restore an earlier version of a title as a new one",
		  title_rollback, DBJ, rollback_opts, 1, 1 },
		{ "import", NULL, "<file>", "add or update titles from a JSON or CSV file",
		  sf_title_import_verb, DBJ, sf_title_import_opts, 1, 1 },
		{ "export", NULL, "", "write titles as JSON, JSON lines or CSV",
		  sf_title_export_verb, CMD_DB, sf_title_export_opts, 0, 0 },
		{ "season", &sf_cmd_title_season },
		{ "episode", &sf_cmd_title_episode },
		{ "credit", &sf_cmd_title_credit },
		{ 0 },
	},
};
