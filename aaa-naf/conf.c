#include "aaa-naf/conf.h"

#include <arpa/inet.h>
#include <confuse.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "lib/conffile.h"

/* libconfuse validation callbacks take no user pointer; a load runs on one
 * thread at a time (extension init), so its error sink is file-static. */
static struct {
	char *buf;
	size_t len;
	int failed;
	int key_sources_line;
	const char *path;
	cfg_t *root;
} conf_err;

static void conf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	if (conf_err.failed)
		return; /* keep the first error: later ones are usually consequences */
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Sections created from defaults (zn {}) carry no file name or line: the
	 * parser's position is then the root's. */
	const char *file = cfg && cfg->filename ? cfg->filename : conf_err.path;
	int line = cfg && cfg->line ? cfg->line : conf_err.root ? conf_err.root->line : 0;
	snprintf(conf_err.buf, conf_err.len, "%s:%d: %s", file, line, msg);
	conf_err.failed = 1;
}

/* Decode hex into out[cap]; returns the length, or -1. */
static long conf_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	if (*s == '\0' || OPENSSL_hexstr2buf_ex(out, cap, &n, s, '\0') != 1)
		return -1;
	return (long)n;
}

static bool conf_keysrc_parse(const char *s, enum conf_keysrc *k)
{
	for (enum conf_keysrc i = CONF_KS_STATIC; i <= CONF_KS_ZN; i++) {
		if (strcmp(s, conf_keysrc_name(i)) == 0) {
			*k = i;
			return true;
		}
	}
	return false;
}

static int conf_v_sources(cfg_t *cfg, cfg_opt_t *opt)
{
	conf_err.key_sources_line = cfg->line;
	unsigned n = cfg_opt_size(opt);
	if (n == 0 || n > CONF_KS_MAX) {
		cfg_error(cfg, "option '%s': list 1 to %d of static, gba-local, zn", opt->name, CONF_KS_MAX);
		return -1;
	}
	unsigned seen = 0;
	for (unsigned i = 0; i < n; i++) {
		enum conf_keysrc k;
		const char *v = cfg_opt_getnstr(opt, i);
		if (!conf_keysrc_parse(v, &k)) {
			cfg_error(cfg, "option '%s': unknown key source '%s' (static, gba-local, zn)", opt->name, v);
			return -1;
		}
		if (seen & (1u << k)) {
			cfg_error(cfg, "option '%s': '%s' listed twice", opt->name, v);
			return -1;
		}
		seen |= 1u << k;
	}
	return 0;
}

static int conf_v_range(cfg_t *cfg, cfg_opt_t *opt, long lo, long hi)
{
	long v = cfg_opt_getnint(opt, 0);
	if (v < lo || v > hi) {
		cfg_error(cfg, "option '%s': %ld is outside %ld..%ld", opt->name, v, lo, hi);
		return -1;
	}
	return 0;
}

static int conf_v_nonce(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, REG_NONCE_MIN, REG_NONCE_MAX); }
static int conf_v_lifetime(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, 1, 0x7fffffff); }
static int conf_v_reglife(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, 1, 65534); }
static int conf_v_spi(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0);
	if (v != REG_SPI_CHAP && (v < REG_SPI_MIN || v > 0xffffffffL)) {
		cfg_error(cfg, "option '%s': %ld is reserved (use 2 = CHAP_SPI or 256..4294967295)", opt->name, v);
		return -1;
	}
	return 0;
}
static int conf_v_fa_ha_spi(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, REG_SPI_MIN, 0xffffffffL); }
static int conf_v_timeout(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, 10, 600000); }
static int conf_v_cache(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, 1, 10000000); }
static int conf_v_negttl(cfg_t *cfg, cfg_opt_t *opt) { return conf_v_range(cfg, opt, 0, 3600); }

static int conf_v_unavail(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0);
	if (v != 3002 && v != 3004 && v != 4002) {
		cfg_error(cfg, "option '%s': %ld is not one of 3002, 3004, 4002", opt->name, v);
		return -1;
	}
	return 0;
}

static int conf_v_ipv4(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);
	struct in_addr a;
	if (v && *v == '\0' && strcmp(opt->name, "home-agent-address") == 0)
		return 0;
	if (!v || inet_pton(AF_INET, v, &a) != 1) {
		cfg_error(cfg, "option '%s': '%s' is not an IPv4 address", opt->name, v ? v : "");
		return -1;
	}
	return 0;
}

