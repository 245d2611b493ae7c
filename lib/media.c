/*
 * media.c - assets, subtitles, playlists and playback (media.h).  The
 * encode itself is media_ingest.c; signing is media_sign.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "hls.h"
#include "home.h"
#include "job.h"
#include "media.h"
#include "media_sign.h"
#include "text.h"
#include "title.h"
#include "watch_target.h"
#include "xalloc.h"

#define TS(c) "to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The JSON form of the asset "a". */
#define ASSET_JSON "json_build_object('id', a.id, 'title_id', a.title_id," \
	" 'title', t.title, 'episode_id', a.episode_id, 'season', s.number," \
	" 'episode', e.number, 'source', a.source, 'ladder', a.ladder, 'status', a.status," \
	" 'error', a.error, 'dir', a.dir, 'width', a.width, 'height', a.height," \
	" 'duration', round(a.duration_ms / 1000.0, 3), 'segment_count', a.segment_count," \
	" 'complexity', round(a.complexity::numeric, 3)," \
	" 'renditions', coalesce((SELECT json_agg(json_build_object('name', r.name," \
	"   'width', r.width, 'height', r.height, 'bandwidth', r.bandwidth," \
	"   'average_bandwidth', r.average_bandwidth, 'target_bitrate', r.target_bitrate," \
	"   'codecs', r.codecs, 'playlist', r.playlist, 'segment_count', r.segment_count," \
	"   'bytes', r.bytes) ORDER BY r.height, r.bandwidth) FROM media_renditions r" \
	"   WHERE r.asset_id = a.id), '[]')," \
	" 'subtitles', coalesce((SELECT json_agg(u.lang ORDER BY u.lang) FROM media_subtitles u" \
	"   WHERE u.title_id = a.title_id" \
	"   AND u.episode_id IS NOT DISTINCT FROM a.episode_id), '[]')," \
	" 'files', (SELECT count(*) FROM media_files f WHERE f.asset_id = a.id)," \
	" 'job', (SELECT json_build_object('id', j.id, 'state', j.state, 'attempts', j.attempts," \
	"   'max_attempts', j.max_attempts) FROM jobs j WHERE j.asset_id = a.id" \
	"   ORDER BY j.id DESC LIMIT 1)," \
	" 'created_at', " TS("a.created_at") ", 'updated_at', " TS("a.updated_at") "," \
	" 'ready_at', " TS("a.ready_at") ")"
#define ASSET_FROM " FROM media_assets a JOIN titles t ON t.id = a.title_id" \
	" LEFT JOIN episodes e ON e.id = a.episode_id LEFT JOIN seasons s ON s.id = e.season_id"

char *sf_media_root(void)
{
	const char *v = getenv("SF_MEDIA_ROOT");
	char *home, *root;

	if (v && *v)
		return sf_xstrdup(v);
	home = sf_home_dir();
	root = sf_xasprintf("%s/media", home);
	free(home);
	return root;
}

int sf_media_asset_json(struct sf_db *db, long long id, json_t **out)
{
	char s[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT " ASSET_JSON " AS j" ASSET_FROM " WHERE a.id = $1",
			     SF_ARGS(sf_db_fmt_int(s, id)));

	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "asset '%lld': not found", id);
	if (!rc)
		*out = json_loads(sf_db_str(res, 0, "j"), JSON_PRESERVE_ORDER, NULL);
	PQclear(res);
	return rc;
}

static int asset_ref(const char *ref, long long *id)
{
	if (!ref || !sf_text_parse_id(ref, id))
		return sf_error(SF_EINVAL, "asset '%s': not an asset id", sf_text_quote(ref ? ref : ""));
	return 0;
}

/* Finds the playable: title (as the actor may see it) and episode. */
static int playable(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_media_playable_ref *p, struct sf_watch_target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	rc = sf_watch_target_title(db, actor, p->title, t);
	if (!rc)
		rc = sf_watch_target_episode(db, p->title, p->season, p->episode, 1, t);
	return rc;
}

/* ---- add ---- */

struct add {
	const struct sf_actor *actor;
	struct sf_watch_target t;
	const char *source, *ladder;
	long long id, job;
};

