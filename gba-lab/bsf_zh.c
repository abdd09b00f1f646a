/* The BSF's Zh client (see bsf_zh.h). */
#include "gba-lab/bsf_zh.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_zh.h"
#include "dict/dict_zn.h"

#define AUTH_SESSION_NO_STATE 1

static struct {
	struct bsf_zh_conf conf;
	struct dict_base db;
	struct dict_zh dh;
} zh;

struct bsf_zh_ctx {
	bsf_zh_cb *cb;
	void *arg;
};

int bsf_zh_init(const struct bsf_zh_conf *conf)
{
	zh.conf = *conf;
	if (dict_base_resolve(&zh.db) || dict_zh_resolve(&zh.dh))
		return ENOENT;
	return fd_disp_app_support(zh.dh.app, zh.dh.vendor, 1, 0);
}

static void fail(struct bsf_zh_answer *a, enum bsf_zh_status st, uint32_t code, const char *why)
{
	memset(a, 0, sizeof *a);
	a->status = st;
	a->code = code;
	snprintf(a->detail, sizeof a->detail, "%s", why);
}

static const uint8_t *os_of(struct avp_hdr *h, size_t want)
{
	return h && h->avp_value->os.len == want ? h->avp_value->os.data : NULL;
}

/* The vector of a 2001 MAA: SIP-Authenticate RAND || AUTN, SIP-Authorization
 * XRES (8 octets: MILENAGE's RES), Confidentiality-Key, Integrity-Key. */
static void parse_vector(struct msg *maa, struct bsf_zh_answer *a)
{
	struct avp *item = dict_avp_find(maa, zh.dh.sip_auth_data_item);
	struct avp_hdr *scheme = dict_avp_hdr(item, zh.dh.sip_authentication_scheme);
	const uint8_t *auth = os_of(dict_avp_hdr(item, zh.dh.sip_authenticate), AKA_RAND_LEN + AKA_AUTN_LEN);
	const uint8_t *xres = os_of(dict_avp_hdr(item, zh.dh.sip_authorization), AKA_RES_LEN);
	const uint8_t *ck = os_of(dict_avp_hdr(item, zh.dh.confidentiality_key), AKA_CK_LEN);
	const uint8_t *ik = os_of(dict_avp_hdr(item, zh.dh.integrity_key), AKA_IK_LEN);
	if (!item) {
		fail(a, BSF_ZH_REFUSED, 2001, "MAA 2001 without SIP-Auth-Data-Item");
		return;
	}
	if (scheme && (scheme->avp_value->os.len != strlen(ZH_SCHEME_AKAV1) ||
	               memcmp(scheme->avp_value->os.data, ZH_SCHEME_AKAV1, strlen(ZH_SCHEME_AKAV1)) != 0)) {
		fail(a, BSF_ZH_REFUSED, 2001, "MAA vector of another scheme than Digest-AKAv1-MD5");
		return;
	}
	if (!auth || !xres || !ck || !ik) {
		fail(a, BSF_ZH_REFUSED, 2001, "MAA vector incomplete (RAND||AUTN 32, XRES 8, CK 16, IK 16 octets)");
		return;
	}
	memset(a, 0, sizeof *a);
	a->status = BSF_ZH_VECTOR;
	a->code = 2001;
	memcpy(a->v.rand, auth, AKA_RAND_LEN);
	memcpy(a->v.autn, auth + AKA_RAND_LEN, AKA_AUTN_LEN);
	memcpy(a->v.xres, xres, AKA_RES_LEN);
	memcpy(a->v.ck, ck, AKA_CK_LEN);
	memcpy(a->v.ik, ik, AKA_IK_LEN);
	snprintf(a->detail, sizeof a->detail, "vector");
}

