/*
 * mip4-mn-reg: the mobile node's registration logic, without I/O.
 */
#include "mip4-mn/reg.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mip4-mn/say.h"

const char *mn_phase_str(enum mn_phase p)
{
	switch (p) {
	case MN_PHASE_INITIAL: return "initial";
	case MN_PHASE_REREG: return "rereg";
	case MN_PHASE_DEREG: return "dereg";
	}
	return "?";
}

int mn_reg_set_bootstrap(struct auth_ctx *ctx, struct mn_node *n, const struct bootstrap_entry *e,
                         const uint8_t *naf_id, size_t naf_id_len)
{
	uint8_t ks_naf[GBA_KS_NAF_LEN];

	if (gba_ks_naf(ctx, e->ks, e->rand, e->impi, strlen(e->impi), naf_id, naf_id_len, false, ks_naf) != 0) {
		OPENSSL_cleanse(ks_naf, sizeof(ks_naf));
		return -1;
	}
	memcpy(n->ks_naf, ks_naf, sizeof(ks_naf));
	OPENSSL_cleanse(ks_naf, sizeof(ks_naf));
	n->gba = true;
	n->boot = e;
	n->nai = e->btid;
	n->nai_len = strlen(e->btid);
	return 0;
}

uint64_t mn_reg_next_ident(struct mn_node *n, uint64_t now_ntp)
{
	uint64_t sec = (uint64_t)((int64_t)(now_ntp >> 32) + n->clock_adj) & 0xffffffffu;
	uint64_t ident = sec << 32 | (now_ntp & 0xffffffffu);

	/* Never at or below the last one (same clock reading, or the clock moved back). */
	if (ident <= n->floor_ident)
		ident = n->floor_ident + 1;
	n->floor_ident = ident;
	return ident;
}

static size_t build_fixed(struct reg_builder *b, const struct mn_reg_conf *c, const struct mn_node *n,
                          uint16_t lifetime, uint64_t ident)
{
	struct reg_request_fixed f = {
		.flags = c->flags,
		.lifetime = lifetime,
		.home_addr = n->home_addr,
		.ha_addr = c->ha_addr,
		.coa = c->coa,
		.ident = ident,
	};

	reg_build_request(b, &f);
	if (n->nai)
		reg_build_nai(b, (const uint8_t *)n->nai, n->nai_len);
	return b->len;
}

/* The foreign agent's part of a request: the MN-FA authenticator over all of it. */
static size_t build_fa_auth(struct auth_ctx *ctx, const struct mn_sa *fa, struct reg_builder *b)
{
	if (fa) {
		size_t off = reg_build_auth(b, REG_EXT_MN_FA_AUTH, fa->spi, auth_alg_len(fa->alg));

		if (b->err != REG_OK || off == 0 || auth_sign(ctx, fa->alg, fa->key, fa->key_len, b->buf, off) != 0)
			return 0;
	}
	return b->err == REG_OK ? b->len : 0;
}

/* The MN-FA association a request is signed with and a reply checked with:
 * the key from the AAA for this agent, else the static one, else none. */
static const struct mn_sa *fa_assoc(const struct mn_reg_conf *c, const struct mn_node *n)
{
	return n->fa_sa.valid ? &n->fa_sa : c->fa_sa;
}

bool mn_reg_first(const struct mn_reg_conf *c, const struct mn_node *n, enum mn_phase phase)
{
	return n->gba && c->method != 2 && (phase == MN_PHASE_INITIAL || !n->sa.valid);
}

size_t mn_reg_build(struct auth_ctx *ctx, const struct mn_reg_conf *c, const struct mn_node *n,
                    enum mn_phase phase, uint16_t lifetime, uint64_t ident, uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	size_t off;

	reg_build_init(&b, buf, cap);
	build_fixed(&b, c, n, lifetime, ident);
	if (n->gba && c->method == 2) {
		off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, c->mn_spi, auth_alg_len(MN_METHOD2_ALG));
		if (b.err != REG_OK || off == 0)
			return 0;
		if (auth_sign(ctx, MN_METHOD2_ALG, n->ks_naf, sizeof(n->ks_naf), buf, off) != 0)
			return 0;
		return b.len;
	}
	if (mn_reg_first(c, n, phase)) {
		reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, c->mn_spi);
		if (c->fa_keygen)
			reg_build_keyreq(&b, REG_EXT_MN_FA_KEYREQ, MN_FA_SPI(c));
		if (c->challenge)
			reg_build_challenge(&b, c->challenge, c->challenge_len);
		off = reg_build_auth(&b, REG_EXT_GEN_AUTH, c->aaa_spi, 16);
		if (b.err != REG_OK || off == 0)
			return 0;
		if (auth_mn_aaa_sign(ctx, c->aaa_spi, n->ks_naf, sizeof(n->ks_naf), buf, off, c->challenge,
		                     c->challenge_len) != 0)
			return 0;
		/* Asking for a new MN-FA key, the node signs with none: the agent
		 * learns who it is from the AAA. */
		return build_fa_auth(ctx, c->fa_keygen ? NULL : fa_assoc(c, n), &b);
	}
	if (!n->sa.valid)
		return 0;
	off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, n->sa.spi, auth_alg_len(n->sa.alg));
	if (b.err != REG_OK || off == 0)
		return 0;
	if (auth_sign(ctx, n->sa.alg, n->sa.key, n->sa.key_len, buf, off) != 0)
		return 0;
	if (c->challenge)
		reg_build_challenge(&b, c->challenge, c->challenge_len);
	return build_fa_auth(ctx, fa_assoc(c, n), &b);
}

