/*
 * bsf_lab.fdx: a lab BSF for freeDiameterd.
 *     LoadExtension = "dict_zn.fdx";
 *     LoadExtension = "dict_zh.fdx";          (with Ub)
 *     LoadExtension = "bsf_lab.fdx" : "/etc/mip4-gba/bsf-lab.conf";
 *
 * The Zn server (bsf_zn.c) answers from a bootstrap store and, with a `ub`
 * section, from the sessions the Ub server (bsf_ub.c) makes by running HTTP
 * Digest AKA with the UEs and fetching their vectors from an HSS over Zh
 * (bsf_zh.c).  This file reads the configuration and starts and stops them.
 */
#include <freeDiameter/extension.h>

#include <confuse.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gba-lab/bsf_btable.h"
#include "gba-lab/bsf_ub.h"
#include "gba-lab/bsf_zn.h"
#include "lib/conffile.h"
#include "lib/gba.h"

static struct {
	struct bsf_btable *sessions;
	bool ub;
} lab;

static char bsf_conf_err[512];

static void bsf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char m[400];
	vsnprintf(m, sizeof(m), fmt, ap);
	if (!bsf_conf_err[0])
		snprintf(bsf_conf_err, sizeof(bsf_conf_err), "%s:%d: %s", cfg && cfg->filename ? cfg->filename : "?",
		         cfg ? cfg->line : 0, m);
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
		if (!bsf_zn_naf_parse(cfg_opt_getnstr(opt, i), id, &len)) {
			cfg_error(cfg, "option '%s': '%s' is not FQDN:UA-ID-HEX (e.g. aaa.home.lab:ff00000001)",
			          opt->name, cfg_opt_getnstr(opt, i));
			return -1;
		}
	}
	return 0;
}

/* Integer options and their ranges. */
static const struct {
	const char *name;
	long lo, hi;
} bsf_ranges[] = {
	{ "delay-ms", 0, 600000 },	     { "drop-percent", 0, 100 },	  { "port", 1, 65535 },
	{ "key-lifetime", 1, 31536000 },     { "nonce-timeout", 1, 3600 },	  { "max-bootstraps", 1, 10000000 },
	{ "max-challenges", 1, 1000000 },    { "max-pending", 1, 65536 },	  { "timeout-ms", 1, 600000 },
};

static int bsf_v_int(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0);
	for (size_t i = 0; i < sizeof bsf_ranges / sizeof bsf_ranges[0]; i++)
		if (strcmp(opt->name, bsf_ranges[i].name) == 0 && (v < bsf_ranges[i].lo || v > bsf_ranges[i].hi)) {
			cfg_error(cfg, "option '%s': %ld is outside %ld..%ld", opt->name, v, bsf_ranges[i].lo,
			          bsf_ranges[i].hi);
			return -1;
		}
	return 0;
}

static bool bsf_printable(const char *s, size_t max, bool slash_first)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || (slash_first && s[0] != '/'))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

static int bsf_v_domain(cfg_t *cfg, cfg_opt_t *opt)
{
	const uint8_t rand[GBA_RAND_LEN] = { 0 };
	char btid[GBA_BTID_MAX + 1];
	const char *v = cfg_opt_getnstr(opt, 0);
	if (gba_btid_format(rand, v, btid, sizeof btid) == 0) {
		cfg_error(cfg, "option '%s': '%s' is not a DNS name a B-TID can end with", opt->name, v);
		return -1;
	}
	return 0;
}

static int bsf_v_text(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);
	bool path = strcmp(opt->name, "path") == 0;
	if (*v && !bsf_printable(v, 255, path)) {
		cfg_error(cfg, "option '%s': '%s' is not %s", opt->name, v,
		          path ? "a path starting with '/' (printable, no blanks or quotes)"
		               : "printable ASCII without blanks or quotes");
		return -1;
	}
	return 0;
}

