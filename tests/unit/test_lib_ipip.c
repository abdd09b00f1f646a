/* ipip: RFC 2003 outer header and the decapsulator's checks. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/ipip.h"

static uint32_t A(const char *s)
{
	struct in_addr a;
	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static size_t inner_pkt(uint8_t *p, size_t total, uint8_t tos, bool df)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[1] = tos;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[6] = df ? 0x40 : 0;
	p[8] = 63;
	p[9] = 17;
	uint32_t s = A("10.23.0.2"), d = A("10.23.1.1");
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	for (size_t i = 20; i < total; i++)
		p[i] = (uint8_t)(i * 7);
	ipv4_set_checksum(p);
	return total;
}

/* outer || inner in buf; returns the total length. */
static size_t encap(uint8_t *buf, size_t inner_len, uint8_t tos, bool df)
{
	inner_pkt(buf + 20, inner_len, tos, df);
	struct ipv4_hdr ih;
	cr_assert_eq(ipv4_parse(buf + 20, inner_len, &ih), IPV4_OK);
	cr_assert(ipip_encap_header(buf, &ih, A("10.23.0.1"), A("198.51.100.2"), 0xbeef, IPIP_TTL));
	return inner_len + 20;
}

Test(ipip, outer_header)
{
	uint8_t b[1600];
	size_t len = encap(b, 1000, 0xb9, true);
	struct ipv4_hdr o;
	cr_assert_eq(ipv4_parse(b, len, &o), IPV4_OK, "a valid header with its checksum");
	cr_expect_eq(o.hlen, 20);
	cr_expect_eq(o.total_len, 1020, "20 + inner Total Length");
	cr_expect_eq(o.tos, 0xb9, "TOS copied, ECN bits included");
	cr_expect(ipv4_df(&o), "DF copied when set");
	cr_expect_not(ipv4_is_fragment(&o));
	cr_expect_eq(o.proto, 4);
	cr_expect_eq(o.ttl, IPIP_TTL);
	cr_expect_eq(o.id, 0xbeef);
	cr_expect_eq(o.src, A("10.23.0.1"));
	cr_expect_eq(o.dst, A("198.51.100.2"));
	len = encap(b, 100, 0, false);
	ipv4_parse(b, len, &o);
	cr_expect_not(ipv4_df(&o), "DF clear when the inner's is");
	cr_expect_eq(o.tos, 0);

	struct ipv4_hdr big = { .hlen = 20, .total_len = 65535 - 19 };
	cr_expect_not(ipip_encap_header(b, &big, 1, 2, 0, 64), "over 65535 octets");
	big.total_len = 65535 - 20;
	cr_expect(ipip_encap_header(b, &big, 1, 2, 0, 64));
}

Test(ipip, decap_roundtrip)
{
	uint8_t b[1600];
	size_t len = encap(b, 333, 0x10, false);
	struct ipip_view v;
	cr_assert_eq(ipip_decap_parse(b, len, &v), IPIP_OK);
	cr_expect_eq(v.inner_pkt, b + 20);
	cr_expect_eq(v.inner.total_len, 333);
	cr_expect_eq(v.inner.src, A("10.23.0.2"));
	cr_expect_eq(v.outer.dst, A("198.51.100.2"));
}

Test(ipip, decap_rejects)
{
	uint8_t b[1600], c[1600];
	size_t len = encap(b, 200, 0, false);
	struct ipip_view v;

	cr_expect_eq(ipip_decap_parse(b, 10, &v), IPIP_ERR_OUTER);
	cr_expect_eq(v.detail, IPV4_ERR_SHORT);
	memcpy(c, b, len);
	c[9] = 41;
	ipv4_set_checksum(c);
	cr_expect_eq(ipip_decap_parse(c, len, &v), IPIP_ERR_NOT_IPIP);
	memcpy(c, b, len);
	c[6] = 0x20;
	ipv4_set_checksum(c);
	cr_expect_eq(ipip_decap_parse(c, len, &v), IPIP_ERR_FRAGMENT);
	memcpy(c, b, len);
	c[20 + 8] ^= 0xff; /* inner TTL without fixing its checksum */
	cr_expect_eq(ipip_decap_parse(c, len, &v), IPIP_ERR_INNER);
	cr_expect_eq(v.detail, IPV4_ERR_CHECKSUM);
	memcpy(c, b, len);
	c[20] = 0x65;
	cr_expect_eq(ipip_decap_parse(c, len, &v), IPIP_ERR_INNER);
	cr_expect_eq(v.detail, IPV4_ERR_VERSION);
	/* Outer payload longer than the inner datagram: junk after it. */
	memcpy(c, b, len);
	c[len] = 0;
	c[2] = (uint8_t)((len + 1) >> 8);
	c[3] = (uint8_t)(len + 1);
	ipv4_set_checksum(c);
	cr_expect_eq(ipip_decap_parse(c, len + 1, &v), IPIP_ERR_INNER_LENGTH);
	/* Inner Total Length beyond the outer payload. */
	memcpy(c, b, len);
	c[2] = (uint8_t)((len - 1) >> 8);
	c[3] = (uint8_t)(len - 1);
	ipv4_set_checksum(c);
	cr_expect_eq(ipip_decap_parse(c, len, &v), IPIP_ERR_INNER);
	cr_expect_eq(v.detail, IPV4_ERR_LENGTH);
	for (int e = 0; e < IPIP_ERR__COUNT; e++)
		cr_expect_neq(strcmp(ipip_err_str((enum ipip_err)e), "?"), 0);
}
