/* forward: the foreign agent's forwarding decisions (RFC 5944 §4.2.2, RFC 2003 §3.1, RFC 3024). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/ipip.h"
#include "mip4-fa/forward.h"
#include "tests/unit/test_ipv4_support.h"

#define COA "198.51.100.1"
#define HA1 "10.1.0.1"
#define HA2 "10.2.0.1"
#define MN1 "10.1.0.5"     /* registered through HA1, no reverse tunnel */
#define MN2 "10.2.0.7"     /* registered through HA2, reverse tunnel, MTU 1400 */

static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t other[6] = { 2, 0, 0, 0, 0, 9 };

static struct forward_table t;

static void setup(void)
{
	cr_assert_eq(forward_table_init(&t, 16), 0);
	cr_assert_not_null(forward_set(&t, ip4(MN1), ip4(HA1), mac1, 1480, 0));
	cr_assert_not_null(forward_set(&t, ip4(MN2), ip4(HA2), mac2, 1400, FORWARD_REVERSE));
}

static void teardown(void)
{
	forward_table_destroy(&t);
}

TestSuite(forward, .init = setup, .fini = teardown);

Test(forward, table)
{
	struct forward_entry *e = forward_find(&t, ip4(MN1));
	cr_assert_not_null(e);
	cr_expect_eq(e->ha, ip4(HA1));
	cr_expect_eq(e->tunnel_mtu, 1480);
	cr_expect_arr_eq(e->mac, mac1, 6);
	cr_expect_eq(forward_set(&t, ip4(MN1), ip4(HA2), other, 1300, FORWARD_REVERSE), e, "a change updates in place");
	cr_expect_eq(e->ha, ip4(HA2));
	cr_expect_arr_eq(e->mac, other, 6);
	cr_expect_eq(e->flags, FORWARD_REVERSE);
	forward_clear(&t, ip4(MN1));
	cr_expect_null(forward_find(&t, ip4(MN1)));
	forward_clear(&t, ip4(MN1));
	cr_expect_eq(t.tab.count, 1);
	for (int d = 0; d < FORWARD_DROP__COUNT; d++)
		cr_expect_neq(strcmp(forward_drop_str((enum forward_drop)d), "?"), 0);
}

Test(forward, from_tunnel_delivers_from_the_visitors_home_agent_only)
{
	uint8_t p[2000];
	struct forward_result r;
	size_t n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", MN1, 100);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_assert_eq(r.verdict, FORWARD_DELIVER);
	cr_expect_eq(r.why, FORWARD_DROP_NONE);
	cr_expect_eq(r.e, forward_find(&t, ip4(MN1)));
	cr_expect_eq(r.inner_pkt, p + 20);
	cr_expect_eq(r.inner.total_len, 100);

	n = ipv4_test_tunnelled(p, HA2, COA, "192.0.2.2", MN1, 100);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_DROP);
	cr_expect_eq(r.why, FORWARD_DROP_WRONG_HA, "another visitor's home agent");

	n = ipv4_test_tunnelled(p, "192.0.2.2", COA, "192.0.2.2", MN1, 100);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_WRONG_HA, "any other sender");

	n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", "10.1.0.6", 100);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_NO_VISITOR);
	cr_expect_null(r.e);

	n = ipv4_test_tunnelled(p, HA1, "198.51.100.9", "192.0.2.2", MN1, 100);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_NOT_TO_COA);
}

Test(forward, from_tunnel_malformed)
{
	uint8_t p[2000];
	struct forward_result r;
	size_t n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", MN1, 100);
	p[9] = IPV4_PROTO_UDP;
	ipv4_set_checksum(p);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_BAD_OUTER, "not IP in IP");

	n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", MN1, 100);
	p[6] = 0x20; /* MF: a fragment */
	ipv4_set_checksum(p);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_BAD_OUTER, "an outer fragment");

	n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", MN1, 100);
	p[20 + 10] ^= 0xff; /* inner checksum */
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_BAD_INNER);

	forward_from_tunnel(&t, ip4(COA), 1500, p, 10, &r);
	cr_expect_eq(r.why, FORWARD_DROP_BAD_OUTER, "short");
}