static int add_tx(struct sf_db *db, void *arg)
{
	struct add *a = arg;
	char tid[SF_INT_STR_MAX], eid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	json_t *j = NULL;
	int rc;

	rc = sf_db_query(db, &res, "INSERT INTO media_assets (title_id, episode_id, source, ladder)"
			 " VALUES ($1, $2, $3, $4) RETURNING id",
			 SF_ARGS(sf_db_fmt_int(tid, a->t.title_id),
				 a->t.episode_id ? sf_db_fmt_int(eid, a->t.episode_id) : NULL,
				 a->source, a->ladder));
	if (!rc)
		a->id = sf_db_int(res, 0, "id");
	PQclear(res);
	if (!rc)
		rc = sf_job_enqueue(db, "media.ingest", a->id, &a->job);
	if (!rc)
		rc = sf_media_asset_json(db, a->id, &j);
	if (!rc)
		rc = sf_audit_record(db, a->actor, "media.add", "media_asset", a->id, NULL, j);
	json_decref(j);
	return rc;
}

int sf_media_add(struct sf_db *db, const struct sf_actor *actor,
		 const struct sf_media_playable_ref *p, const char *source, const char *ladder,
		 json_t **out, long long *job_id)
{
	struct add a = { .actor = actor, .ladder = ladder ? ladder : "standard" };
	char *abs = NULL;
	struct stat st;
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	if (rc)
		return rc;
	if (strcmp(a.ladder, "standard") && strcmp(a.ladder, "auto"))
		return sf_error(SF_EINVAL, "--ladder '%s': not one of auto, standard",
				sf_text_quote(a.ladder));
	if (!source || !*source)
		return sf_error(SF_EINVAL, "source '': give a video file");
	if (stat(source, &st) < 0)
		return sf_error(SF_EINVAL, "source '%s': %s", sf_text_quote(source), strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sf_error(SF_EINVAL, "source '%s': not a regular file", sf_text_quote(source));
	if (access(source, R_OK) < 0)
		return sf_error(SF_EINVAL, "source '%s': %s", sf_text_quote(source), strerror(errno));
	if (!(abs = realpath(source, NULL)))
		return sf_error(SF_EINVAL, "source '%s': %s", sf_text_quote(source), strerror(errno));
	a.source = abs;
	rc = playable(db, actor, p, &a.t);
	if (!rc)
		rc = sf_db_tx(db, 0, add_tx, &a);
	if (!rc)
		rc = sf_media_asset_json(db, a.id, out);
	if (!rc && job_id)
		*job_id = a.job;
	free(abs);
	return rc;
}

/* ---- list, show ---- */

int sf_media_list(struct sf_db *db, const struct sf_actor *actor, const char *title,
		  const char *status, json_t **out)
{
	char tid[SF_INT_STR_MAX];
	long long id = 0;
	PGresult *res = NULL;
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	if (!rc && title)
		rc = sf_title_find(db, title, &id);
	if (!rc && status && strcmp(status, "queued") && strcmp(status, "encoding") &&
	    strcmp(status, "ready") && strcmp(status, "failed"))
		rc = sf_error(SF_EINVAL, "--status '%s': not one of queued, encoding, ready, failed",
			      sf_text_quote(status));
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT coalesce(json_agg(j ORDER BY id DESC), '[]') AS l"
				 " FROM (SELECT a.id, " ASSET_JSON " AS j" ASSET_FROM
				 " WHERE ($1::bigint IS NULL OR a.title_id = $1)"
				 " AND ($2::text IS NULL OR a.status = $2)) x",
				 SF_ARGS(title ? sf_db_fmt_int(tid, id) : NULL, status));
	if (!rc)
		*out = json_loads(sf_db_str(res, 0, "l"), JSON_PRESERVE_ORDER, NULL);
	PQclear(res);
	return rc;
}

int sf_media_get(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		 json_t **out)
{
	long long id;
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	if (!rc)
		rc = asset_ref(ref, &id);
	if (!rc)
		rc = sf_media_asset_json(db, id, out);
	return rc;
}

/* ---- remove, retry ---- */

