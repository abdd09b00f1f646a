/* The registration state machine of mip4-ha, driven directly: the tests stand
 * in for the UDP socket and for the AAA (struct aaa_answer) at the module
 * boundary. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dict/dict_mip4.h"
#include "lib/keygen.h"
#include "lib/replay.h"
#include "tests/unit/test_ha_support.h"

static struct t_ha h;

static void setup(void) { t_ha_init(&h, 4); }
static void teardown(void) { t_ha_fini(&h); }

TestSuite(ha_reg, .init = setup, .fini = teardown);

Test(ha_reg, static_sa_registration_accepted_and_signed)
{
	struct t_rrq q = t_rrq_default(&h);
	q.lifetime = 5000;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert_eq(m.lifetime, 600, "lifetime capped by max_lifetime");
	cr_assert_eq(m.ident, q.ident);
	cr_assert_eq(m.home_addr, t_ip(T_HOME));
	cr_assert_eq(m.ha_addr, t_ip(T_HA));
	cr_assert_eq(m.mn_ha.spi, T_SPI);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16));
	cr_assert_eq(h.r.dest.sin_port, h.src.sin_port, "reply goes to the source port");
	struct binding *b = binding_find(&h.bindings, t_ip(T_HOME));
	cr_assert(b);
	cr_assert_eq(b->coa, t_ip(T_COA));
	cr_assert_eq(h.ctr.reg_local, 1);
	cr_assert_eq(h.ctr.accepted, 1);
	cr_assert_eq(sa_find(&h.sas, t_ip(T_HOME))->last_ident, q.ident);
}

Test(ha_reg, reregistration_moves_binding)
{
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	t_ha_advance(&h, 2);
	q.ident = h.now.ntp + 1;
	q.coa = "192.0.2.99";
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert_eq(binding_find(&h.bindings, t_ip(T_HOME))->coa, t_ip("192.0.2.99"));
	cr_assert_eq(h.ctr.reg_local, 2);
	cr_assert_eq(h.bindings.tab.count, 1);
}

Test(ha_reg, retransmission_same_answer_without_more_lifetime)
{
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	t_ha_advance(&h, 10);
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert_eq(m.lifetime, 290, "the lifetime first granted runs on");
	cr_assert_eq(m.ident, q.ident);
	cr_assert_eq(h.ctr.retransmissions_local, 1);
	cr_assert_eq(binding_find(&h.bindings, t_ip(T_HOME))->entry.timer.at, 1000 + 300);
}

Test(ha_reg, replay_rejected_with_ha_time)
{
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	uint64_t accepted = q.ident;
	/* Same Identification, another care-of address: not a retransmission. */
	q.coa = "192.0.2.50";
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_ID_MISMATCH);
	cr_assert_eq(m.ident >> 32, h.now.ntp >> 32, "high half is the HA's time");
	cr_assert_eq(m.ident & 0xffffffffu, q.ident & 0xffffffffu, "low half copied");
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16));
	cr_assert_eq(binding_find(&h.bindings, t_ip(T_HOME))->coa, t_ip(T_COA), "binding unchanged");
	cr_assert_eq(sa_find(&h.sas, t_ip(T_HOME))->last_ident, accepted);
	cr_assert_eq(h.ctr.denied[133], 1);
}

Test(ha_reg, identification_outside_window_rejected)
{
	struct t_rrq q = t_rrq_default(&h);
	q.ident = h.now.ntp - ((uint64_t)8 << 32);
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 133);
	q.ident = h.now.ntp + ((uint64_t)8 << 32);
	t_send(&h, &q);
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 133);
	cr_assert_eq(h.bindings.tab.count, 0);
}

Test(ha_reg, wrong_key_131_signed_with_sa)
{
	static const uint8_t bad[16] = { 9 };
	struct t_rrq q = t_rrq_default(&h);
	q.key = bad;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_MN_AUTH_FAILED);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16));
	cr_assert_eq(h.bindings.tab.count, 0);
	cr_assert_eq(sa_find(&h.sas, t_ip(T_HOME))->last_ident, 0);
}

