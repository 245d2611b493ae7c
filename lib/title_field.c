/*
 * title_field.c - field tables of the catalog's JSON forms, and the one
 * check of each field type.
 *
 * A table row says what a field is (its type, its range or length, whether
 * it may be null or must be given); check() turns a JSON value into its
 * canonical value or fails naming the field and the value.  Command-line
 * text is first converted to a JSON value (from_text), so both paths end
 * in the same check.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "error.h"
#include "json.h"
#include "maturity.h"
#include "profile.h"
#include "text.h"
#include "title_field.h"
#include "xalloc.h"

enum type {
	T_IGNORED,    /* read-only in the form: accepted, never applied */
	T_TEXT,       /* one line */
	T_LONGTEXT,   /* may hold line breaks (overviews) */
	T_INT, T_NUMBER, T_DATE, T_TIME, T_CHOICE, T_MATURITY, T_LEVEL, T_LANG, T_LANGS,
	T_COUNTRIES, T_GENRES, T_URL, T_EXTID, T_PERSON, T_CREDITS, T_SEASONS, T_EPISODES,
};

#define F_NOTNULL  1u   /* null is refused */
#define F_REQUIRED 2u   /* a complete object must have it */

struct field {
	const char *name;
	enum type type;
	long long min, max;     /* characters of a text; range of a number */
	unsigned flags;
	const char *const *choices;
	const char *key;        /* key of the canonical value; NULL: name */
};

static const char *const kinds[] = { "movie", "series", NULL };
static const char *const statuses[] = { "draft", "published", "archived", NULL };
static const char *const roles[] = { "cast", "director", "writer", NULL };

#define POPULARITY_MAX 1000000000LL

static const struct field title_fields[] = {
	{ "id", T_IGNORED },
	{ "kind", T_CHOICE, 0, 0, F_NOTNULL, kinds },
	{ "title", T_TEXT, 1, 300, F_NOTNULL },
	{ "original_title", T_TEXT, 1, 300 },
	{ "overview", T_LONGTEXT, 1, 4000 },
	{ "tagline", T_TEXT, 1, 300 },
	{ "release_date", T_DATE },
	{ "year", T_INT, 1870, 2200 },
	{ "runtime_minutes", T_INT, 1, 2000 },
	{ "maturity", T_MATURITY, 0, 0, F_NOTNULL },
	{ "maturity_level", T_LEVEL, SF_MATURITY_MIN, SF_MATURITY_MAX, F_NOTNULL, NULL, "maturity" },
	{ "genres", T_GENRES, 0, 0, F_NOTNULL },
	{ "original_language", T_LANG },
	{ "spoken_languages", T_LANGS, 0, 0, F_NOTNULL },
	{ "countries", T_COUNTRIES, 0, 0, F_NOTNULL },
	{ "credits", T_CREDITS, 0, 0, F_NOTNULL },
	{ "poster_url", T_URL },
	{ "backdrop_url", T_URL },
	{ "external_id", T_EXTID },
	{ "popularity", T_NUMBER, 0, POPULARITY_MAX, F_NOTNULL },
	{ "rating_avg", T_IGNORED },
	{ "rating_count", T_IGNORED },
	{ "status", T_CHOICE, 0, 0, F_NOTNULL, statuses },
	{ "available_from", T_TIME },
	{ "available_until", T_TIME },
	{ "regions", T_COUNTRIES, 0, 0, F_NOTNULL },
	{ "version", T_IGNORED },
	{ "created_at", T_IGNORED },
	{ "updated_at", T_IGNORED },
	{ "seasons", T_SEASONS, 0, 0, F_NOTNULL },
	{ NULL },
};

const char *const sf_title_fields[] = {
	"id", "kind", "title", "original_title", "overview", "tagline", "release_date", "year",
	"runtime_minutes", "maturity", "maturity_level", "genres", "original_language",
	"spoken_languages", "countries", "credits", "poster_url", "backdrop_url", "external_id",
	"popularity", "rating_avg", "rating_count", "status", "available_from", "available_until",
	"regions", "version", "created_at", "updated_at", "seasons", NULL,
};

