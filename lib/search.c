/*
 * search.c - validate searches, run them through sf_search() and
 * sf_search_suggest() (sql/0006_search.sql), log them, and read the log.
 *
 * Everything a search needs happens in one call to sf_search() on the
 * server: matching, counting, ranking, the typo fallback and the page.
 * This file splits the words for the prefix match, resolves the profile
 * (its maturity limit) and the genre, and turns rows into the JSON form.
 * The latency logged is measured here, around those calls, so it is what
 * a caller waited for, less the log's own insert.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "log.h"
#include "maturity.h"
#include "profile.h"
#include "search.h"
#include "text.h"
#include "xalloc.h"

static const char *const sorts[] = { "relevance", "newest", "oldest", "rating", "popular", NULL };
static const char *const types[] = { "movie", "series", NULL };

/* A request, checked and in the forms the SQL takes. */
struct params {
	char *query;             /* trimmed; "" for none */
	char *head, *last;       /* sf_search_split */
	int plain;               /* no -word and no "or": the words may be a title */
	int year_min, year_max;  /* 0: open */
	char rating[32];         /* "" or a number */
	const char *type;        /* NULL or one of types */
	char lang[4];            /* "" or a language code */
	char region[3];          /* "" or a country code */
	const char *sort;        /* one of sorts */
	long long page, limit;
};

static void params_release(struct params *p)
{
	free(p->query);
	free(p->head);
	free(p->last);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- splitting the words ------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void sf_search_split(const char *query, char **head, char **last)
{
	size_t len = strlen(query), start, prev, quotes = 0;
	int letters = 0, after_or;

	*last = NULL;
	start = len;
	while (start > 0 && !is_space(query[start - 1]))
		start--;
	for (size_t i = 0; i < start; i++)
		quotes += query[i] == '"';
	/* A plain last word: not followed by a space, outside quotes, no
	 * quote in it, not negated, not the operator "or", with a letter or
	 * digit... */
	for (size_t i = start; i < len; i++)
		letters |= isalnum((unsigned char)query[i]) || (unsigned char)query[i] >= 0x80;
	/* ...and not after "or": "alien or pred" is no "alien AND pred*". */
	prev = start;
	while (prev > 0 && is_space(query[prev - 1]))
		prev--;
	after_or = prev >= 2 && !strncasecmp(query + prev - 2, "or", 2) &&
		   (prev == 2 || is_space(query[prev - 3]));
	if (start < len && quotes % 2 == 0 && !memchr(query + start, '"', len - start) &&
	    query[start] != '-' && strcasecmp(query + start, "or") != 0 && letters && !after_or) {
		*head = sf_xstrndup(query, start);
		*last = sf_xstrdup(query + start);
		return;
	}
	*head = sf_xstrdup(query);
}

/* Whether the words use -word or "or" (then they are no title). */
static int has_operators(const char *q)
{
	for (const char *p = q; *p; p++) {
		int at_start = p == q || is_space(p[-1]);

		if (at_start && *p == '-' && p[1] && !is_space(p[1]))
			return 1;
		if (at_start && !strncasecmp(p, "or", 2) && (!p[2] || is_space(p[2])) &&
		    p != q && p[2])
			return 1;
	}
	return 0;
}

/* ---- checking ------------------------------------------------------ */

static int parse_year(const char *s, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || end - s != 4)
		return -1;
	*out = (int)v;
	return 0;
}

static int check_year(const char *s, struct params *p)
{
	const char *dots = strstr(s, "..");
	size_t n = strlen(s);
	char *a = NULL, *b = NULL;
	int rc = 0;

	if (n == 5 && s[4] == 's' && isdigit((unsigned char)s[0])) {
		/* "1990s": a decade. */
		a = sf_xstrndup(s, 4);
		if (parse_year(a, &p->year_min) || p->year_min % 10) {
			rc = -1;
		} else {
			p->year_max = p->year_min + 9;
		}
	} else if (dots) {
		a = sf_xstrndup(s, (size_t)(dots - s));
		b = sf_xstrdup(dots + 2);
		if ((!*a && !*b) || (*a && parse_year(a, &p->year_min)) ||
		    (*b && parse_year(b, &p->year_max)))
			rc = -1;
	} else if (parse_year(s, &p->year_min)) {
		rc = -1;
	} else {
		p->year_max = p->year_min;
	}
	free(a);
	free(b);
	if (rc)
		return sf_error(SF_EINVAL, "--year '%s': not a year or a range of years "
				"(1994, 1990..1999, 1990.., ..1999, 1990s)", sf_text_quote(s));
	if ((p->year_min && (p->year_min < SF_SEARCH_YEAR_MIN || p->year_min > SF_SEARCH_YEAR_MAX)) ||
	    (p->year_max && (p->year_max < SF_SEARCH_YEAR_MIN || p->year_max > SF_SEARCH_YEAR_MAX)))
		return sf_error(SF_EINVAL, "--year '%s': years go from %d to %d", sf_text_quote(s),
				SF_SEARCH_YEAR_MIN, SF_SEARCH_YEAR_MAX);
	if (p->year_min && p->year_max && p->year_min > p->year_max)
		return sf_error(SF_EINVAL, "--year '%s': the range is backwards", sf_text_quote(s));
	return 0;
}

