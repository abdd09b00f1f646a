/*
 * conf: the mip4-ha configuration file (libconfuse), checked completely while it
 * is parsed so that every error names file, line and option.
 */
#ifndef MIP4_HA_CONF_H
#define MIP4_HA_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "lib/conffile.h"
#include "lib/log.h"

#define CONF_MAX_HOME_NETS 32

struct conf_net {
	uint32_t addr; /* network byte order, host bits cleared */
	uint32_t mask; /* network byte order */
};

struct conf_diameter {
	bool enabled;
	char *identity, *realm;
	char *peer, *peer_address, *destination_realm;
	uint16_t peer_port;
	bool tls;
	char *tls_cert, *tls_key, *tls_ca;
	uint32_t timeout_ms;  /* AMR answer deadline */
	uint32_t reconnect_s;    /* seconds between connection attempts (freeDiameter TcTimer) */
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
