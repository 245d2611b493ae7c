/*
 * search.c - search against a real PostgreSQL: a hand-written catalog of
 * about sixty titles and the orderings a demanding viewer expects of it.
 *
 * Exact titles come first, then titles holding every word, then titles
 * matching by a prefix, then the rest; stemming, accents, original
 * titles, people, prefixes as typed, typos, phrases, exclusion, "or",
 * episode names leading to their series; every filter; maturity limits,
 * availability windows, statuses and regions for viewers (and none of
 * them for operators); pagination and totals, also for a word that
 * thousands of titles hold; who may search how; autocomplete; and the
 * search log with its statistics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "search.h"
#include "tap.h"
#include "testdb.h"
#include "xalloc.h"

static struct sf_db *db;
static struct sf_actor os;
static json_t *last;    /* the last result, for further checks */
static char got[4096];  /* its titles, "A|B|C" */

static const char catalog[] =
	"INSERT INTO genres (name) VALUES ('Crime'), ('Drama'), ('Action'), ('Comedy'),"
	" ('Science Fiction'), ('Animation'), ('Horror'), ('Romance');"
	/* kind, title, original, overview, year, maturity, popularity, rating,
	 * language, status, window, regions */
	"INSERT INTO titles (kind, title, original_title, overview, year, maturity, popularity,"
	" rating_avg, original_language, status, available_from, available_until, regions) VALUES"
	" ('movie', 'The Godfather', NULL, 'The aging patriarch of an organized crime dynasty"
	"  transfers control of his clandestine empire to his reluctant son.', 1972, 5, 90, 4.60,"
	"  'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Godfather Part II', NULL, 'The early life and career of Vito Corleone.',"
	"  1974, 5, 80, 4.50, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Godfather Part III', NULL, 'An aging don seeks to legitimize his"
	"  business.', 1990, 5, 40, 3.80, 'en', 'published', NULL, NULL, '{}'),"
	" ('series', 'Godfather of Harlem', NULL, 'A crime boss returns from prison.', 2019, 6, 30,"
	"  3.90, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Amélie', 'Le Fabuleux Destin d''Amélie Poulain', 'A shy Parisian waitress"
	"  decides to change the lives of those around her.', 2001, 5, 60, 4.15, 'fr', 'published',"
	"  NULL, NULL, '{}'),"
	" ('movie', 'The Matrix', NULL, 'A computer hacker learns the true nature of reality.',"
	"  1999, 5, 85, 4.35, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Matrix Reloaded', NULL, 'Neo and the rebels fight the machines.', 2003, 5,"
	"  95, 3.60, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Animatrix', NULL, 'Nine animated stories.', 2003, 4, 20, 3.65, 'en',"
	"  'published', NULL, NULL, '{}'),"
	" ('movie', 'Batman Begins', NULL, 'A young Bruce Wayne becomes a vigilante.', 2005, 4, 70,"
	"  4.10, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Dark Knight', NULL, 'Batman raises the stakes in his war on crime.', 2008,"
	"  4, 99, 4.50, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'A Knight in the Dark Woods', NULL, 'A squire gets lost.', 2011, 3, 5, 2.55,"
	"  'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Run Lola Run', 'Lola rennt', 'Lola has twenty minutes to find the money.',"
	"  1998, 5, 50, 3.85, 'de', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Running Man', NULL, 'A convict must survive a deadly game show.', 1987, 5,"
	"  45, 3.35, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Happiness', NULL, 'Three sisters and the people around them.', 1998, 6, 15,"
	"  3.85, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Star Wars', NULL, 'Luke Skywalker joins a Jedi knight to save a princess.',"
	"  1977, 3, 92, 4.30, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Star Trek', NULL, 'The young crew of the Enterprise.', 2009, 4, 65, 3.95, 'en',"
	"  'published', NULL, NULL, '{}'),"
	" ('movie', 'Lone Star', NULL, 'A sheriff investigates an old murder.', 1996, 5, 10, 3.75,"
	"  'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'It', NULL, 'Bullied kids band together to destroy a monster.', 2017, 5, 75,"
	"  3.65, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Alien', NULL, 'The crew of a spacecraft meets a deadly lifeform.', 1979, 5,"
	"  70, 4.25, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Predator', NULL, 'A commando team is hunted in the jungle.', 1987, 5, 60, 3.90,"
	"  'en', 'published', NULL, NULL, '{}'),"
	" ('series', 'Breaking Bad', NULL, 'A chemistry teacher turns to making methamphetamine.',"
	"  2008, 6, 97, 4.75, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', '2001: A Space Odyssey', NULL, 'Humanity finds a mysterious monolith.', 1968, 1,"
	"  50, 4.15, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Shining', NULL, 'A family heads to an isolated hotel for the winter.', 1980,"
	"  5, 60, 4.20, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Toy Story', NULL, 'A cowboy doll feels threatened by a new spaceman toy.', 1995,"
	"  1, 80, 4.15, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'Finding Nemo', NULL, 'A clownfish searches the ocean for his son.', 2003, 1, 75,"
	"  4.05, 'en', 'published', NULL, NULL, '{}'),"
	" ('movie', 'The Godfather Trilogy Documentary', NULL, 'Making the films.', 2020, 1, 1, NULL,"
	"  'en', 'draft', NULL, NULL, '{}'),"
	" ('movie', 'Dark Star', NULL, 'A bomb that talks back.', 1974, 4, 3, 3.20, 'en', 'archived',"
	"  NULL, NULL, '{}'),"
	" ('movie', 'Future Star', NULL, 'Not out yet.', 2027, 1, 4, NULL, 'en', 'published',"
	"  now() + interval '10 days', NULL, '{}'),"
	" ('movie', 'Expired Star', NULL, 'Its licence ran out.', 2000, 1, 4, NULL, 'en',"
	"  'published', NULL, now() - interval '1 day', '{}'),"
	" ('movie', 'Regional Star', NULL, 'Only in France and Belgium.', 2010, 1, 4, NULL, 'fr',"
	"  'published', now() - interval '1 day', now() + interval '1 day', '{FR,BE}'),"
	" ('movie', 'Zoë', NULL, 'A quiet robot falls in love.', 2018, 4, 12, 3.00, 'en',"
	"  'published', NULL, NULL, '{}');"
	"INSERT INTO titles (kind, title, overview, year, maturity, popularity, rating_avg, status)"
	" SELECT 'movie', 'Love Letter ' || i, 'Letters between two lovers.', 1950 + i, 3, i,"
	"  ((i % 10) + 0.5) / 2, 'published' FROM generate_series(1, 25) i;"
	"INSERT INTO title_genres (title_id, genre_id)"
	" SELECT t.id, g.id FROM titles t, genres g WHERE (t.title, g.name) IN ("
	"  ('The Godfather', 'Crime'), ('The Godfather', 'Drama'), ('The Godfather Part II', 'Crime'),"
	"  ('The Godfather Part II', 'Drama'), ('The Godfather Part III', 'Drama'),"
	"  ('Godfather of Harlem', 'Crime'), ('Amélie', 'Comedy'), ('Amélie', 'Romance'),"
	"  ('The Matrix', 'Science Fiction'), ('The Matrix', 'Action'), ('Star Wars', 'Science Fiction'),"
	"  ('Toy Story', 'Animation'), ('Toy Story', 'Comedy'), ('Finding Nemo', 'Animation'),"
	"  ('Alien', 'Horror'), ('It', 'Horror'), ('Breaking Bad', 'Crime'), ('Breaking Bad', 'Drama'));"
	"INSERT INTO seasons (title_id, number) SELECT id, n FROM titles, (VALUES (1), (5)) s (n)"
	" WHERE title = 'Breaking Bad';"
	"INSERT INTO episodes (season_id, title_id, number, name)"
	" SELECT s.id, s.title_id, e.number, e.name FROM seasons s"
	"  JOIN (VALUES (1, 1, 'Pilot'), (5, 14, 'Ozymandias'), (5, 16, 'Felina')) e (season, number, name)"
	"   ON e.season = s.number;"
	"INSERT INTO people (name) VALUES ('Francis Ford Coppola'), ('Marlon Brando'), ('Al Pacino'),"
	" ('Stanley Kubrick'), ('Carrie Fisher');"
	"INSERT INTO credits (title_id, person_id, role, character)"
	" SELECT t.id, p.id, c.role, c.character FROM (VALUES"
	"  ('The Godfather', 'Francis Ford Coppola', 'director', NULL),"
	"  ('The Godfather', 'Marlon Brando', 'cast', 'Vito Corleone'),"
	"  ('The Godfather', 'Al Pacino', 'cast', 'Michael Corleone'),"
	"  ('The Godfather Part II', 'Francis Ford Coppola', 'director', NULL),"
	"  ('The Godfather Part II', 'Al Pacino', 'cast', 'Michael Corleone'),"
	"  ('2001: A Space Odyssey', 'Stanley Kubrick', 'director', NULL),"
	"  ('The Shining', 'Stanley Kubrick', 'director', NULL),"
	"  ('Star Wars', 'Carrie Fisher', 'cast', 'Princess Leia')) c (title, person, role, character)"
	"  JOIN titles t ON t.title = c.title JOIN people p ON p.name = c.person;"
	"SELECT sf_title_reindex_all();"
	/* Accounts: ada owns profiles of three maturity limits; bob is a
	 * viewer too, carla manages the catalog. */
	"INSERT INTO accounts (email, username, password_hash, role) VALUES"
	" ('ada@example.com', 'ada', 'x', 'viewer'), ('bob@example.com', 'bob', 'x', 'viewer'),"
	" ('carla@example.com', 'carla', 'x', 'content_manager');"
	"INSERT INTO profiles (account_id, name, maturity, kids)"
	" SELECT a.id, p.name, p.maturity, p.kids FROM accounts a, (VALUES"
	"  ('ada', 'ada', 6, false), ('ada', 'Teen', 4, false), ('ada', 'Kids', 3, true),"
	"  ('bob', 'bob', 6, false)) p (account, name, maturity, kids) WHERE a.username = p.account;";