Test(ha_reg, deregistration_drops_binding)
{
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	cr_assert_eq(h.bindings.tab.count, 1);
	q.ident++;
	q.lifetime = 0;
	q.coa = T_HOME;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert_eq(m.lifetime, 0);
	cr_assert_eq(h.bindings.tab.count, 0);
	cr_assert_eq(h.ctr.deregistrations, 1);
	/* Its retransmission gets the same answer, not 133. */
	t_send(&h, &q);
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, 0);
	cr_assert_eq(h.ctr.retransmissions_local, 1);
	cr_assert_eq(h.ctr.deregistrations, 1);
}

Test(ha_reg, deregistration_of_other_coa_keeps_binding)
{
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	q.ident++;
	q.lifetime = 0;
	q.coa = "192.0.2.200";
	t_send(&h, &q);
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.bindings.tab.count, 1);
}

Test(ha_reg, s_bit_code_1)
{
	struct t_rrq q = t_rrq_default(&h);
	q.flags = REG_FLAG_S;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_ACCEPTED_NO_SIMUL);
	cr_assert_eq(h.ctr.accepted, 1);
}

Test(ha_reg, validity_codes)
{
	struct t_rrq q = t_rrq_default(&h);
	q.ha = "127.0.0.2";
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_UNKNOWN_HA);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.ha_addr, t_ip(T_HA), "136 carries the HA's own address");
	q = t_rrq_default(&h);
	q.ident += 1;
	q.flags = REG_FLAG_T;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_REVTUN_UNAVAILABLE);
	q.ident += 1;
	q.flags = REG_FLAG_M;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_ENCAP_UNAVAILABLE);
	q.ident += 1;
	q.flags = REG_FLAG_G;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_ENCAP_UNAVAILABLE);
	cr_assert_eq(h.bindings.tab.count, 0);
	/* A home address outside the home network, with an SA of its own. */
	struct sa_params p = { .spi = 301, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = t_key, .key_len = 16 };
	cr_assert(sa_install(&h.sas, t_ip("10.2.0.1"), &p));
	q = t_rrq_default(&h);
	q.home = "10.2.0.1";
	q.spi = 301;
	q.alg = AUTH_HMAC_SHA1;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_PROHIBITED);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, t_key, 16));
	cr_assert_eq(h.ctr.denied[136] + h.ctr.denied[137] + h.ctr.denied[139] + h.ctr.denied[129], 5);
}

Test(ha_reg, malformed_134_and_counted)
{
	uint8_t buf[256];
	struct t_rrq q = t_rrq_default(&h);
	q.mn_ha = false;
	size_t n = t_rrq_build(&q, buf, sizeof buf);
	buf[n++] = REG_EXT_NAI;
	buf[n++] = 40; /* runs past the end */
	buf[n++] = 'x';
	reg_process_request(&h.st, buf, n, &h.src, &h.now, &h.r);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_POORLY_FORMED);
	cr_assert_eq(m.ident, q.ident);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16), "signed: the HA has an SA for the home address");
	cr_assert_eq(h.ctr.malformed[REG_ERR_EXT_TRUNCATED], 1);
	cr_assert_eq(h.ctr.denied[134], 1);
}

Test(ha_reg, unknown_nonskippable_extension_dropped)
{
	uint8_t buf[256];
	struct t_rrq q = t_rrq_default(&h);
	q.mn_ha = false;
	size_t n = t_rrq_build(&q, buf, sizeof buf);
	buf[n++] = 99;
	buf[n++] = 0;
	reg_process_request(&h.st, buf, n, &h.src, &h.now, &h.r);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.malformed[REG_ERR_EXT_UNKNOWN], 1);
}

Test(ha_reg, short_datagram_dropped)
{
	uint8_t buf[10] = { 1 };
	reg_process_request(&h.st, buf, sizeof buf, &h.src, &h.now, &h.r);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.malformed[REG_ERR_TRUNCATED_FIXED], 1);
	cr_assert_eq(h.ctr.requests, 1);
}

Test(ha_reg, no_usable_auth_dropped)
{
	struct t_rrq q = t_rrq_default(&h);
	q.mn_ha = false;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	q.mn_ha = true;
	q.spi = 999; /* unknown SPI */
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	q.spi = T_SPI;
	q.home = "10.1.0.77"; /* no SA at all */
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.discarded_no_auth, 3);
}

/* ---- AAA path ---- */

