#include "mip4-ha/reg_process.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "dict/dict_mip4.h"
#include "lib/log.h"
#include "lib/replay.h"
#include "mip4-ha/reg_internal.h"
#include "mip4-ha/reg_zn.h"

struct reg_signer reg_signer_of(const struct sa *sa)
{
	struct reg_signer s = { 0 };
	if (sa) {
		s.spi = sa->spi;
		s.alg = (enum auth_alg)sa->alg;
		s.key = sa->key;
		s.key_len = sa->key_len;
	}
	return s;
}

/* The FA-HA association with the sender of a request (a foreign agent relaying
 * it: RFC 5944 §3.8.2.1 c, d), or NULL. */
static const struct sa *reg_fa_sa(const struct reg_state *st, const struct reg_result *r)
{
	return st->fa_sas ? sa_find(st->fa_sas, r->dest.sin_addr.s_addr) : NULL;
}

/* Build the reply into r.  m may be NULL (unparsable request: no NAI to echo).
 * After the MN-HA authenticator come what only the foreign agent reads: the
 * challenge echoed (RFC 4721 §3.4) and, with an FA-HA association, the FA-HA
 * authenticator over everything before it (RFC 5944 §3.8.3.3). */
void reg_reply(struct reg_state *st, struct reg_result *r, const struct reg_msg *m, uint8_t code,
                      uint16_t lifetime, uint32_t home_addr, uint64_t ident, const struct reg_keyrep *keyrep,
                      const struct reg_signer *sign)
{
	struct reg_builder b;
	struct reg_reply_fixed f = {
		.code = code, .lifetime = lifetime, .home_addr = home_addr, .ha_addr = st->conf->address, .ident = ident,
	};
	reg_build_init(&b, r->reply, sizeof r->reply);
	reg_build_reply(&b, &f);
	if (m && m->nai.p)
		reg_build_nai(&b, m->nai.p, m->nai.len);
	if (keyrep)
		reg_build_keyrep(&b, REG_EXT_MN_HA_KEYREP, keyrep);
	size_t auth_off = 0, fa_off = 0;
	if (sign && sign->key)
		auth_off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, sign->spi, auth_alg_len(sign->alg));
	if (auth_off && auth_sign(st->auth, sign->alg, sign->key, sign->key_len, r->reply, auth_off) != 0)
		auth_off = 0;
	if (m && m->challenge.p)
		reg_build_challenge(&b, m->challenge.p, m->challenge.len);
	const struct sa *fa = reg_fa_sa(st, r);
	if (fa) {
		fa_off = reg_build_auth(&b, REG_EXT_FA_HA_AUTH, fa->spi, auth_alg_len((enum auth_alg)fa->alg));
		if (fa_off && auth_sign(st->auth, (enum auth_alg)fa->alg, fa->key, fa->key_len, r->reply, fa_off) != 0)
			fa_off = 0;
	}
	if (b.err != REG_OK || (sign && sign->key && auth_off == 0) || (fa && fa_off == 0)) {
		/* Cannot happen with REG_REPLY_MAX bytes; refuse rather than send garbage. */
		OPENSSL_cleanse(r->reply, sizeof r->reply);
		r->out = REG_OUT_DROP;
		r->why = "reply-build-failed";
		return;
	}
	r->out = REG_OUT_REPLY;
	r->code = code;
	r->lifetime = lifetime;
	r->reply_len = b.len;
	counters_reply(st->ctr, code);
}

/* The checks every accepted request must pass, after authentication and the
 * replay check: 0, or the denial code. */
static uint8_t reg_validity(const struct reg_state *st, const struct reg_msg *m)
{
	if (m->ha_addr != st->conf->address)
		return REG_CODE_UNKNOWN_HA;
	if (m->home_addr != 0 && !conf_in_home_net(st->conf, m->home_addr))
		return REG_CODE_PROHIBITED;
	if ((m->flags & REG_FLAG_T) && !st->conf->reverse_tunnel)
		return REG_CODE_REVTUN_UNAVAILABLE;
	if (m->flags & (REG_FLAG_M | REG_FLAG_G))
		return REG_CODE_ENCAP_UNAVAILABLE;
	return 0;
}

static uint16_t reg_min16(uint32_t a, uint32_t b) { return (uint16_t)(a < b ? a : b); }

