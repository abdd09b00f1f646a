/*
 * conf: the mip4-ha configuration file (libconfuse), checked completely while it
 * is parsed so that every error names file, line and option.
 */
#ifndef MIP4_HA_CONF_H
#define MIP4_HA_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/diameter_conf.h"
#include "lib/auth.h"
#include "lib/conffile.h"
#include "lib/gba.h"
#include "lib/log.h"

#define CONF_MAX_HOME_NETS 32

struct conf_net {
	uint32_t addr; /* network byte order, host bits cleared */
	uint32_t mask; /* network byte order */
};

struct conf_journal {
	bool enabled;
	char *directory;
	uint32_t sync_interval_ms; /* 0: fdatasync before the replies of every batch */
	uint64_t compact_bytes;    /* log size past which a snapshot is taken */
};

/* Method 2 (TR 33.822 §7.3.3): the HA is the NAF and fetches Ks_NAF over Zn. */
struct conf_zn {
	bool enabled;
	char *naf_fqdn;
	uint8_t naf_id[GBA_NAF_ID_MAX]; /* naf_fqdn || Ua security protocol id */
	size_t naf_id_len;
	uint32_t spi;             /* MN-HA SPI that means "keyed with Ks_NAF of the NAI's B-TID" */
	char *realm;              /* BIR Destination-Realm; "" = the B-TID's domain */
	char *host;               /* BIR Destination-Host; "" = routed by realm */
	uint32_t timeout_ms;      /* BIA deadline */
	uint32_t cache_size;      /* Ks_NAF cache entries */
	uint32_t negative_ttl;    /* seconds a BSF refusal is remembered */
};

/* data_plane: unset means tun where /dev/net/tun opens, none elsewhere. */
enum conf_data_plane { CONF_DATA_PLANE_AUTO, CONF_DATA_PLANE_TUN, CONF_DATA_PLANE_NONE };

#define CONF_ROUTE_PROTOCOL 158 /* unassigned in rt_protos: ours */

struct conf {
	char *path;
	uint32_t address;  /* the HA address: bound, and the only one RRQs may name; network order */
	uint16_t port;
	struct conf_net nets[CONF_MAX_HOME_NETS];
	size_t n_nets;
	uint16_t max_lifetime;
	uint32_t replay_window;
	uint32_t max_bindings;
	uint32_t max_pending;
	bool reverse_tunnel;
	uint32_t drain_timeout_ms;
	enum log_level log_level;
	char *control_socket;
	enum conf_data_plane data_plane;
	char *home_interface;  /* "" when none */
	char *tunnel_device;
	uint8_t route_protocol;
	struct conf_diameter dia;
	struct conf_journal journal;
	struct conf_zn zn;
	struct conffile_sa *sas;     /* static MN-HA associations, by home address */
	size_t n_sas;
	struct conffile_sa *fa_sas;  /* FA-HA associations, by foreign agent address */
	size_t n_fa_sas;
};

/* Parse and check path.  On error prints one line "FILE:LINE: option 'X': why"
 * (or "FILE: why") to stderr and returns NULL. */
struct conf *conf_load(const char *path);
/* Wipes the static keys. */
void conf_free(struct conf *c);
/* True when addr (network order) lies in one of the home networks. */
bool conf_in_home_net(const struct conf *c, uint32_t addr);

#endif
