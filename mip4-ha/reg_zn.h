/*
 * reg_zn: method 2 of 3GPP TR 33.822 §7.3.3 at the HA, the HA being the GBA NAF.
 *
 * A request whose NAI is a B-TID and whose MN-HA authentication extension
 * carries the configured zn SPI is keyed with Ks_NAF of that B-TID for the HA's
 * NAF_Id: the 32 octets themselves, with HMAC-SHA-1 (README, "Method 2").
 * When the HA holds no association made from that B-TID for the home address,
 * the request waits in the pending table (REG_OUT_ZN) after the replay and
 * validity checks, while the key comes from the Zn cache or a BIR.  With the
 * key, the request is verified, the association is installed until
 * Key-ExpiryTime and the reply is signed with it; later requests with the same
 * B-TID are served locally by reg_process.c.
 *
 * An address stays with the subscriber that registered it: a key of another
 * IMPI (or any key while a static or AAA-made association holds the address)
 * gets 129.  The BSF unreachable gives 130, an unknown or expired B-TID or a
 * wrong authenticator 131, unsigned (the HA holds no key the MN has).
 */
#ifndef MIP4_HA_REG_ZN_H
#define MIP4_HA_REG_ZN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "agent/zn.h"
#include "mip4-ha/reg_process.h"

/* True when m is a method 2 request that needs Ks_NAF (no association of its
 * B-TID for the home address). */
bool reg_zn_wants(const struct reg_state *st, const struct reg_msg *m, const struct sa *sa);
void reg_zn_request(struct reg_state *st, const struct reg_msg *m, struct sa *sa, const struct sockaddr_in *src,
                    const struct reg_now *now, struct reg_result *r);
/* The Zn outcome a for the waiting request m (parsed from the pending copy). */
void reg_zn_answer(struct reg_state *st, struct aaa_answer *a, const struct reg_msg *m, const struct reg_now *now,
                   struct reg_result *r);

/* A Zn client outcome as the queue carries it (the key copied, at = when). */
void reg_zn_outcome(struct aaa_answer *out, uint64_t pending_id, const struct zn_answer *a, const struct timespec *at);

/* The B-TID an association was made from, to tell a re-bootstrapped node (it
 * only selects which key a request is checked with). */
uint64_t reg_zn_btid_fp(const uint8_t *btid, size_t len);
/* The IMPI that owns an address: the first 8 octets of SHA-256(IMPI). */
uint64_t reg_zn_owner_fp(const char *impi, size_t len);

#endif
