/*
 * b64: base64 (RFC 4648 §4, the standard alphabet with padding) as the B-TID,
 * the Digest AKA nonce and the auts directive spell it.  Decoding accepts only
 * the one canonical spelling of a value: no blanks, padding exactly where it
 * belongs, unused bits zero.
 */
#ifndef MIP4_B64_H
#define MIP4_B64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Characters that encode n octets. */
#define B64_ENC_LEN(n) (((n) + 2) / 3 * 4)

/* Encode in[len] into out (NUL-terminated).  Returns the length, or 0 when out
 * cannot hold it (cap < B64_ENC_LEN(len) + 1). */
size_t b64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

/* Decode s[len] into out[cap]; *outlen is the octet count.  False when s is not
 * canonical base64 or does not fit. */
bool b64_decode(const char *s, size_t len, uint8_t *out, size_t cap, size_t *outlen);

#endif
