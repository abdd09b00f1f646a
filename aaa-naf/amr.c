#include "aaa-naf/amr.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "aaa-naf/har.h"
#include "aaa-naf/verifier.h"
#include "dict/dict_avp.h"
#include "lib/reg.h"

/* RFC 6733 Auth-Session-State NO_STATE_MAINTAINED: the AAA keeps no session. */
#define AMR_NO_STATE_MAINTAINED 1

/* OpenSSL contexts are not thread-safe and costly to create: a free list of
 * them, shared by the dispatch and Zn-answer threads.  (Not thread-specific
 * data: its destructors would run in threads that outlive the extension.) */
struct amr_ctx_slot {
	struct amr_ctx_slot *next;
	struct auth_ctx *ctx;
};
static pthread_mutex_t amr_ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct amr_ctx_slot *amr_ctx_free_list;

struct auth_ctx *amr_auth_ctx_get(void)
{
	pthread_mutex_lock(&amr_ctx_lock);
	struct amr_ctx_slot *s = amr_ctx_free_list;
	if (s)
		amr_ctx_free_list = s->next;
	pthread_mutex_unlock(&amr_ctx_lock);
	if (s) {
		struct auth_ctx *c = s->ctx;
		free(s);
		return c;
	}
	return auth_ctx_new();
}

void amr_auth_ctx_put(struct auth_ctx *c)
{
	struct amr_ctx_slot *s;
	if (!c)
		return;
	if (!(s = malloc(sizeof(*s)))) {
		auth_ctx_free(c);
		return;
	}
	s->ctx = c;
	pthread_mutex_lock(&amr_ctx_lock);
	s->next = amr_ctx_free_list;
	amr_ctx_free_list = s;
	pthread_mutex_unlock(&amr_ctx_lock);
}

static void amr_auth_ctx_drain(void)
{
	pthread_mutex_lock(&amr_ctx_lock);
	struct amr_ctx_slot *s = amr_ctx_free_list;
	amr_ctx_free_list = NULL;
	pthread_mutex_unlock(&amr_ctx_lock);
	for (struct amr_ctx_slot *nx; s; s = nx) {
		nx = s->next;
		auth_ctx_free(s->ctx);
		free(s);
	}
}

/* One AMR between its validation and its answer. */
struct amr_job {
	struct amr_server *srv;
	struct msg *ans;
	uint8_t *rrq_buf;
	size_t rrq_len;
	struct reg_msg rrq;
	uint8_t challenge[256];
	size_t challenge_len;
	bool has_challenge;
	bool want_key, want_address;
	uint32_t home_addr, ha_addr; /* network byte order */
	char nai[REG_NAI_MAX + 1];
	size_t nai_len;
	/* FA care-of mode (no Co-Located-Mobile-Node): the HAR/HAA round trip. */
	bool fa_mode, want_fa_key, want_fa_ha;
	uint32_t fv;
	bool has_ha_host;               /* MIP-Home-Agent-Host named the home agent */
	struct conf_home_agent ha;      /* where the HAR goes */
	struct verifier_result vr;      /* kept until the AMA is sent */
	uint8_t fa_ha_key[KEYGEN_KEY_LEN];
	uint32_t mn_addr, msa_life, auth_life;
};

