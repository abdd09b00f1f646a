/* Helpers for the data-plane unit tests: addresses and hand-made IPv4 and
 * IP-in-IP datagrams. */
#ifndef MIP4_TEST_IPV4_SUPPORT_H
#define MIP4_TEST_IPV4_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A dotted quad in network order (the test fails on a typo). */
uint32_t ip4(const char *s);
/* A UDP datagram src -> dst of total octets (zeroed payload), TTL 64, DF as
 * asked, valid header checksum.  Returns total. */
size_t ipv4_test_dgram(uint8_t *p, size_t total, const char *src, const char *dst, bool df);
/* An outer header src -> dst (RFC 2003) in front of a datagram isrc -> idst of
 * inner_total octets.  Returns the whole length. */
size_t ipv4_test_tunnelled(uint8_t *p, const char *src, const char *dst, const char *isrc, const char *idst,
                           size_t inner_total);

#endif
