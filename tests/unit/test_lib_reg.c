/*
 * lib/reg: the Registration Request / Reply codec.
 *
 * Byte strings are written in hex.  The worked example is the 73-octet RRQ and
 * 99-octet RRP of ../shared/spec/RFC-NOTES.md §7; the RFC 5944 / RFC 4721
 * requests come from vectors.json through tests/unit/vectors.h.
 *
 * Rules under test (see reg.h): per extension, truncation first, then duplicate,
 * then order (REG_ERR_ORDER), then "nothing the receiver acts on after the
 * authentication extension it relies on" (REG_ERR_AFTER_AUTH: after 32/36 in a
 * request only 32, 33, 34, 36, 132, pads and unknown skippable types may
 * follow; after 32 in a reply the same and 41), then the type's own format.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/reg.h"
#include "tests/unit/vectors.h"

/* Pieces of the worked example (RFC-NOTES §7). */
#define RRQ_FIXED "01200708 c000020a c0000201 c6336414 e8a3b2c1 00000001" /* 24 */
#define RRP_FIXED "03000708 c000020a c0000201 e8a3b2c1 00000001"          /* 20 */
#define NAI "830f 6d6e31406578616d706c652e6f7267"                         /* 17 */
#define KEYREQ "2a01 0004 00001001"                                       /* 8 */
#define A16 "1c5accbc0acc9997890b01a9b8689a50"
#define A15 "1c5accbc0acc9997890b01a9b8689a"
#define MN_AAA "2401 0014 00000100 " A16                                  /* 24 */
#define NONCE "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
#define NONCE15 "a0a1a2a3a4a5a6a7a8a9aaabacadae"
#define KEYREP "2b01 0020 00000e10 00000100 00002002 0002 0002 " NONCE    /* 36 */
#define MN_HA20 "2018 00001001 ffa1892e6987745684bd455606bfcf2650095aa6" /* 26 */
/* Other extensions for the negative table. */
#define MN_HA "2014 00000100 " A16                                        /* 22 */
#define MN_FA "2114 00000200 " A16                                        /* 22 */
#define FA_HA "2214 00000300 " A16                                        /* 22 */
#define CHAL "8410 0102030405060708090a0b0c0d0e0f10"                      /* 18 */
#define FA_KEYREP "2901 001e 00000e10 00000100 00003003 0002 " NONCE      /* 34 */

#define RRQ_73 RRQ_FIXED NAI KEYREQ MN_AAA
#define RRP_99 RRP_FIXED NAI KEYREP MN_HA20

static uint32_t ip(uint32_t host)
{
	return htonl(host);
}

static void expect_bytes(struct reg_bytes v, const void *p, size_t len, const char *what)
{
	cr_expect_eq(v.len, len, "%s: length %zu, expected %zu", what, v.len, len);
	if (v.len == len)
		cr_expect(memcmp(v.p, p, len) == 0, "%s: content differs", what);
}

/* reg_build_copy of a parsed message gives back exactly its bytes. */
static void expect_copy_identical(const struct reg_msg *m, const uint8_t *buf, size_t len, const char *what)
{
	static uint8_t out[REG_MAX_DATAGRAM];
	size_t n = reg_build_copy(m, out, sizeof out);
	cr_expect_eq(n, len, "%s: copy is %zu octets, expected %zu", what, n, len);
	if (n == len)
		cr_expect(memcmp(out, buf, len) == 0, "%s: copy differs from the input", what);
}

Test(reg, worked_example_rrq)
{
	uint8_t buf[128];
	size_t len = vectors_unhex(RRQ_73, buf, sizeof buf);
	struct reg_msg m;
	cr_assert_eq(len, 73);
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);

	cr_expect_eq(m.type, REG_TYPE_RRQ);
	cr_expect_eq(m.flags, REG_FLAG_D);
	cr_expect_eq(m.lifetime, 1800);
	cr_expect_eq(m.home_addr, ip(0xc000020a));
	cr_expect_eq(m.ha_addr, ip(0xc0000201));
	cr_expect_eq(m.coa, ip(0xc6336414));
	cr_expect_eq(m.ident, 0xe8a3b2c100000001ull);
	cr_expect_eq(m.nai.p, buf + 26);
	expect_bytes(m.nai, "mn1@example.org", 15, "nai");
	cr_expect_null(m.challenge.p);

	cr_expect(m.mn_ha_keyreq.present);
	cr_expect_eq(m.mn_ha_keyreq.off, 41);
	cr_expect_eq(m.mn_ha_keyreq.subtype, 1);
	cr_expect_eq(m.mn_ha_keyreq.mn_spi, 0x1001);
	cr_expect_eq(m.mn_ha_keyreq.data.len, 0);

	cr_expect(m.mn_aaa.present);
	cr_expect_eq(m.mn_aaa.off, 49);
	cr_expect_eq(m.mn_aaa.spi, 0x100);
	cr_expect_eq(m.mn_aaa.authenticator.p, buf + 57);
	cr_expect_eq(m.mn_aaa.authenticator.len, 16);
	cr_expect_eq(m.mn_aaa.covered_len, 57);
	cr_expect_not(m.mn_ha.present);
	cr_expect_not(m.mn_fa.present);
	cr_expect_not(m.fa_ha.present);
	cr_expect_not(m.mn_fa_keyreq.present);

	cr_assert_eq(m.n_ext, 3);
	const struct reg_ext want[] = { { 131, 24, 17 }, { 42, 41, 8 }, { 36, 49, 24 } };
	for (size_t i = 0; i < 3; i++) {
		cr_expect_eq(m.ext[i].type, want[i].type);
		cr_expect_eq(m.ext[i].off, want[i].off);
		cr_expect_eq(m.ext[i].len, want[i].len);
	}
	expect_copy_identical(&m, buf, len, "rrq-73");
}

Test(reg, worked_example_rrq_built)
{
	uint8_t want[128], buf[128];
	size_t len = vectors_unhex(RRQ_73, want, sizeof want);
	struct reg_builder b;
	reg_build_init(&b, buf, sizeof buf);
	reg_build_request(&b, &(struct reg_request_fixed){ .flags = REG_FLAG_D, .lifetime = 1800,
	                                                     .home_addr = ip(0xc000020a), .ha_addr = ip(0xc0000201),
	                                                     .coa = ip(0xc6336414), .ident = 0xe8a3b2c100000001ull });
	reg_build_nai(&b, (const uint8_t *)"mn1@example.org", 15);
	reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, 0x1001);
	size_t at = reg_build_auth(&b, REG_EXT_GEN_AUTH, 0x100, 16);
	cr_assert_eq(b.err, REG_OK);
	cr_assert_eq(at, 57);
	cr_assert_eq(b.len, len);
	for (size_t i = 57; i < 73; i++)
		cr_expect_eq(buf[i], 0, "authenticator reserved as zeros");
	memcpy(buf + at, want + at, 16);
	cr_expect(memcmp(buf, want, len) == 0);
}

