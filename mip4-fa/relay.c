#include "mip4-fa/relay.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>

#include "lib/inet.h"

static uint64_t deadline_us_of(const struct relay_now *now, uint32_t seconds)
{
	return now->us + (uint64_t)seconds * 1000000u;
}

/* A node's challenge bookkeeping outlives its last request by this much. */
#define RELAY_MN_KEEP_S 600
/* RFC 5944 §3.7.2: no more than one denial a second to one node. */
#define RELAY_DENIAL_GAP_US 1000000u

/* Room for reloads that add associations without a restart. */
#define RELAY_SA_ROOM 4096

/* A reload replaces the configured associations; those from the AAA stay. */
static void relay_drop_sa(struct sa *s, void *arg)
{
	if (s->is_static)
		sa_remove(arg, s);
}

static size_t relay_install(struct sa_table *t, const struct conffile_sa *sas, size_t n)
{
	size_t done = 0;
	sa_foreach(t, relay_drop_sa, t);
	for (size_t i = 0; i < n; i++) {
		struct sa_params p = { .spi = sas[i].spi, .alg = sas[i].alg, .key = sas[i].key, .key_len = sas[i].key_len,
		                       .is_static = true };
		done += sa_install(t, sas[i].addr, &p) != NULL;
	}
	return done;
}

size_t relay_set_sas(struct relay_state *st, const struct fa_conf *c)
{
	return relay_install(&st->mn_sas, c->mn_sas, c->n_mn_sas) + relay_install(&st->ha_sas, c->ha_sas, c->n_ha_sas);
}

int relay_init(struct relay_state *st, const struct fa_conf *c, uint32_t coa, uint32_t now_sec,
               challenge_random_fn random)
{
	memset(st, 0, sizeof *st);
	st->conf = c;
	st->coa = coa;
	size_t most = c->n_mn_sas > c->n_ha_sas ? c->n_mn_sas : c->n_ha_sas;
	uint32_t n_sas = (uint32_t)(2 * most > RELAY_SA_ROOM ? 2 * most : RELAY_SA_ROOM);
	/* With an AAA every visitor may hold an MN-FA association of its own. */
	if (c->dia.enabled && n_sas < c->max_visitors + RELAY_SA_ROOM)
		n_sas = c->max_visitors + RELAY_SA_ROOM;
	st->aaa = c->dia.enabled;
	if (addrtab_init(&st->visitors, c->max_visitors, now_sec, sizeof(struct fa_visitor), NULL) != 0 ||
	    addrtab_init(&st->pending, c->max_pending, now_sec, sizeof(struct fa_pending), NULL) != 0 ||
	    addrtab_init(&st->mns, c->max_visitors + c->max_pending, now_sec, sizeof(struct fa_mn), NULL) != 0 ||
	    addrtab_init(&st->fa_ha_asks, c->max_pending, now_sec, sizeof(struct fa_ha_ask), NULL) != 0 ||
	    sa_table_init(&st->mn_sas, n_sas, now_sec) != 0 || sa_table_init(&st->ha_sas, n_sas, now_sec) != 0 ||
	    !(st->auth = auth_ctx_new())) {
		relay_destroy(st);
		return -1;
	}
	relay_set_sas(st, c);
	challenge_init(&st->challenges, c->challenge_window, c->challenge_len, random);
	if (c->challenges && challenge_rotate(&st->challenges) != 0) {
		relay_destroy(st);
		return -1;
	}
	return 0;
}

void relay_destroy(struct relay_state *st)
{
	if (st->visitors.buckets)
		addrtab_destroy(&st->visitors);
	if (st->pending.buckets)
		addrtab_destroy(&st->pending);
	if (st->mns.buckets)
		addrtab_destroy(&st->mns);
	if (st->fa_ha_asks.buckets)
		addrtab_destroy(&st->fa_ha_asks);
	if (st->mn_sas.tab.buckets)
		sa_table_destroy(&st->mn_sas);
	if (st->ha_sas.tab.buckets)
		sa_table_destroy(&st->ha_sas);
	auth_ctx_free(st->auth);
	st->auth = NULL;
}

bool relay_busy(const struct relay_state *st)
{
	return st->visitors.count >= st->visitors.max;
}

static struct fa_mn *relay_mn(struct relay_state *st, uint32_t home_addr, const struct relay_now *now)
{
	struct fa_mn *n = ADDRTAB_OBJ(struct fa_mn, addrtab_get(&st->mns, home_addr));
	if (n) {
		uint32_t keep = st->conf->max_lifetime > RELAY_MN_KEEP_S ? st->conf->max_lifetime : RELAY_MN_KEEP_S;
		wheel_arm(&st->mns.wheel, &n->entry.timer, now->sec + keep);
	}
	return n;
}

/* Where a reply to the node goes (RFC 5944 §3.7.2.3): its link-layer address;
 * its home address, or 255.255.255.255 without one; its UDP port; from the
 * address it sent to, unless that was a broadcast or multicast one. */
