/*
 * review.c - ratings, reviews, votes, reports and moderation against a
 * real PostgreSQL: ratings from 1 to 5 (again: changed) and the title's
 * exact count and average through changes, clears, profile deletes,
 * purges and title deletes; reviews (one per profile and title, again:
 * edited), their length limits, votes (one per profile, changeable, never
 * on one's own review) and ranking by the Wilson bound; reports hiding a
 * review from all but its author until a moderator approves or removes
 * it, audited; what a kids profile and a title out of its window show;
 * who may do what; and every refusal changing nothing.  Last, many
 * connections rate one title at once (and change and take back their
 * ratings): the average must equal a recomputation from the ratings; then
 * they vote on one review at once, and its counts must equal a recount.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "crowd.h"
#include "db.h"
#include "error.h"
#include "fixture.h"
#include "moderation.h"
#include "profile.h"
#include "rating.h"
#include "review.h"
#include "tap.h"
#include "testdb.h"

static struct sf_db *db;
static struct sf_actor os;

/* ---- helpers ---- */

/* Every row of the tables this module writes, and the titles' counts. */
static char *state(void)
{
	return test_db_text(db, "SELECT concat_ws(' | ',"
			    " (SELECT string_agg(format('%s/%s/%s', profile_id, title_id, stars), ' '"
			    "   ORDER BY profile_id, title_id) FROM ratings),"
			    " (SELECT string_agg(format('%s/%s/%s/%s/%s', id, profile_id, md5(body),"
			    "   helpful, unhelpful), ' ' ORDER BY id) FROM reviews),"
			    " (SELECT string_agg(format('%s/%s/%s', review_id, profile_id, helpful), ' '"
			    "   ORDER BY review_id, profile_id) FROM review_votes),"
			    " (SELECT string_agg(format('%s/%s/%s', review_id, profile_id,"
			    "   resolved_at IS NULL), ' ' ORDER BY id) FROM review_reports),"
			    " (SELECT string_agg(format('%s/%s/%s', id, rating_count, rating_avg), ' '"
			    "   ORDER BY id) FROM titles),"
			    " (SELECT count(*) FROM audit_log)) AS s");
}

#define SAME_STATE(before, what) do { \
	char *after_ = state(); \
	is_str(after_, before, "%s", what); \
	free(after_); \
	free(before); \
} while (0)

static long long godfather, bluey, gone, dune;

static void setup(void)
{
	test_add_account(db, "ann@example.com", "ann", NULL);
	test_add_profile(db, "ann", "Kids", 1);
	test_add_account(db, "bob@example.com", "bob", NULL);
	test_add_account(db, "cat@example.com", "cat", NULL);
	test_add_account(db, "dan@example.com", "dan", NULL);
	test_add_account(db, "mod@example.com", "mod", "moderator");
	test_add_account(db, "adm@example.com", "adm", "admin");
	godfather = test_add_title(db, "Godfather", 5, NULL);
	bluey = test_add_title(db, "Bluey", 1, NULL);
	gone = test_add_title(db, "Gone", 1, NULL);
	dune = test_add_title(db, "Dune", 4, NULL);
}

/* The title's count and average as "count/avg" ("0/" with none). */
static char *average(long long id)
{
	static char buf[64];
	PGresult *res = NULL;

	sf_db_query(db, &res, "SELECT format('%s/%s', rating_count, rating_avg) AS s FROM titles"
		    " WHERE id = $1", SF_ARGS(test_ref(id)));
	snprintf(buf, sizeof(buf), "%s", res && PQntuples(res) ? sf_db_str(res, 0, "s") : "?");
	PQclear(res);
	return buf;
}

/* The count and average recomputed from the ratings. */
static char *recomputed(long long id)
{
	static char buf[64];
	PGresult *res = NULL;

	sf_db_query(db, &res, "SELECT format('%s/%s', count(*), round(avg(stars), 3)) AS s"
		    " FROM ratings WHERE title_id = $1", SF_ARGS(test_ref(id)));
	snprintf(buf, sizeof(buf), "%s", res && PQntuples(res) ? sf_db_str(res, 0, "s") : "?");
	PQclear(res);
	return buf;
}

static int rate(const char *profile, long long title_id, int stars)
{
	json_t *r = NULL;
	int rc = sf_rating_set(db, &os, profile, test_ref(title_id), stars, &r);

	json_decref(r);
	return rc;
}

/* ---- ratings ---- */

