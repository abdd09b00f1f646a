/*
 * verifier: the only code of the AAA that touches MN-AAA keys (Ks_NAF or a static
 * RFC 3957 secret).  It checks the MN-AAA authenticator of a Registration
 * Request (RFC 4721 §6 HMAC-MD5, or the §8 CHAP-style MD5 for CHAP_SPI), draws
 * the key generation nonces and derives the MN-HA key and, through a foreign
 * agent, the MN-FA key (RFC 3957 §5: the same formula, each key with its own
 * nonce).
 *
 * Keys are copied into a private buffer for the duration of one call and wiped
 * before it returns; comparisons are constant-time; nothing here logs.  The
 * auth_ctx argument is the caller's per-thread OpenSSL context (lib/auth.h).
 */
#ifndef AAA_VERIFIER_H
#define AAA_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "lib/keygen.h"
#include "lib/reg.h"

#define VERIFIER_KEY_MAX 64     /* longest MN-AAA key accepted */
#define VERIFIER_NONCE_DEFAULT 16

/* Which MN-AAA computation a key is used with. */
enum verifier_alg {
	VERIFIER_ALG_BY_SPI,   /* CHAP_SPI (2) → CHAP-style MD5, any other SPI → HMAC-MD5 */
	VERIFIER_ALG_HMAC_MD5, /* RFC 4721 §6 whatever the SPI */
	VERIFIER_ALG_CHAP,     /* RFC 4721 §8 whatever the SPI */
};

enum verifier_outcome {
	VERIFIER_OK,
	VERIFIER_BAD_AUTH,   /* the authenticator is wrong (or not 16 octets) */
	VERIFIER_BAD_INPUT,  /* no MN-AAA extension, key too long, nonce length out of range */
	VERIFIER_INTERNAL,   /* crypto or RNG failure */
};

/* What verifier_run derives besides checking (bits). */
enum verifier_want {
	VERIFIER_WANT_NOTHING = 0,
	VERIFIER_WANT_MN_HA = 1, /* MN-HA key and its nonce */
	VERIFIER_WANT_MN_FA = 2, /* MN-FA key and its own nonce */
};

/* What a successful run hands back: the nonces for the MN, the MN-HA key for
 * the HA and the MN-FA key for the foreign agent.  The caller wipes it with
 * verifier_result_wipe() once sent. */
struct verifier_result {
	uint8_t nonce[REG_NONCE_MAX];
	size_t nonce_len;
	uint8_t mn_ha_key[KEYGEN_KEY_LEN];
	bool has_key;
	uint8_t fa_nonce[REG_NONCE_MAX];
	size_t fa_nonce_len;
	uint8_t mn_fa_key[KEYGEN_KEY_LEN];
	bool has_fa_key;
};

/* Check rrq->mn_aaa against key.  challenge is the FA challenge (the RRQ's 132
 * extension or the AMR's MIP-FA-Challenge); NULL means none (one zero octet for
 * the CHAP computation, RFC 4721 §3.5). */
enum verifier_outcome verifier_check(struct auth_ctx *ctx, enum verifier_alg alg,
                                     const uint8_t *key, size_t keylen, const struct reg_msg *rrq,
                                     const uint8_t *challenge, size_t challenge_len);

/* nonce[len] from RAND_bytes; len must be REG_NONCE_MIN..REG_NONCE_MAX. */
enum verifier_outcome verifier_nonce(uint8_t *nonce, size_t len);

/* MN-HA key = HMAC-SHA1(key, nonce || identifier), identifier = the RRQ's NAI,
 * or its 4-octet home address field when it has no NAI (RFC 3957 §5). */
enum verifier_outcome verifier_derive(struct auth_ctx *ctx, const uint8_t *key, size_t keylen,
                                      const uint8_t *nonce, size_t nonce_len,
                                      const struct reg_msg *rrq, uint8_t out[KEYGEN_KEY_LEN]);

/* The whole AAA step: check, then for each key in want (enum verifier_want
 * bits) draw a nonce_len nonce of its own and derive the key.  On any outcome
 * but VERIFIER_OK, *r is wiped. */
enum verifier_outcome verifier_run(struct auth_ctx *ctx, enum verifier_alg alg,
                                   const uint8_t *key, size_t keylen, const struct reg_msg *rrq,
                                   const uint8_t *challenge, size_t challenge_len,
                                   unsigned want, size_t nonce_len, struct verifier_result *r);

void verifier_result_wipe(struct verifier_result *r);

const char *verifier_alg_name(enum verifier_alg alg);
/* "by-spi", "hmac-md5", "chap" → alg; false when unknown. */
bool verifier_alg_parse(const char *name, enum verifier_alg *alg);

#endif