static int check_rating(const char *s, struct params *p)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isdigit((unsigned char)s[strspn(s, "+")]) ||
	    !(v >= 0 && v <= SF_SEARCH_RATING_MAX))
		return sf_error(SF_EINVAL, "--min-rating '%s': not a rating from 0 to %d",
				sf_text_quote(s), SF_SEARCH_RATING_MAX);
	snprintf(p->rating, sizeof(p->rating), "%.3f", v);
	return 0;
}

static int check_choice(const char *opt, const char *s, const char *const *choices,
			const char **out)
{
	char list[128] = "";

	for (int i = 0; choices[i]; i++) {
		if (!strcasecmp(s, choices[i])) {
			*out = choices[i];
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
			 choices[i]);
	}
	return sf_error(SF_EINVAL, "--%s '%s': not one of %s", opt, sf_text_quote(s), list);
}

static int check_int(const char *opt, const char *s, long long min, long long max,
		     long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || !isdigit((unsigned char)*s) || v < min || v > max)
		return max == 0x7fffffff
			? sf_error(SF_EINVAL, "--%s '%s': not a whole number of %lld or more",
				   opt, sf_text_quote(s), min)
			: sf_error(SF_EINVAL, "--%s '%s': not a whole number from %lld to %lld",
				   opt, sf_text_quote(s), min, max);
	*out = v;
	return 0;
}

static int check_lang(const char *s, struct params *p)
{
	char tag[16];
	size_t n;

	if (strlen(s) >= sizeof(tag) || sf_language_check(s, tag))
		return sf_error(SF_EINVAL, "--lang '%s': not a language code such as en, fr or pt",
				sf_text_quote(s));
	/* "pt-BR" is Portuguese: titles give languages without regions. */
	n = strcspn(tag, "-");
	memcpy(p->lang, tag, n);
	p->lang[n] = '\0';
	return 0;
}

static int check_region(const char *s, struct params *p)
{
	if (strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return sf_error(SF_EINVAL, "--region '%s': not a two-letter country code such as "
				"US or FR", sf_text_quote(s));
	p->region[0] = (char)toupper((unsigned char)s[0]);
	p->region[1] = (char)toupper((unsigned char)s[1]);
	p->region[2] = '\0';
	return 0;
}

/* Trims the words and squeezes no more: the SQL ignores the rest. */
static char *trimmed(const char *s, int keep_trailing_space)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	/* A space after the last word says the word is complete: keep one. */
	return sf_xasprintf("%.*s%s", (int)n, s, keep_trailing_space && s[n] ? " " : "");
}

