/* Key sources: static, gba-local (Ks_NAF from the store, checked against the
 * published vector), zn (asynchronous), their order, and what each refuses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aaa-naf/keysrc.h"
#include "lib/bootstrap.h"
#include "tests/unit/vectors.h"

struct got {
	int calls;
	enum keysrc_status st;
	struct keysrc_key k;
	char reason[160];
};

static void done(void *arg, enum keysrc_status st, const struct keysrc_key *k, const char *reason)
{
	struct got *g = arg;
	g->calls++;
	g->st = st;
	if (k)
		g->k = *k;
	snprintf(g->reason, sizeof(g->reason), "%s", reason);
}

static int zn_sends;
static uint64_t zn_gen;
static int stub_send(void *a, struct zn *zn, const char *b, size_t l, uint64_t gen)
{
	(void)a; (void)zn; (void)b; (void)l;
	zn_sends++;
	zn_gen = gen;
	return 0;
}

static struct aaa_conf c;
static struct conf_static st;
static char store[64];
static char btid_ok[GBA_BTID_MAX + 1], btid_old[GBA_BTID_MAX + 1];
static struct auth_ctx *ctx;
static struct vectors_ks_naf v;

static void setup(void)
{
	ctx = auth_ctx_new();
	v = vectors_ks_naf(1);
	memset(&c, 0, sizeof(c));
	uint8_t ua[GBA_UA_ID_LEN];
	memcpy(ua, v.ua_id.p, GBA_UA_ID_LEN);
	c.naf_id_len = gba_naf_id((const char *)v.naf_fqdn.p, ua, c.naf_id, sizeof(c.naf_id));
	strcpy(st.nai, "mn1@static.lab");
	st.spi = 300;
	st.secret_len = 6;
	memcpy(st.secret, "secret", 6);
	c.statics = &st;
	c.n_statics = 1;

	/* Two bootstraps of the vector's user: one valid, one expired. */
	strcpy(store, "/tmp/test_aaa_keysrc.XXXXXX");
	int fd = mkstemp(store);
	cr_assert(fd >= 0);
	struct bootstrap_entry e = { 0 };
	memcpy(e.rand, v.rand.p, GBA_RAND_LEN);
	memcpy(e.ks, v.ks.p, GBA_KS_LEN);
	snprintf(e.impi, sizeof(e.impi), "%s", (const char *)v.impi.p);
	cr_assert(gba_btid_format(e.rand, "bsf.example.org", btid_ok, sizeof(btid_ok)) > 0);
	strcpy(e.btid, btid_ok);
	e.expiry = time(NULL) + 3600;
	char line[512];
	size_t n = bootstrap_format_line(&e, line, sizeof(line));
	cr_assert(n > 0);
	cr_assert_eq(write(fd, line, n), (ssize_t)n);
	e.rand[0] ^= 0xff;
	gba_btid_format(e.rand, "bsf.example.org", btid_old, sizeof(btid_old));
	strcpy(e.btid, btid_old);
	e.expiry = time(NULL) - 1;
	n = bootstrap_format_line(&e, line, sizeof(line));
	cr_assert_eq(write(fd, line, n), (ssize_t)n);
	close(fd);
	chmod(store, 0600);
	snprintf(c.gba_store, sizeof(c.gba_store), "%s", store);
	zn_sends = 0;
}

static void teardown(void)
{
	unlink(store);
	auth_ctx_free(ctx);
}
TestSuite(keysrc, .init = setup, .fini = teardown);

static struct keysrc *make(const enum conf_keysrc *s, size_t n, struct zn *zn)
{
	memcpy(c.sources, s, n * sizeof(*s));
	c.n_sources = n;
	char err[300];
	struct keysrc *ks = keysrc_new(&c, zn, err, sizeof(err));
	cr_assert_not_null(ks, "%s", err);
	return ks;
}

static struct got look(struct keysrc *ks, const char *nai, uint32_t spi)
{
	struct got g = { 0 };
	keysrc_lookup(ks, ctx, nai, strlen(nai), spi, time(NULL), done, &g);
	return g;
}

Test(keysrc, static_source)
{
	enum conf_keysrc s[] = { CONF_KS_STATIC };
	struct keysrc *ks = make(s, 1, NULL);
	struct got g = look(ks, "mn1@static.lab", 300);
	cr_assert_eq(g.calls, 1);
	cr_assert_eq(g.st, KEYSRC_FOUND);
	cr_assert_eq(g.k.len, 6);
	cr_assert_eq(memcmp(g.k.key, "secret", 6), 0);
	cr_assert_eq(g.k.expiry, 0);
	cr_assert_str_eq(g.k.owner, "mn1@static.lab");
	g = look(ks, "mn1@static.lab", 301);
	cr_assert_eq(g.st, KEYSRC_REJECT);
	g = look(ks, "mn1@static.la", 300);
	cr_assert_eq(g.st, KEYSRC_REJECT);
	cr_assert_str_eq(g.reason, "unknown NAI");
	keysrc_free(ks);
}

