/*
 * lib/adv: Agent Advertisement and Agent Solicitation (RFC 5944 §2, RFC 4721 §2).
 *
 * The reference advertisement below was put together by hand from the RFC
 * layouts (and its checksum computed with Python), not with lib/adv: code 16,
 * lifetime 9 s, one router 198.51.100.1 (preference 0), Mobility Agent
 * Advertisement Extension (seq 7, registration lifetime 1800, flags F and T,
 * care-of address 198.51.100.1), Prefix-Lengths (24), Challenge de ad be ef, and
 * one pad octet to make the length even.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <string.h>

#include "lib/adv.h"
#include "lib/inet.h"
#include "tests/unit/vectors.h"

#define REF_ADV "0910acaa01020009c633640100000000100a000707081100c63364011301181804deadbeef00"
#define REF_SOL "0a00f5ff00000000"

static uint32_t ip(const char *s)
{
	return inet_addr(s);
}

static struct adv_params ref_params(void)
{
	static const uint8_t chal[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct adv_params p = {
		.code = ADV_CODE_MOBILITY_ONLY,
		.lifetime = 9,
		.num_routers = 1,
		.seq = 7,
		.reg_lifetime = 1800,
		.flags = ADV_FLAG_F | ADV_FLAG_T,
		.n_coa = 1,
		.prefix_lengths = true,
		.challenge = chal,
		.challenge_len = 4,
		.pad_even = true,
	};
	p.routers[0] = ip("198.51.100.1");
	p.coas[0] = ip("198.51.100.1");
	p.prefix_len[0] = 24;
	return p;
}

/* Recompute the ICMP checksum after a test edited a message. */
static void fix_checksum(uint8_t *b, size_t len)
{
	b[2] = b[3] = 0;
	uint16_t c = inet_checksum(b, len, 0);
	b[2] = (uint8_t)(c >> 8);
	b[3] = (uint8_t)c;
}

Test(adv, builds_the_reference_advertisement)
{
	uint8_t want[64], got[64];
	size_t n = vectors_unhex(REF_ADV, want, sizeof want);
	struct adv_params p = ref_params();
	size_t len = adv_build(got, sizeof got, &p);
	cr_assert_eq(len, n);
	cr_assert_arr_eq(got, want, n);
}

Test(adv, parses_the_reference_advertisement)
{
	uint8_t b[64];
	size_t n = vectors_unhex(REF_ADV, b, sizeof b);
	struct adv_msg m;
	cr_assert_eq(adv_parse(b, n, &m), ADV_OK);
	cr_assert_eq(m.code, 16);
	cr_assert_eq(m.lifetime, 9);
	cr_assert_eq(m.num_addrs, 1);
	cr_assert_eq(m.entry_words, 2);
	int32_t pref = -1;
	cr_assert_eq(adv_router(&m, 0, &pref), ip("198.51.100.1"));
	cr_assert_eq(pref, 0);
	cr_assert_eq(m.seq, 7);
	cr_assert_eq(m.reg_lifetime, 1800);
	cr_assert_eq(m.flags, ADV_FLAG_F | ADV_FLAG_T);
	cr_assert_eq(m.n_coa, 1);
	cr_assert_eq(adv_coa(&m, 0), ip("198.51.100.1"));
	cr_assert_eq(m.prefix_lengths.len, 1);
	cr_assert_eq(m.prefix_lengths.p[0], 24);
	cr_assert_eq(m.challenge.len, 4);
	cr_assert_eq(memcmp(m.challenge.p, "\xde\xad\xbe\xef", 4), 0);
	cr_assert_eq(m.n_pads, 1);
}

Test(adv, minimal_advertisement_round_trip)
{
	struct adv_params p = { .code = 0, .lifetime = 3, .seq = 0xffff, .reg_lifetime = 0xffff, .flags = ADV_FLAG_F,
	                        .n_coa = 2 };
	p.coas[0] = ip("192.0.2.1");
	p.coas[1] = ip("192.0.2.2");
	uint8_t b[64];
	size_t n = adv_build(b, sizeof b, &p);
	cr_assert_eq(n, 8 + 2 + 6 + 8, "no router, one extension, no pad unless asked");
	struct adv_msg m;
	cr_assert_eq(adv_parse(b, n, &m), ADV_OK);
	cr_assert_eq(m.num_addrs, 0, "RFC 5944 §2.1: Num Addrs MAY be 0");
	cr_assert_eq(m.n_coa, 2);
	cr_assert_eq(adv_coa(&m, 1), ip("192.0.2.2"));
	cr_assert_null(m.prefix_lengths.p);
	cr_assert_null(m.challenge.p);
	cr_assert_eq(m.seq, 0xffff);
}