static void ratings(void)
{
	json_t *r = NULL;
	char *before;
	int stars = 0;

	is_str(average(godfather), "0/", "rating: a title starts with no ratings");
	is_int(sf_rating_set(db, &os, "ann/ann", "x-Godfather", 4, &r), 0, "rating: rate a title");
	ok(json_integer_value(json_object_get(r, "stars")) == 4 &&
	   json_integer_value(json_object_get(r, "rating_count")) == 1 &&
	   json_real_value(json_object_get(r, "rating_avg")) == 4.0,
	   "rating: ...returns the rating and the title's count and average");
	json_decref(r);
	r = NULL;
	is_int(rate("bob/bob", godfather, 5), 0, "rating: a second profile rates it");
	is_int(rate("cat/cat", godfather, 5), 0, "rating: a third");
	is_str(average(godfather), "3/4.667", "rating: 3 ratings, average 4.667");
	is_int(rate("ann/ann", godfather, 1), 0, "rating: rating again");
	is_str(average(godfather), "3/3.667", "rating: ...changes the rating, not the count");
	is_int(test_db_countf(db, "SELECT count(*) FROM ratings"
			      " WHERE title_id = %lld", godfather), 3,
	       "rating: ...one rating per profile and title");
	is_int(rate("ann/ann", godfather, 1), 0, "rating: the same stars again");
	is_str(average(godfather), "3/3.667", "rating: ...change nothing");

	is_int(sf_rating_get(db, &os, "ann/ann", test_ref(godfather), &r), 0, "rating: show");
	is_int(json_integer_value(json_object_get(r, "stars")), 1, "rating: ...the profile's stars");
	json_decref(r);
	r = NULL;
	is_int(sf_rating_get(db, &os, "dan/dan", test_ref(godfather), &r), 0,
	       "rating: show, not rated");
	ok(json_is_null(json_object_get(r, "stars")) &&
	   json_integer_value(json_object_get(r, "rating_count")) == 3,
	   "rating: ...stars null, the average still there");
	json_decref(r);
	r = NULL;

	is_int(sf_rating_clear(db, &os, "cat/cat", test_ref(godfather), &r), 0, "rating: take it back");
	ok(json_is_null(json_object_get(r, "stars")), "rating: ...returns no stars");
	json_decref(r);
	r = NULL;
	is_str(average(godfather), "2/3.000", "rating: ...and the average drops it");

	before = state();
	is_int(sf_rating_clear(db, &os, "cat/cat", test_ref(godfather), &r), SF_ENOTFOUND,
	       "rating: taking back no rating is not found");
	ok(test_error_has("you have not rated it"),
	   "rating: ...saying so (%s)", sf_error_message());
	is_int(rate("ann/ann", godfather, 0), SF_EINVAL, "rating: 0 stars is invalid");
	ok(test_error_has("stars '0': not a whole number from 1 to 5"), "rating: ...naming it (%s)",
	   sf_error_message());
	is_int(rate("ann/ann", godfather, 6), SF_EINVAL, "rating: 6 stars is invalid");
	is_int(sf_rating_parse("6", &stars), SF_EINVAL, "rating: parsing '6' is invalid");
	is_int(sf_rating_parse("3.5", &stars), SF_EINVAL, "rating: ...and '3.5'");
	is_int(sf_rating_parse("", &stars), SF_EINVAL, "rating: ...and ''");
	ok(!sf_rating_parse("5", &stars) && stars == 5, "rating: '5' is 5");
	is_int(rate("ann/kids", godfather, 3), SF_ENOTFOUND,
	       "rating: a kids profile cannot find an R title");
	is_int(rate("ann/ghost", godfather, 3), SF_ENOTFOUND, "rating: an unknown profile");
	is_int(sf_rating_set(db, &os, "ann/ann", "nope", 3, &r), SF_ENOTFOUND,
	       "rating: an unknown title");
	SAME_STATE(before, "rating: ...none of which changes anything");

	is_int(rate("dan/dan", godfather, 2), 0, "purge: dan rates");
	is_str(average(godfather), "3/2.667", "purge: ...3 ratings");
	is_int(sf_account_purge(db, &os, "dan", NULL), 0, "purge: purging dan");
	is_str(average(godfather), "2/3.000", "purge: ...takes the rating out of the average");
	test_add_account(db, "dan@example.com", "dan", NULL);
	test_add_profile(db, "bob", "Bob 2", 0);
	rate("bob/bob 2", godfather, 5);
	is_str(average(godfather), "3/3.667", "profile delete: a second profile rates");
	{
		struct sf_profile gone_profile;

		sf_profile_delete(db, &os, "bob/bob 2", &gone_profile);
		sf_profile_release(&gone_profile);
	}
	is_str(average(godfather), "2/3.000", "profile delete: ...deleting it takes it out");
	is_str(average(godfather), recomputed(godfather), "rating: ...equal to a recomputation");
}

