#include "mip4-fa/diameter.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "agent/amr.h"
#include "agent/diameter.h"
#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "lib/log.h"
#include "lib/reg.h"

static struct {
	bool started;
	struct dict_base base;
	struct dict_mip4 mip;
	const char *dest_realm, *dest_host;
} fdia;

/* What an AMR's callbacks need to name their answer. */
struct fa_dia_amr {
	uint32_t home_addr;
	uint64_t ident;
	uint64_t sent_us;
};

static void fa_dia_push(struct relay_aaa *a)
{
	/* Without memory the pending request times out (78). */
	if (diameter_push(a) != 0)
		log_msg(LOG_LEVEL_WARNING, "diameter: out of memory for an answer of the AAA");
	OPENSSL_cleanse(a, sizeof *a);
}

bool fa_dia_pop(struct relay_aaa *out)
{
	return diameter_pop(out);
}

static union avp_value *fa_dia_val(msg_or_avp *parent, struct dict_object *model)
{
	struct avp_hdr *h = dict_avp_hdr(parent, model);
	return h ? h->avp_value : NULL;
}

/* A grouped MSA's key or nonce (value model), its SPI (spi model, may be
 * NULL) and its algorithm, which must be HMAC-SHA-1 (MIP-Algorithm-Type 2, the
 * only one RFC 4004 §9.8 names).  False when it is absent or unusable. */
static bool fa_dia_msa(struct msg *ans, struct dict_object *group, struct dict_object *spi_model,
                       struct dict_object *value_model, uint32_t *spi, uint8_t *out, size_t cap, size_t *len)
{
	struct avp *g = dict_avp_find(ans, group);
	if (!g)
		return false;
	union avp_value *alg = fa_dia_val(g, fdia.mip.mip_algorithm_type);
	union avp_value *v = fa_dia_val(g, value_model);
	union avp_value *s = spi_model ? fa_dia_val(g, spi_model) : NULL;
	if (!v || v->os.len == 0 || v->os.len > cap || (spi_model && (!s || s->u32 < REG_SPI_MIN)) ||
	    (alg && alg->i32 != MIP4_ALG_HMAC_SHA1))
		return false;
	memcpy(out, v->os.data, v->os.len);
	*len = v->os.len;
	if (s)
		*spi = s->u32;
	return true;
}

static void fa_dia_read(struct msg *ans, struct relay_aaa *a)
{
	union avp_value *v = fa_dia_val(ans, fdia.base.result_code);
	if (v)
		a->result_code = v->u32;
	else if (dict_avp_find(ans, fdia.base.experimental_result))
		a->result_code = MIP4_RC_UNABLE_TO_COMPLY; /* no Mobile IPv4 meaning */
	if ((v = fa_dia_val(ans, fdia.mip.mip_reg_reply)) && v->os.len <= sizeof a->rrp) {
		memcpy(a->rrp, v->os.data, v->os.len);
		a->rrp_len = v->os.len;
	}
	if ((v = fa_dia_val(ans, fdia.mip.mip_msa_lifetime)))
		a->msa_lifetime = v->u32;
	uint32_t none = 0;
	a->mn_fa = fa_dia_msa(ans, fdia.mip.mip_fa_to_mn_msa, fdia.mip.mip_fa_to_mn_spi, fdia.mip.mip_session_key,
	                      &a->mn_fa_spi, a->mn_fa_key, sizeof a->mn_fa_key, &a->mn_fa_key_len) &&
	           fa_dia_msa(ans, fdia.mip.mip_mn_to_fa_msa, NULL, fdia.mip.mip_nonce, &none, a->mn_fa_nonce,
	                      sizeof a->mn_fa_nonce, &a->mn_fa_nonce_len);
	a->fa_ha = fa_dia_msa(ans, fdia.mip.mip_fa_to_ha_msa, fdia.mip.mip_fa_to_ha_spi, fdia.mip.mip_session_key,
	                      &a->fa_ha_spi, a->fa_ha_key, sizeof a->fa_ha_key, &a->fa_ha_key_len);
}

