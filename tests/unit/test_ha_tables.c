/* Binding and SA tables, the timing wheel and the pending table of mip4-ha,
 * and the memory a binding + SA costs at a million entries. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mip4-ha/binding.h"
#include "mip4-ha/pending.h"
#include "mip4-ha/sa.h"
#include "agent/wheel.h"

struct fired {
	struct wheel_node node;
	int count;
};

static void on_fire(struct wheel_node *n, void *arg)
{
	(void)arg;
	((struct fired *)n)->count++;
}

Test(ha_wheel, fires_at_its_second_only)
{
	static struct wheel w;
	struct fired a = { 0 }, b = { 0 }, far = { 0 };
	wheel_init(&w, 100);
	wheel_arm(&w, &a.node, 105);
	wheel_arm(&w, &b.node, 110);
	wheel_arm(&w, &far.node, 100 + WHEEL_SLOTS + 5); /* same slot as a, one turn later */
	wheel_advance(&w, 104, on_fire, NULL);
	cr_assert_eq(a.count + b.count + far.count, 0);
	wheel_advance(&w, 105, on_fire, NULL);
	cr_assert_eq(a.count, 1);
	cr_assert_eq(far.count, 0, "a later turn waits");
	cr_assert(!wheel_armed(&a.node));
	wheel_disarm(&b.node);
	wheel_advance(&w, 200, on_fire, NULL);
	cr_assert_eq(b.count, 0, "disarmed");
	wheel_advance(&w, 100 + WHEEL_SLOTS + 5, on_fire, NULL);
	cr_assert_eq(far.count, 1);
}

Test(ha_wheel, rearm_moves_the_deadline)
{
	static struct wheel w;
	struct fired a = { 0 };
	wheel_init(&w, 0);
	wheel_arm(&w, &a.node, 10);
	wheel_arm(&w, &a.node, 20);
	wheel_advance(&w, 15, on_fire, NULL);
	cr_assert_eq(a.count, 0);
	wheel_advance(&w, 20, on_fire, NULL);
	cr_assert_eq(a.count, 1);
}

Test(ha_wheel, long_stall_fires_everything_once)
{
	static struct wheel w;
	static struct fired f[100];
	memset(f, 0, sizeof f);
	wheel_init(&w, 0);
	for (int i = 0; i < 100; i++)
		wheel_arm(&w, &f[i].node, (uint32_t)(1 + i * 97));
	wheel_advance(&w, 1000000, on_fire, NULL);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(f[i].count, 1);
}

Test(ha_binding, insert_find_remove)
{
	struct binding_table t;
	cr_assert(binding_table_init(&t, 3, 0) == 0);
	struct binding *a = binding_get(&t, htonl(1)), *b = binding_get(&t, htonl(2));
	cr_assert(a && b && a != b);
	cr_assert_eq(binding_get(&t, htonl(1)), a, "same address, same binding");
	cr_assert(binding_get(&t, htonl(3)));
	cr_assert_null(binding_get(&t, htonl(4)), "table full at max");
	binding_remove(&t, a);
	cr_assert_null(binding_find(&t, htonl(1)));
	cr_assert_eq(binding_find(&t, htonl(2)), b);
	cr_assert_eq(t.tab.count, 2);
	binding_table_destroy(&t);
}

static void count_gone(const struct binding *b, void *arg)
{
	(void)b;
	(*(int *)arg)++;
}

Test(ha_binding, expiry_without_scanning)
{
	struct binding_table t;
	cr_assert(binding_table_init(&t, 100, 0) == 0);
	for (uint32_t i = 0; i < 100; i++)
		binding_arm(&t, binding_get(&t, htonl(i + 1)), 10 + i % 10);
	int gone = 0;
	binding_expire(&t, 14, count_gone, &gone);
	cr_assert_eq(gone, 50);
	cr_assert_eq(t.tab.count, 50);
	binding_expire(&t, 19, count_gone, &gone);
	cr_assert_eq(gone, 100);
	cr_assert_eq(t.tab.count, 0);
	binding_table_destroy(&t);
}

