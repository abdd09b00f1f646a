/*
 * addrtab: a table of objects keyed by an IPv4 address, the structure under the
 * binding list and the security associations.  Intrusive: the object starts with
 * a struct addrtab_entry followed immediately by its uint32_t address (checked
 * with ADDRTAB_LAYOUT), so a table adds no per-object memory of its own beyond
 * the bucket pointer.  The bucket array is sized once for the maximum, objects
 * come from a slab and expire on a timing wheel: inserting the millionth costs
 * the same as the first, and expiry never scans.  Loop thread only.
 */
#ifndef MIP4_AGENT_ADDRTAB_H
#define MIP4_AGENT_ADDRTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/slab.h"
#include "agent/wheel.h"

struct addrtab_entry {
	struct addrtab_entry *hnext;
	struct wheel_node timer; /* timer.at = expiry second, 0 = none */
};

/* The address sits right after the entry (not inside it) so that it fills the
 * wheel node's tail padding instead of adding a padded word to every object. */
#define ADDRTAB_LAYOUT(type, entry, addr)                                                    \
	_Static_assert(offsetof(type, entry) == 0 &&                                          \
	                   offsetof(type, addr) == sizeof(struct addrtab_entry) &&            \
	                   sizeof(((type *)0)->addr) == sizeof(uint32_t),                     \
	               #type " must start with its addrtab_entry followed by the address")

struct addrtab {
	struct addrtab_entry **buckets;
	size_t bucket_bytes;
	uint32_t mask;
	uint32_t max;
	size_t count;
	/* Called on every object just before its memory is released (removal,
	 * expiry, destruction); NULL for none.  Where keys get wiped. */
	void (*release)(struct addrtab_entry *e);
	struct slab slab;
	struct wheel wheel;
};

/* Sized for max objects of object_size bytes; now is the current second of the
 * clock that every later call uses.  Returns 0 or -1 (no memory). */
int addrtab_init(struct addrtab *t, uint32_t max, uint32_t now, size_t object_size,
                 void (*release)(struct addrtab_entry *e));
void addrtab_destroy(struct addrtab *t);
struct addrtab_entry *addrtab_find(const struct addrtab *t, uint32_t addr);
/* The object for addr, created zeroed apart from its address (timer unarmed) if
 * absent.  NULL when the table holds max objects or memory is exhausted. */
struct addrtab_entry *addrtab_get(struct addrtab *t, uint32_t addr);
void addrtab_remove(struct addrtab *t, struct addrtab_entry *e);
/* Remove every object whose timer fired at or before now, calling gone() (if
 * not NULL) for each just before it is released. */
void addrtab_expire(struct addrtab *t, uint32_t now, void (*gone)(struct addrtab_entry *e, void *arg), void *arg);
/* fn may remove the object it is given. */
void addrtab_foreach(const struct addrtab *t, void (*fn)(struct addrtab_entry *e, void *arg), void *arg);
/* The same a few buckets at a time, for walks spread over many loop turns:
 * visits whole buckets from bucket on until at least max objects were seen,
 * and returns the bucket to go on from (mask + 1 once all were visited).
 * Objects that stay in the table during the whole walk are visited once. */
uint32_t addrtab_foreach_from(const struct addrtab *t, uint32_t bucket, size_t max,
                              void (*fn)(struct addrtab_entry *e, void *arg), void *arg);
/* A page of the table for listings that must not hold the loop: at most max
 * objects in a fixed order (bucket, then address), those after the object of
 * address after when has_after (which need not be in the table any more).
 * Objects that stay in the table meanwhile are listed once over successive
 * pages.  fn must not change the table.  Returns how many were visited; *more
 * says whether objects remain after the last one. */
size_t addrtab_page(const struct addrtab *t, bool has_after, uint32_t after, size_t max,
                    void (*fn)(struct addrtab_entry *e, void *arg), void *arg, bool *more);
/* Bytes held: bucket array, slab chunks and the wheel. */
size_t addrtab_bytes(const struct addrtab *t);

static inline uint32_t addrtab_addr(const struct addrtab_entry *e)
{
	return *(const uint32_t *)(const void *)(e + 1);
}

#endif