static const struct field season_fields[] = {
	{ "number", T_INT, 0, 1000, F_NOTNULL | F_REQUIRED },
	{ "name", T_TEXT, 1, 300 },
	{ "overview", T_LONGTEXT, 1, 4000 },
	{ "release_date", T_DATE },
	{ "episodes", T_EPISODES, 0, 0, F_NOTNULL },
	{ NULL },
};

static const struct field episode_fields[] = {
	{ "number", T_INT, 1, 10000, F_NOTNULL | F_REQUIRED },
	{ "name", T_TEXT, 1, 300, F_NOTNULL | F_REQUIRED },
	{ "overview", T_LONGTEXT, 1, 4000 },
	{ "runtime_minutes", T_INT, 1, 2000 },
	{ "release_date", T_DATE },
	{ NULL },
};

static const struct field credit_fields[] = {
	{ "name", T_PERSON, 1, 200, F_NOTNULL | F_REQUIRED },
	{ "role", T_CHOICE, 0, 0, F_NOTNULL | F_REQUIRED, roles },
	{ "character", T_TEXT, 1, 200 },
	{ "order", T_INT, 0, 32767, F_NOTNULL },
	{ NULL },
};

static const struct field *find(const struct field *table, const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

/* The value as it appears in a message: strings as they are, the rest as
 * compact JSON. */
static const char *shown(const json_t *v)
{
	char *s;
	const char *q;

	if (json_is_string(v))
		return sf_text_quote(json_string_value(v));
	s = sf_json_dump(v);
	q = sf_text_quote(s);
	free(s);
	return q;
}

/* ---- single values ---- */

int sf_number_parse(const char *label, const char *text, long long min, long long max,
		    long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (!*text || *end || errno || n < min || n > max ||
	    strspn(text, "-0123456789") != strlen(text))
		return sf_error(SF_EINVAL, "%s '%s': not a whole number from %lld to %lld", label,
				sf_text_quote(text), min, max);
	*out = n;
	return 0;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Reads n digits at s into *v; 0 if they are not all digits. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* YYYY-MM-DD at s, a real day from 1870 to the year last. */
static int parse_date(const char *s, int last, int *y, int *m, int *d)
{
	return digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) && s[7] == '-' &&
	       digits(s + 8, 2, d) && *y >= 1870 && *y <= last && *m >= 1 && *m <= 12 &&
	       *d >= 1 && *d <= days_in(*y, *m);
}

int sf_date_check(const char *label, const char *text, char out[11])
{
	int y, m, d;

	if (strlen(text) != 10 || !parse_date(text, 2200, &y, &m, &d))
		return sf_error(SF_EINVAL, "%s '%s': not a date (YYYY-MM-DD, from 1870 to 2200)",
				label, sf_text_quote(text));
	memcpy(out, text, 11);
	return 0;
}

/* YYYY-MM-DD[THH:MM[:SS][Z|+HH:MM|-HH:MM]]; without a zone, UTC. */
int sf_time_check(const char *label, const char *text, char out[21])
{
	int y, m, d, hh = 0, mm = 0, ss = 0, zh = 0, zm = 0, sign = 0;
	const char *p = text;
	struct tm tm = { 0 };
	time_t t;

	if (strlen(text) < 10 || !parse_date(p, 9999, &y, &m, &d))
		goto bad;
	p += 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (!digits(p + 1, 2, &hh) || p[3] != ':' || !digits(p + 4, 2, &mm) ||
		    hh > 23 || mm > 59)
			goto bad;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &ss) || ss > 59)
				goto bad;
			p += 3;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '+' ? 1 : -1;
			if (!digits(p + 1, 2, &zh) || p[3] != ':' || !digits(p + 4, 2, &zm) ||
			    zh > 14 || zm > 59)
				goto bad;
			p += 6;
		}
	}
	if (*p)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm) - sign * (zh * 3600 + zm * 60);
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
bad:
	return sf_error(SF_EINVAL, "%s '%s': not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], "
			"UTC unless it ends in +HH:MM or -HH:MM)", label, sf_text_quote(text));
}

