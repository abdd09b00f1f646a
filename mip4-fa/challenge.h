/*
 * challenge: the foreign agent's challenges (RFC 4721).  A ring of the last
 * CHALLENGE_WINDOW values put in advertisements: a new one replaces the oldest
 * at each periodic advertisement (a solicited multicast one repeats the latest,
 * §2.1), and a request may answer any of them.  Which value each mobile node
 * used last and which one the agent gave it in a reply live in struct fa_mn
 * (visitor.h).  Pure: the random source is passed in.
 */
#ifndef MIP4_FA_CHALLENGE_H
#define MIP4_FA_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mip4-fa/conf.h"

#define CHALLENGE_WINDOW_MAX 64

/* Fills buf[0, len) with unpredictable octets; 0, or -1 on failure. */
typedef int (*challenge_random_fn)(uint8_t *buf, size_t len);

struct challenge_ring {
	uint8_t v[CHALLENGE_WINDOW_MAX][FA_CHALLENGE_MAX];
	size_t window;  /* how many are remembered (1..CHALLENGE_WINDOW_MAX) */
	size_t len;     /* octets per challenge */
	size_t n;       /* how many have been drawn so far, capped at window */
	size_t head;    /* index of the latest */
	challenge_random_fn random;
};

/* An empty ring: challenge_rotate draws the first value. */
void challenge_init(struct challenge_ring *c, size_t window, size_t len, challenge_random_fn random);
/* Draw a new latest value, forgetting the oldest; 0, or -1 when the random
 * source failed (the ring is unchanged). */
int challenge_rotate(struct challenge_ring *c);
/* The latest value (len octets), NULL before the first rotation. */
const uint8_t *challenge_latest(const struct challenge_ring *c);
/* One of the remembered values. */
bool challenge_in_window(const struct challenge_ring *c, const uint8_t *p, size_t len);
/* A fresh value that goes to one mobile node only (a reply's challenge). */
int challenge_draw(const struct challenge_ring *c, uint8_t *out);

#endif
