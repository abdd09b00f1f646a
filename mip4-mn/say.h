/*
 * mip4-mn-say: what mip4-mn writes for people and scripts: the -v transcript
 * on stderr (one timestamped line per step, never a key), JSON strings and
 * key fingerprints.
 */
#ifndef MIP4_MN_SAY_H
#define MIP4_MN_SAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* "HH:MM:SS.mmm mip4-mn: ..." on stderr. */
void mn_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s[len] as a JSON string literal (quotes, escapes). */
void mn_json_string(FILE *out, const char *s, size_t len);

/* The first 8 octets of SHA-256(key): what is printed instead of a key. */
void mn_key_fp(const uint8_t *key, size_t len, uint8_t fp[8]);

#endif