Test(reg, worked_example_rrp)
{
	uint8_t buf[128], nonce[16];
	size_t len = vectors_unhex(RRP_99, buf, sizeof buf);
	vectors_unhex(NONCE, nonce, sizeof nonce);
	struct reg_msg m;
	cr_assert_eq(len, 99);
	cr_assert_eq(reg_parse_reply(buf, len, &m), REG_OK);

	cr_expect_eq(m.type, REG_TYPE_RRP);
	cr_expect_eq(m.code, 0);
	cr_expect_eq(m.lifetime, 1800);
	cr_expect_eq(m.home_addr, ip(0xc000020a));
	cr_expect_eq(m.ha_addr, ip(0xc0000201));
	cr_expect_eq(m.ident, 0xe8a3b2c100000001ull);
	expect_bytes(m.nai, "mn1@example.org", 15, "nai");

	const struct reg_keyrep *k = &m.mn_ha_keyrep;
	cr_expect(k->present);
	cr_expect_eq(k->off, 37);
	cr_expect_eq(k->subtype, 1);
	cr_expect_eq(k->lifetime, 3600);
	cr_expect_eq(k->aaa_spi, 0x100);
	cr_expect_eq(k->peer_spi, 0x2002);
	cr_expect_eq(k->alg, 2);
	cr_expect_eq(k->replay, 2);
	cr_expect_eq(k->nonce.p, buf + 57);
	expect_bytes(k->nonce, nonce, 16, "nonce");

	cr_expect(m.mn_ha.present);
	cr_expect_eq(m.mn_ha.off, 73);
	cr_expect_eq(m.mn_ha.spi, 0x1001);
	cr_expect_eq(m.mn_ha.authenticator.p, buf + 79);
	cr_expect_eq(m.mn_ha.authenticator.len, 20);
	cr_expect_eq(m.mn_ha.covered_len, 79);
	cr_expect_not(m.mn_aaa.present);
	cr_expect_eq(m.n_ext, 3);
	expect_copy_identical(&m, buf, len, "rrp-99");

	/* The same reply from the builder. */
	uint8_t out[128];
	struct reg_builder b;
	reg_build_init(&b, out, sizeof out);
	reg_build_reply(&b, &(struct reg_reply_fixed){ .code = 0, .lifetime = 1800, .home_addr = ip(0xc000020a),
	                                                 .ha_addr = ip(0xc0000201), .ident = 0xe8a3b2c100000001ull });
	reg_build_nai(&b, (const uint8_t *)"mn1@example.org", 15);
	reg_build_keyrep(&b, REG_EXT_MN_HA_KEYREP,
	                 &(struct reg_keyrep){ .lifetime = 3600, .aaa_spi = 0x100, .peer_spi = 0x2002, .alg = 2,
	                                       .replay = 2, .nonce = { nonce, 16 } });
	size_t at = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, 0x1001, 20);
	cr_assert_eq(b.err, REG_OK);
	cr_assert_eq(at, 79);
	cr_assert_eq(b.len, 99);
	memcpy(out + at, buf + at, 20);
	cr_expect(memcmp(out, buf, 99) == 0);
}

Test(reg, vector_mn_ha_rrq)
{
	struct vectors_mn_ha_auth v = vectors_mn_ha_auth();
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(v.full_rrq.p, v.full_rrq.len, &m), REG_OK);
	expect_bytes(m.nai, "mn1@example.com", 15, "nai");
	cr_expect(m.mn_ha.present);
	cr_expect_eq(m.mn_ha.off, 41);
	cr_expect_eq(m.mn_ha.spi, v.spi);
	cr_expect_eq(m.mn_ha.covered_len, v.authenticated.len);
	cr_expect_eq(m.mn_ha.covered_len, 47);
	cr_expect(memcmp(v.full_rrq.p, v.authenticated.p, m.mn_ha.covered_len) == 0);
	expect_bytes(m.mn_ha.authenticator, v.authenticator.p, v.authenticator.len, "authenticator");
	cr_expect_eq(m.n_ext, 2);
	expect_copy_identical(&m, v.full_rrq.p, v.full_rrq.len, "mn_ha_auth_hmac_md5_rfc5944");
}

Test(reg, vector_mn_aaa_rrqs)
{
	size_t n = vectors_mn_aaa_count();
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		struct vectors_mn_aaa v = vectors_mn_aaa(i);
		struct reg_msg m;
		cr_assert_eq(reg_parse_request(v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len, &m), REG_OK, "case %zu", i);
		cr_expect(m.mn_ha.present);
		expect_bytes(m.challenge, v.challenge.p, v.challenge.len, "challenge");
		cr_expect(m.mn_aaa.present);
		cr_expect_eq(m.mn_aaa.spi, v.spi);
		cr_expect_eq(m.mn_aaa.covered_len, v.covered.len);
		cr_expect_eq(m.mn_aaa.off + 8, v.covered.len);
		cr_expect(memcmp(v.full_rrq_rfc3012.p, v.covered.p, v.covered.len) == 0);
		expect_bytes(m.mn_aaa.authenticator, v.rfc3012_chap.p, v.rfc3012_chap.len, "authenticator");
		const uint8_t types[] = { 131, 32, 132, 36 };
		cr_assert_eq(m.n_ext, 4);
		for (size_t j = 0; j < 4; j++)
			cr_expect_eq(m.ext[j].type, types[j]);
		expect_copy_identical(&m, v.full_rrq_rfc3012.p, v.full_rrq_rfc3012.len, "mn_aaa_auth");
	}
}

/*
 * Round trip over every combination of the optional extensions, each in the
 * place the rules give it: build → parse → build gives the same octets, and the
 * parse finds exactly the extensions that were put in.
 */
