/*
 * search.c - the checks of a search request, which the CLI and the HTTP
 * API share (each bad parameter is named in the message), and how the
 * words are split for the prefix match.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search.h"
#include "tap.h"

static int has(const char *text)
{
	return strstr(sf_error_message(), text) != NULL;
}

/* split(query, head, last): last NULL when no prefix. */
static void split(const char *query, const char *head, const char *last, const char *why)
{
	char *h, *l;

	sf_search_split(query, &h, &l);
	is_str(h, head, "split: %s: the head of '%s'", why, query);
	if (last)
		is_str(l, last, "split: %s: ...the prefix", why);
	else
		ok(l == NULL, "split: %s: ...no prefix (got '%s')", why, l ? l : "");
	free(h);
	free(l);
}

static void splitting(void)
{
	split("godf", "", "godf", "one word is a prefix");
	split("the godf", "the ", "godf", "the last word is");
	split("godfather ", "godfather ", NULL, "a space after it ends the word");
	split("\"the godfather\"", "\"the godfather\"", NULL, "a quoted word is not");
	split("\"the godf", "\"the godf", NULL, "nor one in an open quote");
	split("star -wars", "star -wars", NULL, "nor an excluded one");
	split("alien or", "alien or", NULL, "nor the operator or");
	split("alien or pred", "alien or pred", NULL, "nor a word after or");
	split("alien OR pred", "alien OR pred", NULL, "nor after OR");
	split("color pred", "color ", "pred", "but after a word ending in 'or'");
	split("spider-m", "", "spider-m", "a hyphenated word is");
	split("amél", "", "amél", "accented letters count");
	split("star ...", "star ...", NULL, "punctuation is no word");
	split("", "", NULL, "nothing is nothing");
}

/* bad(req, text): invalid, with text in the message. */
static void bad(struct sf_search_request r, const char *text, const char *why)
{
	is_int(sf_search_check(&r), SF_EINVAL, "check: %s", why);
	ok(has(text), "check: ...naming it (%s)", sf_error_message());
}

static void good(struct sf_search_request r, const char *why)
{
	int rc = sf_search_check(&r);

	is_int(rc, 0, "check: %s%s%s", why, rc ? ": " : "", rc ? sf_error_message() : "");
}

