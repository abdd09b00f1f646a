/*
 * mip4-mn-ub: the mobile node's Ub client (TS 24.109 §4, TS 33.220 §4.5.2,
 * RFC 3310): the bootstrapping a UE runs with its BSF, the USIM played with a
 * subscriber file (lib/subscriber.h, K and OP/OPc, SQN state).
 *
 *   GET, Authorization: Digest username=IMPI, realm, nonce="", uri, response=""
 *   401: the USIM checks AUTN (MAC, then SQN freshness), keeps the SQN
 *        (written to the subscriber file before it answers), computes RES, CK, IK
 *   GET, Authorization: Digest ... response with password RES, qop=auth-int
 *   200: rspauth checked (the BSF knew XRES), BootstrappingInfo read, its
 *        B-TID's RAND must be the challenge's; Ks = CK || IK
 *
 * A synchronisation failure answers with auts (response with the empty
 * password, RFC 3310 §3.4) and takes the next challenge; a MAC failure (the
 * network is not authentic) answers with the empty password and no auts, and
 * the bootstrap fails.  Blocking, one TCP (or TLS) connection per bootstrap.
 */
#ifndef MIP4_MN_UB_H
#define MIP4_MN_UB_H

#include <stdbool.h>

#include "lib/bootstrap.h"
#include "lib/subscriber.h"
#include "mip4-mn/httpc.h"

struct mn_ub_conf {
	struct httpc_url url;
	const char *address;        /* connect here instead of resolving the URL's host */
	const char *ca_file;        /* https: the CA to trust (NULL: the system's) */
	const char *realm;          /* Digest realm of the first request */
	int timeout_ms;             /* per HTTP exchange */
	unsigned answer_delay_ms;   /* wait this long before answering the first challenge */
	bool verbose;               /* transcript on stderr */
};

struct mn_ub_result {
	int status;                 /* the last HTTP status (200: bootstrapped; 0: no answer) */
	unsigned challenges;        /* 401s received */
	unsigned resyncs;           /* auts sent */
	unsigned stale;             /* challenges with stale=TRUE */
	bool mac_failure;           /* the network failed authentication */
	struct bootstrap_entry boot;/* on success: B-TID, IMPI, RAND, Ks, expiry */
	double ms;                  /* the whole bootstrap */
	char detail[256];           /* why it failed, or "ok" */
};

/* Bootstrap subscriber s of file f (its USIM state is updated in f).  0 when
 * r->boot holds a fresh bootstrap, -1 otherwise (r->detail says why). */
int mn_ub_bootstrap(const struct mn_ub_conf *c, struct subscriber_file *f, struct subscriber *s,
                    struct mn_ub_result *r);

#endif
