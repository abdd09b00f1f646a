/*
 * binding: the mobility binding list, one binding per home address (simultaneous
 * bindings are not offered), a typed layer over addrtab (hash sized once for
 * the configured maximum, slab, timing wheel).  Owned by the loop thread; no
 * locking.
 */
#ifndef MIP4_HA_BINDING_H
#define MIP4_HA_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/addrtab.h"

struct binding {
	struct addrtab_entry entry; /* entry.timer.at = expiry second */
	uint32_t home_addr;       /* network byte order */
	uint32_t coa;             /* network byte order */
	uint64_t ident;           /* Identification of the accepted request */
	uint32_t since;           /* second the binding was (re)registered */
	uint16_t granted;         /* lifetime granted to that request */
	uint8_t code;             /* reply code it was accepted with (0 or 1) */
	uint8_t flags;            /* RRQ flags of that request */
};

struct binding_table {
	struct addrtab tab; /* tab.count bindings of at most tab.max */
};

/* Sized for max bindings; now is the current second of the clock that every
 * later call uses.  Returns 0 or -1 (no memory). */
int binding_table_init(struct binding_table *t, uint32_t max, uint32_t now);
void binding_table_destroy(struct binding_table *t);
struct binding *binding_find(const struct binding_table *t, uint32_t home_addr);
/* The binding for home_addr, created empty (timer unarmed) if absent.  NULL when
 * the table holds max bindings or memory is exhausted. */
struct binding *binding_get(struct binding_table *t, uint32_t home_addr);
void binding_remove(struct binding_table *t, struct binding *b);
/* Expire at second at. */
void binding_arm(struct binding_table *t, struct binding *b, uint32_t at);
/* Remove every binding whose lifetime ended at or before now, calling gone()
 * for each just before it is freed. */
void binding_expire(struct binding_table *t, uint32_t now, void (*gone)(const struct binding *b, void *arg),
                    void *arg);
void binding_foreach(const struct binding_table *t, void (*fn)(const struct binding *b, void *arg), void *arg);
/* A walk in steps (see addrtab_foreach_from): returns where to go on from,
 * binding_walk_end(t) once every bucket was visited. */
uint32_t binding_foreach_from(const struct binding_table *t, uint32_t bucket, size_t max,
                              void (*fn)(const struct binding *b, void *arg), void *arg);
static inline uint32_t binding_walk_end(const struct binding_table *t) { return t->tab.mask + 1; }
/* A page of the binding list (see addrtab_page). */
size_t binding_page(const struct binding_table *t, bool has_after, uint32_t after, size_t max,
                    void (*fn)(const struct binding *b, void *arg), void *arg, bool *more);
/* Bytes held by the table: bucket array, slab chunks and the wheel. */
size_t binding_table_bytes(const struct binding_table *t);

#endif