static struct t_rrq first_reg(const char *home)
{
	struct t_rrq q = t_rrq_default(&h);
	q.home = home;
	q.mn_ha = false;
	q.keygen = true;
	q.nai = T_NAI;
	return q;
}

/* What the AAA does (RFC 3957 §5), computed independently of reg_process. */
static struct aaa_answer aaa_success(uint64_t id, const uint8_t nonce[16], const char *home)
{
	struct aaa_answer a = { .pending_id = id, .status = AAA_ANSWERED, .result_code = MIP4_RC_SUCCESS };
	struct auth_ctx *ctx = auth_ctx_new();
	cr_assert(keygen_derive(ctx, t_aaa_key, sizeof t_aaa_key, nonce, 16, (const uint8_t *)T_NAI, strlen(T_NAI),
	                        a.key) == 0);
	auth_ctx_free(ctx);
	a.has_key = a.has_nonce = a.has_mn_addr = a.has_msa_lifetime = true;
	a.key_len = KEYGEN_KEY_LEN;
	a.alg = MIP4_ALG_HMAC_SHA1;
	a.replay_mode = MIP4_REPLAY_TIMESTAMPS;
	memcpy(a.nonce, nonce, 16);
	a.nonce_len = 16;
	a.mn_addr = t_ip(home);
	a.msa_lifetime = 3600;
	return a;
}

Test(ha_reg, first_registration_via_aaa_with_keygen)
{
	static const uint8_t nonce[16] = { 0xa0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	struct t_rrq q = first_reg("10.1.0.9");
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_AMR);
	cr_assert_eq(h.pending.inflight, 1);
	cr_assert_eq(h.r.msg.mn_aaa.spi, 256, "the AMR is built from the pending copy");
	uint64_t id = h.r.pending->id;

	/* A retransmission while pending sends no second AMR. */
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(h.ctr.retransmissions_pending, 1);

	struct aaa_answer a = aaa_success(id, nonce, "10.1.0.9");
	uint8_t key[KEYGEN_KEY_LEN];
	memcpy(key, a.key, sizeof key);
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	for (size_t i = 0; i < sizeof a.key; i++)
		cr_assert_eq(a.key[i], 0, "the answer's key copy is wiped");
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert_eq(m.home_addr, t_ip("10.1.0.9"));
	cr_assert(m.nai.p && m.nai.len == strlen(T_NAI));
	cr_assert(m.mn_ha_keyrep.present);
	cr_assert_eq(m.mn_ha_keyrep.lifetime, 3600);
	cr_assert_eq(m.mn_ha_keyrep.aaa_spi, 256);
	cr_assert_eq(m.mn_ha_keyrep.peer_spi, 4242, "HA SPI = the MN SPI of 42");
	cr_assert_eq(m.mn_ha_keyrep.alg, AUTH_HMAC_SHA1);
	cr_assert_eq(m.mn_ha_keyrep.replay, 2);
	cr_assert_eq(m.mn_ha_keyrep.nonce.len, 16);
	cr_assert(memcmp(m.mn_ha_keyrep.nonce.p, nonce, 16) == 0);
	cr_assert(m.nai.p < h.r.reply + m.mn_ha_keyrep.off && m.mn_ha_keyrep.off < m.mn_ha.off, "NAI, 43, then 32");
	cr_assert_eq(m.mn_ha.spi, 4242);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, key, sizeof key), "signed with the NEW key");
	struct sa *sa = sa_find(&h.sas, t_ip("10.1.0.9"));
	cr_assert(sa && sa->spi == 4242 && sa->alg == AUTH_HMAC_SHA1 && !sa->is_static);
	cr_assert_eq(sa->entry.timer.at, h.now.sec + 3600);
	cr_assert_eq(h.ctr.reg_aaa, 1);
	cr_assert_eq(h.pending.inflight, 0);

	/* A retransmission after the answer gets the same reply. */
	uint8_t first[REG_REPLY_MAX];
	size_t first_len = h.r.reply_len;
	memcpy(first, h.r.reply, first_len);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.reply_len, first_len);
	cr_assert(memcmp(h.r.reply, first, first_len) == 0);

	/* Re-registration with the new SA is local. */
	t_ha_advance(&h, 1);
	struct t_rrq r = t_rrq_default(&h);
	r.home = "10.1.0.9";
	r.spi = 4242;
	r.alg = AUTH_HMAC_SHA1;
	r.key = key;
	r.key_len = sizeof key;
	t_send(&h, &r);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, 0);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, key, sizeof key));
	cr_assert_eq(h.ctr.reg_local, 1);
}

