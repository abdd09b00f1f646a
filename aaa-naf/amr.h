/*
 * amr: the AA-Mobile-Node-Request handler (RFC 4004 §5.1/§5.2).  Validates the
 * request, asks the key sources for the MN-AAA key (possibly waiting for the
 * BSF without holding a dispatch thread), has the verifier check it and derive
 * the MN-HA key, and sends the AMA.
 */
#ifndef AAA_AMR_H
#define AAA_AMR_H

#include <stdatomic.h>

#include "aaa-naf/conf.h"
#include "aaa-naf/keysrc.h"
#include "aaa-naf/pool.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"

struct amr_counters {
	atomic_ulong requests, success, rejected, invalid, unavailable, failed;
};

struct amr_server {
	const struct aaa_conf *conf;
	struct keysrc *ks;
	struct pool *pool;
	struct dict_base db;
	struct dict_mip4 dm;
	struct disp_hdl *hdl;
	struct amr_counters n;
};

/* Resolve the dictionaries (dict_mip4 must be loaded) and register the AMR
 * handler.  Returns 0 or an errno value. */
int amr_start(struct amr_server *s);
void amr_stop(struct amr_server *s);

/* A free OpenSSL context (NULL when out of memory); give it back with put. */
struct auth_ctx *amr_auth_ctx_get(void);
void amr_auth_ctx_put(struct auth_ctx *c);

#endif
