/*
 * advert: the foreign agent's Agent Advertisement (RFC 5944 §2.1), from its
 * configuration and state: code 0 with the care-of address as its one router
 * address (preference 0), the Mobility Agent Advertisement Extension (the
 * sequence number, max-lifetime, F and the R, B, T bits as configured and as
 * the visitor list stands, the care-of address), Prefix-Lengths when asked for,
 * and the latest challenge (RFC 4721 §2).  Pure.
 */
#ifndef MIP4_FA_ADVERT_H
#define MIP4_FA_ADVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mip4-fa/conf.h"

struct advert_state {
	uint32_t coa;              /* network byte order */
	uint8_t prefix_len;        /* of the care-of address on the visited link */
	uint16_t seq;
	bool busy;                 /* the visitor list is full: B */
	const uint8_t *challenge;  /* NULL: none */
	size_t challenge_len;
};

/* Returns the length, 0 when out is too small. */
size_t advert_build(const struct fa_conf *c, const struct advert_state *a, uint8_t *out, size_t cap);

#endif
