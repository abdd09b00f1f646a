/*
 * mip4-mn-opts: command line of mip4-mn.
 */
#ifndef MIP4_MN_OPTS_H
#define MIP4_MN_OPTS_H

#include <netinet/in.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "lib/gba.h"
#include "mip4-mn/httpc.h"

#define MN_MAX_NODES_OPT (1u << 20)
/* The HA's default zn spi (mip4-ha.conf). */
#define MN_METHOD2_SPI 33822

struct mn_opts {
	/* network */
	struct sockaddr_in ha;    /* where requests go; its address is also the RRQ's HA field */
	struct sockaddr_in bind;  /* local socket; its address is the co-located care-of address */
	uint32_t coa;             /* network order; 0: the bind address */
	uint32_t home_addr;       /* network order; node i uses home_addr + i; 0: ask */
	unsigned lifetime;
	unsigned timeout_ms, timeout_max_ms, retries;
	long clock_offset;        /* seconds added to our clock: a skewed MN for tests */
	bool json, verbose;

	/* GBA */
	unsigned method;          /* 1: Ks_NAF keys MN-AAA at the AAA/NAF; 2: Ks_NAF is the MN-HA key (HA = NAF) */
	const char *store;
	const char *btid;
	const char *impi;
	const char *naf_fqdn;     /* NULL: the method's default */
	uint8_t ua_id[GBA_UA_ID_LEN];
	bool ua_id_set;
	uint32_t aaa_spi, mn_spi; /* 0: the method's default */

	/* GBA bootstraps run on Ub with the BSF (instead of --store) */
	const char *subscriber;   /* the USIM: K, OP/OPc, IMPI, SQN state */
	const char *bsf;          /* Ub URL */
	struct httpc_url bsf_url;
	const char *bsf_realm;    /* NULL: the URL's host */
	const char *bsf_ca;
	const char *bsf_address;  /* connect here; the URL's host names the server */
	unsigned bsf_timeout_ms;
	unsigned ub_answer_delay_ms;
	bool ub_only;             /* bootstrap, report, no registration */

	/* static association */
	bool static_mode;
	uint32_t static_spi;
	enum auth_alg static_alg;
	uint8_t static_key[AUTH_MAX_LEN];
	size_t static_key_len;
	const char *nai;

	/* through a foreign agent */
	const char *fa_iface;     /* the link to find agents on; NULL: co-located care-of address */
	uint32_t fa_spi;          /* MN-FA association (0: none) */
	enum auth_alg fa_alg;
	uint8_t fa_key[AUTH_MAX_LEN];
	size_t fa_key_len;
	double stay;              /* one node: seconds to keep following agents before deregistering */

	/* single node scenario */
	unsigned reregs, interval_ms;
	bool no_dereg;
	const char *step_cmd;     /* run after each step: a hook for demos and tests */
	bool reverse_tunnel;      /* ask for the T bit (RFC 3024): --tun or through the foreign agent */

	/* co-located data path (one node): stays registered until SIGINT/SIGTERM */
	bool tun;
	const char *tun_device;
	const char *handover;     /* IFACE or ADDR that SIGUSR1 moves the node to (and back) */

	/* load */
	bool load;
	unsigned mns;             /* 0: every store entry (GBA) / 1 (static) */
	double rate;              /* operations/s; 0 = as fast as the window allows */
	unsigned window;
	unsigned rereg_pct;
	uint64_t count;
	double duration;
	bool prime, dereg_at_end;

	/* store generator */
	unsigned make_store;
	const char *bsf_domain, *out_mn, *out_bsf, *impi_prefix, *impi_realm;
	unsigned first;
	long expiry;
	bool append;
	bool milenage;            /* Ks = CK || IK from MILENAGE with this K and OP */
	uint8_t k[16], op[16];
};

enum mn_opts_result { MN_OPTS_RUN, MN_OPTS_EXIT_OK, MN_OPTS_ERROR };

/* Parse argv.  On MN_OPTS_ERROR err holds a one-line message (no newline). */
enum mn_opts_result mn_opts_parse(int argc, char **argv, struct mn_opts *o, char *err, size_t errlen);
void mn_opts_usage(FILE *out);
/* Wipe the static and MN-FA keys. */
void mn_opts_clear(struct mn_opts *o);

#endif