/* ---- reviews ---- */

static long long ann_review, bob_review, cat_review;

static int write_review(const char *profile, long long title_id, const char *body, long long *id)
{
	json_t *r = NULL;
	int created = -1, rc = sf_review_write(db, &os, profile, test_ref(title_id), body, &r, &created);

	if (!rc && id)
		*id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	return rc;
}

static void reviews(void)
{
	char long4001[4002], long4000[4001];
	json_t *r = NULL;
	char *before;
	int created = -1;

	memset(long4001, 'x', 4001);
	long4001[4001] = '\0';
	memset(long4000, 'y', 4000);
	long4000[4000] = '\0';

	is_int(sf_review_write(db, &os, "ann/ann", "x-Godfather", "A masterpiece.", &r, &created),
	       0, "review: write one");
	ok(created == 1, "review: ...a new one");
	ann_review = json_integer_value(json_object_get(r, "id"));
	is_str(json_string_value(json_object_get(r, "author")), "ann", "review: ...by its profile");
	is_int(json_integer_value(json_object_get(r, "stars")), 1,
	       "review: ...showing the author's rating");
	ok(json_is_false(json_object_get(r, "hidden")) && json_is_null(json_object_get(r, "my_vote")),
	   "review: ...not hidden, not voted");
	json_decref(r);
	r = NULL;
	test_db_countf(db, "UPDATE reviews SET created_at = created_at - interval '1 day',"
		       " updated_at = updated_at - interval '1 day' WHERE id = %lld", ann_review);
	is_int(sf_review_write(db, &os, "ann/ann", test_ref(godfather), "Better than I said.", &r,
			       &created), 0, "review: write again");
	ok(created == 0 && json_integer_value(json_object_get(r, "id")) == ann_review,
	   "review: ...edits the same review");
	is_str(json_string_value(json_object_get(r, "body")), "Better than I said.",
	       "review: ...with the new text");
	json_decref(r);
	r = NULL;
	is_int(test_db_countf(db, "SELECT count(*) FROM reviews WHERE id = %lld"
			      " AND updated_at > created_at"
			      " AND created_at < now() - interval '12 hours'", ann_review), 1,
	       "review: ...keeping created_at, moving updated_at");
	is_int(test_db_countf(db, "SELECT count(*) FROM reviews WHERE profile_id = (SELECT id"
			      " FROM profiles"
			      " WHERE name = 'ann')"), 1, "review: one per profile and title");

	is_int(write_review("bob/bob", godfather, "Line one.\nLine two.\tTabbed.", &bob_review), 0,
	       "review: line breaks and tabs are allowed");
	is_int(write_review("cat/cat", godfather, long4000, &cat_review), 0,
	       "review: 4000 characters are allowed");
	is_int(write_review("cat/cat", bluey, "Ça va, «très» bien — 👍", NULL), 0,
	       "review: any script is allowed");

	before = state();
	is_int(write_review("dan/dan", godfather, "", NULL), SF_EINVAL, "review: empty is invalid");
	ok(test_error_has("review '': must not be empty"),
	   "review: ...saying so (%s)", sf_error_message());
	is_int(write_review("dan/dan", godfather, " \n\t ", NULL), SF_EINVAL,
	       "review: blank is invalid");
	ok(test_error_has("must not be blank"), "review: ...saying so (%s)", sf_error_message());
	is_int(write_review("dan/dan", godfather, long4001, NULL), SF_EINVAL,
	       "review: 4001 characters are invalid");
	ok(test_error_has("longer than 4000 characters"),
	   "review: ...saying so (%s)", sf_error_message());
	is_int(write_review("dan/dan", godfather, "bell\a", NULL), SF_EINVAL,
	       "review: a control character is invalid");
	is_int(write_review("dan/dan", godfather, "bad \xff byte", NULL), SF_EINVAL,
	       "review: invalid UTF-8 is invalid");
	is_int(write_review("ann/kids", godfather, "Scary", NULL), SF_ENOTFOUND,
	       "review: a kids profile cannot find an R title");
	is_int(write_review("dan/dan", 999999, "Hm", NULL), SF_ENOTFOUND,
	       "review: an unknown title is not found");
	is_int(sf_review_edit(db, &os, "ann/ann", test_ref(bob_review), "Mine now", &r), SF_EFORBIDDEN,
	       "edit: another profile's review is forbidden");
	ok(test_error_has("is another profile's"), "edit: ...saying so (%s)", sf_error_message());
	is_int(sf_review_edit(db, &os, "ann/ann", "abc", "x", &r), SF_EINVAL,
	       "edit: a review id that is not a number is invalid");
	ok(test_error_has("review 'abc': not a review id"),
	   "edit: ...naming it (%s)", sf_error_message());
	is_int(sf_review_edit(db, &os, "ann/ann", "999999", "x", &r), SF_ENOTFOUND,
	       "edit: an unknown review is not found");
	is_int(sf_review_edit(db, &os, "ann/ann", test_ref(ann_review), "", &r), SF_EINVAL,
	       "edit: an empty text is invalid");
	is_int(sf_review_delete(db, &os, "bob/bob", test_ref(ann_review), &r), SF_EFORBIDDEN,
	       "delete: another profile's review is forbidden");
	SAME_STATE(before, "review: ...none of which changes anything");

	is_int(sf_review_edit(db, &os, "ann/ann", test_ref(ann_review), "Edited by id.", &r), 0,
	       "edit: by id");
	is_str(json_string_value(json_object_get(r, "body")), "Edited by id.", "edit: ...new text");
	json_decref(r);
	r = NULL;
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE entity_type = 'review'"), 0,
	       "audit: writing and editing reviews is not audited");
}