static uint32_t reg_remaining(uint32_t at, uint32_t now) { return at > now ? at - now : 0; }

bool reg_refused(struct reg_state *st, const struct reg_msg *m, uint64_t last_ident, const struct reg_now *now,
                        const struct reg_signer *sign, struct reg_result *r)
{
	enum replay_verdict v = replay_check(m->ident, now->ntp, st->conf->replay_window, last_ident);
	if (v != REPLAY_OK) {
		r->why = replay_verdict_str(v);
		reg_reply(st, r, m, REG_CODE_ID_MISMATCH, 0, m->home_addr, replay_reject_ident(m->ident, now->ntp), NULL,
		          sign);
		return true;
	}
	/* RFC 5944 §3.8.2.1 c: a relaying FA we share an association with must
	 * authenticate every request but deregistrations. */
	const struct sa *fa = reg_fa_sa(st, r);
	if (fa && m->lifetime != 0 &&
	    !(m->fa_ha.present && m->fa_ha.spi == fa->spi &&
	      auth_verify(st->auth, (enum auth_alg)fa->alg, fa->key, fa->key_len, m, &m->fa_ha))) {
		r->why = m->fa_ha.present ? "fa-ha-auth-failed" : "fa-ha-auth-missing";
		reg_reply(st, r, m, REG_CODE_FA_AUTH_FAILED, 0, m->home_addr, m->ident, NULL, sign);
		return true;
	}
	uint8_t code = reg_validity(st, m);
	if (code) {
		r->why = "invalid";
		reg_reply(st, r, m, code, 0, m->home_addr, m->ident, NULL, sign);
		return true;
	}
	return false;
}

bool reg_accept(struct reg_state *st, const struct reg_msg *m, uint32_t home_addr, struct sa *sa, uint32_t cap,
                const struct reg_now *now, uint8_t *code, uint16_t *lifetime, struct reg_result *r)
{
	struct binding *b = binding_find(st->bindings, home_addr);
	if (m->lifetime == 0) {
		if (b && (m->coa == home_addr || b->coa == m->coa))
			binding_remove(st->bindings, b);
		st->ctr->deregistrations++;
		if (sa)
			sa->last_ident = m->ident;
		r->changed |= REG_CHANGED_BINDING;
		*code = REG_CODE_ACCEPTED;
		*lifetime = 0;
		return true;
	}
	uint16_t life = reg_min16(m->lifetime, st->conf->max_lifetime);
	if (cap)
		life = reg_min16(life, cap);
	if (sa && wheel_armed(&sa->entry.timer))
		life = reg_min16(life, reg_remaining(sa->entry.timer.at, now->sec));
	if (life == 0) {
		/* The key ends now: nothing left to grant. */
		*code = REG_CODE_NO_RESOURCES;
		*lifetime = 0;
		return false;
	}
	if (!b && !(b = binding_get(st->bindings, home_addr))) {
		*code = REG_CODE_NO_RESOURCES;
		*lifetime = 0;
		return false;
	}
	b->coa = m->coa;
	b->ident = m->ident;
	b->since = now->sec;
	b->granted = life;
	b->code = (m->flags & REG_FLAG_S) ? REG_CODE_ACCEPTED_NO_SIMUL : REG_CODE_ACCEPTED;
	b->flags = m->flags;
	binding_arm(st->bindings, b, now->sec + life);
	if (sa)
		sa->last_ident = m->ident;
	r->changed |= REG_CHANGED_BINDING;
	*code = b->code;
	*lifetime = life;
	return true;
}