static int conf_v_alg(cfg_t *cfg, cfg_opt_t *opt)
{
	enum verifier_alg a;
	const char *v = cfg_opt_getnstr(opt, 0);
	if (!v || !verifier_alg_parse(v, &a)) {
		cfg_error(cfg, "option '%s': '%s' is not by-spi, hmac-md5 or chap", opt->name, v ? v : "");
		return -1;
	}
	return 0;
}

/* A whole static section: exactly one of secret / secret-hex, a NAI title. */
static int conf_v_static(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	const char *nai = cfg_title(sec);
	const char *s = cfg_getstr(sec, "secret"), *h = cfg_getstr(sec, "secret-hex");
	uint8_t tmp[VERIFIER_KEY_MAX];
	if (!nai || !*nai || strlen(nai) > REG_NAI_MAX) {
		cfg_error(cfg, "section 'static': the NAI title must be 1..%d characters", REG_NAI_MAX);
		return -1;
	}
	if ((*s != '\0') == (*h != '\0')) {
		cfg_error(cfg, "section 'static \"%s\"': give exactly one of 'secret' and 'secret-hex'", nai);
		return -1;
	}
	if (*s && strlen(s) > VERIFIER_KEY_MAX) {
		cfg_error(cfg, "option 'secret' of static \"%s\": longer than %d octets", nai, VERIFIER_KEY_MAX);
		return -1;
	}
	if (*h && conf_hex(h, tmp, sizeof(tmp)) < 0) {
		OPENSSL_cleanse(tmp, sizeof(tmp));
		cfg_error(cfg, "option 'secret-hex' of static \"%s\": not 2..%d hex digits", nai, 2 * VERIFIER_KEY_MAX);
		return -1;
	}
	OPENSSL_cleanse(tmp, sizeof(tmp));
	if (cfg_getint(sec, "spi") < 0) {
		cfg_error(cfg, "section 'static \"%s\"': option 'spi' is required", nai);
		return -1;
	}
	return 0;
}

static int conf_v_pool(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	struct in_addr a, b;
	const char *first = cfg_getstr(sec, "first"), *last = cfg_getstr(sec, "last");
	if (!first || !last || inet_pton(AF_INET, first, &a) != 1 || inet_pton(AF_INET, last, &b) != 1 || ntohl(a.s_addr) > ntohl(b.s_addr) ||
	    a.s_addr == 0) {
		cfg_error(cfg, "section 'pool \"%s\"': 'first' and 'last' must be IPv4 addresses, first <= last, not 0.0.0.0",
		          cfg_title(sec));
		return -1;
	}
	if (strlen(cfg_title(sec)) >= sizeof(((struct conf_pool *)0)->name)) {
		cfg_error(cfg, "section 'pool': name longer than 63 characters");
		return -1;
	}
	return 0;
}

static int conf_v_home_agent(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	const char *addr = cfg_getstr(sec, "address"), *realm = cfg_getstr(sec, "realm");
	struct in_addr a;
	const char *title = cfg_title(sec);
	if (!addr || inet_pton(AF_INET, addr, &a) != 1 || a.s_addr == 0) {
		cfg_error(cfg, "section 'home-agent \"%s\"': option 'address' must be the home agent's IPv4 address",
		          title);
		return -1;
	}
	if (strlen(title) >= 256 || (realm && strlen(realm) >= 256) || (!realm && !strchr(title, '.'))) {
		cfg_error(cfg, "section 'home-agent \"%s\"': the title is the Diameter identity (an FQDN, up to 255 "
		               "characters); option 'realm' (default: what follows its first dot) likewise",
		          title);
		return -1;
	}
	for (unsigned i = 0; i + 1 < cfg_opt_size(opt); i++) {
		struct in_addr b;
		if (inet_pton(AF_INET, cfg_getstr(cfg_opt_getnsec(opt, i), "address"), &b) == 1 && b.s_addr == a.s_addr) {
			cfg_error(cfg, "section 'home-agent \"%s\"': address %s is already home agent '%s'", title, addr,
			          cfg_title(cfg_opt_getnsec(opt, i)));
			return -1;
		}
	}
	return 0;
}

static int conf_v_host(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);
	if (v && strlen(v) >= 256) {
		cfg_error(cfg, "option '%s': longer than 255 characters", opt->name);
		return -1;
	}
	return 0;
}

static int conf_v_path(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);
	if (!v || !*v || strlen(v) >= PATH_MAX) {
		cfg_error(cfg, "option '%s': a file path is required", opt->name);
		return -1;
	}
	return 0;
}

