/*
 * hss_lab.fdx: a lab HSS for freeDiameterd.  Serves Zh Multimedia-Auth-
 * Requests (TS 29.109 §4.3/§6.1, command 303 of application 16777221) from a
 * subscriber file (lib/subscriber.h):
 *     LoadExtension = "dict_zh.fdx";
 *     LoadExtension = "hss_lab.fdx" : "/etc/mip4-gba/hss-lab.conf";
 *
 * Each MAR for a known IMPI gets one UMTS AKA vector made with MILENAGE
 * (TS 33.102 §6.3.2): SIP-Auth-Data-Item {SIP-Authentication-Scheme
 * "Digest-AKAv1-MD5", SIP-Authenticate RAND || AUTN, SIP-Authorization XRES,
 * Confidentiality-Key CK, Integrity-Key IK}.  The subscriber's SQN advances
 * (SEQ + 1, IND + 1 mod 32, TS 33.102 Annex C) and is written to the file and
 * flushed before the answer leaves, so a restarted HSS never hands out a
 * sequence number twice.  A MAR whose SIP-Auth-Data-Item carries
 * SIP-Authorization = RAND || AUTS (a USIM's synchronisation failure relayed
 * by the BSF) resynchronises SQN_HE first (TS 33.102 §6.3.5).
 *
 *   unknown IMPI, or only a Public-Identity     Experimental-Result 5001
 *   a scheme other than Digest-AKAv1-MD5        Experimental-Result 5006
 *   no User-Name nor Public-Identity            5005 (Failed-AVP User-Name)
 *   SIP-Authorization not 30 octets             5004 (Failed-AVP)
 *   SQN spent, or the file cannot be written    5012
 *
 * fixed-rand makes every vector use one RAND: for tests that compare with
 * published vectors only, refused unless MIP4_GBA_LAB_INSECURE=1 is in the
 * daemon's environment, and announced in the log at every vector.
 */
#include <freeDiameter/extension.h>

#include <confuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_zh.h"
#include "dict/dict_zn.h"
#include "lib/aka.h"
#include "lib/conffile.h"
#include "lib/keyfile.h"
#include "lib/subscriber.h"

#define HSS_INSECURE_ENV "MIP4_GBA_LAB_INSECURE"
#define AUTH_SESSION_NO_STATE 1

static struct {
	struct subscriber_file subs;
	uint8_t amf[AKA_AMF_LEN];
	bool fixed;
	uint8_t fixed_rand[AKA_RAND_LEN];
	struct dict_base db;
	struct dict_zh dh;
	struct disp_hdl *hdl;
	/* The subscribers' SQN_HE: advanced and written under this lock. */
	pthread_mutex_t lock;
	atomic_ulong mars, vectors, resyncs;
} hss = { .lock = PTHREAD_MUTEX_INITIALIZER };

static char hss_conf_err[512];

static void hss_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char m[400];
	vsnprintf(m, sizeof m, fmt, ap);
	if (!hss_conf_err[0])
		snprintf(hss_conf_err, sizeof hss_conf_err, "%s:%d: %s", cfg && cfg->filename ? cfg->filename : "?",
		         cfg ? cfg->line : 0, m);
}

static int hss_v_amf(cfg_t *cfg, cfg_opt_t *opt)
{
	uint8_t amf[AKA_AMF_LEN];
	const char *v = cfg_opt_getnstr(opt, 0);
	if (!keyfile_hex(v, strlen(v), amf, sizeof amf)) {
		cfg_error(cfg, "option '%s': want 4 hex digits, not '%s'", opt->name, v);
		return -1;
	}
	return 0;
}

static int hss_v_fixed_rand(cfg_t *cfg, cfg_opt_t *opt)
{
	uint8_t r[AKA_RAND_LEN];
	const char *v = cfg_opt_getnstr(opt, 0), *env = getenv(HSS_INSECURE_ENV);
	if (*v == '\0')
		return 0;
	if (!keyfile_hex(v, strlen(v), r, sizeof r)) {
		cfg_error(cfg, "option '%s': want 32 hex digits, not '%s'", opt->name, v);
		return -1;
	}
	if (env == NULL || strcmp(env, "1") != 0) {
		cfg_error(cfg, "option '%s': every vector would carry the same RAND (published test vectors only); "
		               "refused unless the environment has %s=1",
		          opt->name, HSS_INSECURE_ENV);
		return -1;
	}
	return 0;
}

