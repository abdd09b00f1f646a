/*
 * mip4-mn-table: outstanding requests by the low 32 bits of their identification.
 */
#include "mip4-mn/table.h"

#include <stdlib.h>

static uint32_t home(const struct mn_table *t, uint32_t key)
{
	return (uint32_t)(key * 0x9e3779b1u) >> (32 - t->bits);
}

int mn_table_init(struct mn_table *t, unsigned max)
{
	t->bits = 2;
	while ((1ull << t->bits) < 2ull * max)
		t->bits++;
	t->n = 0;
	t->max = max;
	t->keys = calloc(1u << t->bits, sizeof(*t->keys));
	t->vals = calloc(1u << t->bits, sizeof(*t->vals));
	if (!t->keys || !t->vals) {
		mn_table_free(t);
		return -1;
	}
	return 0;
}

void mn_table_free(struct mn_table *t)
{
	free(t->keys);
	free(t->vals);
	t->keys = NULL;
	t->vals = NULL;
	t->n = 0;
}

static bool locate(const struct mn_table *t, uint32_t key, uint32_t *at)
{
	uint32_t mask = (1u << t->bits) - 1, i;

	for (i = home(t, key); t->vals[i]; i = (i + 1) & mask)
		if (t->keys[i] == key) {
			*at = i;
			return true;
		}
	*at = i;
	return false;
}

void *mn_table_find(const struct mn_table *t, uint32_t key)
{
	uint32_t i;

	return locate(t, key, &i) ? t->vals[i] : NULL;
}

bool mn_table_insert(struct mn_table *t, uint32_t key, void *val)
{
	uint32_t i;

	if (!val || t->n >= t->max || locate(t, key, &i))
		return false;
	t->keys[i] = key;
	t->vals[i] = val;
	t->n++;
	return true;
}

void *mn_table_remove(struct mn_table *t, uint32_t key)
{
	uint32_t mask = (1u << t->bits) - 1, i, j;
	void *val;

	if (!locate(t, key, &i))
		return NULL;
	val = t->vals[i];
	t->vals[i] = NULL;
	t->n--;
	/* Backward shift: every later entry of the probe run whose home is not
	 * cyclically in (hole, its slot] moves into the hole. */
	for (j = (i + 1) & mask; t->vals[j]; j = (j + 1) & mask) {
		uint32_t k = home(t, t->keys[j]);

		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->keys[i] = t->keys[j];
		t->vals[i] = t->vals[j];
		t->vals[j] = NULL;
		i = j;
	}
	return val;
}