/* ---- helpers ---- */

/* Runs a search; returns its code, leaves the result in last and its
 * titles in got. */
static int search_as(const struct sf_actor *actor, struct sf_search_request r)
{
	json_t *it;
	size_t i;
	int rc;

	json_decref(last);
	last = NULL;
	got[0] = '\0';
	rc = sf_search(db, actor, &r, &last);
	json_array_foreach(json_object_get(last, "items"), i, it)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "|" : "",
			 json_string_value(json_object_get(it, "title")));
	return rc;
}

static int search(struct sf_search_request r)
{
	return search_as(&os, r);
}

/* The first n titles of got. */
static const char *first(int n)
{
	static char buf[4096];
	char *p = buf;

	snprintf(buf, sizeof(buf), "%s", got);
	for (int i = 0; i < n && p; i++) {
		p = strchr(p, '|');
		if (p && i + 1 < n)
			p++;
	}
	if (p)
		*p = '\0';
	return buf;
}

/* Whether title is among got's titles. */
static int found(const char *title)
{
	char hay[4200], needle[300];

	snprintf(hay, sizeof(hay), "|%s|", got);
	snprintf(needle, sizeof(needle), "|%s|", title);
	return strstr(hay, needle) != NULL;
}

static long long total(void)
{
	return json_integer_value(json_object_get(last, "total"));
}

