#include "tests/unit/test_ipv4_support.h"

#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/ipip.h"

uint32_t ip4(const char *s)
{
	struct in_addr a;
	cr_assert_eq(inet_pton(AF_INET, s, &a), 1, "bad address %s", s);
	return a.s_addr;
}

size_t ipv4_test_dgram(uint8_t *p, size_t total, const char *src, const char *dst, bool df)
{
	memset(p, 0, total);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[6] = df ? 0x40 : 0;
	p[8] = 64;
	p[9] = IPV4_PROTO_UDP;
	uint32_t s = ip4(src), d = ip4(dst);
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	ipv4_set_checksum(p);
	return total;
}

size_t ipv4_test_tunnelled(uint8_t *p, const char *src, const char *dst, const char *isrc, const char *idst,
                           size_t inner_total)
{
	size_t n = ipv4_test_dgram(p + IPIP_HDR_LEN, inner_total, isrc, idst, false);
	struct ipv4_hdr ih;
	cr_assert_eq(ipv4_parse(p + IPIP_HDR_LEN, n, &ih), IPV4_OK);
	cr_assert(ipip_encap_header(p, &ih, ip4(src), ip4(dst), 1, IPIP_TTL));
	return n + IPIP_HDR_LEN;
}