/* ---- votes and ranking ---- */

static char *ranking(const char *profile, const char *sort)
{
	static char buf[256];
	struct sf_review_query q = { .profile = profile, .title = test_ref(godfather), .sort = sort };
	json_t *page = NULL, *r;
	size_t i;

	buf[0] = '\0';
	if (sf_review_list(db, &os, &q, &page)) {
		snprintf(buf, sizeof(buf), "error: %s", sf_error_message());
		return buf;
	}
	json_array_foreach(json_object_get(page, "items"), i, r) {
		long long id = json_integer_value(json_object_get(r, "id"));

		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? "," : "",
			 id == ann_review ? "ann" : id == bob_review ? "bob" : id == cat_review
			 ? "cat" : "?");
	}
	json_decref(page);
	return buf;
}

static int vote(const char *profile, long long id, const char *how)
{
	json_t *r = NULL;
	int rc = sf_review_vote(db, &os, profile, test_ref(id), how, &r);

	json_decref(r);
	return rc;
}

static void votes(void)
{
	json_t *r = NULL;
	char *before;

	is_int(sf_review_vote(db, &os, "bob/bob", test_ref(ann_review), "helpful", &r), 0,
	       "vote: helpful");
	ok(json_integer_value(json_object_get(r, "helpful")) == 1 &&
	   !strcmp(json_string_value(json_object_get(r, "my_vote")), "helpful"),
	   "vote: ...counted, and my_vote says so");
	json_decref(r);
	r = NULL;
	is_int(vote("bob/bob", ann_review, "unhelpful"), 0, "vote: changed to unhelpful");
	is_int(test_db_countf(db, "SELECT helpful * 10 + unhelpful FROM reviews"
			      " WHERE id = %lld", ann_review), 1,
	       "vote: ...one vote, now unhelpful");
	is_int(vote("bob/bob", ann_review, "none"), 0, "vote: taken back");
	is_int(test_db_countf(db, "SELECT helpful + unhelpful FROM reviews"
			      " WHERE id = %lld", ann_review), 0,
	       "vote: ...no votes left");
	is_int(vote("bob/bob", ann_review, "none"), 0, "vote: taking back no vote is fine");

	before = state();
	is_int(vote("ann/ann", ann_review, "helpful"), SF_EINVAL, "vote: on your own review is invalid");
	ok(test_error_has("is your own; you cannot vote on it"),
	   "vote: ...saying so (%s)", sf_error_message());
	is_int(vote("bob/bob", ann_review, "great"), SF_EINVAL, "vote: an unknown vote is invalid");
	ok(test_error_has("vote 'great': not one of helpful, unhelpful, none"),
	   "vote: ...naming it (%s)",
	   sf_error_message());
	is_int(vote("bob/bob", 999999, "helpful"), SF_ENOTFOUND, "vote: an unknown review");
	is_int(vote("ann/kids", ann_review, "helpful"), SF_ENOTFOUND,
	       "vote: a review of a title the profile cannot see is not found");
	SAME_STATE(before, "vote: ...none of which changes anything");

	/* Wilson: cat's 4 of 4 helpful ranks above ann's 1 of 1, and ann's
	 * 1 of 1 above bob's 3 of 5. */
	test_add_account(db, "v1@example.com", "v1", NULL);
	test_add_account(db, "v2@example.com", "v2", NULL);
	test_add_account(db, "v3@example.com", "v3", NULL);
	vote("dan/dan", cat_review, "helpful");
	vote("v1/v1", cat_review, "helpful");
	vote("v2/v2", cat_review, "helpful");
	vote("v3/v3", cat_review, "helpful");
	vote("dan/dan", ann_review, "helpful");
	vote("cat/cat", bob_review, "helpful");
	vote("ann/ann", bob_review, "helpful");
	vote("v1/v1", bob_review, "helpful");
	vote("v2/v2", bob_review, "unhelpful");
	vote("v3/v3", bob_review, "unhelpful");
	is_int(test_db_countf(db, "SELECT helpful * 10 + unhelpful FROM reviews"
			      " WHERE id = %lld", bob_review), 32,
	       "rank: bob's review has 3 helpful and 2 unhelpful votes");
	is_int(test_db_countf(db, "SELECT round(sf_wilson(4, 0) * 1e6)"), 510100,
	       "rank: the Wilson bound of 4 of 4 is 0.510100");
	ok(test_db_countf(db, "SELECT round(sf_wilson(3, 2) * 1e6)") == 230720 &&
	   test_db_countf(db, "SELECT round(sf_wilson(1, 0) * 1e6)") == 206543,
	   "rank: ...of 3 of 5 0.230720, of 1 of 1 0.206543");
	is_int(test_db_countf(db, "SELECT sf_wilson(0, 0)"), 0, "rank: ...of no votes 0");
	is_str(ranking("dan/dan", NULL), "cat,bob,ann", "rank: by helpfulness by default");
	is_str(ranking("dan/dan", "newest"), "cat,bob,ann", "rank: newest (written in that order)");
	test_db_countf(db, "UPDATE reviews SET created_at = created_at - interval '2 days'"
		       " WHERE id = %lld",
		       cat_review);
	is_str(ranking("dan/dan", "newest"), "bob,ann,cat", "rank: newest first");
	is_str(ranking("dan/dan", "helpful"), "cat,bob,ann", "rank: helpful ignores age");
	vote("v2/v2", bob_review, "helpful");
	vote("v3/v3", bob_review, "helpful");
	is_str(ranking("dan/dan", "helpful"), "bob,cat,ann",
	       "rank: 5 of 5 helpful ranks above 4 of 4");
	{
		struct sf_review_query q = { .profile = "dan/dan", .title = test_ref(godfather),
					     .sort = "best" };
		json_t *page = NULL;

		is_int(sf_review_list(db, &os, &q, &page), SF_EINVAL, "rank: an unknown order");
		q.sort = NULL;
		q.limit = 2;
		q.page = 2;
		is_int(sf_review_list(db, &os, &q, &page), 0, "list: a second page of 2");
		ok(json_array_size(json_object_get(page, "items")) == 1 &&
		   json_integer_value(json_object_get(page, "total")) == 3 &&
		   json_integer_value(json_object_get(page, "pages")) == 2,
		   "list: ...holds the third review of 3, on 2 pages");
		json_decref(page);
		page = NULL;
		q.limit = 101;
		is_int(sf_review_list(db, &os, &q, &page), SF_EINVAL, "list: a limit of 101");
		q.limit = 0;
		q.page = 0;
		q.title = NULL;
		q.profile = "cat/cat";
		is_int(sf_review_list(db, &os, &q, &page), 0, "list: a profile's own reviews");
		is_int((long long)json_array_size(json_object_get(page, "items")), 2,
		       "list: ...both of cat's");
		json_decref(page);
	}
}

