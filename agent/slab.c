#include "agent/slab.h"

#include <stdlib.h>
#include <string.h>

void slab_init(struct slab *s, size_t size, size_t per_chunk)
{
	memset(s, 0, sizeof *s);
	size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
	s->size = size < sizeof(void *) ? sizeof(void *) : size;
	s->per_chunk = per_chunk ? per_chunk : 1024;
}

static int slab_grow(struct slab *s)
{
	if (s->n_chunks == s->cap_chunks) {
		size_t cap = s->cap_chunks ? 2 * s->cap_chunks : 16;
		void **c = realloc(s->chunks, cap * sizeof *c);
		if (!c)
			return -1;
		s->bytes += (cap - s->cap_chunks) * sizeof *c;
		s->chunks = c;
		s->cap_chunks = cap;
	}
	char *chunk = malloc(s->size * s->per_chunk);
	if (!chunk)
		return -1;
	s->chunks[s->n_chunks++] = chunk;
	s->bytes += s->size * s->per_chunk;
	for (size_t i = s->per_chunk; i-- > 0;) {
		void *obj = chunk + i * s->size;
		*(void **)obj = s->free_list;
		s->free_list = obj;
	}
	return 0;
}

void *slab_alloc(struct slab *s)
{
	if (!s->free_list && slab_grow(s) != 0)
		return NULL;
	void *obj = s->free_list;
	s->free_list = *(void **)obj;
	memset(obj, 0, s->size);
	s->in_use++;
	return obj;
}

void slab_free(struct slab *s, void *p)
{
	if (!p)
		return;
	*(void **)p = s->free_list;
	s->free_list = p;
	s->in_use--;
}

void slab_destroy(struct slab *s)
{
	for (size_t i = 0; i < s->n_chunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	memset(s, 0, sizeof *s);
}