enum rrq_item { Q_PAD, Q_NAI, Q_KEYREQ, Q_FA_KEYREQ, Q_MN_HA, Q_CHAL, Q_MN_AAA, Q_MN_FA, Q_FA_HA, Q_SKIP, Q_N };
enum rrp_item { P_NAI, P_KEYREP, P_FA_KEYREP, P_MN_HA, P_MN_FA, P_CHAL, P_FA_HA, P_SKIP, P_N };

static const uint8_t skippable[] = { 200, 3, 'x', 'y', 'z' };

static void add_auth(struct reg_builder *b, uint8_t type, uint32_t spi, size_t len, uint8_t fill)
{
	size_t at = reg_build_auth(b, type, spi, len);
	cr_assert_neq(at, 0);
	memset(b->buf + at, fill, len);
}

static size_t build_rrq(unsigned mask, uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	reg_build_init(&b, buf, cap);
	reg_build_request(&b, &(struct reg_request_fixed){ .flags = (uint8_t)mask, .lifetime = (uint16_t)(mask * 7),
	                                                     .home_addr = ip(0xc000020a), .ha_addr = ip(0xc0000201),
	                                                     .coa = ip(0xc6336414), .ident = 0xe8a3b2c100000000ull | mask });
	if (mask & 1u << Q_PAD)
		reg_build_raw(&b, (const uint8_t *)"", 1);
	if (mask & 1u << Q_NAI)
		reg_build_nai(&b, (const uint8_t *)"mn1@example.org", 15);
	if (mask & 1u << Q_KEYREQ)
		reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, 0x1000 + mask);
	if (mask & 1u << Q_FA_KEYREQ)
		reg_build_keyreq(&b, REG_EXT_MN_FA_KEYREQ, 0x2000 + mask);
	if (mask & 1u << Q_MN_HA)
		add_auth(&b, REG_EXT_MN_HA_AUTH, 0x100 + mask, 16 + mask % 5, 0xa1);
	if (mask & 1u << Q_CHAL)
		reg_build_challenge(&b, (const uint8_t *)"challenge", 1 + mask % 9);
	if (mask & 1u << Q_MN_AAA)
		add_auth(&b, REG_EXT_GEN_AUTH, 0x300 + mask, 16 + mask % 7, 0xa2);
	if (mask & 1u << Q_MN_FA)
		add_auth(&b, REG_EXT_MN_FA_AUTH, 0x400 + mask, 16, 0xa3);
	if (mask & 1u << Q_FA_HA)
		add_auth(&b, REG_EXT_FA_HA_AUTH, 0x500 + mask, 20, 0xa4);
	if (mask & 1u << Q_SKIP)
		reg_build_raw(&b, skippable, sizeof skippable);
	cr_assert_eq(b.err, REG_OK, "build of request combination %#x: %s", mask, reg_err_str(b.err));
	return b.len;
}

