/*
 * media_demo.h - "sf demo load": a small, good-looking catalog with real
 * media to play.
 *
 * Forty titles across the genres (thirty-six movies and four series of
 * three episodes), with people, credits and overviews, imported through
 * title_io.h (external ids "sfmedia:NN", so loading again updates them),
 * and for every movie and episode a short clip made with ffmpeg's
 * synthetic sources - each title its own look and colour, its name drawn
 * on the picture, a tone of its own - ingested through the real pipeline
 * (media_ingest.c).  A playable that already has a ready or queued asset
 * gets no new one.
 */
#ifndef SF_MEDIA_DEMO_H
#define SF_MEDIA_DEMO_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_MEDIA_DEMO_TITLES 40
#define SF_MEDIA_DEMO_CLIP_S 8

/* Called between steps: "catalog", "clips" (done of total clips made). */
typedef void sf_media_demo_progress_fn(void *arg, const char *step, long long done,
				       long long total);

/* Loads the first titles (1 .. SF_MEDIA_DEMO_TITLES) of the demo catalog,
 * makes their clips under $SF_HOME/demo-clips and queues their ingests;
 * the caller then runs the jobs (sf worker).  *out is {titles, movies,
 * series, episodes, queued, skipped}. */
int sf_media_demo_load(struct sf_db *db, const struct sf_actor *actor, int titles,
		       sf_media_demo_progress_fn *progress, void *arg, json_t **out);

#endif
