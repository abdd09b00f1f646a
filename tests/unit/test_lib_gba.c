/* gba: TS 33.220 KDF, Ks_NAF / Ks_int_NAF, NAF_Id, Ua id, B-TID. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/gba.h"
#include "tests/unit/vectors.h"

TestSuite(gba, .init = vectors_ctx_setup, .fini = vectors_ctx_teardown);

static void check_kdf(const char *name)
{
	struct vectors_kdf v = vectors_kdf(name);
	struct gba_param p[VECTORS_KDF_MAX_PARAMS];
	for (size_t i = 0; i < v.n_params; i++)
		p[i] = (struct gba_param){ v.params[i].p, v.params[i].len };
	uint8_t out[32];
	cr_assert_eq(gba_kdf(vectors_ctx, v.key.p, v.key.len, v.fc, p, v.n_params, out), 0);
	cr_expect_arr_eq(out, v.out.p, 32, "KDF %s", name);
}

Test(gba, kdf_kasme) { check_kdf("kasme"); }
Test(gba, kdf_kenb) { check_kdf("kenb"); }

Test(gba, kdf_arguments)
{
	uint8_t key[32] = { 1 }, out[32], s[8];
	struct gba_param p[GBA_KDF_MAX_PARAMS + 1];
	for (size_t i = 0; i <= GBA_KDF_MAX_PARAMS; i++)
		p[i] = (struct gba_param){ key, 1 };
	cr_expect_eq(gba_kdf(vectors_ctx, key, 32, 1, p, GBA_KDF_MAX_PARAMS, out), 0);
	cr_expect_eq(gba_kdf(vectors_ctx, key, 32, 1, p, GBA_KDF_MAX_PARAMS + 1, out), -1, "too many params");
	p[0].len = 65536;
	cr_expect_eq(gba_kdf(vectors_ctx, key, 32, 1, p, 1, out), -1, "param over 65535 octets");
	p[0] = (struct gba_param){ NULL, 3 };
	cr_expect_eq(gba_kdf(vectors_ctx, key, 32, 1, p, 1, out), -1);
	p[0] = (struct gba_param){ (const uint8_t *)"ab", 2 };
	cr_expect_eq(gba_kdf_input(7, p, 1, s, sizeof s), 5);
	const uint8_t want[5] = { 7, 'a', 'b', 0, 2 };
	cr_expect_arr_eq(s, want, 5);
	cr_expect_eq(gba_kdf_input(7, p, 1, s, 4), 0, "no room");
}

Test(gba, ks_naf_vectors)
{
	size_t n = vectors_ks_naf_count();
	cr_assert_eq(n, 3);
	for (size_t i = 0; i < n; i++) {
		struct vectors_ks_naf v = vectors_ks_naf(i);
		uint8_t naf_id[GBA_NAF_ID_MAX], s[512], out[32];
		cr_assert_eq(v.ua_id.len, GBA_UA_ID_LEN);
		size_t nlen = gba_naf_id((const char *)v.naf_fqdn.p, v.ua_id.p, naf_id, sizeof naf_id);
		cr_assert_eq(nlen, v.naf_fqdn.len + GBA_UA_ID_LEN, "case %zu", i);

		/* The KDF input S, then the KDF over it, then the one-call form. */
		struct gba_param p[4] = {
			{ (const uint8_t *)"gba-me", 6 }, { v.rand.p, v.rand.len },
			{ v.impi.p, v.impi.len }, { naf_id, nlen },
		};
		size_t slen = gba_kdf_input(0x01, p, 4, s, sizeof s);
		cr_assert_eq(slen, v.s.len, "case %zu: |S|", i);
		cr_expect_arr_eq(s, v.s.p, slen, "case %zu: S", i);
		cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA256, v.ks.p, v.ks.len, s, slen, out), 0);
		cr_expect_arr_eq(out, v.ks_naf.p, 32, "case %zu: HMAC-SHA-256(Ks, S)", i);

		memset(out, 0, sizeof out);
		cr_assert_eq(gba_ks_naf(vectors_ctx, v.ks.p, v.rand.p, (const char *)v.impi.p, v.impi.len, naf_id, nlen,
		                        false, out), 0);
		cr_expect_arr_eq(out, v.ks_naf.p, 32, "case %zu: Ks_NAF", i);
	}
}

