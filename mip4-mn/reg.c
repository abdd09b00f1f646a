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
	if (phase == MN_PHASE_INITIAL && n->gba) {
		reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, c->mn_spi);
		off = reg_build_auth(&b, REG_EXT_GEN_AUTH, c->aaa_spi, 16);
		if (b.err != REG_OK || off == 0)
			return 0;
		if (auth_mn_aaa_sign(ctx, c->aaa_spi, n->ks_naf, sizeof(n->ks_naf), buf, off, NULL, 0) != 0)
			return 0;
		return b.len;
	}
	if (!n->sa.valid)
		return 0;
	off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, n->sa.spi, auth_alg_len(n->sa.alg));
	if (b.err != REG_OK || off == 0)
		return 0;
	if (auth_sign(ctx, n->sa.alg, n->sa.key, n->sa.key_len, buf, off) != 0)
		return 0;
	return b.len;
}

/* A first registration accepted: derive the key the KeyGen Reply's nonce gives,
 * check the reply with it, and only then keep it as the node's association. */
static enum mn_verdict accept_keygen(struct auth_ctx *ctx, const struct mn_reg_conf *c, struct mn_node *n,
                                     const struct reg_msg *m, struct mn_reply *out)
{
	const struct reg_keyrep *k = &m->mn_ha_keyrep;
	enum auth_alg alg = (enum auth_alg)k->alg;
	uint8_t key[KEYGEN_KEY_LEN];

	out->bad_auth = true;
	if (!k->present || k->subtype != REG_KEYGEN_FROM_AAA || !m->mn_ha.present)
		return MN_V_DROP;
	if (auth_alg_len(alg) == 0 || k->aaa_spi != c->aaa_spi || m->mn_ha.spi != k->peer_spi ||
	    k->peer_spi < REG_SPI_MIN)
		return MN_V_DROP;
	if (keygen_derive(ctx, n->ks_naf, sizeof(n->ks_naf), k->nonce.p, k->nonce.len,
	                  (const uint8_t *)n->nai, n->nai_len, key) != 0)
		return MN_V_DROP;
	if (!auth_verify(ctx, alg, key, sizeof(key), m, &m->mn_ha)) {
		OPENSSL_cleanse(key, sizeof(key));
		return MN_V_DROP;
	}
	OPENSSL_cleanse(&n->sa, sizeof(n->sa));
	n->sa.valid = true;
	n->sa.spi = k->peer_spi;
	n->sa.alg = alg;
	memcpy(n->sa.key, key, sizeof(key));
	n->sa.key_len = sizeof(key);
	n->sa.lifetime = k->lifetime;
	mn_key_fp(key, sizeof(key), out->key_fp);
	OPENSSL_cleanse(key, sizeof(key));
	out->bad_auth = false;
	out->authenticated = true;
	out->new_key = true;
	out->nonce_len = k->nonce.len;
	out->key_lifetime = k->lifetime;
	return MN_V_ACCEPTED;
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

	bool m2 = n->gba && c->method == 2;
	/* Where the HA may hold no key of ours and so cannot sign: a method 1 first
	 * registration, any method 2 request (the HA may have restarted). */
	bool gba_first = n->gba && (phase == MN_PHASE_INITIAL || m2);
	if (m2 && m.mn_ha.present) {
		if (m.mn_ha.spi != c->mn_spi ||
		    !auth_verify(ctx, MN_METHOD2_ALG, n->ks_naf, sizeof(n->ks_naf), &m, &m.mn_ha)) {
			out->bad_auth = true;
			return MN_V_DROP;
		}
		out->authenticated = true;
		out->ks_naf_key = true;
		mn_key_fp(n->ks_naf, sizeof(n->ks_naf), out->key_fp);
	} else if (m.code <= REG_CODE_ACCEPTED_NO_SIMUL && gba_first && !m2) {
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

void mn_reg_node_clear(struct mn_node *n)
{
	if (n->boot_owned) {
		struct bootstrap_entry *e = (struct bootstrap_entry *)n->boot;

		OPENSSL_cleanse(e, sizeof(*e));
		free(e);
	}
	OPENSSL_cleanse(n, sizeof(*n));
}
