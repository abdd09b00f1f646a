#include "mip4-ha/reg_zn.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "dict/dict_mip4.h"
#include "dict/dict_zn.h"
#include "lib/gba.h"
#include "lib/replay.h"
#include "mip4-ha/reg_internal.h"

_Static_assert(SA_KEY_MAX >= GBA_KS_NAF_LEN, "an association holds Ks_NAF whole");

/* The MN-HA algorithm of method 2 (README, "Method 2": the key decision). */
#define REG_ZN_ALG AUTH_HMAC_SHA1
/* Associations end on the monotonic clock: a Key-ExpiryTime decades away is
 * kept for ten years. */
#define REG_ZN_LIFE_MAX (10u * 365u * 86400u)

uint64_t reg_zn_btid_fp(const uint8_t *btid, size_t len)
{
	/* FNV-1a.  B-TIDs carry 128 random bits, and a collision would only make
	 * the HA check a request with the key it already holds. */
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ btid[i]) * 1099511628211ULL;
	return h;
}

uint64_t reg_zn_owner_fp(const char *impi, size_t len)
{
	/* A cryptographic digest: whoever gets a key whose IMPI matched an
	 * address's owner may take that address over. */
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;
	uint64_t fp = 0;
	if (EVP_Digest(impi, len, md, &md_len, EVP_sha256(), NULL) == 1 && md_len >= 8)
		for (int i = 0; i < 8; i++)
			fp = fp << 8 | md[i];
	return fp;
}

bool reg_zn_wants(const struct reg_state *st, const struct reg_msg *m, const struct sa *sa)
{
	const struct conf_zn *zn = &st->conf->zn;
	if (!zn->enabled || !m->mn_ha.present || m->mn_ha.spi != zn->spi || !m->nai.p || m->mn_aaa.present)
		return false;
	/* A configured key pins its address; a key of this B-TID is already held. */
	if (sa && (sa->is_static || (sa->from_zn && sa->btid_fp == reg_zn_btid_fp(m->nai.p, m->nai.len))))
		return false;
	uint8_t rand[GBA_RAND_LEN];
	const char *domain;
	size_t domain_len;
	return gba_btid_parse((const char *)m->nai.p, m->nai.len, rand, &domain, &domain_len);
}

void reg_zn_request(struct reg_state *st, const struct reg_msg *m, struct sa *sa, const struct sockaddr_in *src,
                    const struct reg_now *now, struct reg_result *r)
{
	/* Until Ks_NAF is here the HA holds no key the node has: its answers go
	 * unsigned, as hints. */
	if (reg_retransmission(st, m, now, r) || reg_refused(st, m, sa ? sa->last_ident : 0, now, NULL, r))
		return;
	if (m->home_addr == 0 || m->home_addr == 0xffffffffu) {
		/* No AAA in method 2: nobody to assign a home address. */
		r->why = "no-home-address";
		reg_reply(st, r, m, REG_CODE_PROHIBITED, 0, m->home_addr, m->ident, NULL, NULL);
		return;
	}
	reg_pend(st, m, src, now, REG_OUT_ZN, NULL, r);
}