static void reg_local(struct reg_state *st, const struct reg_msg *m, struct sa *sa, const struct reg_now *now,
                      struct reg_result *r)
{
	struct reg_signer sign = reg_signer_of(sa);
	if (!auth_verify(st->auth, (enum auth_alg)sa->alg, sa->key, sa->key_len, m, &m->mn_ha)) {
		r->why = "mn-ha-auth-failed";
		reg_reply(st, r, m, REG_CODE_MN_AUTH_FAILED, 0, m->home_addr, m->ident, NULL, &sign);
		return;
	}
	struct binding *b = binding_find(st->bindings, m->home_addr);
	if (b && m->lifetime != 0 && b->ident == m->ident && b->coa == m->coa) {
		/* A retransmission of the accepted request: same answer, and never more
		 * lifetime than was first granted. */
		st->ctr->retransmissions_local++;
		r->why = "retransmission";
		uint16_t left = reg_min16(reg_remaining(b->entry.timer.at, now->sec), b->granted);
		reg_reply(st, r, m, b->code, left, m->home_addr, m->ident, NULL, &sign);
		return;
	}
	if (m->lifetime == 0 && m->ident == sa->last_ident && !(b && b->coa == m->coa)) {
		/* A retransmission of the accepted deregistration: nothing left to drop. */
		st->ctr->retransmissions_local++;
		r->why = "retransmission";
		reg_reply(st, r, m, REG_CODE_ACCEPTED, 0, m->home_addr, m->ident, NULL, &sign);
		return;
	}
	if (reg_refused(st, m, sa->last_ident, now, &sign, r))
		return;
	uint8_t code = 0;
	uint16_t life;
	if (!reg_accept(st, m, m->home_addr, sa, 0, now, &code, &life, r)) {
		r->why = "no-binding-space";
		reg_reply(st, r, m, code, 0, m->home_addr, m->ident, NULL, &sign);
		return;
	}
	st->ctr->reg_local++;
	r->why = m->lifetime == 0 ? "deregistered" : "registered";
	reg_reply(st, r, m, code, life, m->home_addr, m->ident, NULL, &sign);
}

/* A copy of an AAA- or Zn-authenticated request whose reply is still cached.  The
 * cached reply may answer it only while that request is the latest one
 * accepted for the binding (RFC 5944 §5.7): after a later registration or
 * deregistration the copy is a replay, answered 133 like any other. */
static void reg_cached(struct reg_state *st, const struct reg_msg *m, const struct pending *p, const struct reg_now *now,
                       struct reg_result *r)
{
	uint8_t code = p->rrp[1];
	uint32_t home;
	memcpy(&home, p->rrp + 4, 4);
	struct sa *sa = home ? sa_find(st->sas, home) : NULL;
	bool current;
	if (code == REG_CODE_ACCEPTED || code == REG_CODE_ACCEPTED_NO_SIMUL) {
		const struct binding *b = binding_find(st->bindings, home);
		current = sa && sa->last_ident == m->ident && (m->lifetime == 0 || (b && b->ident == m->ident));
	} else {
		current = !sa || sa->last_ident < m->ident;
	}
	r->home_addr = home;
	if (!current) {
		struct reg_signer sign = reg_signer_of(sa);
		r->why = "replay-of-an-older-request";
		reg_reply(st, r, m, REG_CODE_ID_MISMATCH, 0, home, replay_reject_ident(m->ident, now->ntp), NULL, &sign);
		return;
	}
	st->ctr->retransmissions_replayed++;
	memcpy(r->reply, p->rrp, p->rrp_len);
	r->reply_len = p->rrp_len;
	r->out = REG_OUT_REPLY;
	r->cached = m->mn_aaa.present ? "aaa" : "zn";
	r->code = code;
	r->lifetime = (uint16_t)(p->rrp[2] << 8 | p->rrp[3]);
	r->why = "retransmission";
	counters_reply(st->ctr, code);
}

bool reg_no_binding_room(const struct reg_state *st, const struct reg_msg *m, uint32_t home_addr)
{
	return m->lifetime && !binding_find(st->bindings, home_addr) && st->bindings->tab.count >= st->bindings->tab.max;
}

bool reg_retransmission(struct reg_state *st, const struct reg_msg *m, const struct reg_now *now, struct reg_result *r)
{
	const uint8_t *mn;
	size_t mn_len;
	pending_mn_key(m, &mn, &mn_len);
	struct pending *p = pending_find(st->pending, mn, mn_len, m->ident);
	if (p && !p->answered) {
		st->ctr->retransmissions_pending++;
		r->out = REG_OUT_DROP;
		r->why = "retransmission-while-pending";
		r->logged_outcome = false;
		return true;
	}
	const struct reg_bytes *auth = pending_auth(m);
	if (p && p->auth_len == auth->len && CRYPTO_memcmp(p->auth, auth->p, p->auth_len) == 0 &&
	    p->rrp_len >= REG_RRP_FIXED_LEN && p->rrp_len <= sizeof r->reply) {
		reg_cached(st, m, p, now, r);
		return true;
	}
	return false;
}