static size_t build_rrp(unsigned mask, uint8_t *buf, size_t cap)
{
	static const uint8_t nonce[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct reg_builder b;
	reg_build_init(&b, buf, cap);
	reg_build_reply(&b, &(struct reg_reply_fixed){ .code = (uint8_t)mask, .lifetime = (uint16_t)(mask * 3),
	                                                 .home_addr = ip(0xc000020a), .ha_addr = ip(0xc0000201),
	                                                 .ident = 0x0102030405060708ull ^ mask });
	if (mask & 1u << P_NAI)
		reg_build_nai(&b, (const uint8_t *)"mn1@example.org", 15);
	if (mask & 1u << P_KEYREP)
		reg_build_keyrep(&b, REG_EXT_MN_HA_KEYREP,
		                 &(struct reg_keyrep){ .lifetime = 3600, .aaa_spi = 0x100, .peer_spi = 0x1001 + mask,
		                                       .alg = 2, .replay = 2, .nonce = { nonce, 16 + mask % 49 } });
	if (mask & 1u << P_FA_KEYREP)
		reg_build_keyrep(&b, REG_EXT_MN_FA_KEYREP,
		                 &(struct reg_keyrep){ .lifetime = 60, .aaa_spi = 0x100, .peer_spi = 0x3003,
		                                       .alg = 1, .nonce = { nonce, 64 - mask % 49 } });
	if (mask & 1u << P_MN_HA)
		add_auth(&b, REG_EXT_MN_HA_AUTH, 0x1001, mask & 1 ? 20 : 16, 0xb1);
	if (mask & 1u << P_MN_FA)
		add_auth(&b, REG_EXT_MN_FA_AUTH, 0x3003, 16, 0xb2);
	if (mask & 1u << P_CHAL)
		reg_build_challenge(&b, (const uint8_t *)"challenge", 4);
	if (mask & 1u << P_FA_HA)
		add_auth(&b, REG_EXT_FA_HA_AUTH, 0x500, 16, 0xb3);
	if (mask & 1u << P_SKIP)
		reg_build_raw(&b, skippable, sizeof skippable);
	cr_assert_eq(b.err, REG_OK, "build of reply combination %#x: %s", mask, reg_err_str(b.err));
	return b.len;
}

static void round_trip(bool rrq, const uint8_t *buf, size_t len, struct reg_msg *m, unsigned mask)
{
	enum reg_err e = rrq ? reg_parse_request(buf, len, m) : reg_parse_reply(buf, len, m);
	cr_assert_eq(e, REG_OK, "%s combination %#x: %s at %zu", rrq ? "request" : "reply", mask, reg_err_str(e),
	             m->err_off);
	cr_expect_eq(m->n_ext, (size_t)__builtin_popcount(mask), "combination %#x", mask);

	/* build → parse → build → parse → build: stable. */
	uint8_t copy[1024], again[1024];
	size_t n = reg_build_copy(m, copy, sizeof copy);
	cr_assert_eq(n, len, "combination %#x", mask);
	cr_assert(memcmp(copy, buf, len) == 0, "combination %#x: copy differs", mask);
	struct reg_msg m2;
	cr_assert_eq(rrq ? reg_parse_request(copy, n, &m2) : reg_parse_reply(copy, n, &m2), REG_OK);
	cr_assert_eq(reg_build_copy(&m2, again, sizeof again), len);
	cr_assert(memcmp(again, buf, len) == 0);
}

Test(reg, round_trip_every_request_combination)
{
	uint8_t buf[1024];
	for (unsigned mask = 0; mask < 1u << Q_N; mask++) {
		size_t len = build_rrq(mask, buf, sizeof buf);
		struct reg_msg m;
		round_trip(true, buf, len, &m, mask);
		cr_expect_eq(m.flags, (uint8_t)mask);
		cr_expect_eq(m.ident, 0xe8a3b2c100000000ull | mask);
		cr_expect_eq(m.nai.p != NULL, !!(mask & 1u << Q_NAI), "%#x", mask);
		cr_expect_eq(m.mn_ha_keyreq.present, !!(mask & 1u << Q_KEYREQ), "%#x", mask);
		cr_expect_eq(m.mn_fa_keyreq.present, !!(mask & 1u << Q_FA_KEYREQ), "%#x", mask);
		cr_expect_eq(m.mn_ha.present, !!(mask & 1u << Q_MN_HA), "%#x", mask);
		cr_expect_eq(m.challenge.p != NULL, !!(mask & 1u << Q_CHAL), "%#x", mask);
		cr_expect_eq(m.mn_aaa.present, !!(mask & 1u << Q_MN_AAA), "%#x", mask);
		cr_expect_eq(m.mn_fa.present, !!(mask & 1u << Q_MN_FA), "%#x", mask);
		cr_expect_eq(m.fa_ha.present, !!(mask & 1u << Q_FA_HA), "%#x", mask);
		if (m.mn_ha_keyreq.present)
			cr_expect_eq(m.mn_ha_keyreq.mn_spi, 0x1000 + mask);
		if (m.mn_aaa.present) {
			cr_expect_eq(m.mn_aaa.spi, 0x300 + mask);
			cr_expect_eq(m.mn_aaa.authenticator.len, 16 + mask % 7);
			cr_expect_eq(m.mn_aaa.covered_len, m.mn_aaa.off + 8);
		}
		if (m.mn_ha.present) {
			cr_expect_eq(m.mn_ha.authenticator.len, 16 + mask % 5);
			cr_expect_eq(m.mn_ha.covered_len, m.mn_ha.off + 6);
		}
	}
}

Test(reg, round_trip_every_reply_combination)
{
	uint8_t buf[1024];
	for (unsigned mask = 0; mask < 1u << P_N; mask++) {
		size_t len = build_rrp(mask, buf, sizeof buf);
		struct reg_msg m;
		round_trip(false, buf, len, &m, mask);
		cr_expect_eq(m.code, (uint8_t)mask);
		cr_expect_eq(m.nai.p != NULL, !!(mask & 1u << P_NAI), "%#x", mask);
		cr_expect_eq(m.mn_ha_keyrep.present, !!(mask & 1u << P_KEYREP), "%#x", mask);
		cr_expect_eq(m.mn_fa_keyrep.present, !!(mask & 1u << P_FA_KEYREP), "%#x", mask);
		cr_expect_eq(m.mn_ha.present, !!(mask & 1u << P_MN_HA), "%#x", mask);
		cr_expect_eq(m.mn_fa.present, !!(mask & 1u << P_MN_FA), "%#x", mask);
		cr_expect_eq(m.challenge.p != NULL, !!(mask & 1u << P_CHAL), "%#x", mask);
		cr_expect_eq(m.fa_ha.present, !!(mask & 1u << P_FA_HA), "%#x", mask);
		if (m.mn_ha_keyrep.present) {
			cr_expect_eq(m.mn_ha_keyrep.peer_spi, 0x1001 + mask);
			cr_expect_eq(m.mn_ha_keyrep.nonce.len, 16 + mask % 49);
			cr_expect_eq(m.mn_ha_keyrep.replay, 2);
		}
		if (m.mn_fa_keyrep.present) {
			cr_expect_eq(m.mn_fa_keyrep.peer_spi, 0x3003);
			cr_expect_eq(m.mn_fa_keyrep.nonce.len, 64 - mask % 49);
			cr_expect_eq(m.mn_fa_keyrep.replay, 0);
		}
	}
}

/* The negative table: one malformed datagram per line, with its exact error and
 * the offset where parsing stopped. */
struct bad {
	const char *name;
	bool rrq;
	const char *hex;
	enum reg_err err;
	size_t err_off;
};

static const struct bad bad[] = {
	/* fixed part */
	{ "empty request", true, "", REG_ERR_TRUNCATED_FIXED, 0 },
	{ "type octet only", true, "01", REG_ERR_TRUNCATED_FIXED, 1 },
	{ "reply type octet only", false, "03", REG_ERR_TRUNCATED_FIXED, 1 },
	{ "reply as request", true, RRP_FIXED "00000000", REG_ERR_BAD_TYPE, 0 },
	{ "request as reply", false, RRQ_FIXED, REG_ERR_BAD_TYPE, 0 },
	{ "type 2", true, "02200708 c000020a c0000201 c6336414 e8a3b2c1 00000001", REG_ERR_BAD_TYPE, 0 },
	/* NAI */
	{ "nai type octet only", true, RRQ_FIXED "83", REG_ERR_EXT_TRUNCATED, 24 },
	{ "nai length one too long", true, RRQ_FIXED "8310 6d6e31406578616d706c652e6f7267", REG_ERR_EXT_TRUNCATED, 24 },
	/* The last NAI octet, 'g' = 103, is then read as a non-skippable type. */
	{ "nai length one too short", true, RRQ_FIXED "830e 6d6e31406578616d706c652e6f7267", REG_ERR_EXT_UNKNOWN, 40 },
	{ "nai length 0", true, RRQ_FIXED "8300" MN_HA, REG_ERR_NAI_LENGTH, 24 },
	{ "nai length 0 at the end", true, RRQ_FIXED "8300", REG_ERR_NAI_LENGTH, 24 },
	/* KeyGen Requests */
	{ "keyreq header cut", true, RRQ_FIXED "2a0100", REG_ERR_EXT_TRUNCATED, 24 },
	{ "keyreq body cut", true, RRQ_FIXED "2a01 0004 0000", REG_ERR_EXT_TRUNCATED, 24 },
	{ "keyreq length one too long", true, RRQ_FIXED "2a01 0005 00001001 00", REG_ERR_EXT_BAD_LENGTH, 24 },
	{ "keyreq length one too short", true, RRQ_FIXED "2a01 0003 000010", REG_ERR_EXT_BAD_LENGTH, 24 },
	{ "keyreq length 0", true, RRQ_FIXED "2a01 0000", REG_ERR_EXT_ZERO_LENGTH, 24 },
	{ "keyreq subtype 2", true, RRQ_FIXED "2a02 0004 00001001", REG_ERR_EXT_BAD_SUBTYPE, 24 },
	{ "keyreq subtype 7", true, RRQ_FIXED "2a07 0004 00001001", REG_ERR_EXT_BAD_SUBTYPE, 24 },
	{ "mn-fa keyreq subtype 0", true, RRQ_FIXED "2800 0004 00001001", REG_ERR_EXT_BAD_SUBTYPE, 24 },
	/* MN-AAA (36/1) */
	{ "mn-aaa length 19", true, RRQ_FIXED "2401 0013 00000100 " A15, REG_ERR_AUTH_SHORT, 24 },
	{ "mn-aaa length one too short", true, RRQ_FIXED "2401 0013 00000100 " A16, REG_ERR_AUTH_SHORT, 24 },
	{ "mn-aaa length one too long", true, RRQ_FIXED "2401 0015 00000100 " A16, REG_ERR_EXT_TRUNCATED, 24 },
	{ "mn-aaa subtype 2", true, RRQ_FIXED "2402 0014 00000100 " A16, REG_ERR_EXT_BAD_SUBTYPE, 24 },
	{ "mn-aaa length 0", true, RRQ_FIXED "2401 0000", REG_ERR_EXT_ZERO_LENGTH, 24 },
	{ "mn-aaa header cut", true, RRQ_FIXED "2401", REG_ERR_EXT_TRUNCATED, 24 },
	{ "mn-aaa body cut by one", true, RRQ_FIXED NAI KEYREQ "2401 0014 00000100 " A15, REG_ERR_EXT_TRUNCATED, 49 },
	/* short-form authentication */
	{ "mn-ha length 19", true, RRQ_FIXED "2013 00000100 " A15, REG_ERR_AUTH_SHORT, 24 },
	{ "mn-ha length 0", true, RRQ_FIXED "2000", REG_ERR_EXT_ZERO_LENGTH, 24 },
	{ "mn-ha length 3", true, RRQ_FIXED "2003 000001", REG_ERR_AUTH_SHORT, 24 },
	{ "mn-ha length one too long", true, RRQ_FIXED "2015 00000100 " A16, REG_ERR_EXT_TRUNCATED, 24 },
	{ "fa-ha with an SPI only", true, RRQ_FIXED "2204 00000300", REG_ERR_AUTH_SHORT, 24 },
	{ "mn-fa body cut", true, RRQ_FIXED "2114 0000", REG_ERR_EXT_TRUNCATED, 24 },
	/* challenge, unknown types */
	{ "challenge length 0", true, RRQ_FIXED "8400" MN_HA, REG_ERR_EXT_ZERO_LENGTH, 24 },
	{ "unknown non-skippable 100", true, RRQ_FIXED "6402 aaaa", REG_ERR_EXT_UNKNOWN, 24 },
	{ "unknown non-skippable 127 after nai", true, RRQ_FIXED NAI "7f00", REG_ERR_EXT_UNKNOWN, 41 },
	{ "cvse 38 not supported", true, RRQ_FIXED "2600 0004 00000000", REG_ERR_EXT_UNKNOWN, 24 },
	{ "type 1 is not skippable", true, RRQ_FIXED "0100", REG_ERR_EXT_UNKNOWN, 24 },
	{ "skippable length too long", true, RRQ_FIXED "c805 aabbccdd", REG_ERR_EXT_TRUNCATED, 24 },
	{ "skippable type octet only", true, RRQ_FIXED NAI "c8", REG_ERR_EXT_TRUNCATED, 41 },
	/* duplicates */
	{ "duplicate nai", true, RRQ_FIXED NAI NAI, REG_ERR_EXT_DUPLICATE, 41 },
	{ "duplicate keyreq", true, RRQ_FIXED KEYREQ KEYREQ, REG_ERR_EXT_DUPLICATE, 32 },
	{ "duplicate mn-aaa", true, RRQ_FIXED KEYREQ MN_AAA MN_AAA, REG_ERR_EXT_DUPLICATE, 56 },
	{ "duplicate mn-ha", true, RRQ_FIXED MN_HA MN_HA, REG_ERR_EXT_DUPLICATE, 46 },
	{ "duplicate challenge", true, RRQ_FIXED CHAL CHAL, REG_ERR_EXT_DUPLICATE, 42 },
	/* order */
	{ "keyreq after mn-aaa", true, RRQ_FIXED NAI MN_AAA KEYREQ, REG_ERR_ORDER, 65 },
	{ "keyreq after mn-ha", true, RRQ_FIXED MN_HA KEYREQ, REG_ERR_ORDER, 46 },
	{ "nai after mn-aaa", true, RRQ_FIXED KEYREQ MN_AAA NAI, REG_ERR_ORDER, 56 },
	{ "nai after mn-ha", true, RRQ_FIXED MN_HA NAI, REG_ERR_ORDER, 46 },
	{ "mn-ha after mn-aaa", true, RRQ_FIXED MN_AAA MN_HA, REG_ERR_ORDER, 48 },
	{ "challenge after mn-aaa", true, RRQ_FIXED MN_AAA CHAL, REG_ERR_ORDER, 48 },
	{ "mn-aaa after mn-fa", true, RRQ_FIXED MN_FA MN_AAA, REG_ERR_ORDER, 46 },
	{ "mn-fa after fa-ha", true, RRQ_FIXED FA_HA MN_FA, REG_ERR_ORDER, 46 },
	/* after the authentication extension relied on */
	{ "keygen reply after mn-aaa in a request", true, RRQ_FIXED MN_AAA KEYREP, REG_ERR_AFTER_AUTH, 48 },
	{ "keygen reply after mn-ha in a request", true, RRQ_FIXED MN_HA KEYREP, REG_ERR_AFTER_AUTH, 46 },
	/* replies */
	{ "reply: nai after mn-ha", false, RRP_FIXED MN_HA20 NAI, REG_ERR_ORDER, 46 },
	{ "reply: keyrep after mn-ha", false, RRP_FIXED NAI MN_HA20 KEYREP, REG_ERR_ORDER, 63 },
	{ "reply: keyreq after mn-ha", false, RRP_FIXED MN_HA20 KEYREQ, REG_ERR_AFTER_AUTH, 46 },
	{ "reply: mn-fa keyreq after mn-ha", false, RRP_FIXED MN_HA20 "2801 0004 00001000", REG_ERR_AFTER_AUTH, 46 },
	{ "reply: mn-fa keyrep after mn-fa auth", false, RRP_FIXED MN_FA FA_KEYREP, REG_ERR_ORDER, 42 },
	{ "reply: challenge after fa-ha", false, RRP_FIXED MN_HA20 FA_HA CHAL, REG_ERR_ORDER, 68 },
	{ "reply: keyrep nonce 15", false, RRP_FIXED "2b01 001f 00000e10 00000100 00002002 0002 0002 " NONCE15,
	  REG_ERR_NONCE_LENGTH, 20 },
	{ "reply: keyrep nonce 65", false,
	  RRP_FIXED "2b01 0051 00000e10 00000100 00002002 0002 0002 " NONCE NONCE NONCE NONCE "00",
	  REG_ERR_NONCE_LENGTH, 20 },
	{ "reply: keyrep length 15", false, RRP_FIXED "2b01 000f 00000e10 00000100 00002002 0002 00",
	  REG_ERR_EXT_BAD_LENGTH, 20 },
	{ "reply: keyrep length 0", false, RRP_FIXED "2b01 0000", REG_ERR_EXT_ZERO_LENGTH, 20 },
	{ "reply: keyrep subtype 2", false, RRP_FIXED "2b02 0020 00000e10 00000100 00002002 0002 0002 " NONCE,
	  REG_ERR_EXT_BAD_SUBTYPE, 20 },
	{ "reply: keyrep length one too long", false,
	  RRP_FIXED "2b01 0021 00000e10 00000100 00002002 0002 0002 " NONCE, REG_ERR_EXT_TRUNCATED, 20 },
	{ "reply: keyrep length one too short", false,
	  RRP_FIXED "2b01 001f 00000e10 00000100 00002002 0002 0002 " NONCE, REG_ERR_NONCE_LENGTH, 20 },
	{ "reply: mn-fa keyrep subtype 0", false, RRP_FIXED "2900 001e 00000e10 00000100 00003003 0002 " NONCE,
	  REG_ERR_EXT_BAD_SUBTYPE, 20 },
	{ "reply: mn-fa keyrep nonce 15", false, RRP_FIXED "2901 001d 00000e10 00000100 00003003 0002 " NONCE15,
	  REG_ERR_NONCE_LENGTH, 20 },
	{ "reply: duplicate keyrep", false, RRP_FIXED KEYREP KEYREP, REG_ERR_EXT_DUPLICATE, 56 },
	{ "reply: mn-ha length 19", false, RRP_FIXED "2013 00001001 " A15, REG_ERR_AUTH_SHORT, 20 },
	{ "reply: unknown non-skippable 50", false, RRP_FIXED "3200", REG_ERR_EXT_UNKNOWN, 20 },
};

Test(reg, negative_table)
{
	cr_assert_geq(sizeof bad / sizeof bad[0], 40);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct bad *t = &bad[i];
		uint8_t buf[512];
		size_t len = vectors_unhex(t->hex, buf, sizeof buf);
		struct reg_msg m;
		enum reg_err e = t->rrq ? reg_parse_request(buf, len, &m) : reg_parse_reply(buf, len, &m);
		cr_expect_eq(e, t->err, "%s: got %s, expected %s", t->name, reg_err_str(e), reg_err_str(t->err));
		cr_expect_eq(m.err_off, t->err_off, "%s: stopped at %zu, expected %zu", t->name, m.err_off, t->err_off);
	}
}

