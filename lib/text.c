/*
 * text.c - UTF-8 and field checks shared by every domain module.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "text.h"

/* Decodes one code point at s (at most n bytes); returns its length in
 * bytes, or 0 when the sequence is malformed. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int sf_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (len > 0) {
		size_t k = utf8_next(p, len, &cp);

		if (!k || cp == 0)
			return 0;
		p += k;
		len -= k;
	}
	return 1;
}

size_t sf_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int sf_text_check(const char *field, const char *value, size_t min, size_t max)
{
	size_t chars;

	if (!sf_utf8_valid(value, strlen(value)))
		return sf_error(SF_EINVAL, "%s '%s': not valid UTF-8", field,
				sf_text_quote(value));
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return sf_error(SF_EINVAL, "%s '%s': contains a control character",
					field, sf_text_quote(value));
	chars = sf_utf8_chars(value);
	if (chars < min)
		return sf_error(SF_EINVAL, min == 1 ? "%s '%s': must not be empty"
				: "%s '%s': shorter than %zu characters",
				field, sf_text_quote(value), min);
	if (chars > max)
		return sf_error(SF_EINVAL, "%s '%s': longer than %zu characters",
				field, sf_text_quote(value), max);
	return 0;
}

const char *sf_text_quote(const char *value)
{
	static _Thread_local char bufs[4][64];
	static _Thread_local int next;
	char *out = bufs[next++ & 3];
	const unsigned char *p = (const unsigned char *)value;
	size_t o = 0, chars = 0, left = strlen(value);
	uint32_t cp;

	while (left > 0 && o < 48) {
		size_t k = utf8_next(p, left, &cp);

		if (chars == 40) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (!k || cp < 0x20 || cp == 0x7f) {
			out[o++] = '?';
			k = k ? k : 1;
		} else {
			memcpy(out + o, p, k);
			o += k;
		}
		p += k;
		left -= k;
		chars++;
	}
	out[o] = '\0';
	return out;
}

int sf_text_parse_id(const char *s, long long *id)
{
	char *end;
	long long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return 0;
	*id = v;
	return 1;
}
