/*
 * bsf_chal: the Ub challenges the BSF has sent and not yet seen answered:
 * nonce -> IMPI, the AKA vector behind it, opaque, when it was sent.  Each is
 * used once: taking it removes it, whatever the answer.  Bounded; the oldest
 * are dropped after a grace period (bsf_chal_expire).  One thread only (the
 * Ub loop).  Vectors are wiped when an entry goes.
 */
#ifndef MIP4_BSF_CHAL_H
#define MIP4_BSF_CHAL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/aka.h"
#include "lib/akadigest.h"
#include "lib/subscriber.h"

#define BSF_CHAL_OPAQUE_LEN 16   /* hex digits */

struct bsf_chal {
	char nonce[AKADIGEST_NONCE_MAX + 1];
	char opaque[BSF_CHAL_OPAQUE_LEN + 1];
	char impi[SUBSCRIBER_IMPI_MAX + 1];
	struct aka_vector v;
	double sent;    /* monotonic seconds */
};

struct bsf_chal_table;

struct bsf_chal_table *bsf_chal_new(size_t max);
void bsf_chal_free(struct bsf_chal_table *t);
/* A new challenge for (impi, v) sent at now: nonce (RAND || AUTN || 16 random
 * octets) and opaque drawn here.  Copies it to *out.  False when the table is
 * full or no random numbers. */
bool bsf_chal_add(struct bsf_chal_table *t, const char *impi, const struct aka_vector *v, double now,
                  struct bsf_chal *out);
/* Remove the challenge of nonce, copying it to *out (the caller wipes it).
 * False when there is none. */
bool bsf_chal_take(struct bsf_chal_table *t, const char *nonce, struct bsf_chal *out);
/* Drop the challenges sent before `before`; the number dropped. */
size_t bsf_chal_expire(struct bsf_chal_table *t, double before);
size_t bsf_chal_count(const struct bsf_chal_table *t);

#endif
