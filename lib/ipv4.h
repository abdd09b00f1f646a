/*
 * ipv4: what a user-space forwarder needs of IPv4 itself.  Header checks that
 * return a small view (RFC 791), the header checksum (RFC 1071), splitting a
 * datagram into fragments that fit an MTU, and ICMP "destination unreachable"
 * errors with the quoting and suppression rules of RFC 1812 §4.3.2 (code 4
 * carries the next-hop MTU of RFC 1191).  Pure functions of buffers; no I/O.
 */
#ifndef MIP4_LIB_IPV4_H
#define MIP4_LIB_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_MIN 20
#define IPV4_HDR_MAX 60
#define IPV4_MAX_LEN 65535
#define IPV4_PROTO_ICMP 1
#define IPV4_PROTO_IPIP 4
#define IPV4_PROTO_UDP 17
#define IPV4_DF 0x4000
#define IPV4_MF 0x2000
#define IPV4_OFFMASK 0x1fff

/* ICMP errors are kept within this many octets (RFC 1812 §4.3.2.3). */
#define ICMP_ERROR_MAX 576
#define ICMP_TYPE_ECHO_REPLY 0
#define ICMP_TYPE_UNREACH 3
#define ICMP_TYPE_ECHO 8
#define ICMP_CODE_HOST_UNREACH 1
#define ICMP_CODE_FRAG_NEEDED 4

/* A checked header.  Numbers in host order, addresses in network order. */
struct ipv4_hdr {
	uint8_t hlen;       /* header length in octets (IHL * 4) */
	uint8_t tos;
	uint16_t total_len; /* the datagram is p[0 .. total_len) */
	uint16_t id;
	uint16_t frag;      /* flags and fragment offset as on the wire */
	uint8_t ttl;
	uint8_t proto;
	uint32_t src, dst;
};

enum ipv4_err {
	IPV4_OK,
	IPV4_ERR_SHORT,    /* fewer than 20 octets */
	IPV4_ERR_VERSION,  /* not version 4 */
	IPV4_ERR_HLEN,     /* IHL < 5, or the header runs past the datagram */
	IPV4_ERR_LENGTH,   /* Total Length below the header or beyond the octets at hand */
	IPV4_ERR_CHECKSUM,
	IPV4_ERR__COUNT
};

const char *ipv4_err_str(enum ipv4_err e);

/* Check the datagram at p (len octets at hand; octets past Total Length, such as
 * link padding, are ignored) and fill h. */
enum ipv4_err ipv4_parse(const uint8_t *p, size_t len, struct ipv4_hdr *h);

/* The Internet checksum of p[0..len), ready to store as two octets in network
 * order (so a block that already holds its correct checksum sums to 0). */
uint16_t ipv4_checksum(const void *p, size_t len);

/* Store the header checksum of the header at p (IHL taken from p[0]). */
void ipv4_set_checksum(uint8_t *p);

static inline bool ipv4_df(const struct ipv4_hdr *h) { return (h->frag & IPV4_DF) != 0; }
static inline bool ipv4_is_fragment(const struct ipv4_hdr *h) { return (h->frag & (IPV4_MF | IPV4_OFFMASK)) != 0; }

/* Fragments of the datagram pkt (checked header h, no options: hlen 20) that
 * fit mtu octets each (RFC 791 §3.2: payload split on 8-octet boundaries, MF on
 * all but the last, offsets added to the datagram's own so that a fragment can
 * be split again).  ipv4_fragment_count is 0 when it cannot be done: DF set,
 * options present, or mtu too small for 8 octets of payload; 1 when it fits.
 * ipv4_fragment_build writes fragment i into out and returns its length (0 when
 * i is out of range or cap too small). */
unsigned ipv4_fragment_count(const struct ipv4_hdr *h, size_t mtu);
size_t ipv4_fragment_build(const uint8_t *pkt, const struct ipv4_hdr *h, size_t mtu, unsigned i, uint8_t *out,
                           size_t cap);

/* RFC 1812 §4.3.2.7 (and RFC 1122 §3.2.2): no ICMP error about a datagram that
 * is itself an ICMP error, goes to a broadcast or multicast address, is a
 * non-initial fragment, or whose source is not one host (0/8, 127/8, multicast,
 * 240/4, the limited broadcast).  pkt is the checked datagram of h. */
bool icmp_error_allowed(const uint8_t *pkt, const struct ipv4_hdr *h);

/* A complete ICMP destination-unreachable datagram about pkt (checked header
 * h): from src to h->src, TTL 64, TOS of the original (RFC 1812 §4.3.2.5), the
 * given code, the next-hop MTU in the second word for code 4 (RFC 1191 §4), and
 * as much of the original as fits in ICMP_ERROR_MAX octets (at least its header
 * and 8 octets, RFC 792).  Returns the length, or 0 when cap cannot hold that
 * much. */
size_t icmp_unreach_build(uint8_t *out, size_t cap, const uint8_t *pkt, const struct ipv4_hdr *h, uint32_t src,
                          uint8_t code, uint16_t next_hop_mtu, uint16_t id);

#endif
