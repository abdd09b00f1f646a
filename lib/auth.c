/* Registration authenticators over OpenSSL 3 EVP_MAC / EVP_Digest (see auth.h). */
#include "lib/auth.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

enum { AUTH_SLOT_MD5, AUTH_SLOT_SHA1, AUTH_SLOT_SHA256, AUTH_SLOTS };

/* RFC 4721 §8: only the least-order 237 octets of the challenge follow the hash. */
#define CHAP_CHALLENGE_TAIL 237
#define AUTH_KEY_CACHE 64

struct auth_ctx {
	EVP_MAC *hmac;
	EVP_MAC_CTX *mac[AUTH_SLOTS]; /* digest set once; re-keyed by each EVP_MAC_init */
	/* The key each context holds: a request is verified and its reply signed
	 * with the same key, and re-keying costs as much as the MAC itself. */
	uint8_t keyed[AUTH_SLOTS][AUTH_KEY_CACHE];
	size_t keyed_len[AUTH_SLOTS];
	EVP_MD *md5;
	EVP_MD_CTX *md;
};

static const struct {
	enum auth_alg alg;
	const char *name;
	const char *digest;
	size_t len;
} algs[AUTH_SLOTS] = {
	[AUTH_SLOT_MD5] = { AUTH_HMAC_MD5, "hmac-md5", "MD5", 16 },
	[AUTH_SLOT_SHA1] = { AUTH_HMAC_SHA1, "hmac-sha1", "SHA1", 20 },
	[AUTH_SLOT_SHA256] = { AUTH_HMAC_SHA256, "hmac-sha256", "SHA256", 32 },
};

static int slot_of(enum auth_alg alg)
{
	for (int i = 0; i < AUTH_SLOTS; i++)
		if (algs[i].alg == alg)
			return i;
	return -1;
}

size_t auth_alg_len(enum auth_alg alg)
{
	int i = slot_of(alg);
	return i < 0 ? 0 : algs[i].len;
}

const char *auth_alg_name(enum auth_alg alg)
{
	int i = slot_of(alg);
	return i < 0 ? NULL : algs[i].name;
}

bool auth_alg_parse(const char *name, enum auth_alg *alg)
{
	if (name == NULL)
		return false;
	for (int i = 0; i < AUTH_SLOTS; i++)
		if (strcmp(name, algs[i].name) == 0) {
			*alg = algs[i].alg;
			return true;
		}
	return false;
}

struct auth_ctx *auth_ctx_new(void)
{
	struct auth_ctx *ctx = calloc(1, sizeof *ctx);
	if (ctx == NULL)
		return NULL;
	ctx->hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	ctx->md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	ctx->md = EVP_MD_CTX_new();
	if (ctx->hmac == NULL || ctx->md5 == NULL || ctx->md == NULL)
		goto fail;
	for (int i = 0; i < AUTH_SLOTS; i++) {
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)algs[i].digest, 0),
			OSSL_PARAM_construct_end(),
		};
		ctx->mac[i] = EVP_MAC_CTX_new(ctx->hmac);
		if (ctx->mac[i] == NULL || !EVP_MAC_CTX_set_params(ctx->mac[i], params))
			goto fail;
	}
	return ctx;
fail:
	auth_ctx_free(ctx);
	return NULL;
}

void auth_ctx_free(struct auth_ctx *ctx)
{
	if (ctx == NULL)
		return;
	/* Freeing a context makes the provider cleanse its keyed state. */
	for (int i = 0; i < AUTH_SLOTS; i++)
		EVP_MAC_CTX_free(ctx->mac[i]);
	OPENSSL_cleanse(ctx->keyed, sizeof ctx->keyed);
	EVP_MAC_free(ctx->hmac);
	EVP_MD_CTX_free(ctx->md);
	EVP_MD_free(ctx->md5);
	free(ctx);
}

