/* The BSF's outstanding Ub challenges (see bsf_chal.h). */
#include "gba-lab/bsf_chal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "lib/keyfile.h"

#define SDATA_LEN 16

struct bsf_chal_node {
	struct bsf_chal_node *next_hash;
	struct bsf_chal_node *older, *newer;   /* sending order */
	struct bsf_chal c;
};

struct bsf_chal_table {
	struct bsf_chal_node **buckets;
	struct bsf_chal_node *oldest, *newest;
	size_t mask, n, max;
};

static size_t chal_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

struct bsf_chal_table *bsf_chal_new(size_t max)
{
	struct bsf_chal_table *t = calloc(1, sizeof *t);
	size_t buckets = 16;
	while (buckets < max && buckets < ((size_t)1 << 28))
		buckets <<= 1;
	if (t == NULL || (t->buckets = calloc(buckets, sizeof *t->buckets)) == NULL) {
		free(t);
		return NULL;
	}
	t->mask = buckets - 1;
	t->max = max;
	return t;
}

static struct bsf_chal_node **chal_find(struct bsf_chal_table *t, const char *nonce)
{
	struct bsf_chal_node **p = &t->buckets[chal_hash(nonce) & t->mask];
	while (*p && strcmp((*p)->c.nonce, nonce) != 0)
		p = &(*p)->next_hash;
	return p;
}

static void chal_unlink(struct bsf_chal_table *t, struct bsf_chal_node **slot)
{
	struct bsf_chal_node *n = *slot;
	*slot = n->next_hash;
	if (n->older)
		n->older->newer = n->newer;
	else
		t->oldest = n->newer;
	if (n->newer)
		n->newer->older = n->older;
	else
		t->newest = n->older;
	OPENSSL_clear_free(n, sizeof *n);
	t->n--;
}

bool bsf_chal_add(struct bsf_chal_table *t, const char *impi, const struct aka_vector *v, double now,
                  struct bsf_chal *out)
{
	uint8_t sdata[SDATA_LEN], op[BSF_CHAL_OPAQUE_LEN / 2];
	if (t->n >= t->max || strlen(impi) > SUBSCRIBER_IMPI_MAX || RAND_bytes(sdata, sizeof sdata) != 1 ||
	    RAND_bytes(op, sizeof op) != 1)
		return false;
	struct bsf_chal_node *n = calloc(1, sizeof *n);
	if (n == NULL)
		return false;
	if (akadigest_nonce_make(v->rand, v->autn, sdata, sizeof sdata, n->c.nonce, sizeof n->c.nonce) == 0 ||
	    *chal_find(t, n->c.nonce) != NULL) {
		free(n);
		return false;
	}
	keyfile_hex_out(op, sizeof op, n->c.opaque);
	strcpy(n->c.impi, impi);
	n->c.v = *v;
	n->c.sent = now;
	struct bsf_chal_node **b = &t->buckets[chal_hash(n->c.nonce) & t->mask];
	n->next_hash = *b;
	*b = n;
	n->older = t->newest;
	if (t->newest)
		t->newest->newer = n;
	else
		t->oldest = n;
	t->newest = n;
	t->n++;
	*out = n->c;
	return true;
}

bool bsf_chal_take(struct bsf_chal_table *t, const char *nonce, struct bsf_chal *out)
{
	struct bsf_chal_node **slot = chal_find(t, nonce);
	if (*slot == NULL)
		return false;
	*out = (*slot)->c;
	chal_unlink(t, slot);
	return true;
}

size_t bsf_chal_expire(struct bsf_chal_table *t, double before)
{
	size_t dropped = 0;
	while (t->oldest && t->oldest->c.sent < before) {
		chal_unlink(t, chal_find(t, t->oldest->c.nonce));
		dropped++;
	}
	return dropped;
}

size_t bsf_chal_count(const struct bsf_chal_table *t)
{
	return t->n;
}

void bsf_chal_free(struct bsf_chal_table *t)
{
	if (t == NULL)
		return;
	while (t->oldest)
		chal_unlink(t, chal_find(t, t->oldest->c.nonce));
	free(t->buckets);
	free(t);
}
