/* auth: HMAC known answers, MN-HA and MN-AAA authenticators, the RFC-NOTES §7
 * worked example, and the cost of one HMAC. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/auth.h"
#include "tests/unit/vectors.h"

TestSuite(auth, .init = vectors_ctx_setup, .fini = vectors_ctx_teardown);

static void check_set(const char *set, enum auth_alg alg)
{
	size_t n = vectors_hmac_count(set);
	cr_assert_gt(n, 0, "no cases in %s", set);
	for (size_t i = 0; i < n; i++) {
		struct vectors_hmac v = vectors_hmac(set, i);
		uint8_t out[AUTH_MAX_LEN];
		cr_assert_eq(v.mac.len, auth_alg_len(alg));
		cr_assert_eq(auth_hmac(vectors_ctx, alg, v.key.p, v.key.len, v.data.p, v.data.len, out), 0);
		cr_expect_arr_eq(out, v.mac.p, v.mac.len, "%s case %zu", set, i);
		/* Every split of the input gives the same MAC. */
		for (size_t cut = 0; cut <= v.data.len; cut++) {
			memset(out, 0, sizeof out);
			cr_assert_eq(auth_hmac2(vectors_ctx, alg, v.key.p, v.key.len, v.data.p, cut,
			                        v.data.p + cut, v.data.len - cut, out), 0);
			cr_expect_arr_eq(out, v.mac.p, v.mac.len, "%s case %zu split at %zu", set, i, cut);
		}
	}
}

Test(auth, hmac_md5_rfc2202) { check_set("hmac_md5_rfc2202", AUTH_HMAC_MD5); }
Test(auth, hmac_sha1_rfc2202) { check_set("hmac_sha1_rfc2202", AUTH_HMAC_SHA1); }
Test(auth, hmac_sha256_rfc4231) { check_set("hmac_sha256_rfc4231", AUTH_HMAC_SHA256); }

/* The reused contexts must not carry one call's key or data into the next. */
Test(auth, contexts_reused_across_algorithms_and_keys)
{
	struct vectors_hmac md5 = vectors_hmac("hmac_md5_rfc2202", 0);
	struct vectors_hmac sha1 = vectors_hmac("hmac_sha1_rfc2202", 1);
	struct vectors_hmac sha256 = vectors_hmac("hmac_sha256_rfc4231", 3);
	uint8_t out[AUTH_MAX_LEN];
	for (int round = 0; round < 3; round++) {
		cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA256, sha256.key.p, sha256.key.len, sha256.data.p,
		                       sha256.data.len, out), 0);
		cr_expect_arr_eq(out, sha256.mac.p, 32);
		cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_MD5, md5.key.p, md5.key.len, md5.data.p, md5.data.len, out), 0);
		cr_expect_arr_eq(out, md5.mac.p, 16);
		cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, sha1.key.p, sha1.key.len, sha1.data.p, sha1.data.len, out), 0);
		cr_expect_arr_eq(out, sha1.mac.p, 20);
	}
}

/* A context keeps its key for the next call with the same key octets (verify,
 * then sign the reply): a key changed in place, another key, or the same key
 * again must each give what a fresh context gives. */
Test(auth, same_key_reused_changed_key_not)
{
	uint8_t key[20], data[64], a[20], b[20], c[20];
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(i + 1);
	memset(data, 0x5a, sizeof data);
	struct auth_ctx *fresh = auth_ctx_new();
	cr_assert_not_null(fresh);
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, key, 20, data, sizeof data, a), 0);
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, key, 20, data, sizeof data, b), 0);
	cr_expect_arr_eq(a, b, 20, "same key twice: same MAC");
	key[7] ^= 0x80; /* re-keyed in place, as an SA replaced by a new AAA key */
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, key, 20, data, sizeof data, b), 0);
	cr_assert_eq(auth_hmac(fresh, AUTH_HMAC_SHA1, key, 20, data, sizeof data, c), 0);
	cr_expect_arr_eq(b, c, 20, "the new key, not the kept one");
	cr_expect(memcmp(a, b, 20) != 0);
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, key, 19, data, sizeof data, b), 0);
	cr_assert_eq(auth_hmac(fresh, AUTH_HMAC_SHA1, key, 19, data, sizeof data, c), 0);
	cr_expect_arr_eq(b, c, 20, "a shorter key is another key");
	uint8_t big[100];
	memset(big, 7, sizeof big);
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, big, sizeof big, data, sizeof data, b), 0);
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, big, sizeof big, data, sizeof data, c), 0);
	cr_expect_arr_eq(b, c, 20, "keys too long to keep are set every time");
	auth_ctx_free(fresh);
}

