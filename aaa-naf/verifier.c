#include "aaa-naf/verifier.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

/* The key lives here for one call only, so that whatever the caller does with
 * its own copy, the bytes the computation used are gone on return. */
struct verifier_key {
	uint8_t k[VERIFIER_KEY_MAX];
	size_t len;
};

static bool verifier_key_load(struct verifier_key *vk, const uint8_t *key, size_t keylen)
{
	if (!key || keylen == 0 || keylen > sizeof(vk->k))
		return false;
	memcpy(vk->k, key, keylen);
	vk->len = keylen;
	return true;
}

static void verifier_key_wipe(struct verifier_key *vk)
{
	OPENSSL_cleanse(vk, sizeof(*vk));
}

static enum verifier_outcome verifier_check_loaded(struct auth_ctx *ctx, enum verifier_alg alg,
                                                   const struct verifier_key *vk,
                                                   const struct reg_msg *rrq,
                                                   const uint8_t *challenge, size_t challenge_len)
{
	const struct reg_auth *a = &rrq->mn_aaa;
	if (!a->present || a->covered_len > rrq->len)
		return VERIFIER_BAD_INPUT;
	if (a->authenticator.len != 16)
		return VERIFIER_BAD_AUTH;
	/* auth_mn_aaa_compute picks the computation from the SPI it is given. */
	uint32_t spi = a->spi;
	if (alg == VERIFIER_ALG_CHAP)
		spi = REG_SPI_CHAP;
	else if (alg == VERIFIER_ALG_HMAC_MD5 && spi == REG_SPI_CHAP)
		spi = REG_SPI_MIN;
	uint8_t mac[16];
	if (auth_mn_aaa_compute(ctx, spi, vk->k, vk->len, rrq->buf, a->covered_len, challenge,
	                        challenge_len, mac) != 0) {
		OPENSSL_cleanse(mac, sizeof(mac));
		return VERIFIER_INTERNAL;
	}
	bool same = CRYPTO_memcmp(mac, a->authenticator.p, sizeof(mac)) == 0;
	OPENSSL_cleanse(mac, sizeof(mac));
	return same ? VERIFIER_OK : VERIFIER_BAD_AUTH;
}

enum verifier_outcome verifier_check(struct auth_ctx *ctx, enum verifier_alg alg,
                                     const uint8_t *key, size_t keylen, const struct reg_msg *rrq,
                                     const uint8_t *challenge, size_t challenge_len)
{
	struct verifier_key vk;
	if (!verifier_key_load(&vk, key, keylen))
		return VERIFIER_BAD_INPUT;
	enum verifier_outcome o = verifier_check_loaded(ctx, alg, &vk, rrq, challenge, challenge_len);
	verifier_key_wipe(&vk);
	return o;
}

enum verifier_outcome verifier_nonce(uint8_t *nonce, size_t len)
{
	if (len < REG_NONCE_MIN || len > REG_NONCE_MAX)
		return VERIFIER_BAD_INPUT;
	return RAND_bytes(nonce, (int)len) == 1 ? VERIFIER_OK : VERIFIER_INTERNAL;
}

static enum verifier_outcome verifier_derive_loaded(struct auth_ctx *ctx,
                                                    const struct verifier_key *vk,
                                                    const uint8_t *nonce, size_t nonce_len,
                                                    const struct reg_msg *rrq,
                                                    uint8_t out[KEYGEN_KEY_LEN])
{
	if (nonce_len < REG_NONCE_MIN || nonce_len > REG_NONCE_MAX)
		return VERIFIER_BAD_INPUT;
	struct reg_bytes id = keygen_identifier(rrq);
	if (!id.p || id.len == 0)
		return VERIFIER_BAD_INPUT;
	if (keygen_derive(ctx, vk->k, vk->len, nonce, nonce_len, id.p, id.len, out) != 0)
		return VERIFIER_INTERNAL;
	return VERIFIER_OK;
}

enum verifier_outcome verifier_derive(struct auth_ctx *ctx, const uint8_t *key, size_t keylen,
                                      const uint8_t *nonce, size_t nonce_len,
                                      const struct reg_msg *rrq, uint8_t out[KEYGEN_KEY_LEN])
{
	struct verifier_key vk;
	if (!verifier_key_load(&vk, key, keylen))
		return VERIFIER_BAD_INPUT;
	enum verifier_outcome o = verifier_derive_loaded(ctx, &vk, nonce, nonce_len, rrq, out);
	verifier_key_wipe(&vk);
	if (o != VERIFIER_OK)
		OPENSSL_cleanse(out, KEYGEN_KEY_LEN);
	return o;
}

/* A nonce of its own, then the key derived from it (RFC 3957 §5). */
static enum verifier_outcome verifier_fresh_key(struct auth_ctx *ctx, const struct verifier_key *vk,
                                                const struct reg_msg *rrq, size_t nonce_len, uint8_t *nonce,
                                                size_t *nonce_len_out, uint8_t key[KEYGEN_KEY_LEN], bool *has)
{
	enum verifier_outcome o = verifier_nonce(nonce, nonce_len);
	if (o != VERIFIER_OK)
		return o;
	*nonce_len_out = nonce_len;
	o = verifier_derive_loaded(ctx, vk, nonce, nonce_len, rrq, key);
	*has = o == VERIFIER_OK;
	return o;
}

enum verifier_outcome verifier_run(struct auth_ctx *ctx, enum verifier_alg alg,
                                   const uint8_t *key, size_t keylen, const struct reg_msg *rrq,
                                   const uint8_t *challenge, size_t challenge_len,
                                   unsigned want, size_t nonce_len, struct verifier_result *r)
{
	memset(r, 0, sizeof(*r));
	struct verifier_key vk;
	if (!verifier_key_load(&vk, key, keylen))
		return VERIFIER_BAD_INPUT;
	enum verifier_outcome o = verifier_check_loaded(ctx, alg, &vk, rrq, challenge, challenge_len);
	if (o == VERIFIER_OK && (want & VERIFIER_WANT_MN_HA))
		o = verifier_fresh_key(ctx, &vk, rrq, nonce_len, r->nonce, &r->nonce_len, r->mn_ha_key, &r->has_key);
	if (o == VERIFIER_OK && (want & VERIFIER_WANT_MN_FA))
		o = verifier_fresh_key(ctx, &vk, rrq, nonce_len, r->fa_nonce, &r->fa_nonce_len, r->mn_fa_key,
		                       &r->has_fa_key);
	verifier_key_wipe(&vk);
	if (o != VERIFIER_OK)
		verifier_result_wipe(r);
	return o;
}

void verifier_result_wipe(struct verifier_result *r)
{
	OPENSSL_cleanse(r, sizeof(*r));
}

static const char *const verifier_alg_names[] = {
	[VERIFIER_ALG_BY_SPI] = "by-spi",
	[VERIFIER_ALG_HMAC_MD5] = "hmac-md5",
	[VERIFIER_ALG_CHAP] = "chap",
};

const char *verifier_alg_name(enum verifier_alg alg)
{
	if ((size_t)alg >= sizeof(verifier_alg_names) / sizeof(verifier_alg_names[0]))
		return NULL;
	return verifier_alg_names[alg];
}

bool verifier_alg_parse(const char *name, enum verifier_alg *alg)
{
	for (size_t i = 0; i < sizeof(verifier_alg_names) / sizeof(verifier_alg_names[0]); i++) {
		if (strcmp(name, verifier_alg_names[i]) == 0) {
			*alg = (enum verifier_alg)i;
			return true;
		}
	}
	return false;
}