static void relay_address_mn(struct relay_state *st, struct relay_result *r, const uint8_t mac[VISITOR_MAC_LEN],
                             uint32_t local_ip, uint32_t home_addr, uint16_t sport)
{
	memcpy(r->mac, mac, VISITOR_MAC_LEN);
	r->ip_src = local_ip == INET_ADDR_BROADCAST || inet_is_multicast(local_ip) ? st->coa : local_ip;
	r->ip_dst = home_addr ? home_addr : INET_ADDR_BROADCAST;
	r->dport = sport;
	r->out = RELAY_TO_MN;
}

/* Append the agent's own extensions of a reply to the node: a new challenge
 * only this node may answer (RFC 4721 §3.3), then the MN-FA authenticator over
 * everything before it (RFC 5944 §3.7.3.2).  False when they do not fit. */
static bool relay_finish_reply(struct relay_state *st, struct reg_builder *b, uint32_t home_addr,
                               const struct relay_now *now)
{
	if (st->conf->challenges) {
		uint8_t c[FA_CHALLENGE_MAX];
		if (challenge_draw(&st->challenges, c) != 0)
			return false;
		/* With the node table full the value cannot be remembered: the node
		 * will answer an advertised one instead. */
		struct fa_mn *n = relay_mn(st, home_addr, now);
		if (n) {
			memcpy(n->issued, c, st->challenges.len);
			n->issued_len = (uint8_t)st->challenges.len;
		}
		reg_build_challenge(b, c, st->challenges.len);
	}
	const struct sa *mf = sa_find(&st->mn_sas, home_addr);
	if (mf) {
		size_t off = reg_build_auth(b, REG_EXT_MN_FA_AUTH, mf->spi, auth_alg_len((enum auth_alg)mf->alg));
		if (off == 0 || auth_sign(st->auth, (enum auth_alg)mf->alg, mf->key, mf->key_len, b->buf, off) != 0)
			return false;
	}
	return b->err == REG_OK;
}

/* Deny the request whose fixed part is in fx (parsed m when available: its NAI
 * is echoed).  Rate limited per node. */
static void relay_deny(struct relay_state *st, const struct relay_link *in, const struct reg_msg *m, uint8_t code,
                       uint16_t lifetime, const struct relay_now *now, struct relay_result *r, const char *why)
{
	uint32_t hoa, ha;
	uint64_t ident = 0;
	memcpy(&hoa, in->buf + 4, 4);
	memcpy(&ha, in->buf + 8, 4);
	for (int i = 16; i < 24; i++)
		ident = ident << 8 | in->buf[i];
	r->why = why;
	r->home_addr = hoa;
	r->ha = ha;
	struct fa_mn *n = relay_mn(st, hoa, now);
	if (n && n->denied_ms && now->us < n->denied_ms + RELAY_DENIAL_GAP_US) {
		st->ctr.dropped[FA_DROP_RATE_LIMITED]++;
		r->out = RELAY_DROP;
		r->logged_outcome = false;
		return;
	}
	struct reg_builder b;
	reg_build_init(&b, r->msg, sizeof r->msg);
	struct reg_reply_fixed f = { .code = code, .lifetime = lifetime, .home_addr = hoa, .ha_addr = ha, .ident = ident };
	reg_build_reply(&b, &f);
	if (m && m->nai.p)
		reg_build_nai(&b, m->nai.p, m->nai.len);
	if (!relay_finish_reply(st, &b, hoa, now)) {
		st->ctr.dropped[FA_DROP_BUILD]++;
		r->out = RELAY_DROP;
		return;
	}
	if (n)
		n->denied_ms = now->us ? now->us : 1;
	r->code = code;
	r->len = b.len;
	st->ctr.denied[code]++;
	relay_address_mn(st, r, in->mac, in->ip_dst, hoa, in->sport);
}

/* Offset just past the last authenticator the home agent may use (MN-HA,
 * MN-AAA), 0 when there is none. */
static size_t relay_authz_end(const struct reg_msg *m)
{
	size_t end = 0;
	if (m->mn_ha.present)
		end = (size_t)(m->mn_ha.authenticator.p - m->buf) + m->mn_ha.authenticator.len;
	if (m->mn_aaa.present) {
		size_t e = (size_t)(m->mn_aaa.authenticator.p - m->buf) + m->mn_aaa.authenticator.len;
		if (e > end)
			end = e;
	}
	return end;
}

/* The challenge checks (RFC 4721 §3.2): 0 to go on, a code to deny, or 1 to
 * drop.  *retransmission when it repeats the node's pending request. */
static int relay_check_challenge(struct relay_state *st, const struct reg_msg *m, bool mn_fa_ok,
                                 const struct relay_now *now, bool *retransmission)
{
	*retransmission = false;
	if (!m->challenge.p)
		return REG_CODE_FA_MISSING_CHALLENGE;
	if (!mn_fa_ok && !m->mn_aaa.present)
		return 1;
	const struct fa_pending *p = ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st->pending, m->home_addr));
	if (p && p->chal_len == m->challenge.len && memcmp(p->chal, m->challenge.p, p->chal_len) == 0) {
		*retransmission = true;
		return 0;
	}
	struct fa_mn *n = relay_mn(st, m->home_addr, now);
	if (n && n->used_len == m->challenge.len && CRYPTO_memcmp(n->used, m->challenge.p, n->used_len) == 0)
		return REG_CODE_FA_STALE_CHALLENGE;
	bool issued = n && n->issued_len == m->challenge.len &&
	              CRYPTO_memcmp(n->issued, m->challenge.p, n->issued_len) == 0;
	if (!issued && !challenge_in_window(&st->challenges, m->challenge.p, m->challenge.len))
		return REG_CODE_FA_UNKNOWN_CHALLENGE;
	return 0;
}