Test(auth, hmacv_gather)
{
	struct vectors_hmac v = vectors_hmac("hmac_sha256_rfc4231", 3);
	struct auth_iov iov[4] = {
		{ v.data.p, 3 }, { v.data.p + 3, 0 }, { v.data.p + 3, 10 }, { v.data.p + 13, v.data.len - 13 },
	};
	uint8_t out[32];
	cr_assert_eq(auth_hmacv(vectors_ctx, AUTH_HMAC_SHA256, v.key.p, v.key.len, iov, 4, out), 0);
	cr_expect_arr_eq(out, v.mac.p, 32);
}

Test(auth, algorithm_names)
{
	enum auth_alg a;
	cr_expect_eq(auth_alg_len(AUTH_HMAC_MD5), 16);
	cr_expect_eq(auth_alg_len(AUTH_HMAC_SHA1), 20);
	cr_expect_eq(auth_alg_len(AUTH_HMAC_SHA256), 32);
	cr_expect_eq(auth_alg_len((enum auth_alg)3), 0);
	cr_expect_eq(auth_alg_len((enum auth_alg)0), 0);
	cr_expect_str_eq(auth_alg_name(AUTH_HMAC_MD5), "hmac-md5");
	cr_expect_str_eq(auth_alg_name(AUTH_HMAC_SHA1), "hmac-sha1");
	cr_expect_str_eq(auth_alg_name(AUTH_HMAC_SHA256), "hmac-sha256");
	cr_expect_null(auth_alg_name((enum auth_alg)4));
	const enum auth_alg all[] = { AUTH_HMAC_MD5, AUTH_HMAC_SHA1, AUTH_HMAC_SHA256 };
	for (size_t i = 0; i < 3; i++) {
		cr_expect(auth_alg_parse(auth_alg_name(all[i]), &a));
		cr_expect_eq(a, all[i]);
	}
	cr_expect(!auth_alg_parse("HMAC-MD5", &a));
	cr_expect(!auth_alg_parse("md5", &a));
	cr_expect(!auth_alg_parse("", &a));
	cr_expect(!auth_alg_parse(NULL, &a));
}

Test(auth, bad_arguments)
{
	const uint8_t key[16] = { 1 }, data[4] = { 0 };
	uint8_t out[AUTH_MAX_LEN];
	cr_expect_eq(auth_hmac(vectors_ctx, (enum auth_alg)3, key, 16, data, 4, out), -1);
	cr_expect_eq(auth_hmac(vectors_ctx, AUTH_HMAC_MD5, key, 0, data, 4, out), -1, "empty key refused");
	cr_expect_eq(auth_hmac(vectors_ctx, AUTH_HMAC_MD5, NULL, 16, data, 4, out), -1);
	cr_expect_eq(auth_hmac(NULL, AUTH_HMAC_MD5, key, 16, data, 4, out), -1);
	cr_expect_eq(auth_mn_aaa_compute(vectors_ctx, 2, key, 16, data, 4, data, 0, out), -1,
	             "a present but empty challenge");
	cr_expect_eq(auth_mn_aaa_compute(vectors_ctx, 256, key, 16, data, 0, NULL, 0, out), -1);
	auth_ctx_free(NULL);
}

/* A hand-made parse of the MN-HA vector's RRQ: its MN-HA extension (SPI 256)
 * starts 12 octets before the end of the authenticated bytes. */
static struct reg_msg mn_ha_msg(const struct vectors_mn_ha_auth *v, uint8_t *buf)
{
	struct reg_msg m;
	memset(&m, 0, sizeof m);
	memcpy(buf, v->full_rrq.p, v->full_rrq.len);
	m.buf = buf;
	m.len = v->full_rrq.len;
	m.type = REG_TYPE_RRQ;
	m.mn_ha.present = true;
	m.mn_ha.off = v->authenticated.len - 6;
	m.mn_ha.spi = v->spi;
	m.mn_ha.covered_len = v->authenticated.len;
	m.mn_ha.authenticator = (struct reg_bytes){ buf + v->authenticated.len, v->authenticator.len };
	cr_assert_eq(buf[m.mn_ha.off], REG_EXT_MN_HA_AUTH);
	return m;
}