int auth_hmacv(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
               const struct auth_iov *iov, size_t n, uint8_t *out)
{
	int i = slot_of(alg);
	/* EVP_MAC_init with a NULL key keeps the previous call's key: done only
	 * when the octets are those of keyed[i]; an empty key is refused rather
	 * than risk authenticating with another's. */
	if (ctx == NULL || i < 0 || key == NULL || keylen == 0 || out == NULL)
		return -1;
	EVP_MAC_CTX *mac = ctx->mac[i];
	bool same = keylen == ctx->keyed_len[i] && CRYPTO_memcmp(key, ctx->keyed[i], keylen) == 0;
	if (!EVP_MAC_init(mac, same ? NULL : key, same ? 0 : keylen, NULL)) {
		ctx->keyed_len[i] = 0;
		return -1;
	}
	if (!same) {
		OPENSSL_cleanse(ctx->keyed[i], sizeof ctx->keyed[i]);
		ctx->keyed_len[i] = keylen <= AUTH_KEY_CACHE ? keylen : 0;
		if (ctx->keyed_len[i])
			memcpy(ctx->keyed[i], key, keylen);
	}
	for (size_t k = 0; k < n; k++)
		if (iov[k].len > 0 && !EVP_MAC_update(mac, iov[k].p, iov[k].len))
			return -1;
	size_t outl = 0;
	if (!EVP_MAC_final(mac, out, &outl, algs[i].len) || outl != algs[i].len) {
		OPENSSL_cleanse(out, algs[i].len);
		return -1;
	}
	return 0;
}

int auth_hmac(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
              const uint8_t *data, size_t len, uint8_t *out)
{
	struct auth_iov iov = { data, len };
	return auth_hmacv(ctx, alg, key, keylen, &iov, 1, out);
}

int auth_hmac2(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
               const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t *out)
{
	struct auth_iov iov[2] = { { a, alen }, { b, blen } };
	return auth_hmacv(ctx, alg, key, keylen, iov, 2, out);
}

int auth_sign(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
              uint8_t *buf, size_t auth_off)
{
	if (buf == NULL || auth_off == 0)
		return -1;
	return auth_hmac(ctx, alg, key, keylen, buf, auth_off, buf + auth_off);
}

/* The authenticator view must lie inside the message, right after the covered
 * octets; a hand-filled or stale reg_auth must not send us reading elsewhere. */
static bool auth_view_ok(const struct reg_msg *m, const struct reg_auth *a, size_t want)
{
	if (m == NULL || a == NULL || !a->present || m->buf == NULL || a->authenticator.p == NULL)
		return false;
	if (a->authenticator.len != want || a->covered_len == 0 || a->covered_len > m->len)
		return false;
	if (a->authenticator.p != m->buf + a->covered_len || want > m->len - a->covered_len)
		return false;
	return true;
}

bool auth_verify(struct auth_ctx *ctx, enum auth_alg alg, const uint8_t *key, size_t keylen,
                 const struct reg_msg *m, const struct reg_auth *a)
{
	size_t want = auth_alg_len(alg);
	uint8_t mac[AUTH_MAX_LEN];
	if (want == 0 || !auth_view_ok(m, a, want))
		return false;
	if (auth_hmac(ctx, alg, key, keylen, m->buf, a->covered_len, mac) != 0)
		return false;
	bool ok = CRYPTO_memcmp(mac, a->authenticator.p, want) == 0;
	OPENSSL_cleanse(mac, sizeof mac);
	return ok;
}

/* RFC 3012/4721 §8 CHAP-style:
 * MD5(challenge[0] || key || MD5(covered) || challenge[max(0, len-237) ..]). */