/* Derive the key a KeyGen Reply (43 or 41) gives and check authenticator a of
 * the reply with it: the SPIs must be the ones asked (peer_spi 0: any valid
 * one), the AAA SPI ours, the algorithm known.  True with the key in sa. */
static bool keygen_check(struct auth_ctx *ctx, const struct mn_reg_conf *c, const struct mn_node *n,
                         const struct reg_msg *m, const struct reg_keyrep *k, const struct reg_auth *a,
                         uint32_t peer_spi, struct mn_sa *sa)
{
	enum auth_alg alg = (enum auth_alg)k->alg;
	uint8_t key[KEYGEN_KEY_LEN];

	if (!k->present || k->subtype != REG_KEYGEN_FROM_AAA || !a->present)
		return false;
	if (auth_alg_len(alg) == 0 || k->aaa_spi != c->aaa_spi || a->spi != k->peer_spi ||
	    k->peer_spi < REG_SPI_MIN || (peer_spi && k->peer_spi != peer_spi))
		return false;
	if (keygen_derive(ctx, n->ks_naf, sizeof(n->ks_naf), k->nonce.p, k->nonce.len,
	                  (const uint8_t *)n->nai, n->nai_len, key) != 0)
		return false;
	if (!auth_verify(ctx, alg, key, sizeof(key), m, a)) {
		OPENSSL_cleanse(key, sizeof(key));
		return false;
	}
	*sa = (struct mn_sa){.valid = true, .spi = k->peer_spi, .alg = alg, .key_len = sizeof(key),
	                     .lifetime = k->lifetime};
	memcpy(sa->key, key, sizeof(key));
	OPENSSL_cleanse(key, sizeof(key));
	return true;
}

/* A first registration accepted: derive the keys the KeyGen Replies' nonces
 * give (MN-HA, and MN-FA when asked), check the reply with each, and only when
 * all check keep them as the node's associations. */
static enum mn_verdict accept_keygen(struct auth_ctx *ctx, const struct mn_reg_conf *c, struct mn_node *n,
                                     const struct reg_msg *m, struct mn_reply *out)
{
	struct mn_sa ha = {0}, fa = {0};
	enum mn_verdict v = MN_V_DROP;

	out->bad_auth = true;
	if (!keygen_check(ctx, c, n, m, &m->mn_ha_keyrep, &m->mn_ha, 0, &ha))
		goto out;
	if (c->fa_keygen && !keygen_check(ctx, c, n, m, &m->mn_fa_keyrep, &m->mn_fa, MN_FA_SPI(c), &fa))
		goto out;
	OPENSSL_cleanse(&n->sa, sizeof(n->sa));
	n->sa = ha;
	auth_key_fp(ha.key, ha.key_len, out->key_fp);
	out->new_key = true;
	out->nonce_len = m->mn_ha_keyrep.nonce.len;
	out->key_lifetime = ha.lifetime;
	if (c->fa_keygen) {
		OPENSSL_cleanse(&n->fa_sa, sizeof(n->fa_sa));
		n->fa_sa = fa;
		auth_key_fp(fa.key, fa.key_len, out->fa_key_fp);
		out->new_fa_key = true;
		out->fa_key_lifetime = fa.lifetime;
		out->fa_spi = fa.spi;
		out->fa_authenticated = true;
	}
	out->bad_auth = false;
	out->authenticated = true;
	v = MN_V_ACCEPTED;
out:
	OPENSSL_cleanse(&ha, sizeof(ha));
	OPENSSL_cleanse(&fa, sizeof(fa));
	return v;
}

