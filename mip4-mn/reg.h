/*
 * mip4-mn-reg: the mobile node's registration logic, without I/O.
 *
 * Builds Registration Requests (method 1: first registration with MN-HA KeyGen
 * Request and MN-AAA authentication keyed with Ks_NAF, or MN-HA authentication
 * with an existing or static security association; method 2: NAI and MN-HA
 * authentication keyed with Ks_NAF itself, HMAC-SHA-1, in every request),
 * checks Registration Replies (derives the RFC 3957 key from the KeyGen Reply
 * nonce and verifies the reply with it before keeping it; in method 2 verifies
 * with Ks_NAF), and keeps the timestamp state (RFC 5944 §5.7).
 *
 * Through a foreign agent with no static MN-FA association, a method 1 node
 * also asks for an MN-FA key (RFC 3957 §3, §8: MN-FA KeyGen Request, SPI
 * mn_spi + 1); the agent appends the AAA's MN-FA KeyGen Reply to the home
 * agent's reply and signs it with the new key (RFC 4004 §1.2).  The node keeps
 * the MN-HA and MN-FA keys together, or neither.
 *
 * Identifications are the NTP time of the clock (corrected by what a 133 taught),
 * kept strictly increasing per node, so a node restarted a moment later is still
 * newer than everything it sent before.
 */
#ifndef MIP4_MN_REG_H
#define MIP4_MN_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "lib/bootstrap.h"
#include "lib/gba.h"
#include "lib/keygen.h"
#include "lib/reg.h"
#include "mip4-mn/agent.h"

#define MN_REG_MAX_NODES (1u << 20)
#define MN_REG_MAX_MSG 1024
/* Method 2: the MN-HA key is Ks_NAF, used with HMAC-SHA-1 (README, "Method 2"). */
#define MN_METHOD2_ALG AUTH_HMAC_SHA1

enum mn_phase { MN_PHASE_INITIAL, MN_PHASE_REREG, MN_PHASE_DEREG };

/* A mobile node's security association with its home agent. */
struct mn_sa {
	bool valid;
	uint32_t spi;
	enum auth_alg alg;
	uint8_t key[AUTH_MAX_LEN];
	size_t key_len;
	uint32_t lifetime; /* seconds from the KeyGen Reply (0 for static associations) */
	double deadline;   /* the caller's monotonic clock when it lapses (0: never) */
};

struct mn_node {
	uint32_t idx;
	struct mn_chal chal;                    /* through a foreign agent: its challenge for this node */
	const char *nai; /* NULL: no NAI extension (static mode without --nai) */
	size_t nai_len;
	bool gba;                               /* keyed from a GBA bootstrap (Ks_NAF) */
	const struct bootstrap_entry *boot;     /* the bootstrap in use (GBA) */
	bool boot_owned;                        /* boot was allocated by a re-bootstrap */
	uint8_t ks_naf[GBA_KS_NAF_LEN];
	uint32_t home_addr;                     /* network order; 0 asks the home network for one */
	bool registered;
	struct mn_sa sa;
	struct mn_sa fa_sa;                     /* the MN-FA key the AAA gave for the current agent */
	int64_t clock_adj;                      /* seconds added to our clock (learnt from 133) */
	uint64_t floor_ident;                   /* the next identification must be above this */
	uint64_t last_accepted;
	bool rebootstrapped;                    /* the one re-bootstrap of this operation is used */
	void *pending;                          /* the scheduler's outstanding request, if any */
};

/* What every node of a run shares. */
struct mn_reg_conf {
	uint32_t ha_addr; /* network order */
	uint32_t coa;     /* network order */
	uint8_t flags;    /* REG_FLAG_D for a co-located care-of address */
	uint32_t aaa_spi; /* MN-AAA SPI (>= 256: HMAC-MD5) */
	uint32_t mn_spi;  /* MN SPI of the KeyGen Request; method 2: the SPI of Ks_NAF at the HA */
	unsigned method;  /* GBA nodes: 1 (AAA/NAF, RFC 3957) or 2 (HA/NAF, Ks_NAF is the MN-HA key) */
	/* Through a foreign agent (RFC 4721 §3.1): the challenge to answer (NULL:
	 * none) and the MN-FA association (NULL: none). */
	const uint8_t *challenge;
	size_t challenge_len;
	const struct mn_sa *fa_sa;
	/* Method 1 GBA nodes through an agent with no static association: first
	 * registrations ask for an MN-FA key too (SPI mn_spi + 1). */
	bool fa_keygen;
};

/* The MN-FA KeyGen Request's SPI: one above the MN-HA KeyGen Request's, the
 * rule the AAA tests (amrclient) use too. */
#define MN_FA_SPI(c) ((c)->mn_spi + 1)

