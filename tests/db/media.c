/*
 * media.c - the lib side of media: signed URLs checked by
 * sf_media_verify (a known vector computed outside sf, tampered paths,
 * signatures and expiry, paths that climb out of their directory),
 * sf_media_resolve against real rows and files (a ready asset's file is
 * found; another status, a missing file or a bad signature is not), the
 * media secret's derivation, the ladder's rules, and the job queue's
 * claim, retry with back-off and reclaim of a job whose worker's session
 * ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "error.h"
#include "job.h"
#include "ladder.h"
#include "media.h"
#include "media_sign.h"
#include "tap.h"
#include "testdb.h"
#include "xalloc.h"

#define NOW 1900000000LL

static void verify_cases(void)
{
	struct sf_media_access a;
	char *url, *bad;
	int rc;

	url = sf_media_sign("s3cret", "7-0a0b0c0d", "master.m3u8", 2000000000LL);
	is_str(url, "/media/k14ylywPHBxR7ZZC3LX_cw/2000000000/7-0a0b0c0d/master.m3u8",
	       "the signature is nginx secure_link's md5 of expires, prefix and secret");
	rc = sf_media_verify("s3cret", url, NOW, &a);
	is_int(rc, 0, "a signed URL verifies");
	is_str(a.dir, "7-0a0b0c0d", "it names its directory");
	is_str(a.file, "master.m3u8", "and its file");
	sf_media_access_release(&a);
	free(url);

	rc = sf_media_verify("s3cret", "/media/k14ylywPHBxR7ZZC3LX_cw/2000000000/7-0a0b0c0d/v1/seg_00003.ts",
			     NOW, &a);
	is_int(rc, 0, "one signature covers every file under the directory");
	is_str(a.file, "v1/seg_00003.ts", "a file in a rendition's directory");
	sf_media_access_release(&a);

	rc = sf_media_verify("s3cret", "/media/k14ylywPHBxR7ZZC3LX_cw/2000000000/7-0a0b0c0e/master.m3u8",
			     NOW, &a);
	ok(rc == SF_EFORBIDDEN && !a.expired, "another directory is forbidden, not expired");
	rc = sf_media_verify("s3cret", "/media/k14ylywPHBxR7ZZC3LX_cx/2000000000/7-0a0b0c0d/master.m3u8",
			     NOW, &a);
	ok(rc == SF_EFORBIDDEN && !a.expired, "a tampered signature is forbidden");
	rc = sf_media_verify("s3cret", "/media/k14ylywPHBxR7ZZC3LX_cw/2000000001/7-0a0b0c0d/master.m3u8",
			     NOW, &a);
	ok(rc == SF_EFORBIDDEN && !a.expired, "a tampered expiry is forbidden");
	rc = sf_media_verify("other", "/media/k14ylywPHBxR7ZZC3LX_cw/2000000000/7-0a0b0c0d/master.m3u8",
			     NOW, &a);
	ok(rc == SF_EFORBIDDEN, "another secret's URL is forbidden");
	rc = sf_media_verify("s3cret", "/media/k14ylywPHBxR7ZZC3LX_cw/2000000000/7-0a0b0c0d/master.m3u8",
			     2000000001LL, &a);
	ok(rc == SF_EFORBIDDEN && a.expired, "an expired URL is forbidden and marked expired");
	ok(strstr(sf_error_message(), "expired") != NULL, "the message says expired");

	bad = sf_media_sign("s3cret", "7-0a0b0c0d", "../../etc/passwd", 2000000000LL);
	rc = sf_media_verify("s3cret", bad, NOW, &a);
	is_int(rc, SF_EFORBIDDEN, "a path that climbs out of its directory is refused");
	free(bad);
	bad = sf_media_sign("s3cret", "7-0a0b0c0d", "v0//x.ts", 2000000000LL);
	is_int(sf_media_verify("s3cret", bad, NOW, &a), SF_EFORBIDDEN, "an empty path part is refused");
	free(bad);
	bad = sf_media_sign("s3cret", "..", "x", 2000000000LL);
	is_int(sf_media_verify("s3cret", bad, NOW, &a), SF_EFORBIDDEN, "a directory named .. is refused");
	free(bad);
	is_int(sf_media_verify("s3cret", "/media/7-0a0b0c0d/master.m3u8", NOW, &a), SF_EFORBIDDEN,
	       "an unsigned path is refused");
	is_int(sf_media_verify("s3cret", "/other/k14ylywPHBxR7ZZC3LX_cw/2000000000/7-0a0b0c0d/m", NOW,
			       &a), SF_EFORBIDDEN, "a path outside /media is refused");
}

static void secret_case(void)
{
	char s[SF_MEDIA_SECRET_LEN + 1];

	setenv("SF_SECRET", "0123456789abcdef0123456789abcdef-c-test", 1);
	is_int(sf_media_secret(s), 0, "the media secret derives from SF_SECRET");
	is_str(s, "ad7418fe7e42a75f3c79e11f5f8628f563ac269dc7e81f854dc98da2d7f42b20",
	       "as hex(HMAC-SHA256(secret, \"sf media url v1\"))");
}

static void ladder_cases(void)
{
	struct sf_ladder l;
	char codecs[64];

	sf_ladder_make(1920, 1080, 1, &l);
	is_int(l.n, 5, "a 1080p source gets five rungs");
	is_str(l.rungs[0].name, "240p", "from 240p");
	is_int(l.rungs[0].width, 426, "240p is 426 wide at 16:9");
	is_int(l.rungs[4].bitrate, 5000000, "1080p at 5 Mb/s");
	sf_ladder_make(1280, 720, 1, &l);
	is_int(l.n, 4, "a 720p source stops at 720p: no upscaling");
	sf_ladder_make(1000, 500, 1, &l);
	is_int(l.n, 3, "a 500-line source gets 240p, 360p and 480p");
	is_int(l.rungs[2].width, 960, "widths follow the aspect ratio, even");
	sf_ladder_make(320, 180, 1, &l);
	ok(l.n == 1 && l.rungs[0].height == 180 && l.rungs[0].width == 320,
	   "a source below 240p gets one rung at its own size");
	sf_ladder_make(1920, 1080, 0.5, &l);
	is_int(l.rungs[4].bitrate, 2500000, "auto scales every rung by the factor");
	sf_ladder_make(1920, 1080, 0.01, &l);
	is_int(l.rungs[4].bitrate, 1250000, "never below a quarter of the standard");
	sf_ladder_make(1920, 1080, 3, &l);
	is_int(l.rungs[4].bitrate, 5000000, "never above the standard");
	ok(sf_ladder_factor(200000, 640, 360) == 0.25, "a cheap probe gives the floor");
	ok(sf_ladder_factor(400000, 640, 360) == 0.5, "half the standard bits: factor 0.5");
	sf_ladder_codecs(&l.rungs[4], 1, codecs, sizeof(codecs));
	is_str(codecs, "avc1.4d4028,mp4a.40.2", "codecs of 1080p main level 4.0 with AAC");
}

static void sql(struct sf_db *db, const char *q)
{
	if (sf_db_exec(db, q)) {
		diag("%s: %s", q, sf_error_message());
		exit(1);
	}
}

static void resolve_cases(struct sf_db *db)
{
	char root[] = "/tmp/sf-media-test.XXXXXX", *path, *file = NULL, *url;
	int expired = 0, rc;

	if (!mkdtemp(root))
		exit(1);
	setenv("SF_MEDIA_ROOT", root, 1);
	path = sf_xasprintf("%s/1-00000001", root);
	mkdir(path, 0755);
	free(path);
	path = sf_xasprintf("%s/1-00000001/master.m3u8", root);
	fclose(fopen(path, "w"));
	sql(db, "INSERT INTO titles (kind, title) VALUES ('movie', 'M')");
	sql(db, "INSERT INTO media_assets (title_id, source, ladder, status, dir)"
	    " SELECT id, '/x.mp4', 'standard', 'ready', '1-00000001' FROM titles");
	sql(db, "INSERT INTO media_assets (title_id, source, ladder, status)"
	    " SELECT id, '/x.mp4', 'standard', 'queued' FROM titles");

	url = sf_media_sign("k", "1-00000001", "master.m3u8", NOW + 60);
	rc = sf_media_resolve(db, "k", url, NOW, &file, &expired);
	is_int(rc, 0, "resolve finds a ready asset's file");
	is_str(file, path, "under the media root");
	free(file);
	free(url);
	url = sf_media_sign("k", "1-00000001", "v0/index.m3u8", NOW + 60);
	is_int(sf_media_resolve(db, "k", url, NOW, &file, &expired), 0,
	       "a missing file of a ready asset resolves (the route's open says 404)");
	free(file);
	free(url);
	url = sf_media_sign("k", "2-00000002", "master.m3u8", NOW + 60);
	is_int(sf_media_resolve(db, "k", url, NOW, &file, &expired), SF_ENOTFOUND,
	       "a directory of no ready asset is not found");
	free(url);
	url = sf_media_sign("k", "1-00000001", "master.m3u8", NOW - 1);
	rc = sf_media_resolve(db, "k", url, NOW, &file, &expired);
	ok(rc == SF_EFORBIDDEN && expired, "an expired URL: forbidden, expired set (410)");
	free(url);
	url = sf_media_sign("j", "1-00000001", "master.m3u8", NOW + 60);
	rc = sf_media_resolve(db, "k", url, NOW, &file, &expired);
	ok(rc == SF_EFORBIDDEN && !expired, "a bad signature: forbidden (403)");
	free(url);
	unlink(path);
	free(path);
	sf_media_rmtree(root);
}

static void job_cases(struct sf_db *db)
{
	struct sf_db *other = NULL;
	struct sf_job j, k;
	long long id = 0, asset;
	int requeued = -1;

	asset = test_db_count(db, "SELECT max(id) FROM media_assets");
	is_int(sf_job_enqueue(db, "media.ingest", asset, &id), 0, "a job is queued");
	is_int(sf_job_claim(db, "w1", 0, &j), 0, "a worker takes it");
	ok(j.id == id && j.attempt == 1 && j.asset_id == asset, "the job, attempt 1");
	if (sf_db_connect(test_db_conninfo(), &other))
		exit(1);
	is_int(sf_job_claim(other, "w2", 0, &k), 1, "another worker finds nothing to take");
	is_int(sf_job_fail(db, &j, "passing trouble", 1, &requeued), 0, "a failed attempt");
	is_int(requeued, 1, "is queued again");
	is_int(test_db_count(db, "SELECT extract(epoch FROM run_after - now())::int / 5 FROM jobs"),
	       2, "after a back-off of 10 s");
	is_int(sf_job_claim(other, "w2", 0, &k), 1, "not before its back-off");
	sql(db, "UPDATE jobs SET run_after = now()");
	is_int(sf_job_claim(other, "w2", 0, &k), 0, "then a worker takes it again");
	is_int(k.attempt, 2, "as attempt 2");
	/* The worker's session ends: its job is orphaned and taken again. */
	sf_db_free(other);
	other = NULL;
	usleep(200000);
	is_int(sf_job_claim(db, "w3", 0, &j), 0, "a job whose worker's session ended is taken again");
	is_int(j.attempt, 3, "as attempt 3");
	is_int(sf_job_fail(db, &j, "bad source", 1, &requeued), 0, "the last attempt fails");
	is_int(requeued, 0, "and the job is failed for good");
	is_int(test_db_count(db, "SELECT count(*) FROM jobs WHERE state = 'failed'"
			     " AND error = 'bad source'"), 1, "with its error");
}

int main(void)
{
	struct sf_db *db = test_db_open("media");

	verify_cases();
	secret_case();
	ladder_cases();
	resolve_cases(db);
	job_cases(db);
	test_db_close(db);
	return done_testing();
}
