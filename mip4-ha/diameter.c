#include "mip4-ha/diameter.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "agent/amr.h"
#include "agent/diameter.h"
#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "dict/dict_zn.h"
#include "lib/log.h"
#include "mip4-ha/reg_zn.h"

static struct {
	bool started;
	struct dict_base base;
	struct dict_mip4 mip;
	struct dict_zn dz;
	char *dest_realm;
	char *dest_host;
	struct zn *zn;              /* method 2: the Ks_NAF cache and BIR sender */
	struct disp_hdl *har_hdl;
	struct zn_bir_params bir;
} dia;

static void dia_push(struct aaa_answer *a)
{
	/* Without memory the loop's sweep of overdue pending entries answers an
	 * AMR's registration; a HAR stays unanswered (the AAA times out). */
	if (diameter_push(a) != 0)
		dia_har_free(a);
	OPENSSL_cleanse(a->key, sizeof a->key);
	OPENSSL_cleanse(a->fa_key, sizeof a->fa_key);
}

bool dia_pop(struct aaa_answer *out)
{
	return diameter_pop(out);
}

static struct avp_hdr *dia_child_hdr(struct avp *child)
{
	struct avp_hdr *h = NULL;
	return fd_msg_avp_hdr(child, &h) == 0 ? h : NULL;
}

/* Which MSA a grouped AVP is. */
enum dia_msa { DIA_MN_TO_HA, DIA_HA_TO_MN, DIA_HA_TO_FA };

/* Walk a grouped MSA, filling what the HA uses from it: the MN-HA nonce
 * (MIP-MN-to-HA-MSA), the MN-HA key (MIP-HA-to-MN-MSA), the FA-HA key and SPI
 * (MIP-HA-to-FA-MSA, RFC 4004 §9.3). */