/* The checks of the request itself (relay.h steps 5-6): 0 or the code. */
static uint8_t relay_validity(const struct relay_state *st, const struct reg_msg *m)
{
	if (m->ha_addr == st->coa)
		return REG_CODE_FA_INVALID_HA;
	if (m->ha_addr == 0 || m->ha_addr == INET_ADDR_BROADCAST || inet_is_multicast(m->ha_addr))
		return REG_CODE_FA_POORLY_FORMED_REQUEST;
	if (!(m->flags & REG_FLAG_D) && m->lifetime != 0 && m->coa != st->coa)
		return REG_CODE_FA_INVALID_COA;
	if (m->lifetime > st->conf->max_lifetime)
		return REG_CODE_FA_LIFETIME_TOO_LONG;
	if (m->flags & (REG_FLAG_M | REG_FLAG_G))
		return REG_CODE_FA_ENCAP_UNAVAILABLE;
	if ((m->flags & REG_FLAG_T) && !st->conf->reverse_tunnel)
		return REG_CODE_FA_REVTUN_UNAVAILABLE;
	return 0;
}

void relay_request(struct relay_state *st, const struct relay_link *in, const struct relay_now *now,
                   struct relay_result *r)
{
	memset(r, 0, offsetof(struct relay_result, msg));
	r->out = RELAY_DROP;
	r->logged_outcome = true;
	if (in->ip_dst != st->coa && in->ip_dst != INET_ADDR_BROADCAST && in->ip_dst != htonl(REG_MOBILE_AGENTS_GROUP)) {
		st->ctr.dropped[FA_DROP_NOT_FOR_US]++;
		r->why = "not-for-us";
		r->logged_outcome = false;
		return;
	}
	st->ctr.requests++;
	struct reg_msg m;
	enum reg_err e = reg_parse_request(in->buf, in->len, &m);
	uint32_t hoa = 0;
	if (in->len >= REG_RRQ_FIXED_LEN)
		memcpy(&hoa, in->buf + 4, 4);
	reg_describe_mn(e == REG_OK ? &m : NULL, hoa, r->mn, RELAY_MN_TEXT);
	r->home_addr = hoa;
	if (e != REG_OK) {
		st->ctr.malformed[e < REG_ERR__COUNT ? e : 0]++;
		r->logged_outcome = false;
		if (reg_err_action(e) != REG_ACT_REPLY || in->len < REG_RRQ_FIXED_LEN || in->buf[0] != REG_TYPE_RRQ) {
			r->why = reg_err_str(e);
			return;
		}
		relay_deny(st, in, NULL, REG_CODE_FA_POORLY_FORMED_REQUEST, 0, now, r, reg_err_str(e));
		return;
	}
	if (hoa == 0) {
		relay_deny(st, in, &m, REG_CODE_FA_NONZERO_HOMEADDR_REQD, m.lifetime, now, r, "no-home-address");
		return;
	}
	const struct sa *mf = sa_find(&st->mn_sas, hoa);
	bool mf_ok = mf && m.mn_fa.present && m.mn_fa.spi == mf->spi &&
	             auth_verify(st->auth, (enum auth_alg)mf->alg, mf->key, mf->key_len, &m, &m.mn_fa);
	/* A node that lost the MN-FA key the AAA gave (restarted, say) asks the
	 * AAA again, which authenticates it as the first time. */
	bool renew = mf && !mf_ok && !mf->is_static && m.mn_aaa.present && st->aaa;
	if (mf && !mf_ok && !renew) {
		relay_deny(st, in, &m, REG_CODE_FA_MN_AUTH_FAILED, m.lifetime, now, r,
		           m.mn_fa.present ? "mn-fa-auth-failed" : "mn-fa-auth-missing");
		return;
	}
	if (renew)
		mf = NULL;
	bool retransmission = false;
	if (st->conf->challenges) {
		int c = relay_check_challenge(st, &m, mf != NULL, now, &retransmission);
		if (c == 1) {
			st->ctr.dropped[FA_DROP_CHALLENGE_NO_AUTH]++;
			r->why = "challenge-unauthenticated";
			r->logged_outcome = false;
			return;
		}
		if (c) {
			relay_deny(st, in, &m, (uint8_t)c, m.lifetime, now, r,
			           c == REG_CODE_FA_MISSING_CHALLENGE ? "missing-challenge"
			           : c == REG_CODE_FA_STALE_CHALLENGE ? "stale-challenge"
			                                              : "unknown-challenge");
			return;
		}
	}
	uint8_t code = relay_validity(st, &m);
	if (code) {
		bool too_long = code == REG_CODE_FA_LIFETIME_TOO_LONG;
		relay_deny(st, in, &m, code, too_long ? st->conf->max_lifetime : m.lifetime, now, r,
		           too_long ? "lifetime-too-long" : "invalid");
		return;
	}
	size_t keep = relay_authz_end(&m);
	if (keep == 0) {
		st->ctr.dropped[FA_DROP_NO_AUTH]++;
		r->why = "no-authentication";
		r->logged_outcome = false;
		return;
	}
	/* FA care-of mode with the AAA (RFC 4004 §1-§5): only the AAA can
	 * authenticate this node. */
	bool via_aaa = m.mn_aaa.present && !mf;
	if (via_aaa && !st->aaa) {
		relay_deny(st, in, &m, REG_CODE_FA_PROHIBITED, m.lifetime, now, r, "needs-aaa");
		return;
	}
	if (via_aaa && !m.nai.p) {
		/* RFC 4004 §5.1: the AMR's User-Name is the node's NAI. */
		relay_deny(st, in, &m, REG_CODE_FA_POORLY_FORMED_REQUEST, m.lifetime, now, r, "aaa-needs-nai");
		return;
	}
	struct fa_pending *p = ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st->pending, hoa));
	if (p && p->ident == m.ident)
		retransmission = true;
	if (retransmission && via_aaa && p && p->via_aaa) {
		/* The AMR is out; Diameter retransmits on its own. */
		st->ctr.retransmissions++;
		r->why = "retransmission-aaa-pending";
		r->logged_outcome = false;
		return;
	}
	if (!p && !addrtab_find(&st->visitors, hoa) && relay_busy(st)) {
		relay_deny(st, in, &m, REG_CODE_FA_NO_RESOURCES, m.lifetime, now, r, "visitor-list-full");
		return;
	}
	if (!p && !(p = ADDRTAB_OBJ(struct fa_pending, addrtab_get(&st->pending, hoa)))) {
		relay_deny(st, in, &m, REG_CODE_FA_NO_RESOURCES, m.lifetime, now, r, "too-many-pending");
		return;
	}

	struct reg_builder b;
	reg_build_init(&b, r->msg, sizeof r->msg);
	reg_build_raw(&b, in->buf, keep);
	const struct sa *fh = sa_find(&st->ha_sas, m.ha_addr);
	if (fh && m.lifetime != 0 && !via_aaa) {
		size_t off = reg_build_auth(&b, REG_EXT_FA_HA_AUTH, fh->spi, auth_alg_len((enum auth_alg)fh->alg));
		if (off == 0 || auth_sign(st->auth, (enum auth_alg)fh->alg, fh->key, fh->key_len, r->msg, off) != 0)
			b.err = REG_ERR_TOO_LONG;
	}
	if (b.err != REG_OK) {
		if (!p->ident)
			addrtab_remove(&st->pending, &p->entry);
		relay_deny(st, in, &m, REG_CODE_FA_NO_RESOURCES, m.lifetime, now, r, "too-large-to-relay");
		return;
	}
	memcpy(p->mac, in->mac, VISITOR_MAC_LEN);
	p->ha = m.ha_addr;
	p->coa = m.coa;
	p->src_ip = in->ip_src;
	p->local_ip = in->ip_dst;
	p->ident = m.ident;
	p->relayed_us = now->us;
	p->lifetime = m.lifetime;
	p->sport = in->sport;
	p->flags = m.flags;
	p->chal_len = m.challenge.p ? (uint8_t)m.challenge.len : 0;
	if (p->chal_len)
		memcpy(p->chal, m.challenge.p, p->chal_len);
	p->via_aaa = via_aaa;
	p->asked_fa_ha = 0;
	p->aaa_spi = via_aaa ? m.mn_aaa.spi : 0;
	p->fa_key_spi = via_aaa && m.mn_fa_keyreq.present ? m.mn_fa_keyreq.mn_spi : 0;
	if (via_aaa && !addrtab_find(&st->fa_ha_asks, m.ha_addr)) {
		struct fa_ha_ask *k = ADDRTAB_OBJ(struct fa_ha_ask, addrtab_get(&st->fa_ha_asks, m.ha_addr));
		if (k) {
			wheel_arm(&st->fa_ha_asks.wheel, &k->entry.timer,
			          (uint32_t)((deadline_us_of(now, st->conf->reg_timeout) + 999999u) / 1000000u));
			p->asked_fa_ha = 1;
		}
	}
	/* The first second that begins after the whole timeout: never early. */
	uint64_t deadline_us = deadline_us_of(now, st->conf->reg_timeout);
	wheel_arm(&st->pending.wheel, &p->entry.timer, (uint32_t)((deadline_us + 999999u) / 1000000u));
	if (st->conf->challenges && m.challenge.p) {
		/* The value is spent: answering it again is stale (RFC 4721 §3.2). */
		struct fa_mn *n = relay_mn(st, hoa, now);
		if (n) {
			memcpy(n->used, m.challenge.p, m.challenge.len);
			n->used_len = (uint8_t)m.challenge.len;
			if (n->issued_len == m.challenge.len && memcmp(n->issued, m.challenge.p, n->issued_len) == 0)
				n->issued_len = 0;
		}
	}
	if (retransmission)
		st->ctr.retransmissions++;
	r->home_addr = hoa;
	r->ha = m.ha_addr;
	r->len = b.len;
	r->logged_outcome = false;
	if (via_aaa) {
		st->ctr.aaa_requests++;
		r->out = RELAY_TO_AAA;
		r->ident = m.ident;
		r->ask_fa_ha = p->asked_fa_ha;
		r->why = "to-aaa";
		return;
	}
	st->ctr.relayed++;
	r->out = RELAY_TO_HA;
	r->why = retransmission ? "retransmission" : "relayed";
}