static int check(const struct sf_search_request *in, struct params *p)
{
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->sort = "relevance";
	p->page = 1;
	p->limit = SF_SEARCH_LIMIT_DEFAULT;
	if (in->query && (rc = sf_text_check("query", in->query, 0, SF_SEARCH_QUERY_MAX)))
		return rc;
	if (in->year && (rc = check_year(in->year, p)))
		return rc;
	if (in->min_rating && (rc = check_rating(in->min_rating, p)))
		return rc;
	if (in->type && (rc = check_choice("type", in->type, types, &p->type)))
		return rc;
	if (in->sort && (rc = check_choice("sort", in->sort, sorts, &p->sort)))
		return rc;
	if (in->lang && (rc = check_lang(in->lang, p)))
		return rc;
	if (in->region && (rc = check_region(in->region, p)))
		return rc;
	if (in->genre && (rc = sf_text_check("--genre", in->genre, 1, 40)))
		return rc;
	if (in->profile && !*in->profile)
		return sf_error(SF_EINVAL, "--profile '': give an id or ACCOUNT/NAME");
	if (in->limit && (rc = check_int("limit", in->limit, 1, SF_SEARCH_LIMIT_MAX, &p->limit)))
		return rc;
	if (in->page && (rc = check_int("page", in->page, 1, 0x7fffffff, &p->page)))
		return rc;
	if ((p->page - 1) * p->limit >= SF_SEARCH_WINDOW)
		return sf_error(SF_EINVAL, "--page '%lld': only the first %d results can be paged "
				"through (%lld pages of %lld); narrow the search", p->page,
				SF_SEARCH_WINDOW, (SF_SEARCH_WINDOW + p->limit - 1) / p->limit, p->limit);
	p->query = trimmed(in->query ? in->query : "", 1);
	sf_search_split(p->query, &p->head, &p->last);
	p->plain = !has_operators(p->query);
	/* The log and the output show the words without the trailing space. */
	if (*p->query && is_space(p->query[strlen(p->query) - 1]))
		p->query[strlen(p->query) - 1] = '\0';
	return 0;
}

int sf_search_check(const struct sf_search_request *req)
{
	struct params p;
	int rc = check(req, &p);

	params_release(&p);
	return rc;
}

/* ---- who may search how -------------------------------------------- */

/* Resolves the profile (its maturity limit) and checks the actor: an
 * account searches as its own profiles; others' need an account manager;
 * the operator's view (no profile) needs a catalog manager. */
static int viewer(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		  long long *profile_id, int *maturity)
{
	struct sf_profile pr;
	int rc;

	*profile_id = 0;
	*maturity = SF_MATURITY_MAX;
	if (!ref)
		return actor->account_id ? sf_actor_require(actor, SF_PERM_MANAGE_CATALOG) : 0;
	rc = sf_profile_get(db, ref, &pr);
	if (!rc && actor->account_id && actor->account_id != pr.account_id)
		rc = sf_actor_require(actor, SF_PERM_MANAGE_ACCOUNTS);
	if (!rc) {
		*profile_id = pr.id;
		*maturity = pr.maturity;
	}
	sf_profile_release(&pr);
	return rc;
}

static int genre_id(struct sf_db *db, const char *name, char out[SF_INT_STR_MAX])
{
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "SELECT id FROM genres WHERE lower(name) = lower($1)",
			 SF_ARGS(name));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_EINVAL, "--genre '%s': no such genre (see 'sf genre list')",
			      sf_text_quote(name));
	if (!rc)
		sf_db_fmt_int(out, sf_db_int(res, 0, "id"));
	PQclear(res);
	return rc;
}

/* ---- searching ----------------------------------------------------- */

static json_t *number_or_null(const PGresult *res, int row, const char *col)
{
	const char *v = sf_db_str(res, row, col);

	return v ? json_real(strtod(v, NULL)) : json_null();
}

static json_t *int_or_null(const PGresult *res, int row, const char *col)
{
	return sf_db_isnull(res, row, col) ? json_null() : json_integer(sf_db_int(res, row, col));
}

/* A text[] in PostgreSQL's output form, {a,"b c"}, as a JSON array. */
static json_t *text_array(const char *s)
{
	json_t *a = json_array();
	char *buf = sf_xmalloc(strlen(s) + 1);

	if (*s == '{')
		s++;
	while (*s && *s != '}') {
		size_t n = 0;

		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				buf[n++] = *s;
			}
			if (*s == '"')
				s++;
		} else {
			while (*s && *s != ',' && *s != '}')
				buf[n++] = *s++;
		}
		buf[n] = '\0';
		json_array_append_new(a, json_string(buf));
		if (*s == ',')
			s++;
	}
	free(buf);
	return a;
}