Test(reg, truncated_fixed_part_at_every_length)
{
	uint8_t rrq[128], rrp[128];
	vectors_unhex(RRQ_73, rrq, sizeof rrq);
	vectors_unhex(RRP_99, rrp, sizeof rrp);
	struct reg_msg m;
	for (size_t len = 0; len < REG_RRQ_FIXED_LEN; len++) {
		cr_expect_eq(reg_parse_request(rrq, len, &m), REG_ERR_TRUNCATED_FIXED, "request of %zu octets", len);
		cr_expect_eq(reg_err_action(REG_ERR_TRUNCATED_FIXED), REG_ACT_DROP);
	}
	for (size_t len = 0; len < REG_RRP_FIXED_LEN; len++)
		cr_expect_eq(reg_parse_reply(rrp, len, &m), REG_ERR_TRUNCATED_FIXED, "reply of %zu octets", len);
	cr_expect_eq(reg_parse_request(NULL, 0, &m), REG_ERR_TRUNCATED_FIXED);
}

/* Cutting the worked examples anywhere inside an extension is "ext-truncated";
 * cutting them between extensions leaves a well-formed (if unauthenticated)
 * message. */
Test(reg, truncated_extension_at_every_length)
{
	uint8_t rrq[128], rrp[128];
	size_t qlen = vectors_unhex(RRQ_73, rrq, sizeof rrq), plen = vectors_unhex(RRP_99, rrp, sizeof rrp);
	struct reg_msg m;
	for (size_t len = REG_RRQ_FIXED_LEN; len < qlen; len++) {
		bool boundary = len == 24 || len == 41 || len == 49;
		cr_expect_eq(reg_parse_request(rrq, len, &m), boundary ? REG_OK : REG_ERR_EXT_TRUNCATED,
		             "request cut at %zu", len);
	}
	for (size_t len = REG_RRP_FIXED_LEN; len < plen; len++) {
		bool boundary = len == 20 || len == 37 || len == 73;
		cr_expect_eq(reg_parse_reply(rrp, len, &m), boundary ? REG_OK : REG_ERR_EXT_TRUNCATED,
		             "reply cut at %zu", len);
	}
}