void reg_pend(struct reg_state *st, const struct reg_msg *m, const struct sockaddr_in *src, const struct reg_now *now,
              enum reg_outcome out, const struct reg_signer *sign, struct reg_result *r)
{
	struct pending *p = pending_add(st->pending, m, src, &now->mono);
	if (!p) {
		r->why = "pending-cap";
		reg_reply(st, r, m, REG_CODE_NO_RESOURCES, 0, m->home_addr, m->ident, NULL, sign);
		return;
	}
	if (reg_parse_request(p->rrq, p->rrq_len, &r->msg) != REG_OK) {
		/* The copy of a request that parsed cannot fail to parse. */
		pending_remove(st->pending, p);
		r->out = REG_OUT_DROP;
		r->why = "internal";
		return;
	}
	r->out = out;
	r->pending = p;
	r->logged_outcome = false;
	r->why = out == REG_OUT_AMR ? "amr" : "zn";
}

static void reg_to_aaa(struct reg_state *st, const struct reg_msg *m, struct sa *sa, const struct sockaddr_in *src,
                       const struct reg_now *now, struct reg_result *r)
{
	struct reg_signer sign = reg_signer_of(sa);
	if (reg_retransmission(st, m, now, r) || reg_refused(st, m, sa ? sa->last_ident : 0, now, &sign, r))
		return;
	reg_pend(st, m, src, now, REG_OUT_AMR, &sign, r);
}

void reg_process_request(struct reg_state *st, const uint8_t *buf, size_t len, const struct sockaddr_in *src,
                         const struct reg_now *now, struct reg_result *r)
{
	memset(r, 0, offsetof(struct reg_result, reply));
	r->out = REG_OUT_DROP;
	r->dest = *src;
	r->logged_outcome = true;
	st->ctr->requests++;

	struct reg_msg m;
	enum reg_err e = reg_parse_request(buf, len, &m);
	uint32_t hoa = 0;
	if (len >= REG_RRQ_FIXED_LEN) {
		memcpy(&hoa, buf + 4, 4);
		memcpy(&r->coa, buf + 12, 4);
	}
	r->home_addr = hoa;
	if (st->describe)
		reg_describe_mn(e == REG_OK ? &m : NULL, hoa, r->mn, REG_MN_TEXT);
	if (e != REG_OK) {
		st->ctr->malformed[e < REG_ERR__COUNT ? e : 0]++;
		r->why = reg_err_str(e);
		if (reg_err_action(e) != REG_ACT_REPLY || len < REG_RRQ_FIXED_LEN || buf[0] != REG_TYPE_RRQ) {
			r->logged_outcome = false;
			return;
		}
		uint64_t ident = 0;
		for (int i = 16; i < 24; i++)
			ident = ident << 8 | buf[i];
		struct sa *sa = hoa ? sa_find(st->sas, hoa) : NULL;
		struct reg_signer sign = reg_signer_of(sa);
		reg_reply(st, r, NULL, reg_err_code(e), 0, hoa, ident, NULL, &sign);
		/* Malformed input is logged at debug, rate-limited, not as an outcome. */
		r->logged_outcome = false;
		return;
	}
	if (m.fa_ha.present && !reg_fa_sa(st, r)) {
		/* RFC 5944 §3.8.2.1 d: an FA-HA authenticator we cannot check. */
		st->ctr->discarded_fa_auth++;
		r->why = "fa-ha-auth-without-association";
		r->logged_outcome = false;
		return;
	}
	struct sa *sa = hoa ? sa_find(st->sas, hoa) : NULL;
	if (reg_zn_wants(st, &m, sa)) {
		reg_zn_request(st, &m, sa, src, now, r);
		return;
	}
	bool mhae = m.mn_ha.present && sa && m.mn_ha.spi == sa->spi;
	bool aaa = m.mn_aaa.present && m.nai.p && st->aaa_enabled;
	if (!mhae && !aaa) {
		if (m.mn_aaa.present && !st->aaa_enabled)
			st->ctr->discarded_no_aaa++;
		else
			st->ctr->discarded_no_auth++;
		r->why = "no-usable-authentication";
		r->logged_outcome = false;
		return;
	}
	if ((m.mn_ha_keyreq.present && m.mn_ha_keyreq.mn_spi < REG_SPI_MIN) ||
	    (m.mn_aaa.present && m.mn_aaa.spi < REG_SPI_MIN && m.mn_aaa.spi != REG_SPI_CHAP)) {
		/* SPIs 0-255 are reserved and never name a mobility security
		 * association (RFC 5944 §1.6); below 256 only CHAP_SPI has a meaning
		 * (RFC 4721).  A request asking for one is poorly formed. */
		struct reg_signer sign = reg_signer_of(sa);
		r->why = "reserved-spi";
		reg_reply(st, r, &m, REG_CODE_POORLY_FORMED, 0, m.home_addr, m.ident, NULL, &sign);
		return;
	}
	if (aaa && (!mhae || m.mn_ha_keyreq.present))
		reg_to_aaa(st, &m, sa, src, now, r);
	else
		reg_local(st, &m, sa, now, r);
}

