/*
 * bsf_btable: the BSF's bootstrapping sessions made on Ub (TS 33.220 §4.5.2):
 * B-TID -> IMPI, RAND, Ks = CK || IK, expiry.  One session per IMPI: a new
 * bootstrap of an IMPI replaces its previous one (its old B-TID is gone).
 * Bounded (max sessions), safe from any thread (the Ub loop adds, the Zn
 * dispatch threads read); keys wiped when a session is replaced, expires or
 * the table is freed.
 */
#ifndef MIP4_BSF_BTABLE_H
#define MIP4_BSF_BTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/bootstrap.h"

struct bsf_btable;

/* NULL on allocation failure. */
struct bsf_btable *bsf_btable_new(size_t max);
void bsf_btable_free(struct bsf_btable *t);

enum bsf_btable_put { BSF_BTABLE_ADDED, BSF_BTABLE_REPLACED, BSF_BTABLE_FULL, BSF_BTABLE_NOMEM };
/* Add e (copied).  Replaces the IMPI's session and any session with e's B-TID;
 * expired sessions make room before FULL is answered. */
enum bsf_btable_put bsf_btable_put(struct bsf_btable *t, const struct bootstrap_entry *e, int64_t now);

enum bsf_btable_get { BSF_BTABLE_FOUND, BSF_BTABLE_EXPIRED, BSF_BTABLE_ABSENT };
/* A copy of the session of btid (the caller wipes it).  EXPIRED: the session
 * was there, but at or past its expiry: it is removed. */
enum bsf_btable_get bsf_btable_get(struct bsf_btable *t, const char *btid, size_t len, int64_t now,
                                   struct bootstrap_entry *out);
/* Remove every session expired at now; the number removed. */
size_t bsf_btable_purge(struct bsf_btable *t, int64_t now);
size_t bsf_btable_count(struct bsf_btable *t);

#endif