/* An answer the agent makes up for the pending request p (68, 71, 78, 8x);
 * false when it could not be built. */
static bool relay_answer_pending(struct relay_state *st, const struct fa_pending *p, uint8_t code, const char *why,
                                 const struct relay_now *now, struct relay_result *r)
{
	memset(r, 0, offsetof(struct relay_result, msg));
	r->logged_outcome = true;
	r->why = why;
	reg_describe_mn(NULL, p->home_addr, r->mn, RELAY_MN_TEXT);
	struct reg_builder b;
	reg_build_init(&b, r->msg, sizeof r->msg);
	struct reg_reply_fixed f = { .code = code, .lifetime = p->lifetime, .home_addr = p->home_addr, .ha_addr = p->ha,
	                             .ident = p->ident };
	reg_build_reply(&b, &f);
	if (!relay_finish_reply(st, &b, p->home_addr, now)) {
		st->ctr.dropped[FA_DROP_BUILD]++;
		r->out = RELAY_DROP;
		return false;
	}
	r->code = code;
	r->len = b.len;
	st->ctr.denied[code]++;
	relay_address_mn(st, r, p->mac, p->local_ip, p->home_addr, p->sport);
	r->home_addr = p->home_addr;
	r->ha = p->ha;
	return true;
}

static void relay_deny_pending(struct relay_state *st, struct fa_pending *p, uint8_t code, const char *why,
                               const struct relay_now *now, struct relay_result *r)
{
	relay_answer_pending(st, p, code, why, now, r);
	addrtab_remove(&st->pending, &p->entry);
}

