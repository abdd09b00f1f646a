/*
 * wheel: a hashed timing wheel with one-second slots.  Adding, removing and
 * re-arming are O(1); advancing visits only the slots whose second has come,
 * so expiring a million bindings never scans the tables.  An entry further away
 * than one turn stays in its slot and is skipped (not fired) until its turn.
 */
#ifndef MIP4_AGENT_WHEEL_H
#define MIP4_AGENT_WHEEL_H

#include <stdbool.h>
#include <stdint.h>

#define WHEEL_SLOTS 4096u /* power of two */

/* Embedded in the timed object; at == 0 means not armed. */
struct wheel_node {
	struct wheel_node *next, *prev;
	uint32_t at; /* expiry, in the wheel's seconds */
};

struct wheel {
	struct wheel_node slot[WHEEL_SLOTS]; /* list heads */
	uint32_t now;                        /* last second processed */
};

void wheel_init(struct wheel *w, uint32_t now);
/* Arm (or re-arm) n to fire at second at (> w->now; earlier values fire on the
 * next advance). */
void wheel_arm(struct wheel *w, struct wheel_node *n, uint32_t at);
void wheel_disarm(struct wheel_node *n);
static inline bool wheel_armed(const struct wheel_node *n) { return n->next != 0; }
/* Fire every node due at or before now; fire() must not touch other nodes of
 * the same slot except through wheel_disarm/wheel_arm. */
void wheel_advance(struct wheel *w, uint32_t now, void (*fire)(struct wheel_node *n, void *arg), void *arg);

#endif
