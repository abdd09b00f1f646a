/* ipv4: header checks, checksum, fragmentation and ICMP errors (RFC 791, 1071, 1191, 1812). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/ipv4.h"

static uint32_t A(const char *s)
{
	struct in_addr a;
	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* A datagram of total octets from src to dst with proto, DF as asked, payload
 * octets i & 0xff; checksum filled in. */
static size_t mkpkt(uint8_t *p, size_t total, const char *src, const char *dst, uint8_t proto, bool df)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[1] = 0xb8;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[4] = 0x12;
	p[5] = 0x34;
	p[6] = df ? 0x40 : 0;
	p[8] = 63;
	p[9] = proto;
	uint32_t s = A(src), d = A(dst);
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	for (size_t i = 20; i < total; i++)
		p[i] = (uint8_t)i;
	ipv4_set_checksum(p);
	return total;
}

Test(ipv4, checksum_known_answer)
{
	/* The classic worked example: 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7. */
	uint8_t h[20] = { 0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7 };
	cr_expect_eq(ipv4_checksum(h, sizeof h), 0xb861);
	ipv4_set_checksum(h);
	cr_expect_eq(h[10], 0xb8);
	cr_expect_eq(h[11], 0x61);
	cr_expect_eq(ipv4_checksum(h, sizeof h), 0, "a header holding its checksum sums to zero");
	/* Odd length: the last octet is the high half of a padded word (RFC 1071). */
	uint8_t odd[3] = { 0x01, 0x02, 0x03 };
	cr_expect_eq(ipv4_checksum(odd, 3), (uint16_t)~(0x0102 + 0x0300));
	/* Carries fold back in. */
	uint8_t ff[4] = { 0xff, 0xff, 0x00, 0x02 };
	cr_expect_eq(ipv4_checksum(ff, 4), (uint16_t)~0x0002);
}

Test(ipv4, parse_valid_and_padding)
{
	uint8_t p[128];
	mkpkt(p, 100, "192.0.2.1", "198.51.100.7", IPV4_PROTO_UDP, true);
	struct ipv4_hdr h;
	cr_assert_eq(ipv4_parse(p, 128, &h), IPV4_OK, "octets past Total Length (link padding) are ignored");
	cr_expect_eq(h.hlen, 20);
	cr_expect_eq(h.tos, 0xb8);
	cr_expect_eq(h.total_len, 100);
	cr_expect_eq(h.id, 0x1234);
	cr_expect(ipv4_df(&h));
	cr_expect_not(ipv4_is_fragment(&h));
	cr_expect_eq(h.ttl, 63);
	cr_expect_eq(h.proto, IPV4_PROTO_UDP);
	cr_expect_eq(h.src, A("192.0.2.1"));
	cr_expect_eq(h.dst, A("198.51.100.7"));
}

Test(ipv4, parse_rejects)
{
	uint8_t p[64], q[64];
	struct ipv4_hdr h;
	mkpkt(p, 60, "192.0.2.1", "192.0.2.2", 6, false);
	cr_expect_eq(ipv4_parse(p, 19, &h), IPV4_ERR_SHORT);
	cr_expect_eq(ipv4_parse(p, 59, &h), IPV4_ERR_LENGTH, "Total Length beyond the octets at hand");
	memcpy(q, p, 60);
	q[0] = 0x65;
	cr_expect_eq(ipv4_parse(q, 60, &h), IPV4_ERR_VERSION);
	memcpy(q, p, 60);
	q[0] = 0x44;
	cr_expect_eq(ipv4_parse(q, 60, &h), IPV4_ERR_HLEN, "IHL 4");
	memcpy(q, p, 60);
	q[0] = 0x4f;
	q[3] = 40;
	cr_expect_eq(ipv4_parse(q, 40, &h), IPV4_ERR_HLEN, "a 60-octet header in a 40-octet datagram");
	memcpy(q, p, 60);
	q[3] = 19;
	cr_expect_eq(ipv4_parse(q, 60, &h), IPV4_ERR_LENGTH, "Total Length below the header");
	memcpy(q, p, 60);
	q[8] ^= 1;
	cr_expect_eq(ipv4_parse(q, 60, &h), IPV4_ERR_CHECKSUM);
	/* Options: a 24-octet header with a valid checksum is fine. */
	memcpy(q, p, 60);
	q[0] = 0x46;
	q[20] = 1, q[21] = 1, q[22] = 1, q[23] = 0;
	ipv4_set_checksum(q);
	cr_expect_eq(ipv4_parse(q, 60, &h), IPV4_OK);
	cr_expect_eq(h.hlen, 24);
	for (int e = 0; e < IPV4_ERR__COUNT; e++)
		cr_expect_neq(strcmp(ipv4_err_str((enum ipv4_err)e), "?"), 0);
}

