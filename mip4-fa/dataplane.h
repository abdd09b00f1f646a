/*
 * dataplane: the foreign agent's user-space data plane (RFC 5944 §4.2.2, RFC
 * 2003, RFC 3024).  A packet thread reads the IP-in-IP datagrams that reach the
 * care-of address on a raw socket and delivers the inner datagram of a current
 * visitor, when its own home agent sent it, straight to the visitor's
 * link-layer address through a packet socket on the visited link (no kernel
 * neighbour entry or route: the home address is not on the link).  With
 * reverse tunnelling it also reads, from a second packet socket, what visitors
 * send through the agent, and tunnels to its home agent what comes from a
 * visitor that was granted T and from that visitor's link-layer address; a
 * routing rule per such visitor ("from HOME iif LINK blackhole", tagged with
 * our protocol) keeps the kernel from forwarding those datagrams as well.
 * mip4-fa/forward.h decides; this module does the I/O.
 *
 * Threads.  Everything here is called on the registration loop, except the
 * packet thread's own work.  The loop never waits on the packet thread: visitor
 * changes go to it through agent/pktring, and the counters it keeps are
 * single-writer atomics the loop reads.  The packet thread never waits on the
 * loop.  fa_dataplane_visit / fa_dataplane_leave are the only entry points that
 * change forwarding state; mip4-fa calls them wherever the visitor list
 * changes (accepted registration or deregistration, expiry, shutdown).
 */
#ifndef MIP4_FA_DATAPLANE_H
#define MIP4_FA_DATAPLANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/textbuf.h"

struct fa_dataplane;

#define FA_DATAPLANE_MAX_LOCALS 4

struct fa_dataplane_conf {
	uint32_t coa;               /* where tunnels end and reverse tunnels start */
	const char *interface;      /* the visited link */
	unsigned ifindex;
	unsigned link_mtu;          /* of the visited link */
	uint32_t locals[FA_DATAPLANE_MAX_LOCALS]; /* this host's addresses: never reverse-tunnelled */
	size_t n_locals;
	bool reverse;               /* reverse tunnelling offered */
	uint8_t rule_protocol;      /* FRA_PROTOCOL of our routing rules */
	uint32_t rule_priority;
	uint32_t max_visitors;
};

/* Open the raw IP-in-IP socket, the packet socket(s) and rtnetlink, remove
 * every routing rule tagged with our protocol (what an earlier instance left),
 * start the packet thread.  NULL with a one-line reason in err and errno set
 * on failure (EPERM: the process lacks CAP_NET_RAW / CAP_NET_ADMIN). */
struct fa_dataplane *fa_dataplane_start(const struct fa_dataplane_conf *c, char *err, size_t errlen);
/* Install or update a visitor: forwarding state first, then (reverse) its
 * routing rule.  No-op when nothing changed.  0, or -1 when a kernel request
 * failed (logged; forwarding state is still installed). */
int fa_dataplane_visit(struct fa_dataplane *dp, uint32_t home_addr, uint32_t ha, const uint8_t mac[6], bool reverse);
/* Remove a visitor's routing rule, then its forwarding state. */
void fa_dataplane_leave(struct fa_dataplane *dp, uint32_t home_addr);
/* Once a second: retry updates a full ring left behind. */
void fa_dataplane_tick(struct fa_dataplane *dp);
/* Every visitor left, the packet thread stopped, everything closed. */
void fa_dataplane_stop(struct fa_dataplane *dp);

/* The "dataplane" member of `mip4-ctl stats` (without a leading comma), and
 * the same as Prometheus text. */
int fa_dataplane_json(const struct fa_dataplane *dp, struct textbuf *b);
int fa_dataplane_prometheus(const struct fa_dataplane *dp, struct textbuf *b);

#endif