Test(ha_sa, install_replace_keeps_last_ident_and_wipes_key)
{
	struct sa_table t;
	cr_assert(sa_table_init(&t, 10, 0) == 0);
	uint8_t k1[16], k2[20];
	memset(k1, 0xaa, sizeof k1);
	memset(k2, 0xbb, sizeof k2);
	struct sa_params p = { .spi = 300, .alg = AUTH_HMAC_MD5, .replay = 2, .key = k1, .key_len = 16 };
	struct sa *s = sa_install(&t, htonl(7), &p);
	cr_assert(s);
	s->last_ident = 99;
	p = (struct sa_params){ .spi = 400, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = k2, .key_len = 20, .expires = 50 };
	cr_assert_eq(sa_install(&t, htonl(7), &p), s);
	cr_assert_eq(s->last_ident, 99);
	cr_assert_eq(s->spi, 400);
	cr_assert_eq(s->key_len, 20);
	cr_assert(memcmp(s->key, k2, 20) == 0);
	cr_assert_eq(t.tab.count, 1);
	uint8_t *key = s->key;
	sa_remove(&t, s);
	for (size_t i = 0; i < SA_KEY_MAX; i++)
		cr_assert_eq(key[i], 0, "key wiped on removal (slab memory stays mapped)");
	p.key_len = 0;
	cr_assert_null(sa_install(&t, htonl(8), &p), "empty key refused");
	sa_table_destroy(&t);
}

static void sa_gone(const struct sa *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
}

