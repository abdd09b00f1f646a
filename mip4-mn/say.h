/*
 * mip4-mn-say: what mip4-mn writes for people and scripts: the -v transcript
 * on stderr (one timestamped line per step, never a key) and JSON strings;
 * keys are shown by their fingerprints (auth_key_fp).
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

#endif