Test(ha_reg, replayed_first_registration_never_reaches_aaa)
{
	struct t_rrq q = first_reg("10.1.0.9");
	q.ident = h.now.ntp - ((uint64_t)60 << 32);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, 133);
	cr_assert_eq(h.pending.inflight, 0);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert(!m.mn_ha.present, "no SA: unsigned");
}

Test(ha_reg, replayed_rekey_of_known_mn_rejected_before_aaa)
{
	/* T_HOME has an SA that accepted q.ident; a KeyGen request replaying it is 133. */
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	struct t_rrq k = first_reg(T_HOME);
	k.ident = q.ident;
	k.coa = "192.0.2.1";
	t_send(&h, &k);
	cr_assert_eq(h.r.code, 133);
	cr_assert_eq(h.pending.inflight, 0);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16), "signed with the SA the MN holds");
	cr_assert_eq(binding_find(&h.bindings, t_ip(T_HOME))->coa, t_ip(T_COA));
}

Test(ha_reg, aaa_reject_144_unsigned_no_key_kept)
{
	struct t_rrq q = first_reg("10.1.0.9");
	t_send(&h, &q);
	struct aaa_answer a = { .pending_id = h.r.pending->id, .status = AAA_ANSWERED,
	                        .result_code = MIP4_RC_AUTHENTICATION_REJECTED };
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_BAD_AAA_AUTH);
	cr_assert(!m.mn_ha.present);
	cr_assert(m.nai.p, "NAI echoed");
	cr_assert_null(sa_find(&h.sas, t_ip("10.1.0.9")));
	cr_assert_eq(h.bindings.tab.count, 0);
}

Test(ha_reg, aaa_timeout_and_failure_130)
{
	struct t_rrq q = first_reg("10.1.0.9");
	t_send(&h, &q);
	struct aaa_answer a = { .pending_id = h.r.pending->id, .status = AAA_TIMED_OUT };
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.code, REG_CODE_NO_RESOURCES);
	q.ident += 1;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_AMR);
	a = (struct aaa_answer){ .pending_id = h.r.pending->id, .status = AAA_ANSWERED,
	                         .result_code = MIP4_RC_UNABLE_TO_DELIVER };
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.code, REG_CODE_NO_RESOURCES);
	cr_assert_null(sa_find(&h.sas, t_ip("10.1.0.9")));
}

Test(ha_reg, success_without_key_is_128)
{
	struct t_rrq q = first_reg("10.1.0.9");
	t_send(&h, &q);
	struct aaa_answer a = { .pending_id = h.r.pending->id, .status = AAA_ANSWERED,
	                        .result_code = MIP4_RC_SUCCESS, .has_mn_addr = true, .mn_addr = t_ip("10.1.0.9") };
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.code, REG_CODE_UNSPECIFIED);
	cr_assert_null(sa_find(&h.sas, t_ip("10.1.0.9")));
}

Test(ha_reg, pending_cap_130)
{
	char home[32];
	for (int i = 0; i < 4; i++) {
		snprintf(home, sizeof home, "10.1.1.%d", i + 1);
		struct t_rrq q = first_reg(home);
		q.ident += (uint64_t)i;
		t_send(&h, &q);
		cr_assert_eq(h.r.out, REG_OUT_AMR);
	}
	struct t_rrq q = first_reg("10.1.1.9");
	q.ident += 9;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, REG_CODE_NO_RESOURCES);
	cr_assert_eq(h.pending.inflight, 4);
}

Test(ha_reg, late_answer_ignored)
{
	struct aaa_answer a = { .pending_id = 12345, .status = AAA_ANSWERED, .result_code = 2001, .has_key = true };
	a.key[0] = 7;
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(a.key[0], 0);
}