/* The extensions of a home agent's reply the node gets: through the MN-HA
 * authenticator, or without one every extension but the agent's own. */
static bool relay_copy_reply(const struct reg_msg *m, struct reg_builder *b)
{
	if (m->mn_ha.present) {
		size_t end = (size_t)(m->mn_ha.authenticator.p - m->buf) + m->mn_ha.authenticator.len;
		reg_build_raw(b, m->buf, end);
		return b->err == REG_OK;
	}
	reg_build_raw(b, m->buf, REG_RRP_FIXED_LEN);
	for (size_t i = 0; i < m->n_ext; i++) {
		uint8_t t = m->ext[i].type;
		if (t != REG_EXT_MN_FA_AUTH && t != REG_EXT_FA_HA_AUTH && t != REG_EXT_CHALLENGE)
			reg_build_raw(b, m->buf + m->ext[i].off, m->ext[i].len);
	}
	return b->err == REG_OK;
}

static void relay_update_visitor(struct relay_state *st, const struct fa_pending *p, const struct reg_msg *m,
                                 const struct relay_now *now, struct relay_result *r)
{
	struct fa_visitor *v = ADDRTAB_OBJ(struct fa_visitor, addrtab_find(&st->visitors, p->home_addr));
	if (m->code > REG_CODE_ACCEPTED_NO_SIMUL)
		return; /* §3.7.3.2: a denial leaves the visitor list alone */
	if (m->lifetime == 0) {
		if (v) {
			addrtab_remove(&st->visitors, &v->entry);
			r->visitor_change = RELAY_VISITOR_GONE;
		}
		return;
	}
	if (!v && !(v = ADDRTAB_OBJ(struct fa_visitor, addrtab_get(&st->visitors, p->home_addr))))
		return; /* full: relay_request checked, only a race with expiry can get here */
	r->visitor_change = RELAY_VISITOR_SET;
	r->visitor = v;
	uint16_t life = m->lifetime < st->conf->max_lifetime ? m->lifetime : st->conf->max_lifetime;
	memcpy(v->mac, p->mac, VISITOR_MAC_LEN);
	v->ha = p->ha;
	v->coa = p->coa;
	v->src_ip = p->src_ip;
	v->ident = p->ident;
	v->since = now->sec;
	v->granted = life;
	v->sport = p->sport;
	v->flags = p->flags;
	/* §3.7.3.2: the lifetime starts when the reply is relayed, so the agent
	 * never expires a registration before the node does. */
	wheel_arm(&st->visitors.wheel, &v->entry.timer, now->sec + life);
}

static void relay_pass_reply(struct relay_state *st, struct fa_pending *p, const uint8_t *buf, size_t len,
                             const struct relay_aaa *a, const struct relay_now *now, struct relay_result *r);