/* ---- reports and moderation ---- */

static void moderation(void)
{
	struct sf_actor viewer, mod, adm;
	json_t *r = NULL, *q = NULL;
	char *before;

	sf_actor_account(db, "bob", &viewer);
	sf_actor_account(db, "mod", &mod);
	sf_actor_account(db, "adm", &adm);

	is_int(sf_moderation_report(db, &os, "dan/dan", test_ref(cat_review), "Spoilers!", &r), 0,
	       "report: a profile reports a review");
	ok(json_integer_value(json_object_get(r, "review_id")) == cat_review &&
	   !strcmp(json_string_value(json_object_get(r, "reason")), "Spoilers!"),
	   "report: ...returns the report");
	json_decref(r);
	r = NULL;
	is_str(ranking("dan/dan", NULL), "bob,ann", "report: the review is hidden from the reporter");
	is_str(ranking("bob/bob", NULL), "bob,ann", "report: ...and from everyone else");
	is_int(sf_review_show(db, &os, "bob/bob", NULL, test_ref(cat_review), &r), SF_ENOTFOUND,
	       "report: ...not found by id either");
	is_int(sf_review_show(db, &os, "cat/cat", NULL, test_ref(cat_review), &r), 0,
	       "report: its author still sees it");
	ok(json_is_true(json_object_get(r, "hidden")), "report: ...marked hidden");
	json_decref(r);
	r = NULL;

	before = state();
	is_int(sf_moderation_report(db, &os, "dan/dan", test_ref(cat_review), "Again", &r), SF_ENOTFOUND,
	       "report: a hidden review cannot be reported again by others");
	is_int(sf_moderation_report(db, &os, "cat/cat", test_ref(cat_review), "Mine", &r), SF_EINVAL,
	       "report: reporting your own review is invalid");
	ok(test_error_has("is your own"), "report: ...saying so (%s)", sf_error_message());
	is_int(sf_moderation_report(db, &os, "dan/dan", test_ref(bob_review), "", &r), SF_EINVAL,
	       "report: an empty reason is invalid");
	is_int(sf_moderation_report(db, &os, "dan/dan", "0", "x", &r), SF_EINVAL,
	       "report: review 0 is invalid");
	is_int(sf_moderation_decide(db, &viewer, test_ref(cat_review), 1, "fine", &r), SF_EFORBIDDEN,
	       "moderate: a viewer may not");
	ok(test_error_has("(viewer) may not moderate reviews"), "moderate: ...saying so (%s)",
	   sf_error_message());
	is_int(sf_moderation_queue(db, &viewer, 0, &q), SF_EFORBIDDEN,
	       "queue: a viewer may not see it");
	is_int(sf_moderation_decide(db, &mod, test_ref(cat_review), 1, "", &r), SF_EINVAL,
	       "moderate: a reason is needed");
	is_int(sf_moderation_decide(db, &mod, test_ref(ann_review), 1, "fine", &r), SF_ECONFLICT,
	       "moderate: approving a review with no reports conflicts");
	ok(test_error_has("has no open reports"),
	   "moderate: ...saying so (%s)", sf_error_message());
	is_int(sf_moderation_decide(db, &mod, "999999", 0, "gone", &r), SF_ENOTFOUND,
	       "moderate: an unknown review is not found");
	SAME_STATE(before, "report: ...none of which changes anything");

	is_int(sf_moderation_queue(db, &mod, 0, &q), 0, "queue: a moderator sees it");
	ok(json_array_size(q) == 1 &&
	   json_integer_value(json_object_get(json_array_get(q, 0), "review_id")) == cat_review &&
	   json_integer_value(json_object_get(json_array_get(q, 0), "reports")) == 1,
	   "queue: ...with the reported review and its report");
	json_decref(q);
	q = NULL;
	is_int(sf_moderation_decide(db, &mod, test_ref(cat_review), 1, "Not a spoiler", &r), 0,
	       "moderate: a moderator approves");
	is_int(json_integer_value(json_object_get(r, "reports")), 1, "moderate: ...resolving 1 report");
	json_decref(r);
	r = NULL;
	is_str(ranking("dan/dan", NULL), "bob,cat,ann", "moderate: ...and the review shows again");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'review.approve'"
			      " AND entity_type = 'review' AND entity_id = '%lld' AND actor = 'mod@example.com'"
			      " AND new->>'reason' = 'Not a spoiler' AND old->'reports'->>0 = 'Spoilers!'",
			      cat_review), 1, "moderate: ...audited with the reason and the report");
	is_int(sf_moderation_report(db, &os, "dan/dan", test_ref(cat_review), "Still!", &r), SF_ECONFLICT,
	       "report: a profile reports a review only once");
	ok(test_error_has("you have already reported it"),
	   "report: ...saying so (%s)", sf_error_message());

	is_int(sf_moderation_report(db, &os, "ann/ann", test_ref(bob_review), "Rude", &r), 0,
	       "report: another report");
	json_decref(r);
	r = NULL;
	is_int(sf_moderation_report(db, &os, "v1/v1", test_ref(bob_review), "Very rude", &r), SF_ENOTFOUND,
	       "report: ...the hidden review cannot be found by a second reporter");
	is_int(sf_moderation_decide(db, &adm, test_ref(bob_review), 0, "Abusive", &r), 0,
	       "moderate: an admin removes");
	json_decref(r);
	r = NULL;
	is_int(test_db_countf(db, "SELECT count(*) FROM reviews WHERE id = %lld", bob_review), 0,
	       "moderate: ...the review is gone");
	is_int(test_db_countf(db, "SELECT count(*) FROM review_votes"
			      " WHERE review_id = %lld", bob_review) +
	       test_db_countf(db, "SELECT count(*) FROM review_reports"
			      " WHERE review_id = %lld", bob_review), 0,
	       "moderate: ...with its votes and reports");
	is_int(test_db_countf(db, "SELECT count(*) FROM audit_log WHERE action = 'review.remove'"
			      " AND entity_id = '%lld' AND new->>'reason' = 'Abusive'"
			      " AND old->>'body' LIKE 'Line one.%%'", bob_review), 1,
	       "moderate: ...audited with the review as it was");
	is_int(sf_moderation_decide(db, &os, test_ref(cat_review), 0, "Changed my mind", &r), 0,
	       "moderate: the operating-system user may remove a review with no reports");
	json_decref(r);
	r = NULL;
	sf_actor_release(&viewer);
	sf_actor_release(&mod);
	sf_actor_release(&adm);
}