static int hss_conf(const char *path)
{
	cfg_opt_t opts[] = {
		CFG_STR("subscribers", NULL, CFGF_NODEFAULT),
		CFG_STR("amf", "0000", CFGF_NONE),
		CFG_STR("fixed-rand", "", CFGF_NONE),
		CFG_END()
	};
	if (!path) {
		fd_log_error("hss_lab: no configuration file given");
		return EINVAL;
	}
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	cfg_set_error_function(cfg, hss_errfunc);
	cfg_set_validate_func(cfg, "amf", hss_v_amf);
	cfg_set_validate_func(cfg, "fixed-rand", hss_v_fixed_rand);
	int rc = conffile_parse(cfg, path);
	if (rc != CFG_SUCCESS || !cfg_getstr(cfg, "subscribers")) {
		if (rc == CFG_FILE_ERROR)
			fd_log_error("hss_lab: %s: cannot read", path);
		else
			fd_log_error("hss_lab: %s", hss_conf_err[0] ? hss_conf_err : "option 'subscribers' is required");
		cfg_free(cfg);
		return EINVAL;
	}
	const char *amf = cfg_getstr(cfg, "amf"), *fr = cfg_getstr(cfg, "fixed-rand");
	keyfile_hex(amf, strlen(amf), hss.amf, sizeof hss.amf);
	hss.fixed = *fr != '\0';
	if (hss.fixed)
		keyfile_hex(fr, strlen(fr), hss.fixed_rand, sizeof hss.fixed_rand);
	size_t line = 0;
	const char *subs = cfg_getstr(cfg, "subscribers");
	enum subscriber_err e = subscriber_open(subs, SUBSCRIBER_HSS, &hss.subs, &line);
	if (e != SUBSCRIBER_OK) {
		fd_log_error("hss_lab: %s:%zu: subscriber file: %s", subs, line, subscriber_err_str(e));
		cfg_free(cfg);
		return EINVAL;
	}
	cfg_free(cfg);
	return 0;
}

/* A base-protocol error with Failed-AVP{example}. */
static int hss_error(struct msg *ans, const char *rc_name, const char *why, struct avp *example)
{
	struct avp *fa = NULL;
	int rc = fd_msg_rescode_set(ans, (char *)rc_name, (char *)why, NULL, 1);
	if (rc == 0 && example && fd_msg_avp_new(hss.db.failed_avp, 0, &fa) == 0 &&
	    fd_msg_avp_add(fa, MSG_BRW_LAST_CHILD, example) == 0) {
		example = NULL;
		rc = fd_msg_avp_add(ans, MSG_BRW_LAST_CHILD, fa);
		fa = rc ? fa : NULL;
	}
	if (fa)
		fd_msg_free((struct msg *)fa);
	if (example)
		fd_msg_free((struct msg *)example);
	return rc;
}

/* The answer's SIP-Auth-Data-Item for vector v. */
static int hss_add_vector(struct msg *ans, const struct aka_vector *v)
{
	struct avp *item = NULL;
	uint8_t auth[AKA_RAND_LEN + AKA_AUTN_LEN];
	memcpy(auth, v->rand, AKA_RAND_LEN);
	memcpy(auth + AKA_RAND_LEN, v->autn, AKA_AUTN_LEN);
	int rc = fd_msg_avp_new(hss.dh.sip_auth_data_item, 0, &item) ||
	         dict_avp_add_u32(item, hss.dh.sip_item_number, 1) ||
	         dict_avp_add_os(item, hss.dh.sip_authentication_scheme, ZH_SCHEME_AKAV1, strlen(ZH_SCHEME_AKAV1)) ||
	         dict_avp_add_os(item, hss.dh.sip_authenticate, auth, sizeof auth) ||
	         dict_avp_add_os(item, hss.dh.sip_authorization, v->xres, sizeof v->xres) ||
	         dict_avp_add_os(item, hss.dh.confidentiality_key, v->ck, sizeof v->ck) ||
	         dict_avp_add_os(item, hss.dh.integrity_key, v->ik, sizeof v->ik) ||
	         dict_avp_add_u32(ans, hss.dh.sip_number_auth_items, 1) || fd_msg_avp_add(ans, MSG_BRW_LAST_CHILD, item);
	if (rc && item)
		fd_msg_free((struct msg *)item);
	return rc ? -1 : 0;
}

/* The outcome of one MAR, for the answer and the log. */
struct hss_outcome {
	const char *what;
	char detail[160];
};

