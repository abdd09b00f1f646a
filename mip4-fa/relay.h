/*
 * relay: the foreign agent's registration decisions (RFC 5944 §3.7, RFC 4721
 * §3.2-3.3, RFC 3024 §3.3).  Functions of (datagram, state, time) → what to do:
 * drop, send these bytes to the home agent, or send these bytes to the mobile
 * node at this link-layer and IP address.  No sockets, no clock reads: the
 * daemon and the unit tests drive it the same way.
 *
 * A request from the visited link is checked in this order, the first failure
 * deciding (codes are the reply's, "drop" sends nothing):
 *   1. sent to the agent (its care-of address, 255.255.255.255 or 224.0.0.11),
 *      else drop;
 *   2. parses (lib/reg): unknown non-skippable extension or short → drop,
 *      any other malformation → 70; home address 0.0.0.0 → 96 (no pending
 *      records without a home address, RFC 5944 §3.7.1);
 *   3. an MN-FA association for the home address: exactly one valid MN-FA
 *      authenticator with its SPI, else 67 (an association from the AAA and
 *      an MN-AAA authenticator: the node asks the AAA again, as in step 8);
 *   4. with challenges: a challenge (else 105) followed by an MN-FA or MN-AAA
 *      authenticator (else drop, RFC 4721 §3.2); the same challenge as the
 *      node's pending request is a retransmission; one the node used before →
 *      106; one neither among the last challenge-window advertised nor given
 *      to this node in a reply → 104;
 *   5. Home Agent field: the agent's own address → 116, zero, broadcast or
 *      multicast → 70;
 *   6. D clear, lifetime not zero and a care-of address not the agent's → 77;
 *      lifetime above max-lifetime → 69 (with the maximum); M or G → 72;
 *      T without reverse-tunnel → 74;
 *   7. no MN-HA or MN-AAA authenticator the home agent could use → drop;
 *   8. an MN-AAA authenticator and no MN-FA association: only the AAA can
 *      authenticate this node (RFC 4004 FA care-of mode): without an AAA
 *      configured → 65, without an NAI → 70, else it goes to the AAA (below);
 *   9. room for the pending request, and for one more visitor → else 66.
 * Then it is relayed: the octets through the last MN-HA / MN-AAA
 * authenticator (what follows is the agent's: challenge, MN-FA auth), plus an
 * FA-HA authenticator when the agent shares an association with that home
 * agent and the lifetime is not zero (§3.7.2.2).
 *
 * FA care-of mode with the AAA (RFC 4004 §1-§5, RFC 3957): a request of step 8
 * becomes RELAY_TO_AAA (the daemon sends the AMR; a retransmission while it is
 * out is dropped).  The AMR asks for a new FA-HA key unless another AMR to
 * the same home agent already does: one question at a time, so that the key
 * the agent installs last is the one the home agent got last, and a home agent
 * that lost its keys (restarted) gets a new one with the next AMR.  The answer
 * (relay_aaa_answer):
 *   - 2001 with an accepting MIP-Reg-Reply: with an FA-HA key in the answer
 *     the reply's FA-HA authenticator must verify with it (else 68); the keys
 *     asked for must be there (else 64).  Then the
 *     MN-FA and FA-HA associations are installed for MIP-MSA-Lifetime, and
 *     the node gets the reply through the HA's MN-HA authenticator, the MN-FA
 *     KeyGen Reply (41: the nonce of MIP-MN-to-FA-MSA), a
 *     new challenge and the MN-FA authenticator with the new key;
 *   - 4005 (or 2001 with a denial): the home agent's reply relayed as from the
 *     home agent, nothing installed;
 *   - 4001 → 67, 4006 → 88, 5003 → 65, any other 3000-4999 → 66, else 64;
 *     no answer within the Diameter timeout → 78.
 * Associations from the AAA run out at their lifetime (relay_expire).
 * Denials copy Home Address, Home Agent and Identification, carry the NAI of
 * the request, a new challenge (with challenges) and the MN-FA authenticator
 * (with an association); at most one a second goes to one node.
 *
 * A reply from a home agent must match a pending request (home address, low
 * 32 bits of the Identification, source = that home agent).  With an FA-HA
 * association, a reply with a non-zero lifetime must carry a valid FA-HA
 * authenticator, else the node gets 68 (§3.7.3.1).  A reply that does not parse
 * → 71.  It is relayed through its MN-HA authenticator (without one: all but
 * the extensions meant for the agent), plus a new challenge and the MN-FA
 * authenticator; an acceptance puts the node in the visitor list for the
 * lifetime granted (at most max-lifetime), an accepted deregistration removes
 * it, a denial leaves the list alone (§3.7.3.2).
 */
