#include "agent/diameter_conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/conffile.h"

static int dconf_v_peer_port(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 0, 65535); }
static int dconf_v_ms(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 600000); }
static int dconf_v_reconnect(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 3600); }

static int dconf_v_unicast(cfg_t *cfg, cfg_opt_t *opt)
{
	if (conffile_v_ipv4(cfg, opt) != 0)
		return -1;
	struct in_addr a;
	inet_pton(AF_INET, cfg_opt_getnstr(opt, 0), &a);
	if (a.s_addr == INADDR_ANY || a.s_addr == INADDR_BROADCAST) {
		cfg_error(cfg, "option '%s': must be a unicast address, not %s", cfg_opt_name(opt), cfg_opt_getnstr(opt, 0));
		return -1;
	}
	return 0;
}

/* Identities, realms and file names go between double quotes in the
 * freeDiameter configuration the daemon generates. */
static bool dconf_quotable(const char *s)
{
	return s && *s && !strpbrk(s, "\"\\\n\r");
}

static int dconf_v_quotable(cfg_t *cfg, cfg_opt_t *opt)
{
	if (!dconf_quotable(cfg_opt_getnstr(opt, 0))) {
		cfg_error(cfg, "option '%s': must not be empty nor hold quotes, backslashes or newlines", cfg_opt_name(opt));
		return -1;
	}
	return 0;
}

static bool dconf_parse_role(const char *s, enum conf_role *role)
{
	if (s && strcmp(s, "aaa") == 0)
		*role = CONF_ROLE_AAA;
	else if (s && strcmp(s, "bsf") == 0)
		*role = CONF_ROLE_BSF;
	else
		return false;
	return true;
}

static int dconf_v_role(cfg_t *cfg, cfg_opt_t *opt)
{
	enum conf_role r;
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!dconf_parse_role(s, &r)) {
		cfg_error(cfg, "option '%s': '%s' is not aaa or bsf", cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

static int dconf_v_connect(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *p = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	if (!dconf_quotable(cfg_title(p))) {
		cfg_error(cfg, "section 'connect': the title must be the peer's Diameter identity");
		return -1;
	}
	static const char *const required[] = { "role", "address" };
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (!cfg_getstr(p, required[i])) {
			cfg_error(cfg, "section 'connect \"%s\"': option '%s' is required", cfg_title(p), required[i]);
			return -1;
		}
	}
	return 0;
}

/* A peer uses TLS unless it or, for it, the diameter section says tls = false. */
static bool dconf_peer_tls(cfg_t *d, cfg_t *p)
{
	return cfg_size(p, "tls") ? cfg_getbool(p, "tls") : cfg_getbool(d, "tls");
}

static int dconf_v_diameter(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *d = cfg_opt_getnsec(opt, 0);
	static const char *const required[] = { "identity", "realm" };
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (!cfg_getstr(d, required[i])) {
			cfg_error(cfg, "section 'diameter': option '%s' is required", required[i]);
			return -1;
		}
	}
	/* The single-AAA shorthand of the first versions: peer, peer_address,
	 * peer_port and the section's tls.  It stays valid beside connect sections. */
	const char *peer = cfg_getstr(d, "peer");
	if (!peer != !cfg_getstr(d, "peer_address")) {
		cfg_error(cfg, "section 'diameter': options 'peer' and 'peer_address' go together");
		return -1;
	}
	unsigned n = cfg_size(d, "connect");
	if (!peer && n == 0) {
		cfg_error(cfg, "section 'diameter': no peer: add connect \"IDENTITY\" { role = \"aaa\" address = \"...\" } "
		               "sections (or the peer/peer_address shorthand)");
		return -1;
	}
	bool tls = peer && cfg_getbool(d, "tls");
	for (unsigned i = 0; i < n; i++) {
		cfg_t *p = cfg_getnsec(d, "connect", i);
		if (peer && strcmp(cfg_title(p), peer) == 0) {
			cfg_error(cfg, "section 'diameter': peer '%s' is both the 'peer' shorthand and a connect section", peer);
			return -1;
		}
		tls |= dconf_peer_tls(d, p);
	}
	if (tls) {
		static const char *const files[] = { "tls_cert", "tls_key", "tls_ca" };
		for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
			if (!dconf_quotable(cfg_getstr(d, files[i]))) {
				cfg_error(cfg, "section 'diameter': option '%s' is required with tls = true "
				               "(or set tls = false for plain TCP)", files[i]);
				return -1;
			}
		}
		struct stat st;
		const char *key = cfg_getstr(d, "tls_key");
		if (stat(key, &st) != 0) {
			cfg_error(cfg, "section 'diameter': option 'tls_key': cannot stat '%s': %s", key, strerror(errno));
			return -1;
		}
		if (st.st_mode & S_IROTH) {
			cfg_error(cfg, "section 'diameter': option 'tls_key': '%s' is readable by others", key);
			return -1;
		}
	}
	return 0;
}

static cfg_opt_t dconf_connect_opts[] = {
	CFG_STR("role", NULL, CFGF_NODEFAULT),
	CFG_STR("address", NULL, CFGF_NODEFAULT),
	CFG_INT("port", 0, CFGF_NONE),
	CFG_BOOL("tls", cfg_true, CFGF_NODEFAULT),
	CFG_END()
};