static void fa_dia_start_item(struct relay_aaa *a, void *data)
{
	struct fa_dia_amr *amr = data;
	memset(a, 0, sizeof *a);
	a->home_addr = amr->home_addr;
	a->ident = amr->ident;
	a->sent_us = amr->sent_us;
	free(amr);
}

static void fa_dia_anscb(void *data, struct msg **ans)
{
	struct relay_aaa a;
	fa_dia_start_item(&a, data);
	a.answered = true;
	if (ans && *ans) {
		fa_dia_read(*ans, &a);
		fd_msg_free(*ans);
		*ans = NULL;
	}
	if (!a.result_code)
		a.result_code = MIP4_RC_UNABLE_TO_COMPLY; /* an answer without Result-Code is unusable */
	fa_dia_push(&a);
}

static void fa_dia_expirecb(void *data, DiamId_t sentto, size_t senttolen, struct msg **req)
{
	(void)sentto, (void)senttolen;
	struct relay_aaa a;
	fa_dia_start_item(&a, data);
	if (req && *req) {
		fd_msg_free(*req);
		*req = NULL;
	}
	fa_dia_push(&a);
}

int fa_dia_send_amr(const struct relay_result *r, uint32_t timeout_ms, uint64_t now_us)
{
	struct reg_msg m;
	if (!fdia.started || reg_parse_request(r->msg, r->len, &m) != REG_OK)
		return -1;
	/* Co-Located-Mobile-Node clear: the care-of address is ours. */
	uint32_t fv = 0;
	if (m.mn_ha_keyreq.present)
		fv |= MIP4_FV_MN_HA_KEY_REQUEST;
	if (m.mn_fa_keyreq.present)
		fv |= MIP4_FV_MN_FA_KEY_REQUEST;
	if (r->ask_fa_ha)
		fv |= MIP4_FV_FA_HA_KEY_REQUEST;
	struct amr_params p = { .session_tag = "mip4fa", .dest_realm = fdia.dest_realm, .dest_host = fdia.dest_host,
	                        .feature_vector = fv, .with_challenge = true, .timeout_ms = timeout_ms };
	struct fa_dia_amr *amr = malloc(sizeof *amr);
	if (!amr)
		return -1;
	*amr = (struct fa_dia_amr){ .home_addr = r->home_addr, .ident = r->ident, .sent_us = now_us };
	if (amr_send(&m, &p, fa_dia_anscb, fa_dia_expirecb, amr) != 0) {
		free(amr);
		return -1;
	}
	return 0;
}

int fa_dia_start(const struct fa_conf *c, uint32_t own_addr, struct event *wake)
{
	fdia.dest_realm = c->dia.destination_realm;
	fdia.dest_host = c->dia.destination_host;
	diameter_queue(sizeof(struct relay_aaa), wake);
	if (diameter_init("mip4-fa") != 0)
		return -1;
	if (dict_base_resolve(&fdia.base) != 0 || dict_mip4_resolve(&fdia.mip) != 0) {
		fprintf(stderr, "mip4-fa: dictionary objects missing\n");
		return -1;
	}
	if (diameter_configure(&c->dia, c->path, own_addr) != 0)
		return -1;
	int rc = fd_disp_app_support(fdia.mip.app, NULL, 1, 0);
	if (rc != 0) {
		fprintf(stderr, "mip4-fa: freeDiameter failed to start: %s\n", strerror(rc));
		return -1;
	}
	if (diameter_run() != 0)
		return -1;
	fdia.started = true;
	return 0;
}

void fa_dia_stop(void)
{
	diameter_stop();
	fdia.started = false;
	struct relay_aaa a;
	while (fa_dia_pop(&a))
		OPENSSL_cleanse(&a, sizeof a);
}
