/*
 * auth: the authenticators of Mobile IPv4 registration messages.
 *
 * MN-HA, MN-FA, FA-HA (RFC 5944 §3.5): HMAC-MD5 or HMAC-SHA-1, keyed with the
 * security association's key, over every octet of the message up to and
 * including the extension's SPI.  MN-AAA (RFC 4721 §6, §8): HMAC-MD5 for any SPI
 * but CHAP_SPI (2), which uses the RADIUS CHAP-style MD5 with the FA challenge,
 * or the single zero octet when there is none (co-located care-of address).
 *
 * Verification compares in constant time (CRYPTO_memcmp).  Nothing here keeps a
 * key: keys are passed in for each call and never copied beyond the OpenSSL
 * context, which is re-initialised on the next call.
 */
#ifndef MIP4_AUTH_H
#define MIP4_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/reg.h"

/* Values are the IPsec "Authentication Algorithm" numbers RFC 3957 uses in the
 * KeyGen Reply's Algorithm Identifier (and RFC 4004 MIP-Algorithm-Type 2). */
enum auth_alg {
	AUTH_HMAC_MD5 = 1,
	AUTH_HMAC_SHA1 = 2,
	AUTH_HMAC_SHA256 = 5,
};

#define AUTH_MAX_LEN 32
#define AUTH_KEY_FP_LEN 8

/* Output length of the MAC (16, 20, 32) or 0 for an unknown value. */
size_t auth_alg_len(enum auth_alg alg);
/* "hmac-md5", "hmac-sha1", "hmac-sha256"; NULL for an unknown value. */
const char *auth_alg_name(enum auth_alg alg);
/* Inverse of auth_alg_name.  Returns false for an unknown name. */
bool auth_alg_parse(const char *name, enum auth_alg *alg);

/* The first AUTH_KEY_FP_LEN octets of SHA-256(key): what logs and tests show
 * of a key, so that two parties can be seen to hold the same one (all zeros
 * when the digest fails). */
void auth_key_fp(const uint8_t *key, size_t len, uint8_t fp[AUTH_KEY_FP_LEN]);

/* Reusable OpenSSL MAC and digest contexts, fetched once.  Not thread-safe: one
 * per thread.  NULL on allocation failure. */
struct auth_ctx;
struct auth_ctx *auth_ctx_new(void);
void auth_ctx_free(struct auth_ctx *ctx);

/* HMAC(key, data) into out[auth_alg_len(alg)].  Returns 0, or -1 on error. */
int auth_hmac(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
              const uint8_t *data, size_t len, uint8_t *out);
/* Same over the concatenation a || b (RFC 3957 nonce || identifier, say). */
int auth_hmac2(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
               const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t *out);

/* Short-form authentication extension (32/33/34): fill the authenticator that
 * reg_build_auth() reserved at buf[auth_off], computed over buf[0, auth_off). */
int auth_sign(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
              uint8_t *buf, size_t auth_off);
/* Check a parsed authentication extension (a points into m).  False when the
 * authenticator length is not the algorithm's or the value differs. */
bool auth_verify(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
                 const struct reg_msg *m, const struct reg_auth *a);

/* MN-AAA (36/1).  The algorithm follows the SPI: REG_SPI_CHAP → CHAP-style MD5
 * with challenge (or one zero octet when challenge is NULL), any other SPI →
 * HMAC-MD5.  Writes 16 octets. */
int auth_mn_aaa_compute(struct auth_ctx *ctx, uint32_t spi, const uint8_t *key, size_t keylen,
                        const uint8_t *msg, size_t covered_len,
                        const uint8_t *challenge, size_t challenge_len, uint8_t out[16]);
/* Fill a 36/1 authenticator reserved by reg_build_auth() (16 octets). */
int auth_mn_aaa_sign(struct auth_ctx *ctx, uint32_t spi, const uint8_t *key, size_t keylen,
                     uint8_t *buf, size_t auth_off,
                     const uint8_t *challenge, size_t challenge_len);
/* Verify m->mn_aaa, using m->challenge when present. */
bool auth_mn_aaa_verify(struct auth_ctx *ctx, const uint8_t *key, size_t keylen,
                        const struct reg_msg *m);

/* Added for the GBA KDF: HMAC over the concatenation of n pieces, so no buffer
 * has to hold the whole input. */
struct auth_iov {
	const uint8_t *p;
	size_t len;
};
int auth_hmacv(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
               const struct auth_iov *iov, size_t n, uint8_t *out);

#endif