cfg_opt_t diameter_conf_opts[] = {
	CFG_STR("identity", NULL, CFGF_NODEFAULT),
	CFG_STR("realm", NULL, CFGF_NODEFAULT),
	CFG_SEC("connect", dconf_connect_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_STR("peer", NULL, CFGF_NODEFAULT),
	CFG_STR("peer_address", NULL, CFGF_NODEFAULT),
	CFG_INT("peer_port", 0, CFGF_NONE),
	CFG_STR("destination_realm", NULL, CFGF_NODEFAULT),
	CFG_STR("destination_host", NULL, CFGF_NODEFAULT),
	CFG_BOOL("tls", cfg_true, CFGF_NONE),
	CFG_STR("tls_cert", NULL, CFGF_NODEFAULT),
	CFG_STR("tls_key", NULL, CFGF_NODEFAULT),
	CFG_STR("tls_ca", NULL, CFGF_NODEFAULT),
	CFG_INT("timeout_ms", 3000, CFGF_NONE),
	CFG_INT("reconnect_interval", 30, CFGF_NONE),
	CFG_STR("host_ip_address", NULL, CFGF_NODEFAULT),
	CFG_END()
};

void diameter_conf_validate(cfg_t *cfg)
{
	cfg_set_validate_func(cfg, "diameter|peer_address", conffile_v_ipv4);
	cfg_set_validate_func(cfg, "diameter|peer_port", dconf_v_peer_port);
	cfg_set_validate_func(cfg, "diameter|host_ip_address", dconf_v_unicast);
	cfg_set_validate_func(cfg, "diameter|timeout_ms", dconf_v_ms);
	cfg_set_validate_func(cfg, "diameter|reconnect_interval", dconf_v_reconnect);
	cfg_set_validate_func(cfg, "diameter|identity", dconf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|realm", dconf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|peer", dconf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|destination_realm", dconf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|connect|role", dconf_v_role);
	cfg_set_validate_func(cfg, "diameter|connect|address", conffile_v_ipv4);
	cfg_set_validate_func(cfg, "diameter|connect|port", dconf_v_peer_port);
	cfg_set_validate_func(cfg, "diameter|connect", dconf_v_connect);
	cfg_set_validate_func(cfg, "diameter", dconf_v_diameter);
}

static bool dconf_dup(char **out, const char *s)
{
	return !s || (*out = strdup(s)) != NULL;
}

static bool dconf_add_peer(struct conf_diameter *d, const char *id, enum conf_role role, const char *addr, long port,
                           bool tls)
{
	struct conf_peer *p = &d->peers[d->n_peers++];
	p->role = role;
	p->tls = tls;
	p->port = port ? (uint16_t)port : tls ? 5658 : 3868;
	return dconf_dup(&p->identity, id) && dconf_dup(&p->address, addr);
}

int diameter_conf_fill(struct conf_diameter *d, cfg_t *sec)
{
	memset(d, 0, sizeof *d);
	d->enabled = true;
	unsigned n = cfg_size(sec, "connect");
	const char *peer = cfg_getstr(sec, "peer");
	bool ok = dconf_dup(&d->identity, cfg_getstr(sec, "identity")) && dconf_dup(&d->realm, cfg_getstr(sec, "realm")) &&
	          dconf_dup(&d->destination_realm, cfg_getstr(sec, "destination_realm") ? cfg_getstr(sec, "destination_realm")
	                                                                                 : cfg_getstr(sec, "realm")) &&
	          (d->peers = calloc(n + 1, sizeof *d->peers)) != NULL;
	bool tls = false;
	if (ok && peer) {
		tls = cfg_getbool(sec, "tls");
		ok = dconf_add_peer(d, peer, CONF_ROLE_AAA, cfg_getstr(sec, "peer_address"), cfg_getint(sec, "peer_port"), tls);
	}
	for (unsigned i = 0; ok && i < n; i++) {
		cfg_t *p = cfg_getnsec(sec, "connect", i);
		enum conf_role role = CONF_ROLE_AAA;
		dconf_parse_role(cfg_getstr(p, "role"), &role);
		bool ptls = dconf_peer_tls(sec, p);
		tls |= ptls;
		ok = dconf_add_peer(d, cfg_title(p), role, cfg_getstr(p, "address"), cfg_getint(p, "port"), ptls);
	}
	if (ok && tls)
		ok = dconf_dup(&d->tls_cert, cfg_getstr(sec, "tls_cert")) && dconf_dup(&d->tls_key, cfg_getstr(sec, "tls_key")) &&
		     dconf_dup(&d->tls_ca, cfg_getstr(sec, "tls_ca"));
	d->timeout_ms = (uint32_t)cfg_getint(sec, "timeout_ms");
	d->reconnect_s = (uint32_t)cfg_getint(sec, "reconnect_interval");
	/* Unset: the AAA peer when there is exactly one, else routed by realm. */
	const char *dh = cfg_getstr(sec, "destination_host");
	if (ok && !dh && conf_peers_with_role(d, CONF_ROLE_AAA) == 1)
		for (size_t i = 0; i < d->n_peers; i++)
			if (d->peers[i].role == CONF_ROLE_AAA)
				dh = d->peers[i].identity;
	ok = ok && dconf_dup(&d->destination_host, dh ? dh : "");
	if (cfg_getstr(sec, "host_ip_address"))
		inet_pton(AF_INET, cfg_getstr(sec, "host_ip_address"), &d->host_ip_address);
	if (!ok) {
		diameter_conf_free(d);
		return -1;
	}
	return 0;
}

void diameter_conf_free(struct conf_diameter *d)
{
	free(d->identity);
	free(d->realm);
	for (size_t i = 0; d->peers && i < d->n_peers; i++) {
		free(d->peers[i].identity);
		free(d->peers[i].address);
	}
	free(d->peers);
	free(d->destination_realm);
	free(d->destination_host);
	free(d->tls_cert);
	free(d->tls_key);
	free(d->tls_ca);
	memset(d, 0, sizeof *d);
}
