/*
 * sign_md5.h - MD5 (RFC 1321), for nginx secure_link signatures only.
 *
 * MD5 is broken as a collision-resistant hash; secure_link uses it as a
 * keyed MAC over short strings, which is what media_sign.c needs to stay
 * compatible with stock nginx.  Nothing else in sf should use it.
 */
#ifndef SF_SIGN_MD5_H
#define SF_SIGN_MD5_H

#include <stddef.h>

void sf_md5(const void *data, size_t len, unsigned char out[16]);

#endif