Test(ha_reg, result_code_mapping)
{
	cr_assert_eq(reg_code_for_result(2001), 0);
	cr_assert_eq(reg_code_for_result(4001), 144);
	cr_assert_eq(reg_code_for_result(5003), 129);
	cr_assert_eq(reg_code_for_result(3002), 130);
	cr_assert_eq(reg_code_for_result(4006), 130);
	cr_assert_eq(reg_code_for_result(5012), 128);
}

Test(ha_reg, binding_expires_on_timer)
{
	struct t_rrq q = t_rrq_default(&h);
	q.lifetime = 30;
	t_send(&h, &q);
	binding_expire(&h.bindings, h.now.sec + 29, NULL, NULL);
	cr_assert_eq(h.bindings.tab.count, 1);
	binding_expire(&h.bindings, h.now.sec + 30, NULL, NULL);
	cr_assert_eq(h.bindings.tab.count, 0);
}

Test(ha_reg, lifetime_capped_by_sa_lifetime)
{
	struct sa_params p = { .spi = T_SPI, .alg = AUTH_HMAC_MD5, .replay = 2, .key = t_key, .key_len = 16,
	                       .expires = h.now.sec + 100 };
	cr_assert(sa_install(&h.sas, t_ip(T_HOME), &p));
	struct t_rrq q = t_rrq_default(&h);
	t_send(&h, &q);
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, 100);
}

/* ---- reserved SPIs (RFC 5944 §1.6; CHAP_SPI 2 is the one defined below 256, RFC 4721) ---- */

Test(ha_reg, reserved_keygen_spi_134_before_aaa)
{
	struct t_rrq q = first_reg("10.1.0.9");
	q.mn_spi = 100;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_POORLY_FORMED);
	cr_assert_eq(h.pending.inflight, 0, "no AMR for a reserved SPI");
	cr_assert_null(sa_find(&h.sas, t_ip("10.1.0.9")));
	q.mn_spi = 255;
	q.ident += 1;
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_POORLY_FORMED);
	q.mn_spi = 256;
	q.ident += 1;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_AMR, "256 is the first usable SPI");
}

Test(ha_reg, reserved_mn_aaa_spi_134_before_aaa)
{
	struct t_rrq q = first_reg("10.1.0.9");
	q.aaa_spi = 100;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, REG_CODE_POORLY_FORMED);
	cr_assert_eq(h.pending.inflight, 0);
	q.aaa_spi = REG_SPI_CHAP;
	q.ident += 1;
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_AMR, "CHAP_SPI (2) has a defined meaning: passed to the AAA");
}

Test(ha_reg, reserved_keygen_spi_with_mn_ha_auth_134_signed)
{
	/* A node holding an SA asks to re-key under SPI 7: refused, signed with its SA. */
	struct t_rrq q = t_rrq_default(&h);
	q.nai = T_NAI;
	t_send(&h, &q);
	struct t_rrq k = first_reg(T_HOME);
	k.mn_spi = 7;
	k.ident = q.ident + 1;
	t_send(&h, &k);
	cr_assert_eq(h.r.code, REG_CODE_POORLY_FORMED);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16));
	cr_assert_eq(sa_find(&h.sas, t_ip(T_HOME))->spi, T_SPI, "the SA is untouched");
}

/* ---- the cached reply of an AAA-authenticated request (RFC 5944 §5.7) ---- */

static void first_reg_accepted(struct t_rrq *q, uint8_t key[KEYGEN_KEY_LEN], uint8_t *reply, size_t *reply_len)
{
	static const uint8_t nonce[16] = { 0xb0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	*q = first_reg("10.1.0.9");
	t_send(&h, q);
	cr_assert_eq(h.r.out, REG_OUT_AMR);
	struct aaa_answer a = aaa_success(h.r.pending->id, nonce, "10.1.0.9");
	memcpy(key, a.key, KEYGEN_KEY_LEN);
	reg_process_answer(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.code, 0);
	memcpy(reply, h.r.reply, h.r.reply_len);
	*reply_len = h.r.reply_len;
}

static struct t_rrq rereg_with(const uint8_t key[KEYGEN_KEY_LEN], uint16_t lifetime)
{
	struct t_rrq r = t_rrq_default(&h);
	r.home = "10.1.0.9";
	r.spi = 4242;
	r.alg = AUTH_HMAC_SHA1;
	r.key = key;
	r.key_len = KEYGEN_KEY_LEN;
	r.lifetime = lifetime;
	return r;
}

Test(ha_reg, cached_reply_answers_a_copy_of_the_latest_request)
{
	struct t_rrq q;
	uint8_t key[KEYGEN_KEY_LEN], reply[REG_REPLY_MAX];
	size_t reply_len;
	first_reg_accepted(&q, key, reply, &reply_len);
	uint16_t granted = h.r.lifetime;
	t_ha_advance(&h, 1);
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.reply_len, reply_len);
	cr_assert(memcmp(h.r.reply, reply, reply_len) == 0, "the same reply");
	/* What the log line reports is the reply that went out. */
	cr_assert(h.r.cached);
	cr_assert_eq(h.r.code, 0);
	cr_assert_eq(h.r.lifetime, granted);
	cr_assert_eq(h.r.home_addr, t_ip("10.1.0.9"));
	cr_assert_eq(h.ctr.retransmissions_replayed, 1);
}

