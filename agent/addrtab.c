#include "agent/addrtab.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ADDRTAB_HUGE (2u << 20)

static uint32_t addrtab_hash(uint32_t addr)
{
	uint64_t x = addr * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(x >> 32) ^ (uint32_t)x;
}

static struct addrtab_entry **addrtab_bucket(const struct addrtab *t, uint32_t addr)
{
	return &t->buckets[addrtab_hash(addr) & t->mask];
}

int addrtab_init(struct addrtab *t, uint32_t max, uint32_t now, size_t object_size,
                 void (*release)(struct addrtab_entry *e))
{
	memset(t, 0, sizeof *t);
	uint32_t n = 16;
	while (n < max && n < (1u << 30))
		n <<= 1;
	/* Lookups land on random buckets: on huge pages where the kernel offers
	 * them, so that a large table does not cost a TLB miss per lookup. */
	t->bucket_bytes = ((size_t)n * sizeof *t->buckets + ADDRTAB_HUGE - 1) & ~(size_t)(ADDRTAB_HUGE - 1);
	size_t span = t->bucket_bytes + ADDRTAB_HUGE;
	char *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	/* Aligned to a huge page, the slack on both sides given back. */
	char *a = (char *)(((uintptr_t)m + ADDRTAB_HUGE - 1) & ~(uintptr_t)(ADDRTAB_HUGE - 1));
	if (a > m)
		munmap(m, (size_t)(a - m));
	if (a + t->bucket_bytes < m + span)
		munmap(a + t->bucket_bytes, (size_t)(m + span - (a + t->bucket_bytes)));
	madvise(a, t->bucket_bytes, MADV_HUGEPAGE);
	t->buckets = (struct addrtab_entry **)(void *)a;
	t->mask = n - 1;
	t->max = max;
	t->release = release;
	slab_init(&t->slab, object_size, 4096);
	wheel_init(&t->wheel, now);
	return 0;
}

static void addrtab_release(struct addrtab_entry *e, void *arg)
{
	((const struct addrtab *)arg)->release(e);
}

void addrtab_destroy(struct addrtab *t)
{
	if (t->buckets && t->release)
		addrtab_foreach(t, addrtab_release, t);
	if (t->buckets)
		munmap(t->buckets, t->bucket_bytes);
	slab_destroy(&t->slab);
	memset(t, 0, sizeof *t);
}

struct addrtab_entry *addrtab_find(const struct addrtab *t, uint32_t addr)
{
	for (struct addrtab_entry *e = *addrtab_bucket(t, addr); e; e = e->hnext)
		if (addrtab_addr(e) == addr)
			return e;
	return NULL;
}

struct addrtab_entry *addrtab_get(struct addrtab *t, uint32_t addr)
{
	struct addrtab_entry **head = addrtab_bucket(t, addr);
	for (struct addrtab_entry *e = *head; e; e = e->hnext)
		if (addrtab_addr(e) == addr)
			return e;
	if (t->count >= t->max)
		return NULL;
	struct addrtab_entry *e = slab_alloc(&t->slab);
	if (!e)
		return NULL;
	*(uint32_t *)(void *)(e + 1) = addr;
	e->hnext = *head;
	*head = e;
	t->count++;
	return e;
}

void addrtab_remove(struct addrtab *t, struct addrtab_entry *e)
{
	struct addrtab_entry **pp = addrtab_bucket(t, addrtab_addr(e));
	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (!*pp)
		abort(); /* not in its own table: memory corruption */
	*pp = e->hnext;
	wheel_disarm(&e->timer);
	if (t->release)
		t->release(e);
	t->count--;
	slab_free(&t->slab, e);
}

struct addrtab_expiry {
	struct addrtab *t;
	void (*gone)(struct addrtab_entry *e, void *arg);
	void *arg;
};

static void addrtab_fire(struct wheel_node *n, void *arg)
{
	struct addrtab_expiry *x = arg;
	struct addrtab_entry *e = (struct addrtab_entry *)(void *)((char *)n - offsetof(struct addrtab_entry, timer));
	if (x->gone)
		x->gone(e, x->arg);
	addrtab_remove(x->t, e);
}

void addrtab_expire(struct addrtab *t, uint32_t now, void (*gone)(struct addrtab_entry *e, void *arg), void *arg)
{
	struct addrtab_expiry x = { t, gone, arg };
	wheel_advance(&t->wheel, now, addrtab_fire, &x);
}

void addrtab_foreach(const struct addrtab *t, void (*fn)(struct addrtab_entry *e, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++) {
		struct addrtab_entry *next;
		for (struct addrtab_entry *e = t->buckets[i]; e; e = next) {
			next = e->hnext;
			fn(e, arg);
		}
	}
}

uint32_t addrtab_foreach_from(const struct addrtab *t, uint32_t bucket, size_t max,
                              void (*fn)(struct addrtab_entry *e, void *arg), void *arg)
{
	size_t seen = 0;
	for (; bucket <= t->mask && seen < max; bucket++) {
		struct addrtab_entry *next;
		for (struct addrtab_entry *e = t->buckets[bucket]; e; e = next, seen++) {
			next = e->hnext;
			fn(e, arg);
		}
	}
	return bucket;
}

/* The object of a bucket that comes first after lo (host order), if any. */
static struct addrtab_entry *addrtab_first_after(struct addrtab_entry *e, bool has_lo, uint32_t lo)
{
	struct addrtab_entry *best = NULL;
	uint32_t best_a = 0;
	for (; e; e = e->hnext) {
		uint32_t a = ntohl(addrtab_addr(e));
		if ((!has_lo || a > lo) && (!best || a < best_a)) {
			best = e;
			best_a = a;
		}
	}
	return best;
}

size_t addrtab_page(const struct addrtab *t, bool has_after, uint32_t after, size_t max,
                    void (*fn)(struct addrtab_entry *e, void *arg), void *arg, bool *more)
{
	uint32_t b = has_after ? addrtab_hash(after) & t->mask : 0, lo = ntohl(after);
	bool has_lo = has_after;
	size_t n = 0;
	for (; b <= t->mask; b++, has_lo = false) {
		struct addrtab_entry *e;
		while ((e = addrtab_first_after(t->buckets[b], has_lo, lo))) {
			if (n == max) {
				*more = true;
				return n;
			}
			fn(e, arg);
			n++;
			has_lo = true;
			lo = ntohl(addrtab_addr(e));
		}
	}
	*more = false;
	return n;
}

size_t addrtab_bytes(const struct addrtab *t)
{
	return (size_t)(t->mask + 1) * sizeof *t->buckets + t->slab.bytes + sizeof t->wheel;
}