int sf_media_sync_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = sf_error(SF_EINTERNAL, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		while (d && !rc && (e = readdir(d))) {
			char *p;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			p = sf_xasprintf("%s/%s", path, e->d_name);
			rc = sf_media_sync_tree(p);
			free(p);
		}
		if (d)
			closedir(d);
	}
	if (!rc && fsync(fd) < 0)
		rc = sf_error(SF_EINTERNAL, "cannot sync '%s': %s", path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int sf_media_rmtree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		if (errno == ENOTDIR)
			return unlink(path) == 0 || errno == ENOENT ? 0
				: sf_error(SF_EINTERNAL, "cannot remove '%s': %s", path, strerror(errno));
		return sf_error(SF_EINTERNAL, "cannot remove '%s': %s", path, strerror(errno));
	}
	while (!rc && (e = readdir(d))) {
		char *p;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = sf_xasprintf("%s/%s", path, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = sf_media_rmtree(p);
		else if (unlink(p) < 0 && errno != ENOENT)
			rc = sf_error(SF_EINTERNAL, "cannot remove '%s': %s", p, strerror(errno));
		free(p);
	}
	closedir(d);
	if (!rc && rmdir(path) < 0 && errno != ENOENT)
		rc = sf_error(SF_EINTERNAL, "cannot remove '%s': %s", path, strerror(errno));
	return rc;
}

struct change {
	const struct sf_actor *actor;
	long long id;
	json_t *old;
	char *dir;
};

static int remove_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char s[SF_INT_STR_MAX];
	const char *status;
	int rc;

	json_decref(c->old);
	c->old = NULL;
	rc = sf_db_query(db, NULL, "SELECT 1 FROM media_assets WHERE id = $1 FOR UPDATE",
			 SF_ARGS(sf_db_fmt_int(s, c->id)));
	if (!rc)
		rc = sf_media_asset_json(db, c->id, &c->old);
	if (rc)
		return rc;
	status = json_string_value(json_object_get(c->old, "status"));
	if (!strcmp(status, "encoding"))
		return sf_error(SF_ECONFLICT, "asset '%lld' is being encoded; remove it when it "
				"is ready or failed", c->id);
	free(c->dir);
	c->dir = json_string_value(json_object_get(c->old, "dir"))
		? sf_xstrdup(json_string_value(json_object_get(c->old, "dir"))) : NULL;
	rc = sf_db_query(db, NULL, "DELETE FROM media_assets WHERE id = $1",
			 SF_ARGS(sf_db_fmt_int(s, c->id)));
	if (!rc)
		rc = sf_audit_record(db, c->actor, "media.remove", "media_asset", c->id, c->old, NULL);
	return rc;
}

int sf_media_remove(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		    json_t **old)
{
	struct change c = { .actor = actor };
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	if (!rc)
		rc = asset_ref(ref, &c.id);
	if (!rc)
		rc = sf_db_tx(db, 0, remove_tx, &c);
	if (!rc && c.dir) {
		/* The rows are gone, so nothing serves it: rename it out of the
		 * way at once, then delete it. */
		char *root = sf_media_root();
		char *path = sf_xasprintf("%s/%s", root, c.dir);
		char *trash = sf_xasprintf("%s/.trash-%s", root, c.dir);

		if (rename(path, trash) == 0)
			rc = sf_media_rmtree(trash);
		else if (errno != ENOENT)
			rc = sf_error(SF_EINTERNAL, "cannot remove '%s': %s", path, strerror(errno));
		free(root);
		free(path);
		free(trash);
	}
	if (!rc)
		*old = c.old;
	else
		json_decref(c.old);
	free(c.dir);
	return rc;
}

static int retry_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char s[SF_INT_STR_MAX];
	PGresult *res = NULL;
	long long job = 0;
	int rc;

	json_decref(c->old);
	c->old = NULL;
	rc = sf_db_query(db, &res, "SELECT status FROM media_assets WHERE id = $1 FOR UPDATE",
			 SF_ARGS(sf_db_fmt_int(s, c->id)));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "asset '%lld': not found", c->id);
	if (!rc && strcmp(sf_db_str(res, 0, "status"), "failed"))
		rc = sf_error(SF_ECONFLICT, "asset '%lld' is %s; only a failed asset is retried",
			      c->id, sf_db_str(res, 0, "status"));
	PQclear(res);
	if (!rc)
		rc = sf_media_asset_json(db, c->id, &c->old);
	if (!rc)
		rc = sf_db_query(db, NULL, "UPDATE media_assets SET status = 'queued', error = NULL,"
				 " updated_at = now() WHERE id = $1", SF_ARGS(s));
	if (!rc)
		rc = sf_job_enqueue(db, "media.ingest", c->id, &job);
	if (!rc)
		rc = sf_audit_record(db, c->actor, "media.retry", "media_asset", c->id, c->old, NULL);
	return rc;
}

