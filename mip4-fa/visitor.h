/*
 * visitor: what the foreign agent remembers per mobile node (RFC 5944 §3.7.1),
 * tables keyed by address on agent/addrtab (hash sized once, slab,
 * timing wheel):
 *   - the visitor list: registrations the home agent accepted, until their
 *     lifetime ends, with the node's link-layer address;
 *   - pending registrations: requests relayed to the home agent (or the AAA)
 *     and not yet answered, until registration-timeout;
 *   - home agents an FA-HA key was asked for, until the AAA answers (one
 *     question at a time per home agent, so that the key the agent keeps is
 *     the one the home agent got last);
 *   - per-node challenge bookkeeping (RFC 4721 §3.2) and the last denial sent
 *     (at most one a second per node, RFC 5944 §3.7.2), kept a while after the
 *     node was last heard.
 * Loop thread only.
 */
#ifndef MIP4_FA_VISITOR_H
#define MIP4_FA_VISITOR_H

#include <stdint.h>

#include "agent/addrtab.h"
#include "mip4-fa/conf.h"

#define VISITOR_MAC_LEN 6

struct fa_visitor {
	struct addrtab_entry entry; /* timer: end of the registration */
	uint32_t home_addr;         /* network byte order, like every address here */
	uint32_t ha;
	uint32_t coa;
	uint32_t src_ip;            /* the request's IP source (home or co-located address) */
	uint64_t ident;
	uint32_t since;             /* second the reply was relayed */
	uint16_t granted;
	uint16_t sport;             /* the node's UDP port */
	uint8_t mac[VISITOR_MAC_LEN];
	uint8_t flags;              /* RRQ flags granted (T, D, ...) */
};
ADDRTAB_LAYOUT(struct fa_visitor, entry, home_addr);

struct fa_pending {
	struct addrtab_entry entry; /* timer: registration-timeout */
	uint32_t home_addr;
	uint32_t ha;
	uint32_t coa;
	uint32_t src_ip;
	uint32_t local_ip;          /* the address the node sent to: the reply leaves from it */
	uint64_t ident;
	uint64_t relayed_us;        /* monotonic time of the (last) relay */
	uint16_t lifetime;          /* requested */
	uint16_t sport;
	uint8_t mac[VISITOR_MAC_LEN];
	uint8_t flags;
	uint8_t chal_len;
	uint8_t chal[FA_CHALLENGE_MAX];
	/* Sent to the AAA (RFC 4004 FA care-of mode) rather than to the HA: */
	uint8_t via_aaa;
	uint8_t asked_fa_ha;        /* the AMR asked for an FA-HA key */
	uint32_t aaa_spi;           /* MN-AAA SPI of the request (the 41's AAA SPI) */
	uint32_t fa_key_spi;        /* SPI of the node's MN-FA KeyGen Request (40), 0: none */
};
ADDRTAB_LAYOUT(struct fa_pending, entry, home_addr);

struct fa_ha_ask {
	struct addrtab_entry entry; /* timer: registration-timeout */
	uint32_t ha;
};
ADDRTAB_LAYOUT(struct fa_ha_ask, entry, ha);

struct fa_mn {
	struct addrtab_entry entry; /* timer: forget the node */
	uint32_t home_addr;
	uint8_t used_len;           /* challenge of its last relayed request */
	uint8_t issued_len;         /* challenge given to it alone in a reply, not used yet */
	uint8_t used[FA_CHALLENGE_MAX];
	uint8_t issued[FA_CHALLENGE_MAX];
	uint64_t denied_ms;         /* monotonic time of the last denial, 0: none */
};
ADDRTAB_LAYOUT(struct fa_mn, entry, home_addr);

#endif
