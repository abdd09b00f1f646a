/* Method 2 (TR 33.822 §7.3.3) in the HA's registration state machine: the
 * tests stand in for the UDP socket and for the Zn client (agent/zn outcomes,
 * turned into queue entries by reg_zn_outcome) at the module boundary.  The
 * key a node signs with is the published Ks_NAF vector itself. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include <openssl/evp.h>

#include "dict/dict_mip4.h"
#include "lib/replay.h"
#include "mip4-ha/reg_zn.h"
#include "tests/unit/test_ha_support.h"
#include "tests/unit/vectors.h"

#define Z_SPI 33822
#define Z_BTID1 "AAAAAAAAAAAAAAAAAAAAAA==@bsf.lab.example"
#define Z_BTID2 "BBBBBBBBBBBBBBBBBBBBBA==@bsf.lab.example"
#define Z_HOME "10.1.0.20"
#define Z_IMPI "mn000001@ims.lab.example"

static struct t_ha h;
static uint8_t ks1[32], ks2[32];

static void setup(void)
{
	t_ha_init(&h, 4);
	h.conf.zn.enabled = true;
	h.conf.zn.spi = Z_SPI;
	struct vectors_ks_naf v0 = vectors_ks_naf(0), v1 = vectors_ks_naf(1);
	cr_assert_eq(v0.ks_naf.len, 32);
	memcpy(ks1, v0.ks_naf.p, 32);
	memcpy(ks2, v1.ks_naf.p, 32);
}
static void teardown(void) { t_ha_fini(&h); }

TestSuite(ha_zn, .init = setup, .fini = teardown);

static int64_t unix_now(void) { return (int64_t)(h.now.ntp >> 32) - (int64_t)REPLAY_NTP_UNIX_OFFSET; }

/* What a method 2 node sends: NAI = B-TID, MN-HA HMAC-SHA-1 keyed with Ks_NAF. */
static struct t_rrq m2(const char *btid, const uint8_t *ks)
{
	struct t_rrq q = t_rrq_default(&h);
	q.home = Z_HOME;
	q.nai = btid;
	q.spi = Z_SPI;
	q.alg = AUTH_HMAC_SHA1;
	q.key = ks;
	q.key_len = 32;
	return q;
}

/* The Zn client's answer, through the same conversion the daemon uses. */
static struct aaa_answer zn_key(uint64_t id, const uint8_t *ks, int64_t expiry, const char *impi)
{
	struct zn_answer z = { .status = ZN_KEY, .expiry = expiry };
	memcpy(z.ks_naf, ks, 32);
	snprintf(z.impi, sizeof z.impi, "%s", impi);
	struct aaa_answer a;
	reg_zn_outcome(&a, id, &z, &h.now.mono);
	return a;
}

static struct aaa_answer zn_fail(uint64_t id, enum zn_status st)
{
	struct zn_answer z = { .status = st };
	struct aaa_answer a;
	reg_zn_outcome(&a, id, &z, &h.now.mono);
	return a;
}

/* Send q, expect it to wait for Ks_NAF, answer with a. */
static void register_with(struct t_rrq *q, struct aaa_answer a)
{
	t_send(&h, q);
	cr_assert_eq(h.r.out, REG_OUT_ZN, "waits for Ks_NAF (%s)", h.r.why);
	a.pending_id = h.r.pending->id;
	reg_process_answer(&h.st, &a, &h.now, &h.r);
}

