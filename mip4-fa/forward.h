/*
 * forward: the foreign agent's forwarding decisions (RFC 5944 §4.2.2, RFC 2003,
 * RFC 3024).  What becomes of an IP-in-IP datagram that reached the
 * care-of address (decapsulated and delivered to a visitor's link-layer address
 * only when it came from that visitor's home agent), and of a datagram a
 * visitor sent on the visited link (tunnelled to its home agent when reverse
 * tunnelling was granted and it came from the visitor's link-layer address; the
 * kernel's own forwarding otherwise).  The table is the packet thread's copy of
 * the visitor list (an addrtab it alone touches), fed by mip4-fa/dataplane.c.
 * No I/O, no clocks: the unit tests and a fuzzer drive it directly.
 */
#ifndef MIP4_FA_FORWARD_H
#define MIP4_FA_FORWARD_H

#include <stddef.h>
#include <stdint.h>

#include "agent/addrtab.h"
#include "lib/ipv4.h"

#define FORWARD_REVERSE 0x01 /* reverse tunnelling granted (T) */

struct forward_entry {
	struct addrtab_entry entry;
	uint32_t home_addr;  /* network order */
	uint32_t ha;         /* the home agent: the only sender of its tunnel, the end of its reverse tunnel */
	uint16_t tunnel_mtu; /* largest datagram reverse-tunnelled whole: path MTU to the HA - 20 */
	uint8_t mac[6];      /* the visitor's link-layer address */
	uint8_t flags;
};

struct forward_table {
	struct addrtab tab;
};

int forward_table_init(struct forward_table *t, uint32_t max);
void forward_table_destroy(struct forward_table *t);
/* Create or change the entry of home_addr.  NULL when the table is full. */
struct forward_entry *forward_set(struct forward_table *t, uint32_t home_addr, uint32_t ha, const uint8_t mac[6],
                                  uint16_t tunnel_mtu, uint8_t flags);
void forward_clear(struct forward_table *t, uint32_t home_addr);
struct forward_entry *forward_find(const struct forward_table *t, uint32_t home_addr);

/* Why a datagram went nowhere.  The names (forward_drop_str) are counter labels. */
enum forward_drop {
	FORWARD_DROP_NONE,
	/* from the tunnel side (the raw IP-in-IP socket) */
	FORWARD_DROP_BAD_OUTER,      /* outer header bad, not protocol 4, or a fragment */
	FORWARD_DROP_BAD_INNER,      /* inner header bad or not filling the outer payload */
	FORWARD_DROP_NOT_TO_COA,     /* outer destination is not the care-of address */
	FORWARD_DROP_NO_VISITOR,     /* no visitor for the inner destination */
	FORWARD_DROP_WRONG_HA,       /* outer source is not the visitor's home agent */
	FORWARD_DROP_TOO_BIG,        /* DF and larger than the visited link's MTU (ICMP fragmentation needed) */
	FORWARD_DROP_DELIVER_FAILED, /* the packet socket refused it */
	/* from the visited link (the packet socket) */
	FORWARD_DROP_MALFORMED,      /* an IPv4 header that fails its checks */
	FORWARD_DROP_WRONG_LINK_ADDR, /* from a reverse-tunnelled home address, another link-layer address */
	FORWARD_DROP_TTL,            /* TTL exhausted: not forwarded (RFC 2003 §3.1) */
	FORWARD_DROP_TUNNEL_TOO_BIG, /* DF and larger than the reverse tunnel's MTU (ICMP fragmentation needed) */
	FORWARD_DROP_SEND_FAILED,    /* the raw socket refused it */
	FORWARD_DROP__COUNT
};

const char *forward_drop_str(enum forward_drop d);

enum forward_verdict {
	FORWARD_DELIVER,      /* send r.inner_pkt to r.e->mac on the visited link */
	FORWARD_DELIVER_FRAG, /* the same, in fragments that fit the link MTU (no DF) */
	FORWARD_ENCAP,        /* r.inner (TTL decremented by the caller) behind an outer header to r.e->ha */
	FORWARD_ENCAP_FRAG,   /* the same, in outer fragments (no DF, above the tunnel MTU) */
	FORWARD_ICMP_FRAG,    /* dropped (too big); ICMP fragmentation needed to the sender, MTU r.mtu */
	FORWARD_PASS,         /* not ours: a datagram the kernel forwards (no visitor, or no reverse tunnel) */
	FORWARD_DROP,         /* dropped for r.why */
};

struct forward_result {
	enum forward_verdict verdict;
	enum forward_drop why;          /* FORWARD_DROP_NONE when forwarded or passed */
	const struct forward_entry *e;  /* the visitor involved, when there is one */
	struct ipv4_hdr inner;          /* the datagram forwarded or refused (checked) */
	const uint8_t *inner_pkt;
	uint16_t mtu;                   /* FORWARD_ICMP_FRAG: the next-hop MTU to report */
};

/* An IP-in-IP datagram the raw socket received (outer header included), coa
 * the agent's care-of address, link_mtu the visited link's MTU. */
void forward_from_tunnel(const struct forward_table *t, uint32_t coa, size_t link_mtu, const uint8_t *pkt,
                         size_t len, struct forward_result *r);
/* A datagram that arrived on the visited link from link-layer address mac,
 * addressed to this host's link-layer address but not to the agent. */
void forward_from_link(const struct forward_table *t, const uint8_t mac[6], const uint8_t *pkt, size_t len,
                       struct forward_result *r);

#endif