/* Ks_int_NAF ("gba-u") for the first Ks_NAF case; Python hmac/hashlib. */
Test(gba, ks_int_naf)
{
	struct vectors_ks_naf v = vectors_ks_naf(0);
	uint8_t naf_id[GBA_NAF_ID_MAX], out[32], want[32];
	size_t nlen = gba_naf_id((const char *)v.naf_fqdn.p, v.ua_id.p, naf_id, sizeof naf_id);
	cr_assert_gt(nlen, 0);
	vectors_hex("9842092fffca818f255882d4ca8fb9006b47e436c5e06a3dd92b388a8d797f12", want, 32);
	cr_assert_eq(gba_ks_naf(vectors_ctx, v.ks.p, v.rand.p, (const char *)v.impi.p, v.impi.len, naf_id, nlen,
	                        true, out), 0);
	cr_expect_arr_eq(out, want, 32);
	cr_expect_arr_neq(out, v.ks_naf.p, 32);

	const uint8_t zero[32] = { 0 };
	memset(out, 0xee, sizeof out);
	cr_expect_eq(gba_ks_naf(vectors_ctx, v.ks.p, v.rand.p, (const char *)v.impi.p, 0, naf_id, nlen, false, out), -1);
	cr_expect_arr_eq(out, zero, 32, "zeroed on failure");
	cr_expect_eq(gba_ks_naf(vectors_ctx, v.ks.p, v.rand.p, (const char *)v.impi.p, v.impi.len, naf_id,
	                        GBA_UA_ID_LEN, false, out), -1, "NAF_Id without an FQDN");
}