/* ---- what profiles see ---- */

static void visibility(void)
{
	struct sf_review_query q = { .profile = "ann/kids", .title = test_ref(bluey) };
	struct sf_actor dan, bob;
	json_t *page = NULL, *r = NULL;
	long long id;

	write_review("bob/bob", bluey, "For the kids.", &id);
	is_int(sf_review_list(db, &os, &q, &page), 0, "kids: a kids profile lists a G title's reviews");
	is_int((long long)json_array_size(json_object_get(page, "items")), 2, "kids: ...both");
	json_decref(page);
	page = NULL;
	q.title = test_ref(godfather);
	is_int(sf_review_list(db, &os, &q, &page), SF_ENOTFOUND,
	       "kids: an R title's reviews are not found");
	is_int(sf_review_show(db, &os, "ann/kids", NULL, test_ref(ann_review), &r), SF_ENOTFOUND,
	       "kids: ...nor one of them by id");
	q.title = NULL;
	q.profile = "bob/bob";
	write_review("bob/bob", godfather, "Second thoughts.", NULL);
	test_db_countf(db, "UPDATE titles SET available_until = now() - interval '1 hour',"
		       " available_from = now() - interval '1 day' WHERE id = %lld", godfather);
	is_int(sf_review_list(db, &os, &q, &page), 0, "window: a profile's own reviews");
	is_int((long long)json_array_size(json_object_get(page, "items")), 1,
	       "window: ...leave out a title out of its window");
	json_decref(page);
	page = NULL;
	is_int(sf_review_show(db, &os, "dan/dan", NULL, test_ref(ann_review), &r), SF_ENOTFOUND,
	       "window: ...as does show");
	test_db_countf(db, "UPDATE titles SET available_until = NULL, available_from = NULL,"
		       " regions = '{FR}' WHERE id = %lld", godfather);
	is_int(sf_review_show(db, &os, "dan/dan", "us", test_ref(ann_review), &r), SF_ENOTFOUND,
	       "region: a title not available in the region hides its reviews");
	is_int(sf_review_show(db, &os, "dan/dan", "fr", test_ref(ann_review), &r), 0,
	       "region: ...which show where it is");
	json_decref(r);
	r = NULL;
	test_db_countf(db, "UPDATE titles SET regions = '{}' WHERE id = %lld", godfather);

	sf_actor_account(db, "dan", &dan);
	sf_actor_account(db, "bob", &bob);
	is_int(sf_review_write(db, &dan, "bob/bob", test_ref(bluey), "Forged", &r, &(int){ 0 }),
	       SF_EFORBIDDEN, "others: a viewer may not review as another account's profile");
	is_int(sf_review_vote(db, &dan, "dan/dan", test_ref(id), "helpful", &r), 0,
	       "others: ...but votes as its own");
	json_decref(r);
	r = NULL;
	sf_account_delete(db, &os, "bob", NULL);
	is_int(sf_review_show(db, &os, "dan/dan", NULL, test_ref(id), &r), SF_ENOTFOUND,
	       "deleted: a deleted account's reviews are hidden");
	is_int(sf_review_vote(db, &bob, "bob/bob", test_ref(ann_review), "helpful", &r), SF_ECONFLICT,
	       "deleted: ...and its profiles cannot vote");
	sf_account_restore(db, &os, "bob", NULL);
	is_int(sf_account_purge(db, &os, "bob", NULL), 0, "purge: purging bob");
	is_int(test_db_countf(db, "SELECT (SELECT count(*) FROM reviews"
			      " WHERE profile_id NOT IN (SELECT id FROM profiles))"
			      " + (SELECT count(*) FROM review_votes WHERE profile_id NOT IN (SELECT id FROM profiles))"
			      " + (SELECT count(*) FROM ratings WHERE profile_id NOT IN (SELECT id FROM profiles))"),
	       0, "purge: ...leaves none of its reviews, votes or ratings");
	is_int(test_db_countf(db, "SELECT count(*) FROM reviews"
			      " WHERE helpful + unhelpful <> (SELECT count(*)"
			      " FROM review_votes v WHERE v.review_id = reviews.id)"), 0,
	       "purge: ...and every review's vote counts stay right");
	sf_actor_release(&dan);
	sf_actor_release(&bob);

	rate("ann/ann", gone, 3);
	write_review("ann/ann", gone, "Going", NULL);
	test_db_countf(db, "DELETE FROM titles WHERE id = %lld", gone);
	is_int(test_db_countf(db, "SELECT (SELECT count(*) FROM ratings WHERE title_id = %lld)"
			      " + (SELECT count(*) FROM reviews WHERE title_id = %lld)", gone, gone), 0,
	       "title delete: its ratings and reviews go with it");
	is_str(average(godfather), recomputed(godfather),
	       "title delete: ...and the other averages stay right");
}

