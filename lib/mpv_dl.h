/*
 * mpv_dl.h - libmpv, loaded when a player first needs it.
 *
 * libmpv brings in some two hundred shared libraries (codecs, X11, GL,
 * audio servers) whose start-up costs every process that links them
 * about 50 ms, so sf does not link it: every other command starts in a
 * few milliseconds, and "sf play" loads it with dlopen().  The calls sf
 * makes are the members below, with libmpv's own types.  $SF_LIBMPV
 * names another libmpv to load.
 */
#ifndef SF_MPV_DL_H
#define SF_MPV_DL_H

#include <mpv/client.h>
#include <mpv/stream_cb.h>

struct sf_mpv {
	__typeof__(mpv_create) *create;
	__typeof__(mpv_initialize) *initialize;
	__typeof__(mpv_terminate_destroy) *terminate_destroy;
	__typeof__(mpv_set_option_string) *set_option_string;
	__typeof__(mpv_set_property_string) *set_property_string;
	__typeof__(mpv_get_property) *get_property;
	__typeof__(mpv_get_property_string) *get_property_string;
	__typeof__(mpv_observe_property) *observe_property;
	__typeof__(mpv_command) *command;
	__typeof__(mpv_wait_event) *wait_event;
	__typeof__(mpv_free) *free;
	__typeof__(mpv_error_string) *error_string;
	__typeof__(mpv_stream_cb_add_ro) *stream_cb_add_ro;
};

/* Loads libmpv once (any thread) and points *out at its calls.  When it
 * cannot be loaded, SF_EUNAVAIL saying why (as dlerror() does). */
int sf_mpv_load(const struct sf_mpv **out);

#endif