Test(gba, naf_id)
{
	const uint8_t ua[GBA_UA_ID_LEN] = GBA_UA_ID_MIP4;
	uint8_t out[GBA_NAF_ID_MAX];
	size_t n = gba_naf_id("aaa.home.example.org", ua, out, sizeof out);
	cr_assert_eq(n, 25);
	cr_expect_arr_eq(out, "aaa.home.example.org", 20);
	cr_expect_arr_eq(out + 20, ua, 5);
	cr_expect_eq(gba_naf_id("aaa.home.example.org", ua, out, 24), 0, "no room");
	cr_expect_eq(gba_naf_id("aaa.home.example.org", ua, out, 25), 25);

	char name[300];
	memset(name, 'a', sizeof name);
	name[63] = '\0';
	cr_expect_eq(gba_naf_id(name, ua, out, sizeof out), 68, "63-octet label");
	name[63] = 'a';
	name[64] = '\0';
	cr_expect_eq(gba_naf_id(name, ua, out, sizeof out), 0, "64-octet label");
	/* 253 octets in labels of 63: the longest name. */
	for (size_t i = 0; i < 253; i++)
		name[i] = (i % 64 == 63) ? '.' : 'b';
	name[253] = '\0';
	cr_expect_eq(gba_naf_id(name, ua, out, sizeof out), 258);
	name[253] = 'b';
	name[254] = '\0';
	cr_expect_eq(gba_naf_id(name, ua, out, sizeof out), 0, "254 octets");

	const char *bad[] = { "", ".", "a..b", "a.b.", ".a.b", "-a.b", "a-.b", "a_b.c", "a b", "naf.exa*mple.org",
	                      "naf.example.org\n", "ünï.org" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(gba_naf_id(bad[i], ua, out, sizeof out), 0, "accepted \"%s\"", bad[i]);
	cr_expect_eq(gba_naf_id("a-b.c0-9.ORG", ua, out, sizeof out), 17);
	cr_expect_eq(gba_naf_id("localhost", ua, out, sizeof out), 14, "one label");
}

Test(gba, ua_id_parse)
{
	uint8_t ua[GBA_UA_ID_LEN];
	const uint8_t mip4[GBA_UA_ID_LEN] = GBA_UA_ID_MIP4;
	cr_assert(gba_ua_id_parse("ff00000001", ua));
	cr_expect_arr_eq(ua, mip4, 5);
	cr_assert(gba_ua_id_parse("0A0b0C0d0E", ua));
	const uint8_t mixed[5] = { 0x0a, 0x0b, 0x0c, 0x0d, 0x0e };
	cr_expect_arr_eq(ua, mixed, 5);
	const char *bad[] = { "", "ff0000000", "ff000000011", "ff0000000g", "0xff000000", " ff00000001",
	                      "ff00000001 ", "ff:00:00:00:01" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(ua, 0x77, sizeof ua);
		cr_expect(!gba_ua_id_parse(bad[i], ua), "accepted \"%s\"", bad[i]);
	}
	cr_expect(!gba_ua_id_parse(NULL, ua));
}

Test(gba, btid_vector)
{
	struct vectors_btid v = vectors_btid();
	char out[GBA_BTID_MAX + 1];
	size_t n = gba_btid_format(v.rand.p, (const char *)v.domain.p, out, sizeof out);
	cr_assert_eq(n, v.btid.len);
	cr_expect_str_eq(out, (const char *)v.btid.p);
	cr_expect_eq(gba_btid_format(v.rand.p, (const char *)v.domain.p, out, n), 0, "no room for the NUL");
	cr_expect_eq(gba_btid_format(v.rand.p, (const char *)v.domain.p, out, n + 1), n);
	cr_expect_eq(gba_btid_format(v.rand.p, "bad domain", out, sizeof out), 0);
	cr_expect_eq(gba_btid_format(v.rand.p, "", out, sizeof out), 0);

	uint8_t rand[GBA_RAND_LEN];
	const char *domain = NULL;
	size_t dlen = 0;
	cr_assert(gba_btid_parse((const char *)v.btid.p, v.btid.len, rand, &domain, &dlen));
	cr_expect_arr_eq(rand, v.rand.p, 16);
	cr_expect_eq(domain, (const char *)v.btid.p + 25);
	cr_expect_eq(dlen, v.domain.len);
	cr_expect_arr_eq(domain, v.domain.p, dlen);
}

/* Every RAND round-trips, including those whose encoding uses '+' and '/'. */
Test(gba, btid_round_trip)
{
	for (int seed = 0; seed < 256; seed++) {
		uint8_t rand[16], back[16];
		char s[GBA_BTID_MAX + 1];
		for (int i = 0; i < 16; i++)
			rand[i] = (uint8_t)(seed * 31 + i * 97 + (seed ^ i));
		size_t n = gba_btid_format(rand, "bsf.example.org", s, sizeof s);
		cr_assert_eq(n, 40);
		cr_assert(gba_btid_parse(s, n, back, NULL, NULL), "%s", s);
		cr_expect_arr_eq(back, rand, 16, "%s", s);
	}
}

Test(gba, btid_rejects)
{
	const char *good = "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org";
	char long_label[128], long_total[300];
	snprintf(long_label, sizeof long_label, "I1U8vpY3qJ0hiuZNrke/NQ==@%064d.org", 0);
	/* 24 + 1 + 231 = 256 octets, one more than an NAI can carry. */
	memset(long_total, 0, sizeof long_total);
	memcpy(long_total, "I1U8vpY3qJ0hiuZNrke/NQ==@", 25);
	for (size_t i = 0; i < 231; i++)
		long_total[25 + i] = (i % 40 == 39) ? '.' : 'x';
	const char *bad[] = {
		"",
		"@bsf.example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ==",                  /* no '@' or domain */
		"I1U8vpY3qJ0hiuZNrke/NQ==bsf.example.org",   /* no '@' */
		"I1U8vpY3qJ0hiuZNrke/NQ==@",                 /* empty domain */
		"I1U8vpY3qJ0hiuZNrke/NQ=@bsf.example.org",   /* 23 characters */
		"I1U8vpY3qJ0hiuZNrke/NQ===@bsf.example.org", /* 25 characters */
		"I1U8vpY3qJ0hiuZNrke/NQA=@bsf.example.org",  /* 17 octets' worth */
		"I1U8vpY3qJ0hiuZNrke/NQAA@bsf.example.org",  /* 18 octets, no padding */
		"I1U8vpY3qJ0hiuZNrke/NR==@bsf.example.org",  /* non-canonical: stray low bits */
		"I1U8vpY3qJ0hiuZNrke*NQ==@bsf.example.org",  /* not base64 */
		"I1U8vpY3qJ0hiuZNrke_NQ==@bsf.example.org",  /* base64url is not base64 */
		"I1U8vpY3qJ0hiu=Nrke/NQ==@bsf.example.org",  /* padding inside */
		" I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org", /* leading space */
		"I1U8vpY3qJ0hiuZNrke/NQ== @bsf.example.org",
		"I1U8vpY3qJ0h uZNrke/NQ==@bsf.example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ==@ bsf.example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org ",
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org\n",
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf..example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org.",
		"I1U8vpY3qJ0hiuZNrke/NQ==@-bsf.example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf_1.example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf@example.org",
		long_label,
		long_total,
	};
	uint8_t rand[16];
	cr_assert(gba_btid_parse(good, strlen(good), rand, NULL, NULL));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect(!gba_btid_parse(bad[i], strlen(bad[i]), rand, NULL, NULL), "accepted \"%s\"", bad[i]);
	long_total[25 + 230] = '\0';
	cr_expect(gba_btid_parse(long_total, 255, rand, NULL, NULL), "255 octets is the limit");

	/* The length is what counts, not a terminator: a NUL inside is refused,
	 * and a prefix of a valid B-TID is judged on its own. */
	char withnul[64];
	memcpy(withnul, good, strlen(good) + 1);
	withnul[30] = '\0';
	cr_expect(!gba_btid_parse(withnul, strlen(good), rand, NULL, NULL));
	cr_expect(!gba_btid_parse(good, 25, rand, NULL, NULL));
	cr_expect(gba_btid_parse(good, 28, rand, NULL, NULL), "\"...@bsf\" is a valid B-TID");
	cr_expect(!gba_btid_parse(NULL, 40, rand, NULL, NULL));
}