/* ---- concurrency ---- */

#define RATERS 16

/* What a crowd member does: rates dune as profile, or votes on review. */
struct rater {
	char profile[72];
	long long review;        /* vote on it instead of rating */
};

static int rate_or_vote(struct sf_db *conn, int i, void *arg)
{
	struct rater *w = (struct rater *)arg + i;
	json_t *r = NULL;
	char t[24];
	int rc = 0;

	snprintf(t, sizeof(t), "%lld", w->review ? w->review : dune);
	/* Vote one way, then the other, and for some back again. */
	for (int round = 0; w->review && !rc && round < 2 + w->profile[1] % 2; round++) {
		rc = sf_review_vote(conn, &os, w->profile, t,
				    (w->profile[1] + round) % 2 ? "helpful" : "unhelpful", &r);
		json_decref(r);
		r = NULL;
	}
	/* Rate, change the rating twice, and for some take it back. */
	for (int round = 0; !w->review && !rc && round < 3; round++) {
		rc = sf_rating_set(conn, &os, w->profile, t,
				   1 + (int)((strlen(w->profile) + (size_t)round * 3) % 5), &r);
		json_decref(r);
		r = NULL;
	}
	if (!w->review && !rc && w->profile[1] % 3 == 0) {
		rc = sf_rating_clear(conn, &os, w->profile, t, &r);
		json_decref(r);
	}
	return rc;
}