#define VIEWER "ada/ada"

static char *suggest(const char *prefix, const char *profile, const char *limit);

/* ---- relevance ---- */

static void exact_titles_first(void)
{
	is_int(search((struct sf_search_request){ .query = "godfather", .profile = VIEWER }), 0,
	       "exact: a search runs");
	is_str(got, "The Godfather|The Godfather Part II|The Godfather Part III|Godfather of Harlem",
	       "exact: the title itself first (without its 'The'), then titles holding the word"
	       " by popularity");
	search((struct sf_search_request){ .query = "matrix", .profile = VIEWER });
	is_str(first(2), "The Matrix|The Matrix Reloaded",
	       "exact: 'matrix' finds The Matrix before the more popular Reloaded");
	search((struct sf_search_request){ .query = "The Matrix", .profile = VIEWER });
	is_str(first(1), "The Matrix", "exact: ...and so does 'The Matrix', in any case");
	search((struct sf_search_request){ .query = "a matrix reloaded", .profile = VIEWER });
	is_str(first(1), "The Matrix Reloaded", "exact: ...and any leading article");
	search((struct sf_search_request){ .query = "batman", .profile = VIEWER });
	is_str(got, "Batman Begins|The Dark Knight",
	       "title first: Batman Begins before the more popular film that only mentions Batman");
	search((struct sf_search_request){ .query = "star", .profile = VIEWER });
	is_str(first(3), "Star Wars|Star Trek|Lone Star",
	       "title: titles holding the word, by popularity");
	search((struct sf_search_request){ .query = "it", .profile = VIEWER });
	is_str(got, "It", "stop words: a title made only of them is found by its whole title");
	search((struct sf_search_request){ .query = "the", .profile = VIEWER });
	is_int(total(), 0, "stop words: ...but a lone 'the' finds nothing");
}

static void stemming_and_accents(void)
{
	search((struct sf_search_request){ .query = "running", .profile = VIEWER });
	ok(found("Run Lola Run") && found("The Running Man"),
	   "stemming: 'running' finds Run Lola Run and The Running Man (%s)", got);
	search((struct sf_search_request){ .query = "loves", .profile = VIEWER });
	is_int(total(), 26, "stemming: 'loves' finds 'love' (%s)", first(3));
	search((struct sf_search_request){ .query = "amelie", .profile = VIEWER });
	is_str(got, "Amélie", "accents: 'amelie' finds Amélie");
	search((struct sf_search_request){ .query = "AMÉLIE", .profile = VIEWER });
	is_str(got, "Amélie", "accents: ...and so does 'AMÉLIE'");
	search((struct sf_search_request){ .query = "zoe", .profile = VIEWER });
	is_str(got, "Zoë", "accents: 'zoe' finds Zoë");
	search((struct sf_search_request){ .query = "fabuleux destin", .profile = VIEWER });
	is_str(got, "Amélie", "original title: 'fabuleux destin' finds Amélie");
	search((struct sf_search_request){ .query = "lola rennt", .profile = VIEWER });
	is_str(got, "Run Lola Run", "original title: 'lola rennt' finds Run Lola Run");
	search((struct sf_search_request){ .query = "coppola", .profile = VIEWER });
	is_str(got, "The Godfather|The Godfather Part II",
	       "people: a director's name finds his films, the more popular first");
	search((struct sf_search_request){ .query = "corleone", .profile = VIEWER });
	ok(found("The Godfather") && found("The Godfather Part II"),
	   "characters: 'corleone' finds the films with him (%s)", got);
}

static void prefixes(void)
{
	search((struct sf_search_request){ .query = "godf", .profile = VIEWER });
	is_str(got, "The Godfather|The Godfather Part II|The Godfather Part III|Godfather of Harlem",
	       "prefix: 'godf' finds The Godfather first");
	search((struct sf_search_request){ .query = "the godfa", .profile = VIEWER });
	is_str(first(1), "The Godfather", "prefix: ...and so does 'the godfa'");
	search((struct sf_search_request){ .query = "happin", .profile = VIEWER });
	is_str(got, "Happiness",
	       "prefix: 'happin' finds Happiness, though the stem of happiness is 'happi'");
	search((struct sf_search_request){ .query = "star w", .profile = VIEWER });
	is_str(first(1), "Star Wars", "prefix: 'star w' finds Star Wars first");
	search((struct sf_search_request){ .query = "godfather par", .profile = VIEWER });
	is_str(got, "The Godfather Part II|The Godfather Part III",
	       "prefix: the last word is a prefix ('godfather par')");
	search((struct sf_search_request){ .query = "matr", .profile = VIEWER });
	ok(found("The Matrix") && !found("The Animatrix"),
	   "prefix: a prefix matches the start of words only (%s)", got);
}