static void reg_answer_success(struct reg_state *st, struct aaa_answer *a, const struct reg_msg *m,
                               const struct reg_now *now, struct reg_result *r);

static void reg_har_wipe(struct aaa_answer *a)
{
	OPENSSL_cleanse(a->key, sizeof a->key);
	OPENSSL_cleanse(a->fa_key, sizeof a->fa_key);
}

void reg_process_har(struct reg_state *st, struct aaa_answer *a, const struct reg_now *now, struct reg_result *r)
{
	memset(r, 0, offsetof(struct reg_result, reply));
	r->out = REG_OUT_DROP;
	r->logged_outcome = true;
	st->ctr->har_requests++;
	struct reg_msg m;
	if (!a->rrq || reg_parse_request(a->rrq, a->rrq_len, &m) != REG_OK || !m.mn_aaa.present || !m.nai.p ||
	    m.coa == 0 || (m.flags & REG_FLAG_D)) {
		/* Only a request relayed by a foreign agent comes in a HAR. */
		r->why = "har-bad-request";
		a->result_code = MIP4_RC_INVALID_AVP_VALUE;
		reg_har_wipe(a);
		return;
	}
	r->home_addr = m.home_addr;
	r->coa = m.coa;
	r->dest.sin_family = AF_INET;
	r->dest.sin_port = htons(REG_PORT);
	r->dest.sin_addr.s_addr = m.coa;
	reg_describe_mn(&m, m.home_addr, r->mn, REG_MN_TEXT);
	struct sa *old = m.home_addr ? sa_find(st->sas, m.home_addr) : NULL;
	struct reg_signer old_sign = reg_signer_of(old);
	enum replay_verdict v = replay_check(m.ident, now->ntp, st->conf->replay_window, old ? old->last_ident : 0);
	uint8_t code = v == REPLAY_OK ? reg_validity(st, &m) : REG_CODE_ID_MISMATCH;
	struct sa *fa = NULL;
	if (code == 0 && a->has_fa_key && st->fa_sas) {
		struct sa_params fp = {
			.spi = a->fa_spi, .alg = AUTH_HMAC_SHA1, .key = a->fa_key, .key_len = a->fa_key_len,
			.expires = a->has_msa_lifetime && a->msa_lifetime ? now->sec + a->msa_lifetime : 0,
		};
		const struct sa *cur = sa_find(st->fa_sas, m.coa);
		if (cur && cur->is_static) {
			/* A configured association with this agent stays the one in force. */
			r->why = "har-fa-has-static-association";
			code = REG_CODE_FA_AUTH_FAILED;
		} else if (!(fa = sa_install(st->fa_sas, m.coa, &fp))) {
			code = REG_CODE_NO_RESOURCES;
		}
	}
	if (code) {
		if (!r->why)
			r->why = v != REPLAY_OK ? replay_verdict_str(v) : "invalid";
		reg_reply(st, r, &m, code, 0, m.home_addr,
		          v != REPLAY_OK ? replay_reject_ident(m.ident, now->ntp) : m.ident, NULL, &old_sign);
	} else {
		reg_answer_success(st, a, &m, now, r);
	}
	if (fa && !(r->out == REG_OUT_REPLY && r->code <= REG_CODE_ACCEPTED_NO_SIMUL))
		sa_remove(st->fa_sas, fa);
	a->result_code = r->out != REG_OUT_REPLY                 ? MIP4_RC_UNABLE_TO_COMPLY
	                 : r->code <= REG_CODE_ACCEPTED_NO_SIMUL ? MIP4_RC_SUCCESS
	                                                         : MIP4_RC_MIP_REPLY_FAILURE;
	reg_har_wipe(a);
}

