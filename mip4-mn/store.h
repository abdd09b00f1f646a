/*
 * mip4-mn-store: lab bootstrap stores for mip4-mn: generating matching
 * mobile-node and BSF stores, and choosing an IMPI's entry.
 */
#ifndef MIP4_MN_STORE_H
#define MIP4_MN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/bootstrap.h"
#include "mip4-mn/opts.h"

/* Write o->make_store fresh bootstraps to o->out_mn and o->out_bsf (mode
 * 0600): random RAND and Ks, or with --subscriber the entries of Ub runs with
 * the BSF (o->out_bsf optional then).  0, or -1 with a one-line message in err. */
int mn_store_make(const struct mn_opts *o, char *err, size_t errlen);

/* Ks = CK || IK of MILENAGE f3/f4 for (K, OPc, RAND).  0, or -1. */
int mn_store_ks_milenage(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                         uint8_t ks[GBA_KS_LEN]);

/* The entry of impi with the latest expiry (the newest bootstrap); NULL if none. */
const struct bootstrap_entry *mn_store_newest(const struct bootstrap_store *s, const char *impi);

#endif
