/*
 * watch_target.h - what a watch request names, found and checked: the
 * profile (and whether the actor may act for it), the title, and the
 * episode.  Shared by watch.c (writes) and watch_view.c (reads); every
 * failure is one line naming the value, as watch.h promises.
 */
#ifndef SF_WATCH_TARGET_H
#define SF_WATCH_TARGET_H

struct sf_db;
struct sf_actor;

struct sf_watch_target {
	long long profile_id;
	int maturity;            /* the profile's limit */
	int account_deleted;     /* its account is deleted (and may be restored) */
	long long title_id;
	int series;              /* 1 for a series, 0 for a movie */
	int title_maturity;
	int available;           /* sf_title_visible now, from the region if given */
	long long episode_id;    /* 0: no episode named */
	long long season, number;
	long long runtime_s;     /* the playable's runtime in the catalog; 0: unknown */
	char region[3];          /* "" or the country code */
};

/* Finds the profile; the actor must be its account or may manage
 * accounts.  Fills profile_id, maturity and account_deleted. */
int sf_watch_target_profile(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			    struct sf_watch_target *t);

/* Checks a region ("fr" -> "FR") into t->region; NULL leaves it "". */
int sf_watch_target_region(const char *region, struct sf_watch_target *t);

/* Finds the title (after the profile and region).  An account that may
 * not manage the catalog finds only titles viewers see (title.h). */
int sf_watch_target_title(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			  struct sf_watch_target *t);

/* Finds the episode season/number of the series (both or neither; a
 * movie takes neither).  With need set a series must name one.  Fills the
 * playable's runtime. */
int sf_watch_target_episode(struct sf_db *db, const char *ref, const char *season,
			    const char *number, int need, struct sf_watch_target *t);

/* SF_EFORBIDDEN when the title is rated above the profile's limit,
 * SF_ENOTFOUND when it is not available now. */
int sf_watch_target_may_watch(const struct sf_watch_target *t, const char *profile,
			      const char *title);

/* Parses a count of seconds from 0 to SF_WATCH_SECONDS_MAX ("position
 * '-3': below 0"). */
int sf_watch_seconds(const char *label, const char *text, long long *out);

/* Parses a limit from 1 to SF_WATCH_LIMIT_MAX; NULL keeps the default. */
int sf_watch_limit(const char *text, long long *out);

#endif
