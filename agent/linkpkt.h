/*
 * linkpkt: IPv4 datagrams straight off and onto one link, with the link-layer
 * address (a SOCK_DGRAM packet socket bound to the interface: the kernel adds
 * and strips the link header).  What a foreign agent needs on its visited link:
 * the source link-layer address of a registration request (RFC 5944 §3.7.1),
 * and replies sent to a node's link-layer address although its home address is
 * not on the link (§3.7.2.3).  Only datagrams matching the kernel filter given
 * at open are read; our own outgoing ones never are.
 */
#ifndef MIP4_AGENT_LINKPKT_H
#define MIP4_AGENT_LINKPKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINKPKT_BATCH 32
#define LINKPKT_MAX 2048

struct linkpkt {
	int fd;
	int ifindex;
	uint64_t send_errors;
	uint8_t rx[LINKPKT_BATCH][LINKPKT_MAX];
};

#define LINKPKT_MAX_DSTS 4

/* Read only unfragmented IPv4 UDP datagrams to udp_dport arriving on ifindex,
 * addressed to one of dsts (network order, at most LINKPKT_MAX_DSTS): what the
 * host merely forwards never wakes the reader.  0, or -1 with errno (EPERM
 * without CAP_NET_RAW, EINVAL for too many addresses). */
int linkpkt_open_udp(struct linkpkt *l, int ifindex, uint16_t udp_dport, const uint32_t *dsts, size_t n_dsts);
/* Read the IPv4 datagrams this host is asked to forward from ifindex: sent to
 * its link-layer address, to a unicast destination that is none of locals (at
 * most LINKPKT_MAX_DSTS).  The kernel still forwards them; a reader that takes
 * some over keeps the kernel's copy from leaving by other means (a routing
 * rule).  0, or -1 with errno. */
int linkpkt_open_transit(struct linkpkt *l, int ifindex, const uint32_t *locals, size_t n_locals);
/* Only for sending (linkpkt_send) on ifindex: reads nothing.  0, or -1 with errno. */
int linkpkt_open_send(struct linkpkt *l, int ifindex);
void linkpkt_close(struct linkpkt *l);
/* Read one batch without blocking, calling fn for each datagram (IP header
 * first) with its link-layer source and whether its checksums need no check
 * (the link verified them, or the datagram was made on this host and offload
 * has not filled them in: see inet_parse); returns how many were read. */
int linkpkt_recv_batch(struct linkpkt *l,
                       void (*fn)(const uint8_t *pkt, size_t len, const uint8_t mac[6], bool csum_trusted, void *arg),
                       void *arg);
/* Send one IPv4 datagram to the link-layer address mac; 0 or -1 (counted). */
int linkpkt_send(struct linkpkt *l, const uint8_t mac[6], const uint8_t *pkt, size_t len);

#endif
