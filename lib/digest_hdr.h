/*
 * digest_hdr: the HTTP Digest header fields of Ub, parsed and written
 * strictly (RFC 7235 §2.1 auth-param syntax, RFC 2617 §3.2 / RFC 3310 §3
 * directives):
 *
 *   WWW-Authenticate:    Digest realm="..", nonce="..", algorithm=AKAv1-MD5, qop="auth-int", ..
 *   Authorization:       Digest username="..", realm="..", nonce="..", uri="..", response="..",
 *                        algorithm=AKAv1-MD5, qop=auth-int, nc=00000001, cnonce="..", [auts=".."]
 *   Authentication-Info: qop=auth-int, rspauth="..", cnonce="..", nc=00000001
 *
 * Parsing: the whole value at most DIGEST_HDR_MAX octets; the scheme "Digest"
 * (any case) where one is expected; auth-params "name=token" or
 * "name=quoted-string" separated by commas with optional blanks; empty list
 * elements are skipped (RFC 7230 §7); printable ASCII only; each known
 * directive at most once and at most DIGEST_VALUE_MAX octets after unquoting;
 * unknown directives are checked for syntax and ignored (RFC 2617 §3.2.1); at
 * most DIGEST_MAX_PARAMS elements.  Values are copied out unquoted, so the
 * result owns no pointer into the input.
 *
 * Writing: the directives present, in a fixed order, quoted or as tokens the
 * way RFC 2617 spells them for that header field.
 */
#ifndef MIP4_DIGEST_HDR_H
#define MIP4_DIGEST_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_HDR_MAX 4096
#define DIGEST_VALUE_MAX 255
#define DIGEST_MAX_PARAMS 32

enum digest_field {
	DIGEST_USERNAME,
	DIGEST_REALM,
	DIGEST_NONCE,
	DIGEST_URI,
	DIGEST_RESPONSE,
	DIGEST_ALGORITHM,
	DIGEST_CNONCE,
	DIGEST_OPAQUE,
	DIGEST_QOP,
	DIGEST_NC,
	DIGEST_AUTS,
	DIGEST_STALE,
	DIGEST_RSPAUTH,
	DIGEST_NEXTNONCE,
	DIGEST_DOMAIN,
	DIGEST_F_N,
};

struct digest_params {
	uint32_t present;                              /* bit per enum digest_field */
	uint16_t len[DIGEST_F_N];
	char v[DIGEST_F_N][DIGEST_VALUE_MAX + 1];      /* NUL-terminated */
};

enum digest_hdr_kind {
	DIGEST_HDR_CHALLENGE,    /* WWW-Authenticate */
	DIGEST_HDR_CREDENTIALS,  /* Authorization */
	DIGEST_HDR_INFO,         /* Authentication-Info: no scheme */
};

enum digest_hdr_err {
	DIGEST_HDR_OK,
	DIGEST_HDR_ERR_TOO_LONG,        /* value over DIGEST_HDR_MAX */
	DIGEST_HDR_ERR_SCHEME,          /* not "Digest" */
	DIGEST_HDR_ERR_SYNTAX,
	DIGEST_HDR_ERR_CHAR,            /* control or non-ASCII octet */
	DIGEST_HDR_ERR_DUPLICATE,       /* a known directive twice */
	DIGEST_HDR_ERR_VALUE_TOO_LONG,
	DIGEST_HDR_ERR_TOO_MANY,        /* over DIGEST_MAX_PARAMS elements */
	DIGEST_HDR_ERR_EMPTY,           /* no directive at all */
};

/* Parse a header field value of kind into p (cleared first). */
enum digest_hdr_err digest_hdr_parse(const char *s, size_t len, enum digest_hdr_kind kind,
                                     struct digest_params *p);
/* Stable names of the errors ("syntax", "duplicate", ...) for logs. */
const char *digest_hdr_err_str(enum digest_hdr_err e);

/* The directive's value, or NULL when absent. */
const char *digest_get(const struct digest_params *p, enum digest_field f);
/* Set (or replace) a directive.  False when value is longer than
 * DIGEST_VALUE_MAX or holds a character no header may carry. */
bool digest_set(struct digest_params *p, enum digest_field f, const char *value);
/* Directive names as written ("username", ...). */
const char *digest_field_name(enum digest_field f);

/* Write p as a header field value of kind, NUL-terminated.  Returns its
 * length, or 0 when out is too small or a token directive (algorithm, nc,
 * stale, qop outside a challenge) holds a non-token character. */
size_t digest_hdr_format(const struct digest_params *p, enum digest_hdr_kind kind, char *out, size_t cap);

#endif