static void amr_job_free(struct amr_job *j)
{
	if (j->ans)
		fd_msg_free(j->ans);
	free(j->rrq_buf);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

/* ---- AVP helpers ---- */

/* Send *ans with an error Result-Code (a base-protocol name), Error-Message and,
 * when failed is given, Failed-AVP{failed}. */
static void amr_send_error(struct amr_server *s, struct msg **ans, const char *rc_name,
                           const char *errmsg, struct avp *failed)
{
	struct avp *fa = NULL;
	if (failed && fd_msg_avp_new(s->db.failed_avp, 0, &fa) == 0 &&
	    fd_msg_avp_add(fa, MSG_BRW_LAST_CHILD, failed) != 0) {
		fd_msg_free((struct msg *)fa);
		fd_msg_free((struct msg *)failed);
		fa = NULL;
	} else if (failed && !fa) {
		fd_msg_free((struct msg *)failed);
	}
	dict_avp_add_u32(*ans, s->db.auth_application_id, MIP4_APP_ID);
	if (fd_msg_rescode_set(*ans, (char *)rc_name, (char *)errmsg, NULL, 1) != 0)
		fd_log_error("aaa_naf: cannot set Result-Code %s", rc_name);
	if (fa && fd_msg_avp_add(*ans, MSG_BRW_LAST_CHILD, fa) != 0)
		fd_msg_free((struct msg *)fa);
	if (fd_msg_send(ans, NULL, NULL) != 0 && *ans) {
		fd_msg_free(*ans);
		*ans = NULL;
	}
}

static const char *amr_unavailable_name(unsigned rc)
{
	switch (rc) {
	case 3004: return "DIAMETER_TOO_BUSY";
	case 4002: return "DIAMETER_OUT_OF_SPACE";
	default: return "DIAMETER_UNABLE_TO_DELIVER";
	}
}

/* ---- after the key lookup ---- */

static uint32_t amr_min(uint64_t a, uint64_t b)
{
	uint64_t m = a < b ? a : b;
	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

static int amr_build_success(struct amr_job *j, const struct verifier_result *vr,
                             uint32_t mn_addr, uint32_t ha_addr, uint32_t msa_life,
                             uint32_t auth_life)
{
	struct amr_server *s = j->srv;
	struct msg *a = j->ans;
	if (dict_avp_add_u32(a, s->db.auth_application_id, MIP4_APP_ID) ||
	    fd_msg_rescode_set(a, "DIAMETER_SUCCESS", NULL, NULL, 1) ||
	    dict_avp_add_os(a, s->db.user_name, j->nai, j->nai_len) ||
	    dict_avp_add_u32(a, s->db.authorization_lifetime, auth_life) ||
	    dict_avp_add_i32(a, s->db.auth_session_state, AMR_NO_STATE_MAINTAINED))
		return -1;
	if (vr->has_key) {
		struct avp *mn_ha = NULL, *ha_mn = NULL;
		if (fd_msg_avp_new(s->dm.mip_mn_to_ha_msa, 0, &mn_ha) ||
		    dict_avp_add_i32(mn_ha, s->dm.mip_algorithm_type, MIP4_ALG_HMAC_SHA1) ||
		    dict_avp_add_i32(mn_ha, s->dm.mip_replay_mode, MIP4_REPLAY_TIMESTAMPS) ||
		    dict_avp_add_os(mn_ha, s->dm.mip_nonce, vr->nonce, vr->nonce_len) ||
		    (s->conf->mn_ha_spi_avp &&
		     dict_avp_add_u32(mn_ha, s->dm.mip_mn_ha_spi, j->rrq.mn_ha_keyreq.mn_spi)) ||
		    fd_msg_avp_add(a, MSG_BRW_LAST_CHILD, mn_ha)) {
			if (mn_ha)
				fd_msg_free((struct msg *)mn_ha);
			return -1;
		}
		if (fd_msg_avp_new(s->dm.mip_ha_to_mn_msa, 0, &ha_mn) ||
		    dict_avp_add_i32(ha_mn, s->dm.mip_algorithm_type, MIP4_ALG_HMAC_SHA1) ||
		    dict_avp_add_i32(ha_mn, s->dm.mip_replay_mode, MIP4_REPLAY_TIMESTAMPS) ||
		    dict_avp_add_os(ha_mn, s->dm.mip_session_key, vr->mn_ha_key, sizeof(vr->mn_ha_key)) ||
		    fd_msg_avp_add(a, MSG_BRW_LAST_CHILD, ha_mn)) {
			if (ha_mn)
				fd_msg_free((struct msg *)ha_mn);
			return -1;
		}
		if (dict_avp_add_u32(a, s->dm.mip_msa_lifetime, msa_life))
			return -1;
	}
	if (dict_avp_add_addr4(a, s->dm.mip_home_agent_address, ha_addr) ||
	    dict_avp_add_addr4(a, s->dm.mip_mobile_node_address, mn_addr))
		return -1;
	return 0;
}

/* The AMA of FA care-of mode (RFC 4004 §5.2): the home agent's reply, the
 * MN-FA key for the foreign agent (MIP-FA-to-MN-MSA) with the nonce it puts in
 * the MN-FA KeyGen Reply (MIP-MN-to-FA-MSA), and the FA-HA key. */
static int amr_build_fa_success(struct amr_job *j, const uint8_t *rrp, size_t rrp_len)
{
	struct amr_server *s = j->srv;
	struct msg *a = j->ans;
	if (dict_avp_add_u32(a, s->db.auth_application_id, MIP4_APP_ID) ||
	    fd_msg_rescode_set(a, "DIAMETER_SUCCESS", NULL, NULL, 1) ||
	    dict_avp_add_os(a, s->db.user_name, j->nai, j->nai_len) ||
	    dict_avp_add_u32(a, s->db.authorization_lifetime, j->auth_life) ||
	    dict_avp_add_i32(a, s->db.auth_session_state, AMR_NO_STATE_MAINTAINED) ||
	    dict_avp_add_os(a, s->dm.mip_reg_reply, rrp, rrp_len))
		return -1;
	if (j->vr.has_fa_key &&
	    (har_msa_add(a, s->dm.mip_mn_to_fa_msa, &s->dm, NULL, 0, false, s->dm.mip_nonce, j->vr.fa_nonce,
	                 j->vr.fa_nonce_len) ||
	     har_msa_add(a, s->dm.mip_fa_to_mn_msa, &s->dm, s->dm.mip_fa_to_mn_spi, j->rrq.mn_fa_keyreq.mn_spi, false,
	                 s->dm.mip_session_key, j->vr.mn_fa_key, sizeof(j->vr.mn_fa_key))))
		return -1;
	if (j->want_fa_ha && har_msa_add(a, s->dm.mip_fa_to_ha_msa, &s->dm, s->dm.mip_fa_to_ha_spi,
	                                 s->conf->fa_ha_spi, false, s->dm.mip_session_key, j->fa_ha_key,
	                                 sizeof(j->fa_ha_key)))
		return -1;
	if ((j->vr.has_fa_key || j->want_fa_ha) && dict_avp_add_u32(a, s->dm.mip_msa_lifetime, j->msa_life))
		return -1;
	if (dict_avp_add_addr4(a, s->dm.mip_home_agent_address, j->ha_addr) ||
	    dict_avp_add_addr4(a, s->dm.mip_mobile_node_address, j->mn_addr))
		return -1;
	return 0;
}

/* Answer the AMR afresh with an error (a half-built answer may hold keys). */
static void amr_restart_answer(struct amr_job *j)
{
	struct msg *req = NULL;
	fd_msg_answ_getq(j->ans, &req);
	fd_msg_answ_detach(j->ans);
	fd_msg_free(j->ans);
	j->ans = NULL;
	if (req && fd_msg_new_answer_from_req(fd_g_config->cnf_dict, &req, 0) == 0)
		j->ans = req;
}

static void amr_har_done(void *arg, enum har_status st, uint32_t rc, const uint8_t *rrp, size_t rrp_len)
{
	struct amr_job *j = arg;
	struct amr_server *s = j->srv;
	char msg[384];
	if (st == HAR_ANSWERED && rc == MIP4_RC_SUCCESS && rrp && rrp_len >= REG_RRP_FIXED_LEN) {
		if (amr_build_fa_success(j, rrp, rrp_len) == 0) {
			atomic_fetch_add(&s->n.success, 1);
			if (fd_msg_send(&j->ans, NULL, NULL) != 0)
				fd_log_error("aaa_naf: cannot send AMA for %s", j->nai);
			amr_job_free(j);
			return;
		}
		amr_restart_answer(j);
		if (j->ans) {
			atomic_fetch_add(&s->n.failed, 1);
			amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY", "cannot build the answer", NULL);
		}
		amr_job_free(j);
		return;
	}
	atomic_fetch_add(&s->n.failed, 1);
	if (st == HAR_TIMED_OUT || (rc >= 3000 && rc < 4000)) {
		/* RFC 4004 §6.2: the home agent could not be reached. */
		if (st == HAR_TIMED_OUT)
			snprintf(msg, sizeof(msg), "home agent %s did not answer the HAR within %u ms", j->ha.host,
			         s->conf->har_timeout_ms);
		else
			snprintf(msg, sizeof(msg), "home agent %s unreachable (HAR answered %u)", j->ha.host, rc);
		amr_send_error(s, &j->ans, "DIAMETER_ERROR_HA_NOT_AVAILABLE", msg, NULL);
	} else if (rc == MIP4_RC_MIP_REPLY_FAILURE && rrp && rrp_len >= REG_RRP_FIXED_LEN) {
		/* The home agent denied the registration: its reply goes to the FA as is. */
		snprintf(msg, sizeof(msg), "home agent %s denied the registration (code %u)", j->ha.host, rrp[1]);
		if (dict_avp_add_os(j->ans, s->dm.mip_reg_reply, rrp, rrp_len) != 0)
			fd_log_error("aaa_naf: cannot add MIP-Reg-Reply for %s", j->nai);
		amr_send_error(s, &j->ans, "DIAMETER_ERROR_MIP_REPLY_FAILURE", msg, NULL);
	} else {
		snprintf(msg, sizeof(msg), "home agent %s answered the HAR with %u", j->ha.host, rc);
		amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY", msg, NULL);
	}
	amr_job_free(j);
}

/* FA care-of mode, once the node is authenticated: keys for the HA and the FA,
 * then the HAR (RFC 4004 §1.2 steps 3-5).  Takes vr (wiped here). */
static void amr_fa_har(struct amr_job *j, struct verifier_result *vr, uint32_t mn_addr, uint32_t ha_addr,
                       uint32_t msa_life, uint32_t auth_life)
{
	struct amr_server *s = j->srv;
	char msg[384], a[INET_ADDRSTRLEN];
	j->vr = *vr;
	verifier_result_wipe(vr);
	const struct conf_home_agent *ha = j->has_ha_host ? &j->ha : conf_home_agent_find(s->conf, ha_addr);
	if (!ha) {
		inet_ntop(AF_INET, &ha_addr, a, sizeof(a));
		snprintf(msg, sizeof(msg), "no Diameter identity known for home agent %s (configure a home-agent section, "
		         "or send MIP-Home-Agent-Host)", a);
		atomic_fetch_add(&s->n.failed, 1);
		amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY", msg, NULL);
		amr_job_free(j);
		return;
	}
	if (ha != &j->ha)
		j->ha = *ha;
	if (j->want_fa_ha && RAND_bytes(j->fa_ha_key, sizeof(j->fa_ha_key)) != 1) {
		atomic_fetch_add(&s->n.failed, 1);
		amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY", "internal crypto failure", NULL);
		amr_job_free(j);
		return;
	}
	j->mn_addr = mn_addr;
	j->ha_addr = ha_addr;
	j->msa_life = msa_life;
	j->auth_life = auth_life;
	struct har_params p = {
		.ha = &j->ha, .rrq = j->rrq_buf, .rrq_len = j->rrq_len, .nai = j->nai, .nai_len = j->nai_len,
		.feature_vector = j->fv, .mn_addr = mn_addr, .ha_addr = ha_addr, .msa_lifetime = msa_life,
		.auth_lifetime = auth_life, .mn_ha = j->vr.has_key, .mn_ha_key = j->vr.mn_ha_key,
		.nonce = j->vr.nonce, .nonce_len = j->vr.nonce_len, .fa_ha = j->want_fa_ha,
		.fa_ha_spi = s->conf->fa_ha_spi, .fa_ha_key = j->fa_ha_key, .timeout_ms = s->conf->har_timeout_ms,
	};
	if (har_send(&s->db, &s->dm, &p, amr_har_done, j) != 0) {
		atomic_fetch_add(&s->n.failed, 1);
		snprintf(msg, sizeof(msg), "cannot send the HAR to home agent %s", j->ha.host);
		amr_send_error(s, &j->ans, "DIAMETER_ERROR_HA_NOT_AVAILABLE", msg, NULL);
		amr_job_free(j);
	}
}

static void amr_key_done(void *arg, enum keysrc_status st, const struct keysrc_key *k,
                         const char *reason)
{
	struct amr_job *j = arg;
	struct amr_server *s = j->srv;
	char msg[256];
	int64_t now = (int64_t)time(NULL);

	if (st == KEYSRC_UNAVAILABLE) {
		atomic_fetch_add(&s->n.unavailable, 1);
		snprintf(msg, sizeof(msg), "key source unavailable: %s", reason);
		fd_log_debug("aaa_naf: AMR for %s: %s", j->nai, msg);
		amr_send_error(s, &j->ans, amr_unavailable_name(s->conf->zn_unavailable_rc), msg, NULL);
		amr_job_free(j);
		return;
	}
	if (st == KEYSRC_REJECT || !k) {
		atomic_fetch_add(&s->n.rejected, 1);
		snprintf(msg, sizeof(msg), "authentication rejected: %s", reason);
		fd_log_debug("aaa_naf: AMR for %s: %s", j->nai, msg);
		amr_send_error(s, &j->ans, "DIAMETER_AUTHENTICATION_REJECTED", msg, NULL);
		amr_job_free(j);
		return;
	}
	if (k->expiry && k->expiry <= now) {
		atomic_fetch_add(&s->n.rejected, 1);
		amr_send_error(s, &j->ans, "DIAMETER_AUTHENTICATION_REJECTED",
		               "authentication rejected: GBA key expired: bootstrap again", NULL);
		amr_job_free(j);
		return;
	}

	struct auth_ctx *ctx = amr_auth_ctx_get();
	struct verifier_result vr;
	unsigned want = (j->want_key ? VERIFIER_WANT_MN_HA : 0) | (j->want_fa_key ? VERIFIER_WANT_MN_FA : 0);
	enum verifier_outcome o = ctx ? verifier_run(ctx, k->alg, k->key, k->len, &j->rrq,
	                                             j->has_challenge ? j->challenge : NULL,
	                                             j->challenge_len, want,
	                                             s->conf->nonce_len, &vr)
	                              : VERIFIER_INTERNAL;
	amr_auth_ctx_put(ctx);
	if (o != VERIFIER_OK) {
		if (o == VERIFIER_INTERNAL) {
			atomic_fetch_add(&s->n.failed, 1);
			amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY", "internal crypto failure", NULL);
		} else {
			atomic_fetch_add(&s->n.rejected, 1);
			fd_log_debug("aaa_naf: AMR for %s: MN-AAA authenticator mismatch (%s key)", j->nai,
			             conf_keysrc_name(k->source));
			amr_send_error(s, &j->ans, "DIAMETER_AUTHENTICATION_REJECTED",
			               "authentication rejected: MN-AAA authenticator mismatch", NULL);
		}
		amr_job_free(j);
		return;
	}

	uint64_t remaining = k->expiry ? (uint64_t)(k->expiry - now) : UINT64_MAX;
	uint32_t msa_life = amr_min(s->conf->key_lifetime, remaining);
	uint32_t auth_life = amr_min(amr_min(j->rrq.lifetime, s->conf->reg_lifetime), msa_life);

	uint32_t mn_addr = j->home_addr;
	if (j->want_address) {
		enum pool_result pr = pool_assign(s->pool, k->owner, strlen(k->owner), &mn_addr);
		if (pr != POOL_OK) {
			if (pr == POOL_STATE_ERROR)
				fd_log_error("aaa_naf: %s: cannot record a new home address assignment (disk full? I/O error?): "
				             "refusing new addresses", s->conf->pool_state);
			verifier_result_wipe(&vr);
			atomic_fetch_add(&s->n.failed, 1);
			amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY",
			               pr == POOL_EXHAUSTED        ? "home address pool exhausted"
			               : pr == POOL_NOT_CONFIGURED ? "no home address pool configured"
			               : pr == POOL_STATE_ERROR    ? "cannot record the home address assignment"
			               : pr == POOL_BAD_OWNER      ? "identity not usable as a home address owner"
			                                           : "out of memory assigning a home address",
			               NULL);
			amr_job_free(j);
			return;
		}
	}
	uint32_t ha_addr = j->ha_addr;
	if (ha_addr == 0 || ha_addr == 0xffffffffu)
		ha_addr = s->conf->home_agent;
	if (ha_addr == 0) {
		verifier_result_wipe(&vr);
		atomic_fetch_add(&s->n.failed, 1);
		amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY",
		               "the request names no home agent and none is configured", NULL);
		amr_job_free(j);
		return;
	}

	if (j->fa_mode) {
		amr_fa_har(j, &vr, mn_addr, ha_addr, msa_life, auth_life);
		return;
	}
	int rc = amr_build_success(j, &vr, mn_addr, ha_addr, msa_life, auth_life);
	verifier_result_wipe(&vr);
	if (rc != 0) {
		/* The half-built answer may hold the key: drop it, answer afresh. */
		struct msg *req = NULL;
		fd_msg_answ_getq(j->ans, &req);
		fd_msg_answ_detach(j->ans);
		fd_msg_free(j->ans);
		j->ans = req;
		if (req && fd_msg_new_answer_from_req(fd_g_config->cnf_dict, &j->ans, 0) == 0) {
			atomic_fetch_add(&s->n.failed, 1);
			amr_send_error(s, &j->ans, "DIAMETER_UNABLE_TO_COMPLY", "cannot build the answer", NULL);
		}
		amr_job_free(j);
		return;
	}
	atomic_fetch_add(&s->n.success, 1);
	if (fd_msg_send(&j->ans, NULL, NULL) != 0)
		fd_log_error("aaa_naf: cannot send AMA for %s", j->nai);
	amr_job_free(j);
}