Test(ha_sa, expires_at_its_lifetime)
{
	struct sa_table t;
	cr_assert(sa_table_init(&t, 10, 0) == 0);
	uint8_t k[16] = { 1 };
	struct sa_params p = { .spi = 300, .alg = AUTH_HMAC_MD5, .replay = 2, .key = k, .key_len = 16, .expires = 30 };
	cr_assert(sa_install(&t, htonl(1), &p));
	p.expires = 0;
	cr_assert(sa_install(&t, htonl(2), &p));
	int gone = 0;
	sa_expire(&t, 100000, sa_gone, &gone);
	cr_assert_eq(gone, 1);
	cr_assert_null(sa_find(&t, htonl(1)));
	cr_assert(sa_find(&t, htonl(2)), "no lifetime: stays");
	sa_table_destroy(&t);
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* 1,000,000 bindings with an SA each: the cost per binding + SA, counted from
 * what the tables hold and measured as RSS growth.  Aim: <= 300 bytes. */
Test(ha_binding, million_bindings_memory, .timeout = 120)
{
	const uint32_t n = 1000000;
	long before = rss_kib();
	struct binding_table bt;
	struct sa_table st;
	cr_assert(binding_table_init(&bt, n, 0) == 0);
	cr_assert(sa_table_init(&st, n, 0) == 0);
	uint8_t key[20] = { 1 };
	for (uint32_t i = 0; i < n; i++) {
		uint32_t addr = htonl(0x0a000000u + i);
		struct binding *b = binding_get(&bt, addr);
		cr_assert(b);
		b->coa = addr ^ 0xffu;
		b->ident = i;
		binding_arm(&bt, b, 1 + i % 3600);
		struct sa_params p = { .spi = 256 + i, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = key, .key_len = 20,
		                       .expires = 3600 + i % 3600 };
		cr_assert(sa_install(&st, addr, &p));
	}
	long after = rss_kib();
	size_t counted = binding_table_bytes(&bt) + sa_table_bytes(&st);
	double per_counted = (double)counted / n;
	double per_rss = (double)(after - before) * 1024.0 / n;
	cr_log_info("1e6 bindings+SAs: %.1f bytes each counted (binding %zu + SA %zu + buckets), %.1f bytes each by RSS",
	            per_counted, sizeof(struct binding), sizeof(struct sa), per_rss);
	printf("MEMORY per binding+SA: counted %.1f bytes, RSS %.1f bytes (struct binding %zu, struct sa %zu)\n",
	       per_counted, per_rss, sizeof(struct binding), sizeof(struct sa));
	cr_assert_leq(per_counted, 300.0);
	for (uint32_t i = 0; i < n; i += 99991)
		cr_assert(binding_find(&bt, htonl(0x0a000000u + i)) && sa_find(&st, htonl(0x0a000000u + i)));
	binding_expire(&bt, 1800, NULL, NULL);
	cr_assert_eq(bt.tab.count, n - n / 3600 * 1800 - (n % 3600 < 1800 ? n % 3600 : 1800));
	sa_table_destroy(&st);
	binding_table_destroy(&bt);
}

Test(ha_pending, dedup_cap_and_ids)
{
	struct pending_table t;
	cr_assert(pending_init(&t, 2) == 0);
	uint8_t rrq[64] = { 1 };
	struct reg_msg m = { .buf = rrq, .len = sizeof rrq, .ident = 5 };
	m.nai.p = (const uint8_t *)"a@b";
	m.nai.len = 3;
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct timespec now = { 1, 0 };
	struct pending *p = pending_add(&t, &m, &src, &now);
	cr_assert(p);
	cr_assert_eq(pending_find(&t, (const uint8_t *)"a@b", 3, 5), p);
	cr_assert_null(pending_find(&t, (const uint8_t *)"a@b", 3, 6));
	uint64_t id = p->id;
	cr_assert_eq(pending_by_id(&t, id), p);
	m.ident = 6;
	cr_assert(pending_add(&t, &m, &src, &now));
	m.ident = 7;
	cr_assert_null(pending_add(&t, &m, &src, &now), "cap of 2 in flight");
	cr_assert(pending_answered(&t, p, (const uint8_t *)"reply", 5, 10));
	cr_assert_eq(t.inflight, 1);
	cr_assert(pending_add(&t, &m, &src, &now), "an answered entry frees its in-flight place");
	pending_expire(&t, 10);
	cr_assert_null(pending_by_id(&t, id), "expired: the old id is unknown");
	cr_assert_null(pending_find(&t, (const uint8_t *)"a@b", 3, 5));
	pending_destroy(&t);
}

/* Pages of the binding list (what mip4-ctl bindings walks). */
struct page_seen {
	uint32_t last;
	uint16_t times[4096]; /* by the address's low 12 bits */
	size_t n;
};

static void page_one(const struct binding *b, void *arg)
{
	struct page_seen *p = arg;
	p->times[ntohl(b->home_addr) & 4095]++;
	p->last = b->home_addr;
	p->n++;
}

Test(ha_binding, pages_list_every_stable_binding_once)
{
	/* 3000 bindings in a table of 4096 buckets: collisions included.  Between
	 * pages, bindings come and go: those present throughout are listed once. */
	struct binding_table t;
	cr_assert(binding_table_init(&t, 4000, 0) == 0);
	for (uint32_t i = 0; i < 3000; i++)
		cr_assert(binding_get(&t, htonl(0x0a000000u + i)));
	static struct page_seen seen;
	memset(&seen, 0, sizeof seen);
	bool more = true, has_after = false;
	uint32_t after = 0, pages = 0;
	while (more) {
		size_t before = seen.n;
		size_t n = binding_page(&t, has_after, after, 250, page_one, &seen, &more);
		cr_assert_leq(n, 250);
		cr_assert(n == 250 || !more, "a short page is the last one");
		if (n) {
			after = seen.last;
			has_after = true;
		}
		cr_assert_eq(seen.n, before + n);
		/* Churn: remove the binding just listed last (the cursor need not exist),
		 * one not listed yet, and add new ones (above 3000: they may or may not
		 * come). */
		struct binding *b = binding_find(&t, seen.last);
		if (b && pages % 2 == 0)
			binding_remove(&t, b);
		uint32_t victim = 2000 + pages * 3;
		if ((b = binding_find(&t, htonl(0x0a000000u + victim))) && pages < 100)
			binding_remove(&t, b);
		binding_get(&t, htonl(0x0a000000u + 3000 + pages));
		pages++;
		cr_assert_lt(pages, 100, "paging does not end");
	}
	size_t once = 0;
	for (uint32_t i = 0; i < 3000; i++) {
		cr_assert_leq(seen.times[i], 1, "10.0.%u.%u listed %u times", i >> 8, i & 255, seen.times[i]);
		once += seen.times[i];
	}
	/* Every binding that stayed (all but the victims, which may or may not
	 * have been listed before they went) was listed. */
	for (uint32_t i = 0; i < 2000; i++)
		cr_assert_eq(seen.times[i], 1, "10.0.%u.%u never listed", i >> 8, i & 255);
	cr_assert_geq(once, 2000);
	/* After an address that was never in the table: the page goes on from
	 * where it would have been. */
	bool m;
	cr_assert_leq(binding_page(&t, true, htonl(0x0b000000), 10, page_one, &seen, &m), 10);
	binding_table_destroy(&t);
}
