#include "mip4-ha/conf.h"

#include <arpa/inet.h>
#include <confuse.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "agent/diameter_conf.h"
#include "lib/conffile.h"
#include "lib/reg.h"

static int conf_v_port(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65535); }
static int conf_v_lifetime(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65535); }
static int conf_v_window(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 3600); }
static int conf_v_bindings(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 16000000); }
static int conf_v_pending(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65536); }
static int conf_v_ms(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 600000); }

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

static int conf_v_dns_name_or_empty(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	return s && *s == '\0' ? 0 : conffile_v_dns_name(cfg, opt);
}

static int conf_v_cache(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 1L << 22); }
static int conf_v_negttl(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 0, 3600); }

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
		CFG_SEC("diameter", diameter_conf_opts, CFGF_NODEFAULT),
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
	cfg_set_validate_func(cfg, "data_plane", conf_v_data_plane);
	cfg_set_validate_func(cfg, "home_interface", conf_v_home_if);
	cfg_set_validate_func(cfg, "tunnel_device", conffile_v_ifname);
	cfg_set_validate_func(cfg, "route_protocol", conf_v_route_protocol);
	diameter_conf_validate(cfg);
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
	if (d && diameter_conf_fill(&c->dia, d) != 0) {
		fprintf(stderr, "%s: out of memory\n", path);
		cfg_free(cfg);
		conf_free(c);
		return NULL;
	}
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
	diameter_conf_free(&c->dia);
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