static void reassemble_check(const uint8_t *orig, size_t total, size_t mtu, unsigned want)
{
	struct ipv4_hdr h;
	cr_assert_eq(ipv4_parse(orig, total, &h), IPV4_OK);
	unsigned n = ipv4_fragment_count(&h, mtu);
	cr_assert_eq(n, want, "mtu %zu: %u fragments, want %u", mtu, n, want);
	uint8_t whole[2000] = { 0 };
	size_t covered = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t f[2000];
		size_t len = ipv4_fragment_build(orig, &h, mtu, i, f, sizeof f);
		cr_assert_gt(len, 0);
		cr_expect_leq(len, mtu);
		struct ipv4_hdr fh;
		cr_assert_eq(ipv4_parse(f, len, &fh), IPV4_OK, "fragment %u has a valid header", i);
		cr_expect_eq(fh.id, h.id);
		cr_expect_eq(fh.proto, h.proto);
		cr_expect_eq(fh.src, h.src);
		cr_expect_eq(fh.tos, h.tos);
		size_t off = (size_t)(fh.frag & IPV4_OFFMASK) * 8;
		cr_expect_eq(off, covered, "fragments follow each other");
		if (i + 1 < n) {
			cr_expect(fh.frag & IPV4_MF, "MF on all but the last");
			cr_expect_eq((len - 20) % 8, 0);
		}
		memcpy(whole + off, f + 20, len - 20);
		covered += len - 20;
	}
	cr_expect_eq(covered, total - 20);
	cr_expect_eq(memcmp(whole, orig + 20, total - 20), 0, "the payload reassembles to the original");
	cr_expect_eq(ipv4_fragment_build(orig, &h, mtu, n, whole, sizeof whole), 0, "index past the last");
}

Test(ipv4, fragments)
{
	uint8_t p[1600];
	mkpkt(p, 1500, "192.0.2.1", "192.0.2.2", IPV4_PROTO_IPIP, false);
	reassemble_check(p, 1500, 1500, 1);
	reassemble_check(p, 1500, 1499, 2);
	reassemble_check(p, 1500, 576, 3);  /* 552 + 552 + 376 */
	reassemble_check(p, 1500, 68, 31);  /* the smallest MTU of RFC 791: 48 octets each */
	struct ipv4_hdr h;
	ipv4_parse(p, 1500, &h);
	cr_expect_eq(ipv4_fragment_count(&h, 27), 0, "no room for 8 octets of payload");
	cr_expect_eq(ipv4_fragment_count(&h, 28), 185);
	uint8_t small[16];
	cr_expect_eq(ipv4_fragment_build(p, &h, 576, 0, small, sizeof small), 0, "cap too small");

	mkpkt(p, 1500, "192.0.2.1", "192.0.2.2", IPV4_PROTO_IPIP, true);
	ipv4_parse(p, 1500, &h);
	cr_expect_eq(ipv4_fragment_count(&h, 1400), 0, "DF forbids it");
	cr_expect_eq(ipv4_fragment_count(&h, 1500), 1, "DF but it fits");
}

