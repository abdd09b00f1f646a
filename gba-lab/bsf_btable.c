/* The BSF's bootstrapping sessions (see bsf_btable.h). */
#include "gba-lab/bsf_btable.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

struct bsf_session {
	struct bsf_session *next_btid, *next_impi;
	struct bootstrap_entry e;
};

struct bsf_btable {
	pthread_mutex_t lock;
	struct bsf_session **by_btid, **by_impi;
	size_t mask, n, max;
};

/* FNV-1a */
static size_t bsf_hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return (size_t)h;
}

struct bsf_btable *bsf_btable_new(size_t max)
{
	struct bsf_btable *t = calloc(1, sizeof *t);
	size_t buckets = 16;
	while (buckets < max && buckets < ((size_t)1 << 30))
		buckets <<= 1;
	if (t == NULL)
		return NULL;
	t->by_btid = calloc(buckets, sizeof *t->by_btid);
	t->by_impi = calloc(buckets, sizeof *t->by_impi);
	if (t->by_btid == NULL || t->by_impi == NULL) {
		free(t->by_btid);
		free(t->by_impi);
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->mask = buckets - 1;
	t->max = max;
	return t;
}

static struct bsf_session **find_btid(struct bsf_btable *t, const char *btid, size_t len)
{
	struct bsf_session **p = &t->by_btid[bsf_hash(btid, len) & t->mask];
	while (*p && (strlen((*p)->e.btid) != len || memcmp((*p)->e.btid, btid, len) != 0))
		p = &(*p)->next_btid;
	return p;
}

static struct bsf_session **find_impi(struct bsf_btable *t, const char *impi)
{
	struct bsf_session **p = &t->by_impi[bsf_hash(impi, strlen(impi)) & t->mask];
	while (*p && strcmp((*p)->e.impi, impi) != 0)
		p = &(*p)->next_impi;
	return p;
}

/* Unlink s from both chains and free it, keys wiped. */
static void drop(struct bsf_btable *t, struct bsf_session *s)
{
	struct bsf_session **pb = find_btid(t, s->e.btid, strlen(s->e.btid));
	struct bsf_session **pi = find_impi(t, s->e.impi);
	if (*pb == s)
		*pb = s->next_btid;
	if (*pi == s)
		*pi = s->next_impi;
	OPENSSL_clear_free(s, sizeof *s);
	t->n--;
}

static size_t purge_locked(struct bsf_btable *t, int64_t now)
{
	size_t removed = 0;
	for (size_t b = 0; b <= t->mask; b++) {
		struct bsf_session *s = t->by_btid[b];
		while (s) {
			struct bsf_session *next = s->next_btid;
			if (s->e.expiry <= now) {
				drop(t, s);
				removed++;
			}
			s = next;
		}
	}
	return removed;
}

enum bsf_btable_put bsf_btable_put(struct bsf_btable *t, const struct bootstrap_entry *e, int64_t now)
{
	enum bsf_btable_put r = BSF_BTABLE_ADDED;
	pthread_mutex_lock(&t->lock);
	struct bsf_session *old = *find_impi(t, e->impi);
	if (old) {
		drop(t, old);
		r = BSF_BTABLE_REPLACED;
	}
	old = *find_btid(t, e->btid, strlen(e->btid));
	if (old) {
		drop(t, old);
		r = BSF_BTABLE_REPLACED;
	}
	if (t->n >= t->max)
		purge_locked(t, now);
	struct bsf_session *s = t->n < t->max ? calloc(1, sizeof *s) : NULL;
	if (s == NULL) {
		pthread_mutex_unlock(&t->lock);
		return t->n >= t->max ? BSF_BTABLE_FULL : BSF_BTABLE_NOMEM;
	}
	s->e = *e;
	struct bsf_session **pb = &t->by_btid[bsf_hash(e->btid, strlen(e->btid)) & t->mask];
	struct bsf_session **pi = &t->by_impi[bsf_hash(e->impi, strlen(e->impi)) & t->mask];
	s->next_btid = *pb;
	*pb = s;
	s->next_impi = *pi;
	*pi = s;
	t->n++;
	pthread_mutex_unlock(&t->lock);
	return r;
}

enum bsf_btable_get bsf_btable_get(struct bsf_btable *t, const char *btid, size_t len, int64_t now,
                                   struct bootstrap_entry *out)
{
	enum bsf_btable_get r = BSF_BTABLE_ABSENT;
	pthread_mutex_lock(&t->lock);
	struct bsf_session *s = *find_btid(t, btid, len);
	if (s && s->e.expiry <= now) {
		drop(t, s);
		r = BSF_BTABLE_EXPIRED;
	} else if (s) {
		*out = s->e;
		r = BSF_BTABLE_FOUND;
	}
	pthread_mutex_unlock(&t->lock);
	return r;
}

size_t bsf_btable_purge(struct bsf_btable *t, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	size_t removed = purge_locked(t, now);
	pthread_mutex_unlock(&t->lock);
	return removed;
}

size_t bsf_btable_count(struct bsf_btable *t)
{
	pthread_mutex_lock(&t->lock);
	size_t n = t->n;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void bsf_btable_free(struct bsf_btable *t)
{
	if (t == NULL)
		return;
	purge_locked(t, INT64_MAX);
	pthread_mutex_destroy(&t->lock);
	free(t->by_btid);
	free(t->by_impi);
	free(t);
}