static void typos(void)
{
	search((struct sf_search_request){ .query = "godfahter", .profile = VIEWER });
	is_str(first(1), "The Godfather", "typo: 'godfahter' finds The Godfather");
	ok(json_is_true(json_object_get(last, "fuzzy")), "typo: ...saying the result is fuzzy");
	is_str(json_string_value(json_object_get(last, "corrected")), "godfather",
	       "typo: ...and what was searched instead");
	search((struct sf_search_request){ .query = "kubrik", .profile = VIEWER });
	ok(found("2001: A Space Odyssey") && found("The Shining"),
	   "typo: 'kubrik' finds Kubrick's films (%s)", got);
	search((struct sf_search_request){ .query = "the matrx reloaded", .profile = VIEWER });
	is_str(first(1), "The Matrix Reloaded", "typo: one wrong word among right ones is mended");
	search((struct sf_search_request){ .query = "amelei", .profile = VIEWER });
	is_str(first(1), "Amélie", "typo: 'amelei' finds Amélie");
	search((struct sf_search_request){ .query = "godfather", .profile = VIEWER });
	ok(json_is_false(json_object_get(last, "fuzzy")) &&
	   json_is_null(json_object_get(last, "corrected")),
	   "typo: an exact search is not fuzzy");
	search((struct sf_search_request){ .query = "xqzzyv", .profile = VIEWER });
	is_int(total(), 0, "typo: nonsense still finds nothing");
	search((struct sf_search_request){ .query = "godfahter -part", .profile = VIEWER });
	is_int(total(), 0, "typo: a query with operators is not corrected");
}

static void syntax(void)
{
	search((struct sf_search_request){ .query = "\"dark knight\"", .profile = VIEWER });
	is_str(got, "The Dark Knight", "phrase: \"dark knight\" needs the words together");
	search((struct sf_search_request){ .query = "dark knight", .profile = VIEWER });
	is_str(got, "The Dark Knight|A Knight in the Dark Woods",
	       "phrase: ...without quotes, both titles match, the better first");
	search((struct sf_search_request){ .query = "star -wars", .profile = VIEWER });
	ok(found("Star Trek") && found("Lone Star") && !found("Star Wars"),
	   "exclusion: 'star -wars' leaves Star Wars out (%s)", got);
	search((struct sf_search_request){ .query = "alien or predator", .profile = VIEWER });
	is_str(got, "Alien|Predator", "or: 'alien or predator' finds both");
	search((struct sf_search_request){ .query = "ozymandias", .profile = VIEWER });
	is_str(got, "Breaking Bad", "episodes: an episode's name finds its series");
	{
		json_t *ep = json_object_get(json_array_get(json_object_get(last, "items"), 0),
					     "episode");

		ok(json_integer_value(json_object_get(ep, "season")) == 5 &&
		   json_integer_value(json_object_get(ep, "number")) == 14 &&
		   !strcmp(json_string_value(json_object_get(ep, "name")), "Ozymandias"),
		   "episodes: ...and names the episode (S05E14 Ozymandias)");
	}
	search((struct sf_search_request){ .query = "ozymandas", .profile = VIEWER });
	is_str(got, "Breaking Bad", "episodes: ...also misspelt");
	is_str(json_string_value(json_object_get(last, "corrected")), "ozymandias",
	       "episodes: ...as their words mend typos too");
	search((struct sf_search_request){ .query = "pilot", .profile = "ada/Kids" });
	is_int(total(), 0, "episodes: ...but never past the profile's limit");
	search((struct sf_search_request){ .query = "love", .profile = VIEWER });
	ok(!found("Breaking Bad"), "episodes: words that find 20 titles or more do not look"
	   " at episodes");
	sf_db_exec(db, "UPDATE episodes SET name = 'Love Letter' WHERE name = 'Felina'");
	search((struct sf_search_request){ .query = "love letter", .profile = VIEWER, .limit = "50" });
	ok(!found("Breaking Bad") && total() == 25, "episodes: ...(%lld titles)", total());
	search((struct sf_search_request){ .query = "love letter", .profile = VIEWER, .year = "1970..",
					    .limit = "50" });
	ok(found("Breaking Bad"), "episodes: ...fewer do (%lld titles)", total());
	is_str(first(1), "Love Letter 25", "episodes: ...after the titles that match themselves");
	sf_db_exec(db, "UPDATE episodes SET name = 'Felina' WHERE name = 'Love Letter'");
	search((struct sf_search_request){ .query = "breaking", .profile = VIEWER });
	ok(json_is_null(json_object_get(json_array_get(json_object_get(last, "items"), 0),
					"episode")),
	   "episodes: no episode is named when the series itself matched");
}

/* ---- filters ---- */

