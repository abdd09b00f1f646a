/*
 * slab: fixed-size objects carved from large chunks, so a million small entries
 * cost no per-allocation header and growth never copies or rehashes anything.
 * Freed objects go on a free list and are reused first.
 */
#ifndef MIP4_AGENT_SLAB_H
#define MIP4_AGENT_SLAB_H

#include <stddef.h>

struct slab {
	size_t size;       /* object size, at least a pointer */
	size_t per_chunk;
	void *free_list;
	void **chunks;     /* every chunk, for slab_destroy */
	size_t n_chunks, cap_chunks;
	size_t in_use;
	size_t bytes;      /* everything allocated: chunks and the chunk index */
};

void slab_init(struct slab *s, size_t size, size_t per_chunk);
/* A zeroed object, or NULL when memory is exhausted. */
void *slab_alloc(struct slab *s);
void slab_free(struct slab *s, void *p);
void slab_destroy(struct slab *s);

#endif
