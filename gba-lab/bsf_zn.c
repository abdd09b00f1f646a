/* The lab BSF's Zn server (see bsf_zn.h). */
#include "gba-lab/bsf_zn.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_zn.h"
#include "lib/replay.h"

struct bsf_delayed {
	struct bsf_delayed *next;
	struct timespec due;
	struct msg *ans;
};

static struct {
	struct bsf_zn_conf c;
	struct dict_base db;
	struct dict_zn dz;
	struct disp_hdl *hdl;
	atomic_ulong birs;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct bsf_delayed *head, *tail;
	bool stopping, have_thread;
	pthread_t thread;
} bsf = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

bool bsf_zn_naf_parse(const char *s, uint8_t *out, size_t *len)
{
	const char *colon = strrchr(s, ':');
	uint8_t ua[GBA_UA_ID_LEN];
	char fqdn[GBA_FQDN_MAX + 1];
	if (!colon || (size_t)(colon - s) > GBA_FQDN_MAX || !gba_ua_id_parse(colon + 1, ua))
		return false;
	memcpy(fqdn, s, (size_t)(colon - s));
	fqdn[colon - s] = '\0';
	*len = gba_naf_id(fqdn, ua, out, GBA_NAF_ID_MAX);
	return *len != 0;
}

static void *bsf_delay_thread(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&bsf.lock);
	while (!bsf.stopping) {
		if (!bsf.head) {
			pthread_cond_wait(&bsf.cond, &bsf.lock);
			continue;
		}
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		struct bsf_delayed *d = bsf.head;
		if (now.tv_sec < d->due.tv_sec || (now.tv_sec == d->due.tv_sec && now.tv_nsec < d->due.tv_nsec)) {
			pthread_cond_timedwait(&bsf.cond, &bsf.lock, &d->due);
			continue;
		}
		bsf.head = d->next;
		if (!bsf.head)
			bsf.tail = NULL;
		pthread_mutex_unlock(&bsf.lock);
		if (fd_msg_send(&d->ans, NULL, NULL) != 0 && d->ans)
			fd_msg_free(d->ans);
		free(d);
		pthread_mutex_lock(&bsf.lock);
	}
	pthread_mutex_unlock(&bsf.lock);
	return NULL;
}

static void bsf_send(struct msg **ans)
{
	struct bsf_delayed *d;
	if (bsf.c.delay_ms == 0 || !(d = calloc(1, sizeof(*d)))) {
		if (fd_msg_send(ans, NULL, NULL) != 0 && *ans)
			fd_msg_free(*ans);
		*ans = NULL;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &d->due);
	d->due.tv_sec += bsf.c.delay_ms / 1000;
	d->due.tv_nsec += (long)(bsf.c.delay_ms % 1000) * 1000000L;
	if (d->due.tv_nsec >= 1000000000L) {
		d->due.tv_sec++;
		d->due.tv_nsec -= 1000000000L;
	}
	d->ans = *ans;
	*ans = NULL;
	pthread_mutex_lock(&bsf.lock);
	if (bsf.tail)
		bsf.tail->next = d;
	else
		bsf.head = d;
	bsf.tail = d;
	pthread_cond_signal(&bsf.cond);
	pthread_mutex_unlock(&bsf.lock);
}

static int bsf_add_time(msg_or_avp *parent, struct dict_object *model, int64_t unix_s)
{
	uint32_t ntp = (uint32_t)((uint64_t)unix_s + REPLAY_NTP_UNIX_OFFSET);
	uint8_t b[4] = { (uint8_t)(ntp >> 24), (uint8_t)(ntp >> 16), (uint8_t)(ntp >> 8), (uint8_t)ntp };
	return dict_avp_add_os(parent, model, b, sizeof(b));
}

static bool bsf_naf_allowed(const uint8_t *id, size_t len)
{
	if (bsf.c.n_nafs == 0)
		return true;
	for (size_t i = 0; i < bsf.c.n_nafs; i++)
		if (bsf.c.naf_id_len[i] == len && memcmp(bsf.c.naf_ids[i], id, len) == 0)
			return true;
	return false;
}

static int bsf_bir_cb(struct msg **msg, struct avp *avp, struct session *sess, void *opaque,
                      enum disp_action *act)
{
	(void)avp;
	(void)sess;
	(void)opaque;
	*act = DISP_ACT_CONT;
	unsigned long n = atomic_fetch_add(&bsf.birs, 1) + 1;
	struct msg *req = *msg;
	struct avp_hdr *tid = dict_avp_hdr(req, bsf.dz.transaction_identifier);
	struct avp_hdr *naf = dict_avp_hdr(req, bsf.dz.naf_id);
	char btid[GBA_BTID_MAX + 1] = "", nafhex[2 * GBA_NAF_ID_MAX + 1] = "";
	if (tid && tid->avp_value->os.len <= GBA_BTID_MAX)
		memcpy(btid, tid->avp_value->os.data, tid->avp_value->os.len);
	for (size_t i = 0; naf && i < naf->avp_value->os.len && i < GBA_NAF_ID_MAX; i++)
		snprintf(nafhex + 2 * i, 3, "%02x", naf->avp_value->os.data[i]);

