/* mip4-mn registration logic: requests against the vectors, reply verification
 * (good, tampered, wrong SPI, wrong identification), 133 resynchronisation,
 * identifications, back-off, foreign agents with static and AAA-given MN-FA
 * keys. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <string.h>

#include "lib/replay.h"
#include "tests/unit/vectors.h"
#include "mip4-mn/reg.h"

TestSuite(mn_reg, .init = vectors_ctx_setup, .fini = vectors_ctx_teardown);

/* A GBA node built from the first gba_ks_naf vector. */
static struct bootstrap_entry boot;
static uint8_t naf_id[GBA_NAF_ID_MAX];
static size_t naf_id_len;

static void gba_node(struct mn_node *n, struct mn_reg_conf *c)
{
	struct vectors_ks_naf v = vectors_ks_naf(0);

	memset(&boot, 0, sizeof(boot));
	memcpy(boot.ks, v.ks.p, GBA_KS_LEN);
	memcpy(boot.rand, v.rand.p, GBA_RAND_LEN);
	memcpy(boot.impi, v.impi.p, v.impi.len);
	cr_assert_gt(gba_btid_format(boot.rand, "bsf.lab.example", boot.btid, sizeof(boot.btid)), 0);
	cr_assert_eq(v.ua_id.len, GBA_UA_ID_LEN);
	naf_id_len = gba_naf_id((const char *)v.naf_fqdn.p, v.ua_id.p, naf_id, sizeof(naf_id));
	cr_assert_gt(naf_id_len, 0);

	memset(n, 0, sizeof(*n));
	n->idx = 5;
	cr_assert_eq(mn_reg_set_bootstrap(vectors_ctx, n, &boot, naf_id, naf_id_len), 0);
	cr_assert_arr_eq(n->ks_naf, v.ks_naf.p, GBA_KS_NAF_LEN, "Ks_NAF differs from the vector");

	memset(c, 0, sizeof(*c));
	c->ha_addr = htonl(0x7f000001);
	c->coa = htonl(0x7f000002);
	c->flags = REG_FLAG_D;
	c->aaa_spi = 256;
	c->mn_spi = 4096;
}

Test(mn_reg, static_request_matches_rfc5944_vector)
{
	struct vectors_mn_ha_auth v = vectors_mn_ha_auth();
	struct reg_msg m;
	struct mn_node n = {0};
	struct mn_reg_conf c = {0};
	uint8_t buf[MN_REG_MAX_MSG];

	/* Take the fixed part and the NAI from the vector's request itself. */
	cr_assert_eq(reg_parse_request(v.full_rrq.p, v.full_rrq.len, &m), REG_OK);
	c.flags = m.flags;
	c.ha_addr = m.ha_addr;
	c.coa = m.coa;
	n.home_addr = m.home_addr;
	n.nai = (const char *)m.nai.p;
	n.nai_len = m.nai.len;
	n.sa.valid = true;
	n.sa.spi = v.spi;
	n.sa.alg = AUTH_HMAC_MD5;
	memcpy(n.sa.key, v.key.p, v.key.len);
	n.sa.key_len = v.key.len;

	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_REREG, m.lifetime, m.ident, buf, sizeof(buf));
	cr_assert_eq(len, v.full_rrq.len);
	cr_assert_arr_eq(buf, v.full_rrq.p, len, "request differs from mn_ha_auth_hmac_md5_rfc5944");
}

Test(mn_reg, gba_first_request_layout_and_mn_aaa)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct reg_msg m;
	uint8_t buf[MN_REG_MAX_MSG], mac[16];

	gba_node(&n, &c);
	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_INITIAL, 300, 0x1122334455667788ULL, buf, sizeof(buf));
	cr_assert_gt(len, 0);
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect_eq(m.flags, REG_FLAG_D);
	cr_expect_eq(m.lifetime, 300);
	cr_expect_eq(m.home_addr, 0);
	cr_expect_eq(m.ha_addr, c.ha_addr);
	cr_expect_eq(m.coa, c.coa);
	cr_expect_eq(m.ident, 0x1122334455667788ULL);
	cr_assert_eq(m.nai.len, strlen(boot.btid));
	cr_expect_arr_eq(m.nai.p, boot.btid, m.nai.len, "NAI is the B-TID");
	cr_assert(m.mn_ha_keyreq.present);
	cr_expect_eq(m.mn_ha_keyreq.subtype, REG_KEYGEN_FROM_AAA);
	cr_expect_eq(m.mn_ha_keyreq.mn_spi, 4096);
	cr_expect_not(m.mn_ha.present, "no MN-HA authentication without an association");
	cr_assert(m.mn_aaa.present);
	cr_expect_eq(m.mn_aaa.spi, 256);
	cr_expect_eq(m.mn_aaa.authenticator.len, 16);
	cr_expect_lt(m.mn_ha_keyreq.off, m.mn_aaa.off, "KeyGen Request precedes MN-AAA");
	cr_expect_eq(m.mn_aaa.off + 8 + 16, len, "MN-AAA is last");
	/* Independently: HMAC-MD5(Ks_NAF, everything through the MN-AAA SPI). */
	cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_MD5, n.ks_naf, 32, buf, m.mn_aaa.covered_len, mac), 0);
	cr_expect_eq(m.mn_aaa.covered_len, m.mn_aaa.off + 8);
	cr_expect_arr_eq(m.mn_aaa.authenticator.p, mac, 16);
	cr_expect(auth_mn_aaa_verify(vectors_ctx, n.ks_naf, 32, &m));
}

Test(mn_reg, build_refuses_without_key)
{
	struct mn_node n = {0};
	struct mn_reg_conf c = {0};
	uint8_t buf[MN_REG_MAX_MSG];

	cr_expect_eq(mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_REREG, 10, 1, buf, sizeof(buf)), 0);
}