static void checks(void)
{
	char long201[202];

	good((struct sf_search_request){ .query = "godfather" }, "words alone");
	good((struct sf_search_request){ 0 }, "nothing at all (every title)");
	good((struct sf_search_request){ .year = "1994" }, "--year 1994");
	good((struct sf_search_request){ .year = "1990..1999" }, "--year 1990..1999");
	good((struct sf_search_request){ .year = "1990.." }, "--year 1990..");
	good((struct sf_search_request){ .year = "..1999" }, "--year ..1999");
	good((struct sf_search_request){ .year = "1990s" }, "--year 1990s");
	good((struct sf_search_request){ .year = "1994..1994" }, "--year 1994..1994");
	bad((struct sf_search_request){ .year = "1990..1899" }, "--year '1990..1899': the range is backwards",
	    "a backwards range");
	bad((struct sf_search_request){ .year = "3000" }, "--year '3000': years go from 1870 to 2200",
	    "a year out of range");
	bad((struct sf_search_request){ .year = "1800..1990" }, "--year '1800..1990'",
	    "a range starting out of range");
	bad((struct sf_search_request){ .year = "nineties" }, "--year 'nineties': not a year",
	    "a word");
	bad((struct sf_search_request){ .year = ".." }, "--year '..'", "two dots");
	bad((struct sf_search_request){ .year = "94" }, "--year '94'", "two digits");
	bad((struct sf_search_request){ .year = "1995s" }, "--year '1995s'", "no decade");
	bad((struct sf_search_request){ .year = "1990...1999" }, "--year '1990...1999'",
	    "three dots");

	good((struct sf_search_request){ .min_rating = "0" }, "--min-rating 0");
	good((struct sf_search_request){ .min_rating = "3.5" }, "--min-rating 3.5");
	good((struct sf_search_request){ .min_rating = "5" }, "--min-rating 5");
	bad((struct sf_search_request){ .min_rating = "5.01" }, "--min-rating '5.01': not a rating from 0 to 5",
	    "--min-rating 5.01");
	bad((struct sf_search_request){ .min_rating = "11" }, "--min-rating '11': not a rating from 0 to 5",
	    "--min-rating 11");
	bad((struct sf_search_request){ .min_rating = "-1" }, "--min-rating '-1'", "a negative rating");
	bad((struct sf_search_request){ .min_rating = "nan" }, "--min-rating 'nan'", "NaN");
	bad((struct sf_search_request){ .min_rating = "7x" }, "--min-rating '7x'", "junk after it");
	bad((struct sf_search_request){ .min_rating = "" }, "--min-rating ''", "empty");

	good((struct sf_search_request){ .type = "Series" }, "--type in any case");
	bad((struct sf_search_request){ .type = "film" }, "--type 'film': not one of movie, series",
	    "an unknown type");
	good((struct sf_search_request){ .sort = "newest" }, "--sort newest");
	bad((struct sf_search_request){ .sort = "best" },
	    "--sort 'best': not one of relevance, newest, oldest, rating, popular", "an unknown sort");

	good((struct sf_search_request){ .page = "1" }, "--page 1");
	bad((struct sf_search_request){ .page = "0" }, "--page '0': not a whole number of 1 or more",
	    "--page 0");
	bad((struct sf_search_request){ .page = "-2" }, "--page '-2'", "a negative page");
	bad((struct sf_search_request){ .page = "two" }, "--page 'two'", "a page in words");
	bad((struct sf_search_request){ .page = "99999999999999999999" }, "--page '99999",
	    "a page too large to hold");
	good((struct sf_search_request){ .page = "5" }, "--page 5");
	bad((struct sf_search_request){ .page = "6" }, "--page '6': only the first 100 results",
	    "a page past the window");
	good((struct sf_search_request){ .page = "10", .limit = "10" }, "--page 10 --limit 10");
	bad((struct sf_search_request){ .page = "2", .limit = "100" }, "--page '2'",
	    "...past it with --limit 100");

	good((struct sf_search_request){ .limit = "100" }, "--limit 100");
	bad((struct sf_search_request){ .limit = "101" }, "--limit '101': not a whole number from 1 to 100",
	    "--limit over 100");
	bad((struct sf_search_request){ .limit = "0" }, "--limit '0'", "--limit 0");

	good((struct sf_search_request){ .lang = "fr" }, "--lang fr");
	good((struct sf_search_request){ .lang = "pt-BR" }, "--lang pt-BR");
	bad((struct sf_search_request){ .lang = "french" }, "--lang 'french': not a language code",
	    "a language by name");
	good((struct sf_search_request){ .region = "fr" }, "--region fr");
	bad((struct sf_search_request){ .region = "FRA" }, "--region 'FRA': not a two-letter country code",
	    "a three-letter region");
	bad((struct sf_search_request){ .region = "F1" }, "--region 'F1'", "a digit in a region");
	bad((struct sf_search_request){ .genre = "" }, "--genre '': must not be empty", "an empty genre");
	bad((struct sf_search_request){ .profile = "" }, "--profile ''", "an empty profile");

	memset(long201, 'x', 201);
	long201[201] = '\0';
	bad((struct sf_search_request){ .query = long201 }, "longer than 200 characters",
	    "words over 200 characters");
	bad((struct sf_search_request){ .query = "god\nfather" }, "control character",
	    "a control character in the words");
	bad((struct sf_search_request){ .query = "\xff" }, "not valid UTF-8", "bad UTF-8");
	good((struct sf_search_request){ .query = "Amélie \"le fabuleux\" -destin or zoë" },
	     "accents, quotes, - and or");
}

int main(void)
{
	splitting();
	checks();
	return done_testing();
}
