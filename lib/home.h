/*
 * home.h - where sf keeps its files ($SF_HOME).
 *
 * SF_HOME if set; otherwise $XDG_DATA_HOME/sf or ~/.local/share/sf for a
 * normal user, and /var/lib/sf for root (the embedded cluster then runs as
 * an unprivileged user, who could not reach a directory under /root).
 */
#ifndef SF_HOME_H
#define SF_HOME_H

/* Returns a newly allocated path; never NULL. */
char *sf_home_dir(void);

/* Creates dir and its missing parents with the given mode for the last
 * component (0755 for parents).  Returns 0 or SF_EINTERNAL naming dir. */
int sf_home_mkdirs(const char *dir, unsigned mode);

#endif