struct ha_reply {
	uint8_t code;
	uint64_t ident;
	uint32_t home;
	bool keyrep;
	uint32_t aaa_spi, ha_spi, auth_spi;
	enum auth_alg alg;
	const uint8_t *key; /* NULL: no MN-HA authentication */
	size_t key_len;
	int tamper;         /* offset to flip after signing, or -1 */
};

static const uint8_t nonce[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                  0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

/* Build a reply as the home agent would. */
static size_t ha_reply(const struct mn_node *n, const struct mn_reg_conf *c, const struct ha_reply *h,
                       uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	struct reg_reply_fixed f = {
		.code = h->code, .lifetime = 300, .home_addr = h->home, .ha_addr = c->ha_addr, .ident = h->ident,
	};

	reg_build_init(&b, buf, cap);
	reg_build_reply(&b, &f);
	if (n->nai)
		reg_build_nai(&b, (const uint8_t *)n->nai, n->nai_len);
	if (h->keyrep) {
		struct reg_keyrep k = {
			.present = true, .subtype = 1, .lifetime = 3600, .aaa_spi = h->aaa_spi,
			.peer_spi = h->ha_spi, .alg = (uint16_t)h->alg, .replay = 2,
			.nonce = {.p = nonce, .len = sizeof(nonce)},
		};
		reg_build_keyrep(&b, REG_EXT_MN_HA_KEYREP, &k);
	}
	if (h->key) {
		size_t off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, h->auth_spi, auth_alg_len(h->alg));
		cr_assert_gt(off, 0);
		cr_assert_eq(auth_sign(vectors_ctx, h->alg, h->key, h->key_len, buf, off), 0);
	}
	cr_assert_eq(b.err, REG_OK);
	if (h->tamper >= 0)
		buf[h->tamper] ^= 0x01;
	return b.len;
}

static void derived_key(const struct mn_node *n, uint8_t key[20])
{
	cr_assert_eq(auth_hmac2(vectors_ctx, AUTH_HMAC_SHA1, n->ks_naf, 32, nonce, sizeof(nonce),
	                        (const uint8_t *)n->nai, n->nai_len, key), 0);
}

static struct ha_reply good_keygen_reply(const struct mn_node *n, uint64_t ident, const uint8_t *key)
{
	(void)n;
	return (struct ha_reply){
		.code = 0, .ident = ident, .home = htonl(0x0a000007), .keyrep = true, .aaa_spi = 256,
		.ha_spi = 4096, .auth_spi = 4096, .alg = AUTH_HMAC_SHA1, .key = key, .key_len = 20, .tamper = -1,
	};
}

Test(mn_reg, good_keygen_reply_installs_sa)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t key[20], buf[MN_REG_MAX_MSG];

	gba_node(&n, &c);
	derived_key(&n, key);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	struct ha_reply h = good_keygen_reply(&n, ident, key);
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));

	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
	cr_expect(out.new_key);
	cr_expect(out.authenticated);
	cr_expect_eq(out.nonce_len, 16);
	cr_expect(n.sa.valid);
	cr_expect_eq(n.sa.spi, 4096);
	cr_expect_eq(n.sa.alg, AUTH_HMAC_SHA1);
	cr_expect_eq(n.sa.key_len, 20);
	cr_expect_arr_eq(n.sa.key, key, 20);
	cr_expect(n.registered);
	cr_expect_eq(n.home_addr, htonl(0x0a000007), "assigned home address learnt");
	cr_expect_eq(n.last_accepted, ident);

	/* The next request uses the new association. */
	struct reg_msg m;
	uint64_t id2 = mn_reg_next_ident(&n, replay_ntp_now());
	cr_expect_gt(id2, ident);
	len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_REREG, 300, id2, buf, sizeof(buf));
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect(m.mn_ha.present);
	cr_expect_not(m.mn_aaa.present);
	cr_expect_not(m.mn_ha_keyreq.present);
	cr_expect_eq(m.mn_ha.spi, 4096);
	cr_expect_eq(m.home_addr, htonl(0x0a000007));
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_SHA1, key, 20, &m, &m.mn_ha));
}

static void expect_dropped(struct ha_reply h, bool bad_auth, const char *what)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG];

	gba_node(&n, &c);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	if (h.ident == 0)
		h.ident = ident;
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP, "%s: not dropped", what);
	cr_expect_eq(out.bad_auth, bad_auth, "%s: bad_auth", what);
	cr_expect_not(n.sa.valid, "%s: key kept", what);
	cr_expect_not(n.registered, "%s", what);
	uint8_t zero[AUTH_MAX_LEN] = {0};
	cr_expect_arr_eq(n.sa.key, zero, sizeof(zero), "%s: key material left", what);
}

Test(mn_reg, tampered_or_wrong_replies_are_dropped)
{
	struct mn_node n;
	struct mn_reg_conf c;
	uint8_t key[20], wrong[20];

	gba_node(&n, &c);
	derived_key(&n, key);
	memcpy(wrong, key, 20);
	wrong[0] ^= 0xff;

	struct ha_reply h = good_keygen_reply(&n, 0, key);
	h.tamper = 12 + 8 + 2 + (int)strlen(boot.btid) + 4 + 16 + 3; /* inside the nonce */
	expect_dropped(h, true, "tampered nonce");

	h = good_keygen_reply(&n, 0, wrong);
	expect_dropped(h, true, "signed with another key");

	h = good_keygen_reply(&n, 0, key);
	h.auth_spi = 4097;
	expect_dropped(h, true, "MN-HA SPI differs from the KeyGen Reply's HA SPI");

	h = good_keygen_reply(&n, 0, key);
	h.aaa_spi = 300;
	expect_dropped(h, true, "AAA SPI not ours");

	h = good_keygen_reply(&n, 0, key);
	h.keyrep = false;
	expect_dropped(h, true, "acceptance without KeyGen Reply");

	h = good_keygen_reply(&n, 0, key);
	h.key = NULL;
	expect_dropped(h, true, "acceptance without authenticator");

	h = good_keygen_reply(&n, 0, key);
	h.ident = 0x0102030405060708ULL;
	expect_dropped(h, false, "another identification");
}