uint8_t reg_code_for_result(uint32_t rc)
{
	switch (rc) {
	case MIP4_RC_SUCCESS:
		return REG_CODE_ACCEPTED;
	case MIP4_RC_AUTHENTICATION_REJECTED:
		return REG_CODE_BAD_AAA_AUTH;
	case MIP4_RC_AUTHORIZATION_REJECTED:
		return REG_CODE_PROHIBITED;
	default:
		/* 3xxx protocol errors (no route, busy) and 4xxx transient failures: try
		 * again later; permanent 5xxx failures: no better code exists. */
		if (rc >= 3000 && rc < 5000)
			return REG_CODE_NO_RESOURCES;
		return REG_CODE_UNSPECIFIED;
	}
}

static uint16_t reg_keyrep_alg(uint32_t mip_alg)
{
	/* MIP-Algorithm-Type 2 and RFC 3957 Algorithm Identifier 2 both mean HMAC-SHA-1. */
	return mip_alg == 0 || mip_alg == MIP4_ALG_HMAC_SHA1 ? AUTH_HMAC_SHA1 : 0;
}

static void reg_answer_success(struct reg_state *st, struct aaa_answer *a, const struct reg_msg *m,
                               const struct reg_now *now, struct reg_result *r)
{
	uint32_t hoa = a->has_mn_addr ? a->mn_addr : m->home_addr;
	r->home_addr = hoa;
	struct sa *old = hoa ? sa_find(st->sas, hoa) : NULL;
	struct reg_signer old_sign = reg_signer_of(old);
	if (hoa == 0 || hoa == 0xffffffffu || !conf_in_home_net(st->conf, hoa)) {
		r->why = "aaa-address-outside-home-networks";
		reg_reply(st, r, m, REG_CODE_PROHIBITED, 0, m->home_addr, m->ident, NULL, &old_sign);
		return;
	}
	if (old && old->last_ident >= m->ident) {
		/* Another registration of this MN was accepted while we waited. */
		r->why = "not-newer";
		reg_reply(st, r, m, REG_CODE_ID_MISMATCH, 0, hoa, replay_reject_ident(m->ident, now->ntp), NULL, &old_sign);
		return;
	}
	uint32_t cap = 0xffff;
	if (a->has_auth_lifetime && a->auth_lifetime && a->auth_lifetime < cap)
		cap = a->auth_lifetime;
	if (a->has_msa_lifetime && a->msa_lifetime && a->msa_lifetime < cap)
		cap = a->msa_lifetime;

	if (!m->mn_ha_keyreq.present) {
		/* Authorised by the AAA without a new key: sign with the SA we hold, if any. */
		uint8_t code;
		uint16_t life;
		if (!reg_accept(st, m, hoa, old, cap, now, &code, &life, r)) {
			r->why = "no-binding-space";
			reg_reply(st, r, m, code, 0, hoa, m->ident, NULL, &old_sign);
			return;
		}
		st->ctr->reg_aaa++;
		r->why = m->lifetime == 0 ? "deregistered" : "registered";
		reg_reply(st, r, m, code, life, hoa, m->ident, NULL, &old_sign);
		return;
	}
	uint16_t alg = reg_keyrep_alg(a->alg);
	uint32_t replay = a->replay_mode ? a->replay_mode : MIP4_REPLAY_TIMESTAMPS;
	if (!a->has_key || !a->has_nonce || a->key_len == 0 || a->nonce_len < REG_NONCE_MIN || alg == 0 ||
	    replay != MIP4_REPLAY_TIMESTAMPS) {
		r->why = "aaa-answer-without-usable-key";
		reg_reply(st, r, m, REG_CODE_UNSPECIFIED, 0, hoa, m->ident, NULL, &old_sign);
		return;
	}
	if (reg_no_binding_room(st, m, hoa)) {
		r->why = "no-binding-space";
		reg_reply(st, r, m, REG_CODE_NO_RESOURCES, 0, hoa, m->ident, NULL, &old_sign);
		return;
	}
	struct sa_params sp = {
		.spi = m->mn_ha_keyreq.mn_spi,
		.alg = (enum auth_alg)alg,
		.replay = (uint8_t)replay,
		.key = a->key,
		.key_len = a->key_len,
		.expires = a->has_msa_lifetime && a->msa_lifetime ? now->sec + a->msa_lifetime : 0,
		.is_static = false,
	};
	struct sa *sa = sa_install(st->sas, hoa, &sp);
	if (sa)
		r->changed |= REG_CHANGED_SA;
	if (!sa) {
		r->why = "no-sa-space";
		reg_reply(st, r, m, REG_CODE_NO_RESOURCES, 0, hoa, m->ident, NULL, &old_sign);
		return;
	}
	uint8_t code;
	uint16_t life;
	if (!reg_accept(st, m, hoa, sa, cap, now, &code, &life, r)) {
		/* The MN never learns this key: do not keep it. */
		sa_remove(st->sas, sa);
		r->why = "no-binding-space";
		reg_reply(st, r, m, code, 0, hoa, m->ident, NULL, NULL);
		return;
	}
	struct reg_keyrep kr = {
		.present = true,
		.subtype = REG_KEYGEN_FROM_AAA,
		.lifetime = a->has_msa_lifetime ? a->msa_lifetime : 0,
		.aaa_spi = m->mn_aaa.spi,
		.peer_spi = m->mn_ha_keyreq.mn_spi,
		.alg = alg,
		.replay = (uint16_t)replay,
		.nonce = { a->nonce, a->nonce_len },
	};
	struct reg_signer sign = reg_signer_of(sa);
	st->ctr->reg_aaa++;
	r->why = m->lifetime == 0 ? "deregistered" : "registered";
	reg_reply(st, r, m, code, life, hoa, m->ident, &kr, &sign);
}