void relay_reply(struct relay_state *st, const uint8_t *buf, size_t len, uint32_t from, const struct relay_now *now,
                 struct relay_result *r)
{
	memset(r, 0, offsetof(struct relay_result, msg));
	r->out = RELAY_DROP;
	st->ctr.replies++;
	if (len < REG_RRP_FIXED_LEN || buf[0] != REG_TYPE_RRP) {
		st->ctr.replies_dropped[FA_RDROP_MALFORMED]++;
		r->why = "malformed-reply";
		return;
	}
	uint32_t hoa;
	uint64_t ident = 0;
	memcpy(&hoa, buf + 4, 4);
	for (int i = 12; i < 20; i++)
		ident = ident << 8 | buf[i];
	struct fa_pending *p = ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st->pending, hoa));
	/* A request sent to the AAA is answered by the AAA. */
	if (!p || p->via_aaa || (uint32_t)p->ident != (uint32_t)ident) {
		st->ctr.replies_dropped[FA_RDROP_UNMATCHED]++;
		r->why = "unmatched-reply";
		return;
	}
	if (from != p->ha) {
		st->ctr.replies_dropped[FA_RDROP_WRONG_SOURCE]++;
		r->why = "reply-from-elsewhere";
		return;
	}
	expo_hist_add(&st->ctr.ha_latency, now->us > p->relayed_us ? now->us - p->relayed_us : 0);
	relay_pass_reply(st, p, buf, len, NULL, now, r);
}

/* The MN-FA KeyGen Reply (41) the agent appends for the node: the nonce the
 * AAA derived the MN-FA key from, which only the agent got (README: who
 * appends it). */
static void relay_build_fa_keyrep(struct reg_builder *b, const struct fa_pending *p, const struct relay_aaa *a)
{
	struct reg_keyrep k = {
		.subtype = REG_KEYGEN_FROM_AAA, .lifetime = a->msa_lifetime, .aaa_spi = p->aaa_spi,
		.peer_spi = a->mn_fa_spi, .alg = AUTH_HMAC_SHA1,
		.nonce = { .p = a->mn_fa_nonce, .len = a->mn_fa_nonce_len },
	};
	reg_build_keyrep(b, REG_EXT_MN_FA_KEYREP, &k);
}

static void relay_install_aaa_sas(struct relay_state *st, const struct fa_pending *p, const struct relay_aaa *a,
                                  const struct relay_now *now, struct relay_result *r)
{
	uint32_t life = a->msa_lifetime ? a->msa_lifetime : p->lifetime;
	if (a->fa_ha) {
		struct sa_params fp = { .spi = a->fa_ha_spi, .alg = AUTH_HMAC_SHA1, .key = a->fa_ha_key,
		                        .key_len = a->fa_ha_key_len, .expires = now->sec + life };
		if (sa_install(&st->ha_sas, p->ha, &fp)) {
			st->ctr.fa_ha_keys++;
			r->new_fa_ha = true;
			auth_key_fp(a->fa_ha_key, a->fa_ha_key_len, r->fa_ha_fp);
		}
	}
	if (a->mn_fa) {
		struct sa_params mp = { .spi = a->mn_fa_spi, .alg = AUTH_HMAC_SHA1, .key = a->mn_fa_key,
		                        .key_len = a->mn_fa_key_len, .expires = now->sec + life };
		if (sa_install(&st->mn_sas, p->home_addr, &mp)) {
			st->ctr.mn_fa_keys++;
			r->new_mn_fa = true;
			auth_key_fp(a->mn_fa_key, a->mn_fa_key_len, r->mn_fa_fp);
		}
	}
}

/* A home agent's reply to pending request p (buf, len), straight from the home
 * agent (a NULL) or inside the AAA's answer a: check it, install the keys of an
 * acceptance from the AAA, and build what the node gets. */