enum mn_verdict {
	MN_V_DROP,     /* not ours, malformed, or failed authentication: ignore it */
	MN_V_ACCEPTED, /* code 0/1, authenticated; node state updated */
	MN_V_REJECTED, /* final denial (see reply.authenticated) */
	MN_V_RESYNC,   /* 133: clock moved, send again with a new identification */
};

struct mn_reply {
	uint8_t code;
	uint16_t lifetime;
	uint32_t home_addr;   /* network order */
	bool authenticated;   /* MN-HA authenticator checked with a key we hold */
	bool bad_auth;        /* on MN_V_DROP: an authenticator or KeyGen check failed */
	bool new_key;         /* an RFC 3957 key was derived and installed */
	bool ks_naf_key;      /* method 2: verified with Ks_NAF itself */
	uint8_t key_fp[AUTH_KEY_FP_LEN]; /* first octets of SHA-256(new key or Ks_NAF): safe to print */
	size_t nonce_len;
	uint32_t key_lifetime;
	bool new_fa_key;      /* an MN-FA key was derived from a KeyGen Reply (41) and installed */
	uint8_t fa_key_fp[AUTH_KEY_FP_LEN]; /* first octets of SHA-256(new MN-FA key) */
	uint32_t fa_key_lifetime;
	uint32_t fa_spi;
	bool fa_authenticated; /* MN-FA authenticator checked with a key we hold */
	bool from_fa;         /* a foreign agent's own code (64-127) */
	const uint8_t *challenge; /* a foreign agent's new challenge, into the reply buffer; NULL: none */
	size_t challenge_len;
};

const char *mn_phase_str(enum mn_phase p);

/* Derive Ks_NAF for bootstrap entry e and NAF_Id and make e the node's.  0, or
 * -1 with the node unchanged. */
int mn_reg_set_bootstrap(struct auth_ctx *ctx, struct mn_node *n, const struct bootstrap_entry *e,
                         const uint8_t *naf_id, size_t naf_id_len);

/* Next identification for n at our time now_ntp (NTP format). */
uint64_t mn_reg_next_ident(struct mn_node *n, uint64_t now_ntp);

/* Whether the request for phase is a first registration of a method 1 GBA
 * node (KeyGen Requests and MN-AAA): the initial phase, or any phase once the
 * node holds no MN-HA key (it lapsed, or the node moved to another agent). */
bool mn_reg_first(const struct mn_reg_conf *c, const struct mn_node *n, enum mn_phase phase);

/* Build the request for phase.  GBA nodes' first registrations carry
 * NAI, MN-HA KeyGen Request (and with c->fa_keygen the MN-FA KeyGen Request,
 * but no MN-FA authenticator) and MN-AAA authentication in method 1; in method 2
 * every request of a GBA node carries the NAI and MN-HA authentication keyed
 * with Ks_NAF (SPI c->mn_spi, HMAC-SHA-1); everything else an MN-HA
 * authentication extension with n->sa.  Through a foreign agent the challenge
 * follows the MN-HA authenticator (precedes the MN-AAA one) and the MN-FA
 * authenticator comes last (RFC 4721 §3.1), keyed with the node's MN-FA key
 * from the AAA when it holds one, else with c->fa_sa.  Returns the length, or 0. */
size_t mn_reg_build(struct auth_ctx *ctx, const struct mn_reg_conf *c, const struct mn_node *n,
                    enum mn_phase phase, uint16_t lifetime, uint64_t ident, uint8_t *buf, size_t cap);

/* Judge a reply to the request (phase, ident) of n, received at now_ntp.  With
 * an MN-FA association the reply must carry a valid MN-FA authenticator
 * (RFC 5944 §3.6.2.1), else it is dropped.  An acceptance of a first
 * registration that asked for an MN-FA key must carry the MN-FA KeyGen Reply
 * and an MN-FA authenticator made with the key it gives; both keys are kept
 * only when both check. */
enum mn_verdict mn_reg_reply(struct auth_ctx *ctx, const struct mn_reg_conf *c, struct mn_node *n,
                             enum mn_phase phase, uint64_t ident, const uint8_t *buf, size_t len,
                             uint64_t now_ntp, struct mn_reply *out);

/* Retransmission timeout before attempt `attempt` (0 = first send): base
 * doubled each time, capped at max (RFC 5944 §3.6.3). */
unsigned mn_reg_backoff_ms(unsigned attempt, unsigned base_ms, unsigned max_ms);

/* The node's MN-FA key lapsed or the node moved to another agent: wipe the
 * MN-FA key from the AAA and, for a GBA node, the MN-HA association that came
 * with it, so that the next request is a first registration (a new AMR at the
 * agent).  Static associations are kept. */
void mn_reg_forget_agent(struct mn_node *n);

/* Whether a derived key of n has lapsed at now (the caller's monotonic clock). */
bool mn_reg_lapsed(const struct mn_node *n, double now);

/* Wipe the node's keys and free a re-bootstrap entry. */
void mn_reg_node_clear(struct mn_node *n);

#endif