Test(auth, mn_ha_rfc5944_vector)
{
	struct vectors_mn_ha_auth v = vectors_mn_ha_auth();
	uint8_t buf[128];
	cr_assert_leq(v.full_rrq.len, sizeof buf);
	cr_assert_arr_eq(v.full_rrq.p, v.authenticated.p, v.authenticated.len);

	/* Signing fills exactly the reserved authenticator. */
	memcpy(buf, v.authenticated.p, v.authenticated.len);
	memset(buf + v.authenticated.len, 0, v.authenticator.len);
	cr_assert_eq(auth_sign(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, buf, v.authenticated.len), 0);
	cr_expect_arr_eq(buf, v.full_rrq.p, v.full_rrq.len);

	struct reg_msg m = mn_ha_msg(&v, buf);
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &m, &m.mn_ha));
}

Test(auth, mn_ha_verify_rejects)
{
	struct vectors_mn_ha_auth v = vectors_mn_ha_auth();
	uint8_t buf[128];
	struct reg_msg m = mn_ha_msg(&v, buf);
	uint8_t other_key[16];
	memcpy(other_key, v.key.p, 16);
	other_key[15] ^= 1;
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, other_key, 16, &m, &m.mn_ha), "wrong key");
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, 15, &m, &m.mn_ha), "truncated key");
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_SHA1, v.key.p, v.key.len, &m, &m.mn_ha),
	          "16-octet authenticator under HMAC-SHA1 (length check)");
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_SHA256, v.key.p, v.key.len, &m, &m.mn_ha));
	cr_expect(!auth_verify(vectors_ctx, (enum auth_alg)9, v.key.p, v.key.len, &m, &m.mn_ha));

	for (size_t i = 0; i < v.full_rrq.len; i++) {
		buf[i] ^= 0x40;
		cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &m, &m.mn_ha),
		          "octet %zu flipped and still verified", i);
		buf[i] ^= 0x40;
	}
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &m, &m.mn_ha));

	struct reg_msg bad = m;
	bad.mn_ha.present = false;
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &bad, &bad.mn_ha), "absent");
	bad = m;
	bad.mn_ha.authenticator.len = 15;
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &bad, &bad.mn_ha), "short authenticator");
	bad = m;
	bad.len = m.len - 1;
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &bad, &bad.mn_ha),
	          "authenticator running past the message");
	bad = m;
	bad.mn_ha.covered_len = m.len + 10;
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &bad, &bad.mn_ha), "covered past the end");
	bad = m;
	bad.mn_ha.covered_len -= 1;
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, v.key.p, v.key.len, &bad, &bad.mn_ha),
	          "authenticator not right after the covered octets");
}

/* The mn_aaa_auth vector: the covered octets end with the MN-AAA header (SPI 2);
 * before it sits a 16-octet FA challenge (132). */
static struct reg_msg mn_aaa_msg(const struct vectors_mn_aaa *v, uint8_t *buf, size_t cap)
{
	struct reg_msg m;
	memset(&m, 0, sizeof m);
	cr_assert_leq(v->full_rrq_rfc3012.len, cap);
	memcpy(buf, v->full_rrq_rfc3012.p, v->full_rrq_rfc3012.len);
	size_t mn_aaa_off = v->covered.len - 8, chal_off = mn_aaa_off - 2 - v->challenge.len;
	cr_assert_eq(buf[mn_aaa_off], REG_EXT_GEN_AUTH);
	cr_assert_eq(buf[chal_off], REG_EXT_CHALLENGE);
	cr_assert_eq(buf[chal_off + 1], v->challenge.len);
	m.buf = buf;
	m.len = v->full_rrq_rfc3012.len;
	m.type = REG_TYPE_RRQ;
	m.challenge = (struct reg_bytes){ buf + chal_off + 2, v->challenge.len };
	m.mn_aaa.present = true;
	m.mn_aaa.off = mn_aaa_off;
	m.mn_aaa.spi = v->spi;
	m.mn_aaa.covered_len = v->covered.len;
	m.mn_aaa.authenticator = (struct reg_bytes){ buf + v->covered.len, 16 };
	return m;
}