static void filters(void)
{
	search((struct sf_search_request){ .query = "godfather", .year = "1970..1979" });
	is_str(got, "The Godfather|The Godfather Part II", "filter: --year 1970..1979");
	search((struct sf_search_request){ .query = "godfather", .year = "1990s" });
	is_str(got, "The Godfather Part III", "filter: --year 1990s");
	search((struct sf_search_request){ .query = "godfather", .year = "2000.." });
	is_str(got, "Godfather of Harlem|The Godfather Trilogy Documentary",
	       "filter: --year 2000.. (an operator sees the draft)");
	search((struct sf_search_request){ .query = "godfather", .year = "..1972" });
	is_str(got, "The Godfather", "filter: --year ..1972");
	search((struct sf_search_request){ .query = "godfather", .type = "series" });
	is_str(got, "Godfather of Harlem", "filter: --type series");
	search((struct sf_search_request){ .query = "godfather", .genre = "CRIME",
					    .profile = VIEWER });
	is_str(got, "The Godfather|The Godfather Part II|Godfather of Harlem",
	       "filter: --genre, in any case");
	search((struct sf_search_request){ .query = "godfather", .min_rating = "4.5" });
	is_str(got, "The Godfather|The Godfather Part II", "filter: --min-rating 4.5");
	search((struct sf_search_request){ .lang = "fr", .region = "US", .profile = VIEWER });
	is_str(got, "Amélie", "filter: --lang fr with no words lists by language");
	search((struct sf_search_request){ .lang = "FR", .region = "fr", .profile = VIEWER });
	is_str(got, "Amélie|Regional Star", "filter: --lang and --region in any case");
	search((struct sf_search_request){ .genre = "animation", .profile = VIEWER });
	is_str(got, "Toy Story|Finding Nemo", "browse: a filter alone lists by popularity");
	is_int(search((struct sf_search_request){ .query = "x", .genre = "Westerns" }), SF_EINVAL,
	       "filter: an unknown genre is invalid");
	ok(test_error_has("--genre 'Westerns': no such genre"), "filter: ...saying so (%s)",
	   sf_error_message());
}

static void viewers(void)
{
	search((struct sf_search_request){ .query = "star" });
	ok(found("Dark Star") && found("Future Star") && found("Expired Star") &&
	   found("Lone Star"), "operator: every status and window (%s)", got);
	search((struct sf_search_request){ .query = "godfather" });
	ok(found("The Godfather Trilogy Documentary"), "operator: drafts too");
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(last, "items"), 4),
						 "status")), "draft", "operator: ...with their status");

	search((struct sf_search_request){ .query = "star", .profile = VIEWER });
	ok(!found("Dark Star"), "viewer: no archived title");
	ok(!found("Future Star"), "viewer: nothing before its window opens");
	ok(!found("Expired Star"), "viewer: nothing after its window closes");
	ok(found("Regional Star"), "viewer: inside its window, without a region: found");
	search((struct sf_search_request){ .query = "godfather", .profile = VIEWER });
	ok(!found("The Godfather Trilogy Documentary"), "viewer: no draft");

	search((struct sf_search_request){ .query = "star", .profile = VIEWER, .region = "US" });
	ok(!found("Regional Star") && found("Star Wars"),
	   "region: a title limited to other regions is left out (%s)", got);
	search((struct sf_search_request){ .query = "star", .profile = VIEWER, .region = "be" });
	ok(found("Regional Star"), "region: ...and found in its own");

	search((struct sf_search_request){ .query = "star", .profile = "ada/Teen" });
	is_str(got, "Star Wars|Star Trek|Regional Star", "maturity: PG-13 leaves out R-rated Lone Star");
	search((struct sf_search_request){ .query = "star", .profile = "ada/Kids" });
	is_str(got, "Star Wars|Regional Star", "maturity: a kids profile sees up to PG");
	search((struct sf_search_request){ .query = "godfather", .profile = "ada/Kids" });
	is_int(total(), 0, "maturity: nothing rated R for kids, not even by typo or prefix");
	search((struct sf_search_request){ .query = "godfahter", .profile = "ada/Kids" });
	is_int(total(), 0, "maturity: ...nor by a correction");
}

static void sorting_and_pages(void)
{
	search((struct sf_search_request){ .query = "love letter", .limit = "10" });
	is_int(total(), 25, "pages: the total counts every match");
	ok(json_is_true(json_object_get(last, "total_exact")), "pages: ...exactly");
	is_int(json_integer_value(json_object_get(last, "pages")), 3, "pages: 25 at 10 a page is 3");
	is_int((long long)json_array_size(json_object_get(last, "items")), 10,
	       "pages: the first page has 10");
	is_str(first(2), "Love Letter 25|Love Letter 24", "pages: ...the most popular first");
	search((struct sf_search_request){ .query = "love letter", .limit = "10", .page = "3" });
	is_int((long long)json_array_size(json_object_get(last, "items")), 5,
	       "pages: the last page has the other 5");
	is_int(json_integer_value(json_object_get(json_array_get(json_object_get(last, "items"), 0),
						  "rank")), 21, "pages: ...ranked from 21");
	is_str(first(1), "Love Letter 5", "pages: ...in the same order");
	search((struct sf_search_request){ .query = "love letter", .limit = "10", .page = "4" });
	ok(total() == 25 && json_array_size(json_object_get(last, "items")) == 0,
	   "pages: a page past the end is empty, with the total");
	is_int(search((struct sf_search_request){ .query = "love", .page = "6" }), SF_EINVAL,
	       "pages: past the first 100 results is invalid");
	ok(test_error_has("--page '6'"), "pages: ...naming the page (%s)", sf_error_message());

	search((struct sf_search_request){ .query = "love letter", .sort = "oldest", .limit = "2" });
	is_str(got, "Love Letter 1|Love Letter 2", "sort: oldest");
	search((struct sf_search_request){ .query = "love letter", .sort = "newest", .limit = "2" });
	is_str(got, "Love Letter 25|Love Letter 24", "sort: newest");
	search((struct sf_search_request){ .query = "love letter", .sort = "rating", .limit = "3" });
	is_str(got, "Love Letter 19|Love Letter 9|Love Letter 18",
	       "sort: rating, ties by popularity");
	search((struct sf_search_request){ .query = "godfather", .sort = "popular", .profile = VIEWER });
	is_str(got, "The Godfather|The Godfather Part II|The Godfather Part III|Godfather of Harlem",
	       "sort: popular");
}

