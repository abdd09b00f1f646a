/*
 * amr: the AA-Mobile-Node-Request (RFC 4004 §5.1) both agents send for a
 * Registration Request only the AAA can authenticate, built from the parsed
 * request: User-Name (the NAI), MIP-Reg-Request, MIP-MN-AAA-Auth,
 * MIP-Mobile-Node-Address and MIP-Home-Agent-Address when the request names
 * usable ones, MIP-FA-Challenge when asked, MIP-Feature-Vector and
 * Authorization-Lifetime.  The sender reads the answer in its own callbacks.
 * Needs libfdcore initialised with the RFC 4004 dictionary (agent/diameter).
 */
#ifndef AGENT_AMR_H
#define AGENT_AMR_H

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stdbool.h>
#include <stdint.h>

#include "lib/reg.h"

struct amr_params {
	const char *session_tag;  /* the Session-Id's prefix: the daemon's name */
	const char *dest_realm;
	const char *dest_host;    /* "": none, routed by realm */
	uint32_t feature_vector;  /* MIP-Feature-Vector as the sender decides it */
	bool with_challenge;      /* MIP-FA-Challenge from the request's 132 */
	uint32_t timeout_ms;      /* answer deadline */
};

/* Send the AMR for m (NAI and MN-AAA authenticator required).  Exactly one of
 * anscb and expirecb is called later with data.  0, or -1 when it could not be
 * built or sent (no callback then). */
int amr_send(const struct reg_msg *m, const struct amr_params *p, void (*anscb)(void *, struct msg **),
             void (*expirecb)(void *, DiamId_t, size_t, struct msg **), void *data);

#endif