Test(mn_reg, unauthenticated_rejection_is_a_hint)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG];

	gba_node(&n, &c);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	struct ha_reply h = {.code = 144, .ident = ident, .tamper = -1};
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));

	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_REJECTED);
	cr_expect_eq(out.code, 144);
	cr_expect_not(out.authenticated);
	cr_expect_not(n.sa.valid);
}

/* A node holding an association, as after a first registration. */
static void registered_node(struct mn_node *n, struct mn_reg_conf *c, uint8_t key[20])
{
	gba_node(n, c);
	for (int i = 0; i < 20; i++)
		key[i] = (uint8_t)(0xa0 + i);
	n->sa.valid = true;
	n->sa.spi = 4096;
	n->sa.alg = AUTH_HMAC_SHA1;
	memcpy(n->sa.key, key, 20);
	n->sa.key_len = 20;
	n->registered = true;
	n->home_addr = htonl(0x0a000007);
}

Test(mn_reg, rereg_reply_checked_with_sa)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t key[20], buf[MN_REG_MAX_MSG];

	registered_node(&n, &c, key);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	struct ha_reply h = {.code = 0, .ident = ident, .home = n.home_addr, .auth_spi = 4096,
	                     .alg = AUTH_HMAC_SHA1, .key = key, .key_len = 20, .tamper = -1};
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
	cr_expect(out.authenticated);
	cr_expect_not(out.new_key);

	ident = mn_reg_next_ident(&n, replay_ntp_now());
	h.ident = ident;
	h.tamper = 3; /* lifetime */
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP);
	cr_expect(out.bad_auth);

	h.tamper = -1;
	h.auth_spi = 4097;
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP, "wrong SPI");

	h.auth_spi = 4096;
	h.home = htonl(0x0a000008);
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP, "another home address");

	/* Deregistration accepted: binding gone, association kept. */
	h.home = n.home_addr;
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_DEREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
	cr_expect_not(n.registered);
	cr_expect(n.sa.valid);
}

Test(mn_reg, resync_on_133)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t key[20], buf[MN_REG_MAX_MSG];
	uint64_t now = replay_ntp_now();

	registered_node(&n, &c, key);
	uint64_t ident = mn_reg_next_ident(&n, now);
	/* The HA is 100 s ahead: its seconds high, our low 32 bits. */
	uint64_t ha_ident = replay_reject_ident(ident, now + (100ULL << 32));
	struct ha_reply h = {.code = 133, .ident = ha_ident, .home = n.home_addr, .auth_spi = 4096,
	                     .alg = AUTH_HMAC_SHA1, .key = key, .key_len = 20, .tamper = -1};
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));

	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, now, &out), MN_V_RESYNC);
	cr_expect_eq(n.clock_adj, 100);
	uint64_t next = mn_reg_next_ident(&n, now);
	cr_expect_eq(next >> 32, (now >> 32) + 100, "next identification uses the HA's time");

	/* A 133 whose low bits are not ours is not an answer to this request. */
	h.ident = (ha_ident & ~0xffffffffULL) | 0x1234;
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, next, buf, len, now, &out), MN_V_DROP);

	/* An unsigned 133 cannot move the clock of a node holding an association. */
	n.clock_adj = 0;
	h.ident = replay_reject_ident(next, now + (50ULL << 32));
	h.key = NULL;
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, next, buf, len, now, &out), MN_V_REJECTED);
	cr_expect_eq(n.clock_adj, 0);
}

Test(mn_reg, resync_on_unsigned_133_to_first_registration)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG];
	uint64_t now = replay_ntp_now();

	gba_node(&n, &c);
	uint64_t ident = mn_reg_next_ident(&n, now);
	struct ha_reply h = {.code = 133, .ident = replay_reject_ident(ident, now - (20ULL << 32)), .tamper = -1};
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));

	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, now, &out), MN_V_RESYNC);
	cr_expect_eq(n.clock_adj, -20);
	uint64_t next = mn_reg_next_ident(&n, now);
	cr_expect_eq(next >> 32, (now >> 32) - 20, "the floor falls back so the HA's time is usable");
}

/* Method 2: the node signs every request with Ks_NAF itself and checks the
 * HA's replies with it. */
static void method2_node(struct mn_node *n, struct mn_reg_conf *c)
{
	gba_node(n, c);
	c->method = 2;
	c->mn_spi = 33822;
	c->aaa_spi = 0;
	n->home_addr = htonl(0x0a010014);
}