static json_t *item(const PGresult *res, int i)
{
	json_t *o = json_object(), *ep = json_null();

	json_object_set_new(o, "rank", json_integer(sf_db_int(res, i, "pos")));
	json_object_set_new(o, "id", json_integer(sf_db_int(res, i, "id")));
	json_object_set_new(o, "kind", json_string(sf_db_str(res, i, "kind")));
	json_object_set_new(o, "title", json_string(sf_db_str(res, i, "title")));
	json_object_set_new(o, "year", int_or_null(res, i, "year"));
	json_object_set_new(o, "maturity",
			    json_string(sf_maturity_label((int)sf_db_int(res, i, "maturity"))));
	json_object_set_new(o, "rating", number_or_null(res, i, "rating"));
	json_object_set_new(o, "genres", text_array(sf_db_str(res, i, "genres")));
	json_object_set_new(o, "status", json_string(sf_db_str(res, i, "status")));
	if (!sf_db_isnull(res, i, "episode_name")) {
		ep = json_object();
		json_object_set_new(ep, "season", json_integer(sf_db_int(res, i, "episode_season")));
		json_object_set_new(ep, "number", json_integer(sf_db_int(res, i, "episode_number")));
		json_object_set_new(ep, "name", json_string(sf_db_str(res, i, "episode_name")));
	}
	json_object_set_new(o, "episode", ep);
	return o;
}

/* The filters given, for the log. */
static json_t *filters_json(const struct sf_search_request *in, const struct params *p)
{
	json_t *f = json_object();

	if (in->genre)
		json_object_set_new(f, "genre", json_string(in->genre));
	if (in->year)
		json_object_set_new(f, "year", json_string(in->year));
	if (*p->rating)
		json_object_set_new(f, "min_rating", json_real(strtod(p->rating, NULL)));
	if (p->type)
		json_object_set_new(f, "type", json_string(p->type));
	if (*p->lang)
		json_object_set_new(f, "lang", json_string(p->lang));
	if (*p->region)
		json_object_set_new(f, "region", json_string(p->region));
	if (in->sort)
		json_object_set_new(f, "sort", json_string(p->sort));
	if (p->page != 1)
		json_object_set_new(f, "page", json_integer(p->page));
	if (in->limit)
		json_object_set_new(f, "limit", json_integer(p->limit));
	return f;
}

/* Logging never fails a search: a failure is only reported in sf's log. */
static void log_search(struct sf_db *db, long long profile_id, const char *query,
		       const json_t *filters, long long total, int fuzzy, double ms)
{
	char pid[SF_INT_STR_MAX], n[SF_INT_STR_MAX], lat[32];
	char *f = sf_json_dump(filters);

	snprintf(lat, sizeof(lat), "%.3f", ms);
	if (sf_db_query(db, NULL, "SELECT sf_search_log_record($1, $2, $3, $4, $5, $6)",
			SF_ARGS(profile_id ? sf_db_fmt_int(pid, profile_id) : NULL, query, f,
				sf_db_fmt_int(n, total), fuzzy ? "true" : "false", lat)))
		sf_warn("search: not logged: %s", sf_error_message());
	free(f);
}

int sf_search(struct sf_db *db, const struct sf_actor *actor,
	      const struct sf_search_request *req, json_t **out)
{
	char genre[SF_INT_STR_MAX], ymin[SF_INT_STR_MAX], ymax[SF_INT_STR_MAX];
	char mat[SF_INT_STR_MAX], limit[SF_INT_STR_MAX], offset[SF_INT_STR_MAX];
	char window[SF_INT_STR_MAX], count_max[SF_INT_STR_MAX];
	struct params p;
	struct timespec t0;
	PGresult *res = NULL;
	long long profile_id = 0, total = 0;
	int maturity, fuzzy = 0, exact, rc;
	const char *corrected = NULL;
	json_t *items = NULL, *filters;

	*out = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = check(req, &p);
	if (!rc)
		rc = viewer(db, actor, req->profile, &profile_id, &maturity);
	if (!rc && req->genre)
		rc = genre_id(db, req->genre, genre);
	if (rc)
		goto out;
	rc = sf_db_query(db, &res,
		"SELECT * FROM sf_search($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
		" $14, $15, $16, $17, $18)",
		SF_ARGS(p.query, p.head, p.last, p.plain ? p.query : NULL,
			profile_id ? "true" : "false", sf_db_fmt_int(mat, maturity),
			*p.region ? p.region : NULL, p.type, req->genre ? genre : NULL,
			p.year_min ? sf_db_fmt_int(ymin, p.year_min) : NULL,
			p.year_max ? sf_db_fmt_int(ymax, p.year_max) : NULL,
			*p.rating ? p.rating : NULL, *p.lang ? p.lang : NULL, p.sort,
			sf_db_fmt_int(limit, p.limit), sf_db_fmt_int(offset, (p.page - 1) * p.limit),
			sf_db_fmt_int(window, SF_SEARCH_WINDOW),
			sf_db_fmt_int(count_max, SF_SEARCH_COUNT_MAX)));
	if (rc)
		goto out;
	items = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		total = sf_db_int(res, i, "total");
		fuzzy = sf_db_bool(res, i, "fuzzy");
		corrected = sf_db_str(res, i, "corrected");
		if (!sf_db_isnull(res, i, "pos"))
			json_array_append_new(items, item(res, i));
	}
	exact = total <= SF_SEARCH_COUNT_MAX;
	filters = filters_json(req, &p);
	log_search(db, profile_id, p.query, filters, total, fuzzy, ms_since(&t0));
	json_decref(filters);

	*out = json_object();
	json_object_set_new(*out, "query", json_string(p.query));
	json_object_set_new(*out, "total", json_integer(exact ? total : SF_SEARCH_COUNT_MAX));
	json_object_set_new(*out, "total_exact", json_boolean(exact));
	json_object_set_new(*out, "page", json_integer(p.page));
	json_object_set_new(*out, "pages", json_integer(
		((total < SF_SEARCH_WINDOW ? total : SF_SEARCH_WINDOW) + p.limit - 1) / p.limit));
	json_object_set_new(*out, "limit", json_integer(p.limit));
	json_object_set_new(*out, "fuzzy", json_boolean(fuzzy));
	json_object_set_new(*out, "corrected", sf_json_str(corrected));
	json_object_set_new(*out, "items", items);
