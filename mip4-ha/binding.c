#include "mip4-ha/binding.h"

ADDRTAB_LAYOUT(struct binding, entry, home_addr);

static struct binding *binding_of(struct addrtab_entry *e)
{
	return (struct binding *)(void *)e;
}

int binding_table_init(struct binding_table *t, uint32_t max, uint32_t now)
{
	return addrtab_init(&t->tab, max, now, sizeof(struct binding), NULL);
}

void binding_table_destroy(struct binding_table *t)
{
	addrtab_destroy(&t->tab);
}

struct binding *binding_find(const struct binding_table *t, uint32_t home_addr)
{
	return binding_of(addrtab_find(&t->tab, home_addr));
}

struct binding *binding_get(struct binding_table *t, uint32_t home_addr)
{
	return binding_of(addrtab_get(&t->tab, home_addr));
}

void binding_remove(struct binding_table *t, struct binding *b)
{
	addrtab_remove(&t->tab, &b->entry);
}

void binding_arm(struct binding_table *t, struct binding *b, uint32_t at)
{
	wheel_arm(&t->tab.wheel, &b->entry.timer, at);
}

struct binding_visit {
	void (*fn)(const struct binding *b, void *arg);
	void *arg;
};

static void binding_visit(struct addrtab_entry *e, void *arg)
{
	const struct binding_visit *v = arg;
	if (v->fn)
		v->fn(binding_of(e), v->arg);
}

void binding_expire(struct binding_table *t, uint32_t now, void (*gone)(const struct binding *b, void *arg),
                    void *arg)
{
	struct binding_visit v = { gone, arg };
	addrtab_expire(&t->tab, now, binding_visit, &v);
}

void binding_foreach(const struct binding_table *t, void (*fn)(const struct binding *b, void *arg), void *arg)
{
	struct binding_visit v = { fn, arg };
	addrtab_foreach(&t->tab, binding_visit, &v);
}

size_t binding_table_bytes(const struct binding_table *t)
{
	return addrtab_bytes(&t->tab);
}

uint32_t binding_foreach_from(const struct binding_table *t, uint32_t bucket, size_t max,
                              void (*fn)(const struct binding *b, void *arg), void *arg)
{
	struct binding_visit v = { fn, arg };
	return addrtab_foreach_from(&t->tab, bucket, max, binding_visit, &v);
}

size_t binding_page(const struct binding_table *t, bool has_after, uint32_t after, size_t max,
                    void (*fn)(const struct binding *b, void *arg), void *arg, bool *more)
{
	struct binding_visit v = { fn, arg };
	return addrtab_page(&t->tab, has_after, after, max, binding_visit, &v, more);
}
