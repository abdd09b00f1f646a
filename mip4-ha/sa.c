#include "mip4-ha/sa.h"

#include <string.h>

#include <openssl/crypto.h>

ADDRTAB_LAYOUT(struct sa, entry, home_addr);

static struct sa *sa_of(struct addrtab_entry *e)
{
	return (struct sa *)(void *)e;
}

/* The table calls this on every association it releases: removal, expiry and
 * destruction all wipe the key. */
static void sa_wipe(struct addrtab_entry *e)
{
	struct sa *s = sa_of(e);
	OPENSSL_cleanse(s->key, sizeof s->key);
}

int sa_table_init(struct sa_table *t, uint32_t max, uint32_t now)
{
	return addrtab_init(&t->tab, max, now, sizeof(struct sa), sa_wipe);
}

void sa_table_destroy(struct sa_table *t)
{
	addrtab_destroy(&t->tab);
}

struct sa *sa_find(const struct sa_table *t, uint32_t home_addr)
{
	return sa_of(addrtab_find(&t->tab, home_addr));
}

struct sa *sa_install(struct sa_table *t, uint32_t home_addr, const struct sa_params *p)
{
	if (!p->key || p->key_len == 0 || p->key_len > SA_KEY_MAX || auth_alg_len(p->alg) == 0)
		return NULL;
	struct sa *s = sa_of(addrtab_get(&t->tab, home_addr));
	if (!s)
		return NULL;
	OPENSSL_cleanse(s->key, sizeof s->key);
	memcpy(s->key, p->key, p->key_len);
	s->key_len = (uint8_t)p->key_len;
	s->spi = p->spi;
	s->alg = (uint8_t)p->alg;
	s->replay = p->replay;
	s->is_static = p->is_static;
	s->from_zn = p->from_zn;
	s->btid_fp = p->btid_fp;
	s->owner_fp = p->owner_fp;
	if (p->expires)
		wheel_arm(&t->tab.wheel, &s->entry.timer, p->expires);
	else
		wheel_disarm(&s->entry.timer);
	return s;
}

void sa_remove(struct sa_table *t, struct sa *s)
{
	addrtab_remove(&t->tab, &s->entry);
}

struct sa_visit {
	void (*gone)(const struct sa *s, void *arg);
	void *arg;
};

static void sa_gone(struct addrtab_entry *e, void *arg)
{
	const struct sa_visit *v = arg;
	if (v->gone)
		v->gone(sa_of(e), v->arg);
}

void sa_expire(struct sa_table *t, uint32_t now, void (*gone)(const struct sa *s, void *arg), void *arg)
{
	struct sa_visit v = { gone, arg };
	addrtab_expire(&t->tab, now, sa_gone, &v);
}

struct sa_each {
	void (*fn)(struct sa *s, void *arg);
	void *arg;
};

static void sa_each(struct addrtab_entry *e, void *arg)
{
	const struct sa_each *x = arg;
	x->fn(sa_of(e), x->arg);
}

void sa_foreach(struct sa_table *t, void (*fn)(struct sa *s, void *arg), void *arg)
{
	struct sa_each x = { fn, arg };
	addrtab_foreach(&t->tab, sa_each, &x);
}

uint32_t sa_foreach_from(struct sa_table *t, uint32_t bucket, size_t max, void (*fn)(struct sa *s, void *arg),
                         void *arg)
{
	struct sa_each x = { fn, arg };
	return addrtab_foreach_from(&t->tab, bucket, max, sa_each, &x);
}

size_t sa_table_bytes(const struct sa_table *t)
{
	return addrtab_bytes(&t->tab);
}
