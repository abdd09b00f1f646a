/*
 * kernerr: what an agent's loop does when the kernel refuses a route, rule,
 * proxy ARP entry or ARP it asked for on behalf of a mobile node.  The
 * registration stands (the node is served as far as the kernel allows); the
 * refusal is counted and logged, at most five lines a second, because a peer's
 * registrations can make it happen at their rate.
 */
#ifndef MIP4_AGENT_KERNERR_H
#define MIP4_AGENT_KERNERR_H

#include <stdint.h>

#include "lib/log.h"

struct kernerr {
	uint64_t count;
	struct log_rate rate;
};

/* Count it and log "data plane: WHAT ADDR: strerror(errno)" (errno kept). */
void kernerr_log(struct kernerr *k, const char *what, uint32_t addr);

#endif
