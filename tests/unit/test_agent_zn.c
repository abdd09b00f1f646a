/* The Zn key cache without a network: coalescing of concurrent misses into one
 * BIR, hits, expiry (never served at or past Key-ExpiryTime), LRU eviction,
 * negative caching, transient failures not cached, stale answers ignored. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "agent/zn.h"

struct sent {
	char btid[256];
	size_t len;
	uint64_t gen;
};
static struct sent sent[64];
static size_t n_sent;
static int send_fails;

static int stub_send(void *arg, struct zn *zn, const char *btid, size_t len, uint64_t gen)
{
	(void)arg;
	(void)zn;
	if (send_fails)
		return -1;
	cr_assert_lt(n_sent, 64);
	memcpy(sent[n_sent].btid, btid, len);
	sent[n_sent].len = len;
	sent[n_sent].gen = gen;
	n_sent++;
	return 0;
}

struct got {
	int calls;
	struct zn_answer a;
};

static void done(void *arg, const struct zn_answer *a)
{
	struct got *g = arg;
	g->calls++;
	g->a = *a;
}

static struct zn_answer key_answer(uint8_t fill, int64_t expiry)
{
	struct zn_answer a = { .status = ZN_KEY, .expiry = expiry };
	memset(a.ks_naf, fill, sizeof(a.ks_naf));
	strcpy(a.impi, "alice@ims.lab");
	return a;
}

static void reset(void) { n_sent = 0; send_fails = 0; }
TestSuite(zn, .init = reset);

#define B1 "AAAAAAAAAAAAAAAAAAAAAA==@bsf.lab"
#define B2 "BBBBBBBBBBBBBBBBBBBBBA==@bsf.lab"
#define B3 "CCCCCCCCCCCCCCCCCCCCCA==@bsf.lab"

Test(zn, coalescing_one_bir_for_concurrent_misses)
{
	struct zn *zn = zn_new(10, 5, stub_send, NULL);
	struct got g[5] = { 0 };
	for (int i = 0; i < 5; i++)
		zn_lookup(zn, B1, strlen(B1), 1000, done, &g[i]);
	cr_assert_eq(n_sent, 1, "one BIR for five lookups");
	for (int i = 0; i < 5; i++)
		cr_assert_eq(g[i].calls, 0, "parked until the BIA");
	struct zn_answer a = key_answer(0x11, 2000);
	zn_complete(zn, B1, strlen(B1), sent[0].gen, &a, 1000);
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(g[i].calls, 1);
		cr_assert_eq(g[i].a.status, ZN_KEY);
		cr_assert_eq(g[i].a.ks_naf[31], 0x11);
		cr_assert_str_eq(g[i].a.impi, "alice@ims.lab");
	}
	/* A hit: answered at once, no BIR. */
	struct got h = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1500, done, &h);
	cr_assert_eq(h.calls, 1);
	cr_assert_eq(h.a.status, ZN_KEY);
	cr_assert_eq(n_sent, 1);
	struct zn_stats s;
	zn_get_stats(zn, &s);
	cr_assert_eq(s.coalesced, 4);
	cr_assert_eq(s.hits, 1);
	cr_assert_eq(s.birs, 1);
	zn_free(zn);
}

Test(zn, never_serves_an_expired_key)
{
	struct zn *zn = zn_new(10, 5, stub_send, NULL);
	struct got g = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1000, done, &g);
	struct zn_answer a = key_answer(0x22, 1100);
	zn_complete(zn, B1, strlen(B1), sent[0].gen, &a, 1000);
	struct got h = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1099, done, &h);
	cr_assert_eq(h.a.status, ZN_KEY);
	cr_assert_eq(n_sent, 1);
	struct got e = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1100, done, &e);
	cr_assert_eq(e.calls, 0, "expired: a new BIR, not the old key");
	cr_assert_eq(n_sent, 2);
	/* A BIA whose key is already expired is not a key. */
	struct zn_answer old = key_answer(0x33, 1100);
	zn_complete(zn, B1, strlen(B1), sent[1].gen, &old, 1100);
	cr_assert_eq(e.calls, 1);
	cr_assert_eq(e.a.status, ZN_REJECT);
	struct zn_stats s;
	zn_get_stats(zn, &s);
	cr_assert_eq(s.expired, 1);
	cr_assert_eq(s.entries, 0);
	zn_free(zn);
}

