/*
 * libFuzzer target: the foreign agent's forwarding decisions on arbitrary
 * octets, from the tunnel side and from the visited link, against a table of
 * two visitors (one with reverse tunnelling).  The first input octet picks the
 * link-layer address the link-side datagram came from.  Invariants: a
 * delivered datagram is a checked view inside the input, came from its
 * visitor's home agent to the care-of address, and fits the link MTU unless it
 * may be split; a reverse-tunnelled one comes from a visitor granted T, from
 * that visitor's link-layer address, with its home address as source.
 */
#include <stdlib.h>
#include <string.h>

#include "mip4-fa/forward.h"

#define COA 0x016433c6   /* 198.51.100.1 */
#define HA 0x0100010a    /* 10.1.0.1 */
#define HOA1 0x0500010a  /* 10.1.0.5 */
#define HOA2 0x0600010a  /* 10.1.0.6 */
#define LINK_MTU 1500

static const uint8_t MAC1[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t MAC2[6] = { 2, 0, 0, 0, 0, 2 };

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct forward_table t;
	static int ready;
	if (!ready) {
		check(forward_table_init(&t, 8) == 0);
		check(forward_set(&t, HOA1, HA, MAC1, 1480, 0) != NULL);
		check(forward_set(&t, HOA2, HA, MAC2, 576, FORWARD_REVERSE) != NULL);
		ready = 1;
	}
	if (size == 0)
		return 0;
	struct forward_result r;
	forward_from_tunnel(&t, COA, LINK_MTU, data, size, &r);
	if (r.verdict == FORWARD_DELIVER || r.verdict == FORWARD_DELIVER_FRAG) {
		check(r.why == FORWARD_DROP_NONE && r.e && r.e->home_addr == r.inner.dst);
		check(size >= 40 && memcmp(data + 12, &r.e->ha, 4) == 0 && memcmp(data + 16, &(uint32_t){ COA }, 4) == 0);
		check(r.inner_pkt > data && r.inner_pkt + r.inner.total_len <= data + size);
		check(r.verdict == FORWARD_DELIVER ? r.inner.total_len <= LINK_MTU : !ipv4_df(&r.inner));
	} else if (r.verdict == FORWARD_ICMP_FRAG) {
		check(r.e && r.inner.total_len > LINK_MTU && ipv4_df(&r.inner));
	} else {
		check(r.verdict == FORWARD_DROP && r.why != FORWARD_DROP_NONE);
	}
	const uint8_t *mac = data[0] & 1 ? MAC2 : MAC1;
	forward_from_link(&t, mac, data + 1, size - 1, &r);
	if (r.verdict == FORWARD_ENCAP || r.verdict == FORWARD_ENCAP_FRAG) {
		check(r.why == FORWARD_DROP_NONE && r.e && (r.e->flags & FORWARD_REVERSE));
		check(r.e->home_addr == r.inner.src && memcmp(r.e->mac, mac, 6) == 0);
		check(r.inner_pkt == data + 1 && r.inner.total_len <= size - 1);
		check(r.verdict == FORWARD_ENCAP ? r.inner.total_len <= r.e->tunnel_mtu : !ipv4_df(&r.inner));
	} else if (r.verdict == FORWARD_ICMP_FRAG) {
		check(r.e && (r.e->flags & FORWARD_REVERSE) && memcmp(r.e->mac, mac, 6) == 0);
		check(r.inner.total_len > r.e->tunnel_mtu && ipv4_df(&r.inner));
	} else {
		check(r.verdict == FORWARD_PASS || (r.verdict == FORWARD_DROP && r.why != FORWARD_DROP_NONE));
	}
	return 0;
}