/* A word in thousands of titles: counting stops, ranking stays right. */
static void broad(void)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO titles (kind, title, overview, year, maturity, popularity, status)"
		 " SELECT 'movie', 'Filler ' || i, 'A story about the ocean.', 2000, 1, 100 + i,"
		 "  'published' FROM generate_series(1, %d) i", SF_SEARCH_COUNT_MAX + 100);
	sf_db_exec(db, sql);
	sf_db_exec(db, "INSERT INTO titles (kind, title, overview, year, maturity, popularity, status)"
		   " VALUES ('movie', 'Ocean', 'Waves.', 2001, 1, 0.5, 'published'),"
		   "  ('movie', 'Ocean Waves', 'Sand.', 2002, 1, 0.1, 'published');"
		   "SELECT sf_title_reindex_all();");
	search((struct sf_search_request){ .query = "ocean", .profile = VIEWER });
	ok(total() == SF_SEARCH_COUNT_MAX && json_is_false(json_object_get(last, "total_exact")),
	   "broad: over %d matches, the total says 'more than %d'", SF_SEARCH_COUNT_MAX,
	   SF_SEARCH_COUNT_MAX);
	snprintf(sql, sizeof(sql), "Ocean|Ocean Waves|Filler %d", SF_SEARCH_COUNT_MAX + 100);
	is_str(first(3), sql,
	       "broad: the exact title, then the title match, before popular overview matches");
	is_int(json_integer_value(json_object_get(last, "pages")), SF_SEARCH_WINDOW / 20,
	       "broad: the pages that can be reached");
	search((struct sf_search_request){ .query = "ocean", .profile = VIEWER, .page = "5" });
	is_int((long long)json_array_size(json_object_get(last, "items")), 20,
	       "broad: the last reachable page is full");
	search((struct sf_search_request){ .query = "ocean", .sort = "newest", .limit = "1" });
	is_str(got, "Finding Nemo", "broad: sorting by a column sees every match");
	search((struct sf_search_request){ .query = "filler 7" });
	is_str(first(1), "Filler 7", "broad: a precise query among them still comes first");
	{
		char *sg = suggest("fill", VIEWER, "3");

		snprintf(sql, sizeof(sql), "Filler %d|Filler %d|Filler %d", SF_SEARCH_COUNT_MAX + 100,
			 SF_SEARCH_COUNT_MAX + 99, SF_SEARCH_COUNT_MAX + 98);
		is_str(sg, sql, "broad: suggest walks a prefix thousands share, most popular first");
		free(sg);
		snprintf(sql, sizeof(sql), "UPDATE titles SET status = 'draft'"
			 " WHERE title = 'Filler %d'", SF_SEARCH_COUNT_MAX + 99);
		sf_db_exec(db, sql);
		sg = suggest("fill", VIEWER, "2");
		snprintf(sql, sizeof(sql), "Filler %d|Filler %d", SF_SEARCH_COUNT_MAX + 100,
			 SF_SEARCH_COUNT_MAX + 98);
		is_str(sg, sql, "broad: ...and checks what it found against the titles");
		free(sg);
	}
	sf_db_exec(db, "DELETE FROM titles WHERE title LIKE 'Filler %' OR title LIKE 'Ocean%'");
}

/* ---- who may search how ---- */

static void permissions(void)
{
	struct sf_actor ada, carla;

	if (sf_actor_account(db, "ada", &ada) || sf_actor_account(db, "carla", &carla)) {
		printf("Bail out! %s\n", sf_error_message());
		exit(1);
	}
	is_int(search_as(&ada, (struct sf_search_request){ .query = "star", .profile = "ada/Kids" }),
	       0, "permissions: an account searches as its own profile");
	is_int(search_as(&ada, (struct sf_search_request){ .query = "star", .profile = "bob/bob" }),
	       SF_EFORBIDDEN, "permissions: ...not as another account's");
	is_int(search_as(&ada, (struct sf_search_request){ .query = "star" }), SF_EFORBIDDEN,
	       "permissions: a viewer has no operator's view");
	is_int(search_as(&carla, (struct sf_search_request){ .query = "star" }), 0,
	       "permissions: a content manager has");
	is_int(search((struct sf_search_request){ .query = "star", .profile = "ada/Nobody" }),
	       SF_ENOTFOUND, "permissions: an unknown profile is not found");
	{
		struct sf_search_stats_request st = { 0 };
		json_t *j = NULL;

		is_int(sf_search_stats(db, &ada, &st, &j), SF_EFORBIDDEN,
		       "permissions: a viewer may not read the stats");
		is_int(sf_search_stats(db, &carla, &st, &j), 0, "permissions: a content manager may");
		json_decref(j);
	}
	sf_actor_release(&ada);
	sf_actor_release(&carla);
}

/* ---- autocomplete ---- */

static char *suggest(const char *prefix, const char *profile, const char *limit)
{
	json_t *list = NULL, *it;
	char *s = sf_xstrdup("");
	size_t i;

	if (sf_search_suggest(db, &os, prefix, profile, NULL, limit, &list)) {
		free(s);
		return sf_xasprintf("error: %s", sf_error_message());
	}
	json_array_foreach(list, i, it) {
		char *next = sf_xasprintf("%s%s%s", s, i ? "|" : "",
					  json_string_value(json_object_get(it, "title")));

		free(s);
		s = next;
	}
	json_decref(list);
	return s;
}

