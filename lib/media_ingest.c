/*
 * media_ingest.c - one ingest job: probe the source, pick the ladder,
 * encode every rendition in one ffmpeg run into a temporary directory,
 * add the poster, trickplay sprite and master playlist, checksum every
 * file, rename the directory into place and record the asset ready.
 *
 * One ffmpeg decodes the source once, makes a constant frame rate, and
 * splits the picture to a scaler per rendition (plus the trickplay
 * tiles); every rendition gets the same forced keyframes, one every 4
 * seconds exactly (-force_key_frames, no scene-cut keyframes, closed
 * GOPs), so segments of all renditions start at the same instants and a
 * player may switch at any segment boundary.  A source that ends early
 * (truncated) is caught by comparing what was encoded with what ffprobe
 * promised.
 *
 * Failures: a source ffprobe cannot read, or that ends early, fails the
 * job at once (SF_EINVAL: retrying will not help); anything else (ffmpeg
 * killed, a full disk) is retried with back-off (job.h).  Whatever
 * happens, the temporary directory is removed, and the next attempt
 * sweeps whatever a dead worker left under the asset's id.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "error.h"
#include "ffmpeg.h"
#include "home.h"
#include "job.h"
#include "ladder.h"
#include "media.h"
#include "xalloc.h"

#define SEGMENT_S 4
#define THUMB_H 90
#define THUMB_COLS 10

struct ingest {
	long long id;
	char *source, *ladder_name;
	char *root, *tmp, *final_name;
	struct sf_probe probe;
	struct sf_ladder ladder;
	char fps[32];
	double thumb_every;
	int thumb_w, thumb_n;
	sf_media_progress_fn *progress;
	void *arg;
	const char *phase;
	/* per rendition, from its playlist */
	struct { int segments; double duration, peak; long long bytes; } r[SF_LADDER_MAX];
};

/* The smallest whole number not below x (x >= 0); sf links no libm. */
static double up(double x)
{
	double n = (double)(long long)x;

	return n < x ? n + 1 : n;
}

static void on_progress(void *arg, double done, double speed)
{
	struct ingest *in = arg;

	if (in->progress)
		in->progress(in->arg, in->phase, done > in->probe.duration ? in->probe.duration : done,
			     in->probe.duration, speed);
}

/* Removes what earlier attempts at this asset left: temporary
 * directories, and a directory renamed into place whose asset was never
 * recorded ready. */
static void sweep(const char *root, long long id)
{
	char tmp[64], fin[64];
	DIR *d = opendir(root);
	struct dirent *e;

	if (!d)
		return;
	snprintf(tmp, sizeof(tmp), ".tmp-%lld-", id);
	snprintf(fin, sizeof(fin), "%lld-", id);
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, tmp, strlen(tmp)) || !strncmp(e->d_name, fin, strlen(fin))) {
			char *p = sf_xasprintf("%s/%s", root, e->d_name);

			sf_media_rmtree(p);
			free(p);
		}
	}
	closedir(d);
}

/* The complexity probe: up to 20 s of the source at 360p (or less) and
 * constant quality; the bits it took against the standard bitrate. */
static int complexity(struct ingest *in, double *factor)
{
	struct sf_argv a = { 0 };
	struct sf_ladder l;
	struct sf_rung *r;
	double secs = in->probe.duration < 20 ? in->probe.duration : 20;
	char *out = sf_xasprintf("%s/probe.ts", in->tmp);
	struct stat st;
	int rc;

	sf_ladder_make(in->probe.width, in->probe.height, 1, &l);
	r = &l.rungs[0];
	for (int i = 0; i < l.n; i++)
		if (l.rungs[i].height <= SF_LADDER_PROBE_HEIGHT)
			r = &l.rungs[i];
	sf_argv_add(&a, "-t");
	sf_argv_add(&a, "%.3f", secs);
	sf_argv_add(&a, "-i");
	sf_argv_add(&a, "%s", in->source);
	sf_argv_add(&a, "-an");
	sf_argv_add(&a, "-vf");
	sf_argv_add(&a, "scale=%d:%d", r->width, r->height);
	sf_argv_add(&a, "-c:v");
	sf_argv_add(&a, "libx264");
	sf_argv_add(&a, "-preset");
	sf_argv_add(&a, "veryfast");
	sf_argv_add(&a, "-crf");
	sf_argv_add(&a, "%d", SF_LADDER_PROBE_CRF);
	sf_argv_add(&a, "-f");
	sf_argv_add(&a, "mpegts");
	sf_argv_add(&a, "%s", out);
	in->phase = "probing";
	rc = sf_ffmpeg_run("complexity probe", &a, NULL, NULL);
	if (!rc && stat(out, &st) < 0)
		rc = sf_error(SF_EINTERNAL, "complexity probe: no output: %s", strerror(errno));
	if (!rc)
		/* MPEG-TS costs about 10% over the stream itself. */
		*factor = sf_ladder_factor(st.st_size * 8 / 1.1 / secs, r->width, r->height);
	unlink(out);
	free(out);
	sf_argv_release(&a);
	return rc;
}

