/*
 * local.h - the API of the embedded (or configured) database served on
 * loopback for this process alone, so that the player and the browser
 * always go through the API, even with no server set up.
 *
 * sf_local_open starts an sf serve in this process on 127.0.0.1 with a
 * free port, opens a session for the account that owns the profile (the
 * operating-system user may act for any profile, as with every local
 * command), and hands back a client of that server.  The session is
 * deleted and the server stopped by sf_local_close.
 */
#ifndef SF_LOCAL_H
#define SF_LOCAL_H

struct sf_local;
struct sf_client;

/* db_url: --db (NULL: SF_DATABASE_URL, else the embedded cluster);
 * profile: a profile ref (profile.h).  *profile_id gets its id. */
int sf_local_open(const char *db_url, const char *profile, struct sf_local **out,
		  struct sf_client **client, long long *profile_id);
void sf_local_close(struct sf_local *l);

#endif