Test(ipv4, fragment_of_a_fragment)
{
	uint8_t p[1100];
	mkpkt(p, 1020, "192.0.2.1", "192.0.2.2", 17, false);
	/* A middle fragment of something bigger: offset 100 (800 octets), MF set. */
	p[6] = 0x20;
	p[7] = 100;
	ipv4_set_checksum(p);
	struct ipv4_hdr h;
	cr_assert_eq(ipv4_parse(p, 1020, &h), IPV4_OK);
	cr_assert_eq(ipv4_fragment_count(&h, 524), 2, "504 + 496 octets");
	uint8_t f[600];
	size_t len = ipv4_fragment_build(p, &h, 524, 1, f, sizeof f);
	cr_assert_eq(len, 20 + 496);
	struct ipv4_hdr fh;
	cr_assert_eq(ipv4_parse(f, len, &fh), IPV4_OK);
	cr_expect_eq(fh.frag & IPV4_OFFMASK, 100 + 504 / 8, "offsets add to the datagram's own");
	cr_expect(fh.frag & IPV4_MF, "the last piece keeps the original MF");
	/* The last fragment of a datagram keeps MF clear. */
	p[6] = 0;
	ipv4_set_checksum(p);
	ipv4_parse(p, 1020, &h);
	len = ipv4_fragment_build(p, &h, 524, 1, f, sizeof f);
	ipv4_parse(f, len, &fh);
	cr_expect_not(fh.frag & IPV4_MF);
	/* Options are not split (only copied options may repeat). */
	uint8_t o[1100];
	memcpy(o, p, 1020);
	o[0] = 0x46;
	ipv4_set_checksum(o);
	ipv4_parse(o, 1020, &h);
	cr_expect_eq(ipv4_fragment_count(&h, 524), 0);
}