static int encode(struct ingest *in)
{
	struct sf_argv a = { 0 };
	const struct sf_ladder *l = &in->ladder;
	char *graph = NULL, *map = NULL, *p;
	int rc, rows;

	in->thumb_every = in->probe.duration <= 100 ? 1 : up(in->probe.duration / 100);
	in->thumb_n = (int)up(in->probe.duration / in->thumb_every);
	in->thumb_w = (int)((double)in->probe.width * THUMB_H / in->probe.height / 2 + 0.5) * 2;
	rows = (in->thumb_n + 1 + THUMB_COLS - 1) / THUMB_COLS;   /* a spare cell */

	graph = sf_xasprintf("[0:v]fps=%s,split=%d", in->fps, l->n + 1);
	for (int i = 0; i < l->n; i++) {
		p = sf_xasprintf("%s[s%d]", graph, i);
		free(graph);
		graph = p;
	}
	p = sf_xasprintf("%s[st]", graph);
	free(graph);
	graph = p;
	for (int i = 0; i < l->n; i++) {
		p = sf_xasprintf("%s;[s%d]scale=%d:%d,setsar=1,format=yuv420p[v%d]", graph, i,
				 l->rungs[i].width, l->rungs[i].height, i);
		free(graph);
		graph = p;
	}
	p = sf_xasprintf("%s;[st]fps=1/%g,scale=%d:%d,tile=%dx%d[t]", graph, in->thumb_every,
			 in->thumb_w, THUMB_H, THUMB_COLS, rows);
	free(graph);
	graph = p;

	sf_argv_add(&a, "-i");
	sf_argv_add(&a, "%s", in->source);
	sf_argv_add(&a, "-filter_complex");
	sf_argv_add(&a, "%s", graph);
	for (int i = 0; i < l->n; i++) {
		sf_argv_add(&a, "-map");
		sf_argv_add(&a, "[v%d]", i);
		if (in->probe.has_audio) {
			sf_argv_add(&a, "-map");
			sf_argv_add(&a, "0:a:0");
		}
	}
	sf_argv_add(&a, "-c:v");
	sf_argv_add(&a, "libx264");
	sf_argv_add(&a, "-preset");
	sf_argv_add(&a, "%s", getenv("SF_MEDIA_PRESET") && *getenv("SF_MEDIA_PRESET")
		    ? getenv("SF_MEDIA_PRESET") : "veryfast");
	sf_argv_add(&a, "-profile:v");
	sf_argv_add(&a, "main");
	sf_argv_add(&a, "-sc_threshold");
	sf_argv_add(&a, "0");
	sf_argv_add(&a, "-flags");
	sf_argv_add(&a, "+cgop");
	sf_argv_add(&a, "-g");
	sf_argv_add(&a, "%d", (int)up(atof(in->fps) * SEGMENT_S) * 2 + 1);
	sf_argv_add(&a, "-force_key_frames");
	sf_argv_add(&a, "expr:gte(t,n_forced*%d)", SEGMENT_S);
	for (int i = 0; i < l->n; i++) {
		int b = l->rungs[i].bitrate;

		sf_argv_add(&a, "-b:v:%d", i);
		sf_argv_add(&a, "%d", b);
		sf_argv_add(&a, "-maxrate:v:%d", i);
		sf_argv_add(&a, "%d", b + b / 10);
		sf_argv_add(&a, "-bufsize:v:%d", i);
		sf_argv_add(&a, "%d", 2 * b);
		sf_argv_add(&a, "-level:v:%d", i);
		sf_argv_add(&a, "%d.%d", l->rungs[i].level / 10, l->rungs[i].level % 10);
	}
	if (in->probe.has_audio) {
		sf_argv_add(&a, "-c:a");
		sf_argv_add(&a, "aac");
		sf_argv_add(&a, "-ac");
		sf_argv_add(&a, "2");
		sf_argv_add(&a, "-ar");
		sf_argv_add(&a, "48000");
		sf_argv_add(&a, "-b:a");
		sf_argv_add(&a, "%d", SF_LADDER_AUDIO_BPS);
	}
	sf_argv_add(&a, "-f");
	sf_argv_add(&a, "hls");
	sf_argv_add(&a, "-hls_time");
	sf_argv_add(&a, "%d", SEGMENT_S);
	sf_argv_add(&a, "-hls_playlist_type");
	sf_argv_add(&a, "vod");
	sf_argv_add(&a, "-hls_flags");
	sf_argv_add(&a, "independent_segments");
	sf_argv_add(&a, "-hls_segment_type");
	sf_argv_add(&a, "mpegts");
	sf_argv_add(&a, "-hls_segment_filename");
	sf_argv_add(&a, "%s/v%%v/seg_%%05d.ts", in->tmp);
	sf_argv_add(&a, "-var_stream_map");
	for (int i = 0; i < l->n; i++) {
		p = in->probe.has_audio ? sf_xasprintf("%s%sv:%d,a:%d", map ? map : "", map ? " " : "",
						       i, i)
			: sf_xasprintf("%s%sv:%d", map ? map : "", map ? " " : "", i);
		free(map);
		map = p;
	}
	sf_argv_add(&a, "%s", map);
	sf_argv_add(&a, "%s/v%%v/index.m3u8", in->tmp);
	sf_argv_add(&a, "-map");
	sf_argv_add(&a, "[t]");
	sf_argv_add(&a, "-frames:v");
	sf_argv_add(&a, "1");
	sf_argv_add(&a, "-update");
	sf_argv_add(&a, "1");
	sf_argv_add(&a, "-q:v");
	sf_argv_add(&a, "4");
	sf_argv_add(&a, "%s/thumbs.jpg", in->tmp);
	in->phase = "encoding";
	rc = sf_ffmpeg_run("encode", &a, on_progress, in);
	sf_argv_release(&a);
	free(graph);
	free(map);
	return rc;
}

