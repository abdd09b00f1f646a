/*
 * reg_process: the Home Agent's registration decisions (RFC 5944 §3.8, RFC 3957,
 * RFC 4004 co-located mode, PROTOCOL.md §1-§4).  A function of (datagram, state,
 * time) → what to do: drop, reply with these bytes, or send an AMR for this
 * pending entry; and of (AAA answer, state, time) → the reply.  No sockets, no
 * Diameter, no clock reads: the daemon and the unit tests drive it the same way,
 * the tests standing in for the AAA at this boundary.
 */
#ifndef MIP4_HA_REG_PROCESS_H
#define MIP4_HA_REG_PROCESS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "lib/auth.h"
#include "lib/reg.h"
#include "mip4-ha/binding.h"
#include "mip4-ha/conf.h"
#include "mip4-ha/counters.h"
#include "mip4-ha/pending.h"
#include "agent/sa.h"

#define REG_REPLY_MAX 512
#define REG_MN_TEXT 80

struct reg_state {
	const struct conf *conf;     /* address, home networks, limits */
	struct binding_table *bindings;
	struct sa_table *sas;
	struct sa_table *fa_sas;     /* FA-HA associations by foreign agent address; NULL = none */
	struct pending_table *pending;
	struct counters *ctr;
	struct auth_ctx *auth;
	bool aaa_enabled;
	bool describe;               /* fill reg_result.mn for requests (only when it will be logged) */
};

struct reg_now {
	uint32_t sec;          /* CLOCK_MONOTONIC seconds: lifetimes and timers */
	uint64_t ntp;          /* CLOCK_REALTIME as NTP: replay checks */
	struct timespec mono;  /* CLOCK_MONOTONIC: AAA latency */
};

/* An AMA, or the outcome of a Zn lookup (method 2: zn set), or the absence
 * of either, reduced to what the HA needs: filled on a freeDiameter thread,
 * applied on the loop.  The key is wiped by whoever consumes the struct
 * (reg_process_answer does it).  A Zn outcome is ANSWERED with result code
 * 2001 and the key Ks_NAF, ANSWERED with the BSF's refusal (5403), or FAILED
 * (BSF unreachable, silent or unusable). */
enum aaa_status { AAA_ANSWERED, AAA_TIMED_OUT, AAA_FAILED };
struct aaa_answer {
	uint64_t pending_id;
	enum aaa_status status;
	struct timespec at;     /* CLOCK_MONOTONIC when it arrived */
	uint32_t result_code;
	bool has_key, has_nonce, has_mn_addr, has_msa_lifetime, has_auth_lifetime;
	uint8_t key[SA_KEY_MAX];
	size_t key_len;
	uint32_t alg;           /* MIP-Algorithm-Type, 0 when absent */
	uint32_t replay_mode;   /* MIP-Replay-Mode, 0 when absent */
	uint8_t nonce[REG_NONCE_MAX];
	size_t nonce_len;
	uint32_t mn_addr;       /* network byte order */
	uint32_t msa_lifetime;
	uint32_t auth_lifetime;
	bool zn;
	int64_t key_expiry;     /* zn: Key-ExpiryTime of Ks_NAF, Unix seconds */
	uint64_t owner_fp;      /* zn: fingerprint of the IMPI the key belongs to */
	/* A Home-Agent-MIP-Request (FA care-of mode, RFC 4004 §5.3): the request
	 * as the foreign agent received it (malloc'd, freed by whoever consumes
	 * the struct), the FA-HA key from MIP-HA-to-FA-MSA, and the answer
	 * freeDiameter waits for (sent by dia_answer_har). */
	bool har;
	void *har_answer;
	uint8_t *rrq;
	size_t rrq_len;
	bool has_fa_key;
	uint32_t fa_spi;
	uint8_t fa_key[SA_KEY_MAX];
	size_t fa_key_len;
};

/* AMR: send the AMR for r->pending; ZN: look up Ks_NAF of r->msg's NAI (a
 * B-TID) for r->pending. */
enum reg_outcome { REG_OUT_DROP, REG_OUT_REPLY, REG_OUT_AMR, REG_OUT_ZN };

/* What a call changed in the state (reg_result.changed), for the journal. */
#define REG_CHANGED_BINDING 1u /* home_addr's binding (or its absence), and its SA's last Identification */
#define REG_CHANGED_SA 2u      /* home_addr's security association: installed, replaced or removed */
#define REG_CHANGED_REPLY 4u   /* an AAA answer's reply is now cached in its pending entry */

struct reg_result {
	enum reg_outcome out;
	uint8_t code;                 /* REPLY: the reply code */
	const char *why;              /* short reason for the log */
	bool logged_outcome;          /* a registration outcome (log it at info) */
	const char *cached;           /* REPLY: the cached reply of a request authenticated through "aaa" or "zn" */
	uint8_t changed;              /* REG_CHANGED_* for home_addr */
	struct sockaddr_in dest;      /* REPLY: where it goes */
	size_t reply_len;
	struct pending *pending;      /* AMR, ZN: the new entry */
	char mn[REG_MN_TEXT];         /* NAI (sanitised) or home address, for logs; requests: only
	                                 with reg_state.describe, answers: always */
	uint32_t home_addr, coa;
	uint16_t lifetime;
	/* Large members last: the small ones above are cleared per call. */
	uint8_t reply[REG_REPLY_MAX];
	struct reg_msg msg;           /* AMR, ZN: the request, as views into pending->rrq */
};

void reg_process_request(struct reg_state *st, const uint8_t *buf, size_t len, const struct sockaddr_in *src,
                         const struct reg_now *now, struct reg_result *r);
/* Apply an answer to its pending entry (unknown id → DROP).  Wipes a->key. */
void reg_process_answer(struct reg_state *st, struct aaa_answer *a, const struct reg_now *now,
                        struct reg_result *r);
/* Serve a HAR (a->har): the request comes with the keys the AAA made, so it is
 * checked for freshness and validity only (the AAA authenticated the node),
 * the FA-HA association with its care-of address (the foreign agent) is
 * installed, then it goes on as a successful AMA would: MN-HA association,
 * binding, reply with the MN-HA KeyGen Reply signed with the new key, and
 * the FA-HA authenticator.  The reply is for the HAA, not for the network:
 * r->out is REPLY with a code, or DROP when no reply could be made (a request
 * that does not parse).  a->result_code is set for the HAA (2001, 4005 MIP
 * reply failure with a denial, 5004 for a bad MIP-Reg-Request, 5012); the
 * keys are wiped.  On a denial nothing the HAR brought stays installed. */
void reg_process_har(struct reg_state *st, struct aaa_answer *a, const struct reg_now *now, struct reg_result *r);
/* Reply code for a Result-Code (PROTOCOL.md §4, RFC-NOTES §5.5). */
uint8_t reg_code_for_result(uint32_t result_code);

#endif