Test(adv, solicitation)
{
	uint8_t want[8], got[8];
	vectors_unhex(REF_SOL, want, sizeof want);
	cr_assert_eq(adv_build_solicitation(got, sizeof got), 8);
	cr_assert_arr_eq(got, want, 8);
	cr_assert_eq(adv_parse_solicitation(got, 8), ADV_OK);
	uint8_t longer[12] = { 10, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 };
	fix_checksum(longer, sizeof longer);
	cr_assert_eq(adv_parse_solicitation(longer, sizeof longer), ADV_OK, "RFC 1256: length >= 8");
	cr_assert_eq(adv_parse_solicitation(got, 7), ADV_ERR_SHORT);
	got[1] = 1;
	fix_checksum(got, 8);
	cr_assert_eq(adv_parse_solicitation(got, 8), ADV_ERR_CODE);
	got[1] = 0;
	got[6] ^= 1;
	cr_assert_eq(adv_parse_solicitation(got, 8), ADV_ERR_CHECKSUM);
	cr_assert_eq(adv_parse_solicitation(NULL, 0), ADV_ERR_SHORT);
	uint8_t adv[64];
	size_t n = vectors_unhex(REF_ADV, adv, sizeof adv);
	cr_assert_eq(adv_parse_solicitation(adv, n), ADV_ERR_TYPE);
}

Test(adv, larger_address_entries_are_stepped_over)
{
	/* RFC 1256 §6.2: hosts accept Addr Entry Size >= 2 (future versions). */
	uint8_t b[64];
	size_t n = vectors_unhex("0900 0000 0103 0009 c6336401 00000005 aabbccdd 100a 0007 0708 1000 c6336401", b, sizeof b);
	fix_checksum(b, n);
	struct adv_msg m;
	cr_assert_eq(adv_parse(b, n, &m), ADV_OK);
	int32_t pref;
	cr_assert_eq(adv_router(&m, 0, &pref), ip("198.51.100.1"));
	cr_assert_eq(pref, 5);
	cr_assert_eq(m.seq, 7);
}

Test(adv, unknown_skippable_extension_is_stepped_over)
{
	uint8_t b[64];
	size_t n = vectors_unhex("0900 0000 0002 0009 100a 0007 0708 1000 c6336401 c803 010203 00", b, sizeof b);
	fix_checksum(b, n);
	struct adv_msg m;
	cr_assert_eq(adv_parse(b, n, &m), ADV_OK);
	cr_assert_eq(m.n_pads, 1);
}

struct bad_case {
	const char *name;
	const char *hex;
	enum adv_err want;
};

/* Advertisements (checksum recomputed unless the case is about it). */
static const struct bad_case bad[] = {
	{ "short", "0900 0000 0002", ADV_ERR_SHORT },
	{ "wrong type", "0a00 0000 0002 0009 100a 0007 0708 1000 c6336401", ADV_ERR_TYPE },
	{ "code 1", "0901 0000 0002 0009 100a 0007 0708 1000 c6336401", ADV_ERR_CODE },
	{ "entry size 1", "0900 0000 0001 0009 100a 0007 0708 1000 c6336401", ADV_ERR_ENTRY_SIZE },
	{ "routers past the end", "0900 0000 0202 0009 c6336401 00000000", ADV_ERR_ROUTERS },
	{ "no extension at all", "0900 0000 0102 0009 c6336401 00000000", ADV_ERR_NO_MOBILITY },
	{ "only a pad", "0900 0000 0002 0009 00", ADV_ERR_NO_MOBILITY },
	{ "extension header cut", "0900 0000 0002 0009 100a 0007 0708 1000 c6336401 18", ADV_ERR_EXT_TRUNCATED },
	{ "extension body cut", "0900 0000 0002 0009 100a 0007 0708 1000 c63364", ADV_ERR_EXT_TRUNCATED },
	{ "unknown type 20", "0900 0000 0002 0009 100a 0007 0708 1000 c6336401 1400", ADV_ERR_EXT_UNKNOWN },
	{ "two mobility extensions",
	  "0900 0000 0002 0009 100a 0007 0708 1000 c6336401 100a 0007 0708 1000 c6336401", ADV_ERR_EXT_DUPLICATE },
	{ "two challenges", "0900 0000 0002 0009 100a 0007 0708 1000 c6336401 1801 aa 1801 bb", ADV_ERR_EXT_DUPLICATE },
	{ "two prefix lists", "0900 0000 0002 0009 100a 0007 0708 1000 c6336401 1300 1300", ADV_ERR_EXT_DUPLICATE },
	{ "mobility length 5", "0900 0000 0002 0009 1005 0007 0708 10", ADV_ERR_EXT_LENGTH },
	{ "mobility length 8", "0900 0000 0002 0009 1008 0007 0708 1000 c633", ADV_ERR_EXT_LENGTH },
	{ "prefix list of the wrong size", "0900 0000 0102 0009 c6336401 00000000 100a 0007 0708 1000 c6336401 1302 1818",
	  ADV_ERR_EXT_LENGTH },
	{ "empty challenge", "0900 0000 0002 0009 100a 0007 0708 1000 c6336401 1800", ADV_ERR_EXT_LENGTH },
	{ "prefix lengths first", "0900 0000 0002 0009 1300 100a 0007 0708 1000 c6336401", ADV_ERR_ORDER },
	{ "F without care-of address", "0900 0000 0002 0009 1006 0007 0708 1000", ADV_ERR_FLAGS },
	{ "B without F", "0900 0000 0002 0009 1006 0007 0708 6000", ADV_ERR_FLAGS },
	{ "R without F", "0900 0000 0002 0009 1006 0007 0708 a000", ADV_ERR_FLAGS },
	{ "neither F nor H", "0900 0000 0002 0009 100a 0007 0708 0100 c6336401", ADV_ERR_FLAGS },
};

