/*
 * diameter: the foreign agent's Diameter client for FA care-of mode with the
 * AAA (RFC 4004 §5.1-§5.2): libfdcore embedded through agent/diameter
 * (generated configuration, peers of role aaa only).  An AMR goes out for each
 * request relay_request sends to the AAA; its answer, or its expiry, runs on a
 * freeDiameter thread that copies what the loop needs into a struct relay_aaa
 * (keys included, wiped once used) and pushes it on the queue.  The loop pops
 * it and hands it to relay_aaa_answer; nothing here touches the agent's state.
 */
#ifndef MIP4_FA_DIAMETER_H
#define MIP4_FA_DIAMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mip4-fa/conf.h"
#include "mip4-fa/relay.h"

struct event;

/* Initialise libfdcore with c's diameter section and start it; wake is made
 * active whenever an answer is queued.  own_addr (network order): the CER's
 * Host-IP-Address of last resort.  0, or -1 after printing why on stderr. */
int fa_dia_start(const struct fa_conf *c, uint32_t own_addr, struct event *wake);
/* True when an aaa peer is open; desc lists the open peers. */
bool fa_dia_ready(char *desc, size_t len);
/* Send the AMR for the request in r (RELAY_TO_AAA: r->msg, r->len, r->ident,
 * r->ask_fa_ha), answered within timeout_ms.  0, or -1 when it could not be
 * sent (the caller answers the node). */
int fa_dia_send_amr(const struct relay_result *r, uint32_t timeout_ms, uint64_t now_us);
/* Take one queued answer; false when the queue is empty.  The caller wipes it. */
bool fa_dia_pop(struct relay_aaa *out);
/* Stop libfdcore (AMRs in flight are dropped) and wipe what is queued. */
void fa_dia_stop(void);

#endif
