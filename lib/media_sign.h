/*
 * media_sign.h - signed, expiring media URLs in the format of nginx's
 * secure_link module, so a stock nginx or CDN edge verifies the URLs sf
 * signs (ARCHITECTURE.md, "Media").
 *
 * One signature covers an asset's directory: its master playlist, the
 * rendition playlists, the segments, poster, thumbnails and subtitles.
 * HLS players resolve the relative URIs inside a playlist against the
 * playlist's URL and drop its query string, so the signature travels in
 * the path, where relative URIs keep it:
 *
 *	/media/<md5>/<expires>/<dir>/<file>
 *
 * md5 is base64url (no padding) of the binary MD5 of
 * "<expires>/media/<dir>/<secret>": secure_link's "expires + path-prefix
 * + secret", the prefix being the asset's directory.  nginx checks it
 * with (sf media nginx prints this):
 *
 *	secure_link $sf_md5,$sf_expires;
 *	secure_link_md5 "$sf_expires/media$sf_dir<secret>";
 *
 * The secret is the one sf already has (SF_SECRET, else $SF_HOME/secret,
 * token.h), never used raw: the media secret is hex(HMAC-SHA256(secret,
 * "sf media url v1")), so an nginx config that holds it can sign media
 * URLs and nothing else.
 */
#ifndef SF_MEDIA_SIGN_H
#define SF_MEDIA_SIGN_H

#define SF_MEDIA_SECRET_LEN 64          /* hex digits */
#define SF_MEDIA_URL_TTL 21600          /* default lifetime: 6 hours */

/* The media secret, 64 hex digits and a NUL. */
int sf_media_secret(char secret[SF_MEDIA_SECRET_LEN + 1]);

/* "/media/<md5>/<expires>/<dir>/<file>" for the asset directory dir (one
 * path segment) and file (relative, may be ""); caller frees. */
char *sf_media_sign(const char *secret, const char *dir, const char *file,
		    long long expires);

/* What a verified URL names. */
struct sf_media_access {
	char *dir;        /* the asset directory */
	char *file;       /* the file under it, checked: no "..", no empty parts */
	int expired;      /* set with SF_EFORBIDDEN when only the time is wrong */
};

/* Checks a request path (without its query) at time now.  0 when it is
 * well formed, signed with secret and not expired; fills *out (released
 * with sf_media_access_release).  Otherwise SF_EFORBIDDEN: with
 * out->expired set when the signature is right but expired (a route
 * answers 410), clear for a tampered, unsigned or malformed path (403). */
int sf_media_verify(const char *secret, const char *path, long long now,
		    struct sf_media_access *out);
void sf_media_access_release(struct sf_media_access *a);

#endif