/* Resynchronise s from RAND || AUTS (§6.3.5).  Under hss.lock. */
static void hss_resync(struct subscriber *s, const uint8_t *rand_auts, struct hss_outcome *o)
{
	uint64_t he = s->sqn, ms = 0;
	enum aka_resync r = aka_resync(s->k, s->opc, rand_auts, rand_auts + AKA_RAND_LEN, &he, &ms);
	atomic_fetch_add(&hss.resyncs, 1);
	switch (r) {
	case AKA_RESYNC_RESET:
		snprintf(o->detail, sizeof o->detail, "resync: SQN_HE %012llx -> SQN_MS %012llx; ",
		         (unsigned long long)s->sqn, (unsigned long long)he);
		s->sqn = he;
		break;
	case AKA_RESYNC_IN_RANGE:
		snprintf(o->detail, sizeof o->detail, "resync: SQN_HE %012llx already ahead of SQN_MS %012llx; ",
		         (unsigned long long)s->sqn, (unsigned long long)ms);
		break;
	case AKA_RESYNC_BAD_MAC:
		snprintf(o->detail, sizeof o->detail, "resync refused: MAC-S wrong, SQN_HE kept; ");
		break;
	case AKA_RESYNC_ERROR:
		snprintf(o->detail, sizeof o->detail, "resync failed (crypto); ");
		break;
	}
}

static int hss_mar_cb(struct msg **msg, struct avp *avp, struct session *sess, void *opaque, enum disp_action *act)
{
	(void)avp, (void)sess, (void)opaque;
	*act = DISP_ACT_CONT;
	unsigned long n = atomic_fetch_add(&hss.mars, 1) + 1;
	struct msg *req = *msg;
	char impi[SUBSCRIBER_IMPI_MAX + 1] = "";
	struct hss_outcome o = { .what = "?" };
	struct aka_vector v;
	bool have_vector = false;
	int rc;

	struct avp_hdr *un = dict_avp_hdr(req, hss.db.user_name);
	struct avp *item = dict_avp_find(req, hss.dh.sip_auth_data_item);
	struct avp_hdr *scheme = dict_avp_hdr(item, hss.dh.sip_authentication_scheme);
	struct avp *authz = dict_avp_find(item, hss.dh.sip_authorization);
	struct avp_hdr *authz_h = dict_avp_hdr(item, hss.dh.sip_authorization);
	if (un && un->avp_value->os.len <= SUBSCRIBER_IMPI_MAX)
		memcpy(impi, un->avp_value->os.data, un->avp_value->os.len);

	if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0) != 0)
		return ENOMEM;
	struct msg *ans = *msg;
	*msg = NULL;
	rc = dict_avp_add_vsai(ans, &hss.db, ZN_VENDOR_3GPP, ZH_APP_ID) || dict_avp_add_i32(ans, hss.db.auth_session_state, AUTH_SESSION_NO_STATE);

	struct subscriber *s = NULL;
	if (!un) {
		if (dict_avp_find(req, hss.dh.public_identity)) {
			o.what = "5001 (Public-Identity only: the lab HSS knows IMPIs)";
			rc = rc || fd_msg_add_origin(ans, 0) || dict_avp_add_experimental(ans, &hss.db, ZN_VENDOR_3GPP, ZH_ER_USER_UNKNOWN);
		} else {
			o.what = "5005 (no User-Name)";
			rc = rc || hss_error(ans, "DIAMETER_MISSING_AVP", "User-Name (the IMPI) is required",
			                     dict_avp_example(hss.db.user_name, NULL));
		}
		goto send;
	}
	if (un->avp_value->os.len == 0 || un->avp_value->os.len > SUBSCRIBER_IMPI_MAX ||
	    strlen(impi) != un->avp_value->os.len || !(s = subscriber_find(&hss.subs, impi))) {
		o.what = "5001 (unknown IMPI)";
		rc = rc || fd_msg_add_origin(ans, 0) || dict_avp_add_experimental(ans, &hss.db, ZN_VENDOR_3GPP, ZH_ER_USER_UNKNOWN);
		goto send;
	}
	if (scheme && (scheme->avp_value->os.len != strlen(ZH_SCHEME_AKAV1) ||
	               memcmp(scheme->avp_value->os.data, ZH_SCHEME_AKAV1, strlen(ZH_SCHEME_AKAV1)) != 0)) {
		o.what = "5006 (authentication scheme other than Digest-AKAv1-MD5)";
		rc = rc || fd_msg_add_origin(ans, 0) || dict_avp_add_experimental(ans, &hss.db, ZN_VENDOR_3GPP, ZH_ER_AUTH_SCHEME_NOT_SUPPORTED);
		goto send;
	}
	if (authz_h && authz_h->avp_value->os.len != AKA_RAND_LEN + AKA_AUTS_LEN) {
		o.what = "5004 (SIP-Authorization is not RAND || AUTS)";
		rc = rc || hss_error(ans, "DIAMETER_INVALID_AVP_VALUE", "SIP-Authorization must be RAND || AUTS (30 octets)",
		                     dict_avp_example(hss.dh.sip_authorization, authz));
		goto send;
	}

	uint8_t rand[AKA_RAND_LEN];
	if (hss.fixed)
		memcpy(rand, hss.fixed_rand, sizeof rand);
	else if (RAND_bytes(rand, sizeof rand) != 1) {
		o.what = "5012 (no random numbers)";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_UNABLE_TO_COMPLY", "no random numbers", NULL, 1);
		goto send;
	}
	pthread_mutex_lock(&hss.lock);
	uint64_t before = s->sqn, sqn;
	if (authz_h)
		hss_resync(s, authz_h->avp_value->os.data, &o);
	if (!aka_sqn_next(s->sqn, &sqn)) {
		s->sqn = before;
		pthread_mutex_unlock(&hss.lock);
		o.what = "5012 (SQN spent)";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_UNABLE_TO_COMPLY", "the subscriber's SQN is spent", NULL, 1);
		goto send;
	}
	s->sqn = sqn;
	if (subscriber_store(&hss.subs, s) != 0) {
		s->sqn = before;
		pthread_mutex_unlock(&hss.lock);
		fd_log_error("hss_lab: %s: cannot record SQN of %s: %s", hss.subs.path, impi, strerror(errno));
		o.what = "5012 (SQN not recorded)";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_UNABLE_TO_COMPLY", "the SQN could not be recorded", NULL, 1);
		goto send;
	}
	/* Recorded: computed outside the lock. */
	uint8_t k[16], opc[16], amf[AKA_AMF_LEN];
	memcpy(k, s->k, sizeof k);
	memcpy(opc, s->opc, sizeof opc);
	memcpy(amf, s->has_amf ? s->amf : hss.amf, sizeof amf);
	pthread_mutex_unlock(&hss.lock);
	have_vector = aka_vector_make(k, opc, rand, sqn, amf, &v) == 0;
	OPENSSL_cleanse(k, sizeof k);
	OPENSSL_cleanse(opc, sizeof opc);
	if (!have_vector) {
		o.what = "5012 (MILENAGE failed)";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_UNABLE_TO_COMPLY", "vector computation failed", NULL, 1);
		goto send;
	}
	atomic_fetch_add(&hss.vectors, 1);
	size_t dl = strlen(o.detail);
	snprintf(o.detail + dl, sizeof o.detail - dl, "SQN %012llx (SEQ %llu, IND %u)%s", (unsigned long long)sqn,
	         (unsigned long long)aka_sqn_seq(sqn), aka_sqn_ind(sqn), hss.fixed ? ", FIXED RAND (test only)" : "");
	o.what = "2001";
	rc = rc || fd_msg_rescode_set(ans, "DIAMETER_SUCCESS", NULL, NULL, 1) ||
	     dict_avp_add_os(ans, hss.db.user_name, impi, strlen(impi)) || hss_add_vector(ans, &v);
