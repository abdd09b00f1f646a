/*
 * ipip: IP in IP encapsulation (RFC 2003).  The outer header an encapsulator
 * puts in front of a datagram (§3.1), and the checks a decapsulator makes on
 * what it receives before the inner datagram goes anywhere.  Which tunnel a
 * datagram belongs to, and whether its sender may use it, is the caller's
 * decision.  Pure functions; no I/O.
 */
#ifndef MIP4_LIB_IPIP_H
#define MIP4_LIB_IPIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ipv4.h"

#define IPIP_HDR_LEN 20
/* Outer TTL: enough to reach the tunnel exit (RFC 2003 §3.1 leaves the value open). */
#define IPIP_TTL 64

/* Write the 20-octet outer header for the inner datagram (checked header
 * inner): TOS copied, DF copied (§3.1: it MUST be set when the inner has it),
 * MF and offset 0, protocol 4, Total Length 20 + inner Total Length, checksum.
 * False when the result would exceed 65535 octets. */
bool ipip_encap_header(uint8_t out[IPIP_HDR_LEN], const struct ipv4_hdr *inner, uint32_t src, uint32_t dst,
                       uint16_t id, uint8_t ttl);

enum ipip_err {
	IPIP_OK,
	IPIP_ERR_OUTER,        /* the outer header fails ipv4_parse */
	IPIP_ERR_NOT_IPIP,     /* outer protocol is not 4 */
	IPIP_ERR_FRAGMENT,     /* an outer fragment: decapsulate only reassembled datagrams */
	IPIP_ERR_INNER,        /* the inner header fails ipv4_parse */
	IPIP_ERR_INNER_LENGTH, /* the inner datagram does not fill the outer payload exactly */
	IPIP_ERR__COUNT
};

const char *ipip_err_str(enum ipip_err e);

struct ipip_view {
	struct ipv4_hdr outer, inner;
	const uint8_t *inner_pkt; /* inner.total_len octets */
	enum ipv4_err detail;     /* with IPIP_ERR_OUTER / IPIP_ERR_INNER: why */
};

/* Check a received IP-in-IP datagram p[0..len) (whole, outer header
 * included). */
enum ipip_err ipip_decap_parse(const uint8_t *p, size_t len, struct ipip_view *v);

#endif
