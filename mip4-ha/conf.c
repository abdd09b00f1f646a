#include "mip4-ha/conf.h"

#include <arpa/inet.h>
#include <confuse.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "lib/conffile.h"
#include "lib/reg.h"

static int conf_v_port(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65535); }
static int conf_v_peer_port(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 0, 65535); }
static int conf_v_lifetime(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65535); }
static int conf_v_window(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 3600); }
static int conf_v_bindings(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 16000000); }
static int conf_v_pending(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65536); }
static int conf_v_ms(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 600000); }
static int conf_v_reconnect(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 3600); }

static int conf_v_route_protocol(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 5, 255); }

static int conf_v_data_plane(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!s || (strcmp(s, "tun") != 0 && strcmp(s, "none") != 0)) {
		cfg_error(cfg, "option '%s': '%s' is not tun or none", cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

static int conf_v_sync_ms(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 0, 60000); }
static int conf_v_compact(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1L << 20, 1L << 40); }

static int conf_v_journal(cfg_t *cfg, cfg_opt_t *opt)
{
	if (!cfg_getstr(cfg_opt_getnsec(opt, 0), "directory")) {
		cfg_error(cfg, "section 'journal': option 'directory' is required");
		return -1;
	}
	return 0;
}

static int conf_v_abs_path(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *d = cfg_opt_getnstr(opt, 0);
	if (!d || d[0] != '/') {
		cfg_error(cfg, "option '%s': '%s' is not an absolute path", cfg_opt_name(opt), d ? d : "");
		return -1;
	}
	return 0;
}

static int conf_v_home_if(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	return s && !*s ? 0 : conffile_v_ifname(cfg, opt);
}

static int conf_v_address(cfg_t *cfg, cfg_opt_t *opt)
{
	if (conffile_v_ipv4(cfg, opt) != 0)
		return -1;
	struct in_addr a;
	inet_pton(AF_INET, cfg_opt_getnstr(opt, 0), &a);
	if (a.s_addr == INADDR_ANY || a.s_addr == INADDR_BROADCAST) {
		/* Requests name this address and replies leave from it: it must be
		 * one unicast address. */
		cfg_error(cfg, "option '%s': must be the HA's unicast address, not %s", cfg_opt_name(opt),
		          cfg_opt_getnstr(opt, 0));
		return -1;
	}
	return 0;
}

static bool conf_parse_net(const char *s, struct conf_net *n)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof buf)
		return false;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = 0;
	char *end;
	errno = 0;
	long bits = strtol(slash + 1, &end, 10);
	struct in_addr a;
	if (errno || *end || end == slash + 1 || bits < 0 || bits > 32 || inet_pton(AF_INET, buf, &a) != 1)
		return false;
	uint32_t mask = bits == 0 ? 0 : htonl(0xffffffffu << (32 - bits));
	n->addr = a.s_addr & mask;
	n->mask = mask;
	return true;
}

static int conf_v_nets(cfg_t *cfg, cfg_opt_t *opt)
{
	unsigned n = cfg_opt_size(opt);
	if (n > CONF_MAX_HOME_NETS) {
		cfg_error(cfg, "option '%s': more than %d networks", cfg_opt_name(opt), CONF_MAX_HOME_NETS);
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		struct conf_net net;
		const char *s = cfg_opt_getnstr(opt, i);
		if (!conf_parse_net(s, &net)) {
			cfg_error(cfg, "option '%s': '%s' is not an IPv4 prefix (a.b.c.d/len)", cfg_opt_name(opt), s);
			return -1;
		}
	}
	return 0;
}

/* Identities, realms and file names go between double quotes in the
 * freeDiameter configuration the HA generates. */
static bool conf_quotable(const char *s)
{
	return s && *s && !strpbrk(s, "\"\\\n\r");
}

static int conf_v_quotable(cfg_t *cfg, cfg_opt_t *opt)
{
	if (!conf_quotable(cfg_opt_getnstr(opt, 0))) {
		cfg_error(cfg, "option '%s': must not be empty nor hold quotes, backslashes or newlines", cfg_opt_name(opt));
		return -1;
	}
	return 0;
}

static int conf_v_dns_name_or_empty(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	return s && *s == '\0' ? 0 : conffile_v_dns_name(cfg, opt);
}

