/*
 * title_field.h - the fields of the catalog's JSON forms and their checks.
 *
 * A title's one JSON form (sql/0005_title_versions.sql, sf_title_json)
 * nests seasons, episodes and credits.  Every value that enters the
 * catalog passes through this module, whatever its source: a command-line
 * option ("--year 1972", converted from text), an imported record or an
 * API body (JSON).  Each field has one type and one check, so the CLI,
 * import and the API accept exactly the same values; errors name the field
 * as the caller labels it ("--release-date '2020-13-01': ..." on the
 * command line, "release_date '2020-13-01': ..." in a file).
 *
 * A checked value is canonical: a rating name becomes its level, language
 * tags and country codes are normalized, times become UTC
 * ("2026-12-01T18:00:00Z"), lists lose duplicates, an empty optional text
 * becomes null, popularity is rounded to three decimals.
 */
#ifndef SF_TITLE_FIELD_H
#define SF_TITLE_FIELD_H

#include <jansson.h>

/* The validated fields of a title for add, edit, import and rollback.
 * cols maps column names (the JSON form's names; "maturity" holds the
 * level) to canonical values, null clearing a column; genres, credits and
 * seasons are NULL when not given (left as they are) or replace what the
 * title has. */
struct sf_title_input {
	json_t *cols;
	json_t *genres;    /* array of names */
	json_t *credits;   /* array of {name, role, character, order} */
	json_t *seasons;   /* array of {number, name, overview, release_date, episodes} */
};

void sf_title_input_init(struct sf_title_input *in);
void sf_title_input_release(struct sf_title_input *in);
/* 1 if nothing is set. */
int sf_title_input_empty(const struct sf_title_input *in);

/* Sets field (a name of the JSON form) from a JSON value; label names it
 * in errors (NULL: the field's name).  The form's read-only fields (id,
 * version, rating_avg, rating_count, created_at, updated_at) are accepted
 * and ignored; an unknown field is SF_EINVAL naming it. */
int sf_title_input_set(struct sf_title_input *in, const char *field, const json_t *value,
		       const char *label);

/* The same from command-line text: numbers are parsed, lists are
 * comma-separated ("Crime,Drama"), and "" clears an optional field. */
int sf_title_input_set_text(struct sf_title_input *in, const char *field, const char *text,
			    const char *label);

/* Sets every member of obj, a title in the JSON form, then checks the
 * input as a whole (sf_title_input_check). */
int sf_title_input_from_json(struct sf_title_input *in, const json_t *obj);

/* Checks fields against each other: maturity and maturity_level agree,
 * year matches release_date (and is derived from it when not given), a
 * movie has no seasons and a series no runtime, the window ends after it
 * starts. */
int sf_title_input_check(struct sf_title_input *in);

/* The fields of the title form in its order, NULL-terminated (the CSV
 * columns). */
extern const char *const sf_title_fields[];

/* One CSV cell as the JSON value of field: "" is null ([] for a list;
 * nothing, *out NULL, for kind, title, status, maturity, popularity and
 * seasons, which have no null); lists are '|'-separated (or a JSON array);
 * credits and seasons are JSON.  An unknown field is SF_EINVAL. */
int sf_title_field_from_csv(const char *field, const char *text, json_t **out);

/* Parts of a title, each a JSON object in the form's shape.  _text
 * converts one command-line value of a part's field into *out (a new
 * reference), checked and canonical.  _check validates a whole object:
 * every required field present, no unknown field, and returns the
 * canonical object (missing optional fields null, or left out when
 * partial is set, for edits). */
enum sf_title_part { SF_PART_SEASON, SF_PART_EPISODE, SF_PART_CREDIT };

int sf_title_part_text(enum sf_title_part part, const char *field, const char *text,
		       const char *label, json_t **out);
int sf_title_part_check(enum sf_title_part part, const json_t *obj, const char *where,
			int partial, json_t **out);

/* Single values, for the modules and the CLI; each writes the canonical
 * text to out and fails with SF_EINVAL naming label and value. */
int sf_date_check(const char *label, const char *text, char out[11]);         /* YYYY-MM-DD */
int sf_time_check(const char *label, const char *text, char out[21]);         /* -> UTC */
int sf_country_check(const char *label, const char *text, char out[3]);      /* US */
int sf_external_id_check(const char *label, const char *text);
int sf_genre_name_check(const char *label, const char *text);
int sf_person_name_check(const char *label, const char *text);

/* Parses a whole number in [min, max] from text: SF_EINVAL naming label. */
int sf_number_parse(const char *label, const char *text, long long min, long long max,
		    long long *out);

#endif
