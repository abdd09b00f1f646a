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

static int conf_v_diameter(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *d = cfg_opt_getnsec(opt, 0);
	static const char *const required[] = { "identity", "realm", "peer", "peer_address" };
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (!cfg_getstr(d, required[i])) {
			cfg_error(cfg, "section 'diameter': option '%s' is required", required[i]);
			return -1;
		}
	}
	if (cfg_getbool(d, "tls")) {
		static const char *const tls[] = { "tls_cert", "tls_key", "tls_ca" };
		for (size_t i = 0; i < sizeof tls / sizeof *tls; i++) {
			if (!cfg_getstr(d, tls[i])) {
				cfg_error(cfg, "section 'diameter': option '%s' is required with tls = true "
				               "(or set tls = false for plain TCP)", tls[i]);
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

static char *conf_dup(cfg_t *c, const char *name)
{
	const char *s = cfg_getstr(c, name);
	return s ? strdup(s) : NULL;
}

struct conf *conf_load(const char *path)
{
	static cfg_opt_t dia_opts[] = {
		CFG_STR("identity", NULL, CFGF_NODEFAULT),
		CFG_STR("realm", NULL, CFGF_NODEFAULT),
		CFG_STR("peer", NULL, CFGF_NODEFAULT),
		CFG_STR("peer_address", NULL, CFGF_NODEFAULT),
		CFG_INT("peer_port", 0, CFGF_NONE),
		CFG_STR("destination_realm", NULL, CFGF_NODEFAULT),
		CFG_BOOL("tls", cfg_true, CFGF_NONE),
		CFG_STR("tls_cert", NULL, CFGF_NODEFAULT),
		CFG_STR("tls_key", NULL, CFGF_NODEFAULT),
		CFG_STR("tls_ca", NULL, CFGF_NODEFAULT),
		CFG_INT("timeout_ms", 3000, CFGF_NONE),
		CFG_INT("reconnect_interval", 30, CFGF_NONE),
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
	cfg_set_validate_func(cfg, "diameter|timeout_ms", conf_v_ms);
	cfg_set_validate_func(cfg, "diameter|reconnect_interval", conf_v_reconnect);
	cfg_set_validate_func(cfg, "diameter", conf_v_diameter);
	conffile_sa_validate(cfg, "sa");
	conffile_sa_validate(cfg, "fa");

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
	if (d) {
		c->dia.enabled = true;
		c->dia.identity = conf_dup(d, "identity");
		c->dia.realm = conf_dup(d, "realm");
		c->dia.peer = conf_dup(d, "peer");
		c->dia.peer_address = conf_dup(d, "peer_address");
		c->dia.destination_realm = cfg_getstr(d, "destination_realm") ? conf_dup(d, "destination_realm")
		                                                               : conf_dup(d, "realm");
		c->dia.tls = cfg_getbool(d, "tls");
		c->dia.peer_port = (uint16_t)cfg_getint(d, "peer_port");
		if (c->dia.peer_port == 0)
			c->dia.peer_port = c->dia.tls ? 5658 : 3868;
		c->dia.tls_cert = conf_dup(d, "tls_cert");
		c->dia.tls_key = conf_dup(d, "tls_key");
		c->dia.tls_ca = conf_dup(d, "tls_ca");
		c->dia.timeout_ms = (uint32_t)cfg_getint(d, "timeout_ms");
		c->dia.reconnect_s = (uint32_t)cfg_getint(d, "reconnect_interval");
	}
	c->sas = conffile_sa_fill(cfg, "sa", &c->n_sas);
	c->fa_sas = conffile_sa_fill(cfg, "fa", &c->n_fa_sas);
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
	free(c->dia.identity);
	free(c->dia.realm);
	free(c->dia.peer);
	free(c->dia.peer_address);
	free(c->dia.destination_realm);
	free(c->dia.tls_cert);
	free(c->dia.tls_key);
	free(c->dia.tls_ca);
	free(c);
}

bool conf_in_home_net(const struct conf *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n_nets; i++)
		if ((addr & c->nets[i].mask) == c->nets[i].addr)
			return true;
	return false;
}