Test(adv, malformed_advertisements)
{
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		uint8_t b[128];
		size_t n = vectors_unhex(bad[i].hex, b, sizeof b);
		if (n >= 8)
			fix_checksum(b, n);
		struct adv_msg m;
		enum adv_err e = adv_parse(b, n, &m);
		cr_expect_eq(e, bad[i].want, "%s: got %s, want %s", bad[i].name, adv_err_str(e), adv_err_str(bad[i].want));
	}
}

Test(adv, checksum_is_checked)
{
	uint8_t b[64];
	size_t n = vectors_unhex(REF_ADV, b, sizeof b);
	for (size_t i = 0; i < n; i++) {
		b[i] ^= 0x40;
		struct adv_msg m;
		cr_expect_neq(adv_parse(b, n, &m), ADV_OK, "flipped octet %zu accepted", i);
		b[i] ^= 0x40;
	}
}

Test(adv, home_agent_only_advertisement_is_valid)
{
	struct adv_params p = { .code = 0, .lifetime = 30, .flags = ADV_FLAG_H };
	uint8_t b[64];
	size_t n = adv_build(b, sizeof b, &p);
	cr_assert_gt(n, 0);
	struct adv_msg m;
	cr_assert_eq(adv_parse(b, n, &m), ADV_OK);
	cr_assert_eq(m.n_coa, 0);
}

Test(adv, builder_refuses_what_the_parser_refuses)
{
	uint8_t b[ADV_MAX_LEN];
	struct adv_params p = ref_params();
	p.flags = ADV_FLAG_B;
	cr_assert_eq(adv_build(b, sizeof b, &p), 0, "B without F");
	p = ref_params();
	p.n_coa = 0;
	cr_assert_eq(adv_build(b, sizeof b, &p), 0, "F without care-of address");
	p = ref_params();
	p.challenge_len = 0;
	cr_assert_eq(adv_build(b, sizeof b, &p), 0, "empty challenge");
	p = ref_params();
	p.code = 3;
	cr_assert_eq(adv_build(b, sizeof b, &p), 0, "code 3");
	p = ref_params();
	p.num_routers = ADV_MAX_ROUTERS + 1;
	cr_assert_eq(adv_build(b, sizeof b, &p), 0, "too many routers");
	p = ref_params();
	cr_assert_eq(adv_build(b, 37, &p), 0, "one octet short");
	cr_assert_eq(adv_build(b, 38, &p), 38);
}

Test(adv, longest_challenge_round_trip)
{
	uint8_t chal[ADV_CHALLENGE_MAX];
	for (size_t i = 0; i < sizeof chal; i++)
		chal[i] = (uint8_t)i;
	struct adv_params p = ref_params();
	p.challenge = chal;
	p.challenge_len = sizeof chal;
	uint8_t b[ADV_MAX_LEN];
	size_t n = adv_build(b, sizeof b, &p);
	cr_assert_gt(n, 0);
	cr_assert_eq(n % 2, 0);
	struct adv_msg m;
	cr_assert_eq(adv_parse(b, n, &m), ADV_OK);
	cr_assert_eq(m.challenge.len, sizeof chal);
	cr_assert_arr_eq(m.challenge.p, chal, sizeof chal);
}

Test(adv, sequence_numbers)
{
	/* RFC 5944 §2.3.2: 0 first, one more each time, 0xffff followed by 256. */
	cr_assert_eq(adv_seq_next(0), 1);
	cr_assert_eq(adv_seq_next(255), 256);
	cr_assert_eq(adv_seq_next(0xfffe), 0xffff);
	cr_assert_eq(adv_seq_next(0xffff), 256);
	/* §2.4.4: a decrease to below 256 is a restart, the wrap to 256 is not. */
	cr_assert(adv_seq_restarted(40, 0));
	cr_assert(adv_seq_restarted(0xffff, 3));
	cr_assert_not(adv_seq_restarted(0xffff, 256));
	cr_assert_not(adv_seq_restarted(5, 6));
	cr_assert_not(adv_seq_restarted(5, 5));
	cr_assert(adv_seq_restarted(300, 255));
}