Test(keysrc, gba_local_matches_the_vector)
{
	enum conf_keysrc s[] = { CONF_KS_STATIC, CONF_KS_GBA_LOCAL };
	struct keysrc *ks = make(s, 2, NULL);
	cr_assert_eq(keysrc_local_entries(ks), 2);
	struct got g = look(ks, btid_ok, 256);
	cr_assert_eq(g.st, KEYSRC_FOUND, "%s", g.reason);
	cr_assert_eq(g.k.len, GBA_KS_NAF_LEN);
	cr_assert_eq(memcmp(g.k.key, v.ks_naf.p, GBA_KS_NAF_LEN), 0);
	cr_assert_str_eq(g.k.owner, (const char *)v.impi.p);
	cr_assert_gt(g.k.expiry, time(NULL));
	g = look(ks, btid_old, 256);
	cr_assert_eq(g.st, KEYSRC_REJECT);
	cr_assert_str_eq(g.reason, "B-TID expired: bootstrap again");
	g = look(ks, "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org", 256);
	cr_assert_eq(g.st, KEYSRC_REJECT);
	cr_assert_str_eq(g.reason, "unknown B-TID");
	g = look(ks, "mn1@static.lab", 300);
	cr_assert_eq(g.st, KEYSRC_FOUND, "static first");
	keysrc_free(ks);
}

Test(keysrc, zn_is_asynchronous_and_last_word)
{
	struct zn *zn = zn_new(10, 5, stub_send, NULL);
	enum conf_keysrc s[] = { CONF_KS_GBA_LOCAL, CONF_KS_ZN };
	struct keysrc *ks = make(s, 2, zn);
	/* In the local store: no BIR. */
	struct got g = look(ks, btid_ok, 256);
	cr_assert_eq(g.st, KEYSRC_FOUND);
	cr_assert_eq(zn_sends, 0);
	/* Not in the store: goes to the BSF and waits. */
	const char *other = "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org";
	struct got w = { 0 };
	keysrc_lookup(ks, ctx, other, strlen(other), 256, 1000, done, &w);
	cr_assert_eq(zn_sends, 1);
	cr_assert_eq(w.calls, 0);
	struct zn_answer a = { .status = ZN_KEY, .expiry = 5000 };
	memset(a.ks_naf, 0x42, sizeof(a.ks_naf));
	strcpy(a.impi, "bob@ims");
	zn_complete(zn, other, strlen(other), zn_gen, &a, 1000);
	cr_assert_eq(w.calls, 1);
	cr_assert_eq(w.st, KEYSRC_FOUND);
	cr_assert_eq(w.k.key[0], 0x42);
	cr_assert_eq(w.k.expiry, 5000);
	cr_assert_str_eq(w.k.owner, "bob@ims");
	cr_assert_eq(w.k.source, CONF_KS_ZN);
	/* Not a B-TID at all: never sent to the BSF. */
	g = look(ks, "mn1@static.lab", 300);
	cr_assert_eq(g.st, KEYSRC_REJECT);
	cr_assert_str_eq(g.reason, "unknown NAI (not a B-TID)");
	cr_assert_eq(zn_sends, 1);
	/* Transient. */
	const char *third = "BBBBBBBBBBBBBBBBBBBBBA==@bsf.example.org";
	keysrc_lookup(ks, ctx, third, strlen(third), 256, 1000, done, &w);
	struct zn_answer u = { .status = ZN_UNAVAILABLE, .reason = "BSF did not answer in time" };
	zn_complete(zn, third, strlen(third), zn_gen, &u, 1000);
	cr_assert_eq(w.st, KEYSRC_UNAVAILABLE);
	cr_assert_str_eq(w.reason, "BSF did not answer in time");
	keysrc_free(ks);
	zn_free(zn);
}

Test(keysrc, store_readable_by_other_is_refused)
{
	chmod(store, 0604);
	enum conf_keysrc s[] = { CONF_KS_GBA_LOCAL };
	memcpy(c.sources, s, sizeof(s));
	c.n_sources = 1;
	char err[300];
	cr_assert_null(keysrc_new(&c, NULL, err, sizeof(err)));
	cr_assert(strstr(err, "gba-local store") != NULL, "%s", err);
	/* zn without a client is a wiring error. */
	enum conf_keysrc z[] = { CONF_KS_ZN };
	memcpy(c.sources, z, sizeof(z));
	cr_assert_null(keysrc_new(&c, NULL, err, sizeof(err)));
}