static void dia_read_msa(struct avp *grouped, struct aaa_answer *a, enum dia_msa which)
{
	struct avp *c = NULL;
	bool has_fa_spi = false;
	if (fd_msg_browse(grouped, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
		return;
	for (; c; fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL)) {
		struct avp_hdr *h = dia_child_hdr(c);
		if (!h || !h->avp_value || h->avp_vendor != 0)
			continue;
		size_t len = h->avp_value->os.len;
		switch (h->avp_code) {
		case 345: /* MIP-Algorithm-Type */
			if (which != DIA_HA_TO_FA)
				a->alg = h->avp_value->u32;
			break;
		case 346: /* MIP-Replay-Mode */
			if (which != DIA_HA_TO_FA)
				a->replay_mode = h->avp_value->u32;
			break;
		case 343: /* MIP-Session-Key */
			if (which == DIA_HA_TO_MN && len > 0 && len <= sizeof a->key) {
				memcpy(a->key, h->avp_value->os.data, len);
				a->key_len = len;
				a->has_key = true;
			} else if (which == DIA_HA_TO_FA && len > 0 && len <= sizeof a->fa_key) {
				memcpy(a->fa_key, h->avp_value->os.data, len);
				a->fa_key_len = len;
			}
			break;
		case 335: /* MIP-nonce */
			if (which == DIA_MN_TO_HA && len <= sizeof a->nonce) {
				memcpy(a->nonce, h->avp_value->os.data, len);
				a->nonce_len = len;
				a->has_nonce = true;
			}
			break;
		case 323: /* MIP-HA-to-FA-SPI */
			if (which == DIA_HA_TO_FA) {
				a->fa_spi = h->avp_value->u32;
				has_fa_spi = true;
			}
			break;
		default:
			break;
		}
	}
	if (which == DIA_HA_TO_FA)
		a->has_fa_key = has_fa_spi && a->fa_spi >= REG_SPI_MIN && a->fa_key_len > 0;
}

static void dia_read_answer(struct msg *ans, struct aaa_answer *a)
{
	struct avp *avp = NULL;
	for (fd_msg_browse(ans, MSG_BRW_FIRST_CHILD, &avp, NULL); avp; fd_msg_browse(avp, MSG_BRW_NEXT, &avp, NULL)) {
		struct avp_hdr *h = dia_child_hdr(avp);
		if (!h || h->avp_vendor != 0)
			continue;
		switch (h->avp_code) {
		case 268: /* Result-Code */
			if (h->avp_value)
				a->result_code = h->avp_value->u32;
			break;
		case 297: /* Experimental-Result: no MIPv4 meaning, count it as unspecified */
			if (!a->result_code)
				a->result_code = 5012;
			break;
		case 291: /* Authorization-Lifetime */
			if (h->avp_value) {
				a->auth_lifetime = h->avp_value->u32;
				a->has_auth_lifetime = true;
			}
			break;
		case 367: /* MIP-MSA-Lifetime */
			if (h->avp_value) {
				a->msa_lifetime = h->avp_value->u32;
				a->has_msa_lifetime = true;
			}
			break;
		case 333: /* MIP-Mobile-Node-Address: 2-octet family then the address */
			if (h->avp_value && h->avp_value->os.len == 6 && h->avp_value->os.data[0] == 0 &&
			    h->avp_value->os.data[1] == 1) {
				memcpy(&a->mn_addr, h->avp_value->os.data + 2, 4);
				a->has_mn_addr = true;
			}
			break;
		case 331: /* MIP-MN-to-HA-MSA */
			dia_read_msa(avp, a, DIA_MN_TO_HA);
			break;
		case 332: /* MIP-HA-to-MN-MSA */
			dia_read_msa(avp, a, DIA_HA_TO_MN);
			break;
		case 329: /* MIP-HA-to-FA-MSA (HAR) */
			dia_read_msa(avp, a, DIA_HA_TO_FA);
			break;
		case 320: /* MIP-Reg-Request (HAR) */
			if (h->avp_value && !a->rrq && h->avp_value->os.len >= REG_RRQ_FIXED_LEN &&
			    h->avp_value->os.len <= REG_MAX_DATAGRAM && (a->rrq = malloc(h->avp_value->os.len))) {
				memcpy(a->rrq, h->avp_value->os.data, h->avp_value->os.len);
				a->rrq_len = h->avp_value->os.len;
			}
			break;
		default:
			break;
		}
	}
}

static void dia_anscb(void *data, struct msg **ans)
{
	struct aaa_answer a;
	memset(&a, 0, sizeof a);
	a.pending_id = (uint64_t)(uintptr_t)data;
	a.status = AAA_ANSWERED;
	clock_gettime(CLOCK_MONOTONIC, &a.at);
	if (ans && *ans) {
		dia_read_answer(*ans, &a);
		fd_msg_free(*ans);
		*ans = NULL;
	}
	if (!a.result_code)
		a.result_code = 5012; /* an answer without Result-Code is unusable */
	dia_push(&a);
}

static void dia_expirecb(void *data, DiamId_t sentto, size_t senttolen, struct msg **req)
{
	(void)sentto, (void)senttolen;
	struct aaa_answer a;
	memset(&a, 0, sizeof a);
	a.pending_id = (uint64_t)(uintptr_t)data;
	a.status = AAA_TIMED_OUT;
	clock_gettime(CLOCK_MONOTONIC, &a.at);
	if (req && *req) {
		fd_msg_free(*req);
		*req = NULL;
	}
	dia_push(&a);
}

int dia_send_amr(const struct reg_msg *m, uint64_t pending_id, uint32_t timeout_ms)
{
	if (!dia.started)
		return -1;
	uint32_t fv = MIP4_FV_CO_LOCATED_MOBILE_NODE;
	if (m->mn_ha_keyreq.present)
		fv |= MIP4_FV_MN_HA_KEY_REQUEST;
	if (m->home_addr == 0 || m->home_addr == 0xffffffffu)
		fv |= MIP4_FV_MN_HOME_ADDRESS_REQUESTED;
	struct amr_params p = { .session_tag = "mip4ha", .dest_realm = dia.dest_realm, .dest_host = dia.dest_host,
	                        .feature_vector = fv, .timeout_ms = timeout_ms };
	return amr_send(m, &p, dia_anscb, dia_expirecb, (void *)(uintptr_t)pending_id);
}

void dia_har_free(struct aaa_answer *a)
{
	free(a->rrq);
	a->rrq = NULL;
	if (a->har_answer)
		fd_msg_free(a->har_answer);
	a->har_answer = NULL;
}

/* Send ans with Result-Code rc, plus Failed-AVP{failed} when given. */
static void dia_haa_send(struct msg *ans, uint32_t rc, struct avp *failed)
{
	int e = dict_avp_add_u32(ans, dia.base.auth_application_id, MIP4_APP_ID);
	e |= dict_avp_add_u32(ans, dia.base.result_code, rc);
	e |= fd_msg_add_origin(ans, 0);
	struct avp *fa = NULL;
	if (failed && fd_msg_avp_new(dia.base.failed_avp, 0, &fa) == 0 && fd_msg_avp_add(fa, MSG_BRW_LAST_CHILD, failed) == 0)
		e |= fd_msg_avp_add(ans, MSG_BRW_LAST_CHILD, fa);
	if (e != 0)
		log_msg(LOG_LEVEL_WARNING, "diameter: cannot build the HAA");
	if (fd_msg_send(&ans, NULL, NULL) != 0 && ans)
		fd_msg_free(ans);
}

/* A HAR (freeDiameter thread): copy the request and its keys, keep the
 * answer, and hand both to the loop. */
static int dia_har_cb(struct msg **msg, struct avp *avp, struct session *sess, void *opaque, enum disp_action *act)
{
	(void)avp, (void)sess, (void)opaque;
	*act = DISP_ACT_CONT;
	struct aaa_answer a;
	memset(&a, 0, sizeof a);
	a.har = true;
	a.status = AAA_ANSWERED;
	clock_gettime(CLOCK_MONOTONIC, &a.at);
	dia_read_answer(*msg, &a);
	a.result_code = 0;
	struct avp *rrq = dict_avp_find(*msg, dia.mip.mip_reg_request);
	if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0) != 0) {
		free(a.rrq);
		OPENSSL_cleanse(&a, sizeof a);
		return ENOMEM; /* freeDiameter answers the request itself */
	}
	struct msg *ans = *msg;
	*msg = NULL;
	if (!a.rrq) {
		/* RFC 6733 §7.5: a missing AVP is named with an example of it. */
		OPENSSL_cleanse(&a, sizeof a);
		dia_haa_send(ans, rrq ? MIP4_RC_INVALID_AVP_VALUE : MIP4_RC_MISSING_AVP,
		             dict_avp_example(dia.mip.mip_reg_request, rrq));
		return 0;
	}
	a.har_answer = ans;
	dia_push(&a);
	return 0;
}

