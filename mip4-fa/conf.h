/*
 * conf: the mip4-fa configuration file (libconfuse), checked completely while
 * it is parsed so that every error names file, line and option.
 */
#ifndef MIP4_FA_CONF_H
#define MIP4_FA_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/diameter_conf.h"
#include "lib/conffile.h"
#include "lib/log.h"

#define FA_CHALLENGE_MAX 32
#define FA_RULE_PROTOCOL 159  /* unassigned in rt_protos; the HA's routes use 158 */
#define FA_RULE_PRIORITY 1000

struct fa_conf {
	char *path;
	char *interface;           /* the visited link */
	uint32_t coa;              /* care-of address; 0: the interface's address */
	uint16_t port;
	uint16_t max_lifetime;     /* advertised; longer requests get 69 */
	uint32_t adv_interval;     /* seconds between advertisements */
	uint32_t adv_lifetime;     /* ICMP lifetime of an advertisement */
	bool advertise;            /* periodic advertisements (else only solicited ones) */
	bool reg_required;         /* R bit */
	bool reverse_tunnel;       /* T bit: reverse tunnelling offered (RFC 3024) */
	bool prefix_lengths;       /* Prefix-Lengths extension */
	bool challenges;           /* RFC 4721 challenges */
	uint32_t challenge_len;
	uint32_t challenge_window; /* CHALLENGE_WINDOW: advertised challenges still accepted */
	uint32_t reg_timeout;      /* seconds a relayed request waits for the HA (78) */
	uint32_t max_visitors;
	uint32_t max_pending;
	enum log_level log_level;
	char *control_socket;
	bool data_plane;           /* deliver and reverse-tunnel (mip4-fa/dataplane.h) */
	uint8_t rule_protocol;     /* FRA_PROTOCOL of the routing rules of reverse tunnelling */
	uint32_t rule_priority;
	struct conffile_sa *mn_sas; /* MN-FA associations, by home address */
	size_t n_mn_sas;
	struct conffile_sa *ha_sas; /* FA-HA associations, by home agent address */
	size_t n_ha_sas;
	/* FA care-of mode with the AAA (RFC 4004): the diameter section, as in
	 * mip4-ha (peers of role aaa only); dia.enabled false without one. */
	struct conf_diameter dia;
};

/* Parse and check path.  On error prints one line "FILE:LINE: option 'X': why"
 * (or "FILE: why") to stderr and returns NULL. */
struct fa_conf *fa_conf_load(const char *path);
/* Wipes the keys. */
void fa_conf_free(struct fa_conf *c);

#endif
