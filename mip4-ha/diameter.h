/*
 * diameter: the HA's Diameter client, libfdcore embedded in the process
 * through agent/diameter (generated configuration, peers by role: AMRs to aaa
 * peers, BIRs (method 2) to bsf peers; the queue to the loop).
 * Requests go out with fd_msg_send_timeout; every one ends in exactly one of
 * answer, timeout or shutdown.  Answers and expiries run on freeDiameter
 * threads, and so do Zn outcomes (agent/zn): they copy what the HA needs into a
 * struct aaa_answer, push it on a mutex-protected queue and wake the loop; they
 * never touch HA state.
 * With aaa peers the HA also serves HAR (FA care-of mode, RFC 4004 §5.3): the
 * request and its keys go through the same queue, the loop serves it, and
 * dia_answer_har sends the HAA.
 */
#ifndef MIP4_HA_DIAMETER_H
#define MIP4_HA_DIAMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/zn.h"
#include "lib/reg.h"
#include "mip4-ha/conf.h"
#include "mip4-ha/reg_process.h"

struct event;

/* Initialise libfdcore, register the dictionaries, load the generated
 * configuration and start.  wake is made active (event_active) whenever the
 * queue gains an entry.  Returns 0, or -1 after printing why on stderr. */
int dia_start(const struct conf *c, struct event *wake);
/* True when every role with configured peers has one open; desc lists the open
 * peers ("aaa.example (aaa), bsf.example (bsf)"). */
bool dia_ready(char *desc, size_t len);
/* Send the AMR for request m (views into the pending copy).  Returns 0, or -1
 * when it could not be sent (the caller answers 130 itself). */
int dia_send_amr(const struct reg_msg *m, uint64_t pending_id, uint32_t timeout_ms);
/* Method 2: Ks_NAF of the B-TID btid for pending registration pending_id,
 * from the Zn cache or a BIR.  The outcome always arrives through the queue
 * (aaa_answer.zn set), even a cache hit. */
void dia_zn_lookup(const uint8_t *btid, size_t len, uint64_t pending_id, int64_t now_unix);
/* The Zn client's counters (zeros when method 2 is not configured). */
void dia_zn_stats(struct zn_stats *s);
/* Send the HAA for a HAR the loop served (a->har_answer, taken): Result-Code
 * a->result_code, MIP-Reg-Reply rrp (len 0: none) and, with an accepted reply,
 * MIP-Mobile-Node-Address home_addr (network order). */
void dia_answer_har(struct aaa_answer *a, const uint8_t *rrp, size_t len, uint32_t home_addr);
/* Free what a queued HAR holds (the request copy, the waiting answer). */
void dia_har_free(struct aaa_answer *a);
/* Take one queued answer; false when the queue is empty. */
bool dia_pop(struct aaa_answer *out);
/* Stop libfdcore (requests still in flight are dropped without callback) and
 * wipe whatever is left on the queue. */
void dia_stop(void);

#endif
