/*
 * mip4-ha and registrations relayed by a foreign agent (RFC 5944 §3.8.2.1 c, d,
 * §3.8.3.3, RFC 4721 §3.4): the care-of address is the FA's, the request comes
 * from the FA, the FA-HA authenticator is checked when the HA shares an
 * association with that FA, and the reply carries the challenge echo and the
 * FA-HA authenticator after the MN-HA one.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/unit/test_ha_support.h"

static struct t_ha h;
static const uint8_t chal[8] = { 0xc0, 0xff, 0xee, 1, 2, 3, 4, 5 };
static const uint8_t wrong_key[16] = { 9 };

static void setup(void)
{
	t_ha_init(&h, 4);
	h.src.sin_addr.s_addr = t_ip(T_FA); /* relayed: from the FA's care-of address */
	h.src.sin_port = htons(434);
}

static void teardown(void) { t_ha_fini(&h); }

TestSuite(ha_relay, .init = setup, .fini = teardown);

static struct t_rrq relayed(void)
{
	struct t_rrq q = t_rrq_default(&h);
	q.coa = T_FA;
	q.fa_key = t_fa_key;
	return q;
}

/* The reply's FA-HA authenticator verifies with the FA's key. */
static bool fa_signed(const struct reg_msg *m)
{
	if (!m->fa_ha.present || m->fa_ha.spi != T_FA_SPI)
		return false;
	struct auth_ctx *ctx = auth_ctx_new();
	bool ok = auth_verify(ctx, AUTH_HMAC_MD5, t_fa_key, 16, m, &m->fa_ha);
	auth_ctx_free(ctx);
	return ok;
}

Test(ha_relay, relayed_request_accepted_with_fa_ha_authentication)
{
	struct t_rrq q = relayed();
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16));
	cr_assert(fa_signed(&m), "the reply to an FA we share an association with carries FA-HA auth");
	cr_assert_gt(m.fa_ha.off, m.mn_ha.off, "FA-HA after MN-HA (RFC 5944 §3.8.3.3)");
	cr_assert_eq(h.r.dest.sin_addr.s_addr, t_ip(T_FA), "the reply goes back to the FA");
	cr_assert_eq(ntohs(h.r.dest.sin_port), 434);
	struct binding *b = binding_find(&h.bindings, t_ip(T_HOME));
	cr_assert(b);
	cr_assert_eq(b->coa, t_ip(T_FA), "the care-of address is the FA's");
}

Test(ha_relay, missing_fa_ha_authentication_is_132)
{
	struct t_rrq q = relayed();
	q.fa_key = NULL;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_FA_AUTH_FAILED);
	cr_assert(t_reply_signed_by(&h, AUTH_HMAC_MD5, t_key, 16), "132 is signed for the MN");
	cr_assert(fa_signed(&m), "and for the FA");
	cr_assert_null(binding_find(&h.bindings, t_ip(T_HOME)));
	cr_assert_eq(h.ctr.denied[132], 1);
}

Test(ha_relay, wrong_fa_ha_authenticator_is_132)
{
	struct t_rrq q = relayed();
	q.fa_key = wrong_key;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_FA_AUTH_FAILED);
	cr_assert_str_eq(h.r.why, "fa-ha-auth-failed");
	cr_assert_null(binding_find(&h.bindings, t_ip(T_HOME)));
}

Test(ha_relay, identification_is_checked_before_the_fa)
{
	/* RFC 5944 §3.8.2.1: b (Identification) before c (FA-HA). */
	struct t_rrq q = relayed();
	q.fa_key = NULL;
	q.ident = h.now.ntp - ((uint64_t)100 << 32);
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, REG_CODE_ID_MISMATCH);
}

Test(ha_relay, deregistration_needs_no_fa_ha_authentication)
{
	struct t_rrq q = relayed();
	t_send(&h, &q);
	t_ha_advance(&h, 1);
	q = relayed();
	q.fa_key = NULL;
	q.lifetime = 0;
	q.ident = h.now.ntp + 1;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0, "RFC 5944 §3.8.2.1 c: only non-zero lifetimes");
	cr_assert_null(binding_find(&h.bindings, t_ip(T_HOME)));
}

Test(ha_relay, fa_ha_authenticator_without_association_is_discarded)
{
	h.src.sin_addr.s_addr = t_ip("203.0.113.9");
	struct t_rrq q = relayed();
	q.coa = "203.0.113.9";
	t_send(&h, &q);
	cr_assert_eq(h.r.out, REG_OUT_DROP, "RFC 5944 §3.8.2.1 d");
	cr_assert_eq(h.ctr.discarded_fa_auth, 1);
	cr_assert_null(binding_find(&h.bindings, t_ip(T_HOME)));
}

Test(ha_relay, foreign_agent_without_association_is_served)
{
	h.src.sin_addr.s_addr = t_ip("203.0.113.9");
	struct t_rrq q = relayed();
	q.coa = "203.0.113.9";
	q.fa_key = NULL;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert_not(m.fa_ha.present, "no association: no FA-HA authenticator");
}

Test(ha_relay, challenge_is_echoed_after_the_mn_ha_authenticator)
{
	struct t_rrq q = relayed();
	q.challenge = chal;
	q.challenge_len = sizeof chal;
	t_send(&h, &q);
	struct reg_msg m;
	t_reply_parse(&h, &m);
	cr_assert_eq(m.code, 0);
	cr_assert(m.challenge.p, "RFC 4721 §3.4: the HA includes the challenge");
	cr_assert_eq(m.challenge.len, sizeof chal);
	cr_assert_arr_eq(m.challenge.p, chal, sizeof chal);
	cr_assert(m.challenge.p > m.mn_ha.authenticator.p, "after the MN-HA authentication extension");
	cr_assert(fa_signed(&m), "and covered by the FA-HA authenticator");
}
