/*
 * bsf_zn: the lab BSF's Zn server (TS 29.109 §5): Bootstrapping-Info-Requests
 * answered from the sessions Ub made (bsf_btable) and from a bootstrap store
 * (lib/bootstrap.h), in that order.  Ks_NAF is derived for the NAF-Id the NAF
 * sends, so a NAF-Id that differs from the one the MN uses shows up as an
 * authentication failure, as with a real BSF.  Unknown or expired B-TIDs get
 * Experimental-Result 5403, NAFs outside the allow-list 5402.  delay-ms and
 * drop-percent make it slow or lossy for tests; every BIR is logged with a
 * running count so tests can count them.
 */
#ifndef MIP4_BSF_ZN_H
#define MIP4_BSF_ZN_H

#include <stddef.h>
#include <stdint.h>

#include "gba-lab/bsf_btable.h"
#include "lib/bootstrap.h"
#include "lib/gba.h"

#define BSF_MAX_NAFS 32

struct bsf_zn_conf {
	struct bootstrap_store store;      /* may be empty */
	struct bsf_btable *sessions;       /* NULL without Ub */
	uint8_t naf_ids[BSF_MAX_NAFS][GBA_NAF_ID_MAX];
	size_t naf_id_len[BSF_MAX_NAFS];
	size_t n_nafs;                     /* 0: any NAF */
	unsigned delay_ms, drop_percent;
};

/* Register the BIR handler (the Zn dictionary must be loaded).  The
 * configuration is taken over: bsf_zn_stop frees the store.  0, or an errno
 * value. */
int bsf_zn_start(struct bsf_zn_conf *c);
void bsf_zn_stop(void);

/* "fqdn:uaidhex" -> NAF_Id.  False when malformed. */
bool bsf_zn_naf_parse(const char *s, uint8_t *out, size_t *len);

#endif