static void suggestions(void)
{
	char *s;

	s = suggest("godf", VIEWER, NULL);
	is_str(s, "The Godfather|The Godfather Part II|The Godfather Part III|Godfather of Harlem",
	       "suggest: titles beginning with the prefix (after 'The' too), by popularity");
	free(s);
	s = suggest("GÓDF", NULL, NULL);
	is_str(s, "The Godfather|The Godfather Part II|The Godfather Part III|Godfather of Harlem|"
	       "The Godfather Trilogy Documentary", "suggest: any case and accents; operators see drafts");
	free(s);
	s = suggest("star", VIEWER, NULL);
	is_str(s, "Star Wars|Star Trek|Lone Star|Regional Star",
	       "suggest: titles beginning with it first, then titles with a later word");
	free(s);
	sf_db_exec(db, "UPDATE titles SET status = 'draft' WHERE title = 'Star Trek'");
	s = suggest("star", VIEWER, NULL);
	is_str(s, "Star Wars|Lone Star|Regional Star",
	       "suggest: a title unpublished without a reindex is not suggested to viewers");
	free(s);
	sf_db_exec(db, "UPDATE titles SET status = 'published' WHERE title = 'Star Trek'");
	s = suggest("star", VIEWER, NULL);
	is_str(s, "Star Wars|Star Trek|Lone Star|Regional Star",
	       "suggest: ...and published again without a reindex, it is suggested again");
	free(s);
	sf_db_exec(db, "UPDATE titles SET status = 'published' WHERE title = 'Dark Star'");
	s = suggest("star", VIEWER, NULL);
	is_str(s, "Star Wars|Star Trek|Lone Star|Regional Star|Dark Star",
	       "suggest: a title archived when indexed and published since is suggested");
	free(s);
	sf_db_exec(db, "UPDATE titles SET status = 'archived' WHERE title = 'Dark Star'");
	sf_db_exec(db, "UPDATE titles SET popularity = 1000 WHERE title = 'Star Trek'");
	s = suggest("star", VIEWER, NULL);
	is_str(s, "Star Trek|Star Wars|Lone Star|Regional Star",
	       "suggest: a change of popularity reorders suggestions at once");
	free(s);
	sf_db_exec(db, "UPDATE titles SET popularity = 65 WHERE title = 'Star Trek'");
	s = suggest("wars", VIEWER, NULL);
	is_str(s, "Star Wars", "suggest: a word inside a title");
	free(s);
	s = suggest("star", "ada/Kids", NULL);
	is_str(s, "Star Wars|Regional Star", "suggest: only what the profile may watch");
	free(s);
	s = suggest("l", VIEWER, "2");
	is_str(s, "Amélie|Run Lola Run", "suggest: original titles count ('Le Fabuleux...')");
	free(s);
	s = suggest("love", VIEWER, "2");
	is_str(s, "Love Letter 25|Love Letter 24", "suggest: --limit");
	free(s);
	s = suggest("love", VIEWER, NULL);
	is_str(s, "Love Letter 25|Love Letter 24|Love Letter 23|Love Letter 22|Love Letter 21",
	       "suggest: up to 5 by default");
	free(s);
	s = suggest("  ", VIEWER, NULL);
	is_str(s, "", "suggest: nothing for a blank prefix");
	free(s);
	s = suggest("x", VIEWER, "11");
	ok(!strncmp(s, "error: --limit '11'", 19), "suggest: at most 10 (%s)", s);
	free(s);
}

/* ---- the log and its statistics ---- */

