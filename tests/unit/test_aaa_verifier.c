/* The verifier alone: MN-AAA authenticators (both RFC 4721 computations) and the
 * RFC 3957 key derivation against the published/computed vectors, the NAI vs
 * home-address identifier rule, nonce rules, and wiping on failure. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "aaa-naf/verifier.h"
#include "tests/unit/vectors.h"

static struct auth_ctx *ctx;
static void setup(void) { ctx = auth_ctx_new(); cr_assert_not_null(ctx); }
static void teardown(void) { auth_ctx_free(ctx); }
TestSuite(verifier, .init = setup, .fini = teardown);

/* The mn_aaa_auth vector's RRQ, with the authenticator replaced by mac. */
static size_t vector_rrq(uint8_t *buf, const struct vec *mac)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	memcpy(buf, v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len);
	memcpy(buf + v.covered.len, mac->p, mac->len);
	return v.full_rrq_rfc3012.len;
}

Test(verifier, chap_spi_vector)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len, &m), REG_OK);
	cr_assert_eq(m.mn_aaa.spi, REG_SPI_CHAP);
	cr_assert_not_null(m.challenge.p);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                            m.challenge.len), VERIFIER_OK);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_CHAP, v.secret.p, v.secret.len, &m, m.challenge.p,
	                            m.challenge.len), VERIFIER_OK);
	/* The same bytes are not an HMAC-MD5 authenticator. */
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_HMAC_MD5, v.secret.p, v.secret.len, &m, m.challenge.p,
	                            m.challenge.len), VERIFIER_BAD_AUTH);
	/* Wrong key, wrong challenge. */
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, (const uint8_t *)"mn-aaa-secreT", 13, &m,
	                            m.challenge.p, m.challenge.len), VERIFIER_BAD_AUTH);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, NULL, 0),
	             VERIFIER_BAD_AUTH);
}

Test(verifier, hmac_md5_vector)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	uint8_t buf[256];
	size_t len = vector_rrq(buf, &v.rfc4721_hmac_md5);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_HMAC_MD5, v.secret.p, v.secret.len, &m, NULL, 0),
	             VERIFIER_OK);
	/* By SPI, SPI 2 means CHAP: the HMAC authenticator fails. */
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, NULL, 0),
	             VERIFIER_BAD_AUTH);
	buf[0x30] ^= 1; /* any covered octet */
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_HMAC_MD5, v.secret.p, v.secret.len, &m, NULL, 0),
	             VERIFIER_BAD_AUTH);
}

Test(verifier, rfc3957_vector_uses_the_nai)
{
	struct vectors_mn_aaa a = vectors_mn_aaa(0);
	struct vectors_rfc3957 v = vectors_rfc3957();
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(a.full_rrq_rfc3012.p, a.full_rrq_rfc3012.len, &m), REG_OK);
	cr_assert_eq(m.nai.len, v.identifier.len);
	cr_assert_eq(memcmp(m.nai.p, v.identifier.p, v.identifier.len), 0);
	uint8_t key[KEYGEN_KEY_LEN];
	cr_assert_eq(verifier_derive(ctx, v.aaa_key.p, v.aaa_key.len, v.nonce.p, v.nonce.len, &m, key),
	             VERIFIER_OK);
	cr_assert_eq(memcmp(key, v.key.p, KEYGEN_KEY_LEN), 0);
}

/* Without an NAI extension the identifier is the 4-octet home address field. */
Test(verifier, identifier_is_home_address_without_nai)
{
	uint8_t buf[128], key[KEYGEN_KEY_LEN], want[20];
	struct reg_builder b;
	reg_build_init(&b, buf, sizeof(buf));
	struct reg_request_fixed f = { .flags = REG_FLAG_D, .lifetime = 600, .home_addr = htonl(0xc0000205),
		                       .ha_addr = htonl(0xc0000201), .coa = htonl(0xc6336401), .ident = 1 };
	reg_build_request(&b, &f);
	reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, 4096);
	size_t off = reg_build_auth(&b, REG_EXT_GEN_AUTH, 300, 16);
	cr_assert(off > 0 && b.err == REG_OK);
	const uint8_t secret[] = "static-secret";
	cr_assert_eq(auth_mn_aaa_sign(ctx, 300, secret, sizeof(secret) - 1, buf, off, NULL, 0), 0);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, b.len, &m), REG_OK);
	cr_assert_null(m.nai.p);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, secret, sizeof(secret) - 1, &m, NULL, 0), VERIFIER_OK);

	uint8_t nonce[16], data[20];
	memset(nonce, 0x5a, sizeof(nonce));
	cr_assert_eq(verifier_derive(ctx, secret, sizeof(secret) - 1, nonce, sizeof(nonce), &m, key), VERIFIER_OK);
	memcpy(data, nonce, 16);
	memcpy(data + 16, buf + 4, 4); /* home address as on the wire */
	unsigned wl = 0;
	HMAC(EVP_sha1(), secret, (int)sizeof(secret) - 1, data, sizeof(data), want, &wl);
	cr_assert_eq(wl, 20);
	cr_assert_eq(memcmp(key, want, 20), 0);
}

