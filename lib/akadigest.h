/*
 * akadigest: what Digest AKA (RFC 3310) puts into HTTP Digest directives:
 *   algorithm = "AKAv1-MD5"                                  (§3.1)
 *   nonce     = base64(RAND || AUTN || server-specific data) (§3.2)
 *   auts      = base64(AUTS)                                 (§3.4)
 * The password is RES itself (§3.3), or empty next to auts (§3.4).
 */
#ifndef MIP4_AKADIGEST_H
#define MIP4_AKADIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/aka.h"
#include "lib/b64.h"

#define AKADIGEST_ALGORITHM "AKAv1-MD5"
/* Server-specific data this code writes and accepts at most. */
#define AKADIGEST_SDATA_MAX 32
#define AKADIGEST_NONCE_MAX B64_ENC_LEN(AKA_RAND_LEN + AKA_AUTN_LEN + AKADIGEST_SDATA_MAX)
#define AKADIGEST_AUTS_B64_LEN B64_ENC_LEN(AKA_AUTS_LEN)

/* The nonce of a challenge, NUL-terminated.  Returns its length, or 0. */
size_t akadigest_nonce_make(const uint8_t rand[AKA_RAND_LEN], const uint8_t autn[AKA_AUTN_LEN],
                            const uint8_t *sdata, size_t sdata_len, char *out, size_t cap);
/* RAND and AUTN out of a nonce: canonical base64 of 32 octets or more (at most
 * AKADIGEST_SDATA_MAX of server data). */
bool akadigest_nonce_parse(const char *nonce, size_t len, uint8_t rand[AKA_RAND_LEN],
                           uint8_t autn[AKA_AUTN_LEN]);
/* The auts directive's value and back (exactly 14 octets). */
size_t akadigest_auts_encode(const uint8_t auts[AKA_AUTS_LEN], char *out, size_t cap);
bool akadigest_auts_decode(const char *s, size_t len, uint8_t auts[AKA_AUTS_LEN]);

#endif