static void logging(void)
{
	struct sf_search_stats_request st = { 0 };
	json_t *j = NULL, *top, *zero;
	long long before;
	long long pid = test_db_countf(db, "SELECT p.id FROM profiles p"
				       " JOIN accounts a ON a.id = p.account_id"
				       " WHERE a.username = 'ada' AND p.name = 'ada'");

	sf_db_exec(db, "DELETE FROM search_log");
	before = test_db_countf(db, "SELECT count(*) FROM search_log");
	search((struct sf_search_request){ .query = "  Godfather ", .profile = VIEWER,
					    .year = "1970..1979", .limit = "5" });
	is_int(test_db_countf(db, "SELECT count(*)"
			      " FROM search_log"), before + 1, "log: a search is logged");
	is_int(test_db_countf(db, "SELECT count(*) FROM search_log WHERE id = (SELECT max(id)"
			      " FROM search_log)"
			      " AND profile_id = %lld AND query = 'Godfather' AND query_key = 'godfather'"
			      " AND filters = '{\"year\": \"1970..1979\", \"limit\": 5}'"
			      " AND result_count = 2 AND NOT fuzzy AND latency_ms > 0", pid), 1,
	       "log: ...with the profile, the words, the filters, the count and the latency");
	search((struct sf_search_request){ .query = "godfather" });
	is_int(test_db_countf(db, "SELECT count(*) FROM search_log WHERE id = (SELECT max(id)"
			      " FROM search_log)"
			      " AND profile_id IS NULL"), 1, "log: an operator's search has no profile");
	search((struct sf_search_request){ .query = "GODFATHER", .profile = VIEWER, .page = "2" });
	search((struct sf_search_request){ .query = "godfahter", .profile = VIEWER });
	is_int(test_db_countf(db, "SELECT count(*) FROM search_log WHERE id = (SELECT max(id)"
			      " FROM search_log)"
			      " AND fuzzy AND result_count = 4"), 1, "log: a corrected search says so");
	for (int i = 0; i < 3; i++)
		search((struct sf_search_request){ .query = "Mad Max", .profile = VIEWER });
	search((struct sf_search_request){ .query = "mad max!", .profile = "ada/Kids" });
	search((struct sf_search_request){ .query = "zzyzx road", .profile = VIEWER });

	is_int(sf_search_stats(db, &os, &st, &j), 0, "stats: read");
	top = json_object_get(j, "top");
	zero = json_object_get(j, "zero");
	is_str(json_string_value(json_object_get(json_array_get(top, 0), "query")), "Mad Max",
	       "stats: the most frequent query first, as most often typed");
	is_int(json_integer_value(json_object_get(json_array_get(top, 0), "searches")), 4,
	       "stats: ...its spellings counted together");
	is_int(json_integer_value(json_object_get(json_array_get(top, 0), "profiles")), 2,
	       "stats: ...by two profiles");
	is_str(json_string_value(json_object_get(json_array_get(zero, 0), "query")), "Mad Max",
	       "stats: what found nothing: Mad Max first");
	is_str(json_string_value(json_object_get(json_array_get(zero, 1), "query")), "zzyzx road",
	       "stats: ...then zzyzx road");
	is_int((long long)json_array_size(zero), 2, "stats: ...and nothing else");
	{
		json_t *it;
		size_t i;
		long long gf = -1;

		json_array_foreach(top, i, it)
			if (!strcasecmp(json_string_value(json_object_get(it, "query")), "godfather"))
				gf = json_integer_value(json_object_get(it, "searches"));
		is_int(gf, 2, "stats: a second page does not count as a search");
	}
	ok(json_integer_value(json_object_get(j, "zero_results")) >= 5,
	   "stats: the searches that found nothing are counted");
	json_decref(j);

	st.zero_only = 1;
	st.limit = "1";
	is_int(sf_search_stats(db, &os, &st, &j), 0, "stats: --zero-results --limit 1");
	ok(!json_object_get(j, "top") && json_array_size(json_object_get(j, "zero")) == 1,
	   "stats: ...only the first query that found nothing");
	json_decref(j);

	st = (struct sf_search_stats_request){ .since = "2999-01-01" };
	is_int(sf_search_stats(db, &os, &st, &j), 0, "stats: --since a date");
	is_int(json_integer_value(json_object_get(j, "searches")), 0, "stats: ...counts from then");
	json_decref(j);
	st = (struct sf_search_stats_request){ .since = "1h" };
	is_int(sf_search_stats(db, &os, &st, &j), 0, "stats: --since an age");
	ok(json_integer_value(json_object_get(j, "searches")) > 5, "stats: ...counts from then");
	json_decref(j);
	st = (struct sf_search_stats_request){ .since = "yesterday" };
	is_int(sf_search_stats(db, &os, &st, &j), SF_EINVAL, "stats: a bad --since is invalid");
	ok(test_error_has("--since 'yesterday'"), "stats: ...naming it (%s)", sf_error_message());

	sf_db_exec(db, "DELETE FROM profiles WHERE name = 'Kids'");
	is_int(test_db_countf(db, "SELECT count(*) FROM search_log WHERE query = 'mad max!'"), 0,
	       "log: a profile's searches go with it");
}

/* ---- upkeep ---- */

static void reindex(void)
{
	sf_db_exec(db, "UPDATE titles SET title = 'The Conversation' WHERE title = 'Lone Star';"
		   "SELECT sf_title_reindex(id) FROM titles WHERE title = 'The Conversation'");
	search((struct sf_search_request){ .query = "conversation" });
	is_str(got, "The Conversation", "reindex: a renamed title is found by its new name");
	search((struct sf_search_request){ .query = "lone" });
	is_int(total(), 0, "reindex: ...not by its old one");
	{
		char *s = suggest("conv", NULL, NULL);

		is_str(s, "The Conversation", "reindex: ...and suggested by it");
		free(s);
	}
	search((struct sf_search_request){ .query = "convresation" });
	is_str(first(1), "The Conversation", "reindex: ...its new words mend typos");
	is_int(test_db_countf(db, "SELECT count(*) FROM (SELECT search_doc FROM titles"
			      " ORDER BY id) a"),
	       test_db_countf(db, "SELECT count(*)"
			      " FROM titles"), "reindex: every title has a document");
	sf_db_exec(db, "CREATE TEMP TABLE before AS SELECT id, search_doc FROM titles;"
		   "SELECT sf_title_reindex_all();");
	is_int(test_db_countf(db, "SELECT count(*) FROM titles t JOIN before b USING (id)"
			      " WHERE t.search_doc IS DISTINCT FROM b.search_doc"), 0,
	       "reindex: reindexing one title builds what reindexing all builds");
}

int main(void)
{
	db = test_db_open("search");
	sf_actor_os(&os);
	if (sf_db_exec(db, catalog)) {
		printf("Bail out! the catalog: %s\n", sf_error_message());
		return 1;
	}

	exact_titles_first();
	stemming_and_accents();
	prefixes();
	typos();
	syntax();
	filters();
	viewers();
	sorting_and_pages();
	broad();
	permissions();
	suggestions();
	logging();
	reindex();

	json_decref(last);
	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
