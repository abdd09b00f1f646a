#include "mip4-ha/binding.h"

#include <stdlib.h>
#include <string.h>

static uint32_t binding_hash(uint32_t addr)
{
	uint64_t x = addr * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(x >> 32) ^ (uint32_t)x;
}

int binding_table_init(struct binding_table *t, uint32_t max, uint32_t now)
{
	memset(t, 0, sizeof *t);
	uint32_t n = 16;
	while (n < max && n < (1u << 30))
		n <<= 1;
	t->buckets = calloc(n, sizeof *t->buckets);
	if (!t->buckets)
		return -1;
	t->mask = n - 1;
	t->max = max;
	slab_init(&t->slab, sizeof(struct binding), 4096);
	wheel_init(&t->wheel, now);
	return 0;
}

void binding_table_destroy(struct binding_table *t)
{
	free(t->buckets);
	slab_destroy(&t->slab);
	memset(t, 0, sizeof *t);
}

struct binding *binding_find(const struct binding_table *t, uint32_t home_addr)
{
	for (struct binding *b = t->buckets[binding_hash(home_addr) & t->mask]; b; b = b->hnext)
		if (b->home_addr == home_addr)
			return b;
	return NULL;
}

struct binding *binding_get(struct binding_table *t, uint32_t home_addr)
{
	struct binding **head = &t->buckets[binding_hash(home_addr) & t->mask];
	for (struct binding *b = *head; b; b = b->hnext)
		if (b->home_addr == home_addr)
			return b;
	if (t->count >= t->max)
		return NULL;
	struct binding *b = slab_alloc(&t->slab);
	if (!b)
		return NULL;
	b->home_addr = home_addr;
	b->hnext = *head;
	*head = b;
	t->count++;
	return b;
}

void binding_remove(struct binding_table *t, struct binding *b)
{
	struct binding **pp = &t->buckets[binding_hash(b->home_addr) & t->mask];
	while (*pp && *pp != b)
		pp = &(*pp)->hnext;
	if (!*pp)
		abort(); /* not in its own table: memory corruption */
	*pp = b->hnext;
	wheel_disarm(&b->timer);
	t->count--;
	slab_free(&t->slab, b);
}

void binding_arm(struct binding_table *t, struct binding *b, uint32_t at)
{
	wheel_arm(&t->wheel, &b->timer, at);
}

struct binding_expiry {
	struct binding_table *t;
	void (*gone)(const struct binding *b, void *arg);
	void *arg;
};

static void binding_fire(struct wheel_node *n, void *arg)
{
	struct binding_expiry *e = arg;
	struct binding *b = (struct binding *)((char *)n - offsetof(struct binding, timer));
	if (e->gone)
		e->gone(b, e->arg);
	binding_remove(e->t, b);
}

void binding_expire(struct binding_table *t, uint32_t now, void (*gone)(const struct binding *b, void *arg),
                    void *arg)
{
	struct binding_expiry e = { t, gone, arg };
	wheel_advance(&t->wheel, now, binding_fire, &e);
}

void binding_foreach(const struct binding_table *t, void (*fn)(const struct binding *b, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++)
		for (struct binding *b = t->buckets[i]; b; b = b->hnext)
			fn(b, arg);
}

size_t binding_table_bytes(const struct binding_table *t)
{
	return (size_t)(t->mask + 1) * sizeof *t->buckets + t->slab.bytes + sizeof t->wheel;
}