Test(mn_reg, method2_requests_carry_nai_and_mn_ha_keyed_with_ks_naf)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct reg_msg m;
	uint8_t buf[MN_REG_MAX_MSG], mac[20];
	struct vectors_ks_naf v = vectors_ks_naf(0);

	method2_node(&n, &c);
	for (enum mn_phase ph = MN_PHASE_INITIAL; ph <= MN_PHASE_DEREG; ph++) {
		size_t len = mn_reg_build(vectors_ctx, &c, &n, ph, ph == MN_PHASE_DEREG ? 0 : 300, 0x1122334455667788ULL,
		                          buf, sizeof(buf));
		cr_assert_gt(len, 0);
		cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
		cr_expect_eq(m.home_addr, n.home_addr);
		cr_assert_eq(m.nai.len, strlen(boot.btid));
		cr_expect_arr_eq(m.nai.p, boot.btid, m.nai.len, "NAI is the B-TID in every request");
		cr_expect_not(m.mn_ha_keyreq.present, "no key generation");
		cr_expect_not(m.mn_aaa.present, "no MN-AAA");
		cr_assert(m.mn_ha.present);
		cr_expect_eq(m.mn_ha.spi, 33822);
		cr_assert_eq(m.mn_ha.authenticator.len, 20);
		cr_expect_eq(m.mn_ha.off + 6 + 20, len, "MN-HA is last");
		/* Independently: HMAC-SHA-1 keyed with the published Ks_NAF, 32 octets. */
		cr_assert_eq(auth_hmac(vectors_ctx, AUTH_HMAC_SHA1, v.ks_naf.p, 32, buf, m.mn_ha.covered_len, mac), 0);
		cr_expect_arr_eq(m.mn_ha.authenticator.p, mac, 20);
	}
}

Test(mn_reg, method2_replies_checked_with_ks_naf)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG], other[32];
	struct vectors_ks_naf v = vectors_ks_naf(0);

	method2_node(&n, &c);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	struct ha_reply h = { .code = 0, .ident = ident, .home = n.home_addr, .auth_spi = 33822, .alg = AUTH_HMAC_SHA1,
		              .key = v.ks_naf.p, .key_len = 32, .tamper = -1 };
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
	cr_expect(out.authenticated && out.ks_naf_key && !out.new_key);
	cr_expect(n.registered);
	cr_expect_not(n.sa.valid, "method 2 keeps no derived association");

	/* Another key, another SPI, a tampered reply: dropped. */
	memset(other, 0x42, sizeof(other));
	struct ha_reply bad[3] = { h, h, h };
	bad[0].key = other;
	bad[1].auth_spi = 4096;
	bad[2].tamper = 30;
	for (int i = 0; i < 3; i++) {
		ident = mn_reg_next_ident(&n, replay_ntp_now());
		bad[i].ident = ident;
		len = ha_reply(&n, &c, &bad[i], buf, sizeof(buf));
		cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
		             MN_V_DROP, "case %d", i);
		cr_expect(out.bad_auth, "case %d", i);
	}
	/* An unsigned acceptance changes nothing; an unsigned 131 (unknown or
	 * expired B-TID) is a final answer, a hint to bootstrap again. */
	ident = mn_reg_next_ident(&n, replay_ntp_now());
	struct ha_reply u = { .code = 0, .ident = ident, .home = n.home_addr, .tamper = -1 };
	len = ha_reply(&n, &c, &u, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP);
	u.code = REG_CODE_MN_AUTH_FAILED;
	len = ha_reply(&n, &c, &u, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_REJECTED);
	cr_expect_not(out.authenticated);
}

Test(mn_reg, method2_unsigned_133_resynchronises_any_request)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG];

	/* A restarted HA holds no key yet: its 133 to a re-registration is unsigned. */
	method2_node(&n, &c);
	uint64_t now = replay_ntp_now();
	uint64_t ident = mn_reg_next_ident(&n, now);
	uint64_t ha_time = now + ((uint64_t)100 << 32);
	struct ha_reply h = { .code = REG_CODE_ID_MISMATCH, .ident = (ha_time & ~0xffffffffULL) | (ident & 0xffffffffu),
		              .home = n.home_addr, .tamper = -1 };
	size_t len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, ident, buf, len, now, &out), MN_V_RESYNC);
	cr_expect_eq(n.clock_adj, 100);
}

Test(mn_reg, identifications)
{
	uint64_t now = (uint64_t)3900000000u << 32;
	struct mn_node n = {0};

	uint64_t a = mn_reg_next_ident(&n, now | 0x1234);
	uint64_t b = mn_reg_next_ident(&n, now | 0x1234);
	uint64_t c = mn_reg_next_ident(&n, now | 0x9000);
	uint64_t d = mn_reg_next_ident(&n, now | 0x100);

	cr_expect_eq(a, now | 0x1234, "the clock itself");
	cr_expect_eq(b, a + 1, "same clock reading: one more");
	cr_expect_eq(c, now | 0x9000);
	cr_expect_eq(d, c + 1, "clock moved back: still increasing");

	/* A node restarted later is newer than everything before. */
	struct mn_node again = {0};
	cr_expect_gt(mn_reg_next_ident(&again, now | 0xa000), d);

	/* Corrected by what a 133 taught: seconds move, the fraction stays ours. */
	struct mn_node adj = {.clock_adj = -3};
	cr_expect_eq(mn_reg_next_ident(&adj, now | 0x55), ((3900000000ULL - 3) << 32) | 0x55);
}

Test(mn_reg, backoff_schedule)
{
	static const unsigned want[] = {1000, 2000, 4000, 8000, 8000, 8000};

	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect_eq(mn_reg_backoff_ms(i, 1000, 8000), want[i], "attempt %u", i);
	cr_expect_eq(mn_reg_backoff_ms(3, 300, 1000), 1000);
	cr_expect_eq(mn_reg_backoff_ms(2, 300, 1000), 1000 < 1200 ? 1000 : 1200);
	cr_expect_eq(mn_reg_backoff_ms(1, 300, 1000), 600);
	cr_expect_eq(mn_reg_backoff_ms(200, 1, 600000), 600000, "no overflow");
}

/* Through a foreign agent (RFC 4721 §3.1): the challenge after the MN-HA
 * authenticator, the MN-FA authenticator last; replies must carry a valid
 * MN-FA authenticator when the node shares an association with the agent. */
static const uint8_t fa_key[16] = {0xfa, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xfa};
static const uint8_t chal[8] = {0xc0, 0xff, 0xee, 0, 1, 2, 3, 4};

