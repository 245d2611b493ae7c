/*
 * mpv_dl.c - load libmpv with dlopen() on first use (mpv_dl.h).
 *
 * The library is $SF_LIBMPV when that is set (a path, for an mpv built
 * elsewhere), else looked for by its soname, libmpv.so.2 (mpv 0.35 and
 * later), then libmpv.so.1; it stays loaded for the life of the process.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mpv_dl.h"

static struct sf_mpv api;
static char why[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Resolves name into *slot; false (with why set) when it is missing. */
static int resolve(void *lib, const char *name, void *slot)
{
	void *f = dlsym(lib, name);

	if (!f) {
		snprintf(why, sizeof(why), "libmpv has no %s", name);
		return 0;
	}
	memcpy(slot, &f, sizeof(f));
	return 1;
}

static void load(void)
{
	const char *path = getenv("SF_LIBMPV");
	void *lib;

	if (path && *path) {
		lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	} else {
		lib = dlopen("libmpv.so.2", RTLD_NOW | RTLD_LOCAL);
		if (!lib)
			lib = dlopen("libmpv.so.1", RTLD_NOW | RTLD_LOCAL);
	}
	if (!lib) {
		const char *e = dlerror();

		snprintf(why, sizeof(why), "%s", e ? e : "libmpv.so.2 not found");
		return;
	}
	if (!resolve(lib, "mpv_create", &api.create) ||
	    !resolve(lib, "mpv_initialize", &api.initialize) ||
	    !resolve(lib, "mpv_terminate_destroy", &api.terminate_destroy) ||
	    !resolve(lib, "mpv_set_option_string", &api.set_option_string) ||
	    !resolve(lib, "mpv_set_property_string", &api.set_property_string) ||
	    !resolve(lib, "mpv_get_property", &api.get_property) ||
	    !resolve(lib, "mpv_get_property_string", &api.get_property_string) ||
	    !resolve(lib, "mpv_observe_property", &api.observe_property) ||
	    !resolve(lib, "mpv_command", &api.command) ||
	    !resolve(lib, "mpv_wait_event", &api.wait_event) ||
	    !resolve(lib, "mpv_free", &api.free) ||
	    !resolve(lib, "mpv_error_string", &api.error_string) ||
	    !resolve(lib, "mpv_stream_cb_add_ro", &api.stream_cb_add_ro))
		api.create = NULL;
}

int sf_mpv_load(const struct sf_mpv **out)
{
	pthread_once(&once, load);
	*out = api.create ? &api : NULL;
	if (!*out)
		return sf_error(SF_EUNAVAIL, "cannot load libmpv (%s); install the libmpv2 package",
				why);
	return 0;
}