Test(ha_reg, cached_reply_refused_after_later_registrations_133)
{
	struct t_rrq q;
	uint8_t key[KEYGEN_KEY_LEN], reply[REG_REPLY_MAX];
	size_t reply_len;
	first_reg_accepted(&q, key, reply, &reply_len);
	t_ha_advance(&h, 1);
	struct t_rrq r = rereg_with(key, 300);
	t_send(&h, &r);
	cr_assert_eq(h.r.code, 0);
	t_ha_advance(&h, 1);
	r = rereg_with(key, 0);
	r.coa = "10.1.0.9";
	t_send(&h, &r);
	cr_assert_eq(h.r.code, 0);
	cr_assert_null(binding_find(&h.bindings, t_ip("10.1.0.9")), "deregistered");

	/* The old first registration again, inside the replay window. */
	t_ha_advance(&h, 1);
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_ID_MISMATCH, "an older request is a replay");
	cr_assert(!m.mn_ha_keyrep.present, "no old KeyGen Reply");
	cr_assert_eq((uint32_t)m.ident, (uint32_t)q.ident, "low 32 bits copied");
	cr_assert_eq(m.ident >> 32, h.now.ntp >> 32, "high 32 bits: the HA's time");
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, key, sizeof key), "signed with the SA the MN holds");
	cr_assert_null(binding_find(&h.bindings, t_ip("10.1.0.9")), "no binding revived");
	cr_assert_eq(h.pending.inflight, 0, "no AMR");
	cr_assert_eq(h.ctr.retransmissions_replayed, 0);
}

Test(ha_reg, cached_reply_refused_after_a_later_reregistration_133)
{
	struct t_rrq q;
	uint8_t key[KEYGEN_KEY_LEN], reply[REG_REPLY_MAX];
	size_t reply_len;
	first_reg_accepted(&q, key, reply, &reply_len);
	t_ha_advance(&h, 1);
	struct t_rrq r = rereg_with(key, 300);
	r.coa = "192.0.2.55";
	t_send(&h, &r);
	cr_assert_eq(h.r.code, 0);
	t_send(&h, &q);
	cr_assert_eq(h.r.code, REG_CODE_ID_MISMATCH);
	cr_assert_eq(binding_find(&h.bindings, t_ip("10.1.0.9"))->coa, t_ip("192.0.2.55"), "binding not moved back");
}

/* ---- HAR (FA care-of mode, RFC 4004 §5.3) ---- */

static struct aaa_answer har_of(const struct t_rrq *q, const uint8_t nonce[16], const uint8_t fa_key[20],
                                uint8_t *buf)
{
	struct aaa_answer a = aaa_success(0, nonce, q->home);
	a.har = true;
	a.rrq = buf;
	a.rrq_len = t_rrq_build(q, buf, 512);
	a.has_fa_key = true;
	a.fa_spi = 5000;
	memcpy(a.fa_key, fa_key, 20);
	a.fa_key_len = 20;
	return a;
}