Test(ipv4, icmp_error_allowed)
{
	uint8_t p[100];
	struct ipv4_hdr h;
	struct {
		const char *src, *dst;
		uint8_t proto, icmp_type;
		uint16_t frag;
		bool ok;
		const char *why;
	} cases[] = {
		{ "192.0.2.5", "10.23.1.1", 17, 0, 0, true, "ordinary unicast" },
		{ "192.0.2.5", "10.23.1.1", 1, 8, 0, true, "an echo request" },
		{ "192.0.2.5", "10.23.1.1", 1, 0, 0, true, "an echo reply" },
		{ "192.0.2.5", "10.23.1.1", 1, 3, 0, false, "an ICMP unreachable" },
		{ "192.0.2.5", "10.23.1.1", 1, 11, 0, false, "an ICMP time exceeded" },
		{ "192.0.2.5", "10.23.1.1", 1, 12, 0, false, "an ICMP parameter problem" },
		{ "192.0.2.5", "10.23.1.1", 1, 4, 0, false, "an ICMP source quench" },
		{ "192.0.2.5", "10.23.1.1", 1, 5, 0, false, "an ICMP redirect" },
		{ "192.0.2.5", "10.23.1.1", 17, 0, 0x2000, true, "an initial fragment" },
		{ "192.0.2.5", "10.23.1.1", 17, 0, 0x0001, false, "a non-initial fragment" },
		{ "192.0.2.5", "255.255.255.255", 17, 0, 0, false, "to the limited broadcast" },
		{ "192.0.2.5", "224.0.0.1", 17, 0, 0, false, "to a multicast group" },
		{ "192.0.2.5", "239.255.255.255", 17, 0, 0, false, "to a multicast group (top)" },
		{ "0.0.0.0", "10.23.1.1", 17, 0, 0, false, "from 0.0.0.0" },
		{ "0.1.2.3", "10.23.1.1", 17, 0, 0, false, "from 0/8" },
		{ "127.0.0.1", "10.23.1.1", 17, 0, 0, false, "from loopback" },
		{ "224.1.2.3", "10.23.1.1", 17, 0, 0, false, "from multicast" },
		{ "240.0.0.1", "10.23.1.1", 17, 0, 0, false, "from class E" },
		{ "255.255.255.255", "10.23.1.1", 17, 0, 0, false, "from the broadcast" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mkpkt(p, 60, cases[i].src, cases[i].dst, cases[i].proto, false);
		p[6] = (uint8_t)(cases[i].frag >> 8);
		p[7] = (uint8_t)cases[i].frag;
		p[20] = cases[i].icmp_type;
		ipv4_set_checksum(p);
		cr_assert_eq(ipv4_parse(p, 60, &h), IPV4_OK);
		cr_expect_eq(icmp_error_allowed(p, &h), cases[i].ok, "%s", cases[i].why);
	}
	mkpkt(p, 20, "192.0.2.5", "10.23.1.1", 1, false);
	ipv4_parse(p, 20, &h);
	cr_expect_not(icmp_error_allowed(p, &h), "an ICMP datagram without its ICMP header");
}

static void icmp_check(const uint8_t *e, size_t len, const uint8_t *orig, const struct ipv4_hdr *oh, uint8_t code,
                       uint16_t mtu, size_t quoted)
{
	struct ipv4_hdr h;
	cr_assert_eq(ipv4_parse(e, len, &h), IPV4_OK);
	cr_expect_eq(h.total_len, len);
	cr_expect_eq(h.proto, IPV4_PROTO_ICMP);
	cr_expect_eq(h.src, A("10.23.0.1"));
	cr_expect_eq(h.dst, oh->src, "back to the sender");
	cr_expect_eq(h.tos, oh->tos, "TOS of the original (RFC 1812 §4.3.2.5)");
	cr_expect_eq(h.ttl, 64);
	cr_expect_eq(h.id, 77);
	const uint8_t *icmp = e + 20;
	cr_expect_eq(icmp[0], 3);
	cr_expect_eq(icmp[1], code);
	cr_expect_eq(ipv4_checksum(icmp, len - 20), 0, "ICMP checksum");
	cr_expect_eq(icmp[4], 0, "unused");
	cr_expect_eq(icmp[5], 0, "unused");
	cr_expect_eq(icmp[6] << 8 | icmp[7], mtu, "next-hop MTU (RFC 1191)");
	cr_expect_eq(len, 28 + quoted);
	cr_expect_eq(memcmp(icmp + 8, orig, quoted), 0, "the original, quoted from its first octet");
}

Test(ipv4, icmp_unreach)
{
	uint8_t p[1500], e[1500];
	struct ipv4_hdr h;
	mkpkt(p, 1500, "10.23.0.2", "10.23.1.1", IPV4_PROTO_ICMP, true);
	ipv4_parse(p, 1500, &h);
	size_t len = icmp_unreach_build(e, sizeof e, p, &h, A("10.23.0.1"), ICMP_CODE_FRAG_NEEDED, 1480, 77);
	icmp_check(e, len, p, &h, 4, 1480, 576 - 28);
	cr_expect_eq(len, ICMP_ERROR_MAX, "as much as fits in 576 octets (RFC 1812 §4.3.2.3)");

	mkpkt(p, 60, "192.0.2.9", "10.23.1.1", 17, false);
	ipv4_parse(p, 60, &h);
	len = icmp_unreach_build(e, sizeof e, p, &h, A("10.23.0.1"), ICMP_CODE_HOST_UNREACH, 1480, 77);
	icmp_check(e, len, p, &h, 1, 0, 60);

	/* A small buffer quotes less, but never less than the header and 8 octets. */
	mkpkt(p, 1500, "10.23.0.2", "10.23.1.1", 17, true);
	ipv4_parse(p, 1500, &h);
	len = icmp_unreach_build(e, 56, p, &h, A("10.23.0.1"), ICMP_CODE_HOST_UNREACH, 0, 77);
	icmp_check(e, len, p, &h, 1, 0, 28);
	cr_expect_eq(icmp_unreach_build(e, 55, p, &h, A("10.23.0.1"), 1, 0, 77), 0);
}