static int poster(struct ingest *in)
{
	struct sf_argv a = { 0 };
	int h = in->probe.height < 720 ? in->probe.height : 720;
	int rc;

	sf_argv_add(&a, "-ss");
	sf_argv_add(&a, "%.3f", in->probe.duration * 0.2);
	sf_argv_add(&a, "-i");
	sf_argv_add(&a, "%s", in->source);
	sf_argv_add(&a, "-frames:v");
	sf_argv_add(&a, "1");
	sf_argv_add(&a, "-vf");
	sf_argv_add(&a, "scale=-2:%d", h & ~1);
	sf_argv_add(&a, "-q:v");
	sf_argv_add(&a, "3");
	sf_argv_add(&a, "%s/poster.jpg", in->tmp);
	in->phase = "finishing";
	rc = sf_ffmpeg_run("poster", &a, NULL, NULL);
	sf_argv_release(&a);
	return rc;
}

static int thumbs_vtt(struct ingest *in)
{
	char *path = sf_xasprintf("%s/thumbs.vtt", in->tmp);
	FILE *fp = fopen(path, "w");
	int rc = 0;

	if (!fp) {
		rc = sf_error(SF_EINTERNAL, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fprintf(fp, "WEBVTT\n");
	for (int i = 0; i < in->thumb_n; i++) {
		long long s = (long long)(i * in->thumb_every * 1000 + 0.5);
		long long e = (long long)((i + 1) * in->thumb_every * 1000 + 0.5);
		long long end = (long long)(in->probe.duration * 1000);

		if (e > end)
			e = end;
		fprintf(fp, "\n%02lld:%02lld:%02lld.%03lld --> %02lld:%02lld:%02lld.%03lld\n"
			"thumbs.jpg#xywh=%d,%d,%d,%d\n", s / 3600000, s / 60000 % 60, s / 1000 % 60,
			s % 1000, e / 3600000, e / 60000 % 60, e / 1000 % 60, e % 1000,
			(i % THUMB_COLS) * in->thumb_w, (i / THUMB_COLS) * THUMB_H, in->thumb_w, THUMB_H);
	}
	if (fclose(fp) != 0)
		rc = sf_error(SF_EINTERNAL, "cannot write '%s': %s", path, strerror(errno));
out:
	free(path);
	return rc;
}

/* Reads rendition i's playlist: segments, duration, sizes. */
static int read_playlist(struct ingest *in, int i)
{
	char *path = sf_xasprintf("%s/v%d/index.m3u8", in->tmp, i);
	FILE *fp = fopen(path, "r");
	char line[512];
	double extinf = 0;
	int rc = 0;

	memset(&in->r[i], 0, sizeof(in->r[i]));
	if (!fp) {
		rc = sf_error(SF_EINTERNAL, "encode: no playlist '%s': %s", path, strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!strncmp(line, "#EXTINF:", 8)) {
			extinf = atof(line + 8);
		} else if (line[0] && line[0] != '#') {
			char *seg = sf_xasprintf("%s/v%d/%s", in->tmp, i, line);
			struct stat st;

			if (stat(seg, &st) < 0) {
				rc = sf_error(SF_EINTERNAL, "encode: no segment '%s'", seg);
				free(seg);
				break;
			}
			free(seg);
			in->r[i].segments++;
			in->r[i].duration += extinf;
			in->r[i].bytes += st.st_size;
			if (extinf > 0.5 && st.st_size * 8 / extinf > in->r[i].peak)
				in->r[i].peak = st.st_size * 8 / extinf;
		}
	}
	fclose(fp);
	if (!rc && in->r[i].segments == 0)
		rc = sf_error(SF_EINVAL, "source '%s': no frames encoded", in->source);
	if (!rc && in->r[i].peak == 0)
		in->r[i].peak = in->r[i].bytes * 8 / (in->r[i].duration > 0 ? in->r[i].duration : 1);
out:
	free(path);
	return rc;
}

/* sha256 of a file in hex. */
static int sha256_file(const char *path, char hex[65], long long *bytes)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536], md[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return sf_error(SF_EINTERNAL, "cannot read '%s': %s", path, strerror(errno));
	*bytes = 0;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		*bytes += n;
	}
	close(fd);
	if (n < 0)
		return sf_error(SF_EINTERNAL, "cannot read '%s': %s", path, strerror(errno));
	crypto_hash_sha256_final(&st, md);
	sodium_bin2hex(hex, 65, md, sizeof(md));
	return 0;
}