Test(auth, mn_aaa_vectors)
{
	size_t n = vectors_mn_aaa_count();
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		struct vectors_mn_aaa v = vectors_mn_aaa(i);
		uint8_t out[16];
		cr_assert_eq(v.spi, REG_SPI_CHAP);
		cr_assert_eq(auth_mn_aaa_compute(vectors_ctx, REG_SPI_CHAP, v.secret.p, v.secret.len, v.covered.p,
		                                 v.covered.len, v.challenge.p, v.challenge.len, out), 0);
		cr_expect_arr_eq(out, v.rfc3012_chap.p, 16, "CHAP case %zu", i);
		/* Any other SPI is RFC 4721 HMAC-MD5 over the same octets. */
		const uint32_t spis[] = { 256, 0x1001, 3, 0xffffffff };
		for (size_t s = 0; s < 4; s++) {
			cr_assert_eq(auth_mn_aaa_compute(vectors_ctx, spis[s], v.secret.p, v.secret.len, v.covered.p,
			                                 v.covered.len, v.challenge.p, v.challenge.len, out), 0);
			cr_expect_arr_eq(out, v.rfc4721_hmac_md5.p, 16, "HMAC-MD5 case %zu SPI %u", i, spis[s]);
		}

		uint8_t buf[256];
		struct reg_msg m = mn_aaa_msg(&v, buf, sizeof buf);
		cr_expect(auth_mn_aaa_verify(vectors_ctx, v.secret.p, v.secret.len, &m), "case %zu verifies", i);
		cr_expect(!auth_mn_aaa_verify(vectors_ctx, v.secret.p, v.secret.len - 1, &m), "wrong secret");
		struct reg_msg nochal = m;
		nochal.challenge = (struct reg_bytes){ NULL, 0 };
		cr_expect(!auth_mn_aaa_verify(vectors_ctx, v.secret.p, v.secret.len, &nochal),
		          "the challenge is part of the CHAP input");
		buf[m.challenge.p - buf + 5] ^= 1;
		cr_expect(!auth_mn_aaa_verify(vectors_ctx, v.secret.p, v.secret.len, &m), "challenge altered");
		buf[m.challenge.p - buf + 5] ^= 1;
		struct reg_msg shortauth = m;
		shortauth.mn_aaa.authenticator.len = 12;
		cr_expect(!auth_mn_aaa_verify(vectors_ctx, v.secret.p, v.secret.len, &shortauth), "12-octet authenticator");

		/* Sign: the full RRQ comes back from the covered octets. */
		memcpy(buf, v.covered.p, v.covered.len);
		memset(buf + v.covered.len, 0, 16);
		cr_assert_eq(auth_mn_aaa_sign(vectors_ctx, REG_SPI_CHAP, v.secret.p, v.secret.len, buf, v.covered.len,
		                              v.challenge.p, v.challenge.len), 0);
		cr_expect_arr_eq(buf, v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len);
	}
}

/* CHAP_SPI edge cases, known answers computed with Python hashlib from the
 * formula MD5(c[0] || secret || MD5(covered) || c[max(0, len-237):]) over the
 * mn_aaa_auth vector's covered octets and secret. */