/* One-line error for a section-level rule. */
static int bsf_fail(const char *path, const char *fmt, ...)
{
	char m[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	fd_log_error("bsf_lab: %s: %s", path, m);
	return EINVAL;
}

static int bsf_copy(char *dst, size_t cap, const char *src)
{
	return snprintf(dst, cap, "%s", src) < (int)cap ? 0 : -1;
}

static int bsf_conf_ub(const char *path, cfg_t *cfg, struct bsf_ub_conf *u, size_t *max_bootstraps)
{
	cfg_t *s = cfg_getnsec(cfg, "ub", 0), *z = cfg_size(cfg, "zh") ? cfg_getnsec(cfg, "zh", 0) : NULL;
	const char *domain = cfg_getstr(s, "bsf-domain"), *realm = cfg_getstr(s, "realm");
	const char *cert = cfg_getstr(s, "tls-cert"), *key = cfg_getstr(s, "tls-key");
	if (!*domain)
		return bsf_fail(path, "section 'ub': option 'bsf-domain' is required (the B-TIDs' domain)");
	if (!z || !*cfg_getstr(z, "realm"))
		return bsf_fail(path, "section 'ub' needs section 'zh' with option 'realm' (the HSS's realm)");
	if (!*cert != !*key)
		return bsf_fail(path, "section 'ub': give both 'tls-cert' and 'tls-key', or neither (plain HTTP)");
	memset(u, 0, sizeof *u);
	static char zh_realm[256], zh_host[256];
	if (bsf_copy(u->address, sizeof u->address, cfg_getstr(s, "address")) ||
	    bsf_copy(u->path, sizeof u->path, cfg_getstr(s, "path")) ||
	    bsf_copy(u->bsf_domain, sizeof u->bsf_domain, domain) ||
	    bsf_copy(u->realm, sizeof u->realm, *realm ? realm : domain) ||
	    bsf_copy(u->tls_cert, sizeof u->tls_cert, cert) || bsf_copy(u->tls_key, sizeof u->tls_key, key) ||
	    bsf_copy(zh_realm, sizeof zh_realm, cfg_getstr(z, "realm")) ||
	    bsf_copy(zh_host, sizeof zh_host, cfg_getstr(z, "host")))
		return bsf_fail(path, "section 'ub' or 'zh': a value is too long");
	u->port = (unsigned)cfg_getint(s, "port");
	u->key_lifetime = (unsigned)cfg_getint(s, "key-lifetime");
	u->nonce_timeout = (unsigned)cfg_getint(s, "nonce-timeout");
	u->max_challenges = (size_t)cfg_getint(s, "max-challenges");
	u->max_pending = (size_t)cfg_getint(s, "max-pending");
	*max_bootstraps = (size_t)cfg_getint(s, "max-bootstraps");
	u->zh.realm = zh_realm;
	u->zh.host = zh_host;
	u->zh.timeout_ms = (unsigned)cfg_getint(z, "timeout-ms");
	return 0;
}

static int bsf_conf(const char *path, struct bsf_zn_conf *zn, struct bsf_ub_conf *ub, size_t *max_bootstraps)
{
	cfg_opt_t ub_opts[] = {
		CFG_STR("address", "127.0.0.1", CFGF_NONE),
		CFG_INT("port", 8080, CFGF_NONE),
		CFG_STR("path", "/", CFGF_NONE),
		CFG_STR("bsf-domain", "", CFGF_NONE),
		CFG_STR("realm", "", CFGF_NONE),
		CFG_STR("tls-cert", "", CFGF_NONE),
		CFG_STR("tls-key", "", CFGF_NONE),
		CFG_INT("key-lifetime", 3600, CFGF_NONE),
		CFG_INT("nonce-timeout", 30, CFGF_NONE),
		CFG_INT("max-bootstraps", 100000, CFGF_NONE),
		CFG_INT("max-challenges", 10000, CFGF_NONE),
		CFG_INT("max-pending", 1024, CFGF_NONE),
		CFG_END()
	};
	cfg_opt_t zh_opts[] = {
		CFG_STR("realm", "", CFGF_NONE),
		CFG_STR("host", "", CFGF_NONE),
		CFG_INT("timeout-ms", 2000, CFGF_NONE),
		CFG_END()
	};
	cfg_opt_t opts[] = {
		CFG_STR("store", "", CFGF_NONE),
		CFG_STR_LIST("naf-allow", "{}", CFGF_NONE),
		CFG_INT("delay-ms", 0, CFGF_NONE),
		CFG_INT("drop-percent", 0, CFGF_NONE),
		CFG_SEC("ub", ub_opts, CFGF_MULTI),
		CFG_SEC("zh", zh_opts, CFGF_MULTI),
		CFG_END()
	};
	if (!path) {
		fd_log_error("bsf_lab: no configuration file given");
		return EINVAL;
	}
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	cfg_set_error_function(cfg, bsf_errfunc);
	cfg_set_validate_func(cfg, "naf-allow", bsf_v_naf);
	for (size_t i = 0; i < sizeof bsf_ranges / sizeof bsf_ranges[0]; i++) {
		const char *n = bsf_ranges[i].name;
		char where[64];
		bool top = strcmp(n, "delay-ms") == 0 || strcmp(n, "drop-percent") == 0;
		snprintf(where, sizeof where, "%s%s", top ? "" : strcmp(n, "timeout-ms") == 0 ? "zh|" : "ub|", n);
		cfg_set_validate_func(cfg, where, bsf_v_int);
	}
	cfg_set_validate_func(cfg, "ub|bsf-domain", bsf_v_domain);
	cfg_set_validate_func(cfg, "ub|realm", bsf_v_text);
	cfg_set_validate_func(cfg, "ub|path", bsf_v_text);
	cfg_set_validate_func(cfg, "zh|realm", bsf_v_text);
	cfg_set_validate_func(cfg, "zh|host", bsf_v_text);
	int rc = conffile_parse(cfg, path);
	if (rc != CFG_SUCCESS) {
		if (rc == CFG_FILE_ERROR)
			fd_log_error("bsf_lab: %s: cannot read", path);
		else
			fd_log_error("bsf_lab: %s", bsf_conf_err);
		cfg_free(cfg);
		return EINVAL;
	}
	int err = 0;
	lab.ub = cfg_size(cfg, "ub") > 0;
	const char *store = cfg_getstr(cfg, "store");
	if (cfg_size(cfg, "ub") > 1 || cfg_size(cfg, "zh") > 1)
		err = bsf_fail(path, "sections 'ub' and 'zh' may each appear once");
	else if (!lab.ub && !*store)
		err = bsf_fail(path, "option 'store' is required without a 'ub' section");
	else if (lab.ub)
		err = bsf_conf_ub(path, cfg, ub, max_bootstraps);
	if (err) {
		cfg_free(cfg);
		return err;
	}
	memset(zn, 0, sizeof *zn);
	zn->n_nafs = cfg_size(cfg, "naf-allow");
	for (size_t i = 0; i < zn->n_nafs; i++)
		bsf_zn_naf_parse(cfg_getnstr(cfg, "naf-allow", (unsigned)i), zn->naf_ids[i], &zn->naf_id_len[i]);
	zn->delay_ms = (unsigned)cfg_getint(cfg, "delay-ms");
	zn->drop_percent = (unsigned)cfg_getint(cfg, "drop-percent");
	if (*store) {
		size_t line = 0;
		enum bootstrap_err e = bootstrap_load(store, &zn->store, &line);
		if (e != BOOTSTRAP_OK) {
			fd_log_error("bsf_lab: %s:%zu: bootstrap store: %s", store, line, bootstrap_err_str(e));
			cfg_free(cfg);
			return EINVAL;
		}
	}
	cfg_free(cfg);
	return 0;
}

static int bsf_entry(char *conffile)
{
	struct bsf_zn_conf zn;
	struct bsf_ub_conf ub;
	size_t max_bootstraps = 0, entries;
	char err[512];
	int rc = bsf_conf(conffile, &zn, &ub, &max_bootstraps);
	if (rc)
		return rc;
	entries = zn.store.n;
	if (lab.ub && !(lab.sessions = bsf_btable_new(max_bootstraps))) {
		bootstrap_free(&zn.store);
		return ENOMEM;
	}
	zn.sessions = lab.sessions;
	unsigned delay = zn.delay_ms, drop = zn.drop_percent;
	size_t nafs = zn.n_nafs;
	rc = bsf_zn_start(&zn);
	if (rc)
		return rc;
	if (lab.ub && bsf_ub_start(&ub, lab.sessions, err, sizeof err) != 0) {
		fd_log_error("bsf_lab: %s: %s", conffile, err);
		return EINVAL;
	}
	char ub_line[PATH_MAX + 1200] = "";
	if (lab.ub)
		snprintf(ub_line, sizeof ub_line, ", Ub on %s://%s:%u%s (realm %s, B-TIDs @%s, HSS realm %s%s%s)",
		         ub.tls_cert[0] ? "https" : "http", ub.address, ub.port, ub.path, ub.realm, ub.bsf_domain,
		         ub.zh.realm, ub.zh.host[0] ? ", host " : "", ub.zh.host);
	fd_log_notice("bsf_lab: ready: %zu bootstrap entries, %zu allowed NAF(s)%s, delay %u ms, drop %u%%%s", entries,
	              nafs, nafs ? "" : " (any)", delay, drop, ub_line);
	return 0;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("bsf_lab", bsf_entry, "dict_zn");

void fd_ext_fini(void)
{
	bsf_ub_stop();
	bsf_zn_stop();
	bsf_btable_free(lab.sessions);
	lab.sessions = NULL;
}
#pragma GCC visibility pop