Test(ha_zn, first_registration_fetches_ks_naf_and_signs_with_it)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_ZN);
	cr_assert_eq(h.pending.inflight, 1);
	cr_assert(h.r.msg.nai.p && h.r.msg.nai.len == strlen(Z_BTID1) &&
	          memcmp(h.r.msg.nai.p, Z_BTID1, strlen(Z_BTID1)) == 0, "the lookup is for the NAI's B-TID");
	uint64_t id = h.r.pending->id;

	/* A retransmission while the key is being fetched asks for nothing new. */
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.retransmissions_pending, 1);
	cr_assert_eq(h.pending.inflight, 1);

	struct aaa_answer a = zn_key(id, ks1, unix_now() + 3600, Z_IMPI);
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	for (size_t i = 0; i < sizeof a.key; i++)
		cr_assert_eq(a.key[i], 0, "the queue entry's key is wiped");
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0, "%s", h.r.why);
	cr_assert_eq(m.lifetime, 300);
	cr_assert_eq(m.ident, q.ident);
	cr_assert(m.nai.p && m.nai.len == strlen(Z_BTID1), "NAI echoed");
	cr_assert(!m.mn_ha_keyrep.present, "no RFC 3957 key generation in method 2");
	cr_assert_eq(m.mn_ha.spi, Z_SPI);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, ks1, 32), "signed with Ks_NAF");
	struct sa *sa = sa_find(&h.sas, t_ip(Z_HOME));
	cr_assert(sa && sa->from_zn && !sa->is_static);
	cr_assert_eq(sa->spi, Z_SPI);
	cr_assert_eq(sa->alg, AUTH_HMAC_SHA1);
	cr_assert_eq(sa->key_len, 32);
	cr_assert(memcmp(sa->key, ks1, 32) == 0);
	cr_assert_eq(sa->entry.timer.at, h.now.sec + 3600, "kept until Key-ExpiryTime");
	cr_assert_eq(sa->last_ident, q.ident);
	cr_assert_eq(binding_find(&h.bindings, t_ip(Z_HOME))->coa, t_ip(T_COA));
	cr_assert_eq(h.ctr.reg_zn, 1);
	cr_assert_eq(h.pending.inflight, 0);

	/* The next request of that node is served with the association, locally. */
	t_ha_advance(&h, 1);
	struct t_rrq r = m2(Z_BTID1, ks1);
	r.coa = "192.0.2.99";
	t_send(&h, &r);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, 0);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, ks1, 32));
	cr_assert_eq(h.ctr.reg_local, 1);
	cr_assert_eq(binding_find(&h.bindings, t_ip(Z_HOME))->coa, t_ip("192.0.2.99"));
}

Test(ha_zn, the_key_is_ks_naf_itself_with_hmac_sha1)
{
	/* The first 20 octets (an HMAC-SHA-1-sized key) or HMAC-MD5 are not it. */
	struct t_rrq q = m2(Z_BTID1, ks1);
	q.key_len = 20;
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, REG_CODE_MN_AUTH_FAILED);
	q = m2(Z_BTID1, ks1);
	q.alg = AUTH_HMAC_MD5;
	q.ident += 1;
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, REG_CODE_MN_AUTH_FAILED);
	cr_assert_null(sa_find(&h.sas, t_ip(Z_HOME)));
	q = m2(Z_BTID1, ks1);
	q.ident += 2;
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, 0);
}

Test(ha_zn, wrong_key_131_unsigned_nothing_kept)
{
	struct t_rrq q = m2(Z_BTID1, ks2);
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_MN_AUTH_FAILED);
	cr_assert(!m.mn_ha.present, "the HA holds no key the node has");
	cr_assert(m.nai.p, "NAI echoed");
	cr_assert_str_eq(h.r.why, "mn-ha-auth-failed");
	cr_assert_null(sa_find(&h.sas, t_ip(Z_HOME)));
	cr_assert_eq(h.bindings.tab.count, 0);
}

Test(ha_zn, bsf_refusal_131_unavailable_130_both_unsigned)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_fail(0, ZN_REJECT));
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_MN_AUTH_FAILED, "unknown or expired B-TID");
	cr_assert(!m.mn_ha.present);
	cr_assert_str_eq(h.r.why, "bsf-refused");

	/* Its retransmission gets the same reply again, without a new lookup. */
	uint8_t first[REG_REPLY_MAX];
	size_t first_len = h.r.reply_len;
	memcpy(first, h.r.reply, first_len);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert(h.r.reply_len == first_len && memcmp(h.r.reply, first, first_len) == 0);
	cr_assert_eq(h.ctr.retransmissions_replayed, 1);

	q.ident += 1;
	register_with(&q, zn_fail(0, ZN_UNAVAILABLE));
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_NO_RESOURCES, "BSF down: the HA's 130");
	cr_assert(!m.mn_ha.present);
	cr_assert_str_eq(h.r.why, "bsf-unavailable");
	cr_assert_null(sa_find(&h.sas, t_ip(Z_HOME)));
	cr_assert_eq(h.ctr.denied[131], 2, "the refusal and its repeat");
	cr_assert_eq(h.ctr.denied[130], 1);
}