Test(auth, mn_aaa_chap_challenges)
{
	struct vectors_mn_aaa v = vectors_mn_aaa(0);
	uint8_t out[16], want[16], chal[300];
	for (size_t i = 0; i < sizeof chal; i++)
		chal[i] = (uint8_t)(i * 7 + 3);
	const struct {
		const uint8_t *c;
		size_t len;
		const char *mac;
	} cases[] = {
		{ NULL, 0, "7a3d9babf8b585d2ac54e1231900339a" },          /* co-located: one zero octet */
		{ (const uint8_t *)"\0", 1, "7a3d9babf8b585d2ac54e1231900339a" },
		{ chal, 237, "8f6b9d8e16bf684b5cc6e1accd3f4389" },        /* whole challenge follows */
		{ chal, 238, "8951003b7581055eb3b0854f9f085393" },        /* the first octet only once */
		{ chal, 300, "15a18c526c9195a19b8a728376af9761" },        /* last 237 octets */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vectors_hex(cases[i].mac, want, 16);
		cr_assert_eq(auth_mn_aaa_compute(vectors_ctx, REG_SPI_CHAP, v.secret.p, v.secret.len, v.covered.p,
		                                 v.covered.len, cases[i].c, cases[i].len, out), 0);
		cr_expect_arr_eq(out, want, 16, "challenge case %zu", i);
	}

	/* Co-located: verify without a challenge extension. */
	uint8_t buf[256];
	struct reg_msg m = mn_aaa_msg(&v, buf, sizeof buf);
	m.challenge = (struct reg_bytes){ NULL, 0 };
	cr_assert_eq(auth_mn_aaa_sign(vectors_ctx, REG_SPI_CHAP, v.secret.p, v.secret.len, buf, v.covered.len, NULL, 0), 0);
	vectors_hex(cases[0].mac, want, 16);
	cr_expect_arr_eq(buf + v.covered.len, want, 16);
	cr_expect(auth_mn_aaa_verify(vectors_ctx, v.secret.p, v.secret.len, &m));
}

/* RFC-NOTES §7 worked example (computed values; the notes are the source). */
static const char example_rrq[] =
	"01200708c000020ac0000201c6336414e8a3b2c100000001"
	"830f6d6e31406578616d706c652e6f7267"
	"2a01000400001001"
	"24010014000001001c5accbc0acc9997890b01a9b8689a50";
static const char example_rrp[] =
	"03000708c000020ac0000201e8a3b2c100000001"
	"830f6d6e31406578616d706c652e6f7267"
	"2b01002000000e10000001000000200200020002a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
	"201800001001ffa1892e6987745684bd455606bfcf2650095aa6";

Test(auth, rfc_notes_worked_example_mn_aaa)
{
	uint8_t rrq[73], aaa_key[16], want[16], out[16];
	vectors_hex(example_rrq, rrq, sizeof rrq);
	for (int i = 0; i < 16; i++)
		aaa_key[i] = (uint8_t)i;
	vectors_hex("1c5accbc0acc9997890b01a9b8689a50", want, 16);
	cr_assert_eq(rrq[49], REG_EXT_GEN_AUTH, "36/1 at offset 49");
	cr_assert_eq(auth_mn_aaa_compute(vectors_ctx, 0x100, aaa_key, 16, rrq, 57, NULL, 0, out), 0);
	cr_expect_arr_eq(out, want, 16);

	struct reg_msg m;
	memset(&m, 0, sizeof m);
	m.buf = rrq;
	m.len = sizeof rrq;
	m.nai = (struct reg_bytes){ rrq + 26, 15 };
	m.mn_aaa = (struct reg_auth){ true, 49, 0x100, { rrq + 57, 16 }, 57 };
	cr_expect(auth_mn_aaa_verify(vectors_ctx, aaa_key, 16, &m));
	aaa_key[0] ^= 1;
	cr_expect(!auth_mn_aaa_verify(vectors_ctx, aaa_key, 16, &m));
}

