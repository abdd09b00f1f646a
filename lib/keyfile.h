/*
 * keyfile: what the files holding keys (bootstrap stores, subscriber files)
 * share: the whole file read into one buffer that the caller wipes, so that
 * no stdio buffer keeps a copy of a key, and fixed-width hex fields.
 */
#ifndef MIP4_KEYFILE_H
#define MIP4_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Read fd to its end into a new buffer of *len octets plus a NUL.  0, or -1
 * (errno set; EFBIG beyond max octets).  Free with OPENSSL_clear_free(*out,
 * *len + 1). */
int keyfile_read(int fd, size_t max, char **out, size_t *len);

/* Exactly 2 * n hex digits (either case) into out[n]. */
bool keyfile_hex(const char *p, size_t len, uint8_t *out, size_t n);
/* n octets as 2 * n lowercase hex digits (no NUL). */
void keyfile_hex_out(const uint8_t *p, size_t n, char *out);

#endif
