/*
 * garp: gratuitous ARP on an Ethernet-like link (RFC 5944 §4.6): an ARP
 * Request whose sender and target protocol addresses are both the address being
 * announced and whose sender hardware address is this interface's, broadcast,
 * so that the neighbours' caches point that address at us.  Needs CAP_NET_RAW.
 */
#ifndef MIP4_AGENT_GARP_H
#define MIP4_AGENT_GARP_H

#include <stdint.h>

struct garp {
	int fd;
	unsigned ifindex;
	uint8_t mac[6];
};

/* For interface ifindex whose hardware address is mac.  0 or -1 with errno. */
int garp_open(struct garp *g, unsigned ifindex, const uint8_t mac[6]);
void garp_close(struct garp *g);
/* Announce addr (network order).  0 or -1 with errno. */
int garp_send(struct garp *g, uint32_t addr);

#endif