static void concurrency(void)
{
	struct rater w[RATERS];
	long long review;

	memset(w, 0, sizeof(w));
	for (int i = 0; i < RATERS; i++) {
		char email[64], user[32];

		snprintf(user, sizeof(user), "r%c%0*d", 'a' + i, i + 1, i);
		snprintf(email, sizeof(email), "%s@example.com", user);
		test_add_account(db, email, user, NULL);
		snprintf(w[i].profile, sizeof(w[i].profile), "%s/%s", user, user);
	}
	is_int(test_crowd(RATERS, rate_or_vote, w, NULL, NULL), RATERS, "concurrency: %d connections rate one title at once", RATERS);
	ok(test_db_countf(db, "SELECT count(*) FROM ratings"
			  " WHERE title_id = %lld", dune) > RATERS / 2,
	   "concurrency: ...leaving most of the ratings in place");
	is_str(average(dune), recomputed(dune),
	       "concurrency: ...and the count and average equal a recomputation");
	is_int(test_db_countf(db, "SELECT rating_sum FROM titles WHERE id = %lld", dune),
	       test_db_countf(db, "SELECT sum(stars) FROM ratings WHERE title_id = %lld", dune),
	       "concurrency: ...and so does the sum");

	write_review("ann/ann", dune, "Sand.", &review);
	for (int i = 0; i < RATERS; i++)
		w[i].review = review;
	is_int(test_crowd(RATERS, rate_or_vote, w, NULL, NULL), RATERS, "concurrency: %d connections vote on one review at once", RATERS);
	is_int(test_db_countf(db, "SELECT helpful * 1000 + unhelpful FROM reviews"
			      " WHERE id = %lld", review),
	       test_db_countf(db, "SELECT count(*) FILTER (WHERE helpful) * 1000 + count(*)"
			      " FILTER (WHERE NOT"
			      " helpful) FROM review_votes WHERE review_id = %lld", review),
	       "concurrency: ...and its counts equal a recount of the votes");
	is_int(test_db_countf(db, "SELECT helpful + unhelpful FROM reviews"
			      " WHERE id = %lld", review), RATERS,
	       "concurrency: ...one vote each");
}

int main(void)
{
	db = test_db_open("review");
	sf_actor_os(&os);

	setup();
	ratings();
	reviews();
	votes();
	moderation();
	visibility();
	concurrency();

	sf_actor_release(&os);
	test_db_close(db);
	return done_testing();
}
