/*
 * version.h - sf's version, shown by "sf --version" and the API.
 */
#ifndef SF_VERSION_H
#define SF_VERSION_H

#define SF_VERSION "0.1.0"

#endif
