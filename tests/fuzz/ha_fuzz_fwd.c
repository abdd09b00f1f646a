/*
 * libFuzzer target: the HA's forwarding decisions on arbitrary octets, from the
 * home side and from the tunnel side, against a table of two bindings (one
 * with reverse tunnelling).  Invariants: a forwarded datagram is a checked view
 * inside the input; a decapsulated one comes from its binding's care-of address
 * with that binding's home address as source; an encapsulated one goes to the
 * binding of its destination and fits the tunnel MTU unless it may be split.
 */
#include <stdlib.h>
#include <string.h>

#include "mip4-ha/fwd.h"

#define HA 0x0100170a   /* 10.23.0.1 */
#define HOA1 0x0101170a /* 10.23.1.1 */
#define HOA2 0x0201170a /* 10.23.1.2 */
#define COA1 0x026433c6 /* 198.51.100.2 */
#define COA2 0x027100cb /* 203.0.113.2 */

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fwd_table t;
	static int ready;
	if (!ready) {
		check(fwd_table_init(&t, 8) == 0);
		check(fwd_set(&t, HOA1, COA1, 1480, 0, 0) != NULL);
		check(fwd_set(&t, HOA2, COA2, 576, FWD_REVERSE, 1) != NULL);
		ready = 1;
	}
	struct fwd_result r;
	fwd_from_home(&t, data, size, &r);
	if (r.verdict == FWD_ENCAP || r.verdict == FWD_ENCAP_FRAG) {
		check(r.why == FWD_DROP_NONE && r.e && r.e->home_addr == r.inner.dst && r.inner_pkt == data);
		check(r.inner.total_len <= size && r.inner.src != r.e->coa);
		check(r.verdict == FWD_ENCAP ? r.inner.total_len <= r.e->tunnel_mtu : !ipv4_df(&r.inner));
	} else {
		check(r.why != FWD_DROP_NONE);
	}
	fwd_from_tunnel(&t, HA, data, size, &r);
	if (r.verdict == FWD_DECAP) {
		check(r.e && r.e->home_addr == r.inner.src && (r.e->flags & FWD_REVERSE));
		check(size >= 40 && memcmp(data + 12, &r.e->coa, 4) == 0 && memcmp(data + 16, &(uint32_t){ HA }, 4) == 0);
		check(r.inner_pkt > data && r.inner_pkt + r.inner.total_len <= data + size);
	} else {
		check(r.verdict == FWD_DROP && r.why != FWD_DROP_NONE);
	}
	return 0;
}
