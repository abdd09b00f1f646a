#include "mip4-fa/conf.h"

#include <arpa/inet.h>
#include <confuse.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/reg.h"

static int fa_v_port(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65535); }
static int fa_v_lifetime(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 65535); }
/* RFC 5944 §2.3: advertisements at most once a second (the floor too). */
static int fa_v_interval(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 1800); }
static int fa_v_adv_lifetime(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 0, 65535); }
/* RFC 4721 §2: the challenge SHOULD be at least 32 bits. */
static int fa_v_chal_len(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 4, FA_CHALLENGE_MAX); }
static int fa_v_chal_window(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 64); }
static int fa_v_timeout(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 600); }
static int fa_v_visitors(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 4000000); }
static int fa_v_pending(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 1000000); }
/* 0-4 are the kernel's own (unspec, redirect, kernel, boot, static). */
static int fa_v_rule_protocol(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 5, 255); }
/* Between the local table's rule (0) and the main table's (32766). */
static int fa_v_rule_priority(cfg_t *cfg, cfg_opt_t *opt) { return conffile_check_range(cfg, opt, 1, 32765); }

static int fa_v_interface(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!s || !*s || strlen(s) >= IF_NAMESIZE || strchr(s, '/') || strchr(s, ' ')) {
		cfg_error(cfg, "option '%s': '%s' is not an interface name", cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

static int fa_v_coa(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!s || !*s)
		return 0;
	if (conffile_v_ipv4(cfg, opt) != 0)
		return -1;
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	if (a.s_addr == INADDR_ANY || a.s_addr == INADDR_BROADCAST || (ntohl(a.s_addr) >> 28) == 0xe) {
		cfg_error(cfg, "option '%s': must be a unicast address, not %s", cfg_opt_name(opt), s);
		return -1;
	}
	return 0;
}

static char *fa_dup(cfg_t *c, const char *name)
{
	const char *s = cfg_getstr(c, name);
	return s ? strdup(s) : NULL;
}

struct fa_conf *fa_conf_load(const char *path)
{
	cfg_opt_t opts[] = {
		CFG_STR("interface", NULL, CFGF_NODEFAULT),
		CFG_STR("care-of-address", "", CFGF_NONE),
		CFG_INT("port", REG_PORT, CFGF_NONE),
		CFG_INT("max-lifetime", 1800, CFGF_NONE),
		CFG_BOOL("advertisements", cfg_true, CFGF_NONE),
		CFG_INT("advertisement-interval", 5, CFGF_NONE),
		CFG_INT("advertisement-lifetime", 0, CFGF_NONE),
		CFG_BOOL("registration-required", cfg_false, CFGF_NONE),
		CFG_BOOL("reverse-tunnel", cfg_false, CFGF_NONE),
		CFG_BOOL("prefix-lengths", cfg_false, CFGF_NONE),
		CFG_BOOL("challenges", cfg_false, CFGF_NONE),
		CFG_INT("challenge-length", 16, CFGF_NONE),
		CFG_INT("challenge-window", 2, CFGF_NONE),
		CFG_INT("registration-timeout", 7, CFGF_NONE),
		CFG_INT("max-visitors", 10000, CFGF_NONE),
		CFG_INT("max-pending", 1024, CFGF_NONE),
		CFG_STR("log-level", "info", CFGF_NONE),
		CFG_STR("control-socket", "/run/mip4-fa/control.sock", CFGF_NONE),
		CFG_BOOL("data-plane", cfg_true, CFGF_NONE),
		CFG_INT("rule-protocol", FA_RULE_PROTOCOL, CFGF_NONE),
		CFG_INT("rule-priority", FA_RULE_PRIORITY, CFGF_NONE),
		CFG_SEC("mn", conffile_sa_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_SEC("ha", conffile_sa_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_SEC("diameter", diameter_conf_opts, CFGF_NODEFAULT),
		CFG_END()
	};
	cfg_t *cfg = conffile_init(opts, path);
	if (!cfg)
		return NULL;
	cfg_set_validate_func(cfg, "interface", fa_v_interface);
	cfg_set_validate_func(cfg, "care-of-address", fa_v_coa);
	cfg_set_validate_func(cfg, "port", fa_v_port);
	cfg_set_validate_func(cfg, "max-lifetime", fa_v_lifetime);
	cfg_set_validate_func(cfg, "advertisement-interval", fa_v_interval);
	cfg_set_validate_func(cfg, "advertisement-lifetime", fa_v_adv_lifetime);
	cfg_set_validate_func(cfg, "challenge-length", fa_v_chal_len);
	cfg_set_validate_func(cfg, "challenge-window", fa_v_chal_window);
	cfg_set_validate_func(cfg, "registration-timeout", fa_v_timeout);
	cfg_set_validate_func(cfg, "max-visitors", fa_v_visitors);
	cfg_set_validate_func(cfg, "max-pending", fa_v_pending);
	cfg_set_validate_func(cfg, "log-level", conffile_v_level);
	cfg_set_validate_func(cfg, "rule-protocol", fa_v_rule_protocol);
	cfg_set_validate_func(cfg, "rule-priority", fa_v_rule_priority);
	conffile_sa_validate(cfg, "mn");
	conffile_sa_validate(cfg, "ha");
	diameter_conf_validate(cfg);

	if (conffile_load(cfg, path) != 0)
		return NULL;
	if (!cfg_getstr(cfg, "interface")) {
		fprintf(stderr, "%s: option 'interface' is required\n", path);
		cfg_free(cfg);
		return NULL;
	}
	if (cfg_getbool(cfg, "reverse-tunnel") && !cfg_getbool(cfg, "data-plane")) {
		/* RFC 3024: the T bit offers a service only the data plane gives. */
		fprintf(stderr, "%s: option 'reverse-tunnel': needs data-plane = true\n", path);
		cfg_free(cfg);
		return NULL;
	}
	long interval = cfg_getint(cfg, "advertisement-interval");
	long adv_life = cfg_getint(cfg, "advertisement-lifetime");
	if (adv_life && adv_life < interval) {
		/* RFC 5944 §2.1: the interval SHOULD be at most a third of the lifetime;
		 * one below the interval would lapse between two advertisements. */
		fprintf(stderr, "%s: option 'advertisement-lifetime': %ld is below advertisement-interval %ld\n", path,
		        adv_life, interval);
		cfg_free(cfg);
		return NULL;
	}
	cfg_t *d = cfg_size(cfg, "diameter") ? cfg_getsec(cfg, "diameter") : NULL;
	if (d) {
		for (unsigned i = 0; i < cfg_size(d, "connect"); i++) {
			cfg_t *p = cfg_getnsec(d, "connect", i);
			if (strcmp(cfg_getstr(p, "role"), "aaa") != 0) {
				/* The agent sends AMRs only; Zn is the home agent's (method 2). */
				fprintf(stderr, "%s: section 'connect \"%s\"': role must be \"aaa\" in a foreign agent\n", path,
				        cfg_title(p));
				cfg_free(cfg);
				return NULL;
			}
		}
		long timeout_ms = cfg_getint(d, "timeout_ms");
		if (timeout_ms >= 1000L * cfg_getint(cfg, "registration-timeout")) {
			/* The AAA's answer (or its absence, 78) must come before the
			 * pending request times out on its own. */
			fprintf(stderr, "%s: section 'diameter': timeout_ms %ld is not below registration-timeout (%ld s)\n",
			        path, timeout_ms, cfg_getint(cfg, "registration-timeout"));
			cfg_free(cfg);
			return NULL;
		}
	}

	struct fa_conf *c = calloc(1, sizeof *c);
	if (!c) {
		cfg_free(cfg);
		return NULL;
	}
	c->path = strdup(path);
	c->interface = fa_dup(cfg, "interface");
	const char *coa = cfg_getstr(cfg, "care-of-address");
	struct in_addr a = { 0 };
	if (coa && *coa)
		inet_pton(AF_INET, coa, &a);
	c->coa = a.s_addr;
	c->port = (uint16_t)cfg_getint(cfg, "port");
	c->max_lifetime = (uint16_t)cfg_getint(cfg, "max-lifetime");
	c->advertise = cfg_getbool(cfg, "advertisements");
	c->adv_interval = (uint32_t)interval;
	c->adv_lifetime = adv_life ? (uint32_t)adv_life : (uint32_t)(3 * interval > 65535 ? 65535 : 3 * interval);
	c->reg_required = cfg_getbool(cfg, "registration-required");
	c->reverse_tunnel = cfg_getbool(cfg, "reverse-tunnel");
	c->prefix_lengths = cfg_getbool(cfg, "prefix-lengths");
	c->challenges = cfg_getbool(cfg, "challenges");
	c->challenge_len = (uint32_t)cfg_getint(cfg, "challenge-length");
	c->challenge_window = (uint32_t)cfg_getint(cfg, "challenge-window");
	c->reg_timeout = (uint32_t)cfg_getint(cfg, "registration-timeout");
	c->max_visitors = (uint32_t)cfg_getint(cfg, "max-visitors");
	c->max_pending = (uint32_t)cfg_getint(cfg, "max-pending");
	log_level_parse(cfg_getstr(cfg, "log-level"), &c->log_level);
	c->control_socket = fa_dup(cfg, "control-socket");
	c->data_plane = cfg_getbool(cfg, "data-plane");
	c->rule_protocol = (uint8_t)cfg_getint(cfg, "rule-protocol");
	c->rule_priority = (uint32_t)cfg_getint(cfg, "rule-priority");
	c->mn_sas = conffile_sa_fill(cfg, "mn", &c->n_mn_sas);
	c->ha_sas = conffile_sa_fill(cfg, "ha", &c->n_ha_sas);
	bool dia_ok = !d || diameter_conf_fill(&c->dia, d) == 0;
	cfg_free(cfg);
	if (!c->path || !c->interface || !c->control_socket || !c->mn_sas || !c->ha_sas || !dia_ok) {
		fprintf(stderr, "%s: out of memory\n", path);
		fa_conf_free(c);
		return NULL;
	}
	return c;
}

void fa_conf_free(struct fa_conf *c)
{
	if (!c)
		return;
	conffile_sa_free(c->mn_sas, c->n_mn_sas);
	conffile_sa_free(c->ha_sas, c->n_ha_sas);
	free(c->path);
	free(c->interface);
	free(c->control_socket);
	diameter_conf_free(&c->dia);
	free(c);
}