void dia_answer_har(struct aaa_answer *a, const uint8_t *rrp, size_t len, uint32_t home_addr)
{
	struct msg *ans = a->har_answer;
	a->har_answer = NULL;
	free(a->rrq);
	a->rrq = NULL;
	if (!ans)
		return;
	int e = 0;
	if (len)
		e |= dict_avp_add_os(ans, dia.mip.mip_reg_reply, rrp, len);
	if (a->result_code == MIP4_RC_SUCCESS && home_addr)
		e |= dict_avp_add_addr4(ans, dia.mip.mip_mobile_node_address, home_addr);
	if (e != 0) {
		log_msg(LOG_LEVEL_WARNING, "diameter: cannot add the registration reply to the HAA");
		a->result_code = MIP4_RC_UNABLE_TO_COMPLY;
	}
	dia_haa_send(ans, a->result_code, NULL);
}

static void dia_zn_done(void *arg, const struct zn_answer *za)
{
	struct aaa_answer a;
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	reg_zn_outcome(&a, (uint64_t)(uintptr_t)arg, za, &at);
	dia_push(&a);
}

void dia_zn_lookup(const uint8_t *btid, size_t len, uint64_t pending_id, int64_t now_unix)
{
	zn_lookup(dia.zn, (const char *)btid, len, now_unix, dia_zn_done, (void *)(uintptr_t)pending_id);
}

