/*
 * keysrc: where the MN-AAA key for an NAI comes from.  The configured sources
 * are tried in order; the first that recognises the NAI decides:
 *   static     per-NAI RFC 3957 secrets from the configuration;
 *   gba-local  a lab bootstrap store: Ks_NAF derived here with our NAF_Id;
 *   zn         Ks_NAF from the BSF (zn.h), asynchronously.
 * A source that does not know the NAI passes it on; when none knows it the
 * answer is a rejection naming the last reason.
 */
#ifndef AAA_KEYSRC_H
#define AAA_KEYSRC_H

#include <stddef.h>
#include <stdint.h>

#include "aaa-naf/conf.h"
#include "aaa-naf/verifier.h"
#include "agent/zn.h"
#include "lib/auth.h"

enum keysrc_status { KEYSRC_FOUND, KEYSRC_REJECT, KEYSRC_UNAVAILABLE };

struct keysrc_key {
	uint8_t key[VERIFIER_KEY_MAX];
	size_t len;
	enum verifier_alg alg;
	int64_t expiry;   /* Unix seconds; 0 = no expiry (static secrets) */
	char owner[256];  /* IMPI for GBA keys, the NAI for static ones: owns the home address */
	enum conf_keysrc source;
};

/* Called exactly once per lookup, maybe before keysrc_lookup returns, maybe
 * from a freeDiameter thread.  k is non-NULL only for KEYSRC_FOUND and is wiped
 * when the call returns. */
typedef void (*keysrc_done_fn)(void *arg, enum keysrc_status st, const struct keysrc_key *k,
                               const char *reason);

struct keysrc;

/* Loads the bootstrap store when gba-local is enabled (refusing a store that
 * "other" may access).  zn may be NULL when zn is not a configured source.
 * Returns NULL with a one-line message in err. */
struct keysrc *keysrc_new(const struct aaa_conf *c, struct zn *zn, char *err, size_t errlen);
void keysrc_free(struct keysrc *ks);

void keysrc_lookup(struct keysrc *ks, struct auth_ctx *ctx, const char *nai, size_t nai_len,
                   uint32_t spi, int64_t now, keysrc_done_fn done, void *arg);

/* Entries of the gba-local store (0 when not enabled). */
size_t keysrc_local_entries(const struct keysrc *ks);

#endif
