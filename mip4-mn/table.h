/*
 * mip4-mn-table: outstanding requests by the low 32 bits of their
 * identification (all that a 133 reply keeps of it).  Open addressing with
 * linear probing and backward-shift deletion, sized at creation for at most
 * half full; keys are unique.
 */
#ifndef MIP4_MN_TABLE_H
#define MIP4_MN_TABLE_H

#include <stdbool.h>
#include <stdint.h>

struct mn_table {
	uint32_t *keys;
	void **vals;   /* NULL: free slot */
	unsigned bits;
	unsigned n, max;
};

/* Room for max entries.  0, or -1 on allocation failure. */
int mn_table_init(struct mn_table *t, unsigned max);
void mn_table_free(struct mn_table *t);
void *mn_table_find(const struct mn_table *t, uint32_t key);
/* false when key is already there or the table holds max entries. */
bool mn_table_insert(struct mn_table *t, uint32_t key, void *val);
/* The value removed, or NULL when key was absent. */
void *mn_table_remove(struct mn_table *t, uint32_t key);

#endif