int sf_country_check(const char *label, const char *text, char out[3])
{
	if (strlen(text) != 2 || !isalpha((unsigned char)text[0]) ||
	    !isalpha((unsigned char)text[1]) || (text[0] & 0x80) || (text[1] & 0x80))
		return sf_error(SF_EINVAL, "%s '%s': not a two-letter country code "
				"(ISO 3166-1 alpha-2, such as US or FR)", label, sf_text_quote(text));
	out[0] = (char)toupper((unsigned char)text[0]);
	out[1] = (char)toupper((unsigned char)text[1]);
	out[2] = '\0';
	return 0;
}

int sf_external_id_check(const char *label, const char *text)
{
	int rc = sf_text_check(label, text, 1, 100);

	if (rc)
		return rc;
	for (const char *p = text; *p; p++)
		if (*p == ' ')
			return sf_error(SF_EINVAL, "%s '%s': must not contain spaces", label,
					sf_text_quote(text));
	return 0;
}

static int no_edge_spaces(const char *label, const char *text)
{
	size_t n = strlen(text);

	if (n && (isspace((unsigned char)text[0]) || isspace((unsigned char)text[n - 1])))
		return sf_error(SF_EINVAL, "%s '%s': starts or ends with a space", label,
				sf_text_quote(text));
	return 0;
}

int sf_genre_name_check(const char *label, const char *text)
{
	int rc = sf_text_check(label, text, 1, 40);

	if (!rc)
		rc = no_edge_spaces(label, text);
	if (!rc && strpbrk(text, ",|"))
		return sf_error(SF_EINVAL, "%s '%s': must not contain ',' or '|' (they separate "
				"genres in lists)", label, sf_text_quote(text));
	return rc;
}

int sf_person_name_check(const char *label, const char *text)
{
	int rc = sf_text_check(label, text, 1, 200);

	return rc ? rc : no_edge_spaces(label, text);
}

static int url_check(const char *label, const char *text)
{
	size_t scheme = !strncasecmp(text, "https://", 8) ? 8 : !strncasecmp(text, "http://", 7)
		? 7 : 0;
	size_t host = scheme ? strcspn(text + scheme, "/?#") : 0;

	if (!scheme || strlen(text) > 2000)
		goto bad;
	if (host == 0)
		goto bad;
	for (size_t i = 0; i < host; i++) {
		char c = text[scheme + i];

		if (!isalnum((unsigned char)c) && !strchr(".-:[]", c))
			goto bad;
	}
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			goto bad;
	return 0;
bad:
	return sf_error(SF_EINVAL, "%s '%s': not an http or https URL", label,
			sf_text_quote(text));
}

/* Text that may span lines: valid UTF-8, no control characters but line
 * breaks and tabs, min to max characters. */