Test(verifier, run_draws_nonce_and_derives)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len, &m), REG_OK);
	struct verifier_result r1, r2;
	uint8_t k[KEYGEN_KEY_LEN];
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_HA, 20, &r1), VERIFIER_OK);
	cr_assert(r1.has_key);
	cr_assert_eq(r1.nonce_len, 20);
	cr_assert_eq(verifier_derive(ctx, v.secret.p, v.secret.len, r1.nonce, r1.nonce_len, &m, k), VERIFIER_OK);
	cr_assert_eq(memcmp(k, r1.mn_ha_key, KEYGEN_KEY_LEN), 0);
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_HA, 16, &r2), VERIFIER_OK);
	cr_assert_neq(memcmp(r1.nonce, r2.nonce, 16), 0, "two runs drew the same nonce");
	/* Authenticate only. */
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_NOTHING, 16, &r2), VERIFIER_OK);
	cr_assert_not(r2.has_key);
	cr_assert_eq(r2.nonce_len, 0);
	verifier_result_wipe(&r1);
	verifier_result_wipe(&r2);
}

Test(verifier, run_derives_mn_fa_key_with_its_own_nonce)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len, &m), REG_OK);
	struct verifier_result r;
	uint8_t k[KEYGEN_KEY_LEN];
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_HA | VERIFIER_WANT_MN_FA, 16, &r), VERIFIER_OK);
	cr_assert(r.has_key && r.has_fa_key);
	cr_assert_eq(r.fa_nonce_len, 16);
	cr_assert_neq(memcmp(r.nonce, r.fa_nonce, 16), 0, "RFC 3957 §5: each key has its own nonce");
	cr_assert_eq(verifier_derive(ctx, v.secret.p, v.secret.len, r.fa_nonce, r.fa_nonce_len, &m, k), VERIFIER_OK);
	cr_assert_eq(memcmp(k, r.mn_fa_key, KEYGEN_KEY_LEN), 0);
	cr_assert_neq(memcmp(r.mn_ha_key, r.mn_fa_key, KEYGEN_KEY_LEN), 0);
	/* The MN-FA key alone. */
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_FA, 16, &r), VERIFIER_OK);
	cr_assert(!r.has_key && r.has_fa_key && r.nonce_len == 0);
	verifier_result_wipe(&r);
}

Test(verifier, failures_leave_nothing)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len, &m), REG_OK);
	struct verifier_result r, zero;
	memset(&zero, 0, sizeof(zero));
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, (const uint8_t *)"wrong", 5, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_HA, 16, &r), VERIFIER_BAD_AUTH);
	cr_assert_eq(memcmp(&r, &zero, sizeof(r)), 0);
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_HA, 15, &r), VERIFIER_BAD_INPUT);
	cr_assert_eq(memcmp(&r, &zero, sizeof(r)), 0);
	cr_assert_eq(verifier_run(ctx, VERIFIER_ALG_BY_SPI, v.secret.p, v.secret.len, &m, m.challenge.p,
	                          m.challenge.len, VERIFIER_WANT_MN_HA, 65, &r), VERIFIER_BAD_INPUT);
	uint8_t big[VERIFIER_KEY_MAX + 1] = { 0 };
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, big, sizeof(big), &m, NULL, 0), VERIFIER_BAD_INPUT);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, big, 0, &m, NULL, 0), VERIFIER_BAD_INPUT);
	uint8_t n[16];
	cr_assert_eq(verifier_nonce(n, 15), VERIFIER_BAD_INPUT);
	cr_assert_eq(verifier_nonce(n, 16), VERIFIER_OK);
}

Test(verifier, no_mn_aaa_extension)
{
	struct vectors_mn_ha_auth v = vectors_mn_ha_auth();
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(v.full_rrq.p, v.full_rrq.len, &m), REG_OK);
	cr_assert_eq(verifier_check(ctx, VERIFIER_ALG_BY_SPI, v.key.p, v.key.len, &m, NULL, 0), VERIFIER_BAD_INPUT);
}

Test(verifier, alg_names)
{
	enum verifier_alg a;
	cr_assert(verifier_alg_parse("chap", &a) && a == VERIFIER_ALG_CHAP);
	cr_assert(verifier_alg_parse("hmac-md5", &a) && a == VERIFIER_ALG_HMAC_MD5);
	cr_assert(verifier_alg_parse("by-spi", &a) && a == VERIFIER_ALG_BY_SPI);
	cr_assert_not(verifier_alg_parse("md5", &a));
	cr_assert_str_eq(verifier_alg_name(VERIFIER_ALG_CHAP), "chap");
}