	if (bsf.c.drop_percent) {
		uint8_t r = 0;
		RAND_bytes(&r, 1);
		if ((unsigned)r % 100 < bsf.c.drop_percent) {
			fd_log_notice("bsf_lab: BIR #%lu B-TID %s NAF-Id %s: dropped", n, btid, nafhex);
			fd_msg_free(req);
			*msg = NULL;
			return 0;
		}
	}
	if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0) != 0)
		return ENOMEM;
	struct msg *ans = *msg;
	*msg = NULL;
	const char *outcome;
	struct bootstrap_entry found;
	int rc = dict_avp_add_vsai(ans, &bsf.db, ZN_VENDOR_3GPP, ZN_APP_ID);
	if (!tid || !naf || tid->avp_value->os.len == 0 || tid->avp_value->os.len > GBA_BTID_MAX ||
	    naf->avp_value->os.len == 0 || naf->avp_value->os.len > GBA_NAF_ID_MAX) {
		outcome = "missing or bad Transaction-Identifier / NAF-Id";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_MISSING_AVP", (char *)outcome, NULL, 1);
		goto send;
	}
	/* Ub sessions first, then the store. */
	int64_t now = (int64_t)time(NULL);
	size_t tlen = tid->avp_value->os.len;
	enum bsf_btable_get got = bsf.c.sessions ? bsf_btable_get(bsf.c.sessions, btid, tlen, now, &found)
	                                         : BSF_BTABLE_ABSENT;
	const struct bootstrap_entry *e = got == BSF_BTABLE_FOUND ? &found : NULL;
	if (got == BSF_BTABLE_ABSENT && (e = bootstrap_find(&bsf.c.store, btid, tlen)) && e->expiry <= now) {
		got = BSF_BTABLE_EXPIRED;
		e = NULL;
	}
	if (!e) {
		outcome = got == BSF_BTABLE_EXPIRED ? "5403 (expired)" : "5403 (unknown)";
		rc = rc || fd_msg_add_origin(ans, 0) || dict_avp_add_experimental(ans, &bsf.db, ZN_VENDOR_3GPP, ZN_ER_TRANSACTION_IDENTIFIER_INVALID);
		goto send;
	}
	if (!bsf_naf_allowed(naf->avp_value->os.data, naf->avp_value->os.len)) {
		outcome = "5402 (NAF not allowed)";
		rc = rc || fd_msg_add_origin(ans, 0) || dict_avp_add_experimental(ans, &bsf.db, ZN_VENDOR_3GPP, ZN_ER_NOT_AUTHORIZED);
		goto send;
	}
	struct auth_ctx *ctx = auth_ctx_new();
	uint8_t ks_naf[GBA_KS_NAF_LEN];
	if (!ctx || gba_ks_naf(ctx, e->ks, e->rand, e->impi, strlen(e->impi), naf->avp_value->os.data,
	                       naf->avp_value->os.len, false, ks_naf) != 0) {
		auth_ctx_free(ctx);
		outcome = "key derivation failed";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_UNABLE_TO_COMPLY", (char *)outcome, NULL, 1);
		goto send;
	}
	auth_ctx_free(ctx);
	outcome = "2001";
	rc = rc || fd_msg_rescode_set(ans, "DIAMETER_SUCCESS", NULL, NULL, 1) ||
	     dict_avp_add_os(ans, bsf.db.user_name, e->impi, strlen(e->impi)) ||
	     dict_avp_add_os(ans, bsf.dz.me_key_material, ks_naf, sizeof(ks_naf)) ||
	     bsf_add_time(ans, bsf.dz.key_expirytime, e->expiry) ||
	     dict_avp_add_u32(ans, bsf.dz.gba_type, ZN_GBA_TYPE_3G);
	OPENSSL_cleanse(ks_naf, sizeof(ks_naf));
send:
	OPENSSL_cleanse(&found, sizeof found);
	fd_log_notice("bsf_lab: BIR #%lu B-TID %s NAF-Id %s: %s", n, btid, nafhex, outcome);
	if (rc) {
		fd_log_error("bsf_lab: cannot build the BIA");
		fd_msg_free(ans);
		return 0;
	}
	bsf_send(&ans);
	return 0;
}


int bsf_zn_start(struct bsf_zn_conf *c)
{
	bsf.c = *c;
	memset(c, 0, sizeof *c);
	if (dict_base_resolve(&bsf.db) || dict_zn_resolve(&bsf.dz)) {
		fd_log_error("bsf_lab: the Zn dictionary is not loaded (load dict_zn.fdx first)");
		return EINVAL;
	}
	if (bsf.c.delay_ms) {
		if (pthread_create(&bsf.thread, NULL, bsf_delay_thread, NULL) != 0)
			return EAGAIN;
		bsf.have_thread = true;
	}
	struct disp_when when = { .app = bsf.dz.app, .command = bsf.dz.cmd_bir };
	int rc = fd_disp_register(bsf_bir_cb, DISP_HOW_CC, &when, NULL, &bsf.hdl);
	if (rc == 0)
		rc = fd_disp_app_support(bsf.dz.app, bsf.dz.vendor, 1, 0);
	return rc;
}

void bsf_zn_stop(void)
{
	if (bsf.hdl)
		fd_disp_unregister(&bsf.hdl, NULL);
	if (bsf.have_thread) {
		pthread_mutex_lock(&bsf.lock);
		bsf.stopping = true;
		pthread_cond_signal(&bsf.cond);
		pthread_mutex_unlock(&bsf.lock);
		pthread_join(bsf.thread, NULL);
		bsf.have_thread = false;
	}
	for (struct bsf_delayed *d = bsf.head, *nx; d; d = nx) {
		nx = d->next;
		fd_msg_free(d->ans);
		free(d);
	}
	bsf.head = bsf.tail = NULL;
	fd_log_notice("bsf_lab: %lu BIR served", atomic_load(&bsf.birs));
	bootstrap_free(&bsf.c.store);
}
