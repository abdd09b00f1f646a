/*
 * diameter_conf: a daemon's diameter section (its identity, its peers and
 * their roles), the same in every daemon that embeds libfdcore: its libconfuse
 * options, their checks (each error names file, line and option) and what they
 * fill, as agent/diameter uses it.
 */
#ifndef AGENT_DIAMETER_CONF_H
#define AGENT_DIAMETER_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <confuse.h>

enum conf_role { CONF_ROLE_AAA, CONF_ROLE_BSF };

/* One Diameter peer the daemon connects to. */
struct conf_peer {
	char *identity;      /* its Diameter identity (and TLS certificate name) */
	enum conf_role role; /* which requests it may receive: Mobile IPv4 (aaa) or Zn (bsf) */
	char *address;       /* IPv4 */
	uint16_t port;
	bool tls;
};

struct conf_diameter {
	bool enabled;
	char *identity, *realm;
	char *destination_realm;  /* Destination-Realm of the AMR: the AAA realm */
	/* Destination-Host of the AMR; "" = none, routed by realm (a relay, or
	 * several AAA peers ranked by libfdcore). */
	char *destination_host;
	struct conf_peer *peers;  /* the shorthand's AAA peer first, then the connect sections in file order */
	size_t n_peers;
	char *tls_cert, *tls_key, *tls_ca; /* set when a peer uses TLS */
	uint32_t timeout_ms;      /* AMR answer deadline */
	uint32_t reconnect_s;     /* seconds between connection attempts (freeDiameter TcTimer) */
	uint32_t host_ip_address; /* CER Host-IP-Address, network order; 0: the source address towards the first peer */
};

/* The number of peers with this role. */
static inline size_t conf_peers_with_role(const struct conf_diameter *d, enum conf_role role)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_peers; i++)
		n += d->peers[i].role == role;
	return n;
}

/* The section's options, for CFG_SEC("diameter", diameter_conf_opts, CFGF_NODEFAULT). */
extern cfg_opt_t diameter_conf_opts[];
/* Install the section's checks on cfg (before it is parsed). */
void diameter_conf_validate(cfg_t *cfg);
/* Fill d from the parsed section sec.  0, or -1 (no memory; d is then freed). */
int diameter_conf_fill(struct conf_diameter *d, cfg_t *sec);
void diameter_conf_free(struct conf_diameter *d);

#endif