static struct mn_sa fa_sa(void)
{
	struct mn_sa s = {.valid = true, .spi = 500, .alg = AUTH_HMAC_MD5, .key_len = 16};

	memcpy(s.key, fa_key, 16);
	return s;
}

Test(mn_reg, request_through_a_foreign_agent)
{
	struct mn_node n;
	struct mn_reg_conf c;
	uint8_t key[20], buf[MN_REG_MAX_MSG];
	struct mn_sa fa = fa_sa();

	registered_node(&n, &c, key);
	c.flags = 0;
	c.challenge = chal;
	c.challenge_len = sizeof(chal);
	c.fa_sa = &fa;
	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_REREG, 300, 42, buf, sizeof(buf));
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect_eq(m.flags & REG_FLAG_D, 0);
	cr_assert(m.mn_ha.present && m.challenge.p && m.mn_fa.present);
	cr_expect(m.mn_ha.off < (size_t)(m.challenge.p - buf) && (size_t)(m.challenge.p - buf) < m.mn_fa.off);
	cr_expect_arr_eq(m.challenge.p, chal, sizeof(chal));
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_SHA1, key, 20, &m, &m.mn_ha));
	cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_MD5, fa_key, 16, &m, &m.mn_fa));
	cr_expect_eq(m.mn_fa.spi, 500);
}

Test(mn_reg, first_gba_request_through_a_foreign_agent_covers_the_challenge)
{
	struct mn_node n;
	struct mn_reg_conf c;
	uint8_t buf[MN_REG_MAX_MSG], want[16];

	gba_node(&n, &c);
	c.challenge = chal;
	c.challenge_len = sizeof(chal);
	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_INITIAL, 300, 42, buf, sizeof(buf));
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_assert(m.challenge.p && m.mn_aaa.present);
	cr_expect_lt((size_t)(m.challenge.p - buf), m.mn_aaa.off, "the challenge precedes MN-AAA (RFC 4721 §3.1)");
	cr_assert_eq(auth_mn_aaa_compute(vectors_ctx, c.aaa_spi, n.ks_naf, sizeof(n.ks_naf), buf, m.mn_aaa.covered_len,
	                                 chal, sizeof(chal), want), 0);
	cr_expect_arr_eq(m.mn_aaa.authenticator.p, want, 16);
}

/* What the agent appends last: a new challenge and, with key, its MN-FA authenticator. */
static size_t fa_tail(struct reg_builder *b, uint32_t spi, enum auth_alg alg, const uint8_t *key)
{
	reg_build_challenge(b, (const uint8_t *)"\x11\x22\x33\x44", 4);
	if (key) {
		size_t off = reg_build_auth(b, REG_EXT_MN_FA_AUTH, spi, auth_alg_len(alg));
		cr_assert_gt(off, 0);
		cr_assert_eq(auth_sign(vectors_ctx, alg, key, auth_alg_len(alg), b->buf, off), 0);
	}
	cr_assert_eq(b->err, REG_OK);
	return b->len;
}

/* A reply from the agent: code, optional MN-FA authenticator with key, a new challenge. */
static size_t fa_reply(const struct mn_node *n, const struct mn_reg_conf *c, uint8_t code, uint64_t ident,
                       const uint8_t *key, uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	struct reg_reply_fixed f = {.code = code, .lifetime = 600, .home_addr = n->home_addr, .ha_addr = c->ha_addr,
	                            .ident = ident};

	reg_build_init(&b, buf, cap);
	reg_build_reply(&b, &f);
	return fa_tail(&b, 500, AUTH_HMAC_MD5, key);
}

Test(mn_reg, foreign_agent_denials)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t key[20], buf[MN_REG_MAX_MSG];
	struct mn_sa fa = fa_sa();

	registered_node(&n, &c, key);
	size_t len = fa_reply(&n, &c, REG_CODE_FA_LIFETIME_TOO_LONG, 42, NULL, buf, sizeof(buf));
	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, 42, buf, len, replay_ntp_now(), &out),
	             MN_V_REJECTED, "without an MN-FA association: a hint");
	cr_expect(out.from_fa);
	cr_expect_eq(out.lifetime, 600);
	cr_assert(out.challenge);
	cr_expect_eq(out.challenge_len, 4);

	c.fa_sa = &fa;
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, 42, buf, len, replay_ntp_now(), &out), MN_V_DROP,
	             "with one, an unsigned reply is dropped (RFC 5944 §3.6.2.1)");
	cr_expect(out.bad_auth);
	len = fa_reply(&n, &c, REG_CODE_FA_STALE_CHALLENGE, 42, key, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, 42, buf, len, replay_ntp_now(), &out), MN_V_DROP,
	             "signed with another key");
	len = fa_reply(&n, &c, REG_CODE_FA_STALE_CHALLENGE, 42, fa_key, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_REREG, 42, buf, len, replay_ntp_now(), &out),
	             MN_V_REJECTED);
	cr_expect_eq(out.code, REG_CODE_FA_STALE_CHALLENGE);
	cr_expect(out.from_fa);
	cr_expect(n.registered, "a denial changes nothing");
}

/* Through a foreign agent with keys from the AAA (RFC 3957 §3, §8; RFC 4004
 * §1.2): the first request asks for an MN-FA key too; the agent appends the
 * MN-FA KeyGen Reply after the home agent's MN-HA authenticator, then a
 * challenge and its MN-FA authenticator made with the new key. */
static const uint8_t fa_nonce[20] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
                                     0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff, 0x10, 0x20, 0x30, 0x40};

static void fa_keygen_node(struct mn_node *n, struct mn_reg_conf *c)
{
	gba_node(n, c);
	c->flags = 0;
	c->challenge = chal;
	c->challenge_len = sizeof(chal);
	c->fa_keygen = true;
}