static int longtext_check(const char *label, const char *text, long long min, long long max)
{
	char *copy = sf_xstrdup(text);
	int rc;

	for (char *p = copy; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	rc = sf_text_check(label, copy, (size_t)min, (size_t)max);
	free(copy);
	return rc;
}

/* ---- the check of each field ---- */

static int check(const struct field *f, const json_t *v, const char *label, json_t **out);

static int type_error(const char *label, const json_t *v, const char *want)
{
	return sf_error(SF_EINVAL, "%s '%s': not %s", label, shown(v), want);
}

/* Checks an array of strings, element by element; each canonical string
 * goes into *out once (dedup case-insensitively when fold). */
static int string_list(const char *label, const json_t *v, int fold,
		       int (*each)(const char *label, const char *s, char *buf, size_t size),
		       json_t **out)
{
	json_t *arr, *e;
	size_t i;

	if (!json_is_array(v))
		return type_error(label, v, "a list");
	arr = json_array();
	json_array_foreach(v, i, e) {
		char buf[512];
		const char *s;
		int dup = 0, rc;
		size_t k;
		json_t *seen;

		if (!json_is_string(e)) {
			json_decref(arr);
			return type_error(label, e, "a string");
		}
		rc = each(label, json_string_value(e), buf, sizeof(buf));
		if (rc) {
			json_decref(arr);
			return rc;
		}
		s = buf;
		json_array_foreach(arr, k, seen)
			dup |= fold ? !strcasecmp(json_string_value(seen), s)
				    : !strcmp(json_string_value(seen), s);
		if (!dup)
			json_array_append_new(arr, json_string(s));
	}
	*out = arr;
	return 0;
}

static int each_language(const char *label, const char *s, char *buf, size_t size)
{
	char tag[16];

	(void)size;
	if (strlen(s) > 15 || sf_language_check(s, tag))
		return sf_error(SF_EINVAL, "%s '%s': not a language tag such as en, fr or pt-BR",
				label, sf_text_quote(s));
	snprintf(buf, size, "%s", tag);
	return 0;
}

static int each_country(const char *label, const char *s, char *buf, size_t size)
{
	char cc[3];
	int rc = sf_country_check(label, s, cc);

	if (!rc)
		snprintf(buf, size, "%s", cc);
	return rc;
}

static int each_genre(const char *label, const char *s, char *buf, size_t size)
{
	int rc = sf_genre_name_check(label, s);

	if (!rc)
		snprintf(buf, size, "%s", s);
	return rc;
}

/* An array of parts (credits, seasons, episodes); numbers must not repeat. */
static int part_list(enum sf_title_part part, const json_t *v, const char *label,
		     json_t **out);

static int check(const struct field *f, const json_t *v, const char *label, json_t **out)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	int rc = 0;

	*out = NULL;
	if (json_is_null(v) || (s && !*s && !(f->flags & F_NOTNULL))) {
		/* "" for an optional text is no text. */
		if (f->flags & F_NOTNULL)
			return sf_error(SF_EINVAL, "%s: must not be null", label);
		*out = json_null();
		return 0;
	}
	switch (f->type) {
	case T_IGNORED:
		return 0;
	case T_TEXT:
	case T_PERSON:
		if (!s)
			return type_error(label, v, "a string");
		rc = f->type == T_PERSON ? sf_person_name_check(label, s)
					 : sf_text_check(label, s, (size_t)f->min, (size_t)f->max);
		if (!rc)
			*out = json_string(s);
		return rc;
	case T_LONGTEXT:
		if (!s)
			return type_error(label, v, "a string");
		rc = longtext_check(label, s, f->min, f->max);
		if (!rc)
			*out = json_string(s);
		return rc;
	case T_INT:
	case T_LEVEL:
		if (!json_is_integer(v) || json_integer_value(v) < f->min ||
		    json_integer_value(v) > f->max)
			return sf_error(SF_EINVAL, "%s '%s': not a whole number from %lld to %lld",
					label, shown(v), f->min, f->max);
		*out = json_integer(json_integer_value(v));
		return 0;
	case T_NUMBER: {
		double d = json_number_value(v);

		if (!json_is_number(v) || !isfinite(d) || d < (double)f->min || d > (double)f->max)
			return sf_error(SF_EINVAL, "%s '%s': not a number from %lld to %lld", label,
					shown(v), f->min, f->max);
		/* Three decimals (d is from 0 to 1e9: no overflow, no libm). */
		*out = json_real((double)(long long)(d * 1000.0 + 0.5) / 1000.0);
		return 0;
	}
	case T_DATE: {
		char buf[11];

		if (!s)
			return type_error(label, v, "a date (YYYY-MM-DD)");
		rc = sf_date_check(label, s, buf);
		if (!rc)
			*out = json_string(buf);
		return rc;
	}
	case T_TIME: {
		char buf[21];

		if (!s)
			return type_error(label, v, "a time (YYYY-MM-DDTHH:MM:SSZ)");
		rc = sf_time_check(label, s, buf);
		if (!rc)
			*out = json_string(buf);
		return rc;
	}
	case T_CHOICE: {
		char list[128] = "";

		for (int i = 0; f->choices[i]; i++) {
			if (s && !strcasecmp(s, f->choices[i])) {
				*out = json_string(f->choices[i]);
				return 0;
			}
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", f->choices[i]);
		}
		return sf_error(SF_EINVAL, "%s '%s': not one of %s", label, s ? sf_text_quote(s)
				: shown(v), list);
	}
	case T_MATURITY: {
		int level;

		if (!s)
			return type_error(label, v, "a rating name such as PG-13");
		rc = sf_maturity_parse(s, &level);
		if (rc)   /* name the field as the caller does */
			return sf_error(SF_EINVAL, "%s '%s': not one of G, TV-Y, TV-G, TV-Y7, "
					"TV-Y7-FV, PG, TV-PG, PG-13, TV-14, R, NC-17, TV-MA, NR",
					label, sf_text_quote(s));
		*out = json_integer(level);
		return 0;
	}
	case T_LANG: {
		char buf[16];

		if (!s)
			return type_error(label, v, "a language tag");
		rc = each_language(label, s, buf, sizeof(buf));
		if (!rc)
			*out = json_string(buf);
		return rc;
	}
	case T_LANGS:
		return string_list(label, v, 0, each_language, out);
	case T_COUNTRIES:
		return string_list(label, v, 0, each_country, out);
	case T_GENRES:
		return string_list(label, v, 1, each_genre, out);
	case T_URL:
		if (!s)
			return type_error(label, v, "a URL");
		rc = url_check(label, s);
		if (!rc)
			*out = json_string(s);
		return rc;
	case T_EXTID:
		if (!s)
			return type_error(label, v, "a string");
		rc = sf_external_id_check(label, s);
		if (!rc)
			*out = json_string(s);
		return rc;
	case T_CREDITS:
		return part_list(SF_PART_CREDIT, v, label, out);
	case T_SEASONS:
		return part_list(SF_PART_SEASON, v, label, out);
	case T_EPISODES:
		return part_list(SF_PART_EPISODE, v, label, out);
	}
	return sf_error(SF_EINTERNAL, "%s: unknown field type", label);
}

