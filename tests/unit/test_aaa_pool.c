/* Home address pools: stable per owner, ranges used in order, exhaustion. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "aaa-naf/pool.h"

static uint32_t a4(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static uint32_t take(struct pool *p, const char *owner)
{
	uint32_t a = 0;
	cr_assert_eq(pool_assign(p, owner, strlen(owner), &a), POOL_OK, "owner %s", owner);
	return a;
}

Test(pool, stable_per_owner_and_exhaustion)
{
	struct conf_pool r[] = { { "a", 0x0a000001, 0x0a000002 }, { "b", 0x0a000101, 0x0a000101 } };
	struct pool *p = pool_new(r, 2);
	cr_assert_not_null(p);
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"));
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "carol@ims"), a4("10.0.1.1"), "second range once the first is full");
	uint32_t a = 0;
	cr_assert_eq(pool_assign(p, "dave@ims", 8, &a), POOL_EXHAUSTED);
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"), "known owners still served when full");
	cr_assert_eq(pool_used(p), 3);
	/* Owners are compared on their full length. */
	cr_assert_eq(pool_assign(p, "alice@im", 8, &a), POOL_EXHAUSTED);
	pool_free(p);
}

Test(pool, not_configured_and_limits)
{
	struct pool *p = pool_new(NULL, 0);
	uint32_t a;
	cr_assert_eq(pool_assign(p, "x", 1, &a), POOL_NOT_CONFIGURED);
	pool_free(p);
	struct conf_pool big = { "big", 0x0a000000, 0x0a000000 + POOL_MAX_ADDRESSES };
	cr_assert_null(pool_new(&big, 1));
	struct conf_pool inv = { "inv", 2, 1 };
	cr_assert_null(pool_new(&inv, 1));
}

Test(pool, many_owners)
{
	struct conf_pool r = { "r", 0x0a000000, 0x0a000000 + 4999 };
	struct pool *p = pool_new(&r, 1);
	char name[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "user%d@ims", i);
		cr_assert_eq(ntohl(take(p, name)), 0x0a000000u + (unsigned)i);
	}
	for (int i = 0; i < 5000; i += 997) {
		snprintf(name, sizeof(name), "user%d@ims", i);
		cr_assert_eq(ntohl(take(p, name)), 0x0a000000u + (unsigned)i);
	}
	uint32_t a;
	cr_assert_eq(pool_assign(p, "late", 4, &a), POOL_EXHAUSTED);
	pool_free(p);
}
