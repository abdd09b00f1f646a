/*
 * bsf_lab.fdx: a lab BSF for freeDiameterd.  Answers Zn Bootstrapping-Info-
 * Requests (TS 29.109) from a bootstrap store (lib/bootstrap.h):
 *     LoadExtension = "bsf_lab.fdx" : "/etc/mip4-gba/bsf-lab.conf";
 * Ks_NAF is derived for the NAF-Id the NAF sends, so a NAF-Id that differs from
 * the one the MN uses shows up as an authentication failure, as with a real BSF.
 * Unknown or expired B-TIDs get Experimental-Result 5403, NAFs outside the
 * allow-list 5402.  delay-ms and drop-percent make it slow or lossy for tests;
 * every BIR is logged with a running count so tests can count them.
 */
#include <freeDiameter/extension.h>

#include <confuse.h>
#include <pthread.h>
#include <stdarg.h>
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
#include "lib/bootstrap.h"
#include "lib/conffile.h"
#include "lib/gba.h"
#include "lib/replay.h"

#define BSF_MAX_NAFS 32

struct bsf_delayed {
	struct bsf_delayed *next;
	struct timespec due;
	struct msg *ans;
};

static struct {
	struct bootstrap_store store;
	uint8_t naf_ids[BSF_MAX_NAFS][GBA_NAF_ID_MAX];
	size_t naf_id_len[BSF_MAX_NAFS];
	size_t n_nafs;
	unsigned delay_ms, drop_percent;
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

static char bsf_conf_err[512];

static void bsf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char m[400];
	vsnprintf(m, sizeof(m), fmt, ap);
	if (!bsf_conf_err[0])
		snprintf(bsf_conf_err, sizeof(bsf_conf_err), "%s:%d: %s", cfg && cfg->filename ? cfg->filename : "?",
		         cfg ? cfg->line : 0, m);
}

/* "fqdn:uaidhex" → NAF_Id. */
static bool bsf_naf_parse(const char *s, uint8_t *out, size_t *len)
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

static int bsf_v_naf(cfg_t *cfg, cfg_opt_t *opt)
{
	uint8_t id[GBA_NAF_ID_MAX];
	size_t len;
	if (cfg_opt_size(opt) > BSF_MAX_NAFS) {
		cfg_error(cfg, "option '%s': at most %d NAFs", opt->name, BSF_MAX_NAFS);
		return -1;
	}
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (!bsf_naf_parse(cfg_opt_getnstr(opt, i), id, &len)) {
			cfg_error(cfg, "option '%s': '%s' is not FQDN:UA-ID-HEX (e.g. aaa.home.lab:ff00000001)",
			          opt->name, cfg_opt_getnstr(opt, i));
			return -1;
		}
	}
	return 0;
}

static int bsf_v_int(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0), max = strcmp(opt->name, "drop-percent") == 0 ? 100 : 600000;
	if (v < 0 || v > max) {
		cfg_error(cfg, "option '%s': %ld is outside 0..%ld", opt->name, v, max);
		return -1;
	}
	return 0;
}

static int bsf_conf(const char *path)
{
	cfg_opt_t opts[] = {
		CFG_STR("store", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("naf-allow", "{}", CFGF_NONE),
		CFG_INT("delay-ms", 0, CFGF_NONE),
		CFG_INT("drop-percent", 0, CFGF_NONE),
		CFG_END()
	};
	if (!path) {
		fd_log_error("bsf_lab: no configuration file given");
		return EINVAL;
	}
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	cfg_set_error_function(cfg, bsf_errfunc);
	cfg_set_validate_func(cfg, "naf-allow", bsf_v_naf);
	cfg_set_validate_func(cfg, "delay-ms", bsf_v_int);
	cfg_set_validate_func(cfg, "drop-percent", bsf_v_int);
	int rc = conffile_parse(cfg, path);
	if (rc != CFG_SUCCESS || !cfg_getstr(cfg, "store")) {
		if (rc == CFG_FILE_ERROR)
			fd_log_error("bsf_lab: %s: cannot read", path);
		else
			fd_log_error("bsf_lab: %s", bsf_conf_err[0] ? bsf_conf_err : "option 'store' is required");
		cfg_free(cfg);
		return EINVAL;
	}
	bsf.n_nafs = cfg_size(cfg, "naf-allow");
	for (size_t i = 0; i < bsf.n_nafs; i++)
		bsf_naf_parse(cfg_getnstr(cfg, "naf-allow", (unsigned)i), bsf.naf_ids[i], &bsf.naf_id_len[i]);
	bsf.delay_ms = (unsigned)cfg_getint(cfg, "delay-ms");
	bsf.drop_percent = (unsigned)cfg_getint(cfg, "drop-percent");
	size_t line = 0;
	enum bootstrap_err e = bootstrap_load(cfg_getstr(cfg, "store"), &bsf.store, &line);
	if (e != BOOTSTRAP_OK) {
		fd_log_error("bsf_lab: %s:%zu: bootstrap store: %s", cfg_getstr(cfg, "store"), line,
		             bootstrap_err_str(e));
		cfg_free(cfg);
		return EINVAL;
	}
	cfg_free(cfg);
	return 0;
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
	if (bsf.delay_ms == 0 || !(d = calloc(1, sizeof(*d)))) {
		if (fd_msg_send(ans, NULL, NULL) != 0 && *ans)
			fd_msg_free(*ans);
		*ans = NULL;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &d->due);
	d->due.tv_sec += bsf.delay_ms / 1000;
	d->due.tv_nsec += (long)(bsf.delay_ms % 1000) * 1000000L;
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

static int bsf_vsai(struct msg *m)
{
	struct avp *v = NULL;
	if (fd_msg_avp_new(bsf.db.vendor_specific_application_id, 0, &v) ||
	    dict_avp_add_u32(v, bsf.db.vendor_id, ZN_VENDOR_3GPP) || dict_avp_add_u32(v, bsf.db.auth_application_id, ZN_APP_ID) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, v))
		return -1;
	return 0;
}

static int bsf_experimental(struct msg *m, uint32_t code)
{
	struct avp *er = NULL;
	if (fd_msg_avp_new(bsf.db.experimental_result, 0, &er) || dict_avp_add_u32(er, bsf.db.vendor_id, ZN_VENDOR_3GPP) ||
	    dict_avp_add_u32(er, bsf.db.experimental_result_code, code) || fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, er))
		return -1;
	return 0;
}

