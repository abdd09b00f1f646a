/*
 * lib/inet: IPv4 + UDP parsing and building for the packet-socket paths.
 * The reference datagram was built with Python's struct module (checksums by
 * the RFC 1071 algorithm), not with lib/inet: 198.51.100.1:434 ->
 * 10.1.0.5:3000, TTL 64, id 0x1234, DF, payload "abc".
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <string.h>

#include "lib/inet.h"
#include "tests/unit/vectors.h"

#define REF_UDP "4500001f123440004011f45fc63364010a010005 01b20bb8000bf9d0 616263"

Test(inet, checksum_rfc1071_example)
{
	/* RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d. */
	const uint8_t w[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	cr_assert_eq(inet_checksum(w, sizeof w, 0), 0x220d);
	const uint8_t odd[3] = { 0x01, 0x02, 0x03 };
	cr_assert_eq(inet_checksum(odd, 3, 0), (uint16_t)~(0x0102 + 0x0300));
}

Test(inet, builds_the_reference_datagram)
{
	uint8_t want[64], got[64];
	size_t n = vectors_unhex(REF_UDP, want, sizeof want);
	size_t len = inet_build_udp(got, sizeof got, inet_addr("198.51.100.1"), inet_addr("10.1.0.5"), 434, 3000, 64,
	                            0x1234, (const uint8_t *)"abc", 3);
	cr_assert_eq(len, n);
	cr_assert_arr_eq(got, want, n);
	cr_assert_eq(inet_build_udp(got, n - 1, 1, 2, 3, 4, 64, 0, (const uint8_t *)"abc", 3), 0);
}

Test(inet, parses_the_reference_datagram)
{
	uint8_t b[80];
	size_t n = vectors_unhex(REF_UDP, b, sizeof b);
	memset(b + n, 0xee, 10); /* Ethernet padding after the datagram is ignored */
	struct inet_view v;
	cr_assert_eq(inet_parse(b, n + 10, INET_PROTO_UDP, INET_TRUST_NONE, &v), INET_OK);
	cr_assert_eq(v.src, inet_addr("198.51.100.1"));
	cr_assert_eq(v.dst, inet_addr("10.1.0.5"));
	cr_assert_eq(v.ttl, 64);
	cr_assert_eq(v.sport, 434);
	cr_assert_eq(v.dport, 3000);
	cr_assert_eq(v.payload_len, 3);
	cr_assert_eq(memcmp(v.payload, "abc", 3), 0);
	cr_assert_eq(inet_parse(b, n, INET_PROTO_ICMP, INET_TRUST_NONE, &v), INET_ERR_PROTOCOL);
	cr_assert_eq(inet_parse(b, n, 0, INET_TRUST_NONE, &v), INET_OK);
	cr_assert_eq(v.payload_len, 3, "any protocol: a UDP datagram is still parsed as UDP");
}

Test(inet, zero_udp_checksum_means_none)
{
	uint8_t b[64];
	size_t n = vectors_unhex(REF_UDP, b, sizeof b);
	b[26] = b[27] = 0;
	struct inet_view v;
	cr_assert_eq(inet_parse(b, n, INET_PROTO_UDP, INET_TRUST_NONE, &v), INET_OK);
}

Test(inet, trusted_udp_checksum_is_not_checked)
{
	/* What a packet socket sees of a datagram sent with checksum offload. */
	uint8_t b[64];
	size_t n = vectors_unhex(REF_UDP, b, sizeof b);
	b[26] ^= 0x55;
	struct inet_view v;
	cr_assert_eq(inet_parse(b, n, INET_PROTO_UDP, INET_TRUST_NONE, &v), INET_ERR_UDP_CHECKSUM);
	cr_assert_eq(inet_parse(b, n, INET_PROTO_UDP, INET_TRUST_UDP_CHECKSUM, &v), INET_OK);
	cr_assert_eq(v.payload_len, 3);
	b[25] = 0x20; /* lengths are still checked */
	cr_assert_eq(inet_parse(b, n, INET_PROTO_UDP, INET_TRUST_UDP_CHECKSUM, &v), INET_ERR_UDP_LENGTH);
}

Test(inet, every_corruption_is_caught)
{
	uint8_t ref[64];
	size_t n = vectors_unhex(REF_UDP, ref, sizeof ref);
	struct {
		size_t at;
		uint8_t val;
		enum inet_err want;
	} cases[] = {
		{ 0, 0x65, INET_ERR_VERSION },
		{ 0, 0x44, INET_ERR_VERSION },
		{ 0, 0x4f, INET_ERR_SHORT },
		{ 3, 0xff, INET_ERR_LENGTH },
		{ 3, 0x10, INET_ERR_LENGTH },
		{ 10, 0x00, INET_ERR_IP_CHECKSUM },
		{ 6, 0x60, INET_ERR_FRAGMENT },
		{ 7, 0x01, INET_ERR_FRAGMENT },
		{ 25, 0x07, INET_ERR_UDP_LENGTH },
		{ 25, 0x0c, INET_ERR_UDP_LENGTH },
		{ 29, 0x63, INET_ERR_UDP_CHECKSUM },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint8_t b[64];
		memcpy(b, ref, n);
		b[cases[i].at] = cases[i].val;
		if (cases[i].at != 10 && cases[i].at < 20) {
			/* Header edits keep a valid header checksum unless that is the point. */
			b[10] = b[11] = 0;
			uint16_t c = inet_checksum(b, (size_t)(b[0] & 0x0f) * 4 > n ? 20 : (size_t)(b[0] & 0x0f) * 4, 0);
			b[10] = (uint8_t)(c >> 8);
			b[11] = (uint8_t)c;
		}
		struct inet_view v;
		enum inet_err e = inet_parse(b, n, INET_PROTO_UDP, INET_TRUST_NONE, &v);
		cr_expect_eq(e, cases[i].want, "case %zu: got %s, want %s", i, inet_err_str(e),
		             inet_err_str(cases[i].want));
	}
	struct inet_view v;
	cr_assert_eq(inet_parse(ref, 19, INET_PROTO_UDP, INET_TRUST_NONE, &v), INET_ERR_SHORT);
	cr_assert_eq(inet_parse(NULL, 0, INET_PROTO_UDP, INET_TRUST_NONE, &v), INET_ERR_SHORT);
}

Test(inet, multicast)
{
	cr_assert(inet_is_multicast(inet_addr("224.0.0.11")));
	cr_assert(inet_is_multicast(inet_addr("239.255.255.255")));
	cr_assert_not(inet_is_multicast(inet_addr("240.0.0.1")));
	cr_assert_not(inet_is_multicast(inet_addr("198.51.100.1")));
}