/* Records every file under dir (relative name rel) with its checksum. */
static int record_files(struct sf_db *db, long long id, const char *dir, const char *rel)
{
	char *path = rel[0] ? sf_xasprintf("%s/%s", dir, rel) : sf_xstrdup(dir);
	DIR *d = opendir(path);
	struct dirent *e;
	char sid[SF_INT_STR_MAX];
	int rc = 0;

	if (!d) {
		free(path);
		return sf_error(SF_EINTERNAL, "cannot read '%s': %s", dir, strerror(errno));
	}
	while (!rc && (e = readdir(d))) {
		char *name, *full, hex[65], size[SF_INT_STR_MAX];
		struct stat st;
		long long bytes;

		if (e->d_name[0] == '.')
			continue;
		name = rel[0] ? sf_xasprintf("%s/%s", rel, e->d_name) : sf_xstrdup(e->d_name);
		full = sf_xasprintf("%s/%s", dir, name);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
			rc = record_files(db, id, dir, name);
		else if (!(rc = sha256_file(full, hex, &bytes)))
			rc = sf_db_query(db, NULL, "INSERT INTO media_files (asset_id, path, bytes,"
					 " sha256) VALUES ($1, $2, $3, $4) ON CONFLICT (asset_id, path)"
					 " DO UPDATE SET bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256",
					 SF_ARGS(sf_db_fmt_int(sid, id), name,
						 sf_db_fmt_int(size, bytes), hex));
		free(name);
		free(full);
	}
	closedir(d);
	free(path);
	return rc;
}

