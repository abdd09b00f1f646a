/*
 * inet: IPv4 + UDP datagrams as they travel on a link, for the programs that
 * read and write them through a packet socket (the foreign agent on its
 * visited link).  Pure: parse a datagram into views, or build one around a
 * payload.  Addresses stay in network byte order, ports and lengths in host
 * order.
 */
#ifndef MIP4_INET_H
#define MIP4_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INET_IP_HDR_MIN 20
#define INET_UDP_HDR 8
#define INET_PROTO_ICMP 1
#define INET_PROTO_IPIP 4
#define INET_PROTO_UDP 17

/* The Internet checksum (RFC 1071) of p[0, len), added to sum (a running 32-bit
 * sum of 16-bit words; 0 to start).  Returns the folded, complemented value. */
uint16_t inet_checksum(const void *p, size_t len, uint32_t sum);

enum inet_err {
	INET_OK = 0,
	INET_ERR_SHORT,        /* shorter than the IPv4 header it announces */
	INET_ERR_VERSION,      /* not IPv4, or header length below 20 */
	INET_ERR_LENGTH,       /* total length beyond the buffer or below the header */
	INET_ERR_IP_CHECKSUM,  /* header checksum wrong */
	INET_ERR_FRAGMENT,     /* a fragment (MF set or non-zero offset): not reassembled here */
	INET_ERR_PROTOCOL,     /* not the protocol asked for */
	INET_ERR_UDP_LENGTH,   /* UDP length below 8 or beyond the IP payload */
	INET_ERR_UDP_CHECKSUM, /* non-zero UDP checksum that does not verify */
	INET_ERR__COUNT
};

/* Short stable name, e.g. "udp-checksum", for logs and counters. */
const char *inet_err_str(enum inet_err e);

struct inet_view {
	uint32_t src, dst;        /* network byte order */
	uint8_t ttl, protocol, tos;
	size_t hdr_len;           /* IPv4 header octets */
	const uint8_t *payload;   /* what follows the IP header (UDP: the UDP payload) */
	size_t payload_len;
	uint16_t sport, dport;    /* UDP only */
};

/* What inet_parse may take on trust. */
enum inet_trust {
	INET_TRUST_NONE = 0,
	/* The link vouched for the UDP checksum, or the datagram was made on this
	 * host and checksum offload has not filled it in yet (a packet socket sees
	 * such datagrams with a partial sum). */
	INET_TRUST_UDP_CHECKSUM = 1,
};

/* Parse an IPv4 datagram of protocol proto (0: any).  For UDP the UDP header is
 * checked too (length, checksum when not zero and not trusted: RFC 768) and
 * payload is the UDP payload; for other protocols payload is everything after
 * the IP header.  Octets past the IP total length (link padding) are ignored. */
enum inet_err inet_parse(const uint8_t *buf, size_t len, uint8_t proto, enum inet_trust trust,
                         struct inet_view *v);

/* Build IPv4 + UDP around payload into out (don't-fragment set, the given TTL
 * and identification, both checksums computed).  Returns the total length, or
 * 0 when cap is too small or the datagram would exceed 65535 octets. */
size_t inet_build_udp(uint8_t *out, size_t cap, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                      uint8_t ttl, uint16_t ip_id, const uint8_t *payload, size_t len);

/* Limited broadcast, the local network control block (224.0.0.0/24) and
 * multicast in general, as RFC 5944 uses them. */
#define INET_ADDR_BROADCAST 0xffffffffu
bool inet_is_multicast(uint32_t addr_net);

#endif