/* HMAC-SHA1(Ks_NAF, fa_nonce || NAI), computed here without lib/keygen. */
static void derived_fa_key(const struct mn_node *n, uint8_t key[20])
{
	cr_assert_eq(auth_hmac2(vectors_ctx, AUTH_HMAC_SHA1, n->ks_naf, 32, fa_nonce, sizeof(fa_nonce),
	                        (const uint8_t *)n->nai, n->nai_len, key), 0);
}

static void sha256_fp(const uint8_t *key, size_t len, uint8_t fp[8])
{
	uint8_t md[32];
	unsigned mdlen = 0;

	cr_assert_eq(EVP_Digest(key, len, md, &mdlen, EVP_sha256(), NULL), 1);
	memcpy(fp, md, 8);
}

struct fa_keygen_reply {
	struct ha_reply ha;     /* the home agent's part */
	bool keyrep;            /* append the MN-FA KeyGen Reply (41) */
	uint32_t aaa_spi, fa_spi, auth_spi;
	const uint8_t *fa_key;  /* NULL: no MN-FA authenticator */
};

static struct fa_keygen_reply good_fa_keygen_reply(const struct mn_node *n, uint64_t ident, const uint8_t *ha_key,
                                                   const uint8_t *fa_key)
{
	return (struct fa_keygen_reply){
		.ha = good_keygen_reply(n, ident, ha_key), .keyrep = true, .aaa_spi = 256, .fa_spi = 4097,
		.auth_spi = 4097, .fa_key = fa_key,
	};
}

/* The reply as the foreign agent relays it. */
static size_t fa_keygen_reply(const struct mn_node *n, const struct mn_reg_conf *c, const struct fa_keygen_reply *r,
                              uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	size_t len = ha_reply(n, c, &r->ha, buf, cap);

	reg_build_init(&b, buf, cap);
	b.len = len;
	if (r->keyrep) {
		struct reg_keyrep k = {
			.present = true, .subtype = 1, .lifetime = 1800, .aaa_spi = r->aaa_spi, .peer_spi = r->fa_spi,
			.alg = AUTH_HMAC_SHA1, .nonce = {.p = fa_nonce, .len = sizeof(fa_nonce)},
		};
		reg_build_keyrep(&b, REG_EXT_MN_FA_KEYREP, &k);
	}
	return fa_tail(&b, r->auth_spi, AUTH_HMAC_SHA1, r->fa_key);
}

Test(mn_reg, fa_keygen_first_request_asks_for_the_mn_fa_key)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct reg_msg m;
	uint8_t buf[MN_REG_MAX_MSG];

	fa_keygen_node(&n, &c);
	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_INITIAL, 300, 42, buf, sizeof(buf));
	cr_assert_gt(len, 0);
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_assert(m.mn_ha_keyreq.present && m.mn_fa_keyreq.present && m.challenge.p && m.mn_aaa.present);
	cr_expect_eq(m.mn_fa_keyreq.subtype, REG_KEYGEN_FROM_AAA);
	cr_expect_eq(m.mn_fa_keyreq.mn_spi, 4097, "MN-FA SPI is the MN-HA SPI + 1");
	cr_expect_eq(m.mn_ha_keyreq.mn_spi, 4096);
	cr_expect_lt(m.mn_ha_keyreq.off, m.mn_fa_keyreq.off, "42 before 40");
	cr_expect_lt(m.mn_fa_keyreq.off, (size_t)(m.challenge.p - buf), "40 before the challenge");
	cr_expect_lt((size_t)(m.challenge.p - buf), m.mn_aaa.off);
	cr_expect_not(m.mn_fa.present, "no MN-FA authenticator while asking for the key");
	cr_expect_not(m.mn_ha.present);
	cr_expect_eq(m.mn_aaa.off + 8 + 16, len, "MN-AAA is last");
	cr_expect(auth_mn_aaa_verify(vectors_ctx, n.ks_naf, 32, &m));
	n.ks_naf[0] ^= 1;
	cr_expect_not(auth_mn_aaa_verify(vectors_ctx, n.ks_naf, 32, &m), "the check can fail");

	/* Without fa_keygen (co-located, or a static MN-FA association): no 40. */
	c.fa_keygen = false;
	len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_INITIAL, 300, 42, buf, sizeof(buf));
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect(m.mn_ha_keyreq.present);
	cr_expect_not(m.mn_fa_keyreq.present);
}

Test(mn_reg, fa_keygen_reply_installs_both_keys)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t ha_key[20], fa_key2[20], fp[8], buf[MN_REG_MAX_MSG];

	fa_keygen_node(&n, &c);
	derived_key(&n, ha_key);
	derived_fa_key(&n, fa_key2);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	struct fa_keygen_reply r = good_fa_keygen_reply(&n, ident, ha_key, fa_key2);
	size_t len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
	struct reg_msg m;
	cr_assert_eq(reg_parse_reply(buf, len, &m), REG_OK);
	cr_expect_lt(m.mn_ha.off, m.mn_fa_keyrep.off, "41 after the HA's MN-HA authenticator");

	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
	cr_expect(out.new_key && out.new_fa_key && out.authenticated && out.fa_authenticated);
	cr_expect(n.sa.valid);
	cr_expect_arr_eq(n.sa.key, ha_key, 20);
	cr_expect(n.fa_sa.valid);
	cr_expect_eq(n.fa_sa.spi, 4097);
	cr_expect_eq(n.fa_sa.alg, AUTH_HMAC_SHA1);
	cr_expect_eq(n.fa_sa.key_len, 20);
	cr_expect_arr_eq(n.fa_sa.key, fa_key2, 20);
	cr_expect_eq(n.fa_sa.lifetime, 1800);
	cr_expect_eq(out.fa_key_lifetime, 1800);
	cr_expect_eq(out.fa_spi, 4097);
	sha256_fp(fa_key2, 20, fp);
	cr_expect_arr_eq(out.fa_key_fp, fp, 8);
	sha256_fp(ha_key, 20, fp);
	cr_expect_arr_eq(out.key_fp, fp, 8);
	cr_expect(n.registered);
}