/* The same over messages carrying every extension type, pads and an unknown
 * skippable one included: cut anywhere, only extension boundaries parse. */
Test(reg, truncated_every_extension_type)
{
	uint8_t buf[1024];
	struct reg_msg full, m;
	for (int rrq = 0; rrq <= 1; rrq++) {
		size_t len = rrq ? build_rrq((1u << Q_N) - 1, buf, sizeof buf) : build_rrp((1u << P_N) - 1, buf, sizeof buf);
		cr_assert_eq(rrq ? reg_parse_request(buf, len, &full) : reg_parse_reply(buf, len, &full), REG_OK);
		size_t fixed = rrq ? REG_RRQ_FIXED_LEN : REG_RRP_FIXED_LEN, next = 0;
		for (size_t cut = fixed; cut < len; cut++) {
			bool boundary = cut == fixed || (next < full.n_ext && cut == full.ext[next].off + full.ext[next].len);
			if (cut > fixed && boundary)
				next++;
			enum reg_err e = rrq ? reg_parse_request(buf, cut, &m) : reg_parse_reply(buf, cut, &m);
			cr_expect_eq(e, boundary ? REG_OK : REG_ERR_EXT_TRUNCATED, "%s cut at %zu: %s",
			             rrq ? "request" : "reply", cut, reg_err_str(e));
			if (!boundary)
				cr_expect_eq(m.err_off, full.ext[next].off, "cut at %zu", cut);
		}
	}
}