send:
	if (have_vector)
		OPENSSL_cleanse(&v, sizeof v);
	fd_log_notice("hss_lab: MAR #%lu IMPI %s: %s%s%s", n, impi[0] ? impi : "-", o.what, o.detail[0] ? ", " : "",
	              o.detail);
	if (rc) {
		fd_log_error("hss_lab: cannot build the MAA");
		fd_msg_free(ans);
		return 0;
	}
	if (fd_msg_send(&ans, NULL, NULL) != 0 && ans)
		fd_msg_free(ans);
	return 0;
}

static int hss_entry(char *conffile)
{
	int rc = hss_conf(conffile);
	if (rc)
		return rc;
	if (dict_base_resolve(&hss.db) || dict_zh_resolve(&hss.dh)) {
		fd_log_error("hss_lab: the Zh dictionary is not loaded (load dict_zh.fdx first)");
		subscriber_close(&hss.subs);
		return EINVAL;
	}
	struct disp_when when = { .app = hss.dh.app, .command = hss.dh.cmd_mar };
	rc = fd_disp_register(hss_mar_cb, DISP_HOW_CC, &when, NULL, &hss.hdl);
	if (rc == 0)
		rc = fd_disp_app_support(hss.dh.app, hss.dh.vendor, 1, 0);
	if (rc)
		return rc;
	fd_log_notice("hss_lab: ready: %zu subscribers in %s, AMF %02x%02x%s", hss.subs.n, hss.subs.path, hss.amf[0],
	              hss.amf[1], hss.fixed ? ", FIXED RAND: every vector has the same RAND (tests only)" : "");
	return 0;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("hss_lab", hss_entry, "dict_zh");

void fd_ext_fini(void)
{
	if (hss.hdl)
		fd_disp_unregister(&hss.hdl, NULL);
	fd_log_notice("hss_lab: %lu MAR served, %lu vectors, %lu resynchronisations", atomic_load(&hss.mars),
	              atomic_load(&hss.vectors), atomic_load(&hss.resyncs));
	pthread_mutex_lock(&hss.lock);
	subscriber_close(&hss.subs);
	pthread_mutex_unlock(&hss.lock);
}
#pragma GCC visibility pop