/* The answer is used: wipe its key; keep the reply for retransmissions. */
static void reg_answer_done(struct reg_state *st, struct pending *p, struct aaa_answer *a, const struct reg_now *now,
                            struct reg_result *r)
{
	OPENSSL_cleanse(a->key, sizeof a->key);
	if (r->out == REG_OUT_REPLY) {
		if (pending_answered(st->pending, p, r->reply, r->reply_len, now->sec + st->conf->replay_window))
			r->changed |= REG_CHANGED_REPLY;
	} else {
		pending_remove(st->pending, p);
	}
}

void reg_process_answer(struct reg_state *st, struct aaa_answer *a, const struct reg_now *now, struct reg_result *r)
{
	memset(r, 0, offsetof(struct reg_result, reply));
	r->out = REG_OUT_DROP;
	struct pending *p = pending_by_id(st->pending, a->pending_id);
	struct reg_msg m;
	if (!p || p->answered || reg_parse_request(p->rrq, p->rrq_len, &m) != REG_OK) {
		r->why = "late-answer";
		OPENSSL_cleanse(a->key, sizeof a->key);
		return;
	}
	r->logged_outcome = true;
	r->dest = p->src;
	r->home_addr = m.home_addr;
	r->coa = m.coa;
	reg_describe_mn(&m, m.home_addr, r->mn, REG_MN_TEXT);
	if (!m.mn_aaa.present) {
		/* Only method 2 requests wait without an MN-AAA extension. */
		reg_zn_answer(st, a, &m, now, r);
		reg_answer_done(st, p, a, now, r);
		return;
	}
	struct sa *sa = m.home_addr ? sa_find(st->sas, m.home_addr) : NULL;
	struct reg_signer sign = reg_signer_of(sa);
	switch (a->status) {
	case AAA_TIMED_OUT:
		r->why = "aaa-timeout";
		reg_reply(st, r, &m, REG_CODE_NO_RESOURCES, 0, m.home_addr, m.ident, NULL, &sign);
		break;
	case AAA_FAILED:
		r->why = "aaa-unreachable";
		reg_reply(st, r, &m, REG_CODE_NO_RESOURCES, 0, m.home_addr, m.ident, NULL, &sign);
		break;
	case AAA_ANSWERED:
		if (a->result_code == MIP4_RC_SUCCESS) {
			reg_answer_success(st, a, &m, now, r);
		} else {
			r->why = "aaa-rejected";
			reg_reply(st, r, &m, reg_code_for_result(a->result_code), 0, m.home_addr, m.ident, NULL, &sign);
		}
		break;
	}
	reg_answer_done(st, p, a, now, r);
}