#ifndef MIP4_FA_RELAY_H
#define MIP4_FA_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/addrtab.h"
#include "agent/sa.h"
#include "lib/auth.h"
#include "lib/reg.h"
#include "mip4-fa/challenge.h"
#include "mip4-fa/conf.h"
#include "mip4-fa/stats.h"
#include "mip4-fa/visitor.h"

/* Largest message relayed either way (what agent/udp sends). */
#define RELAY_MSG_MAX 512
#define RELAY_MN_TEXT 80

struct relay_state {
	const struct fa_conf *conf;
	uint32_t coa;                  /* the care-of address, network byte order */
	struct addrtab visitors;       /* struct fa_visitor */
	struct addrtab pending;        /* struct fa_pending */
	struct addrtab mns;            /* struct fa_mn */
	struct addrtab fa_ha_asks;     /* struct fa_ha_ask */
	bool aaa;                      /* an AAA is configured: step 8 goes to it */
	struct sa_table mn_sas;        /* MN-FA, by home address */
	struct sa_table ha_sas;        /* FA-HA, by home agent address */
	struct challenge_ring challenges;
	struct fa_stats ctr;
	struct auth_ctx *auth;
};

struct relay_now {
	uint32_t sec;  /* monotonic seconds: lifetimes and timers */
	uint64_t us;   /* monotonic microseconds: rate limit, latency */
};

/* A registration request as it came off the visited link. */
struct relay_link {
	uint8_t mac[VISITOR_MAC_LEN]; /* link-layer source */
	uint32_t ip_src, ip_dst;
	uint16_t sport;
	const uint8_t *buf;           /* UDP payload */
	size_t len;
};

enum relay_out { RELAY_DROP, RELAY_TO_MN, RELAY_TO_HA, RELAY_TO_AAA };

/* What a reply did to the visitor list (the data plane follows it). */
enum relay_visitor_change {
	RELAY_VISITOR_SAME, /* nothing */
	RELAY_VISITOR_SET,  /* home_addr's entry was created or renewed: visitor */
	RELAY_VISITOR_GONE, /* home_addr's entry was removed (accepted deregistration) */
};

struct relay_result {
	enum relay_out out;
	uint8_t code;              /* TO_MN: the reply code */
	const char *why;           /* short reason for the log */
	bool logged_outcome;       /* an outcome worth an info line */
	uint32_t home_addr, ha;
	/* TO_AAA: the request's Identification, and whether to ask for an FA-HA key */
	uint64_t ident;
	bool ask_fa_ha;
	/* TO_MN after a 2001: fingerprints of the keys installed (auth_key_fp) */
	bool new_mn_fa, new_fa_ha;
	uint8_t mn_fa_fp[AUTH_KEY_FP_LEN], fa_ha_fp[AUTH_KEY_FP_LEN];
	/* TO_MN: link-layer and IP destination, the source the reply leaves from */
	uint8_t mac[VISITOR_MAC_LEN];
	uint32_t ip_src, ip_dst;
	uint16_t dport;
	char mn[RELAY_MN_TEXT];    /* NAI or home address, for logs */
	enum relay_visitor_change visitor_change;
	const struct fa_visitor *visitor; /* RELAY_VISITOR_SET: until the next call that changes the list */
	size_t len;
	uint8_t msg[RELAY_MSG_MAX];
};

