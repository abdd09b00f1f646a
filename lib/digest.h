/*
 * digest: the HTTP Digest computations (RFC 2617 §3.2.2, §3.2.3) that Digest AKA
 * (RFC 3310) uses on Ub, algorithm MD5 and AKAv1-MD5 (MD5 with the password
 * RES, §3.3 of RFC 3310: the RES octets themselves, not their hex spelling).
 *
 *   H(A1)    = MD5(username ":" realm ":" password)
 *   H(A2)    = MD5(method ":" uri)                          qop=auth
 *            = MD5(method ":" uri ":" MD5hex(entity-body))  qop=auth-int
 *   response = MD5(H(A1) ":" nonce ":" nc ":" cnonce ":" qop ":" H(A2))
 *
 * every H in lowercase hex.  rspauth (Authentication-Info) is the same with an
 * empty method (A2 = ":" uri ...) and the response's own body.  Pure; the
 * password is never kept.
 */
#ifndef MIP4_DIGEST_H
#define MIP4_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_HEX_LEN 32

enum digest_qop { DIGEST_QOP_AUTH, DIGEST_QOP_AUTH_INT };

struct digest_input {
	const char *username, *realm;
	const uint8_t *password;   /* RES for AKAv1-MD5; may be empty (RFC 3310 §3.4) */
	size_t password_len;
	const char *nonce, *nc, *cnonce;
	enum digest_qop qop;
	const char *method;        /* "" for rspauth */
	const char *uri;
	const uint8_t *body;       /* the entity body (auth-int); may be NULL when empty */
	size_t body_len;
};

/* response (or rspauth) as 32 lowercase hex digits and a NUL.  0, or -1. */
int digest_response(const struct digest_input *in, char out[DIGEST_HEX_LEN + 1]);

/* Does hex (any length, as received) equal the response computed for in?
 * Compared in constant time; false on any error. */
bool digest_check(const struct digest_input *in, const char *hex, size_t hex_len);

/* "auth" / "auth-int" */
const char *digest_qop_name(enum digest_qop q);

#endif