static bool bsf_naf_allowed(const uint8_t *id, size_t len)
{
	if (bsf.n_nafs == 0)
		return true;
	for (size_t i = 0; i < bsf.n_nafs; i++)
		if (bsf.naf_id_len[i] == len && memcmp(bsf.naf_ids[i], id, len) == 0)
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

	if (bsf.drop_percent) {
		uint8_t r = 0;
		RAND_bytes(&r, 1);
		if ((unsigned)r % 100 < bsf.drop_percent) {
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
	int rc = bsf_vsai(ans);
	if (!tid || !naf || tid->avp_value->os.len == 0 || tid->avp_value->os.len > GBA_BTID_MAX ||
	    naf->avp_value->os.len == 0 || naf->avp_value->os.len > GBA_NAF_ID_MAX) {
		outcome = "missing or bad Transaction-Identifier / NAF-Id";
		rc = rc || fd_msg_rescode_set(ans, "DIAMETER_MISSING_AVP", (char *)outcome, NULL, 1);
		goto send;
	}
	const struct bootstrap_entry *e = bootstrap_find(&bsf.store, btid, tid->avp_value->os.len);
	int64_t now = (int64_t)time(NULL);
	if (!e || e->expiry <= now) {
		outcome = e ? "5403 (expired)" : "5403 (unknown)";
		rc = rc || fd_msg_add_origin(ans, 0) || bsf_experimental(ans, ZN_ER_TRANSACTION_IDENTIFIER_INVALID);
		goto send;
	}
	if (!bsf_naf_allowed(naf->avp_value->os.data, naf->avp_value->os.len)) {
		outcome = "5402 (NAF not allowed)";
		rc = rc || fd_msg_add_origin(ans, 0) || bsf_experimental(ans, ZN_ER_NOT_AUTHORIZED);
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
	fd_log_notice("bsf_lab: BIR #%lu B-TID %s NAF-Id %s: %s", n, btid, nafhex, outcome);
	if (rc) {
		fd_log_error("bsf_lab: cannot build the BIA");
		fd_msg_free(ans);
		return 0;
	}
	bsf_send(&ans);
	return 0;
}

static int bsf_entry(char *conffile)
{
	int rc = bsf_conf(conffile);
	if (rc)
		return rc;
	if (dict_base_resolve(&bsf.db) || dict_zn_resolve(&bsf.dz)) {
		fd_log_error("bsf_lab: the Zn dictionary is not loaded (load dict_zn.fdx first)");
		bootstrap_free(&bsf.store);
		return EINVAL;
	}
	if (bsf.delay_ms) {
		if (pthread_create(&bsf.thread, NULL, bsf_delay_thread, NULL) != 0) {
			bootstrap_free(&bsf.store);
			return EAGAIN;
		}
		bsf.have_thread = true;
	}
	struct disp_when when = { .app = bsf.dz.app, .command = bsf.dz.cmd_bir };
	rc = fd_disp_register(bsf_bir_cb, DISP_HOW_CC, &when, NULL, &bsf.hdl);
	if (rc == 0)
		rc = fd_disp_app_support(bsf.dz.app, bsf.dz.vendor, 1, 0);
	if (rc)
		return rc;
	fd_log_notice("bsf_lab: ready: %zu bootstrap entries, %zu allowed NAF(s)%s, delay %u ms, drop %u%%",
	              bsf.store.n, bsf.n_nafs, bsf.n_nafs ? "" : " (any)", bsf.delay_ms, bsf.drop_percent);
	return 0;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("bsf_lab", bsf_entry, "dict_zn");

void fd_ext_fini(void)
{
	if (bsf.hdl)
		fd_disp_unregister(&bsf.hdl, NULL);
	if (bsf.have_thread) {
		pthread_mutex_lock(&bsf.lock);
		bsf.stopping = true;
		pthread_cond_signal(&bsf.cond);
		pthread_mutex_unlock(&bsf.lock);
		pthread_join(bsf.thread, NULL);
	}
	for (struct bsf_delayed *d = bsf.head, *nx; d; d = nx) {
		nx = d->next;
		fd_msg_free(d->ans);
		free(d);
	}
	fd_log_notice("bsf_lab: %lu BIR served", atomic_load(&bsf.birs));
	bootstrap_free(&bsf.store);
}
#pragma GCC visibility pop
