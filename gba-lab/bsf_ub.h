/*
 * bsf_ub: the lab BSF's Ub server (TS 33.220 §4.5.2, TS 24.109 §4 and annex A,
 * RFC 3310 HTTP Digest AKAv1-MD5 with qop auth-int): an HTTP server (libevent
 * evhttp; HTTPS with bufferevent_openssl when a certificate is configured) in a
 * thread of the BSF's freeDiameterd, so that the sessions it makes are what
 * the Zn server answers from.
 *
 *   GET PATH, Authorization: Digest username="IMPI", realm, nonce="", uri, response=""
 *     -> Zh MAR -> 401, WWW-Authenticate: Digest realm, nonce = base64(RAND ||
 *        AUTN || 16 random octets), algorithm=AKAv1-MD5, qop="auth-int", opaque
 *   GET PATH, Authorization: Digest ... response = KD(H(IMPI:realm:RES), ...)
 *     -> 200, BootstrappingInfo (B-TID = base64(RAND)@bsf-domain, lifetime),
 *        Authentication-Info: qop=auth-int, rspauth, cnonce, nc
 *   ... auts="base64(AUTS)" (response with the empty password, RFC 3310 §3.4)
 *     -> Zh MAR with RAND || AUTS -> 401 with the new vector's challenge
 *
 * Every other request gets a status and nothing is kept (the README has the
 * table).  A challenge is used once; one answered after nonce-timeout with the
 * right response gets a fresh challenge with stale=TRUE.
 */
#ifndef MIP4_BSF_UB_H
#define MIP4_BSF_UB_H

#include <limits.h>
#include <stddef.h>

#include "gba-lab/bsf_btable.h"
#include "gba-lab/bsf_zh.h"
#include "lib/gba.h"

struct bsf_ub_conf {
	char address[64];             /* listening address (IPv4 or IPv6 literal) */
	unsigned port;
	char path[256];               /* the resource served, "/" by default */
	char bsf_domain[GBA_FQDN_MAX + 1];
	char realm[256];              /* Digest realm */
	char tls_cert[PATH_MAX];      /* both set: HTTPS */
	char tls_key[PATH_MAX];
	unsigned key_lifetime;        /* s, of a bootstrap (the B-TID's expiry) */
	unsigned nonce_timeout;       /* s, for the answer to a challenge */
	size_t max_challenges;
	size_t max_pending;           /* MARs outstanding at once */
	struct bsf_zh_conf zh;
};

/* Bind, set up TLS, start the thread.  0, or -1 with a one-line reason in err. */
int bsf_ub_start(const struct bsf_ub_conf *c, struct bsf_btable *sessions, char *err, size_t errlen);
void bsf_ub_stop(void);

#endif