/* Command-line text as the JSON value check() takes. */
static int from_text(const struct field *f, const char *text, const char *label, char sep,
		     json_t **out)
{
	*out = NULL;
	switch (f->type) {
	case T_INT:
	case T_LEVEL: {
		long long n;
		int rc;

		if (!*text && !(f->flags & F_NOTNULL)) {
			*out = json_null();
			return 0;
		}
		rc = sf_number_parse(label, text, f->min, f->max, &n);
		if (!rc)
			*out = json_integer(n);
		return rc;
	}
	case T_NUMBER: {
		char *end;
		double d;

		errno = 0;
		d = strtod(text, &end);
		if (!*text || *end || errno || !isfinite(d) || isspace((unsigned char)*text) ||
		    d < (double)f->min || d > (double)f->max)
			return sf_error(SF_EINVAL, "%s '%s': not a number from %lld to %lld", label,
					sf_text_quote(text), f->min, f->max);
		*out = json_real(d);
		return 0;
	}
	case T_LANGS:
	case T_COUNTRIES:
	case T_GENRES: {
		json_t *arr = json_array();
		const char *p = text;

		while (*p) {
			size_t n = strcspn(p, (char[]){ sep, 0 });
			size_t a = 0, b = n;

			while (a < b && p[a] == ' ')
				a++;
			while (b > a && p[b - 1] == ' ')
				b--;
			if (b > a) {
				char *item = sf_xstrndup(p + a, b - a);

				json_array_append_new(arr, json_string(item));
				free(item);
			}
			p += n;
			if (*p)
				p++;
		}
		*out = arr;
		return 0;
	}
	case T_CREDITS:
	case T_SEASONS:
	case T_EPISODES:
	case T_IGNORED:
		return sf_error(SF_EINVAL, "%s: cannot be given as text", label);
	default:
		if (!sf_utf8_valid(text, strlen(text)))
			return sf_error(SF_EINVAL, "%s '%s': not valid UTF-8", label,
					sf_text_quote(text));
		*out = json_string(text);
		return 0;
	}
}