static void expect_fa_dropped(struct fa_keygen_reply r, const char *what)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG], zero[AUTH_MAX_LEN] = {0};

	fa_keygen_node(&n, &c);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	r.ha.ident = ident;
	size_t len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP, "%s: not dropped", what);
	cr_expect(out.bad_auth, "%s: bad_auth", what);
	cr_expect_not(out.new_key || out.new_fa_key, "%s", what);
	cr_expect_not(n.sa.valid, "%s: MN-HA key kept", what);
	cr_expect_not(n.fa_sa.valid, "%s: MN-FA key kept", what);
	cr_expect_arr_eq(n.sa.key, zero, sizeof(zero), "%s: MN-HA key material left", what);
	cr_expect_arr_eq(n.fa_sa.key, zero, sizeof(zero), "%s: MN-FA key material left", what);
	cr_expect_not(n.registered, "%s", what);
}

Test(mn_reg, fa_keygen_bad_replies_keep_no_key)
{
	struct mn_node n;
	struct mn_reg_conf c;
	uint8_t ha_key[20], fa_key2[20], wrong[20];

	fa_keygen_node(&n, &c);
	derived_key(&n, ha_key);
	derived_fa_key(&n, fa_key2);
	memcpy(wrong, fa_key2, 20);
	wrong[19] ^= 0x80;

	struct fa_keygen_reply r = good_fa_keygen_reply(&n, 0, ha_key, wrong);
	expect_fa_dropped(r, "MN-FA authenticator made with another key");
	r = good_fa_keygen_reply(&n, 0, ha_key, NULL);
	expect_fa_dropped(r, "no MN-FA authenticator");
	r = good_fa_keygen_reply(&n, 0, ha_key, fa_key2);
	r.fa_spi = r.auth_spi = 4098;
	expect_fa_dropped(r, "41 for another SPI than the one asked");
	r = good_fa_keygen_reply(&n, 0, ha_key, fa_key2);
	r.auth_spi = 4098;
	expect_fa_dropped(r, "MN-FA authenticator SPI differs from 41's");
	r = good_fa_keygen_reply(&n, 0, ha_key, fa_key2);
	r.keyrep = false;
	expect_fa_dropped(r, "acceptance without 41");
	r = good_fa_keygen_reply(&n, 0, ha_key, fa_key2);
	r.aaa_spi = 257;
	expect_fa_dropped(r, "41 with another AAA SPI");
	r = good_fa_keygen_reply(&n, 0, ha_key, fa_key2);
	r.ha.key = wrong;
	expect_fa_dropped(r, "good MN-FA part, bad MN-HA authenticator");
}

Test(mn_reg, fa_keygen_denials_without_a_key_are_hints)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG];

	fa_keygen_node(&n, &c);
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	size_t len = fa_reply(&n, &c, REG_CODE_FA_STALE_CHALLENGE, ident, NULL, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_REJECTED);
	cr_expect(out.from_fa);
	cr_expect_not(out.authenticated || out.fa_authenticated);
	struct ha_reply h = {.code = REG_CODE_BAD_AAA_AUTH, .ident = ident, .tamper = -1};
	len = ha_reply(&n, &c, &h, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_REJECTED, "a relayed HA denial");
	cr_expect_not(n.sa.valid || n.fa_sa.valid);
}

/* A node after an accepted FA-mode first registration. */
static void fa_keyed_node(struct mn_node *n, struct mn_reg_conf *c, uint8_t ha_key[20], uint8_t fa_key2[20])
{
	struct mn_reply out;
	uint8_t buf[MN_REG_MAX_MSG];

	fa_keygen_node(n, c);
	derived_key(n, ha_key);
	derived_fa_key(n, fa_key2);
	uint64_t ident = mn_reg_next_ident(n, replay_ntp_now());
	struct fa_keygen_reply r = good_fa_keygen_reply(n, ident, ha_key, fa_key2);
	size_t len = fa_keygen_reply(n, c, &r, buf, sizeof(buf));
	cr_assert_eq(mn_reg_reply(vectors_ctx, c, n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
}

Test(mn_reg, fa_keygen_later_requests_use_both_keys)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	struct reg_msg m;
	uint8_t ha_key[20], fa_key2[20], buf[MN_REG_MAX_MSG];

	fa_keyed_node(&n, &c, ha_key, fa_key2);
	for (int ph = MN_PHASE_REREG; ph <= MN_PHASE_DEREG; ph++) {
		uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
		uint16_t life = ph == MN_PHASE_DEREG ? 0 : 300;
		size_t len = mn_reg_build(vectors_ctx, &c, &n, (enum mn_phase)ph, life, ident, buf, sizeof(buf));
		cr_assert_gt(len, 0);
		cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
		cr_expect_not(m.mn_ha_keyreq.present || m.mn_fa_keyreq.present || m.mn_aaa.present,
		              "%s: no KeyGen Request, no MN-AAA", mn_phase_str((enum mn_phase)ph));
		cr_assert(m.mn_ha.present && m.challenge.p && m.mn_fa.present);
		cr_expect(m.mn_ha.off < (size_t)(m.challenge.p - buf) && (size_t)(m.challenge.p - buf) < m.mn_fa.off);
		cr_expect_eq(m.mn_fa.spi, 4097);
		cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_SHA1, ha_key, 20, &m, &m.mn_ha));
		cr_expect(auth_verify(vectors_ctx, AUTH_HMAC_SHA1, fa_key2, 20, &m, &m.mn_fa));
		cr_expect_eq(m.mn_fa.off + 2 + 4 + 20, len, "MN-FA authenticator last");

		/* The reply: the HA's, relayed with the agent's MN-FA authenticator. */
		struct fa_keygen_reply r = {
			.ha = {.code = 0, .ident = ident, .home = n.home_addr, .auth_spi = 4096, .alg = AUTH_HMAC_SHA1,
			       .key = ha_key, .key_len = 20, .tamper = -1},
			.auth_spi = 4097,
		};
		len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
		cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, (enum mn_phase)ph, ident, buf, len, replay_ntp_now(), &out),
		             MN_V_DROP, "without the MN-FA authenticator: dropped");
		cr_expect(out.bad_auth);
		r.fa_key = ha_key;
		len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
		cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, (enum mn_phase)ph, ident, buf, len, replay_ntp_now(), &out),
		             MN_V_DROP, "MN-FA authenticator with the wrong key: dropped");
		r.fa_key = fa_key2;
		len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
		cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, (enum mn_phase)ph, ident, buf, len, replay_ntp_now(), &out),
		             MN_V_ACCEPTED);
		cr_expect(out.authenticated && out.fa_authenticated);
		cr_expect_not(out.new_key || out.new_fa_key);
	}
	cr_expect_not(n.registered);
	cr_expect(n.sa.valid && n.fa_sa.valid, "keys outlive a deregistration");
}

