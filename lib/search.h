/*
 * search.h - searching the catalog: full-text search with typo tolerance,
 * autocomplete, and the log of searches with its statistics.
 *
 * A search is either a viewer's (it names a profile: only titles the
 * profile may watch, published and inside their availability window,
 * are found) or an operator's (every title, whatever its status).  The
 * words follow websearch_to_tsquery: "quoted phrases", -excluded words,
 * "or"; the last word is also a prefix ("godf" finds The Godfather);
 * words are stemmed and accents ignored.  When nothing matches, titles
 * whose names come close are returned instead (typos).  The SQL lives in
 * sql/0006_search.sql; this module validates, calls it, and builds the
 * JSON that the CLI prints and the HTTP API sends.
 *
 * Requests carry every value as the text given, NULL when absent, so the
 * CLI and the HTTP API share one validation whose messages name the
 * parameter ("--year '1990..1899': the range is backwards", SF_EINVAL).
 */
#ifndef SF_SEARCH_H
#define SF_SEARCH_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_SEARCH_LIMIT_DEFAULT 20
#define SF_SEARCH_LIMIT_MAX 100
#define SF_SEARCH_WINDOW 100     /* results that can be paged through */
#define SF_SEARCH_COUNT_MAX 1000 /* matches counted exactly */
#define SF_SEARCH_QUERY_MAX 200  /* characters */
#define SF_SEARCH_RATING_MAX 5   /* --min-rating is 0..5: ratings are 1 to 5 stars */
#define SF_SEARCH_YEAR_MIN 1870  /* the years titles may have */
#define SF_SEARCH_YEAR_MAX 2200
#define SF_SUGGEST_LIMIT_DEFAULT 5
#define SF_SUGGEST_LIMIT_MAX 10

struct sf_search_request {
	const char *query;       /* the words; NULL or blank: every title that passes the filters */
	const char *profile;     /* a profile ref (profile.h): search as this viewer */
	const char *region;      /* a country code, "FR": only titles available there */
	const char *genre;       /* a genre's name, any case */
	const char *year;        /* "1994", "1990..1999", "1990..", "..1999", "1990s" */
	const char *min_rating;  /* 0 to 5 */
	const char *type;        /* movie or series */
	const char *lang;        /* an ISO 639 code, "fr": original or spoken language */
	const char *sort;        /* relevance (default), newest, oldest, rating, popular */
	const char *page;        /* from 1 (default 1) */
	const char *limit;       /* 1 to 100 (default 20) */
};

/* Checks a request without the database; SF_EINVAL naming the first bad
 * parameter.  (sf_search checks too, and also the profile and genre.) */
int sf_search_check(const struct sf_search_request *req);

/* Runs a search and logs it (search_log).  The actor must be the
 * profile's account or may manage accounts; without a profile (the
 * operator's view) an account must be allowed to manage the catalog.
 * On success *out is
 *	{query, total, total_exact, page, pages, limit, fuzzy, corrected,
 *	 items: [{rank, id, kind, title, year, maturity, rating, genres,
 *	 status, episode}]}
 * where total counts the matches (with total_exact false, more than total
 * match: counting stops past SF_SEARCH_COUNT_MAX), pages counts the pages
 * that can be reached (the first SF_SEARCH_WINDOW results), fuzzy says the
 * items are close titles because nothing matched (corrected: the words
 * with their typos mended that found them, or null), and episode is {season,
 * number, name} when the name of one of a series' episodes is what
 * matched (else null).  The caller json_decref()s it.  A profile that does not exist is
 * SF_ENOTFOUND; an unknown genre or a page past the window SF_EINVAL. */
int sf_search(struct sf_db *db, const struct sf_actor *actor,
	      const struct sf_search_request *req, json_t **out);

/* Autocomplete: up to limit (default 5, at most 10) titles with a word
 * beginning with prefix, titles that begin with it first, then the most
 * popular; filtered for the profile when one is given, as sf_search
 * does.  *out is an array of {id, kind, title, year}.  Not logged. */
int sf_search_suggest(struct sf_db *db, const struct sf_actor *actor, const char *prefix,
		      const char *profile, const char *region, const char *limit, json_t **out);

struct sf_search_stats_request {
	const char *since;       /* a date (2026-11-01[T10:00[:00]Z]) or an age (7d); default 30d */
	int zero_only;           /* only the queries that found nothing */
	const char *limit;       /* queries per list, 1 to 100 (default 20) */
};

/* What viewers and operators search for, from search_log: the most
 * frequent queries and those that found nothing, grouped without regard
 * to case, accents and punctuation, first pages only.  *out is
 *	{since, searches, zero_results, top: [...], zero: [...]}
 * (top left out with zero_only), each entry {query, searches, profiles,
 * results, last_at}: the commonest spelling, how often, by how many
 * profiles, the result count of the latest such search, and when.  An
 * account needs to be allowed to manage the catalog. */
int sf_search_stats(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_search_stats_request *req, json_t **out);

/* Splits the words for sf_search_tsquery: *last is the last word when it
 * is a plain word to be matched as a prefix (not quoted, not negated, not
 * "or", not followed by a space), and *head the words before it;
 * otherwise *head is all the words and *last NULL.  Both are freed by
 * the caller. */
void sf_search_split(const char *query, char **head, char **last);

#endif
