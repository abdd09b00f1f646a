/*
 * conf: the aaa_naf.fdx configuration file (libconfuse), see conf/aaa-naf.conf.
 * Loading validates everything; the first problem is reported as one line
 * "FILE:LINE: option 'X': what is wrong".
 */
#ifndef AAA_CONF_H
#define AAA_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa-naf/verifier.h"
#include "lib/gba.h"

enum conf_keysrc { CONF_KS_STATIC = 1, CONF_KS_GBA_LOCAL, CONF_KS_ZN };
#define CONF_KS_MAX 3

/* One RFC 3957 MN-AAA security association for a non-GBA mobile node. */
struct conf_static {
	char nai[REG_NAI_MAX + 1];
	uint32_t spi;
	enum verifier_alg alg;
	uint8_t secret[VERIFIER_KEY_MAX];
	size_t secret_len;
};

/* An inclusive range of home addresses, host byte order. */
struct conf_pool {
	char name[64];
	uint32_t first, last;
};

/* A home agent the AAA may send HARs to (FA care-of mode): its address as
 * the registration names it, its Diameter identity and realm. */
struct conf_home_agent {
	uint32_t addr;             /* network byte order */
	char host[256];
	char realm[256];
};

struct aaa_conf {
	char naf_fqdn[GBA_FQDN_MAX + 1];
	uint8_t ua_id[GBA_UA_ID_LEN];
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len;

	enum conf_keysrc sources[CONF_KS_MAX];
	size_t n_sources;

	struct conf_static *statics;
	size_t n_statics;

	char gba_store[PATH_MAX];

	char zn_realm[256];       /* empty: the B-TID's domain */
	char zn_host[256];        /* empty: route by realm */
	unsigned zn_timeout_ms;
	unsigned zn_cache_size;
	unsigned zn_negative_ttl; /* seconds */
	unsigned zn_unavailable_rc;

	struct conf_pool *pools;
	size_t n_pools;
	char pool_state[PATH_MAX]; /* assignments file; empty: kept in memory only */

	uint32_t home_agent;      /* network byte order; 0: the request's */
	unsigned key_lifetime;    /* MIP-MSA-Lifetime ceiling, seconds */
	unsigned reg_lifetime;    /* Authorization-Lifetime ceiling, seconds */
	unsigned nonce_len;
	bool mn_ha_spi_avp;       /* MIP-MN-HA-SPI (491, RFC 5778) inside MIP-MN-to-HA-MSA */

	struct conf_home_agent *home_agents; /* FA care-of mode: where HARs go */
	size_t n_home_agents;
	unsigned har_timeout_ms;  /* HAA deadline; past it the FA gets 4006 */
	uint32_t fa_ha_spi;       /* SPI of the FA-HA associations the AAA makes */
};

/* The home agent at addr (network byte order), or NULL. */
const struct conf_home_agent *conf_home_agent_find(const struct aaa_conf *c, uint32_t addr);

/* Returns 0, or -1 with a one-line message in err. */
int conf_load(const char *path, struct aaa_conf *c, char *err, size_t errlen);
/* Wipes the static secrets and frees. */
void conf_free(struct aaa_conf *c);

const char *conf_keysrc_name(enum conf_keysrc k);

#endif