static int chap_md5(struct auth_ctx *ctx, const uint8_t *key, size_t keylen,
                    const uint8_t *msg, size_t covered_len,
                    const uint8_t *challenge, size_t challenge_len, uint8_t out[16])
{
	static const uint8_t zero_challenge[1] = { 0 };
	uint8_t inner[16];
	unsigned int l1 = 0, l2 = 0;
	int rc = -1;

	if (challenge == NULL) {
		challenge = zero_challenge;
		challenge_len = sizeof zero_challenge;
	}
	if (challenge_len == 0)
		return -1;
	size_t tail_off = challenge_len > CHAP_CHALLENGE_TAIL ? challenge_len - CHAP_CHALLENGE_TAIL : 0;

	if (!EVP_DigestInit_ex(ctx->md, ctx->md5, NULL) ||
	    !EVP_DigestUpdate(ctx->md, msg, covered_len) ||
	    !EVP_DigestFinal_ex(ctx->md, inner, &l1) || l1 != sizeof inner)
		goto out;
	if (!EVP_DigestInit_ex(ctx->md, ctx->md5, NULL) ||
	    !EVP_DigestUpdate(ctx->md, challenge, 1) ||
	    !EVP_DigestUpdate(ctx->md, key, keylen) ||
	    !EVP_DigestUpdate(ctx->md, inner, sizeof inner) ||
	    !EVP_DigestUpdate(ctx->md, challenge + tail_off, challenge_len - tail_off) ||
	    !EVP_DigestFinal_ex(ctx->md, out, &l2) || l2 != 16)
		goto out;
	rc = 0;
out:
	/* The digest state buffered the key: reset makes the provider cleanse it. */
	EVP_MD_CTX_reset(ctx->md);
	OPENSSL_cleanse(inner, sizeof inner);
	if (rc != 0)
		OPENSSL_cleanse(out, 16);
	return rc;
}

int auth_mn_aaa_compute(struct auth_ctx *ctx, uint32_t spi, const uint8_t *key, size_t keylen,
                        const uint8_t *msg, size_t covered_len,
                        const uint8_t *challenge, size_t challenge_len, uint8_t out[16])
{
	if (ctx == NULL || key == NULL || keylen == 0 || msg == NULL || covered_len == 0 || out == NULL)
		return -1;
	if (spi == REG_SPI_CHAP)
		return chap_md5(ctx, key, keylen, msg, covered_len, challenge, challenge_len, out);
	return auth_hmac(ctx, AUTH_HMAC_MD5, key, keylen, msg, covered_len, out);
}

int auth_mn_aaa_sign(struct auth_ctx *ctx, uint32_t spi, const uint8_t *key, size_t keylen,
                     uint8_t *buf, size_t auth_off,
                     const uint8_t *challenge, size_t challenge_len)
{
	if (buf == NULL)
		return -1;
	return auth_mn_aaa_compute(ctx, spi, key, keylen, buf, auth_off, challenge, challenge_len,
	                           buf + auth_off);
}

bool auth_mn_aaa_verify(struct auth_ctx *ctx, const uint8_t *key, size_t keylen,
                        const struct reg_msg *m)
{
	uint8_t mac[16];
	if (m == NULL || !auth_view_ok(m, &m->mn_aaa, sizeof mac))
		return false;
	const uint8_t *chal = m->challenge.p;
	size_t chal_len = chal != NULL ? m->challenge.len : 0;
	if (auth_mn_aaa_compute(ctx, m->mn_aaa.spi, key, keylen, m->buf, m->mn_aaa.covered_len,
	                        chal, chal_len, mac) != 0)
		return false;
	bool ok = CRYPTO_memcmp(mac, m->mn_aaa.authenticator.p, sizeof mac) == 0;
	OPENSSL_cleanse(mac, sizeof mac);
	return ok;
}

void auth_key_fp(const uint8_t *key, size_t len, uint8_t fp[AUTH_KEY_FP_LEN])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (EVP_Digest(key, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen < AUTH_KEY_FP_LEN)
		memset(fp, 0, AUTH_KEY_FP_LEN);
	else
		memcpy(fp, md, AUTH_KEY_FP_LEN);
	OPENSSL_cleanse(md, sizeof md);
}
