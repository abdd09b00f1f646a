/*
 * keygen: RFC 3957 §5 MN-HA (and MN-FA) key derivation.
 *   key = HMAC-SHA1(AAA-key, nonce || identifier)
 * identifier = the MN-NAI extension's octets when the request has one, otherwise
 * the 4-octet Home Address field as it is on the wire.
 */
#ifndef MIP4_KEYGEN_H
#define MIP4_KEYGEN_H

#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"
#include "lib/reg.h"

#define KEYGEN_KEY_LEN 20

/* The identifier RFC 3957 §5 names, as a view into the request. */
struct reg_bytes keygen_identifier(const struct reg_msg *rrq);

/* Derive into key[KEYGEN_KEY_LEN].  nonce_len must be REG_NONCE_MIN..REG_NONCE_MAX.
 * Returns 0, or -1 (bad argument or crypto failure; key is then zeroed). */
int keygen_derive(struct auth_ctx *ctx, const uint8_t *aaa_key, size_t aaa_key_len,
                  const uint8_t *nonce, size_t nonce_len, const uint8_t *id, size_t id_len,
                  uint8_t key[KEYGEN_KEY_LEN]);

#endif