Test(ha_zn, replay_and_validity_checked_before_any_lookup)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	q.ident = h.now.ntp - ((uint64_t)60 << 32);
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_ID_MISMATCH);
	cr_assert_eq(m.ident >> 32, h.now.ntp >> 32, "the HA's time, to resynchronise");
	cr_assert(!m.mn_ha.present);
	q = m2(Z_BTID1, ks1);
	q.ha = "127.0.0.9";
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_UNKNOWN_HA);
	q = m2(Z_BTID1, ks1);
	q.home = "10.2.0.1";
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_PROHIBITED, "outside the home networks");
	q = m2(Z_BTID1, ks1);
	q.home = "0.0.0.0";
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_PROHIBITED, "no AAA to assign a home address");
	cr_assert_str_eq(h.r.why, "no-home-address");
	cr_assert_eq(h.pending.inflight, 0, "nothing was looked up");
}

Test(ha_zn, lifetimes_capped_at_key_expiry_and_never_past_it)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now() + 100, Z_IMPI));
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, 100, "300 asked, the key has 100 s left");
	struct sa *sa = sa_find(&h.sas, t_ip(Z_HOME));
	cr_assert_eq(sa->entry.timer.at, h.now.sec + 100);
	t_ha_advance(&h, 60);
	q = m2(Z_BTID1, ks1);
	t_send(&h, &q);
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, 40, "a local re-registration too");
	t_ha_advance(&h, 40);
	sa_expire(&h.sas, h.now.sec, NULL, NULL);
	binding_expire(&h.bindings, h.now.sec, NULL, NULL);
	cr_assert_null(sa_find(&h.sas, t_ip(Z_HOME)), "the association ends at Key-ExpiryTime");
	cr_assert_eq(h.bindings.tab.count, 0);
	/* After it, the node's requests need the key again: the BSF says expired. */
	q = m2(Z_BTID1, ks1);
	register_with(&q, zn_fail(0, ZN_REJECT));
	cr_assert_eq(h.r.code, REG_CODE_MN_AUTH_FAILED);
}

Test(ha_zn, time_left_rounded_down)
{
	/* Half a second into a second, 100 s before the key ends: 99 whole seconds
	 * left, so that the association cannot outlive the key. */
	h.now.ntp += (uint64_t)1 << 31;
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now() + 100, Z_IMPI));
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, 99);
	cr_assert_eq(sa_find(&h.sas, t_ip(Z_HOME))->entry.timer.at, h.now.sec + 99);
}

Test(ha_zn, key_expired_when_the_answer_arrives)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now(), Z_IMPI));
	cr_assert_eq(h.r.code, REG_CODE_MN_AUTH_FAILED);
	cr_assert_str_eq(h.r.why, "ks-naf-expired");
	cr_assert_null(sa_find(&h.sas, t_ip(Z_HOME)));
}

Test(ha_zn, rebootstrapped_node_rekeys_its_address)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, 0);
	t_ha_advance(&h, 2);
	/* A new bootstrap of the same IMPI: new B-TID, new Ks_NAF, same address. */
	q = m2(Z_BTID2, ks2);
	register_with(&q, zn_key(0, ks2, unix_now() + 7200, Z_IMPI));
	cr_assert_eq(h.r.code, 0, "%s", h.r.why);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, ks2, 32));
	struct sa *sa = sa_find(&h.sas, t_ip(Z_HOME));
	cr_assert(memcmp(sa->key, ks2, 32) == 0);
	cr_assert_eq(sa->entry.timer.at, h.now.sec + 7200);
	cr_assert_eq(h.ctr.reg_zn, 2);
	/* A copy of a request made with the old key is a replay: 133, no lookup. */
	struct t_rrq old = m2(Z_BTID1, ks1);
	old.ident = q.ident;
	t_send(&h, &old);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, REG_CODE_ID_MISMATCH);
	cr_assert_eq(h.pending.inflight, 0);
}

Test(ha_zn, an_address_stays_with_its_subscriber)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, 0);
	t_ha_advance(&h, 1);
	/* Another subscriber with a valid bootstrap asks for the same address. */
	q = m2(Z_BTID2, ks2);
	register_with(&q, zn_key(0, ks2, unix_now() + 3600, "mallory@ims.lab.example"));
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_PROHIBITED);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, ks2, 32), "signed with the asker's own key");
	cr_assert_str_eq(h.r.why, "home-address-in-use");
	struct sa *sa = sa_find(&h.sas, t_ip(Z_HOME));
	cr_assert(memcmp(sa->key, ks1, 32) == 0, "the owner's key stays");
	cr_assert_eq(binding_find(&h.bindings, t_ip(Z_HOME))->coa, t_ip(T_COA));
}