out:
	PQclear(res);
	params_release(&p);
	return rc;
}

int sf_search_suggest(struct sf_db *db, const struct sf_actor *actor, const char *prefix,
		      const char *profile, const char *region, const char *limit, json_t **out)
{
	char mat[SF_INT_STR_MAX], lim[SF_INT_STR_MAX];
	struct params p;
	long long profile_id, n = SF_SUGGEST_LIMIT_DEFAULT;
	PGresult *res = NULL;
	int maturity, rc;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	rc = sf_text_check("--suggest", prefix, 0, SF_SEARCH_QUERY_MAX);
	if (!rc && region)
		rc = check_region(region, &p);
	if (!rc && limit)
		rc = check_int("limit", limit, 1, SF_SUGGEST_LIMIT_MAX, &n);
	if (!rc && profile && !*profile)
		rc = sf_error(SF_EINVAL, "--profile '': give an id or ACCOUNT/NAME");
	if (!rc)
		rc = viewer(db, actor, profile, &profile_id, &maturity);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT * FROM sf_search_suggest($1, $2, $3, $4, $5)",
				 SF_ARGS(prefix, profile_id ? "true" : "false",
					 sf_db_fmt_int(mat, maturity), *p.region ? p.region : NULL,
					 sf_db_fmt_int(lim, n)));
	if (rc)
		goto out;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(sf_db_int(res, i, "id")));
		json_object_set_new(o, "kind", json_string(sf_db_str(res, i, "kind")));
		json_object_set_new(o, "title", json_string(sf_db_str(res, i, "title")));
		json_object_set_new(o, "year", int_or_null(res, i, "year"));
		json_array_append_new(*out, o);
	}
out:
	PQclear(res);
	return rc;
}

/* ---- the log's statistics ------------------------------------------ */

/* "90m", "2h", "7d", "2w" -> an interval; NULL if not an age. */
static char *age(const char *s)
{
	static const struct { char unit; const char *word; } units[] = {
		{ 'm', "minutes" }, { 'h', "hours" }, { 'd', "days" }, { 'w', "weeks" },
	};
	size_t digits = strspn(s, "0123456789");

	if (digits == 0 || digits > 6 || strlen(s) != digits + 1)
		return NULL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s[digits] == units[i].unit)
			return sf_xasprintf("%.*s %s", (int)digits, s, units[i].word);
	return NULL;
}

/* YYYY-MM-DD, optionally THH:MM[:SS][Z] (UTC either way). */
static int date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (!s[i] || (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-'))
			return 0;
	if (!s[i])
		return 1;
	s += i;
	if (*s != 'T' && *s != ' ')
		return 0;
	s++;
	if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':' &&
	      isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])))
		return 0;
	s += 5;
	if (*s == ':') {
		if (!(isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])))
			return 0;
		s += 3;
	}
	return !*s || !strcmp(s, "Z");
}