Test(reg, nai_of_255_octets_is_valid)
{
	uint8_t nai[255], buf[512];
	memset(nai, 'a', sizeof nai);
	nai[100] = '@';
	struct reg_builder b;
	reg_build_init(&b, buf, sizeof buf);
	reg_build_request(&b, &(struct reg_request_fixed){ .lifetime = 10 });
	reg_build_nai(&b, nai, 255);
	add_auth(&b, REG_EXT_MN_HA_AUTH, 0x100, 16, 0);
	cr_assert_eq(b.err, REG_OK);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, b.len, &m), REG_OK);
	expect_bytes(m.nai, nai, 255, "nai");
	cr_expect_eq(m.mn_ha.off, 24 + 2 + 255);
	expect_copy_identical(&m, buf, b.len, "255-octet nai");

	/* The builder refuses what the wire cannot carry. */
	reg_build_init(&b, buf, sizeof buf);
	reg_build_nai(&b, nai, 0);
	cr_expect_eq(b.err, REG_ERR_NAI_LENGTH);
	uint8_t big[256] = { 0 };
	reg_build_init(&b, buf, sizeof buf);
	reg_build_nai(&b, big, 256);
	cr_expect_eq(b.err, REG_ERR_NAI_LENGTH);
	cr_expect_eq(b.len, 0);
}

/* A datagram of exactly REG_MAX_DATAGRAM octets: 31 skippable extensions of 257
 * octets, then an MN-AAA extension with a long authenticator to fill the rest (a
 * chain of skippable extensions alone cannot reach it: 32 × 257 + 24 = 8248). */
static size_t build_max(uint8_t *buf, size_t total)
{
	uint8_t skip[257];
	skip[0] = 200;
	skip[1] = 255;
	memset(skip + 2, 0x5a, 255);
	size_t len = REG_RRQ_FIXED_LEN;
	memset(buf, 0, REG_RRQ_FIXED_LEN);
	buf[0] = REG_TYPE_RRQ;
	for (int i = 0; i < 31; i++) {
		memcpy(buf + len, skip, sizeof skip);
		len += sizeof skip;
	}
	size_t body = total - len - 4;
	buf[len] = REG_EXT_GEN_AUTH;
	buf[len + 1] = REG_GEN_AUTH_MN_AAA;
	buf[len + 2] = (uint8_t)(body >> 8);
	buf[len + 3] = (uint8_t)body;
	memset(buf + len + 4, 0x77, body);
	return len;
}

Test(reg, maximum_size_datagram)
{
	static uint8_t buf[REG_MAX_DATAGRAM + 1];
	struct reg_msg m;
	size_t aaa = build_max(buf, REG_MAX_DATAGRAM);
	cr_assert_eq(reg_parse_request(buf, REG_MAX_DATAGRAM, &m), REG_OK);
	cr_expect_eq(m.n_ext, 32);
	cr_expect_eq(m.mn_aaa.off, aaa);
	cr_expect_eq(m.mn_aaa.authenticator.len, REG_MAX_DATAGRAM - aaa - 8);
	expect_copy_identical(&m, buf, REG_MAX_DATAGRAM, "maximum datagram");

	/* One octet more (the MN-AAA authenticator one longer) is too long. */
	build_max(buf, REG_MAX_DATAGRAM + 1);
	cr_expect_eq(reg_parse_request(buf, REG_MAX_DATAGRAM + 1, &m), REG_ERR_TOO_LONG);
	cr_expect_eq(reg_err_action(REG_ERR_TOO_LONG), REG_ACT_REPLY);

	/* The builder stops at the same limit. */
	static uint8_t out[REG_MAX_DATAGRAM + 100];
	struct reg_builder b;
	reg_build_init(&b, out, sizeof out);
	reg_build_request(&b, &(struct reg_request_fixed){ 0 });
	reg_build_raw(&b, buf + REG_RRQ_FIXED_LEN, REG_MAX_DATAGRAM - REG_RRQ_FIXED_LEN);
	cr_expect_eq(b.err, REG_OK);
	reg_build_raw(&b, (const uint8_t *)"", 1);
	cr_expect_eq(b.err, REG_ERR_TOO_LONG);
	cr_expect_eq(b.len, REG_MAX_DATAGRAM);
}

Test(reg, too_many_extensions)
{
	uint8_t buf[512];
	size_t len = vectors_unhex(RRQ_FIXED, buf, sizeof buf);
	struct reg_msg m;
	/* 32 pads and skippable extensions are fine, the 33rd is not. */
	for (int i = 0; i < REG_MAX_EXTENSIONS; i++) {
		if (i % 2) {
			buf[len++] = 0;
		} else {
			buf[len++] = 129;
			buf[len++] = 1;
			buf[len++] = (uint8_t)i;
		}
	}
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect_eq(m.n_ext, REG_MAX_EXTENSIONS);
	expect_copy_identical(&m, buf, len, "32 extensions");
	buf[len++] = 0;
	cr_expect_eq(reg_parse_request(buf, len, &m), REG_ERR_EXT_TOO_MANY);
	cr_expect_eq(m.err_off, len - 1);
}

Test(reg, pad_and_skippable_anywhere)
{
	uint8_t buf[256];
	/* Pads and unknown skippable extensions before, between and after
	 * everything, including after the MN-AAA extension. */
	size_t len = vectors_unhex(RRQ_FIXED "00 c800" NAI "00" KEYREQ "ff03 010203" MN_AAA "00 9001aa" MN_FA "00" FA_HA "00",
	                   buf, sizeof buf);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK, "%s", reg_err_str(reg_parse_request(buf, len, &m)));
	cr_expect_eq(m.n_ext, 13);
	cr_expect(m.mn_aaa.present && m.mn_fa.present && m.fa_ha.present);
	expect_copy_identical(&m, buf, len, "pads");
}

Test(reg, reserved_flags_ignored)
{
	uint8_t buf[128];
	size_t len = vectors_unhex(RRQ_73, buf, sizeof buf);
	buf[1] |= REG_FLAG_R | REG_FLAG_X;
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect_eq(m.flags, REG_FLAG_D | REG_FLAG_R | REG_FLAG_X);
	expect_copy_identical(&m, buf, len, "reserved bits");
}

