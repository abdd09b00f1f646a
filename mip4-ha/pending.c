#include "mip4-ha/pending.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static uint32_t pending_hash(const uint8_t *mn, size_t len, uint64_t ident)
{
	uint64_t h = 1469598103934665603ull ^ ident;
	for (size_t i = 0; i < len; i++)
		h = (h ^ mn[i]) * 1099511628211ull;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

static void list_init(struct pending *head) { head->lnext = head->lprev = head; }

static void list_unlink(struct pending *p)
{
	p->lprev->lnext = p->lnext;
	p->lnext->lprev = p->lprev;
	p->lnext = p->lprev = NULL;
}

static void list_append(struct pending *head, struct pending *p)
{
	p->lnext = head;
	p->lprev = head->lprev;
	head->lprev->lnext = p;
	head->lprev = p;
}

int pending_init(struct pending_table *t, uint32_t max_inflight)
{
	memset(t, 0, sizeof *t);
	/* Room for as many answered replies as requests in flight. */
	t->n_slots = 2 * max_inflight;
	uint32_t n = 16;
	while (n < t->n_slots)
		n <<= 1;
	t->slots = calloc(t->n_slots, sizeof *t->slots);
	t->gen = calloc(t->n_slots, sizeof *t->gen);
	t->free_idx = calloc(t->n_slots, sizeof *t->free_idx);
	t->buckets = calloc(n, sizeof *t->buckets);
	if (!t->slots || !t->gen || !t->free_idx || !t->buckets) {
		pending_destroy(t);
		return -1;
	}
	t->mask = n - 1;
	t->max_inflight = max_inflight;
	for (uint32_t i = 0; i < t->n_slots; i++)
		t->free_idx[t->n_free++] = t->n_slots - 1 - i;
	list_init(&t->inflight_list);
	list_init(&t->answered_list);
	return 0;
}

void pending_destroy(struct pending_table *t)
{
	if (t->slots && t->inflight_list.lnext) {
		while (t->inflight_list.lnext != &t->inflight_list)
			pending_remove(t, t->inflight_list.lnext);
		while (t->answered_list.lnext != &t->answered_list)
			pending_remove(t, t->answered_list.lnext);
	}
	free(t->slots);
	free(t->gen);
	free(t->free_idx);
	free(t->buckets);
	memset(t, 0, sizeof *t);
}

void pending_mn_key(const struct reg_msg *m, const uint8_t **key, size_t *len)
{
	if (m->nai.p) {
		*key = m->nai.p;
		*len = m->nai.len;
	} else {
		*key = m->buf + 4;
		*len = 4;
	}
}

const struct reg_bytes *pending_auth(const struct reg_msg *m)
{
	return m->mn_aaa.present ? &m->mn_aaa.authenticator : &m->mn_ha.authenticator;
}

struct pending *pending_find(const struct pending_table *t, const uint8_t *mn, size_t mn_len, uint64_t ident)
{
	for (struct pending *p = t->buckets[pending_hash(mn, mn_len, ident) & t->mask]; p; p = p->hnext)
		if (p->ident == ident && p->mn_len == mn_len && memcmp(p->mn, mn, mn_len) == 0)
			return p;
	return NULL;
}

struct pending *pending_by_id(const struct pending_table *t, uint64_t id)
{
	uint32_t slot = (uint32_t)id, gen = (uint32_t)(id >> 32);
	if (slot >= t->n_slots || t->gen[slot] != gen || !t->slots[slot].lnext)
		return NULL;
	return &t->slots[slot];
}

struct pending *pending_add(struct pending_table *t, const struct reg_msg *m, const struct sockaddr_in *src,
                            const struct timespec *started)
{
	if (t->inflight >= t->max_inflight)
		return NULL;
	if (t->n_free == 0) {
		/* Every free slot holds a cached reply: the oldest goes. */
		if (t->answered_list.lnext == &t->answered_list)
			return NULL;
		pending_remove(t, t->answered_list.lnext);
	}
	const uint8_t *mn;
	size_t mn_len;
	pending_mn_key(m, &mn, &mn_len);
	const struct reg_bytes *auth = pending_auth(m);
	if (mn_len > PENDING_MN_MAX || auth->len > PENDING_AUTH_MAX)
		return NULL;
	uint8_t *copy = malloc(m->len);
	if (!copy)
		return NULL;
	memcpy(copy, m->buf, m->len);

	uint32_t slot = t->free_idx[--t->n_free];
	struct pending *p = &t->slots[slot];
	memset(p, 0, sizeof *p);
	t->gen[slot]++;
	p->id = (uint64_t)t->gen[slot] << 32 | slot;
	p->ident = m->ident;
	memcpy(p->mn, mn, mn_len);
	p->mn_len = (uint8_t)mn_len;
	p->auth_len = (uint8_t)auth->len;
	if (p->auth_len)
		memcpy(p->auth, auth->p, p->auth_len);
	p->started = *started;
	p->src = *src;
	p->rrq = copy;
	p->rrq_len = m->len;
	struct pending **head = &t->buckets[pending_hash(mn, mn_len, m->ident) & t->mask];
	p->hnext = *head;
	*head = p;
	list_append(&t->inflight_list, p);
	t->inflight++;
	return p;
}

bool pending_answered(struct pending_table *t, struct pending *p, const uint8_t *rrp, size_t len, uint32_t expires)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy) {
		pending_remove(t, p);
		return false;
	}
	memcpy(copy, rrp, len);
	list_unlink(p);
	t->inflight--;
	free(p->rrq);
	p->rrq = NULL;
	p->rrq_len = 0;
	p->rrp = copy;
	p->rrp_len = len;
	p->answered = true;
	p->expires = expires;
	list_append(&t->answered_list, p);
	return true;
}