/* ---- request validation ---- */

static int amr_u32(struct avp *a, uint32_t *out)
{
	struct avp_hdr *h = NULL;
	if (!a || fd_msg_avp_hdr(a, &h) || !h->avp_value)
		return -1;
	*out = h->avp_value->u32;
	return 0;
}

static int amr_os(struct avp *a, const uint8_t **p, size_t *len)
{
	struct avp_hdr *h = NULL;
	if (!a || fd_msg_avp_hdr(a, &h) || !h->avp_value)
		return -1;
	*p = h->avp_value->os.data;
	*len = h->avp_value->os.len;
	return 0;
}

static int amr_cb(struct msg **msg, struct avp *avp, struct session *sess, void *opaque,
                  enum disp_action *act)
{
	(void)avp;
	(void)sess;
	struct amr_server *s = opaque;
	struct msg *req = *msg, *ans;
	char em[256];
	*act = DISP_ACT_CONT;
	atomic_fetch_add(&s->n.requests, 1);
	if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0) != 0)
		return ENOMEM; /* freeDiameter answers the request itself */
	ans = *msg;
	*msg = NULL;

	struct dict_object *required[] = { s->db.auth_application_id, s->db.user_name,
		                           s->db.destination_realm, s->db.origin_host,
		                           s->db.origin_realm, s->dm.mip_reg_request,
		                           s->dm.mip_mn_aaa_auth };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!dict_avp_find(req, required[i])) {
			atomic_fetch_add(&s->n.invalid, 1);
			amr_send_error(s, &ans, "DIAMETER_MISSING_AVP", "a required AVP is missing",
			               dict_avp_example(required[i], NULL));
			return 0;
		}
	}
	struct avp *auth = dict_avp_find(req, s->dm.mip_mn_aaa_auth);
	struct dict_object *auth_members[] = { s->dm.mip_mn_aaa_spi, s->dm.mip_auth_input_data_length,
		                               s->dm.mip_authenticator_length,
		                               s->dm.mip_authenticator_offset };
	uint32_t av[4];
	for (size_t i = 0; i < 4; i++) {
		if (amr_u32(dict_avp_find(auth, auth_members[i]), &av[i]) != 0) {
			atomic_fetch_add(&s->n.invalid, 1);
			amr_send_error(s, &ans, "DIAMETER_MISSING_AVP",
			               "MIP-MN-AAA-Auth lacks a required member",
			               dict_avp_example(auth_members[i], NULL));
			return 0;
		}
	}
	uint32_t spi = av[0], input_len = av[1], auth_len = av[2], auth_off = av[3];

	struct avp *rrq_avp = dict_avp_find(req, s->dm.mip_reg_request);
	const uint8_t *rrq_p;
	size_t rrq_len;
	struct amr_job *j = calloc(1, sizeof(*j));
	if (!j || amr_os(rrq_avp, &rrq_p, &rrq_len) != 0 || !(j->rrq_buf = malloc(rrq_len ? rrq_len : 1))) {
		free(j);
		atomic_fetch_add(&s->n.failed, 1);
		amr_send_error(s, &ans, "DIAMETER_UNABLE_TO_COMPLY", "out of memory", NULL);
		return 0;
	}
	memcpy(j->rrq_buf, rrq_p, rrq_len);
	j->rrq_len = rrq_len;
	j->srv = s;

	enum reg_err pe = reg_parse_request(j->rrq_buf, j->rrq_len, &j->rrq);
	const char *bad = NULL;
	struct avp *bad_avp = rrq_avp;
	if (pe != REG_OK) {
		snprintf(em, sizeof(em), "MIP-Reg-Request is not a valid Registration Request: %s at octet %zu",
		         reg_err_str(pe), j->rrq.err_off);
		bad = em;
	} else if (!j->rrq.mn_aaa.present) {
		bad = "MIP-Reg-Request carries no MN-AAA authentication extension";
	} else if (!j->rrq.nai.p) {
		bad = "MIP-Reg-Request carries no MN-NAI extension";
	} else if (input_len != j->rrq.mn_aaa.covered_len || auth_off != j->rrq.mn_aaa.covered_len ||
	           auth_len != j->rrq.mn_aaa.authenticator.len ||
	           (uint64_t)auth_off + auth_len > j->rrq_len || spi != j->rrq.mn_aaa.spi) {
		snprintf(em, sizeof(em),
		         "MIP-MN-AAA-Auth {SPI %u, input %u, offset %u, length %u} does not match the MN-AAA "
		         "extension {SPI %u, input %zu, offset %zu, length %zu}",
		         spi, input_len, auth_off, auth_len, j->rrq.mn_aaa.spi, j->rrq.mn_aaa.covered_len,
		         j->rrq.mn_aaa.covered_len, j->rrq.mn_aaa.authenticator.len);
		bad = em;
		bad_avp = auth;
	} else if (spi < REG_SPI_MIN && spi != REG_SPI_CHAP) {
		/* RFC 5944 §1.6: SPIs 0-255 are reserved, never a security
		 * association; CHAP_SPI (2) is the one with a meaning (RFC 4721). */
		snprintf(em, sizeof(em), "MIP-MN-AAA-SPI %u is reserved (0-255; only CHAP_SPI 2 is defined)", spi);
		bad = em;
		bad_avp = auth;
	} else if (j->rrq.mn_ha_keyreq.present && j->rrq.mn_ha_keyreq.mn_spi < REG_SPI_MIN) {
		snprintf(em, sizeof(em), "the MN SPI %u of the MN-HA KeyGen Request is reserved (0-255)",
		         j->rrq.mn_ha_keyreq.mn_spi);
		bad = em;
	} else if (j->rrq.mn_fa_keyreq.present && j->rrq.mn_fa_keyreq.mn_spi < REG_SPI_MIN) {
		snprintf(em, sizeof(em), "the MN SPI %u of the MN-FA KeyGen Request is reserved (0-255)",
		         j->rrq.mn_fa_keyreq.mn_spi);
		bad = em;
	} else {
		struct avp *un = dict_avp_find(req, s->db.user_name);
		const uint8_t *up;
		size_t ul;
		if (amr_os(un, &up, &ul) != 0 || ul != j->rrq.nai.len || memcmp(up, j->rrq.nai.p, ul) != 0) {
			bad = "User-Name differs from the NAI of MIP-Reg-Request";
			bad_avp = un;
		}
	}
	if (bad) {
		atomic_fetch_add(&s->n.invalid, 1);
		struct dict_object *m = NULL;
		fd_msg_model(bad_avp, &m);
		amr_send_error(s, &ans, "DIAMETER_INVALID_AVP_VALUE", bad, dict_avp_example(m, bad_avp));
		free(j->rrq_buf);
		free(j);
		return 0;
	}

	memcpy(j->nai, j->rrq.nai.p, j->rrq.nai.len);
	j->nai_len = j->rrq.nai.len;
	uint32_t fv = 0;
	amr_u32(dict_avp_find(req, s->dm.mip_feature_vector), &fv);
	/* Without Co-Located-Mobile-Node the AMR comes from a foreign agent: the
	 * home agent gets the request in a HAR and its reply goes back in the AMA
	 * (RFC 4004 §1.2, §5.2). */
	j->fv = fv;
	j->fa_mode = !(fv & MIP4_FV_CO_LOCATED_MOBILE_NODE);
	j->want_fa_key = j->fa_mode && j->rrq.mn_fa_keyreq.present &&
	                 j->rrq.mn_fa_keyreq.subtype == REG_KEYGEN_FROM_AAA;
	j->want_fa_ha = j->fa_mode && (fv & MIP4_FV_FA_HA_KEY_REQUEST);
	struct avp *hah = j->fa_mode ? dict_avp_find(req, s->dm.mip_home_agent_host) : NULL;
	if (hah) {
		const uint8_t *hp, *rp;
		size_t hl, rl;
		if (amr_os(dict_avp_find(hah, s->db.destination_host), &hp, &hl) != 0 ||
		    amr_os(dict_avp_find(hah, s->db.destination_realm), &rp, &rl) != 0 || hl == 0 || rl == 0 ||
		    hl >= sizeof(j->ha.host) || rl >= sizeof(j->ha.realm)) {
			atomic_fetch_add(&s->n.invalid, 1);
			amr_send_error(s, &ans, "DIAMETER_INVALID_AVP_VALUE",
			               "MIP-Home-Agent-Host needs Destination-Host and Destination-Realm",
			               dict_avp_example(s->dm.mip_home_agent_host, hah));
			free(j->rrq_buf);
			free(j);
			return 0;
		}
		memcpy(j->ha.host, hp, hl);
		memcpy(j->ha.realm, rp, rl);
		j->has_ha_host = true;
	}
	if (j->rrq.challenge.p && j->rrq.challenge.len <= sizeof(j->challenge)) {
		memcpy(j->challenge, j->rrq.challenge.p, j->rrq.challenge.len);
		j->challenge_len = j->rrq.challenge.len;
		j->has_challenge = true;
	} else {
		const uint8_t *cp;
		size_t cl;
		if (amr_os(dict_avp_find(req, s->dm.mip_fa_challenge), &cp, &cl) == 0 && cl <= sizeof(j->challenge)) {
			memcpy(j->challenge, cp, cl);
			j->challenge_len = cl;
			j->has_challenge = true;
		}
	}
	j->want_key = j->rrq.mn_ha_keyreq.present && j->rrq.mn_ha_keyreq.subtype == REG_KEYGEN_FROM_AAA;
	j->home_addr = j->rrq.home_addr;
	j->ha_addr = j->rrq.ha_addr;
	j->want_address = j->home_addr == 0 || j->home_addr == 0xffffffffu ||
	                  (fv & MIP4_FV_MN_HOME_ADDRESS_REQUESTED);
	j->ans = ans;

	struct auth_ctx *ctx = amr_auth_ctx_get();
	if (!ctx) {
		j->ans = NULL;
		amr_job_free(j);
		atomic_fetch_add(&s->n.failed, 1);
		amr_send_error(s, &ans, "DIAMETER_UNABLE_TO_COMPLY", "out of memory", NULL);
		return 0;
	}
	keysrc_lookup(s->ks, ctx, j->nai, j->nai_len, spi, (int64_t)time(NULL), amr_key_done, j);
	amr_auth_ctx_put(ctx);
	return 0;
}

int amr_start(struct amr_server *s)
{
	int rc = dict_base_resolve(&s->db);
	if (rc == 0)
		rc = dict_mip4_resolve(&s->dm);
	if (rc != 0) {
		fd_log_error("aaa_naf: the Mobile IPv4 dictionary is not loaded (load dict_mip4.fdx first)");
		return rc;
	}
	struct disp_when when = { .app = s->dm.app, .command = s->dm.cmd_amr };
	rc = fd_disp_register(amr_cb, DISP_HOW_CC, &when, s, &s->hdl);
	if (rc == 0)
		rc = har_start();
	if (rc == 0)
		rc = fd_disp_app_support(s->dm.app, NULL, 1, 0);
	return rc;
}

void amr_stop(struct amr_server *s)
{
	if (s->hdl)
		fd_disp_unregister(&s->hdl, NULL);
	har_stop();
	amr_auth_ctx_drain();
}
