/*
 * gba: 3GPP TS 33.220 key derivation and identifiers.
 *   KDF(Key, S) = HMAC-SHA-256(Key, FC || P0 || L0 || P1 || L1 ...)   (Annex B.2)
 *   Ks_NAF = KDF(Ks, 0x01, "gba-me", RAND, IMPI, NAF_Id)            (Ks = CK || IK)
 *   Ks_int_NAF: the same with "gba-u".
 *   NAF_Id = NAF FQDN || 5-octet Ua security protocol identifier
 *   B-TID  = base64(RAND) "@" BSF domain
 */
#ifndef MIP4_GBA_H
#define MIP4_GBA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"

#define GBA_KS_LEN 32
#define GBA_RAND_LEN 16
#define GBA_KS_NAF_LEN 32
#define GBA_UA_ID_LEN 5
#define GBA_RAND_B64_LEN 24
#define GBA_FQDN_MAX 253
#define GBA_NAF_ID_MAX (GBA_FQDN_MAX + GBA_UA_ID_LEN)
#define GBA_BTID_MAX 255  /* it travels as an MN-NAI */
#define GBA_KDF_MAX_PARAMS 8

/* Default Ua security protocol ids for Mobile IPv4 (private range): method 1,
 * Ks_NAF keys the MN-AAA authenticator at the AAA/NAF; method 2 (TR 33.822
 * §7.3.3), Ks_NAF is the MN-HA key at the HA/NAF.  Two uses of the key, two ids,
 * so that one Ks_NAF never serves both. */
#define GBA_UA_ID_MIP4 { 0xff, 0x00, 0x00, 0x00, 0x01 }
#define GBA_UA_ID_MIP4_HA { 0xff, 0x00, 0x00, 0x00, 0x02 }

struct gba_param {
	const uint8_t *p;
	size_t len;  /* at most 65535 */
};

/* out[32] = KDF(key, fc, params[0..n)).  Returns 0, or -1. */
int gba_kdf(struct auth_ctx *ctx, const uint8_t *key, size_t keylen, uint8_t fc,
            const struct gba_param *params, size_t n, uint8_t out[32]);

/* Ks_NAF (gba_u = false, "gba-me") or Ks_int_NAF (gba_u = true, "gba-u"). */
int gba_ks_naf(struct auth_ctx *ctx, const uint8_t ks[GBA_KS_LEN], const uint8_t rand[GBA_RAND_LEN],
               const char *impi, size_t impi_len, const uint8_t *naf_id, size_t naf_id_len,
               bool gba_u, uint8_t out[GBA_KS_NAF_LEN]);

/* NAF_Id = fqdn || ua.  fqdn must be a valid DNS name (letters, digits, '-', '.',
 * labels 1..63, total 1..253).  Returns the length written, or 0. */
size_t gba_naf_id(const char *fqdn, const uint8_t ua[GBA_UA_ID_LEN], uint8_t *out, size_t cap);

/* Parse a hex Ua id ("ff00000001", exactly 10 hex digits). */
bool gba_ua_id_parse(const char *hex, uint8_t ua[GBA_UA_ID_LEN]);

/* B-TID = base64(rand) "@" domain, NUL-terminated.  Returns its length, or 0
 * when domain is not a valid DNS name or cap is too small. */
size_t gba_btid_format(const uint8_t rand[GBA_RAND_LEN], const char *domain, char *out, size_t cap);

/* Split and validate a B-TID: exactly 24 base64 characters decoding to 16
 * octets, "@", a valid DNS name.  On success fills rand and the domain view. */
bool gba_btid_parse(const char *btid, size_t len, uint8_t rand[GBA_RAND_LEN],
                    const char **domain, size_t *domain_len);

/* Added: the KDF input S = FC || P0 || L0 || P1 || L1 ... into out[cap] (for
 * tests and diagnostics; gba_kdf streams it instead).  Returns its length, or 0. */
size_t gba_kdf_input(uint8_t fc, const struct gba_param *params, size_t n, uint8_t *out, size_t cap);

#endif
