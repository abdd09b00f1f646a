/* fwd: the HA's forwarding decisions (RFC 5944 §4.2.3, RFC 2003 §3, RFC 3024 §4.2). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/ipip.h"
#include "mip4-ha/fwd.h"

static uint32_t A(const char *s)
{
	struct in_addr a;
	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static struct fwd_table t;

static void setup(void)
{
	cr_assert_eq(fwd_table_init(&t, 16), 0);
	cr_assert_not_null(fwd_set(&t, A("10.23.1.1"), A("198.51.100.2"), 1480, 0, 3));
	cr_assert_not_null(fwd_set(&t, A("10.23.1.2"), A("203.0.113.2"), 1400, FWD_REVERSE, 4));
}

static void teardown(void)
{
	fwd_table_destroy(&t);
}

/* A UDP datagram src -> dst of total octets. */
static size_t dgram(uint8_t *p, size_t total, const char *src, const char *dst, bool df)
{
	memset(p, 0, total);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[6] = df ? 0x40 : 0;
	p[8] = 64;
	p[9] = 17;
	uint32_t s = A(src), d = A(dst);
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	ipv4_set_checksum(p);
	return total;
}

/* outer(src -> dst) || inner(isrc -> idst) */
static size_t tunnelled(uint8_t *b, const char *src, const char *dst, const char *isrc, const char *idst)
{
	size_t n = dgram(b + 20, 100, isrc, idst, false);
	struct ipv4_hdr ih;
	cr_assert_eq(ipv4_parse(b + 20, n, &ih), IPV4_OK);
	cr_assert(ipip_encap_header(b, &ih, A(src), A(dst), 1, 64));
	return n + 20;
}

TestSuite(fwd, .init = setup, .fini = teardown);

Test(fwd, table)
{
	struct fwd_entry *e = fwd_find(&t, A("10.23.1.1"));
	cr_assert_not_null(e);
	cr_expect_eq(e->coa, A("198.51.100.2"));
	cr_expect_eq(e->tunnel_mtu, 1480);
	cr_expect_eq(e->slot, 3);
	cr_expect_eq(fwd_set(&t, A("10.23.1.1"), A("203.0.113.9"), 1300, FWD_REVERSE, 3), e, "a new CoA updates in place");
	cr_expect_eq(e->coa, A("203.0.113.9"));
	cr_expect_eq(e->flags, FWD_REVERSE);
	fwd_clear(&t, A("10.23.1.1"));
	cr_expect_null(fwd_find(&t, A("10.23.1.1")));
	fwd_clear(&t, A("10.23.1.1"));
	cr_expect_eq(t.tab.count, 1);
	for (int d = 0; d < FWD_DROP__COUNT; d++)
		cr_expect_neq(strcmp(fwd_drop_str((enum fwd_drop)d), "?"), 0);
}

Test(fwd, from_home)
{
	uint8_t p[2000];
	struct fwd_result r;
	size_t n = dgram(p, 84, "10.23.0.2", "10.23.1.1", true);
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_ENCAP);
	cr_expect_eq(r.why, FWD_DROP_NONE);
	cr_assert_not_null(r.e);
	cr_expect_eq(r.e->coa, A("198.51.100.2"), "the binding of the inner destination");
	cr_expect_eq(r.inner.total_len, 84);

	n = dgram(p, 1480, "10.23.0.2", "10.23.1.1", true);
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_ENCAP, "exactly the tunnel MTU fits");
	n = dgram(p, 1481, "10.23.0.2", "10.23.1.1", true);
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_ICMP_FRAG, "DF and one octet over the tunnel MTU");
	cr_expect_eq(r.why, FWD_DROP_TOO_BIG);
	cr_expect_eq(r.e->tunnel_mtu, 1480);
	n = dgram(p, 1500, "10.23.0.2", "10.23.1.1", false);
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_ENCAP_FRAG, "no DF: tunnelled in outer fragments");

	n = dgram(p, 84, "10.23.0.2", "10.23.1.9", false);
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_ICMP_UNREACH);
	cr_expect_eq(r.why, FWD_DROP_NO_BINDING);
	cr_expect_null(r.e);

	n = dgram(p, 84, "198.51.100.2", "10.23.1.1", false);
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_DROP);
	cr_expect_eq(r.why, FWD_DROP_LOOP, "never back to the care-of address it came from");

	p[0] = 0x60;
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.why, FWD_DROP_NOT_IPV4);
	fwd_from_home(&t, p, 0, &r);
	cr_expect_eq(r.why, FWD_DROP_NOT_IPV4);
	n = dgram(p, 84, "10.23.0.2", "10.23.1.1", false);
	p[10] ^= 1;
	fwd_from_home(&t, p, n, &r);
	cr_expect_eq(r.verdict, FWD_DROP);
	cr_expect_eq(r.why, FWD_DROP_MALFORMED);
}

Test(fwd, from_tunnel)
{
	uint8_t b[200];
	struct fwd_result r;
	uint32_t ha = A("10.23.0.1");
	size_t n = tunnelled(b, "203.0.113.2", "10.23.0.1", "10.23.1.2", "10.23.0.2");
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.verdict, FWD_DECAP, "from the CoA of a binding with T, inner source its home address");
	cr_expect_eq(r.inner_pkt, b + 20);
	cr_expect_eq(r.inner.total_len, 100);

	n = tunnelled(b, "203.0.113.66", "10.23.0.1", "10.23.1.2", "10.23.0.2");
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.why, FWD_DROP_WRONG_COA, "spoofed: not from the care-of address");
	cr_expect_not_null(r.e, "the binding it claims is reported (its refused counter)");

	n = tunnelled(b, "198.51.100.2", "10.23.0.1", "10.23.1.1", "10.23.0.2");
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.why, FWD_DROP_NO_REVERSE, "a binding without T");

	n = tunnelled(b, "203.0.113.2", "10.23.0.1", "10.23.1.77", "10.23.0.2");
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.why, FWD_DROP_UNKNOWN_SOURCE, "an inner source without a binding");
	cr_expect_null(r.e);

	n = tunnelled(b, "203.0.113.2", "10.23.0.99", "10.23.1.2", "10.23.0.2");
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.why, FWD_DROP_NOT_TO_HA);

	n = tunnelled(b, "203.0.113.2", "10.23.0.1", "10.23.1.2", "10.23.0.2");
	b[20 + 10] ^= 1;
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.why, FWD_DROP_BAD_INNER);
	b[9] = 17;
	ipv4_set_checksum(b);
	fwd_from_tunnel(&t, ha, b, n, &r);
	cr_expect_eq(r.why, FWD_DROP_BAD_OUTER, "not protocol 4");
	fwd_from_tunnel(&t, ha, b, 10, &r);
	cr_expect_eq(r.why, FWD_DROP_BAD_OUTER);
	for (int i = 0; i < 3; i++)
		cr_expect_eq(r.verdict, FWD_DROP);
}