void dia_zn_stats(struct zn_stats *s)
{
	if (dia.zn)
		zn_get_stats(dia.zn, s);
	else
		memset(s, 0, sizeof *s);
}

/* Method 2: the Zn dictionary, application and client. */
static int dia_zn_start(const struct conf *c)
{
	int rc = dict_zn_register();
	if (rc != 0 || (rc = dict_zn_resolve(&dia.dz)) != 0) {
		fprintf(stderr, "mip4-ha: cannot define the Zn dictionary: %s\n", strerror(rc));
		return -1;
	}
	dia.bir = (struct zn_bir_params){
		.db = &dia.base, .dz = &dia.dz, .naf_id = c->zn.naf_id, .naf_id_len = c->zn.naf_id_len,
		.realm = c->zn.realm, .host = c->zn.host, .timeout_ms = c->zn.timeout_ms,
	};
	dia.zn = zn_new(c->zn.cache_size, c->zn.negative_ttl, zn_bir_send, &dia.bir);
	if (!dia.zn) {
		fprintf(stderr, "mip4-ha: out of memory for the Zn cache\n");
		return -1;
	}
	if ((rc = fd_disp_app_support(dia.dz.app, dia.dz.vendor, 1, 0)) != 0) {
		fprintf(stderr, "mip4-ha: cannot advertise the Zn application: %s\n", strerror(rc));
		return -1;
	}
	char hex[2 * GBA_NAF_ID_MAX + 1];
	for (size_t i = 0; i < c->zn.naf_id_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", c->zn.naf_id[i]);
	log_msg(LOG_LEVEL_NOTICE, "zn: method 2 (HA as NAF), NAF_Id %s, MN-HA SPI %u, BIRs to %s%s%s", hex, c->zn.spi,
	        *c->zn.realm ? c->zn.realm : "the B-TID's domain", *c->zn.host ? " host " : "", c->zn.host);
	return 0;
}

int dia_start(const struct conf *c, struct event *wake)
{
	dia.dest_realm = c->dia.destination_realm;
	dia.dest_host = c->dia.destination_host;
	diameter_queue(sizeof(struct aaa_answer), wake);
	if (diameter_init("mip4-ha") != 0)
		return -1;
	if (dict_base_resolve(&dia.base) != 0 || dict_mip4_resolve(&dia.mip) != 0) {
		fprintf(stderr, "mip4-ha: dictionary objects missing\n");
		return -1;
	}
	if (diameter_configure(&c->dia, c->path, c->address) != 0)
		return -1;
	int rc = 0;
	if (conf_peers_with_role(&c->dia, CONF_ROLE_AAA)) {
		struct disp_when when = { .app = dia.mip.app, .command = dia.mip.cmd_har };
		rc = fd_disp_app_support(dia.mip.app, NULL, 1, 0);
		if (rc == 0)
			rc = fd_disp_register(dia_har_cb, DISP_HOW_CC, &when, NULL, &dia.har_hdl);
	}
	if (rc != 0) {
		fprintf(stderr, "mip4-ha: freeDiameter failed to start: %s\n", strerror(rc));
		return -1;
	}
	if (c->zn.enabled && dia_zn_start(c) != 0)
		return -1;
	if (diameter_run() != 0)
		return -1;
	dia.started = true;
	return 0;
}

bool dia_ready(char *desc, size_t len)
{
	return diameter_ready(desc, len);
}

void dia_stop(void)
{
	diameter_stop();
	dia.started = false;
	zn_free(dia.zn);
	dia.zn = NULL;
	struct aaa_answer a;
	while (dia_pop(&a)) {
		dia_har_free(&a);
		OPENSSL_cleanse(&a, sizeof a);
	}
}