Test(zn, lru_eviction)
{
	struct zn *zn = zn_new(2, 5, stub_send, NULL);
	struct got g = { 0 };
	const char *b[] = { B1, B2, B3 };
	for (int i = 0; i < 3; i++) {
		zn_lookup(zn, b[i], strlen(b[i]), 1000, done, &g);
		struct zn_answer a = key_answer((uint8_t)i, 5000);
		zn_complete(zn, b[i], strlen(b[i]), sent[i].gen, &a, 1000);
		if (i == 1) /* touch B1 so that B2 is the least recently used */
			zn_lookup(zn, B1, strlen(B1), 1000, done, &g);
	}
	cr_assert_eq(n_sent, 3);
	struct zn_stats s;
	zn_get_stats(zn, &s);
	cr_assert_eq(s.evictions, 1);
	cr_assert_eq(s.entries, 2);
	zn_lookup(zn, B1, strlen(B1), 1000, done, &g);
	zn_lookup(zn, B3, strlen(B3), 1000, done, &g);
	cr_assert_eq(n_sent, 3, "B1 and B3 still cached");
	struct got e = { 0 };
	zn_lookup(zn, B2, strlen(B2), 1000, done, &e);
	cr_assert_eq(n_sent, 4, "B2 was evicted");
	cr_assert_eq(e.calls, 0);
	zn_free(zn);
}

Test(zn, negative_cache_and_transient)
{
	struct zn *zn = zn_new(10, 5, stub_send, NULL);
	struct got g = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1000, done, &g);
	struct zn_answer rej = { .status = ZN_REJECT, .reason = "BSF answered 5403" };
	zn_complete(zn, B1, strlen(B1), sent[0].gen, &rej, 1000);
	cr_assert_eq(g.a.status, ZN_REJECT);
	struct got h = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1004, done, &h);
	cr_assert_eq(h.calls, 1);
	cr_assert_eq(h.a.status, ZN_REJECT);
	cr_assert_str_eq(h.a.reason, "BSF answered 5403");
	cr_assert_eq(n_sent, 1);
	zn_lookup(zn, B1, strlen(B1), 1005, done, &h);
	cr_assert_eq(n_sent, 2, "negative entry gone after its TTL");

	struct zn_answer un = { .status = ZN_UNAVAILABLE, .reason = "BSF did not answer in time" };
	zn_complete(zn, B1, strlen(B1), sent[1].gen, &un, 1005);
	cr_assert_eq(h.a.status, ZN_UNAVAILABLE);
	zn_lookup(zn, B1, strlen(B1), 1005, done, &h);
	cr_assert_eq(n_sent, 3, "a transient failure is not cached");
	zn_free(zn);
}

Test(zn, stale_generation_ignored_and_send_failure)
{
	struct zn *zn = zn_new(10, 5, stub_send, NULL);
	struct got g = { 0 };
	zn_lookup(zn, B1, strlen(B1), 1000, done, &g);
	struct zn_answer a = key_answer(1, 5000);
	zn_complete(zn, B1, strlen(B1), sent[0].gen + 1, &a, 1000);
	cr_assert_eq(g.calls, 0, "an answer for another BIR is ignored");
	zn_complete(zn, B1, strlen(B1), sent[0].gen, &a, 1000);
	cr_assert_eq(g.calls, 1);
	zn_complete(zn, B1, strlen(B1), sent[0].gen, &a, 1000);
	cr_assert_eq(g.calls, 1, "a second answer changes nothing");

	send_fails = 1;
	struct got f = { 0 };
	zn_lookup(zn, B2, strlen(B2), 1000, done, &f);
	cr_assert_eq(f.calls, 1);
	cr_assert_eq(f.a.status, ZN_UNAVAILABLE);
	struct got z = { 0 };
	zn_lookup(zn, "", 0, 1000, done, &z);
	cr_assert_eq(z.a.status, ZN_REJECT);
	zn_free(zn);
}

/* Many threads, one cold B-TID: still exactly one BIR. */
static struct zn *tzn;
static atomic_int tcalls;
static void tdone(void *arg, const struct zn_answer *a)
{
	(void)arg;
	cr_assert_eq(a->status, ZN_KEY);
	atomic_fetch_add(&tcalls, 1);
}
static void *tlookup(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		zn_lookup(tzn, B3, strlen(B3), 1000, tdone, NULL);
	return NULL;
}

Test(zn, threads_coalesce)
{
	tzn = zn_new(10, 5, stub_send, NULL);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, tlookup, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(n_sent, 1);
	struct zn_answer a = key_answer(9, 5000);
	zn_complete(tzn, B3, strlen(B3), sent[0].gen, &a, 1000);
	cr_assert_eq(atomic_load(&tcalls), 400);
	zn_free(tzn);
}