static bool conf_parse_role(const char *s, enum conf_role *role)
{
	if (s && strcmp(s, "aaa") == 0)
		*role = CONF_ROLE_AAA;
	else if (s && strcmp(s, "bsf") == 0)
		*role = CONF_ROLE_BSF;
	else
		return false;
	return true;
}

static int conf_v_role(cfg_t *cfg, cfg_opt_t *opt)
{
	enum conf_role r;
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!conf_parse_role(s, &r)) {
		cfg_error(cfg, "option '%s': '%s' is not aaa or bsf", cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

static int conf_v_cache(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 1L << 22); }
static int conf_v_negttl(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 0, 3600); }

static int conf_v_connect(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *p = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	if (!conf_quotable(cfg_title(p))) {
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
static bool conf_peer_tls(cfg_t *d, cfg_t *p)
{
	return cfg_size(p, "tls") ? cfg_getbool(p, "tls") : cfg_getbool(d, "tls");
}

static int conf_v_diameter(cfg_t *cfg, cfg_opt_t *opt)
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
		tls |= conf_peer_tls(d, p);
	}
	if (tls) {
		static const char *const files[] = { "tls_cert", "tls_key", "tls_ca" };
		for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
			if (!conf_quotable(cfg_getstr(d, files[i]))) {
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

/* Where the zn section ends, for the checks that need the whole file. */
static int conf_zn_line;

static int conf_v_zn(cfg_t *cfg, cfg_opt_t *opt)
{
	if (!cfg_getstr(cfg_opt_getnsec(opt, 0), "naf_fqdn")) {
		cfg_error(cfg, "section 'zn': option 'naf_fqdn' is required");
		return -1;
	}
	conf_zn_line = cfg->line;
	return 0;
}

static char *conf_dup(cfg_t *c, const char *name)
{
	const char *s = cfg_getstr(c, name);
	return s ? strdup(s) : NULL;
}

static void conf_add_peer(struct conf_diameter *dia, const char *id, enum conf_role role, const char *addr,
                          long port, bool tls)
{
	struct conf_peer *p = &dia->peers[dia->n_peers++];
	p->identity = strdup(id);
	p->role = role;
	p->address = strdup(addr);
	p->tls = tls;
	p->port = port ? (uint16_t)port : tls ? 5658 : 3868;
}

static void conf_fill_diameter(struct conf *c, cfg_t *d)
{
	struct conf_diameter *dia = &c->dia;
	dia->enabled = true;
	dia->identity = conf_dup(d, "identity");
	dia->realm = conf_dup(d, "realm");
	dia->destination_realm = cfg_getstr(d, "destination_realm") ? conf_dup(d, "destination_realm")
	                                                             : conf_dup(d, "realm");
	unsigned n = cfg_size(d, "connect");
	const char *peer = cfg_getstr(d, "peer");
	dia->peers = calloc(n + 1, sizeof *dia->peers);
	bool tls = false;
	if (peer) {
		tls = cfg_getbool(d, "tls");
		conf_add_peer(dia, peer, CONF_ROLE_AAA, cfg_getstr(d, "peer_address"), cfg_getint(d, "peer_port"), tls);
	}
	for (unsigned i = 0; i < n; i++) {
		cfg_t *p = cfg_getnsec(d, "connect", i);
		enum conf_role role = CONF_ROLE_AAA;
		conf_parse_role(cfg_getstr(p, "role"), &role);
		bool ptls = conf_peer_tls(d, p);
		tls |= ptls;
		conf_add_peer(dia, cfg_title(p), role, cfg_getstr(p, "address"), cfg_getint(p, "port"), ptls);
	}
	if (tls) {
		dia->tls_cert = conf_dup(d, "tls_cert");
		dia->tls_key = conf_dup(d, "tls_key");
		dia->tls_ca = conf_dup(d, "tls_ca");
	}
	dia->timeout_ms = (uint32_t)cfg_getint(d, "timeout_ms");
	dia->reconnect_s = (uint32_t)cfg_getint(d, "reconnect_interval");
	/* Unset: the AAA peer when there is exactly one, else routed by realm. */
	const char *dh = cfg_getstr(d, "destination_host");
	if (!dh && conf_peers_with_role(dia, CONF_ROLE_AAA) == 1)
		for (size_t i = 0; i < dia->n_peers; i++)
			if (dia->peers[i].role == CONF_ROLE_AAA)
				dh = dia->peers[i].identity;
	dia->destination_host = strdup(dh ? dh : "");
	if (cfg_getstr(d, "host_ip_address"))
		inet_pton(AF_INET, cfg_getstr(d, "host_ip_address"), &dia->host_ip_address);
}

/* The zn section, once the whole file is read: it needs a BSF peer, and its
 * SPI must not be a static association's. */
static bool conf_fill_zn(struct conf *c, cfg_t *z)
{
	struct conf_zn *zn = &c->zn;
	zn->spi = (uint32_t)cfg_getint(z, "spi");
	if (conf_peers_with_role(&c->dia, CONF_ROLE_BSF) == 0) {
		fprintf(stderr, "%s:%d: section 'zn': needs a peer with role = \"bsf\" in section 'diameter'\n", c->path,
		        conf_zn_line);
		return false;
	}
	for (size_t i = 0; i < c->n_sas; i++) {
		if (c->sas[i].spi == zn->spi) {
			char a[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &c->sas[i].addr, a, sizeof a);
			fprintf(stderr, "%s:%d: section 'zn': option 'spi': %u is also the SPI of the static association of %s\n",
			        c->path, conf_zn_line, zn->spi, a);
			return false;
		}
	}
	uint8_t ua[GBA_UA_ID_LEN];
	gba_ua_id_parse(cfg_getstr(z, "ua_id"), ua);
	zn->enabled = true;
	zn->naf_fqdn = conf_dup(z, "naf_fqdn");
	zn->naf_id_len = gba_naf_id(zn->naf_fqdn, ua, zn->naf_id, sizeof zn->naf_id);
	zn->realm = conf_dup(z, "realm");
	zn->host = conf_dup(z, "host");
	zn->timeout_ms = (uint32_t)cfg_getint(z, "timeout_ms");
	zn->cache_size = (uint32_t)cfg_getint(z, "cache_size");
	zn->negative_ttl = (uint32_t)cfg_getint(z, "negative_ttl");
	return true;
}

struct conf *conf_load(const char *path)
{
	static cfg_opt_t connect_opts[] = {
		CFG_STR("role", NULL, CFGF_NODEFAULT),
		CFG_STR("address", NULL, CFGF_NODEFAULT),
		CFG_INT("port", 0, CFGF_NONE),
		CFG_BOOL("tls", cfg_true, CFGF_NODEFAULT),
		CFG_END()
	};
	static cfg_opt_t dia_opts[] = {
		CFG_STR("identity", NULL, CFGF_NODEFAULT),
		CFG_STR("realm", NULL, CFGF_NODEFAULT),
		CFG_SEC("connect", connect_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
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
	static cfg_opt_t journal_opts[] = {
		CFG_STR("directory", NULL, CFGF_NODEFAULT),
		CFG_INT("sync_interval_ms", 200, CFGF_NONE),
		CFG_INT("compact_bytes", 64L << 20, CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t zn_opts[] = {
		CFG_STR("naf_fqdn", NULL, CFGF_NODEFAULT),
		CFG_STR("ua_id", "ff00000002", CFGF_NONE),
		CFG_INT("spi", 33822, CFGF_NONE),
		CFG_STR("realm", "", CFGF_NONE),
		CFG_STR("host", "", CFGF_NONE),
		CFG_INT("timeout_ms", 2000, CFGF_NONE),
		CFG_INT("cache_size", 10000, CFGF_NONE),
		CFG_INT("negative_ttl", 5, CFGF_NONE),
		CFG_END()
	};
	cfg_opt_t opts[] = {
		CFG_STR("address", NULL, CFGF_NODEFAULT),
		CFG_INT("port", REG_PORT, CFGF_NONE),
		CFG_STR_LIST("home_networks", NULL, CFGF_NODEFAULT),
		CFG_INT("max_lifetime", 1800, CFGF_NONE),
		CFG_INT("replay_window", 7, CFGF_NONE),
		CFG_INT("max_bindings", 100000, CFGF_NONE),
		CFG_INT("max_pending", 1024, CFGF_NONE),
		CFG_BOOL("reverse_tunnel", cfg_false, CFGF_NONE),
		CFG_INT("drain_timeout_ms", 2000, CFGF_NONE),
		CFG_STR("log_level", "info", CFGF_NONE),
		CFG_STR("control_socket", "/run/mip4-ha/control.sock", CFGF_NONE),
		CFG_STR("data_plane", NULL, CFGF_NODEFAULT),
		CFG_STR("home_interface", "", CFGF_NONE),
		CFG_STR("tunnel_device", "mip4ha0", CFGF_NONE),
		CFG_INT("route_protocol", CONF_ROUTE_PROTOCOL, CFGF_NONE),
		CFG_SEC("diameter", dia_opts, CFGF_NODEFAULT),
		CFG_SEC("journal", journal_opts, CFGF_NODEFAULT),
		CFG_SEC("zn", zn_opts, CFGF_NODEFAULT),
		CFG_SEC("sa", conffile_sa_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_SEC("fa", conffile_sa_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_END()
	};

	cfg_t *cfg = conffile_init(opts, path);
	if (!cfg)
		return NULL;
	cfg_set_validate_func(cfg, "address", conf_v_address);
	cfg_set_validate_func(cfg, "port", conf_v_port);
	cfg_set_validate_func(cfg, "home_networks", conf_v_nets);
	cfg_set_validate_func(cfg, "max_lifetime", conf_v_lifetime);
	cfg_set_validate_func(cfg, "replay_window", conf_v_window);
	cfg_set_validate_func(cfg, "max_bindings", conf_v_bindings);
	cfg_set_validate_func(cfg, "max_pending", conf_v_pending);
	cfg_set_validate_func(cfg, "drain_timeout_ms", conf_v_ms);
	cfg_set_validate_func(cfg, "log_level", conffile_v_level);
	cfg_set_validate_func(cfg, "diameter|peer_address", conffile_v_ipv4);
	cfg_set_validate_func(cfg, "data_plane", conf_v_data_plane);
	cfg_set_validate_func(cfg, "home_interface", conf_v_home_if);
	cfg_set_validate_func(cfg, "tunnel_device", conffile_v_ifname);
	cfg_set_validate_func(cfg, "route_protocol", conf_v_route_protocol);
	cfg_set_validate_func(cfg, "diameter|peer_port", conf_v_peer_port);
	cfg_set_validate_func(cfg, "diameter|host_ip_address", conf_v_address);
	cfg_set_validate_func(cfg, "diameter|timeout_ms", conf_v_ms);
	cfg_set_validate_func(cfg, "diameter|reconnect_interval", conf_v_reconnect);
	cfg_set_validate_func(cfg, "diameter|identity", conf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|realm", conf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|peer", conf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|destination_realm", conf_v_quotable);
	cfg_set_validate_func(cfg, "diameter|connect|role", conf_v_role);
	cfg_set_validate_func(cfg, "diameter|connect|address", conffile_v_ipv4);
	cfg_set_validate_func(cfg, "diameter|connect|port", conf_v_peer_port);
	cfg_set_validate_func(cfg, "diameter|connect", conf_v_connect);
	cfg_set_validate_func(cfg, "diameter", conf_v_diameter);
	conffile_sa_validate(cfg, "sa");
	conffile_sa_validate(cfg, "fa");
	cfg_set_validate_func(cfg, "journal", conf_v_journal);
	cfg_set_validate_func(cfg, "journal|directory", conf_v_abs_path);
	cfg_set_validate_func(cfg, "journal|sync_interval_ms", conf_v_sync_ms);
	cfg_set_validate_func(cfg, "journal|compact_bytes", conf_v_compact);
	cfg_set_validate_func(cfg, "zn|naf_fqdn", conffile_v_dns_name);
	cfg_set_validate_func(cfg, "zn|ua_id", conffile_v_ua_id);
	cfg_set_validate_func(cfg, "zn|spi", conffile_v_spi);
	cfg_set_validate_func(cfg, "zn|realm", conf_v_dns_name_or_empty);
	cfg_set_validate_func(cfg, "zn|host", conf_v_dns_name_or_empty);
	cfg_set_validate_func(cfg, "zn|timeout_ms", conf_v_ms);
	cfg_set_validate_func(cfg, "zn|cache_size", conf_v_cache);
	cfg_set_validate_func(cfg, "zn|negative_ttl", conf_v_negttl);
	cfg_set_validate_func(cfg, "zn", conf_v_zn);

	if (conffile_load(cfg, path) != 0)
		return NULL;
	const char *missing = !cfg_getstr(cfg, "address") ? "address"
	                      : cfg_size(cfg, "home_networks") == 0 ? "home_networks" : NULL;
	if (missing) {
		fprintf(stderr, "%s: option '%s' is required\n", path, missing);
		cfg_free(cfg);
		return NULL;
	}

	struct conf *c = calloc(1, sizeof *c);
	if (!c) {
		cfg_free(cfg);
		return NULL;
	}
	c->path = strdup(path);
	struct in_addr a;
	inet_pton(AF_INET, cfg_getstr(cfg, "address"), &a);
	c->address = a.s_addr;
	c->port = (uint16_t)cfg_getint(cfg, "port");
	c->n_nets = cfg_size(cfg, "home_networks");
	for (size_t i = 0; i < c->n_nets; i++)
		conf_parse_net(cfg_getnstr(cfg, "home_networks", (unsigned)i), &c->nets[i]);
	c->max_lifetime = (uint16_t)cfg_getint(cfg, "max_lifetime");
	c->replay_window = (uint32_t)cfg_getint(cfg, "replay_window");
	c->max_bindings = (uint32_t)cfg_getint(cfg, "max_bindings");
	c->max_pending = (uint32_t)cfg_getint(cfg, "max_pending");
	c->reverse_tunnel = cfg_getbool(cfg, "reverse_tunnel");
	c->drain_timeout_ms = (uint32_t)cfg_getint(cfg, "drain_timeout_ms");
	log_level_parse(cfg_getstr(cfg, "log_level"), &c->log_level);
	c->control_socket = conf_dup(cfg, "control_socket");
	const char *dplane = cfg_getstr(cfg, "data_plane");
	c->data_plane = !dplane ? CONF_DATA_PLANE_AUTO
	                : strcmp(dplane, "tun") == 0 ? CONF_DATA_PLANE_TUN : CONF_DATA_PLANE_NONE;
	c->home_interface = conf_dup(cfg, "home_interface");
	c->tunnel_device = conf_dup(cfg, "tunnel_device");
	c->route_protocol = (uint8_t)cfg_getint(cfg, "route_protocol");

	cfg_t *d = cfg_size(cfg, "diameter") ? cfg_getsec(cfg, "diameter") : NULL;
	if (d)
		conf_fill_diameter(c, d);
	cfg_t *jr = cfg_size(cfg, "journal") ? cfg_getsec(cfg, "journal") : NULL;
	if (jr) {
		c->journal.enabled = true;
		c->journal.directory = conf_dup(jr, "directory");
		c->journal.sync_interval_ms = (uint32_t)cfg_getint(jr, "sync_interval_ms");
		c->journal.compact_bytes = (uint64_t)cfg_getint(jr, "compact_bytes");
	}
	c->sas = conffile_sa_fill(cfg, "sa", &c->n_sas);
	c->fa_sas = conffile_sa_fill(cfg, "fa", &c->n_fa_sas);
	cfg_t *zn = cfg_size(cfg, "zn") ? cfg_getsec(cfg, "zn") : NULL;
	if (zn && !conf_fill_zn(c, zn)) {
		cfg_free(cfg);
		conf_free(c);
		return NULL;
	}
	cfg_free(cfg);
	return c;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	conffile_sa_free(c->sas, c->n_sas);
	conffile_sa_free(c->fa_sas, c->n_fa_sas);
	free(c->path);
	free(c->control_socket);
	free(c->home_interface);
	free(c->tunnel_device);
	free(c->journal.directory);
	free(c->dia.identity);
	free(c->dia.realm);
	for (size_t i = 0; i < c->dia.n_peers; i++) {
		free(c->dia.peers[i].identity);
		free(c->dia.peers[i].address);
	}
	free(c->dia.peers);
	free(c->dia.destination_realm);
	free(c->dia.destination_host);
	free(c->dia.tls_cert);
	free(c->dia.tls_key);
	free(c->dia.tls_ca);
	free(c->zn.naf_fqdn);
	free(c->zn.realm);
	free(c->zn.host);
	free(c);
}

bool conf_in_home_net(const struct conf *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n_nets; i++)
		if ((addr & c->nets[i].mask) == c->nets[i].addr)
			return true;
	return false;
}