int sf_title_field_from_csv(const char *field, const char *text, json_t **out)
{
	const struct field *f = find(title_fields, field);
	json_error_t err;

	*out = NULL;
	if (!f)
		return sf_error(SF_EINVAL, "unknown field '%s'", sf_text_quote(field));
	switch (f->type) {
	case T_IGNORED:
		return 0;
	case T_CREDITS:
	case T_SEASONS:
	case T_LANGS:
	case T_COUNTRIES:
	case T_GENRES:
		if (!*text) {
			if (f->type != T_SEASONS)
				*out = json_array();
			return 0;
		}
		if (text[0] == '[' || f->type == T_CREDITS || f->type == T_SEASONS) {
			*out = json_loads(text, JSON_DECODE_ANY, &err);
			if (!*out)
				return sf_error(SF_EINVAL, "%s: not JSON (%s)", field, err.text);
			return 0;
		}
		return from_text(f, text, field, '|', out);
	default:
		if (!*text) {
			if (!(f->flags & F_NOTNULL))
				*out = json_null();
			return 0;
		}
		return from_text(f, text, field, '|', out);
	}
}

/* ---- parts: seasons, episodes, credits ---- */

static const struct field *part_table(enum sf_title_part part)
{
	switch (part) {
	case SF_PART_SEASON: return season_fields;
	case SF_PART_EPISODE: return episode_fields;
	default: return credit_fields;
	}
}

static const char *part_name(enum sf_title_part part)
{
	switch (part) {
	case SF_PART_SEASON: return "season";
	case SF_PART_EPISODE: return "episode";
	default: return "credit";
	}
}

/* "season 2 episode 3 name", or the field alone. */
static char *label_in(const char *where, const char *field)
{
	return where ? sf_xasprintf("%s %s", where, field) : sf_xstrdup(field);
}

int sf_title_part_text(enum sf_title_part part, const char *field, const char *text,
		       const char *label, json_t **out)
{
	const struct field *f = find(part_table(part), field);
	json_t *v = NULL;
	int rc;

	*out = NULL;
	if (!f)
		return sf_error(SF_EINTERNAL, "bug: %s has no field '%s'", part_name(part), field);
	rc = from_text(f, text, label, ',', &v);
	if (!rc)
		rc = check(f, v, label, out);
	json_decref(v);
	return rc;
}

int sf_title_part_check(enum sf_title_part part, const json_t *obj, const char *where,
			int partial, json_t **out)
{
	const struct field *table = part_table(part), *f;
	json_t *canon, *v;
	const char *key;
	int rc = 0;

	*out = NULL;
	if (!json_is_object(obj))
		return sf_error(SF_EINVAL, "%s: not an object", where ? where : part_name(part));
	canon = json_object();
	json_object_foreach((json_t *)obj, key, v) {
		char *label;
		json_t *c = NULL;

		f = find(table, key);
		if (!f) {
			label = where ? sf_xasprintf("%s: unknown field", where)
				      : sf_xasprintf("%s: unknown field", part_name(part));
			rc = sf_error(SF_EINVAL, "%s '%s'", label, sf_text_quote(key));
			free(label);
			break;
		}
		label = label_in(where, key);
		rc = check(f, v, label, &c);
		free(label);
		if (rc)
			break;
		json_object_set_new(canon, key, c);
	}
	for (f = table; !rc && f->name; f++) {
		if (json_object_get(canon, f->name))
			continue;
		if ((f->flags & F_REQUIRED) && !partial) {
			char *label = label_in(where, f->name);

			rc = sf_error(SF_EINVAL, "%s: missing", label);
			free(label);
		} else if (!partial) {
			json_object_set_new(canon, f->name, f->type == T_EPISODES ? json_array()
					    : json_null());
		}
	}
	if (!rc && part == SF_PART_CREDIT && json_is_string(json_object_get(canon, "character")) &&
	    json_is_string(json_object_get(canon, "role")) &&
	    strcmp(json_string_value(json_object_get(canon, "role")), "cast") != 0)
		rc = sf_error(SF_EINVAL, "%s: only a cast credit has a character",
			      where ? where : "credit");
	if (rc) {
		json_decref(canon);
		return rc;
	}
	/* The form's key order, whatever order the input had. */
	v = json_object();
	for (f = table; f->name; f++)
		if (json_object_get(canon, f->name))
			json_object_set(v, f->name, json_object_get(canon, f->name));
	json_decref(canon);
	*out = v;
	return 0;
}

