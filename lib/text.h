/*
 * text.h - checks on user-supplied text: UTF-8 validity, length in
 * characters, control characters, and a safe short form of a value for
 * quoting in error messages.
 */
#ifndef SF_TEXT_H
#define SF_TEXT_H

#include <stddef.h>

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int sf_utf8_valid(const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t sf_utf8_chars(const char *s);

/* Checks a text field: valid UTF-8, no control characters, between min and
 * max characters.  On failure returns SF_EINVAL with a message naming the
 * field and the value ("name 'x...': longer than 50 characters"). */
int sf_text_check(const char *field, const char *value, size_t min, size_t max);

/* A printable, shortened copy of value for error messages: at most about
 * 40 characters, invalid bytes and control characters shown as '?'.
 * Returns one of a few rotating thread-local buffers: use it at once. */
const char *sf_text_quote(const char *value);

/* 1 if s is a non-empty string of decimal digits that fits a positive
 * 64-bit id; stores it in *id. */
int sf_text_parse_id(const char *s, long long *id);

#endif