enum mn_verdict mn_reg_reply(struct auth_ctx *ctx, const struct mn_reg_conf *c, struct mn_node *n,
                             enum mn_phase phase, uint64_t ident, const uint8_t *buf, size_t len,
                             uint64_t now_ntp, struct mn_reply *out)
{
	struct reg_msg m;

	memset(out, 0, sizeof(*out));
	if (reg_parse_reply(buf, len, &m) != REG_OK)
		return MN_V_DROP;
	out->code = m.code;
	out->lifetime = m.lifetime;
	out->home_addr = m.home_addr;
	out->from_fa = m.code >= REG_CODE_FA_UNSPECIFIED && m.code < REG_CODE_UNSPECIFIED;

	bool m2 = n->gba && c->method == 2;
	/* Where the HA may hold no key of ours and so cannot sign: a method 1 first
	 * registration, any method 2 request (the HA may have restarted). */
	bool first = mn_reg_first(c, n, phase);
	bool gba_first = first || m2;
	/* A request that asked for a new MN-FA key is answered with it (checked
	 * with the KeyGen Reply below) or denied by an agent that has none. */
	const struct mn_sa *fa = first && c->fa_keygen ? NULL : fa_assoc(c, n);
	if (fa) {
		if (!m.mn_fa.present || m.mn_fa.spi != fa->spi ||
		    !auth_verify(ctx, fa->alg, fa->key, fa->key_len, &m, &m.mn_fa)) {
			out->bad_auth = true;
			return MN_V_DROP;
		}
		out->fa_authenticated = true;
	}
	if (m.challenge.p) {
		out->challenge = m.challenge.p;
		out->challenge_len = m.challenge.len;
	}
	if (m.ha_addr != c->ha_addr)
		return MN_V_DROP;
	if (m.code == REG_CODE_ID_MISMATCH) {
		if ((uint32_t)m.ident != (uint32_t)ident)
			return MN_V_DROP;
	} else if (m.ident != ident) {
		return MN_V_DROP;
	}
	/* The home address must be the one asked for, unless we asked for one. */
	if (n->home_addr != 0 && m.home_addr != n->home_addr)
		return MN_V_DROP;

	if (m2 && m.mn_ha.present) {
		if (m.mn_ha.spi != c->mn_spi ||
		    !auth_verify(ctx, MN_METHOD2_ALG, n->ks_naf, sizeof(n->ks_naf), &m, &m.mn_ha)) {
			out->bad_auth = true;
			return MN_V_DROP;
		}
		out->authenticated = true;
		out->ks_naf_key = true;
		auth_key_fp(n->ks_naf, sizeof(n->ks_naf), out->key_fp);
	} else if (m.code <= REG_CODE_ACCEPTED_NO_SIMUL && first) {
		enum mn_verdict v = accept_keygen(ctx, c, n, &m, out);

		if (v != MN_V_ACCEPTED)
			return v;
	} else if (m.mn_ha.present) {
		/* Anything else that carries an MN-HA authenticator must verify with the
		 * association we hold. */
		if (!n->sa.valid || m.mn_ha.spi != n->sa.spi ||
		    !auth_verify(ctx, n->sa.alg, n->sa.key, n->sa.key_len, &m, &m.mn_ha)) {
			out->bad_auth = true;
			return MN_V_DROP;
		}
		out->authenticated = true;
	} else if (m.code <= REG_CODE_ACCEPTED_NO_SIMUL) {
		/* An acceptance nobody signed changes nothing. */
		out->bad_auth = true;
		return MN_V_DROP;
	}

	if (m.code == REG_CODE_ID_MISMATCH) {
		/* Trust an unsigned 133 only where the HA cannot sign: a first
		 * registration it has no association for. */
		if (!out->authenticated && !gba_first)
			return MN_V_REJECTED;
		n->clock_adj = (int64_t)(m.ident >> 32) - (int64_t)(now_ntp >> 32);
		n->floor_ident = n->last_accepted;
		return MN_V_RESYNC;
	}
	if (m.code > REG_CODE_ACCEPTED_NO_SIMUL)
		return MN_V_REJECTED;

	n->last_accepted = m.ident;
	if (phase == MN_PHASE_DEREG) {
		n->registered = false;
	} else {
		n->registered = true;
		if (n->home_addr == 0)
			n->home_addr = m.home_addr;
	}
	return MN_V_ACCEPTED;
}

unsigned mn_reg_backoff_ms(unsigned attempt, unsigned base_ms, unsigned max_ms)
{
	uint64_t t = base_ms;

	for (unsigned i = 0; i < attempt && t < max_ms; i++)
		t *= 2;
	return t > max_ms ? max_ms : (unsigned)t;
}

void mn_reg_forget_agent(struct mn_node *n)
{
	OPENSSL_cleanse(&n->fa_sa, sizeof(n->fa_sa));
	if (n->gba)
		OPENSSL_cleanse(&n->sa, sizeof(n->sa));
}

bool mn_reg_lapsed(const struct mn_node *n, double now)
{
	return (n->fa_sa.valid && n->fa_sa.deadline && now >= n->fa_sa.deadline) ||
	       (n->gba && n->sa.valid && n->sa.deadline && now >= n->sa.deadline);
}

void mn_reg_node_clear(struct mn_node *n)
{
	if (n->boot_owned) {
		struct bootstrap_entry *e = (struct bootstrap_entry *)n->boot;

		OPENSSL_cleanse(e, sizeof(*e));
		free(e);
	}
	OPENSSL_cleanse(n, sizeof(*n));
}