static int part_list(enum sf_title_part part, const json_t *v, const char *label,
		     json_t **out)
{
	/* Episodes are named within their season: "season 2 episode 3". */
	size_t stem = part == SF_PART_EPISODE && strlen(label) > 9 &&
		!strcmp(label + strlen(label) - 9, " episodes") ? strlen(label) - 9 : 0;
	json_t *arr, *e;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!json_is_array(v))
		return type_error(label, v, "a list");
	arr = json_array();
	json_array_foreach(v, i, e) {
		json_t *num = json_is_object(e) ? json_object_get(e, "number") : NULL;
		json_t *name = json_is_object(e) ? json_object_get(e, "name") : NULL;
		json_t *c = NULL, *prev;
		char *at;
		size_t k;

		/* Name the part by its person or number when it has a good one. */
		if (part == SF_PART_CREDIT && json_is_string(name))
			at = sf_xasprintf("credit '%s'", sf_text_quote(json_string_value(name)));
		else if (part != SF_PART_CREDIT && json_is_integer(num))
			at = sf_xasprintf("%.*s%s%s %lld", (int)stem, label, stem ? " " : "",
					  part_name(part), (long long)json_integer_value(num));
		else
			at = sf_xasprintf("%s[%zu]", label, i);
		rc = sf_title_part_check(part, e, at, 0, &c);
		if (!rc && part == SF_PART_CREDIT && json_is_null(json_object_get(c, "order")))
			json_object_set_new(c, "order", json_integer((json_int_t)i));
		json_array_foreach(arr, k, prev) {
			if (rc)
				break;
			if (part == SF_PART_CREDIT
			    ? json_equal(json_object_get(prev, "name"), json_object_get(c, "name")) &&
			      json_equal(json_object_get(prev, "role"), json_object_get(c, "role"))
			    : json_equal(json_object_get(prev, "number"), json_object_get(c, "number")))
				rc = part == SF_PART_CREDIT
					? sf_error(SF_EINVAL, "%s as %s: given twice", at,
						   json_string_value(json_object_get(c, "role")))
					: sf_error(SF_EINVAL, "%s: given twice", at);
		}
		free(at);
		if (rc) {
			json_decref(c);
			break;
		}
		json_array_append_new(arr, c);
	}
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* ---- a title's input ---- */

void sf_title_input_init(struct sf_title_input *in)
{
	memset(in, 0, sizeof(*in));
	in->cols = json_object();
}

void sf_title_input_release(struct sf_title_input *in)
{
	json_decref(in->cols);
	json_decref(in->genres);
	json_decref(in->credits);
	json_decref(in->seasons);
	memset(in, 0, sizeof(*in));
}

int sf_title_input_empty(const struct sf_title_input *in)
{
	return json_object_size(in->cols) == 0 && !in->genres && !in->credits && !in->seasons;
}