Test(auth, rfc_notes_worked_example_mhae)
{
	uint8_t rrp[99], k[20], want20[20], want16[16], buf[99];
	vectors_hex(example_rrp, rrp, sizeof rrp);
	vectors_hex("583596cf138f9e2a397500e76857eb193c00cf38", k, 20);
	vectors_hex("ffa1892e6987745684bd455606bfcf2650095aa6", want20, 20);
	vectors_hex("56f7c0a0d485bfc0d79a3d5a0deaf740", want16, 16);
	cr_assert_eq(rrp[73], REG_EXT_MN_HA_AUTH, "MHAE at offset 73");

	memcpy(buf, rrp, 79);
	memset(buf + 79, 0, 20);
	cr_assert_eq(auth_sign(vectors_ctx, AUTH_HMAC_SHA1, k, 20, buf, 79), 0);
	cr_expect_arr_eq(buf + 79, want20, 20, "HMAC-SHA1 MHAE");

	struct reg_msg m;
	memset(&m, 0, sizeof m);
	m.buf = rrp;
	m.len = sizeof rrp;
	m.type = REG_TYPE_RRP;
	m.mn_ha = (struct reg_auth){ true, 73, 0x1001, { rrp + 79, 20 }, 79 };
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_SHA1, k, 20, &m, &m.mn_ha));
	cr_expect(!auth_verify(vectors_ctx, AUTH_HMAC_MD5, k, 20, &m, &m.mn_ha), "20-octet MHAE under HMAC-MD5");

	/* Variant: Algorithm Identifier 1 in the 43 and an MHAE of Length 20. */
	uint8_t var[95];
	memcpy(var, rrp, 79);
	cr_assert_eq(var[53], 0);
	cr_assert_eq(var[54], 2, "Algorithm Identifier at offset 53");
	var[54] = 1;
	var[74] = 20;
	memset(var + 79, 0, 16);
	cr_assert_eq(auth_sign(vectors_ctx, AUTH_HMAC_MD5, k, 20, var, 79), 0);
	cr_expect_arr_eq(var + 79, want16, 16, "HMAC-MD5 variant");
	m.buf = var;
	m.len = sizeof var;
	m.mn_ha = (struct reg_auth){ true, 73, 0x1001, { var + 79, 16 }, 79 };
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_MD5, k, 20, &m, &m.mn_ha));
}

/* ns per HMAC-SHA1 over 100 octets with a fresh 20-octet key each call, the
 * MN-HA verify path.  The bound only catches a pathological regression. */
Test(auth, hmac_sha1_timing)
{
	uint8_t key[20], data[100], out[20];
	memset(key, 0x5a, sizeof key);
	memset(data, 0xa5, sizeof data);
	enum { N = 20000 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++) {
		key[0] = (uint8_t)i;
		cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, key, sizeof key, data, sizeof data, out), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / N;
	cr_log_info("HMAC-SHA1, 100 octets, new key per call: %.0f ns", ns);
	fprintf(stderr, "auth timing: HMAC-SHA1 over 100 octets (re-keyed): %.0f ns/op\n", ns);
	cr_expect_lt(ns, 100000.0);
}

/* The same checks through the codec: the views reg_parse_* fills are exactly
 * what auth_verify and auth_mn_aaa_verify expect. */
Test(auth, through_the_parser)
{
	uint8_t rrq[73], rrp[99], aaa_key[16], k[20];
	struct reg_msg m;
	vectors_hex(example_rrq, rrq, sizeof rrq);
	vectors_hex(example_rrp, rrp, sizeof rrp);
	vectors_hex("583596cf138f9e2a397500e76857eb193c00cf38", k, 20);
	for (int i = 0; i < 16; i++)
		aaa_key[i] = (uint8_t)i;

	cr_assert_eq(reg_parse_request(rrq, sizeof rrq, &m), REG_OK);
	cr_assert(m.mn_aaa.present);
	cr_expect_eq(m.mn_aaa.covered_len, 57);
	cr_expect(auth_mn_aaa_verify(vectors_ctx, aaa_key, 16, &m), "worked example RRQ");

	cr_assert_eq(reg_parse_reply(rrp, sizeof rrp, &m), REG_OK);
	cr_assert(m.mn_ha.present);
	cr_expect_eq(m.mn_ha.covered_len, 79);
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_SHA1, k, 20, &m, &m.mn_ha), "worked example RRP");

	struct vectors_mn_ha_auth h = vectors_mn_ha_auth();
	cr_assert_eq(reg_parse_request(h.full_rrq.p, h.full_rrq.len, &m), REG_OK);
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_MD5, h.key.p, h.key.len, &m, &m.mn_ha), "mn_ha vector");

	struct vectors_mn_aaa a = vectors_mn_aaa(0);
	cr_assert_eq(reg_parse_request(a.full_rrq_rfc3012.p, a.full_rrq_rfc3012.len, &m), REG_OK);
	cr_assert_not_null(m.challenge.p);
	cr_expect(auth_mn_aaa_verify(vectors_ctx, a.secret.p, a.secret.len, &m), "mn_aaa CHAP vector");
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_MD5, h.key.p, h.key.len, &m, &m.mn_ha),
	          "its MN-HA extension is the mn_ha vector's");
}