Test(ha_reg, har_installs_keys_and_signs_reply_for_the_fa)
{
	static const uint8_t nonce[16] = { 0xb0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const uint8_t fa_key[20] = { 0xfa, 0xfa, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	static const uint8_t chal[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct t_rrq q = first_reg("10.1.0.9");
	q.coa = "192.0.2.77";
	q.challenge = chal;
	q.challenge_len = sizeof chal;
	uint8_t buf[512];
	struct aaa_answer a = har_of(&q, nonce, fa_key, buf);
	uint8_t key[KEYGEN_KEY_LEN];
	memcpy(key, a.key, sizeof key);
	reg_process_har(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(a.result_code, MIP4_RC_SUCCESS, "%s (code %u)", h.r.why, h.r.code);
	for (size_t i = 0; i < sizeof a.fa_key; i++)
		cr_assert_eq(a.fa_key[i] | a.key[i], 0, "the HAR's keys are wiped");
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert(m.mn_ha_keyrep.present && memcmp(m.mn_ha_keyrep.nonce.p, nonce, 16) == 0);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_SHA1, key, sizeof key), "signed with the new MN-HA key");
	cr_assert(m.challenge.p && m.challenge.len == sizeof chal, "challenge echoed for the FA");
	cr_assert(m.fa_ha.present && m.fa_ha.spi == 5000);
	cr_assert(auth_verify(h.st.auth, AUTH_HMAC_SHA1, fa_key, sizeof fa_key, &m, &m.fa_ha), "FA-HA auth, new key");
	const struct sa *fa = sa_find(&h.fa_sas, t_ip("192.0.2.77"));
	cr_assert(fa && fa->spi == 5000 && !fa->is_static);
	const struct binding *b = binding_find(&h.bindings, t_ip("10.1.0.9"));
	cr_assert(b && b->coa == t_ip("192.0.2.77"), "bound to the FA's care-of address");
	cr_assert_eq(h.ctr.har_requests, 1);
	cr_assert_eq(h.pending.inflight, 0, "no AMR, nothing pending");
}

Test(ha_reg, har_denied_leaves_nothing_installed)
{
	static const uint8_t nonce[16] = { 0xb1 };
	static const uint8_t fa_key[20] = { 0xfb };
	struct t_rrq q = first_reg("10.1.0.9");
	q.coa = "192.0.2.78";
	q.flags = REG_FLAG_M; /* minimal encapsulation: 139 */
	uint8_t buf[512];
	struct aaa_answer a = har_of(&q, nonce, fa_key, buf);
	reg_process_har(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(a.result_code, MIP4_RC_MIP_REPLY_FAILURE);
	cr_assert_eq(h.r.out, REG_OUT_REPLY);
	cr_assert_eq(h.r.code, REG_CODE_ENCAP_UNAVAILABLE);
	cr_assert_null(sa_find(&h.fa_sas, t_ip("192.0.2.78")));
	cr_assert_null(sa_find(&h.sas, t_ip("10.1.0.9")));
	cr_assert_eq(h.bindings.tab.count, 0);

	/* A replayed identification: 133, nothing installed either. */
	q.flags = 0;
	q.ident = h.now.ntp - (60ull << 32);
	a = har_of(&q, nonce, fa_key, buf);
	reg_process_har(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.code, REG_CODE_ID_MISMATCH);
	cr_assert_eq(a.result_code, MIP4_RC_MIP_REPLY_FAILURE);
	cr_assert_null(sa_find(&h.fa_sas, t_ip("192.0.2.78")));
}

Test(ha_reg, har_with_a_bad_request_is_5004)
{
	static const uint8_t nonce[16] = { 0xb2 };
	static const uint8_t fa_key[20] = { 0xfc };
	struct t_rrq q = first_reg("10.1.0.9");
	q.flags = REG_FLAG_D; /* co-located: never relayed by a foreign agent */
	uint8_t buf[512];
	struct aaa_answer a = har_of(&q, nonce, fa_key, buf);
	reg_process_har(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(h.r.out, REG_OUT_DROP);
	cr_assert_eq(a.result_code, MIP4_RC_INVALID_AVP_VALUE);
	a = har_of(&q, nonce, fa_key, buf);
	a.rrq_len = 10;
	reg_process_har(&h.st, &a, &h.now, &h.r);
	cr_assert_eq(a.result_code, MIP4_RC_INVALID_AVP_VALUE);
	cr_assert_eq(h.bindings.tab.count, 0);
	cr_assert_eq(h.fa_sas.tab.count, 1, "only the configured FA-HA association");
}
