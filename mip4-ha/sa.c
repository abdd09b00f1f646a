#include "mip4-ha/sa.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static uint32_t sa_hash(uint32_t addr)
{
	uint64_t x = addr * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(x >> 32) ^ (uint32_t)x;
}

int sa_table_init(struct sa_table *t, uint32_t max, uint32_t now)
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
	slab_init(&t->slab, sizeof(struct sa), 4096);
	wheel_init(&t->wheel, now);
	return 0;
}

static void sa_wipe(struct sa *s, void *arg)
{
	(void)arg;
	OPENSSL_cleanse(s->key, sizeof s->key);
}

void sa_table_destroy(struct sa_table *t)
{
	if (t->buckets)
		sa_foreach(t, sa_wipe, NULL);
	free(t->buckets);
	slab_destroy(&t->slab);
	memset(t, 0, sizeof *t);
}

struct sa *sa_find(const struct sa_table *t, uint32_t home_addr)
{
	for (struct sa *s = t->buckets[sa_hash(home_addr) & t->mask]; s; s = s->hnext)
		if (s->home_addr == home_addr)
			return s;
	return NULL;
}

struct sa *sa_install(struct sa_table *t, uint32_t home_addr, const struct sa_params *p)
{
	if (!p->key || p->key_len == 0 || p->key_len > SA_KEY_MAX || auth_alg_len(p->alg) == 0)
		return NULL;
	struct sa **head = &t->buckets[sa_hash(home_addr) & t->mask];
	struct sa *s = *head;
	while (s && s->home_addr != home_addr)
		s = s->hnext;
	if (!s) {
		if (t->count >= t->max || !(s = slab_alloc(&t->slab)))
			return NULL;
		s->home_addr = home_addr;
		s->hnext = *head;
		*head = s;
		t->count++;
	}
	OPENSSL_cleanse(s->key, sizeof s->key);
	memcpy(s->key, p->key, p->key_len);
	s->key_len = (uint8_t)p->key_len;
	s->spi = p->spi;
	s->alg = (uint8_t)p->alg;
	s->replay = p->replay;
	s->is_static = p->is_static;
	if (p->expires)
		wheel_arm(&t->wheel, &s->timer, p->expires);
	else
		wheel_disarm(&s->timer);
	return s;
}

void sa_remove(struct sa_table *t, struct sa *s)
{
	struct sa **pp = &t->buckets[sa_hash(s->home_addr) & t->mask];
	while (*pp && *pp != s)
		pp = &(*pp)->hnext;
	if (!*pp)
		abort(); /* not in its own table: memory corruption */
	*pp = s->hnext;
	wheel_disarm(&s->timer);
	OPENSSL_cleanse(s->key, sizeof s->key);
	t->count--;
	slab_free(&t->slab, s);
}

struct sa_expiry {
	struct sa_table *t;
	void (*gone)(const struct sa *s, void *arg);
	void *arg;
};

static void sa_fire(struct wheel_node *n, void *arg)
{
	struct sa_expiry *e = arg;
	struct sa *s = (struct sa *)((char *)n - offsetof(struct sa, timer));
	if (e->gone)
		e->gone(s, e->arg);
	sa_remove(e->t, s);
}

void sa_expire(struct sa_table *t, uint32_t now, void (*gone)(const struct sa *s, void *arg), void *arg)
{
	struct sa_expiry e = { t, gone, arg };
	wheel_advance(&t->wheel, now, sa_fire, &e);
}

void sa_foreach(struct sa_table *t, void (*fn)(struct sa *s, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++) {
		struct sa *next;
		for (struct sa *s = t->buckets[i]; s; s = next) {
			next = s->hnext;
			fn(s, arg);
		}
	}
}

size_t sa_table_bytes(const struct sa_table *t)
{
	return (size_t)(t->mask + 1) * sizeof *t->buckets + t->slab.bytes + sizeof t->wheel;
}
