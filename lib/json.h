/*
 * json.h - small helpers over jansson for building the one JSON form of
 * each object.
 */
#ifndef SF_JSON_H
#define SF_JSON_H

#include <jansson.h>

/* A JSON string, or null when s is NULL. */
json_t *sf_json_str(const char *s);

/* Serializes compactly with keys in insertion order; caller frees. */
char *sf_json_dump(const json_t *j);

#endif
