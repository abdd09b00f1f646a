#include "aaa-naf/har.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "dict/dict_avp.h"
#include "lib/deadline.h"

/* RFC 6733 Auth-Session-State NO_STATE_MAINTAINED, as in the AMA. */
#define HAR_NO_STATE_MAINTAINED 1

static struct fd_rt_out_hdl *har_rt;

static int har_route_direct(void *cbdata, struct msg **pmsg, struct fd_list *candidates)
{
	(void)cbdata;
	struct msg_hdr *hdr = NULL;
	if (fd_msg_hdr(*pmsg, &hdr) != 0 || hdr->msg_appl != MIP4_APP_ID || hdr->msg_code != MIP4_CMD_HAR ||
	    !(hdr->msg_flags & CMD_FLAG_REQUEST))
		return 0;
	struct avp *a = NULL;
	struct avp_hdr *h = NULL;
	const uint8_t *host = NULL;
	size_t len = 0;
	for (fd_msg_browse(*pmsg, MSG_BRW_FIRST_CHILD, &a, NULL); a; fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
		if (fd_msg_avp_hdr(a, &h) == 0 && h->avp_code == 293 && h->avp_vendor == 0 && h->avp_value) {
			host = h->avp_value->os.data; /* Destination-Host */
			len = h->avp_value->os.len;
		}
	for (struct fd_list *li = candidates->next; li != candidates; li = li->next) {
		struct rtd_candidate *c = (struct rtd_candidate *)li;
		if (!host || c->diamidlen != len || strncasecmp(c->diamid, (const char *)host, len) != 0)
			c->score = FD_SCORE_NO_DELIVERY;
	}
	return 0;
}

int har_start(void)
{
	/* Priority above every other out-callback: the last word on HARs. */
	return fd_rt_out_register(har_route_direct, NULL, 1000, &har_rt);
}

void har_stop(void)
{
	if (har_rt)
		fd_rt_out_unregister(har_rt, NULL);
	har_rt = NULL;
}

struct har_wait {
	har_done_fn done;
	void *arg;
	const struct dict_base *db;
	const struct dict_mip4 *dm;
};

static void har_answer(void *data, struct msg **ans)
{
	struct har_wait *w = data;
	uint32_t rc = MIP4_RC_UNABLE_TO_COMPLY; /* an answer without Result-Code is unusable */
	const uint8_t *rrp = NULL;
	size_t rrp_len = 0;
	struct avp_hdr *h = dict_avp_hdr(*ans, w->db->result_code);
	if (h && h->avp_value)
		rc = h->avp_value->u32;
	h = dict_avp_hdr(*ans, w->dm->mip_reg_reply);
	if (h && h->avp_value) {
		rrp = h->avp_value->os.data;
		rrp_len = h->avp_value->os.len;
	}
	w->done(w->arg, HAR_ANSWERED, rc, rrp, rrp_len);
	fd_msg_free(*ans);
	*ans = NULL;
	free(w);
}

static void har_expired(void *data, DiamId_t sentto, size_t senttolen, struct msg **req)
{
	(void)sentto, (void)senttolen;
	struct har_wait *w = data;
	if (req && *req) {
		fd_msg_free(*req);
		*req = NULL;
	}
	w->done(w->arg, HAR_TIMED_OUT, 0, NULL, 0);
	free(w);
}

int har_msa_add(struct msg *m, struct dict_object *group, const struct dict_mip4 *dm, struct dict_object *spi_model,
                uint32_t spi, bool replay, struct dict_object *value_model, const uint8_t *value, size_t len)
{
	struct avp *g = NULL;
	if (fd_msg_avp_new(group, 0, &g) != 0)
		return -1;
	if ((spi_model && dict_avp_add_u32(g, spi_model, spi)) ||
	    dict_avp_add_i32(g, dm->mip_algorithm_type, MIP4_ALG_HMAC_SHA1) ||
	    (replay && dict_avp_add_i32(g, dm->mip_replay_mode, MIP4_REPLAY_TIMESTAMPS)) ||
	    dict_avp_add_os(g, value_model, value, len) || fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g)) {
		fd_msg_free((struct msg *)g);
		return -1;
	}
	return 0;
}

int har_send(const struct dict_base *db, const struct dict_mip4 *dm, const struct har_params *p, har_done_fn done,
             void *arg)
{
	struct msg *m = NULL;
	struct har_wait *w = malloc(sizeof(*w));
	if (!w)
		return -1;
	*w = (struct har_wait){ .done = done, .arg = arg, .db = db, .dm = dm };
	/* RFC 4004 §5.3: the HAR's Session-Id is its own, not the AMR's. */
	int rc = fd_msg_new(dm->cmd_har, MSGFL_ALLOC_ETEID, &m);
	if (rc == 0)
		rc = fd_msg_new_session(m, (os0_t) "aaa_naf_har", 11) || fd_msg_add_origin(m, 0) ||
		     dict_avp_add_u32(m, db->auth_application_id, MIP4_APP_ID) ||
		     dict_avp_add_u32(m, db->authorization_lifetime, p->auth_lifetime) ||
		     dict_avp_add_i32(m, db->auth_session_state, HAR_NO_STATE_MAINTAINED) ||
		     dict_avp_add_os(m, dm->mip_reg_request, p->rrq, p->rrq_len) ||
		     dict_avp_add_os(m, db->user_name, p->nai, p->nai_len) ||
		     dict_avp_add_os(m, db->destination_realm, p->ha->realm, strlen(p->ha->realm)) ||
		     dict_avp_add_os(m, db->destination_host, p->ha->host, strlen(p->ha->host)) ||
		     dict_avp_add_u32(m, dm->mip_feature_vector, p->feature_vector);
	if (rc == 0 && p->mn_ha)
		rc = har_msa_add(m, dm->mip_mn_to_ha_msa, dm, NULL, 0, true, dm->mip_nonce, p->nonce, p->nonce_len) ||
		     har_msa_add(m, dm->mip_ha_to_mn_msa, dm, NULL, 0, true, dm->mip_session_key, p->mn_ha_key,
		                 KEYGEN_KEY_LEN);
	if (rc == 0 && p->fa_ha)
		rc = har_msa_add(m, dm->mip_ha_to_fa_msa, dm, dm->mip_ha_to_fa_spi, p->fa_ha_spi, false,
		                 dm->mip_session_key, p->fa_ha_key, KEYGEN_KEY_LEN);
	if (rc == 0 && (p->mn_ha || p->fa_ha))
		rc = dict_avp_add_u32(m, dm->mip_msa_lifetime, p->msa_lifetime);
	if (rc == 0)
		rc = dict_avp_add_addr4(m, dm->mip_mobile_node_address, p->mn_addr) ||
		     dict_avp_add_addr4(m, dm->mip_home_agent_address, p->ha_addr);
	struct timespec deadline = deadline_in_ms(p->timeout_ms);
	if (rc == 0 && fd_msg_send_timeout(&m, har_answer, w, har_expired, &deadline) == 0)
		return 0;
	if (m)
		fd_msg_free(m); /* it may hold keys: freed, never logged */
	free(w);
	return -1;
}