static int set_status(struct sf_db *db, long long id, const char *status, const char *error)
{
	char s[SF_INT_STR_MAX];

	return sf_db_query(db, NULL, "UPDATE media_assets SET status = $2, error = $3,"
			   " updated_at = now() WHERE id = $1 AND status <> 'ready'",
			   SF_ARGS(sf_db_fmt_int(s, id), status, error));
}

/* Renditions and the ready status, in the transaction that publishes. */
static int publish_tx(struct sf_db *db, void *arg)
{
	struct ingest *in = arg;
	char s[SF_INT_STR_MAX], n[8][SF_INT_STR_MAX];
	double duration = in->r[0].duration;
	int rc;

	rc = sf_db_query(db, NULL, "DELETE FROM media_renditions WHERE asset_id = $1",
			 SF_ARGS(sf_db_fmt_int(s, in->id)));
	for (int i = 0; !rc && i < in->ladder.n; i++) {
		const struct sf_rung *r = &in->ladder.rungs[i];
		int audio = in->probe.has_audio ? SF_LADDER_AUDIO_BPS : 0;
		char codecs[64], *pl = sf_xasprintf("v%d/index.m3u8", i);

		sf_ladder_codecs(r, in->probe.has_audio, codecs, sizeof(codecs));
		rc = sf_db_query(db, NULL, "INSERT INTO media_renditions (asset_id, name, width,"
				 " height, bandwidth, average_bandwidth, target_bitrate, codecs,"
				 " playlist, segment_count, bytes) VALUES ($1, $2, $3, $4, $5, $6,"
				 " $7, $8, $9, $10, $11)",
				 SF_ARGS(s, r->name, sf_db_fmt_int(n[0], r->width),
					 sf_db_fmt_int(n[1], r->height),
					 sf_db_fmt_int(n[2], (long long)in->r[i].peak),
					 sf_db_fmt_int(n[3], (long long)(in->r[i].bytes * 8 /
						 (in->r[i].duration > 0 ? in->r[i].duration : 1))),
					 sf_db_fmt_int(n[4], r->bitrate + audio), codecs, pl,
					 sf_db_fmt_int(n[5], in->r[i].segments),
					 sf_db_fmt_int(n[6], in->r[i].bytes)));
		free(pl);
	}
	if (!rc)
		rc = sf_db_query(db, NULL, "UPDATE media_assets SET width = $2, height = $3,"
				 " duration_ms = $4, segment_count = $5, has_audio = $6,"
				 " complexity = $7, updated_at = now() WHERE id = $1",
				 SF_ARGS(s, sf_db_fmt_int(n[0], in->probe.width),
					 sf_db_fmt_int(n[1], in->probe.height),
					 sf_db_fmt_int(n[2], (long long)(duration * 1000 + 0.5)),
					 sf_db_fmt_int(n[3], in->r[0].segments),
					 in->probe.has_audio ? "true" : "false",
					 in->ladder.factor < 1 || !strcmp(in->ladder_name, "auto")
					 ? (snprintf(n[7], sizeof(n[7]), "%.4f", in->ladder.factor), n[7])
					 : NULL));
	/* The master playlist and subtitles go in before the rename. */
	if (!rc)
		rc = sf_media_write_master(db, in->id, in->tmp);
	if (!rc)
		rc = sf_db_query(db, NULL, "DELETE FROM media_files WHERE asset_id = $1", SF_ARGS(s));
	if (!rc)
		rc = record_files(db, in->id, in->tmp, "");
	/* Every file on disk before the rename, and the rename on disk before
	 * the asset is recorded ready: a power cut cannot leave a ready asset
	 * with empty files. */
	if (!rc)
		rc = sf_media_sync_tree(in->tmp);
	if (!rc) {
		char *dst = sf_xasprintf("%s/%s", in->root, in->final_name);

		if (rename(in->tmp, dst) < 0)
			rc = sf_error(SF_EINTERNAL, "cannot rename '%s' to '%s': %s", in->tmp, dst,
				      strerror(errno));
		free(dst);
	}
	if (!rc) {
		int fd = open(in->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0 || fsync(fd) < 0)
			rc = sf_error(SF_EINTERNAL, "cannot sync '%s': %s", in->root, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (!rc)
		rc = sf_db_query(db, NULL, "UPDATE media_assets SET status = 'ready', dir = $2,"
				 " error = NULL, ready_at = now(), updated_at = now() WHERE id = $1",
				 SF_ARGS(s, in->final_name));
	if (rc) {
		/* Not published: whatever was renamed goes again. */
		char *dst = sf_xasprintf("%s/%s", in->root, in->final_name);

		rename(dst, in->tmp);
		free(dst);
	}
	return rc;
}

static int load(struct sf_db *db, struct ingest *in)
{
	char s[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT source, ladder FROM media_assets WHERE id = $1",
			     SF_ARGS(sf_db_fmt_int(s, in->id)));

	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "asset '%lld': not found", in->id);
	if (!rc) {
		in->source = sf_xstrdup(sf_db_str(res, 0, "source"));
		in->ladder_name = sf_xstrdup(sf_db_str(res, 0, "ladder"));
	}
	PQclear(res);
	return rc;
}

static int run(struct sf_db *db, struct ingest *in)
{
	unsigned char rnd[4];
	double factor = 1;
	int rc;

	if ((rc = load(db, in)) || (rc = set_status(db, in->id, "encoding", NULL)))
		return rc;
	in->root = sf_media_root();
	if ((rc = sf_home_mkdirs(in->root, 0755)))
		return rc;
	sweep(in->root, in->id);
	randombytes_buf(rnd, sizeof(rnd));
	in->final_name = sf_xasprintf("%lld-%02x%02x%02x%02x", in->id, rnd[0], rnd[1], rnd[2],
				      rnd[3]);
	in->tmp = sf_xasprintf("%s/.tmp-%s", in->root, in->final_name);
	if (mkdir(in->tmp, 0755) < 0)
		return sf_error(SF_EINTERNAL, "cannot create '%s': %s", in->tmp, strerror(errno));
	in->phase = "probing";
	if (in->progress)
		in->progress(in->arg, "probing", 0, 0, 0);
	if ((rc = sf_ffmpeg_probe(in->source, &in->probe)))
		return rc;
	if (in->probe.fps >= 1 && in->probe.fps <= 60)
		snprintf(in->fps, sizeof(in->fps), "%.6g", in->probe.fps);
	else
		snprintf(in->fps, sizeof(in->fps), "30");
	if (!strcmp(in->ladder_name, "auto") && (rc = complexity(in, &factor)))
		return rc;
	sf_ladder_make(in->probe.width, in->probe.height, factor, &in->ladder);
	if ((rc = encode(in)))
		return rc;
	for (int i = 0; i < in->ladder.n; i++)
		if ((rc = read_playlist(in, i)))
			return rc;
	/* A truncated source: ffprobe promised more than ffmpeg could read. */
	if (in->r[0].duration < in->probe.duration * 0.9 - 0.5)
		return sf_error(SF_EINVAL, "source '%s': truncated: %.1f s of %.1f s could be read",
				in->source, in->r[0].duration, in->probe.duration);
	if ((rc = poster(in)) || (rc = thumbs_vtt(in)))
		return rc;
	if (in->progress)
		in->progress(in->arg, "finishing", in->probe.duration, in->probe.duration, 0);
	return sf_db_tx(db, 0, publish_tx, in);
}

int sf_media_work(struct sf_db *db, const char *worker, long long id,
		  sf_media_progress_fn *progress, void *arg, struct sf_job *job,
		  char **job_error)
{
	struct ingest in = { .progress = progress, .arg = arg };
	int requeued = 0, rc;

	*job_error = NULL;
	sf_job_reap(db, NULL);
	rc = sf_job_claim(db, worker, id, job);
	if (rc)
		return rc;
	in.id = job->asset_id;
	rc = run(db, &in);
	if (in.tmp)
		sf_media_rmtree(in.tmp);
	if (!rc) {
		rc = sf_job_done(db, job);
	} else {
		int retry = rc != SF_EINVAL && rc != SF_ENOTFOUND;

		*job_error = sf_xstrdup(sf_error_message());
		rc = sf_job_fail(db, job, *job_error, retry, &requeued);
		if (!rc)
			rc = set_status(db, in.id, requeued ? "queued" : "failed", *job_error);
	}
	free(in.source);
	free(in.ladder_name);
	free(in.root);
	free(in.tmp);
	free(in.final_name);
	return rc;
}
