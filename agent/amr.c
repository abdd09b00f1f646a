#include "agent/amr.h"

#include <pthread.h>
#include <string.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "lib/deadline.h"

static struct {
	pthread_once_t once;
	int rc;
	struct dict_base base;
	struct dict_mip4 mip;
} amr = { .once = PTHREAD_ONCE_INIT };

static void amr_resolve(void)
{
	amr.rc = dict_base_resolve(&amr.base) != 0 || dict_mip4_resolve(&amr.mip) != 0 ? -1 : 0;
}

/* MIP-MN-AAA-Auth: where the authenticator is in MIP-Reg-Request. */
static int amr_add_mn_aaa(struct msg *req, const struct reg_msg *m)
{
	struct avp *grp = NULL;
	if (fd_msg_avp_new(amr.mip.mip_mn_aaa_auth, 0, &grp) != 0)
		return -1;
	int rc = dict_avp_add_u32(grp, amr.mip.mip_mn_aaa_spi, m->mn_aaa.spi);
	rc |= dict_avp_add_u32(grp, amr.mip.mip_auth_input_data_length, (uint32_t)m->mn_aaa.covered_len);
	rc |= dict_avp_add_u32(grp, amr.mip.mip_authenticator_length, (uint32_t)m->mn_aaa.authenticator.len);
	rc |= dict_avp_add_u32(grp, amr.mip.mip_authenticator_offset, (uint32_t)m->mn_aaa.covered_len);
	if (fd_msg_avp_add(req, MSG_BRW_LAST_CHILD, grp) != 0) {
		fd_msg_free(grp);
		return -1;
	}
	return rc;
}

int amr_send(const struct reg_msg *m, const struct amr_params *p, void (*anscb)(void *, struct msg **),
             void (*expirecb)(void *, DiamId_t, size_t, struct msg **), void *data)
{
	pthread_once(&amr.once, amr_resolve);
	if (amr.rc != 0 || !m->nai.p || !m->mn_aaa.present)
		return -1;
	struct msg *req = NULL;
	if (fd_msg_new(amr.mip.cmd_amr, MSGFL_ALLOC_ETEID, &req) != 0)
		return -1;
	int rc = fd_msg_new_session(req, (os0_t)p->session_tag, strlen(p->session_tag));
	rc |= fd_msg_add_origin(req, 0);
	rc |= dict_avp_add_u32(req, amr.base.auth_application_id, MIP4_APP_ID);
	rc |= dict_avp_add_os(req, amr.base.destination_realm, p->dest_realm, strlen(p->dest_realm));
	if (*p->dest_host)
		rc |= dict_avp_add_os(req, amr.base.destination_host, p->dest_host, strlen(p->dest_host));
	rc |= dict_avp_add_os(req, amr.base.user_name, m->nai.p, m->nai.len);
	rc |= dict_avp_add_os(req, amr.mip.mip_reg_request, m->buf, m->len);
	rc |= amr_add_mn_aaa(req, m);
	if (m->home_addr != 0)
		rc |= dict_avp_add_addr4(req, amr.mip.mip_mobile_node_address, m->home_addr);
	if (m->ha_addr != 0 && m->ha_addr != 0xffffffffu)
		rc |= dict_avp_add_addr4(req, amr.mip.mip_home_agent_address, m->ha_addr);
	if (p->with_challenge && m->challenge.p)
		rc |= dict_avp_add_os(req, amr.mip.mip_fa_challenge, m->challenge.p, m->challenge.len);
	rc |= dict_avp_add_u32(req, amr.mip.mip_feature_vector, p->feature_vector);
	if (m->lifetime)
		rc |= dict_avp_add_u32(req, amr.base.authorization_lifetime, m->lifetime);
	if (rc != 0) {
		fd_msg_free(req);
		return -1;
	}
	struct timespec deadline = deadline_in_ms(p->timeout_ms);
	if (fd_msg_send_timeout(&req, anscb, data, expirecb, &deadline) != 0) {
		if (req)
			fd_msg_free(req);
		return -1;
	}
	return 0;
}
