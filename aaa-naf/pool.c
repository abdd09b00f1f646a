#include "aaa-naf/pool.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pool_owner {
	struct pool_owner *next;
	uint32_t addr; /* host order */
	size_t len;
	char name[];
};

struct pool_range {
	uint32_t first, last, next; /* next: where the search for a free address resumes */
	uint8_t *used;              /* bitmap */
};

struct pool {
	pthread_mutex_t lock;
	struct pool_range *ranges;
	size_t n_ranges;
	struct pool_owner **buckets;
	size_t n_buckets, n_owners;
};

static uint64_t pool_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
	return h;
}

struct pool *pool_new(const struct conf_pool *ranges, size_t n)
{
	struct pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	p->n_buckets = 1024;
	p->buckets = calloc(p->n_buckets, sizeof(*p->buckets));
	p->ranges = n ? calloc(n, sizeof(*p->ranges)) : NULL;
	if (!p->buckets || (n && !p->ranges)) {
		pool_free(p);
		return NULL;
	}
	p->n_ranges = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t size = (uint64_t)ranges[i].last - ranges[i].first + 1;
		if (ranges[i].last < ranges[i].first || size > POOL_MAX_ADDRESSES) {
			pool_free(p);
			return NULL;
		}
		p->ranges[i].first = p->ranges[i].next = ranges[i].first;
		p->ranges[i].last = ranges[i].last;
		p->ranges[i].used = calloc((size_t)(size + 7) / 8, 1);
		if (!p->ranges[i].used) {
			pool_free(p);
			return NULL;
		}
	}
	return p;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	for (size_t b = 0; p->buckets && b < p->n_buckets; b++) {
		for (struct pool_owner *o = p->buckets[b], *nx; o; o = nx) {
			nx = o->next;
			free(o);
		}
	}
	for (size_t i = 0; p->ranges && i < p->n_ranges; i++)
		free(p->ranges[i].used);
	free(p->ranges);
	free(p->buckets);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static bool pool_take(struct pool_range *r, uint32_t *addr)
{
	uint64_t size = (uint64_t)r->last - r->first + 1;
	for (uint64_t k = 0; k < size; k++) {
		uint32_t a = r->next;
		uint32_t i = a - r->first;
		r->next = a == r->last ? r->first : a + 1;
		if (!(r->used[i / 8] & (1u << (i % 8)))) {
			r->used[i / 8] |= (uint8_t)(1u << (i % 8));
			*addr = a;
			return true;
		}
	}
	return false;
}

enum pool_result pool_assign(struct pool *p, const char *owner, size_t owner_len, uint32_t *addr)
{
	if (p->n_ranges == 0)
		return POOL_NOT_CONFIGURED;
	enum pool_result res = POOL_EXHAUSTED;
	pthread_mutex_lock(&p->lock);
	size_t b = pool_hash(owner, owner_len) % p->n_buckets;
	for (struct pool_owner *o = p->buckets[b]; o; o = o->next) {
		if (o->len == owner_len && memcmp(o->name, owner, owner_len) == 0) {
			*addr = htonl(o->addr);
			res = POOL_OK;
			goto out;
		}
	}
	uint32_t a;
	for (size_t i = 0; i < p->n_ranges; i++) {
		if (!pool_take(&p->ranges[i], &a))
			continue;
		struct pool_owner *o = malloc(sizeof(*o) + owner_len + 1);
		if (!o) {
			uint32_t k = a - p->ranges[i].first;
			p->ranges[i].used[k / 8] &= (uint8_t)~(1u << (k % 8));
			res = POOL_NO_MEMORY;
			goto out;
		}
		o->addr = a;
		o->len = owner_len;
		memcpy(o->name, owner, owner_len);
		o->name[owner_len] = '\0';
		o->next = p->buckets[b];
		p->buckets[b] = o;
		p->n_owners++;
		*addr = htonl(a);
		res = POOL_OK;
		break;
	}
out:
	pthread_mutex_unlock(&p->lock);
	return res;
}

size_t pool_used(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->n_owners;
	pthread_mutex_unlock(&p->lock);
	return n;
}