static int set_checked(struct sf_title_input *in, const struct field *f, json_t *c,
		       const char *label)
{
	const char *key = f->key ? f->key : f->name;
	json_t *prev;

	switch (f->type) {
	case T_IGNORED:
		json_decref(c);
		return 0;
	case T_GENRES:
		json_decref(in->genres);
		in->genres = c;
		return 0;
	case T_CREDITS:
		json_decref(in->credits);
		in->credits = c;
		return 0;
	case T_SEASONS:
		json_decref(in->seasons);
		in->seasons = c;
		return 0;
	default:
		break;
	}
	/* maturity and maturity_level say the same thing; they must agree. */
	prev = json_object_get(in->cols, key);
	if (!strcmp(key, "maturity") && prev && !json_equal(prev, c)) {
		int rc = sf_error(SF_EINVAL, "%s: level %d (%s) disagrees with %s, level %d (%s)",
				  label, (int)json_integer_value(c),
				  sf_maturity_label((int)json_integer_value(c)),
				  strcmp(f->name, "maturity") ? "maturity" : "maturity_level",
				  (int)json_integer_value(prev),
				  sf_maturity_label((int)json_integer_value(prev)));
		json_decref(c);
		return rc;
	}
	json_object_set_new(in->cols, key, c);
	return 0;
}

int sf_title_input_set(struct sf_title_input *in, const char *field, const json_t *value,
		       const char *label)
{
	const struct field *f = find(title_fields, field);
	json_t *c = NULL;
	int rc;

	if (!f)
		return sf_error(SF_EINVAL, "unknown field '%s'", sf_text_quote(field));
	rc = check(f, value, label ? label : field, &c);
	return rc ? rc : set_checked(in, f, c, label ? label : field);
}

int sf_title_input_set_text(struct sf_title_input *in, const char *field, const char *text,
			    const char *label)
{
	const struct field *f = find(title_fields, field);
	json_t *v = NULL;
	int rc;

	if (!f)
		return sf_error(SF_EINTERNAL, "bug: a title has no field '%s'", field);
	rc = from_text(f, text, label ? label : field, ',', &v);
	if (!rc)
		rc = sf_title_input_set(in, field, v, label);
	json_decref(v);
	return rc;
}

int sf_title_input_from_json(struct sf_title_input *in, const json_t *obj)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(obj))
		return sf_error(SF_EINVAL, "a title must be a JSON object, not '%s'", shown(obj));
	json_object_foreach((json_t *)obj, key, v)
		if ((rc = sf_title_input_set(in, key, v, NULL)))
			return rc;
	return sf_title_input_check(in);
}

static const char *str(const json_t *cols, const char *key)
{
	return json_string_value(json_object_get(cols, key));
}

int sf_title_input_check(struct sf_title_input *in)
{
	const char *date = str(in->cols, "release_date"), *kind = str(in->cols, "kind");
	const char *from = str(in->cols, "available_from"), *until = str(in->cols, "available_until");
	json_t *year = json_object_get(in->cols, "year");

	if (date) {
		long long y = strtoll(date, NULL, 10);

		if (json_is_integer(year) && json_integer_value(year) != y)
			return sf_error(SF_EINVAL, "year '%lld': the release date %s is in %lld",
					(long long)json_integer_value(year), date, y);
		json_object_set_new(in->cols, "year", json_integer(y));
	}
	if (kind && !strcmp(kind, "movie") && json_array_size(in->seasons) > 0)
		return sf_error(SF_EINVAL, "seasons: a movie has no seasons (its kind is movie)");
	if (kind && !strcmp(kind, "series") && json_is_integer(json_object_get(in->cols,
									    "runtime_minutes")))
		return sf_error(SF_EINVAL, "runtime_minutes '%lld': a series has no runtime of its "
				"own (its episodes do)",
				(long long)json_integer_value(json_object_get(in->cols,
									      "runtime_minutes")));
	if (from && until && strcmp(until, from) <= 0)
		return sf_error(SF_EINVAL, "available_until '%s': not after available_from '%s'",
				until, from);
	return 0;
}
