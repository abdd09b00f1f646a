/*
 * fwd: the Home Agent's forwarding decisions.  What becomes of a datagram the
 * kernel routed to the HA's tunnel device (RFC 5944 §4.2.3: tunnel it to the
 * binding's care-of address, RFC 2003; or an ICMP error), and whether a
 * datagram that arrived in a tunnel may be decapsulated (RFC 3024 §4.2: only
 * from the care-of address of a binding whose home address is the inner source
 * and which was granted reverse tunnelling).  The table is the packet thread's
 * own copy of the bindings (an addrtab it alone touches), fed by dataplane.c.
 * No I/O, no clocks: the unit tests and a fuzzer drive it directly.
 */
#ifndef MIP4_HA_FWD_H
#define MIP4_HA_FWD_H

#include <stddef.h>
#include <stdint.h>

#include "agent/addrtab.h"
#include "lib/ipv4.h"

#define FWD_REVERSE 0x01 /* reverse tunnelling granted (T) */

struct fwd_entry {
	struct addrtab_entry entry;
	uint32_t home_addr;  /* network order */
	uint32_t coa;        /* network order */
	uint32_t slot;       /* index of the binding's counters */
	uint16_t tunnel_mtu; /* largest inner datagram sent whole: link MTU - 20 */
	uint8_t flags;
};

struct fwd_table {
	struct addrtab tab;
};

int fwd_table_init(struct fwd_table *t, uint32_t max);
void fwd_table_destroy(struct fwd_table *t);
/* Create or change the entry of home_addr.  NULL when the table is full. */
struct fwd_entry *fwd_set(struct fwd_table *t, uint32_t home_addr, uint32_t coa, uint16_t tunnel_mtu, uint8_t flags,
                          uint32_t slot);
void fwd_clear(struct fwd_table *t, uint32_t home_addr);
struct fwd_entry *fwd_find(const struct fwd_table *t, uint32_t home_addr);

/* Why a datagram went nowhere.  The names (fwd_drop_str) are counter labels. */
enum fwd_drop {
	FWD_DROP_NONE,
	/* from the home side (the tunnel device) */
	FWD_DROP_NOT_IPV4,        /* not an IPv4 datagram (IPv6 the kernel sent the device) */
	FWD_DROP_MALFORMED,       /* an IPv4 header that fails its checks */
	FWD_DROP_NO_BINDING,      /* no binding for the destination (ICMP host unreachable) */
	FWD_DROP_TOO_BIG,         /* DF and larger than the tunnel MTU (ICMP fragmentation needed) */
	FWD_DROP_LOOP,            /* from the care-of address it would be tunnelled to */
	FWD_DROP_SEND_FAILED,     /* the raw socket refused it */
	/* from the tunnel side (the raw IP-in-IP socket) */
	FWD_DROP_BAD_OUTER,       /* outer header bad, not protocol 4, or a fragment */
	FWD_DROP_BAD_INNER,       /* inner header bad or not filling the outer payload */
	FWD_DROP_NOT_TO_HA,       /* outer destination is not the HA address */
	FWD_DROP_UNKNOWN_SOURCE,  /* no binding for the inner source */
	FWD_DROP_NO_REVERSE,      /* the binding was not granted reverse tunnelling */
	FWD_DROP_WRONG_COA,       /* outer source is not the binding's care-of address */
	FWD_DROP_WRITE_FAILED,    /* the tunnel device refused it */
	FWD_DROP__COUNT
};

const char *fwd_drop_str(enum fwd_drop d);

enum fwd_verdict {
	FWD_ENCAP,        /* send r.inner behind an outer header to r.e->coa */
	FWD_ENCAP_FRAG,   /* the same, in outer fragments (no DF, above the tunnel MTU) */
	FWD_DECAP,        /* hand r.inner_pkt to the kernel */
	FWD_ICMP_UNREACH, /* dropped (no binding); ICMP host unreachable to the sender if allowed */
	FWD_ICMP_FRAG,    /* dropped (too big); ICMP fragmentation needed, MTU r.e->tunnel_mtu */
	FWD_DROP,         /* dropped for r.why */
};

struct fwd_result {
	enum fwd_verdict verdict;
	enum fwd_drop why;           /* FWD_DROP_NONE when forwarded */
	const struct fwd_entry *e;   /* the binding involved, when there is one */
	struct ipv4_hdr inner;       /* the datagram forwarded or refused (checked) */
	const uint8_t *inner_pkt;
};

/* A datagram read from the tunnel device: the kernel routed it to a home
 * address. */
void fwd_from_home(const struct fwd_table *t, const uint8_t *pkt, size_t len, struct fwd_result *r);
/* An IP-in-IP datagram the raw socket received (outer header included);
 * ha_addr is where reverse tunnels end. */
void fwd_from_tunnel(const struct fwd_table *t, uint32_t ha_addr, const uint8_t *pkt, size_t len,
                     struct fwd_result *r);

#endif
