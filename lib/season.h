/*
 * season.h - the seasons of a series, and their episodes.
 *
 * A season is named by its number within its series (0 for specials), an
 * episode by its season's number and its own.  Seasons and episodes are
 * the objects of the title's JSON form ({number, name, overview,
 * release_date, episodes} and {number, name, overview, runtime_minutes,
 * release_date}); these functions take them as JSON objects, checked by
 * title_field.h, so the CLI and the API pass the same thing.
 *
 * Each change is a change of its title (title_version.h): one
 * transaction, a new version of the title, an audit entry (season.add,
 * season.edit, season.delete, episode.add, episode.edit, episode.delete on
 * entity type "title").  Each returns the title after the change (a
 * deletion: before it, so the caller can show what went).  Only a
 * series has seasons (a movie is SF_ECONFLICT); a number taken is
 * SF_ECONFLICT; a season or episode that is not there is SF_ENOTFOUND.
 */
#ifndef SF_SEASON_H
#define SF_SEASON_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

/* season: {number, name?, overview?, release_date?, episodes?}. */
int sf_season_add(struct sf_db *db, const struct sf_actor *actor, const char *title,
		  const json_t *season, json_t **out);
/* changes: any of number (renumbers), name, overview, release_date. */
int sf_season_edit(struct sf_db *db, const struct sf_actor *actor, const char *title,
		   long long number, const json_t *changes, json_t **out, int *changed);
/* Deletes the season and its episodes. */
int sf_season_delete(struct sf_db *db, const struct sf_actor *actor, const char *title,
		     long long number, json_t **out);

/* episode: {number, name, overview?, runtime_minutes?, release_date?}. */
int sf_episode_add(struct sf_db *db, const struct sf_actor *actor, const char *title,
		   long long season, const json_t *episode, json_t **out);
/* changes: any of number (renumbers), name, overview, runtime_minutes,
 * release_date. */
int sf_episode_edit(struct sf_db *db, const struct sf_actor *actor, const char *title,
		    long long season, long long number, const json_t *changes, json_t **out,
		    int *changed);
int sf_episode_delete(struct sf_db *db, const struct sf_actor *actor, const char *title,
		      long long season, long long number, json_t **out);

#endif