Test(mn_reg, fa_keygen_lapse_or_move_forgets_both_keys)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct reg_msg m;
	uint8_t ha_key[20], fa_key2[20], buf[MN_REG_MAX_MSG], zero[AUTH_MAX_LEN] = {0};

	fa_keyed_node(&n, &c, ha_key, fa_key2);
	cr_expect_not(mn_reg_first(&c, &n, MN_PHASE_REREG));
	cr_expect_not(mn_reg_lapsed(&n, 1e9), "no deadline: never lapses");
	n.fa_sa.deadline = 100.0;
	cr_expect_not(mn_reg_lapsed(&n, 99.9));
	cr_expect(mn_reg_lapsed(&n, 100.0), "MN-FA key lapsed");
	n.fa_sa.deadline = 0;
	n.sa.deadline = 50.0;
	cr_expect(mn_reg_lapsed(&n, 60.0), "MN-HA key lapsed");

	mn_reg_forget_agent(&n);
	cr_expect_not(n.sa.valid || n.fa_sa.valid);
	cr_expect_arr_eq(n.sa.key, zero, sizeof(zero));
	cr_expect_arr_eq(n.fa_sa.key, zero, sizeof(zero));
	cr_expect_not(mn_reg_lapsed(&n, 1e9));
	cr_expect(mn_reg_first(&c, &n, MN_PHASE_REREG), "the next request is a first registration");

	/* A re-registration is now a first one again: 42, 40, MN-AAA. */
	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_REREG, 300, 43, buf, sizeof(buf));
	cr_assert_gt(len, 0);
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect(m.mn_ha_keyreq.present && m.mn_fa_keyreq.present && m.mn_aaa.present);
	cr_expect_not(m.mn_ha.present || m.mn_fa.present);

	/* Static associations survive: a static node keeps its MN-HA key. */
	struct mn_node s = {0};
	s.sa = (struct mn_sa){.valid = true, .spi = 300, .alg = AUTH_HMAC_MD5, .key_len = 16};
	mn_reg_forget_agent(&s);
	cr_expect(s.sa.valid);
	cr_expect_not(mn_reg_first(&c, &s, MN_PHASE_REREG));
}

Test(mn_reg, fa_keygen_new_first_registration_replaces_both_keys)
{
	struct mn_node n;
	struct mn_reg_conf c;
	struct mn_reply out;
	struct reg_msg m;
	uint8_t ha_key[20], fa_key2[20], buf[MN_REG_MAX_MSG];

	fa_keyed_node(&n, &c, ha_key, fa_key2);
	/* Keys held, initial phase: a first registration again, without the MN-FA
	 * authenticator, so that the agent asks the AAA (RFC 4004). */
	uint64_t ident = mn_reg_next_ident(&n, replay_ntp_now());
	size_t len = mn_reg_build(vectors_ctx, &c, &n, MN_PHASE_INITIAL, 300, ident, buf, sizeof(buf));
	cr_assert_eq(reg_parse_request(buf, len, &m), REG_OK);
	cr_expect(m.mn_ha_keyreq.present && m.mn_fa_keyreq.present && m.mn_aaa.present);
	cr_expect_not(m.mn_fa.present || m.mn_ha.present);

	/* Its reply is signed with the new MN-FA key: held keys are not asked for. */
	uint8_t other[20];
	memcpy(other, fa_key2, 20);
	other[0] ^= 0x55;
	n.fa_sa.key[0] ^= 0x55; /* the node's current key is now "other" */
	struct fa_keygen_reply r = good_fa_keygen_reply(&n, ident, ha_key, other);
	len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
	cr_expect_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_DROP, "signed with the key held, not the one 41 gives");
	cr_expect(n.fa_sa.valid && n.sa.valid, "a dropped reply leaves the keys held");
	cr_expect_arr_eq(n.fa_sa.key, other, 20);

	r = good_fa_keygen_reply(&n, ident, ha_key, fa_key2);
	len = fa_keygen_reply(&n, &c, &r, buf, sizeof(buf));
	cr_assert_eq(mn_reg_reply(vectors_ctx, &c, &n, MN_PHASE_INITIAL, ident, buf, len, replay_ntp_now(), &out),
	             MN_V_ACCEPTED);
	cr_expect(out.new_key && out.new_fa_key);
	cr_expect_arr_eq(n.fa_sa.key, fa_key2, 20, "the key 41 gives replaces the one held");
}
