/*
 * reg_internal: what the registration decisions of reg_process.c (RFC 5944,
 * the AAA path) and reg_zn.c (method 2, the HA as NAF) share.  For those two
 * files only.
 */
#ifndef MIP4_HA_REG_INTERNAL_H
#define MIP4_HA_REG_INTERNAL_H

#include "mip4-ha/reg_process.h"

/* Who signs a reply: an MN-HA SPI, algorithm and key, or nobody. */
struct reg_signer {
	uint32_t spi;
	enum auth_alg alg;
	const uint8_t *key;
	size_t key_len;
};

struct reg_signer reg_signer_of(const struct sa *sa);

/* Build the reply into r.  m may be NULL (unparsable request: no NAI to echo). */
void reg_reply(struct reg_state *st, struct reg_result *r, const struct reg_msg *m, uint8_t code, uint16_t lifetime,
               uint32_t home_addr, uint64_t ident, const struct reg_keyrep *keyrep, const struct reg_signer *sign);

/* The checks every new request passes before it is acted on, in this order:
 * replay (against last_ident, 0 = none accepted yet), then validity.  A request
 * failing one is answered here and true returned. */
bool reg_refused(struct reg_state *st, const struct reg_msg *m, uint64_t last_ident, const struct reg_now *now,
                 const struct reg_signer *sign, struct reg_result *r);

/* Accept an authenticated, fresh, valid request: update the binding list and
 * the SA's last Identification, and say which lifetime and code the reply gets.
 * Returns false when no binding could be created (table full). */
bool reg_accept(struct reg_state *st, const struct reg_msg *m, uint32_t home_addr, struct sa *sa, uint32_t cap,
                const struct reg_now *now, uint8_t *code, uint16_t *lifetime, struct reg_result *r);

/* True when accepting m would need a new binding for home_addr and the table
 * is full: checked before a key is installed, so that none is left half-installed. */
bool reg_no_binding_room(const struct reg_state *st, const struct reg_msg *m, uint32_t home_addr);

/* A copy of a request that waits (dropped: nothing new is sent) or was answered
 * lately (the same reply again, when its authenticator matches and it is still
 * the latest accepted request; 133 when it is not).  True when r says what to do. */
bool reg_retransmission(struct reg_state *st, const struct reg_msg *m, const struct reg_now *now, struct reg_result *r);

/* Park m in the pending table for out (REG_OUT_AMR or REG_OUT_ZN); when the
 * table is full, reply 130 signed by sign. */
void reg_pend(struct reg_state *st, const struct reg_msg *m, const struct sockaddr_in *src, const struct reg_now *now,
              enum reg_outcome out, const struct reg_signer *sign, struct reg_result *r);

#endif
