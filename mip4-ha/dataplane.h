/*
 * dataplane: the Home Agent's user-space data plane (RFC 5944 §4.2.3, §4.6,
 * RFC 2003, RFC 3024).  While a mobile node is away the kernel routes its home
 * address (a /32 route, tagged with our route protocol) to a TUN device and
 * answers ARP for it on the home link (a proxy neighbour entry, announced with
 * a gratuitous ARP).  A packet thread reads the TUN device in batches,
 * encapsulates towards the care-of address and sends on a raw IP-in-IP socket;
 * it decapsulates reverse-tunnelled datagrams (fwd.h says which) and writes
 * them to the TUN device for the kernel to forward.
 *
 * Threads.  Everything here is called on the registration loop, except the
 * packet thread's own work.  The loop never waits on the packet thread: binding
 * changes go to it through a single-producer ring it drains before every batch
 * (a full ring spills into a loop-side queue retried on the tick), and the
 * counters it keeps are single-writer atomics the loop reads.  The packet
 * thread never waits on the loop.
 *
 * One entry point installs (or updates) a binding's kernel entries and
 * forwarding state, one removes them: dataplane_bind / dataplane_unbind.  The HA
 * calls them wherever a binding is created, changed or removed (registration,
 * deregistration, expiry, shutdown) and anything that restores bindings calls
 * the same.
 */
#ifndef MIP4_HA_DATAPLANE_H
#define MIP4_HA_DATAPLANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/textbuf.h"

struct dataplane;

struct dataplane_conf {
	uint32_t ha_addr;           /* outer source of tunnels, end of reverse tunnels */
	const char *tunnel_device;  /* TUN device name */
	const char *home_interface; /* the home link, NULL or "": no proxy ARP */
	uint8_t route_protocol;     /* rtm_protocol of our routes and proxy entries */
	uint32_t max_bindings;
};

struct dataplane_binding_stats {
	uint64_t encap_packets, encap_bytes;   /* tunnelled to the care-of address (inner octets) */
	uint64_t decap_packets, decap_bytes;   /* reverse-tunnelled from it */
	uint64_t refused;                      /* tunnelled datagrams for this binding dropped: no T, wrong CoA */
	uint16_t tunnel_mtu;
	bool reverse;
};

/* Open the TUN device, the raw socket and rtnetlink, remove every route and
 * proxy entry tagged with our protocol (what an earlier instance left), start
 * the packet thread.  NULL with a one-line reason in err and errno set on
 * failure (EPERM: the process lacks CAP_NET_ADMIN / CAP_NET_RAW). */
struct dataplane *dataplane_start(const struct dataplane_conf *c, char *err, size_t errlen);
/* Install or update the data plane of a binding: forwarding state first, then
 * the route and (on a new binding) the proxy entry and a gratuitous ARP.  No-op
 * when nothing changed.  A care-of address equal to the home address means
 * "at home": the binding's data plane is removed.  0, or -1 when a kernel
 * request failed (logged; forwarding state is still installed). */
int dataplane_bind(struct dataplane *dp, uint32_t home_addr, uint32_t coa, bool reverse);
/* Remove the binding's route and proxy entry, then its forwarding state. */
void dataplane_unbind(struct dataplane *dp, uint32_t home_addr);
/* Once a second: retry updates the full ring left behind, repeat gratuitous ARPs. */
void dataplane_tick(struct dataplane *dp);
/* Unbind everything, stop the packet thread, close. */
void dataplane_stop(struct dataplane *dp);

const char *dataplane_tunnel_name(const struct dataplane *dp);
bool dataplane_binding_stats(const struct dataplane *dp, uint32_t home_addr, struct dataplane_binding_stats *s);
/* The "dataplane" member of `mip4-ctl stats` (without a leading comma). */
int dataplane_json(const struct dataplane *dp, struct textbuf *b);
int dataplane_prometheus(const struct dataplane *dp, struct textbuf *b);

#endif
