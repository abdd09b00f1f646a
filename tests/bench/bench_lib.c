/*
 * bench_lib: per-operation cost of the libmip4 hot paths on a first-registration
 * RRQ (NAI = B-TID, MN-HA KeyGen Request, MN-AAA): parse, MN-HA verify with
 * HMAC-MD5 and HMAC-SHA-1, RFC 3957 derivation, Ks_NAF derivation.
 * Prints numbers; never fails on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/auth.h"
#include "lib/gba.h"
#include "lib/keygen.h"
#include "lib/reg.h"

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs fn until at least 0.5 s have passed and returns ns per call. */
#define BENCH_NS(label, body)                                                      \
	do {                                                                           \
		long n_ = 0, batch_ = 1000;                                                \
		double t0_ = bench_now(), t_;                                              \
		do {                                                                       \
			for (long i_ = 0; i_ < batch_; i_++) {                                 \
				body;                                                              \
			}                                                                      \
			n_ += batch_;                                                          \
			t_ = bench_now() - t0_;                                                \
		} while (t_ < 0.5);                                                        \
		printf("%-44s %9.1f ns/op  (%ld ops)\n", label, t_ * 1e9 / n_, n_);        \
	} while (0)

static void bench_fail(const char *what)
{
	fprintf(stderr, "bench_lib: %s\n", what);
	exit(1);
}

int main(void)
{
	static const uint8_t rand[GBA_RAND_LEN] = { 0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
	                                            0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
	static const uint8_t ua[GBA_UA_ID_LEN] = GBA_UA_ID_MIP4;
	uint8_t ks[GBA_KS_LEN], ks_naf[GBA_KS_NAF_LEN], naf_id[GBA_NAF_ID_MAX], mnha[KEYGEN_KEY_LEN];
	uint8_t nonce[16], buf[512], mac[AUTH_MAX_LEN];
	char btid[GBA_BTID_MAX + 1];
	const char *impi = "001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
	struct auth_ctx *ctx = auth_ctx_new();
	struct reg_msg m;
	volatile int sink = 0;

	if (!ctx)
		bench_fail("auth_ctx_new failed");
	memset(ks, 0x5a, sizeof(ks));
	memset(nonce, 0xa5, sizeof(nonce));
	size_t naf_len = gba_naf_id("aaa.home.example.org", ua, naf_id, sizeof(naf_id));
	size_t btid_len = gba_btid_format(rand, "bsf.mnc001.mcc001.pub.3gppnetwork.org", btid, sizeof(btid));
	if (!naf_len || !btid_len || gba_ks_naf(ctx, ks, rand, impi, strlen(impi), naf_id, naf_len, false, ks_naf))
		bench_fail("GBA set-up failed");

	struct reg_builder b;
	struct reg_request_fixed f = { .flags = REG_FLAG_D, .lifetime = 1800, .home_addr = 0,
	                               .ha_addr = 0x010200c0, .coa = 0x146433c6,
	                               .ident = 0xe8a3b2c100000001ULL };
	reg_build_init(&b, buf, sizeof(buf));
	reg_build_request(&b, &f);
	reg_build_nai(&b, (const uint8_t *)btid, btid_len);
	reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, 0x1001);
	size_t aaa_off = reg_build_auth(&b, REG_EXT_GEN_AUTH, 0x100, 16);
	if (b.err != REG_OK || !aaa_off || auth_mn_aaa_sign(ctx, 0x100, ks_naf, sizeof(ks_naf), buf, aaa_off, NULL, 0))
		bench_fail("building the first-registration RRQ failed");
	size_t rrq_len = b.len;
	if (reg_parse_request(buf, rrq_len, &m) != REG_OK)
		bench_fail("the benchmark RRQ does not parse");

	printf("libmip4 (RRQ of %zu octets: NAI %zu, 42/1, 36/1)\n", rrq_len, btid_len);
	BENCH_NS("reg_parse_request (first registration)", sink += reg_parse_request(buf, rrq_len, &m));
	BENCH_NS("auth_mn_aaa_verify (HMAC-MD5, Ks_NAF)", sink += auth_mn_aaa_verify(ctx, ks_naf, sizeof(ks_naf), &m));

	/* MN-HA verify: a re-registration RRQ signed with a 20-octet MN-HA key. */
	for (int alg = AUTH_HMAC_MD5; alg <= AUTH_HMAC_SHA1; alg++) {
		uint8_t rr[256];
		struct reg_msg rm;
		reg_build_init(&b, rr, sizeof(rr));
		reg_build_request(&b, &f);
		reg_build_nai(&b, (const uint8_t *)btid, btid_len);
		size_t off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, 0x1001, auth_alg_len(alg));
		memset(mnha, 0x3c, sizeof(mnha));
		if (b.err != REG_OK || !off || auth_sign(ctx, alg, mnha, sizeof(mnha), rr, off) ||
		    reg_parse_request(rr, b.len, &rm) != REG_OK || !auth_verify(ctx, alg, mnha, sizeof(mnha), &rm, &rm.mn_ha))
			bench_fail("building the re-registration RRQ failed");
		char label[64];
		snprintf(label, sizeof(label), "auth_verify MN-HA (%s)", auth_alg_name(alg));
		BENCH_NS(label, sink += auth_verify(ctx, alg, mnha, sizeof(mnha), &rm, &rm.mn_ha));
	}

	struct reg_bytes id = keygen_identifier(&m);
	BENCH_NS("keygen_derive (RFC 3957, HMAC-SHA-1)",
	         sink += keygen_derive(ctx, ks_naf, sizeof(ks_naf), nonce, sizeof(nonce), id.p, id.len, mnha));
	BENCH_NS("gba_ks_naf (TS 33.220, HMAC-SHA-256)",
	         sink += gba_ks_naf(ctx, ks, rand, impi, strlen(impi), naf_id, naf_len, false, ks_naf));
	BENCH_NS("auth_hmac HMAC-SHA-1 over 100 octets", sink += auth_hmac(ctx, AUTH_HMAC_SHA1, mnha, sizeof(mnha), buf, 100, mac));

	auth_ctx_free(ctx);
	(void)sink;
	return 0;
}