static void parse_maa(struct msg *maa, struct bsf_zh_answer *a)
{
	struct avp_hdr *rc = dict_avp_hdr(maa, zh.db.result_code);
	uint32_t code = 0;
	bool experimental = false;
	if (rc) {
		code = rc->avp_value->u32;
	} else {
		struct avp_hdr *erc = dict_avp_hdr(dict_avp_find(maa, zh.db.experimental_result),
		                                   zh.db.experimental_result_code);
		if (erc) {
			code = erc->avp_value->u32;
			experimental = true;
		}
	}
	char why[96];
	snprintf(why, sizeof why, "HSS answered %s%u", experimental ? "Experimental-Result " : "", code);
	if (code == 2001)
		parse_vector(maa, a);
	else if (experimental && code == ZH_ER_USER_UNKNOWN)
		fail(a, BSF_ZH_USER_UNKNOWN, code, why);
	else if (code == 0)
		fail(a, BSF_ZH_REFUSED, 0, "MAA without Result-Code");
	else if (code >= 3000 && code < 4000)
		fail(a, BSF_ZH_UNAVAILABLE, code, why);
	else
		fail(a, BSF_ZH_REFUSED, code, why);
}

static void maa_cb(void *data, struct msg **maa)
{
	struct bsf_zh_ctx *c = data;
	struct bsf_zh_answer a;
	parse_maa(*maa, &a);
	fd_msg_free(*maa);
	*maa = NULL;
	c->cb(&a, c->arg);
	OPENSSL_cleanse(&a, sizeof a);
	free(c);
}

static void mar_expired(void *data, DiamId_t sentto, size_t sentto_len, struct msg **req)
{
	(void)sentto, (void)sentto_len, (void)req; /* req: freed by freeDiameter on return */
	struct bsf_zh_ctx *c = data;
	struct bsf_zh_answer a;
	fail(&a, BSF_ZH_UNAVAILABLE, 0, "HSS did not answer in time");
	c->cb(&a, c->arg);
	free(c);
}

int bsf_zh_request(const char *impi, const uint8_t *rand_auts, bsf_zh_cb *cb, void *arg)
{
	struct bsf_zh_ctx *c = calloc(1, sizeof *c);
	struct msg *m = NULL;
	struct avp *item = NULL;
	if (!c)
		return -1;
	c->cb = cb;
	c->arg = arg;
	int bad = fd_msg_new(zh.dh.cmd_mar, MSGFL_ALLOC_ETEID, &m) || fd_msg_new_session(m, NULL, 0) ||
	          dict_avp_add_vsai(m, &zh.db, ZN_VENDOR_3GPP, ZH_APP_ID) || dict_avp_add_i32(m, zh.db.auth_session_state, AUTH_SESSION_NO_STATE) || fd_msg_add_origin(m, 0) ||
	      dict_avp_add_os(m, zh.db.destination_realm, zh.conf.realm, strlen(zh.conf.realm)) ||
	      (*zh.conf.host && dict_avp_add_os(m, zh.db.destination_host, zh.conf.host, strlen(zh.conf.host))) ||
	      dict_avp_add_os(m, zh.db.user_name, impi, strlen(impi)) ||
	      dict_avp_add_u32(m, zh.dh.sip_number_auth_items, 1) ||
	      fd_msg_avp_new(zh.dh.sip_auth_data_item, 0, &item) ||
	      dict_avp_add_os(item, zh.dh.sip_authentication_scheme, ZH_SCHEME_AKAV1, strlen(ZH_SCHEME_AKAV1)) ||
	      (rand_auts && dict_avp_add_os(item, zh.dh.sip_authorization, rand_auts, AKA_RAND_LEN + AKA_AUTS_LEN)) ||
	      fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, item);
	if (!bad)
		item = NULL;
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += zh.conf.timeout_ms / 1000;
	deadline.tv_nsec += (long)(zh.conf.timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (bad || fd_msg_send_timeout(&m, maa_cb, c, mar_expired, &deadline) != 0) {
		if (item)
			fd_msg_free((struct msg *)item);
		if (m)
			fd_msg_free(m);
		free(c);
		return -1;
	}
	return 0;
}
