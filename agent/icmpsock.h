/*
 * icmpsock: ICMP on one link through a raw socket bound to the interface, for
 * the ICMP Router Discovery messages of Mobile IP (RFC 5944 §2): the foreign
 * agent reads Agent Solicitations and sends Agent Advertisements, the mobile
 * node the other way round.  Multicast leaves through that interface with TTL
 * 1 and is not looped back; the kernel passes up only the ICMP types asked for.
 */
#ifndef MIP4_AGENT_ICMPSOCK_H
#define MIP4_AGENT_ICMPSOCK_H

#include <stddef.h>
#include <stdint.h>

struct icmpsock {
	int fd;
	uint64_t send_errors;
};

/* types: the ICMP types to receive (at most 32 of them, type < 32).  src: the
 * source address of multicast sent (0: the kernel's choice).  groups: multicast
 * groups (network order) to join on the interface.  0, or -1 with errno. */
int icmpsock_open(struct icmpsock *s, const char *ifname, int ifindex, uint32_t src, const uint8_t *types,
                  size_t n_types, const uint32_t *groups, size_t n_groups);
void icmpsock_close(struct icmpsock *s);
/* One message without blocking: its ICMP part in buf, the IP source and TTL.
 * Returns the ICMP length, 0 when nothing is waiting or the datagram is not a
 * sound IPv4 one. */
size_t icmpsock_recv(struct icmpsock *s, uint8_t *buf, size_t cap, uint32_t *src, uint8_t *ttl);
/* 0, or -1 (counted). */
int icmpsock_send(struct icmpsock *s, uint32_t dst, const uint8_t *msg, size_t len);

#endif