void pending_remove(struct pending_table *t, struct pending *p)
{
	struct pending **pp = &t->buckets[pending_hash(p->mn, p->mn_len, p->ident) & t->mask];
	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = p->hnext;
	if (!p->answered)
		t->inflight--;
	list_unlink(p);
	free(p->rrq);
	free(p->rrp);
	OPENSSL_cleanse(p->auth, sizeof p->auth);
	uint32_t slot = (uint32_t)(p - t->slots);
	memset(p, 0, sizeof *p);
	t->free_idx[t->n_free++] = slot;
}

void pending_expire(struct pending_table *t, uint32_t now)
{
	while (t->answered_list.lnext != &t->answered_list && t->answered_list.lnext->expires <= now)
		pending_remove(t, t->answered_list.lnext);
}

struct pending *pending_oldest(const struct pending_table *t)
{
	return t->inflight_list.lnext == &t->inflight_list ? NULL : t->inflight_list.lnext;
}

struct pending *pending_restore(struct pending_table *t, const uint8_t *mn, size_t mn_len, uint64_t ident,
                                const uint8_t *auth, size_t auth_len, const uint8_t *rrp, size_t rrp_len,
                                uint32_t expires)
{
	if (mn_len == 0 || mn_len > PENDING_MN_MAX || auth_len > PENDING_AUTH_MAX || rrp_len == 0 ||
	    pending_find(t, mn, mn_len, ident))
		return NULL;
	if (t->n_free == 0) {
		if (t->answered_list.lnext == &t->answered_list)
			return NULL;
		pending_remove(t, t->answered_list.lnext);
	}
	uint8_t *copy = malloc(rrp_len);
	if (!copy)
		return NULL;
	memcpy(copy, rrp, rrp_len);
	uint32_t slot = t->free_idx[--t->n_free];
	struct pending *p = &t->slots[slot];
	memset(p, 0, sizeof *p);
	t->gen[slot]++;
	p->id = (uint64_t)t->gen[slot] << 32 | slot;
	p->ident = ident;
	memcpy(p->mn, mn, mn_len);
	p->mn_len = (uint8_t)mn_len;
	memcpy(p->auth, auth, auth_len);
	p->auth_len = (uint8_t)auth_len;
	p->rrp = copy;
	p->rrp_len = rrp_len;
	p->answered = true;
	p->expires = expires;
	struct pending **head = &t->buckets[pending_hash(mn, mn_len, ident) & t->mask];
	p->hnext = *head;
	*head = p;
	list_append(&t->answered_list, p);
	return p;
}

void pending_foreach_answered(const struct pending_table *t, void (*fn)(const struct pending *p, void *arg), void *arg)
{
	for (const struct pending *p = t->answered_list.lnext; p != &t->answered_list; p = p->lnext)
		fn(p, arg);
}