void reg_zn_answer(struct reg_state *st, struct aaa_answer *a, const struct reg_msg *m, const struct reg_now *now,
                   struct reg_result *r)
{
	uint32_t hoa = m->home_addr;
	if (a->status != AAA_ANSWERED) {
		r->why = "bsf-unavailable";
		reg_reply(st, r, m, REG_CODE_NO_RESOURCES, 0, hoa, m->ident, NULL, NULL);
		return;
	}
	if (a->result_code != MIP4_RC_SUCCESS || !a->has_key || a->key_len != GBA_KS_NAF_LEN) {
		/* Unknown or expired B-TID, or this NAF refused: bootstrap again. */
		r->why = "bsf-refused";
		reg_reply(st, r, m, REG_CODE_MN_AUTH_FAILED, 0, hoa, m->ident, NULL, NULL);
		return;
	}
	/* Seconds left, rounded down: the association, kept on the monotonic clock,
	 * must end by Key-ExpiryTime, never after it. */
	int64_t now_unix = (int64_t)(now->ntp >> 32) - (int64_t)REPLAY_NTP_UNIX_OFFSET + ((now->ntp & 0xffffffffu) != 0);
	int64_t left = a->key_expiry - now_unix;
	if (left <= 0) {
		r->why = "ks-naf-expired";
		reg_reply(st, r, m, REG_CODE_MN_AUTH_FAILED, 0, hoa, m->ident, NULL, NULL);
		return;
	}
	if (!auth_verify(st->auth, REG_ZN_ALG, a->key, a->key_len, m, &m->mn_ha)) {
		r->why = "mn-ha-auth-failed";
		reg_reply(st, r, m, REG_CODE_MN_AUTH_FAILED, 0, hoa, m->ident, NULL, NULL);
		return;
	}
	/* The node holds this key: from here on every reply is signed with it. */
	struct reg_signer sign = { .spi = st->conf->zn.spi, .alg = REG_ZN_ALG, .key = a->key, .key_len = a->key_len };
	struct sa *old = sa_find(st->sas, hoa);
	if (old && (!old->from_zn || old->owner_fp != a->owner_fp)) {
		r->why = "home-address-in-use";
		reg_reply(st, r, m, REG_CODE_PROHIBITED, 0, hoa, m->ident, NULL, &sign);
		return;
	}
	if (old && old->last_ident >= m->ident) {
		/* Another registration of this node was accepted while we waited. */
		r->why = "not-newer";
		reg_reply(st, r, m, REG_CODE_ID_MISMATCH, 0, hoa, replay_reject_ident(m->ident, now->ntp), NULL, &sign);
		return;
	}
	if (reg_no_binding_room(st, m, hoa)) {
		r->why = "no-binding-space";
		reg_reply(st, r, m, REG_CODE_NO_RESOURCES, 0, hoa, m->ident, NULL, &sign);
		return;
	}
	struct sa_params sp = {
		.spi = st->conf->zn.spi,
		.alg = REG_ZN_ALG,
		.replay = MIP4_REPLAY_TIMESTAMPS,
		.key = a->key,
		.key_len = a->key_len,
		.expires = now->sec + (uint32_t)(left < REG_ZN_LIFE_MAX ? left : REG_ZN_LIFE_MAX),
		.from_zn = true,
		.btid_fp = reg_zn_btid_fp(m->nai.p, m->nai.len),
		.owner_fp = a->owner_fp,
	};
	struct sa *sa = sa_install(st->sas, hoa, &sp);
	if (sa)
		r->changed |= REG_CHANGED_SA;
	if (!sa) {
		r->why = "no-sa-space";
		reg_reply(st, r, m, REG_CODE_NO_RESOURCES, 0, hoa, m->ident, NULL, &sign);
		return;
	}
	uint8_t code;
	uint16_t life;
	if (!reg_accept(st, m, hoa, sa, 0, now, &code, &life, r)) {
		sa_remove(st->sas, sa);
		r->why = "no-binding-space";
		reg_reply(st, r, m, code, 0, hoa, m->ident, NULL, &sign);
		return;
	}
	st->ctr->reg_zn++;
	r->why = m->lifetime == 0 ? "deregistered" : "registered";
	struct reg_signer held = reg_signer_of(sa);
	reg_reply(st, r, m, code, life, hoa, m->ident, NULL, &held);
}

void reg_zn_outcome(struct aaa_answer *out, uint64_t pending_id, const struct zn_answer *a, const struct timespec *at)
{
	memset(out, 0, sizeof *out);
	out->pending_id = pending_id;
	out->zn = true;
	out->at = *at;
	switch (a->status) {
	case ZN_KEY:
		out->status = AAA_ANSWERED;
		out->result_code = MIP4_RC_SUCCESS;
		out->has_key = true;
		memcpy(out->key, a->ks_naf, GBA_KS_NAF_LEN);
		out->key_len = GBA_KS_NAF_LEN;
		out->key_expiry = a->expiry;
		out->owner_fp = reg_zn_owner_fp(a->impi, strnlen(a->impi, sizeof a->impi));
		break;
	case ZN_REJECT:
		out->status = AAA_ANSWERED;
		out->result_code = ZN_ER_TRANSACTION_IDENTIFIER_INVALID;
		break;
	case ZN_UNAVAILABLE:
		out->status = AAA_FAILED;
		break;
	}
}
