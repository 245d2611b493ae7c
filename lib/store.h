/*
 * store.h - opening "the database": the server named by a connection
 * string, or else the embedded cluster.
 *
 * The connection string comes from the caller (--db) or SF_DATABASE_URL.
 * With neither, the embedded cluster under $SF_HOME is created, started and
 * migrated on demand.  A configured server is never started or migrated
 * implicitly: pending migrations there are an error that says to run
 * "sf db migrate".
 */
#ifndef SF_STORE_H
#define SF_STORE_H

struct sf_db;

enum sf_store_mode { SF_STORE_EMBEDDED, SF_STORE_EXTERNAL };

struct sf_store {
	enum sf_store_mode mode;
	char *conninfo;   /* what sf connects with */
};

/* Decides where the database is (db_url, else SF_DATABASE_URL, else
 * embedded) without connecting.  Release with sf_store_release. */
void sf_store_locate(struct sf_store *st, const char *db_url);
void sf_store_release(struct sf_store *st);

/* Connects to a ready-to-use database: for the embedded cluster this
 * starts it and applies pending migrations; for a configured server it
 * checks that no migration is pending. */
int sf_store_open(const char *db_url, struct sf_db **out);

#endif