static void relay_pass_reply(struct relay_state *st, struct fa_pending *p, const uint8_t *buf, size_t len,
                             const struct relay_aaa *a, const struct relay_now *now, struct relay_result *r)
{
	uint32_t hoa = p->home_addr;
	struct reg_msg m;
	if (reg_parse_reply(buf, len, &m) != REG_OK || m.home_addr != hoa || (uint32_t)m.ident != (uint32_t)p->ident) {
		if (a)
			st->ctr.aaa_outcomes[FA_AAA_UNUSABLE]++;
		relay_deny_pending(st, p, REG_CODE_FA_POORLY_FORMED_REPLY, "poorly-formed-reply", now, r);
		return;
	}
	bool accepted = m.code <= REG_CODE_ACCEPTED_NO_SIMUL && m.lifetime != 0;
	/* Keys come only with an acceptance the home agent signed for this agent. */
	bool keys = a && a->result_code == 2001 && accepted;
	if (keys && p->fa_key_spi && !(a->mn_fa && a->mn_fa_spi == p->fa_key_spi && a->mn_fa_key_len > 0)) {
		st->ctr.aaa_outcomes[FA_AAA_UNUSABLE]++;
		relay_deny_pending(st, p, REG_CODE_FA_UNSPECIFIED, "aaa-answer-without-mn-fa-key", now, r);
		return;
	}
	const struct sa *fh = sa_find(&st->ha_sas, p->ha);
	bool fa_ha_ok;
	if (keys && a->fa_ha)
		fa_ha_ok = m.fa_ha.present && m.fa_ha.spi == a->fa_ha_spi &&
		           auth_verify(st->auth, AUTH_HMAC_SHA1, a->fa_ha_key, a->fa_ha_key_len, &m, &m.fa_ha);
	else if (a)
		/* Through the AAA without a new FA-HA key: the reply came over the
		 * authenticated Diameter path (RFC 4004 §13), and the home agent may
		 * hold a newer key than ours (another node's AMR asked for one) or none
		 * (restarted). */
		fa_ha_ok = true;
	else
		fa_ha_ok = !fh || m.lifetime == 0 ||
		           (m.fa_ha.present && m.fa_ha.spi == fh->spi &&
		            auth_verify(st->auth, (enum auth_alg)fh->alg, fh->key, fh->key_len, &m, &m.fa_ha));
	if (!fa_ha_ok) {
		if (a)
			st->ctr.aaa_outcomes[FA_AAA_UNUSABLE]++;
		relay_deny_pending(st, p, REG_CODE_FA_HA_AUTH_FAILED,
		                   m.fa_ha.present ? "ha-fa-auth-failed" : "ha-fa-auth-missing", now, r);
		return;
	}
	r->logged_outcome = true;
	reg_describe_mn(&m, hoa, r->mn, RELAY_MN_TEXT);
	if (keys)
		relay_install_aaa_sas(st, p, a, now, r);
	struct reg_builder b;
	reg_build_init(&b, r->msg, sizeof r->msg);
	bool built = relay_copy_reply(&m, &b);
	if (built && keys && a->mn_fa && r->new_mn_fa)
		relay_build_fa_keyrep(&b, p, a);
	if (!built || b.err != REG_OK || !relay_finish_reply(st, &b, hoa, now)) {
		st->ctr.dropped[FA_DROP_BUILD]++;
		r->why = "reply-too-large";
		addrtab_remove(&st->pending, &p->entry);
		return;
	}
	relay_update_visitor(st, p, &m, now, r);
	r->code = m.code;
	r->len = b.len;
	r->why = m.code > REG_CODE_ACCEPTED_NO_SIMUL ? "denied-by-home-agent"
	         : m.lifetime == 0                   ? "deregistered"
	         : keys                              ? "registered-via-aaa"
	                                             : "registered";
	st->ctr.replies_relayed[m.code]++;
	if (a)
		st->ctr.aaa_outcomes[keys ? FA_AAA_SUCCESS : FA_AAA_REPLY_FAILURE]++;
	relay_address_mn(st, r, p->mac, p->local_ip, hoa, p->sport);
	r->home_addr = hoa;
	r->ha = p->ha;
	addrtab_remove(&st->pending, &p->entry);
}

/* RFC 4004 result codes → the agent's code to the node. */
static uint8_t relay_code_for_result(uint32_t rc, enum fa_aaa_outcome *o)
{
	switch (rc) {
	case 4001: /* DIAMETER_AUTHENTICATION_REJECTED */
		*o = FA_AAA_AUTH_REJECTED;
		return REG_CODE_FA_MN_AUTH_FAILED;
	case 4006: /* DIAMETER_ERROR_HA_NOT_AVAILABLE */
		*o = FA_AAA_HA_NOT_AVAILABLE;
		return REG_CODE_FA_HA_UNREACHABLE;
	case 5003: /* DIAMETER_AUTHORIZATION_REJECTED */
		*o = FA_AAA_OTHER_ERROR;
		return REG_CODE_FA_PROHIBITED;
	default:
		*o = FA_AAA_OTHER_ERROR;
		/* Protocol errors and transient failures (no route, busy, BSF down):
		 * try again later. */
		return rc >= 3000 && rc < 5000 ? REG_CODE_FA_NO_RESOURCES : REG_CODE_FA_UNSPECIFIED;
	}
}

static void relay_release_ask(struct relay_state *st, const struct fa_pending *p)
{
	struct addrtab_entry *k = p->asked_fa_ha ? addrtab_find(&st->fa_ha_asks, p->ha) : NULL;
	if (k)
		addrtab_remove(&st->fa_ha_asks, k);
}