static json_t *stats_list(const PGresult *res, int zero)
{
	json_t *a = json_array();

	for (int i = 0; i < PQntuples(res); i++) {
		json_t *o;

		if (sf_db_bool(res, i, "zero") != zero)
			continue;
		o = json_object();
		json_object_set_new(o, "query", json_string(sf_db_str(res, i, "query")));
		json_object_set_new(o, "searches", json_integer(sf_db_int(res, i, "searches")));
		json_object_set_new(o, "profiles", json_integer(sf_db_int(res, i, "profiles")));
		json_object_set_new(o, "results", json_integer(sf_db_int(res, i, "results")));
		json_object_set_new(o, "last_at", json_string(sf_db_str(res, i, "last_at")));
		json_array_append_new(a, o);
	}
	return a;
}

int sf_search_stats(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_search_stats_request *req, json_t **out)
{
	const char *since = req->since ? req->since : "30d";
	char lim[SF_INT_STR_MAX], *interval = NULL;
	long long n = 20;
	PGresult *res = NULL;
	int rc = 0;

	*out = NULL;
	if (actor->account_id)
		rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);
	if (!rc && !(interval = age(since)) && !date(since))
		rc = sf_error(SF_EINVAL, "--since '%s': not a date (2026-11-01[T10:00[:00]Z]) or "
			      "an age (90m, 2h, 7d, 2w)", sf_text_quote(since));
	if (!rc && req->limit)
		rc = check_int("limit", req->limit, 1, SF_SEARCH_LIMIT_MAX, &n);
	if (rc)
		goto out;
	/* First pages only: paging through one search is not more searches. */
	rc = sf_db_query(db, &res,
		"WITH w AS ("
		"  SELECT CASE WHEN $1::interval IS NOT NULL THEN now() - $1::interval"
		"              ELSE $2::timestamp AT TIME ZONE 'UTC' END AS since),"
		" s AS ("
		"  SELECT l.* FROM search_log l, w"
		"   WHERE l.at >= w.since AND l.query_key <> ''"
		"     AND coalesce((l.filters->>'page')::integer, 1) = 1),"
		" g AS ("
		"  SELECT s.query_key, mode() WITHIN GROUP (ORDER BY s.query) AS query,"
		"         count(*) AS searches, count(*) FILTER (WHERE s.result_count = 0) AS zeros,"
		"         count(DISTINCT s.profile_id) AS profiles, max(s.at) AS last,"
		"         (array_agg(s.result_count ORDER BY s.at DESC, s.id DESC))[1] AS results"
		"    FROM s GROUP BY s.query_key)"
		" SELECT sf_iso((SELECT since FROM w)) AS since,"
		"        (SELECT count(*) FROM s) AS total,"
		"        (SELECT count(*) FROM s WHERE s.result_count = 0) AS total_zero,"
		"        x.* FROM (SELECT 1) one LEFT JOIN ("
		"   (SELECT false AS zero, g.query, g.searches, g.profiles, g.results,"
		"           sf_iso(g.last) AS last_at"
		"      FROM g WHERE NOT $4 ORDER BY g.searches DESC, g.last DESC, g.query_key LIMIT $3)"
		"   UNION ALL"
		"   (SELECT true, g.query, g.zeros, g.profiles, g.results, sf_iso(g.last)"
		"      FROM g WHERE g.zeros > 0 ORDER BY g.zeros DESC, g.last DESC, g.query_key"
		"     LIMIT $3)) x ON true",
		SF_ARGS(interval, interval ? NULL : since, sf_db_fmt_int(lim, n),
			req->zero_only ? "true" : "false"));
	if (rc == SF_EINVAL)
		rc = sf_error(SF_EINVAL, "--since '%s': not a valid date or time", sf_text_quote(since));
	if (rc)
		goto out;
	*out = json_object();
	json_object_set_new(*out, "since", json_string(sf_db_str(res, 0, "since")));
	json_object_set_new(*out, "searches", json_integer(sf_db_int(res, 0, "total")));
	json_object_set_new(*out, "zero_results", json_integer(sf_db_int(res, 0, "total_zero")));
	if (PQntuples(res) == 1 && sf_db_isnull(res, 0, "zero")) {
		if (!req->zero_only)
			json_object_set_new(*out, "top", json_array());
		json_object_set_new(*out, "zero", json_array());
	} else {
		if (!req->zero_only)
			json_object_set_new(*out, "top", stats_list(res, 0));
		json_object_set_new(*out, "zero", stats_list(res, 1));
	}
out:
	PQclear(res);
	free(interval);
	return rc;
}