const char *conf_keysrc_name(enum conf_keysrc k)
{
	switch (k) {
	case CONF_KS_STATIC: return "static";
	case CONF_KS_GBA_LOCAL: return "gba-local";
	case CONF_KS_ZN: return "zn";
	}
	return "?";
}

static int conf_fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int conf_fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(err, errlen, "%s:%d: %s", path, line, msg);
	else
		snprintf(err, errlen, "%s: %s", path, msg);
	return -1;
}

static int conf_fill(cfg_t *cfg, const char *path, struct aaa_conf *c, char *err, size_t errlen)
{
	snprintf(c->naf_fqdn, sizeof(c->naf_fqdn), "%s", cfg_getstr(cfg, "naf-fqdn"));
	gba_ua_id_parse(cfg_getstr(cfg, "ua-id"), c->ua_id);
	c->naf_id_len = gba_naf_id(c->naf_fqdn, c->ua_id, c->naf_id, sizeof(c->naf_id));

	c->n_sources = cfg_size(cfg, "key-sources");
	bool want_static = false, want_local = false;
	for (size_t i = 0; i < c->n_sources; i++) {
		conf_keysrc_parse(cfg_getnstr(cfg, "key-sources", (unsigned)i), &c->sources[i]);
		want_static |= c->sources[i] == CONF_KS_STATIC;
		want_local |= c->sources[i] == CONF_KS_GBA_LOCAL;
	}

	c->n_statics = cfg_size(cfg, "static");
	if (want_static && c->n_statics == 0)
		return conf_fail(err, errlen, path, conf_err.key_sources_line,
		                 "option 'key-sources': 'static' is listed but no static section is given");
	if (c->n_statics) {
		c->statics = calloc(c->n_statics, sizeof(*c->statics));
		if (!c->statics)
			return conf_fail(err, errlen, path, 0, "out of memory");
	}
	for (size_t i = 0; i < c->n_statics; i++) {
		cfg_t *s = cfg_getnsec(cfg, "static", (unsigned)i);
		struct conf_static *st = &c->statics[i];
		snprintf(st->nai, sizeof(st->nai), "%s", cfg_title(s));
		st->spi = (uint32_t)cfg_getint(s, "spi");
		verifier_alg_parse(cfg_getstr(s, "algorithm"), &st->alg);
		const char *sec = cfg_getstr(s, "secret");
		if (*sec) {
			st->secret_len = strlen(sec);
			memcpy(st->secret, sec, st->secret_len);
		} else {
			st->secret_len = (size_t)conf_hex(cfg_getstr(s, "secret-hex"), st->secret, sizeof(st->secret));
		}
	}

	if (want_local) {
		const char *store = cfg_getstr(cfg_getsec(cfg, "gba-local"), "store");
		if (!store)
			return conf_fail(err, errlen, path, conf_err.key_sources_line,
			                 "option 'key-sources': 'gba-local' is listed but section gba-local has no 'store'");
		snprintf(c->gba_store, sizeof(c->gba_store), "%s", store);
	}

	cfg_t *zn = cfg_getsec(cfg, "zn");
	snprintf(c->zn_realm, sizeof(c->zn_realm), "%s", cfg_getstr(zn, "realm"));
	snprintf(c->zn_host, sizeof(c->zn_host), "%s", cfg_getstr(zn, "host"));
	c->zn_timeout_ms = (unsigned)cfg_getint(zn, "timeout-ms");
	c->zn_cache_size = (unsigned)cfg_getint(zn, "cache-size");
	c->zn_negative_ttl = (unsigned)cfg_getint(zn, "negative-ttl");
	c->zn_unavailable_rc = (unsigned)cfg_getint(zn, "unavailable-result-code");

	c->n_pools = cfg_size(cfg, "pool");
	if (c->n_pools) {
		c->pools = calloc(c->n_pools, sizeof(*c->pools));
		if (!c->pools)
			return conf_fail(err, errlen, path, 0, "out of memory");
	}
	for (size_t i = 0; i < c->n_pools; i++) {
		cfg_t *p = cfg_getnsec(cfg, "pool", (unsigned)i);
		struct in_addr a, b;
		inet_pton(AF_INET, cfg_getstr(p, "first"), &a);
		inet_pton(AF_INET, cfg_getstr(p, "last"), &b);
		snprintf(c->pools[i].name, sizeof(c->pools[i].name), "%s", cfg_title(p));
		c->pools[i].first = ntohl(a.s_addr);
		c->pools[i].last = ntohl(b.s_addr);
	}
	const char *state = cfg_getstr(cfg, "pool-state-file");
	if (state)
		snprintf(c->pool_state, sizeof(c->pool_state), "%s", state);

	const char *ha = cfg_getstr(cfg, "home-agent-address");
	struct in_addr haa = { 0 };
	if (*ha)
		inet_pton(AF_INET, ha, &haa);
	c->home_agent = haa.s_addr;
	c->key_lifetime = (unsigned)cfg_getint(cfg, "key-lifetime");
	c->reg_lifetime = (unsigned)cfg_getint(cfg, "registration-lifetime");
	c->nonce_len = (unsigned)cfg_getint(cfg, "nonce-length");
	c->mn_ha_spi_avp = cfg_getbool(cfg, "mn-ha-spi-avp");
	c->har_timeout_ms = (unsigned)cfg_getint(cfg, "har-timeout-ms");
	c->fa_ha_spi = (uint32_t)cfg_getint(cfg, "fa-ha-spi");
	c->n_home_agents = cfg_size(cfg, "home-agent");
	if (c->n_home_agents && !(c->home_agents = calloc(c->n_home_agents, sizeof(*c->home_agents))))
		return conf_fail(err, errlen, path, 0, "out of memory");
	for (size_t i = 0; i < c->n_home_agents; i++) {
		cfg_t *h = cfg_getnsec(cfg, "home-agent", (unsigned)i);
		struct conf_home_agent *ha = &c->home_agents[i];
		struct in_addr a;
		inet_pton(AF_INET, cfg_getstr(h, "address"), &a);
		ha->addr = a.s_addr;
		snprintf(ha->host, sizeof(ha->host), "%s", cfg_title(h));
		const char *realm = cfg_getstr(h, "realm");
		snprintf(ha->realm, sizeof(ha->realm), "%s", realm ? realm : strchr(ha->host, '.') + 1);
	}
	if (c->reg_lifetime > c->key_lifetime)
		return conf_fail(err, errlen, path, 0,
		                 "option 'registration-lifetime' (%u) must not exceed 'key-lifetime' (%u) (RFC 4004 §9.13)",
		                 c->reg_lifetime, c->key_lifetime);

	/* Static secrets are keys: the file holding them must be private. */
	if (c->n_statics) {
		struct stat st;
		if (stat(path, &st) != 0)
			return conf_fail(err, errlen, path, 0, "stat: %s", strerror(errno));
		if (st.st_mode & S_IRWXO)
			return conf_fail(err, errlen, path, 0,
			                 "holds static MN-AAA secrets but is accessible by other (mode %04o): refusing; chmod o-rwx",
			                 (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

int conf_load(const char *path, struct aaa_conf *c, char *err, size_t errlen)
{
	static cfg_opt_t static_opts[] = {
		CFG_INT("spi", -1, CFGF_NONE),
		CFG_STR("algorithm", "by-spi", CFGF_NONE),
		CFG_STR("secret", "", CFGF_NONE),
		CFG_STR("secret-hex", "", CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t local_opts[] = {
		CFG_STR("store", NULL, CFGF_NODEFAULT),
		CFG_END()
	};
	static cfg_opt_t zn_opts[] = {
		CFG_STR("realm", "", CFGF_NONE),
		CFG_STR("host", "", CFGF_NONE),
		CFG_INT("timeout-ms", 2000, CFGF_NONE),
		CFG_INT("cache-size", 10000, CFGF_NONE),
		CFG_INT("negative-ttl", 5, CFGF_NONE),
		CFG_INT("unavailable-result-code", 3002, CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t pool_opts[] = {
		CFG_STR("first", NULL, CFGF_NODEFAULT),
		CFG_STR("last", NULL, CFGF_NODEFAULT),
		CFG_END()
	};
	static cfg_opt_t ha_opts[] = {
		CFG_STR("address", NULL, CFGF_NODEFAULT),
		CFG_STR("realm", NULL, CFGF_NODEFAULT),
		CFG_END()
	};
	cfg_opt_t opts[] = {
		CFG_STR("naf-fqdn", NULL, CFGF_NODEFAULT),
		CFG_STR("ua-id", "ff00000001", CFGF_NONE),
		CFG_STR_LIST("key-sources", "{gba-local}", CFGF_NONE),
		CFG_INT("nonce-length", VERIFIER_NONCE_DEFAULT, CFGF_NONE),
		CFG_INT("key-lifetime", 3600, CFGF_NONE),
		CFG_INT("registration-lifetime", 600, CFGF_NONE),
		CFG_STR("home-agent-address", "", CFGF_NONE),
		CFG_SEC("static", static_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_SEC("gba-local", local_opts, CFGF_NONE),
		CFG_SEC("zn", zn_opts, CFGF_NONE),
		CFG_SEC("pool", pool_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_STR("pool-state-file", NULL, CFGF_NODEFAULT),
		CFG_BOOL("mn-ha-spi-avp", cfg_false, CFGF_NONE),
		CFG_SEC("home-agent", ha_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_INT("har-timeout-ms", 3000, CFGF_NONE),
		CFG_INT("fa-ha-spi", 256, CFGF_NONE),
		CFG_END()
	};
	memset(c, 0, sizeof(*c));
	conf_err.buf = err;
	conf_err.len = errlen;
	conf_err.failed = 0;
	conf_err.key_sources_line = 0;
	if (!path || !*path) {
		snprintf(err, errlen, "no configuration file given (LoadExtension = \"aaa_naf.fdx\" : \"FILE\")");
		return -1;
	}
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	if (!cfg) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	conf_err.path = path;
	conf_err.root = cfg;
	cfg_set_error_function(cfg, conf_errfunc);
	cfg_set_validate_func(cfg, "naf-fqdn", conffile_v_dns_name);
	cfg_set_validate_func(cfg, "ua-id", conffile_v_ua_id);
	cfg_set_validate_func(cfg, "key-sources", conf_v_sources);
	cfg_set_validate_func(cfg, "nonce-length", conf_v_nonce);
	cfg_set_validate_func(cfg, "key-lifetime", conf_v_lifetime);
	cfg_set_validate_func(cfg, "registration-lifetime", conf_v_reglife);
	cfg_set_validate_func(cfg, "home-agent-address", conf_v_ipv4);
	cfg_set_validate_func(cfg, "static", conf_v_static);
	cfg_set_validate_func(cfg, "static|spi", conf_v_spi);
	cfg_set_validate_func(cfg, "static|algorithm", conf_v_alg);
	cfg_set_validate_func(cfg, "gba-local|store", conf_v_path);
	cfg_set_validate_func(cfg, "zn|realm", conf_v_host);
	cfg_set_validate_func(cfg, "zn|host", conf_v_host);
	cfg_set_validate_func(cfg, "zn|timeout-ms", conf_v_timeout);
	cfg_set_validate_func(cfg, "zn|cache-size", conf_v_cache);
	cfg_set_validate_func(cfg, "zn|negative-ttl", conf_v_negttl);
	cfg_set_validate_func(cfg, "zn|unavailable-result-code", conf_v_unavail);
	cfg_set_validate_func(cfg, "pool", conf_v_pool);
	cfg_set_validate_func(cfg, "pool|first", conf_v_ipv4);
	cfg_set_validate_func(cfg, "pool|last", conf_v_ipv4);
	cfg_set_validate_func(cfg, "pool-state-file", conf_v_path);
	cfg_set_validate_func(cfg, "home-agent", conf_v_home_agent);
	cfg_set_validate_func(cfg, "har-timeout-ms", conf_v_timeout);
	cfg_set_validate_func(cfg, "fa-ha-spi", conf_v_fa_ha_spi);

	int rc = conffile_parse(cfg, path);
	if (rc == CFG_FILE_ERROR) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	} else if (rc != CFG_SUCCESS) {
		if (!conf_err.failed)
			snprintf(err, errlen, "%s: parse error", path);
	} else if (!cfg_getstr(cfg, "naf-fqdn")) {
		snprintf(err, errlen, "%s: option 'naf-fqdn' is required", path);
		rc = -1;
	} else {
		rc = conf_fill(cfg, path, c, err, errlen);
	}
	cfg_free(cfg);
	conf_err.root = NULL;
	if (rc != 0) {
		conf_free(c);
		return -1;
	}
	return 0;
}

void conf_free(struct aaa_conf *c)
{
	if (c->statics) {
		OPENSSL_cleanse(c->statics, c->n_statics * sizeof(*c->statics));
		free(c->statics);
	}
	free(c->pools);
	free(c->home_agents);
	memset(c, 0, sizeof(*c));
}

const struct conf_home_agent *conf_home_agent_find(const struct aaa_conf *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n_home_agents; i++)
		if (c->home_agents[i].addr == addr)
			return &c->home_agents[i];
	return NULL;
}
