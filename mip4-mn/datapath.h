/*
 * datapath: the mobile node's co-located data path (RFC 5944 §4.1 with a
 * co-located care-of address, RFC 2003, RFC 3024 §5).  The home address lives
 * on a TUN device, and the node's default route goes through it (metric 10,
 * tagged with our route protocol), so that what the node sends leaves from its
 * home address.  What the home agent tunnels to the care-of address is
 * decapsulated into the device (only from the HA's address, only for the home
 * address); what the node sends is reverse-tunnelled to the HA when T was
 * granted, else sent as it is from the care-of address's interface.  The
 * registration socket and both raw sockets are bound to that interface, which
 * the default route through the device would otherwise capture.
 *
 * It runs on mip4-mn's libevent loop and knows nothing of registrations: the
 * loop attaches it after an accepted registration (and after each move) and
 * detaches it after the deregistration.  A mode where a foreign agent
 * decapsulates would simply not open it.
 */
#ifndef MIP4_MN_DATAPATH_H
#define MIP4_MN_DATAPATH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MN_DATAPATH_RTPROT 159 /* our routes in the node's namespace */
#define MN_DATAPATH_METRIC 10  /* below the visited links' default routes */
/* What the node sends from its home address is routed by its own table (a
 * rule on the source), so that a visited link's default route with a lower
 * metric cannot take it past the tunnel. */
#define MN_DATAPATH_TABLE 159
#define MN_DATAPATH_RULE_PRIORITY 1000

struct event_base;
struct mn_datapath;

struct mn_datapath_stats {
	uint64_t decap_packets, decap_bytes;     /* from the HA, into the device */
	uint64_t reverse_packets, reverse_bytes; /* from the device, tunnelled to the HA */
	uint64_t direct_packets, direct_bytes;   /* from the device, sent as they are */
	uint64_t drop_not_from_ha;               /* tunnelled, but not from the HA address */
	uint64_t drop_not_for_us;                /* tunnelled to another address or for another inner destination */
	uint64_t drop_malformed;                 /* bad outer or inner header */
	uint64_t drop_not_from_home;             /* the device gave us a datagram not from the home address */
	uint64_t send_errors, write_errors;
};

/* An address and the interface holding it, from "IFACE" (its first IPv4
 * address) or "ADDR" (the interface holding it).  0 or -1 with a reason. */
int mn_datapath_resolve(const char *iface_or_addr, uint32_t *addr, char dev[IFNAMSIZ], char *err, size_t errlen);

/* Create the TUN device tun_name and the raw sockets; ha_addr is the only
 * source accepted for tunnelled datagrams.  NULL with a reason in err. */
struct mn_datapath *mn_datapath_open(struct event_base *base, uint32_t ha_addr, const char *tun_name, char *err,
                                     size_t errlen);
/* Take home_addr on the device, route through it, and use coa on dev for
 * both directions (reverse: tunnel what the node sends).  Called after every
 * accepted registration; only what changed is redone.  0 or -1 with a reason. */
int mn_datapath_attach(struct mn_datapath *dp, uint32_t home_addr, uint32_t coa, const char *dev, bool reverse,
                       char *err, size_t errlen);
/* Remove the route and the address (the node is deregistered). */
void mn_datapath_detach(struct mn_datapath *dp);
const char *mn_datapath_tun_name(const struct mn_datapath *dp);
void mn_datapath_get_stats(const struct mn_datapath *dp, struct mn_datapath_stats *s);
/* Detach, free. */
void mn_datapath_close(struct mn_datapath *dp);

#endif