int sf_media_retry(struct sf_db *db, const struct sf_actor *actor, const char *ref,
		   json_t **out)
{
	struct change c = { .actor = actor };
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	if (!rc)
		rc = asset_ref(ref, &c.id);
	if (!rc)
		rc = sf_db_tx(db, 0, retry_tx, &c);
	json_decref(c.old);
	if (!rc)
		rc = sf_media_asset_json(db, c.id, out);
	return rc;
}

/* ---- playlists ---- */

/* Writes text to dir/name through a temporary name. */
static int write_file(const char *dir, const char *name, const char *text)
{
	char *path = sf_xasprintf("%s/%s", dir, name);
	char *tmp = sf_xasprintf("%s.%ld.tmp", path, (long)getpid());
	size_t len = strlen(text);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) < 0 ||
	    close(fd) < 0 || rename(tmp, path) < 0) {
		rc = sf_error(SF_EINTERNAL, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(path);
	free(tmp);
	return rc;
}

static void cat(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cat(char **s, const char *fmt, ...)
{
	va_list ap;
	char *part, *all;

	va_start(ap, fmt);
	if (vasprintf(&part, fmt, ap) < 0)
		abort();
	va_end(ap);
	all = sf_xasprintf("%s%s", *s ? *s : "", part);
	free(*s);
	free(part);
	*s = all;
}

/* The WebVTT vtt with the X-TIMESTAMP-MAP header HLS players need to
 * place its cues on the segments' clock: cue time 0 is the first
 * timestamp of the first segment (ffmpeg's MPEG-TS muxer starts at 1.4 s,
 * not 0).  vtt unchanged (copied) when the segment cannot be read. */
static char *timestamped_vtt(const char *vtt, const char *dir)
{
	char *seg = sf_xasprintf("%s/v0/seg_00000.ts", dir);
	unsigned char buf[188 * 64];
	FILE *fp = fopen(seg, "rb");
	size_t n = fp ? fread(buf, 1, sizeof(buf), fp) : 0;
	size_t first = strcspn(vtt, "\n");
	double pts;
	char *out;

	if (fp)
		fclose(fp);
	free(seg);
	if (!n || sf_hls_ts_first_pts(buf, n, &pts) || strstr(vtt, "X-TIMESTAMP-MAP"))
		return sf_xstrdup(vtt);
	out = sf_xasprintf("%.*s\nX-TIMESTAMP-MAP=MPEGTS:%lld,LOCAL:00:00:00.000%s", (int)first, vtt,
			   (long long)(pts * 90000 + 0.5), vtt + first);
	return out;
}

int sf_media_write_master(struct sf_db *db, long long id, const char *dir)
{
	char s[SF_INT_STR_MAX], *m = NULL, *subdir = NULL;
	PGresult *res = NULL, *subs = NULL;
	double duration;
	int rc, nsubs, frame = 0;

	rc = sf_db_query(db, &subs, "SELECT u.lang, u.vtt, a.duration_ms FROM media_assets a"
			 " JOIN media_subtitles u ON u.title_id = a.title_id"
			 " AND u.episode_id IS NOT DISTINCT FROM a.episode_id"
			 " WHERE a.id = $1 ORDER BY u.lang", SF_ARGS(sf_db_fmt_int(s, id)));
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT r.*, a.has_audio FROM media_renditions r"
				 " JOIN media_assets a ON a.id = r.asset_id WHERE r.asset_id = $1"
				 " ORDER BY r.bandwidth", SF_ARGS(s));
	if (rc)
		goto out;
	nsubs = PQntuples(subs);
	if (nsubs > 0) {
		subdir = sf_xasprintf("%s/subs", dir);
		if (mkdir(subdir, 0755) < 0 && errno != EEXIST) {
			rc = sf_error(SF_EINTERNAL, "cannot create '%s': %s", subdir, strerror(errno));
			goto out;
		}
	}
	cat(&m, "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n");
	for (int i = 0; i < nsubs; i++) {
		const char *lang = sf_db_str(subs, i, "lang");
		char *name = sf_xasprintf("%s.vtt", lang), *pl = NULL;

		duration = sf_db_int(subs, i, "duration_ms") / 1000.0;
		{
			char *vtt = timestamped_vtt(sf_db_str(subs, i, "vtt"), dir);

			rc = write_file(subdir, name, vtt);
			free(vtt);
		}
		cat(&pl, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%lld\n"
		    "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:%.3f,\n%s\n"
		    "#EXT-X-ENDLIST\n", (long long)duration + 1, duration, name);
		free(name);
		name = sf_xasprintf("%s.m3u8", lang);
		if (!rc)
			rc = write_file(subdir, name, pl);
		free(name);
		free(pl);
		if (rc)
			goto out;
		cat(&m, "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",LANGUAGE=\"%s\",NAME=\"%s\","
		    "DEFAULT=NO,AUTOSELECT=YES,URI=\"subs/%s.m3u8\"\n", lang, lang, lang);
	}
	for (int i = 0; i < PQntuples(res); i++) {
		cat(&m, "#EXT-X-STREAM-INF:BANDWIDTH=%lld,AVERAGE-BANDWIDTH=%lld,RESOLUTION=%lldx%lld,"
		    "CODECS=\"%s\"%s\n%s\n", sf_db_int(res, i, "bandwidth"),
		    sf_db_int(res, i, "average_bandwidth"), sf_db_int(res, i, "width"),
		    sf_db_int(res, i, "height"), sf_db_str(res, i, "codecs"),
		    nsubs ? ",SUBTITLES=\"subs\"" : "", sf_db_str(res, i, "playlist"));
		frame = 1;
	}
	if (!frame)
		rc = sf_error(SF_EINTERNAL, "asset '%lld': no renditions", id);
	if (!rc)
		rc = write_file(dir, "master.m3u8", m);
out:
	free(m);
	free(subdir);
	PQclear(res);
	PQclear(subs);
	return rc;
}

/* ---- subtitles ---- */

/* Reads a subtitle file as WebVTT text (SRT converted); caller frees. */
static int read_subtitles(const char *file, char **vtt, int *cues)
{
	FILE *fp = fopen(file, "rb");
	char *text = NULL, *out = NULL, *line, *save = NULL, *p;
	size_t len = 0;
	int srt, rc = 0;

	*cues = 0;
	if (!fp)
		return sf_error(SF_EINVAL, "subtitle file '%s': %s", sf_text_quote(file),
				strerror(errno));
	text = sf_xmalloc(2 * 1024 * 1024 + 1);
	len = fread(text, 1, 2 * 1024 * 1024 + 1, fp);
	fclose(fp);
	if (len > 2 * 1024 * 1024) {
		rc = sf_error(SF_EINVAL, "subtitle file '%s': larger than 2 MB", sf_text_quote(file));
		goto out;
	}
	text[len] = '\0';
	p = text;
	if (!strncmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	if (strlen(p) != len - (size_t)(p - text) || !sf_utf8_valid(p, strlen(p))) {
		rc = sf_error(SF_EINVAL, "subtitle file '%s': not UTF-8 text", sf_text_quote(file));
		goto out;
	}
	srt = strncmp(p, "WEBVTT", 6) != 0;
	cat(&out, "%s", srt ? "WEBVTT\n\n" : "");
	for (line = strtok_r(p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		char *arrow = strstr(line, " --> ");

		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (arrow) {
			(*cues)++;
			if (srt)
				for (char *c = line; *c; c++)
					if (*c == ',' && c > line && c[-1] >= '0' && c[-1] <= '9')
						*c = '.';
		}
		if (srt && n && strspn(line, "0123456789") == n) {
			/* An SRT cue number starts a cue: keep a blank line before it. */
			if (strlen(out) >= 2 && strcmp(out + strlen(out) - 2, "\n\n"))
				cat(&out, "\n");
			cat(&out, "%s\n", line);
			continue;
		}
		cat(&out, "%s\n", line);
	}
	if (*cues == 0)
		rc = sf_error(SF_EINVAL, "subtitle file '%s': neither WebVTT nor SRT (no cues)",
			      sf_text_quote(file));
out:
	free(text);
	if (rc)
		free(out);
	else
		*vtt = out;
	return rc;
}

struct subtitle {
	const struct sf_actor *actor;
	struct sf_watch_target t;
	const char *lang;
	char *vtt;
	json_t *assets;
};

static int subtitle_tx(struct sf_db *db, void *arg)
{
	struct subtitle *u = arg;
	char tid[SF_INT_STR_MAX], eid[SF_INT_STR_MAX];
	const char *e = u->t.episode_id ? sf_db_fmt_int(eid, u->t.episode_id) : NULL;
	PGresult *res = NULL;
	json_t *j;
	int rc;

	json_decref(u->assets);
	u->assets = json_array();
	rc = sf_db_query(db, NULL, "DELETE FROM media_subtitles WHERE title_id = $1"
			 " AND episode_id IS NOT DISTINCT FROM $2::bigint AND lang = $3",
			 SF_ARGS(sf_db_fmt_int(tid, u->t.title_id), e, u->lang));
	if (!rc)
		rc = sf_db_query(db, &res, "INSERT INTO media_subtitles (title_id, episode_id, lang,"
				 " vtt) VALUES ($1, $2, $3, $4) RETURNING id",
				 SF_ARGS(tid, e, u->lang, u->vtt));
	if (!rc) {
		j = json_pack("{s:I, s:o, s:s}", "title_id", (json_int_t)u->t.title_id, "episode_id",
			      u->t.episode_id ? json_integer(u->t.episode_id) : json_null(), "lang",
			      u->lang);
		rc = sf_audit_record(db, u->actor, "media.subtitle", "title", u->t.title_id, NULL, j);
		json_decref(j);
	}
	PQclear(res);
	res = NULL;
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT id, dir FROM media_assets WHERE title_id = $1"
				 " AND episode_id IS NOT DISTINCT FROM $2::bigint AND status = 'ready'"
				 " FOR UPDATE", SF_ARGS(tid, e));
	for (int i = 0; !rc && i < PQntuples(res); i++) {
		char *root = sf_media_root();
		char *dir = sf_xasprintf("%s/%s", root, sf_db_str(res, i, "dir"));

		rc = sf_media_write_master(db, sf_db_int(res, i, "id"), dir);
		json_array_append_new(u->assets, json_integer(sf_db_int(res, i, "id")));
		free(root);
		free(dir);
	}
	PQclear(res);
	return rc;
}

int sf_media_subtitle_add(struct sf_db *db, const struct sf_actor *actor,
			  const struct sf_media_playable_ref *p, const char *lang,
			  const char *file, json_t **out)
{
	struct subtitle u = { .actor = actor, .lang = lang };
	int cues = 0, rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);
	size_t n = lang ? strlen(lang) : 0;

	if (!rc && (n < 2 || n > 35 || strspn(lang, "abcdefghijklmnopqrstuvwxyz") < 2 ||
		    strspn(lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
		    != n || strspn(lang, "abcdefghijklmnopqrstuvwxyz") > 3))
		rc = sf_error(SF_EINVAL, "--lang '%s': not a language tag such as en or pt-BR",
			      sf_text_quote(lang ? lang : ""));
	if (!rc)
		rc = read_subtitles(file, &u.vtt, &cues);
	if (!rc)
		rc = playable(db, actor, p, &u.t);
	if (!rc)
		rc = sf_db_tx(db, 0, subtitle_tx, &u);
	if (!rc)
		*out = json_pack("{s:I, s:o, s:s, s:i, s:O}", "title_id", (json_int_t)u.t.title_id,
				 "episode_id", u.t.episode_id ? json_integer(u.t.episode_id)
				 : json_null(), "lang", lang, "cues", cues, "assets", u.assets);
	json_decref(u.assets);
	free(u.vtt);
	return rc;
}

/* ---- for the routes ---- */

int sf_media_resolve(struct sf_db *db, const char *secret, const char *path, long long now,
		     char **file, int *expired)
{
	struct sf_media_access a;
	PGresult *res = NULL;
	char *root = NULL;
	int rc = sf_media_verify(secret, path, now, &a);

	*expired = a.expired;
	*file = NULL;
	if (rc)
		return rc;
	rc = sf_db_query(db, &res, "SELECT 1 FROM media_assets WHERE dir = $1 AND status = 'ready'",
			 SF_ARGS(a.dir));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "media '%s': not found", sf_text_quote(a.dir));
	if (!rc) {
		root = sf_media_root();
		*file = sf_xasprintf("%s/%s/%s", root, a.dir, a.file);
	}
	PQclear(res);
	free(root);
	sf_media_access_release(&a);
	return rc;
}

int sf_media_playback(struct sf_db *db, const struct sf_actor *actor,
		      const struct sf_media_playable_ref *p, const char *secret,
		      long long now, long long ttl, json_t **out)
{
	struct sf_watch_target t;
	char tid[SF_INT_STR_MAX], eid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	json_t *a = NULL, *r, *o, *rends, *subs;
	const char *dir;
	long long expires = now + ttl;
	size_t i;
	int rc = playable(db, actor, p, &t);

	if (!rc)
		rc = sf_db_query(db, &res, "SELECT id FROM media_assets WHERE title_id = $1"
				 " AND episode_id IS NOT DISTINCT FROM $2::bigint AND status = 'ready'"
				 " ORDER BY ready_at DESC, id DESC LIMIT 1",
				 SF_ARGS(sf_db_fmt_int(tid, t.title_id),
					 t.episode_id ? sf_db_fmt_int(eid, t.episode_id) : NULL));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s'%s: no media ready to play",
			      sf_text_quote(p->title), t.episode_id ? " (that episode)" : "");
	if (!rc)
		rc = sf_media_asset_json(db, sf_db_int(res, 0, "id"), &a);
	PQclear(res);
	if (rc)
		return rc;
	dir = json_string_value(json_object_get(a, "dir"));
	o = json_object();
	json_object_set_new(o, "asset_id", json_integer(json_integer_value(json_object_get(a, "id"))));
	json_object_set(o, "title_id", json_object_get(a, "title_id"));
	json_object_set(o, "episode_id", json_object_get(a, "episode_id"));
	json_object_set(o, "duration", json_object_get(a, "duration"));
	{
		char *u;

		u = sf_media_sign(secret, dir, "master.m3u8", expires);
		json_object_set_new(o, "master_url", json_string(u));
		free(u);
		u = sf_media_sign(secret, dir, "poster.jpg", expires);
		json_object_set_new(o, "poster_url", json_string(u));
		free(u);
		u = sf_media_sign(secret, dir, "thumbs.vtt", expires);
		json_object_set_new(o, "thumbnails_url", json_string(u));
		free(u);
	}
	json_object_set_new(o, "expires", json_integer(expires));
	rends = json_array();
	json_array_foreach(json_object_get(a, "renditions"), i, r) {
		char *u = sf_media_sign(secret, dir, json_string_value(json_object_get(r, "playlist")),
					expires);

		json_array_append_new(rends, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:s}",
			"name", json_object_get(r, "name"), "width", json_object_get(r, "width"),
			"height", json_object_get(r, "height"), "bandwidth",
			json_object_get(r, "bandwidth"), "average_bandwidth",
			json_object_get(r, "average_bandwidth"), "codecs",
			json_object_get(r, "codecs"), "url", u));
		free(u);
	}
	json_object_set_new(o, "renditions", rends);
	subs = json_array();
	json_array_foreach(json_object_get(a, "subtitles"), i, r) {
		char *f = sf_xasprintf("subs/%s.vtt", json_string_value(r));
		char *u = sf_media_sign(secret, dir, f, expires);

		json_array_append_new(subs, json_pack("{s:O, s:s}", "lang", r, "url", u));
		free(f);
		free(u);
	}
	json_object_set_new(o, "subtitles", subs);
	json_decref(a);
	*out = o;
	return 0;
}