Test(forward, from_tunnel_ttl)
{
	uint8_t p[2000];
	struct forward_result r;
	size_t n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", MN1, 100);
	p[20 + 8] = 1;
	ipv4_set_checksum(p + 20);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_DROP);
	cr_expect_eq(r.why, FORWARD_DROP_TTL, "delivery is a hop: TTL 1 would leave as 0");
	p[20 + 8] = 2;
	ipv4_set_checksum(p + 20);
	forward_from_tunnel(&t, ip4(COA), 1500, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_DELIVER);
}

Test(forward, from_tunnel_larger_than_the_link)
{
	uint8_t p[2000];
	struct forward_result r;
	size_t n = ipv4_test_tunnelled(p, HA1, COA, "192.0.2.2", MN1, 1400);
	forward_from_tunnel(&t, ip4(COA), 1400, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_DELIVER, "exactly the link MTU");
	forward_from_tunnel(&t, ip4(COA), 1300, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_DELIVER_FRAG, "no DF: fragments");
	p[20 + 6] = 0x40;
	ipv4_set_checksum(p + 20);
	forward_from_tunnel(&t, ip4(COA), 1300, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_ICMP_FRAG);
	cr_expect_eq(r.why, FORWARD_DROP_TOO_BIG);
	cr_expect_eq(r.mtu, 1300);
}

Test(forward, from_link_reverse_tunnel_checks_the_link_layer_address)
{
	uint8_t p[2000];
	struct forward_result r;
	size_t n = ipv4_test_dgram(p, 200, MN2, "192.0.2.2", false);
	forward_from_link(&t, mac2, p, n, &r);
	cr_assert_eq(r.verdict, FORWARD_ENCAP);
	cr_expect_eq(r.e, forward_find(&t, ip4(MN2)));
	cr_expect_eq(r.inner_pkt, p);
	cr_expect_eq(r.inner.total_len, 200);

	forward_from_link(&t, other, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_DROP);
	cr_expect_eq(r.why, FORWARD_DROP_WRONG_LINK_ADDR, "someone else using the visitor's home address");

	n = ipv4_test_dgram(p, 200, MN1, "192.0.2.2", false);
	forward_from_link(&t, mac1, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_PASS, "no reverse tunnel: the kernel routes it");
	cr_expect_null(r.e);
	forward_from_link(&t, other, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_PASS, "nor is the link-layer address the agent's business then");

	n = ipv4_test_dgram(p, 200, "198.51.100.77", "192.0.2.2", false);
	forward_from_link(&t, other, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_PASS, "not a visitor");

	forward_from_link(&t, mac2, p, 19, &r);
	cr_expect_eq(r.why, FORWARD_DROP_MALFORMED);
}

Test(forward, from_link_ttl_and_size)
{
	uint8_t p[2000];
	struct forward_result r;
	size_t n = ipv4_test_dgram(p, 200, MN2, "192.0.2.2", false);
	p[8] = 1;
	ipv4_set_checksum(p);
	forward_from_link(&t, mac2, p, n, &r);
	cr_expect_eq(r.why, FORWARD_DROP_TTL);

	n = ipv4_test_dgram(p, 1400, MN2, "192.0.2.2", false);
	forward_from_link(&t, mac2, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_ENCAP, "exactly the tunnel MTU");
	n = ipv4_test_dgram(p, 1401, MN2, "192.0.2.2", false);
	forward_from_link(&t, mac2, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_ENCAP_FRAG);
	n = ipv4_test_dgram(p, 1401, MN2, "192.0.2.2", true);
	forward_from_link(&t, mac2, p, n, &r);
	cr_expect_eq(r.verdict, FORWARD_ICMP_FRAG);
	cr_expect_eq(r.why, FORWARD_DROP_TUNNEL_TOO_BIG);
	cr_expect_eq(r.mtu, 1400);
}