void relay_aaa_answer(struct relay_state *st, const struct relay_aaa *a, const struct relay_now *now,
                      struct relay_result *r)
{
	memset(r, 0, offsetof(struct relay_result, msg));
	r->out = RELAY_DROP;
	struct fa_pending *p = ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st->pending, a->home_addr));
	if (!p || !p->via_aaa || p->ident != a->ident) {
		st->ctr.aaa_outcomes[FA_AAA_UNMATCHED]++;
		r->why = "unmatched-aaa-answer";
		return;
	}
	relay_release_ask(st, p);
	if (a->sent_us && now->us > a->sent_us)
		expo_hist_add(&st->ctr.aaa_latency, now->us - a->sent_us);
	if (!a->answered) {
		st->ctr.aaa_outcomes[FA_AAA_TIMEOUT]++;
		st->ctr.timeouts++;
		relay_deny_pending(st, p, REG_CODE_FA_TIMEOUT, "aaa-silent", now, r);
		return;
	}
	if (a->result_code == 2001 || a->result_code == 4005) {
		if (a->rrp_len == 0) {
			st->ctr.aaa_outcomes[FA_AAA_UNUSABLE]++;
			relay_deny_pending(st, p, REG_CODE_FA_UNSPECIFIED, "aaa-answer-without-reply", now, r);
			return;
		}
		relay_pass_reply(st, p, a->rrp, a->rrp_len, a, now, r);
		return;
	}
	enum fa_aaa_outcome o;
	uint8_t code = relay_code_for_result(a->result_code, &o);
	st->ctr.aaa_outcomes[o]++;
	relay_deny_pending(st, p, code,
	                   code == REG_CODE_FA_MN_AUTH_FAILED   ? "aaa-authentication-rejected"
	                   : code == REG_CODE_FA_HA_UNREACHABLE ? "aaa-ha-not-available"
	                                                        : "aaa-error",
	                   now, r);
}

void relay_aaa_unsent(struct relay_state *st, uint32_t home_addr, uint64_t ident, const struct relay_now *now,
                      struct relay_result *r)
{
	memset(r, 0, offsetof(struct relay_result, msg));
	r->out = RELAY_DROP;
	struct fa_pending *p = ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st->pending, home_addr));
	if (!p || !p->via_aaa || p->ident != ident)
		return;
	relay_release_ask(st, p);
	st->ctr.aaa_send_errors++;
	relay_deny_pending(st, p, REG_CODE_FA_NO_RESOURCES, "aaa-unreachable", now, r);
}

void relay_icmp_error(struct relay_state *st, uint32_t ha, uint8_t type, uint8_t code, const uint8_t *orig,
                      size_t len, const struct relay_now *now, struct relay_result *r)
{
	memset(r, 0, offsetof(struct relay_result, msg));
	r->out = RELAY_DROP;
	r->why = "icmp-error-unmatched";
	if (len < REG_RRQ_FIXED_LEN || orig[0] != REG_TYPE_RRQ)
		return;
	uint32_t hoa;
	uint64_t ident = 0;
	memcpy(&hoa, orig + 4, 4);
	for (int i = 16; i < 24; i++)
		ident = ident << 8 | orig[i];
	struct fa_pending *p = ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st->pending, hoa));
	if (!p || p->ident != ident || p->ha != ha)
		return;
	/* RFC 5944 §3.7.3: ICMP destination unreachable codes 0, 1, 3 → 80, 81, 82. */
	uint8_t c = REG_CODE_FA_HA_UNREACHABLE;
	if (type == 3 && code == 0)
		c = REG_CODE_FA_HOME_NET_UNREACHABLE;
	else if (type == 3 && code == 1)
		c = REG_CODE_FA_HA_HOST_UNREACHABLE;
	else if (type == 3 && code == 3)
		c = REG_CODE_FA_HA_PORT_UNREACHABLE;
	st->ctr.icmp_errors++;
	relay_deny_pending(st, p, c, "icmp-error", now, r);
}

struct relay_expiry {
	struct relay_state *st;
	const struct relay_now *now;
	void (*out)(const struct relay_result *r, void *arg);
	void (*gone)(const struct fa_visitor *v, void *arg);
	void *arg;
	struct relay_result r;
};

static void relay_pending_gone(struct addrtab_entry *e, void *arg)
{
	/* §3.7.1: a request pending too long is answered with 78; the table
	 * removes the entry right after this. */
	struct relay_expiry *x = arg;
	x->st->ctr.timeouts++;
	if (relay_answer_pending(x->st, ADDRTAB_OBJ(struct fa_pending, e), REG_CODE_FA_TIMEOUT, "home-agent-silent",
	                         x->now, &x->r) && x->out)
		x->out(&x->r, x->arg);
}

static void relay_visitor_gone(struct addrtab_entry *e, void *arg)
{
	struct relay_expiry *x = arg;
	x->st->ctr.visitors_expired++;
	if (x->gone)
		x->gone(ADDRTAB_OBJ(struct fa_visitor, e), x->arg);
}

static void relay_sa_gone(const struct sa *s, void *arg)
{
	(void)s;
	struct relay_state *st = arg;
	st->ctr.sas_expired++;
}

void relay_expire(struct relay_state *st, const struct relay_now *now,
                  void (*out)(const struct relay_result *r, void *arg),
                  void (*gone)(const struct fa_visitor *v, void *arg), void *arg)
{
	struct relay_expiry x = { .st = st, .now = now, .out = out, .gone = gone, .arg = arg };
	addrtab_expire(&st->pending, now->sec, relay_pending_gone, &x);
	addrtab_expire(&st->visitors, now->sec, relay_visitor_gone, &x);
	addrtab_expire(&st->mns, now->sec, NULL, NULL);
	addrtab_expire(&st->fa_ha_asks, now->sec, NULL, NULL);
	sa_expire(&st->mn_sas, now->sec, relay_sa_gone, st);
	sa_expire(&st->ha_sas, now->sec, relay_sa_gone, st);
}