/* What the AAA answered to a request relayed to it (an AMA), or that it did
 * not; a plain struct, so that the Diameter thread can fill it. */
struct relay_aaa {
	uint32_t home_addr;
	uint64_t ident;
	bool answered;                 /* false: no answer within the Diameter timeout */
	uint32_t result_code;          /* Result-Code (an Experimental-Result: 5012) */
	size_t rrp_len;                /* MIP-Reg-Reply, 0: none */
	uint8_t rrp[RELAY_MSG_MAX];
	bool mn_fa;                    /* MIP-MN-to-FA-MSA and MIP-FA-to-MN-MSA, HMAC-SHA-1 */
	uint32_t mn_fa_spi;            /* MIP-FA-to-MN-SPI */
	size_t mn_fa_key_len, mn_fa_nonce_len;
	uint8_t mn_fa_key[SA_KEY_MAX];
	uint8_t mn_fa_nonce[REG_NONCE_MAX];
	bool fa_ha;                    /* MIP-FA-to-HA-MSA, HMAC-SHA-1 */
	uint32_t fa_ha_spi;            /* MIP-FA-to-HA-SPI */
	size_t fa_ha_key_len;
	uint8_t fa_ha_key[SA_KEY_MAX];
	uint32_t msa_lifetime;         /* MIP-MSA-Lifetime, 0: none */
	uint64_t sent_us;              /* monotonic time the AMR left, for the latency */
};

/* Tables sized from c, associations installed from c (the caller wipes c's
 * keys), the challenge ring drawn from random.  0, or -1 (no memory). */
int relay_init(struct relay_state *st, const struct fa_conf *c, uint32_t coa, uint32_t now_sec,
               challenge_random_fn random);
void relay_destroy(struct relay_state *st);
/* Replace the MN-FA and FA-HA associations with those of c (the caller wipes
 * c's keys); returns how many were installed. */
size_t relay_set_sas(struct relay_state *st, const struct fa_conf *c);

void relay_request(struct relay_state *st, const struct relay_link *in, const struct relay_now *now,
                   struct relay_result *r);
void relay_reply(struct relay_state *st, const uint8_t *buf, size_t len, uint32_t from, const struct relay_now *now,
                 struct relay_result *r);
/* Act on the AAA's answer a (see above); the caller wipes a. */
void relay_aaa_answer(struct relay_state *st, const struct relay_aaa *a, const struct relay_now *now,
                      struct relay_result *r);
/* The AMR for r (RELAY_TO_AAA) could not be sent: 66 to the node. */
void relay_aaa_unsent(struct relay_state *st, uint32_t home_addr, uint64_t ident, const struct relay_now *now,
                      struct relay_result *r);
/* An ICMP error (type, code) about a datagram we sent to ha, whose first len
 * octets (a relayed request) are orig: 80, 81, 82 or 88 to the node. */
void relay_icmp_error(struct relay_state *st, uint32_t ha, uint8_t type, uint8_t code, const uint8_t *orig,
                      size_t len, const struct relay_now *now, struct relay_result *r);
/* Expire what is due at now: a pending request past registration-timeout
 * becomes a 78 handed to out(); a visitor whose lifetime ended goes through
 * gone() (may be NULL) before it is removed; associations from the AAA whose
 * lifetime ended are removed. */
void relay_expire(struct relay_state *st, const struct relay_now *now,
                  void (*out)(const struct relay_result *r, void *arg),
                  void (*gone)(const struct fa_visitor *v, void *arg), void *arg);
/* True when no new visitor could be accepted (the B bit). */
bool relay_busy(const struct relay_state *st);

#endif
