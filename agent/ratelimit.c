#include "agent/ratelimit.h"

void ratelimit_init(struct ratelimit *r, double rate, double burst)
{
	r->rate = rate;
	r->burst = burst;
	r->tokens = burst;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &r->last);
}

bool ratelimit_allow(struct ratelimit *r)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	double dt = (double)(now.tv_sec - r->last.tv_sec) + (double)(now.tv_nsec - r->last.tv_nsec) / 1e9;
	r->last = now;
	r->tokens += dt * r->rate;
	if (r->tokens > r->burst)
		r->tokens = r->burst;
	if (r->tokens < 1)
		return false;
	r->tokens -= 1;
	return true;
}
