/*
 * ratelimit: a token bucket on the monotonic clock, for what a packet thread
 * sends on its own initiative (ICMP errors, RFC 1812 §4.3.2.8): at most rate a
 * second on average, burst at once.  One thread per bucket.
 */
#ifndef MIP4_AGENT_RATELIMIT_H
#define MIP4_AGENT_RATELIMIT_H

#include <stdbool.h>
#include <time.h>

struct ratelimit {
	double tokens, rate, burst;
	struct timespec last;
};

/* Full at start. */
void ratelimit_init(struct ratelimit *r, double rate, double burst);
/* True, spending a token, when one is left now. */
bool ratelimit_allow(struct ratelimit *r);

#endif