/* Allowed after the authentication extension relied on: the other
 * authentication extensions and the challenge echo. */
Test(reg, after_auth_allowed)
{
	static const char *const ok_rrq[] = {
		RRQ_FIXED NAI MN_HA CHAL MN_AAA MN_FA FA_HA,
		RRQ_FIXED NAI MN_HA CHAL MN_FA FA_HA,
		RRQ_FIXED NAI KEYREQ MN_AAA FA_HA,
	};
	static const char *const ok_rrp[] = {
		RRP_FIXED NAI KEYREP MN_HA20 MN_FA CHAL FA_HA,
		RRP_FIXED FA_KEYREP MN_HA20 CHAL,
		RRP_FIXED NAI FA_KEYREP MN_FA,
		/* As a foreign agent relays it: the HA's part through its MN-HA
		 * authenticator, then the FA's challenge, MN-FA KeyGen Reply and MN-FA
		 * authenticator (RFC 3957 §3, §8; RFC 4721 §3.3). */
		RRP_FIXED NAI KEYREP MN_HA20 CHAL FA_KEYREP MN_FA,
		RRP_FIXED NAI KEYREP MN_HA20 FA_KEYREP MN_FA,
	};
	uint8_t buf[512];
	struct reg_msg m;
	for (size_t i = 0; i < sizeof ok_rrq / sizeof ok_rrq[0]; i++) {
		size_t len = vectors_unhex(ok_rrq[i], buf, sizeof buf);
		cr_expect_eq(reg_parse_request(buf, len, &m), REG_OK, "request %zu: %s", i, reg_err_str(reg_parse_request(buf, len, &m)));
	}
	for (size_t i = 0; i < sizeof ok_rrp / sizeof ok_rrp[0]; i++) {
		size_t len = vectors_unhex(ok_rrp[i], buf, sizeof buf);
		cr_expect_eq(reg_parse_reply(buf, len, &m), REG_OK, "reply %zu: %s", i, reg_err_str(reg_parse_reply(buf, len, &m)));
	}
}

Test(reg, error_names_actions_codes)
{
	for (int e = 0; e < REG_ERR__COUNT; e++) {
		const char *s = reg_err_str((enum reg_err)e);
		cr_assert_not_null(s);
		cr_expect_gt(strlen(s), 1);
		for (const char *c = s; *c; c++)
			cr_expect(islower((unsigned char)*c) || *c == '-', "%s is not kebab-case", s);
		for (int f = 0; f < e; f++)
			cr_expect_str_neq(s, reg_err_str((enum reg_err)f), "two errors named %s", s);
		enum reg_err_action a = reg_err_action((enum reg_err)e);
		if (e == REG_OK) {
			cr_expect_eq(a, REG_ACT_OK);
			cr_expect_eq(reg_err_code((enum reg_err)e), REG_CODE_ACCEPTED);
		} else if (e == REG_ERR_TRUNCATED_FIXED || e == REG_ERR_BAD_TYPE || e == REG_ERR_EXT_UNKNOWN) {
			cr_expect_eq(a, REG_ACT_DROP, "%s", s);
		} else {
			cr_expect_eq(a, REG_ACT_REPLY, "%s", s);
			cr_expect_eq(reg_err_code((enum reg_err)e), REG_CODE_POORLY_FORMED, "%s", s);
		}
	}
	cr_expect_str_eq(reg_err_str(REG_ERR_EXT_TRUNCATED), "ext-truncated");
	cr_expect_str_eq(reg_err_str(REG_ERR__COUNT), "invalid");
}

Test(reg, builder_errors_are_sticky)
{
	uint8_t buf[30];
	struct reg_builder b;
	reg_build_init(&b, buf, sizeof buf);
	reg_build_request(&b, &(struct reg_request_fixed){ .lifetime = 1 });
	cr_expect_eq(b.len, 24);
	cr_expect_eq(reg_build_auth(&b, REG_EXT_MN_HA_AUTH, 0x100, 16), 0);
	cr_expect_eq(b.err, REG_ERR_TOO_LONG);
	reg_build_raw(&b, (const uint8_t *)"\x00", 1);
	cr_expect_eq(b.len, 24, "nothing appended after an error");
	cr_expect_eq(b.err, REG_ERR_TOO_LONG, "the first error stays");

	uint8_t big[128];
	reg_build_init(&b, big, sizeof big);
	cr_expect_eq(reg_build_auth(&b, REG_EXT_MN_HA_AUTH, 0x100, 15), 0);
	cr_expect_eq(b.err, REG_ERR_AUTH_SHORT);
	reg_build_init(&b, big, sizeof big);
	cr_expect_eq(reg_build_auth(&b, REG_EXT_MN_HA_AUTH, 0x100, 252), 0);
	cr_expect_eq(b.err, REG_ERR_EXT_BAD_LENGTH);
	reg_build_init(&b, big, sizeof big);
	cr_expect_eq(reg_build_auth(&b, REG_EXT_NAI, 0x100, 16), 0);
	cr_expect_eq(b.err, REG_ERR_EXT_UNKNOWN);
	reg_build_init(&b, big, sizeof big);
	reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREP, 1);
	cr_expect_eq(b.err, REG_ERR_EXT_UNKNOWN);
	reg_build_init(&b, big, sizeof big);
	reg_build_keyrep(&b, REG_EXT_MN_HA_KEYREP, &(struct reg_keyrep){ .nonce = { big, 15 } });
	cr_expect_eq(b.err, REG_ERR_NONCE_LENGTH);
	reg_build_init(&b, big, sizeof big);
	reg_build_keyrep(&b, REG_EXT_MN_FA_KEYREP, &(struct reg_keyrep){ .nonce = { big, 65 } });
	cr_expect_eq(b.err, REG_ERR_NONCE_LENGTH);
	reg_build_init(&b, big, sizeof big);
	reg_build_challenge(&b, big, 0);
	cr_expect_eq(b.err, REG_ERR_EXT_BAD_LENGTH);

	/* reg_build_copy into too small a buffer. */
	uint8_t rrq[128];
	size_t len = vectors_unhex(RRQ_73, rrq, sizeof rrq);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(rrq, len, &m), REG_OK);
	cr_expect_eq(reg_build_copy(&m, big, len - 1), 0);
	cr_expect_eq(reg_build_copy(&m, big, len), len);
}