Test(ha_zn, addresses_of_other_associations_are_not_taken)
{
	/* A static association pins T_HOME: method 2 requests for it are not ours. */
	struct t_rrq q = m2(Z_BTID1, ks1);
	q.home = T_HOME;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.discarded_no_auth, 1);
	cr_assert_eq(h.pending.inflight, 0);
	/* An AAA-made association: the key is fetched, then the address refused. */
	struct sa_params p = { .spi = 4242, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = t_key, .key_len = 16,
	                       .expires = h.now.sec + 600 };
	cr_assert(sa_install(&h.sas, t_ip(Z_HOME), &p));
	q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, REG_CODE_PROHIBITED);
	cr_assert_eq(sa_find(&h.sas, t_ip(Z_HOME))->spi, 4242);
}

Test(ha_zn, a_newer_registration_accepted_while_waiting_wins)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	t_ha_advance(&h, 1);
	struct t_rrq re = m2(Z_BTID2, ks2);
	t_send(&h, &re);
	cr_assert_eq(h.r.out, REG_OUT_ZN);
	uint64_t id = h.r.pending->id;
	/* Meanwhile the node re-registers with its current key. */
	struct t_rrq local = m2(Z_BTID1, ks1);
	local.ident = re.ident + 1;
	t_send(&h, &local);
	cr_assert_eq(h.r.code, 0);
	struct aaa_answer a = zn_key(id, ks2, unix_now() + 3600, Z_IMPI);
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.code, REG_CODE_ID_MISMATCH);
	cr_assert_str_eq(h.r.why, "not-newer");
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, ks2, 32));
	cr_assert(memcmp(sa_find(&h.sas, t_ip(Z_HOME))->key, ks1, 32) == 0);
}

Test(ha_zn, deregistration_after_the_ha_lost_the_association)
{
	struct t_rrq q = m2(Z_BTID1, ks1);
	q.lifetime = 0;
	register_with(&q, zn_key(0, ks1, unix_now() + 3600, Z_IMPI));
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, 0);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, ks1, 32));
	cr_assert_eq(h.ctr.deregistrations, 1);
}

Test(ha_zn, pending_cap_130_unsigned)
{
	char home[32];
	for (int i = 0; i < 4; i++) {
		snprintf(home, sizeof home, "10.1.1.%d", i + 1);
		struct t_rrq q = m2(Z_BTID1, ks1);
		q.home = home;
		q.ident += (uint64_t)i;
		t_send(&h, &q);
		cr_assert_eq(h.r.out, REG_OUT_ZN);
	}
	struct t_rrq q = m2(Z_BTID1, ks1);
	q.ident += 9;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_NO_RESOURCES);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert(!m.mn_ha.present);
}

Test(ha_zn, not_method_2)
{
	/* Not a B-TID, another SPI, or method 2 not configured: not looked up. */
	struct t_rrq q = m2("mn1@lab", ks1);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	q = m2(Z_BTID1, ks1);
	q.spi = Z_SPI + 1;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	h.conf.zn.enabled = false;
	q = m2(Z_BTID1, ks1);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.discarded_no_auth, 3);
	cr_assert_eq(h.pending.inflight, 0);
}

Test(ha_zn, zn_outcomes_as_queued)
{
	struct aaa_answer a = zn_key(77, ks1, 1234567890, Z_IMPI);
	cr_assert(a.zn && a.status == AAA_ANSWERED && a.result_code == 2001 && a.has_key);
	cr_assert_eq(a.pending_id, 77);
	cr_assert_eq(a.key_len, 32);
	cr_assert(memcmp(a.key, ks1, 32) == 0);
	cr_assert_eq(a.key_expiry, 1234567890);
	/* The owner fingerprint: the first 8 octets of SHA-256(IMPI). */
	uint8_t md[32];
	unsigned len;
	cr_assert(EVP_Digest(Z_IMPI, strlen(Z_IMPI), md, &len, EVP_sha256(), NULL) == 1);
	uint64_t fp = 0;
	for (int i = 0; i < 8; i++)
		fp = fp << 8 | md[i];
	cr_assert_eq(a.owner_fp, fp);
	a = zn_fail(78, ZN_REJECT);
	cr_assert(a.zn && a.status == AAA_ANSWERED && a.result_code == 5403 && !a.has_key);
	a = zn_fail(79, ZN_UNAVAILABLE);
	cr_assert(a.zn && a.status == AAA_FAILED);
}
