/*
 * reg: Mobile IPv4 Registration Request / Reply codec (RFC 5944, 2794, 4721, 3957).
 *
 * Parsing never copies: struct reg_msg holds views (pointer + length) into the
 * caller's datagram, which must outlive it.  Every length is checked against what
 * is left before it is read.  Building appends to a caller-owned buffer.
 * Multi-byte fields in the structs are host byte order except IPv4 addresses,
 * which stay in network byte order (as struct in_addr.s_addr) so they can be
 * compared and printed without conversion.
 */
#ifndef MIP4_REG_H
#define MIP4_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REG_PORT 434
#define REG_MOBILE_AGENTS_GROUP 0xe000000bu /* 224.0.0.11, host byte order (RFC 5944 §2.3) */
#define REG_RRQ_FIXED_LEN 24
#define REG_RRP_FIXED_LEN 20
#define REG_MAX_DATAGRAM 65507 /* largest UDP/IPv4 payload */
#define REG_MAX_EXTENSIONS 32  /* more than this in one message is treated as malformed */

enum reg_type { REG_TYPE_RRQ = 1, REG_TYPE_RRP = 3 };

/* RRQ flag bits (octet 1). */
enum reg_flag {
	REG_FLAG_S = 0x80, /* simultaneous bindings */
	REG_FLAG_B = 0x40, /* broadcast datagrams */
	REG_FLAG_D = 0x20, /* decapsulation by MN: co-located care-of address */
	REG_FLAG_M = 0x10, /* minimal encapsulation */
	REG_FLAG_G = 0x08, /* GRE encapsulation */
	REG_FLAG_R = 0x04, /* reserved, ignored on receipt */
	REG_FLAG_T = 0x02, /* reverse tunnelling (RFC 3024) */
	REG_FLAG_X = 0x01, /* reserved, ignored on receipt */
};

enum reg_ext_type {
	REG_EXT_MN_HA_AUTH = 32,
	REG_EXT_MN_FA_AUTH = 33,
	REG_EXT_FA_HA_AUTH = 34,
	REG_EXT_GEN_AUTH = 36, /* subtype 1 = MN-AAA */
	REG_EXT_MN_FA_KEYREQ = 40,
	REG_EXT_MN_FA_KEYREP = 41,
	REG_EXT_MN_HA_KEYREQ = 42,
	REG_EXT_MN_HA_KEYREP = 43,
	REG_EXT_NAI = 131,
	REG_EXT_CHALLENGE = 132,
};

#define REG_GEN_AUTH_MN_AAA 1  /* subtype of type 36 */
#define REG_KEYGEN_FROM_AAA 1  /* subtype of types 40-43 */
#define REG_SPI_CHAP 2         /* RFC 4721 CHAP_SPI */
#define REG_SPI_MIN 256        /* SPIs 0-255 are reserved */
#define REG_NAI_MAX 255
#define REG_NONCE_MIN 16       /* RFC 3957: at least 128 bits */
#define REG_NONCE_MAX 64

/* Reply codes (RFC 5944 §3.4, RFC 2794, RFC 3024, RFC 4721). */
enum reg_code {
	REG_CODE_ACCEPTED = 0,
	REG_CODE_ACCEPTED_NO_SIMUL = 1,
	/* Denied by the foreign agent. */
	REG_CODE_FA_UNSPECIFIED = 64,
	REG_CODE_FA_PROHIBITED = 65,
	REG_CODE_FA_NO_RESOURCES = 66,
	REG_CODE_FA_MN_AUTH_FAILED = 67,
	REG_CODE_FA_HA_AUTH_FAILED = 68,
	REG_CODE_FA_LIFETIME_TOO_LONG = 69,
	REG_CODE_FA_POORLY_FORMED_REQUEST = 70,
	REG_CODE_FA_POORLY_FORMED_REPLY = 71,
	REG_CODE_FA_ENCAP_UNAVAILABLE = 72,
	REG_CODE_FA_REVTUN_UNAVAILABLE = 74,
	REG_CODE_FA_INVALID_COA = 77,
	REG_CODE_FA_TIMEOUT = 78,
	REG_CODE_FA_HOME_NET_UNREACHABLE = 80,
	REG_CODE_FA_HA_HOST_UNREACHABLE = 81,
	REG_CODE_FA_HA_PORT_UNREACHABLE = 82,
	REG_CODE_FA_HA_UNREACHABLE = 88,
	REG_CODE_FA_NONZERO_HOMEADDR_REQD = 96,
	REG_CODE_FA_UNKNOWN_CHALLENGE = 104,
	REG_CODE_FA_MISSING_CHALLENGE = 105,
	REG_CODE_FA_STALE_CHALLENGE = 106,
	REG_CODE_FA_INVALID_HA = 116,  /* IANA; RFC 5944 §3.7.2's text says 194 */
	/* Denied by the home agent. */
	REG_CODE_UNSPECIFIED = 128,
	REG_CODE_PROHIBITED = 129,
	REG_CODE_NO_RESOURCES = 130,
	REG_CODE_MN_AUTH_FAILED = 131,
	REG_CODE_FA_AUTH_FAILED = 132,
	REG_CODE_ID_MISMATCH = 133,
	REG_CODE_POORLY_FORMED = 134,
	REG_CODE_TOO_MANY_BINDINGS = 135,
	REG_CODE_UNKNOWN_HA = 136,
	REG_CODE_REVTUN_UNAVAILABLE = 137,
	REG_CODE_REVTUN_MANDATORY = 138,
	REG_CODE_ENCAP_UNAVAILABLE = 139,
	REG_CODE_BAD_AAA_AUTH = 144,
};

/* Parse outcome.  Each malformation has its own value so tests and counters can
 * tell them apart; reg_err_action() says what a receiver does about it. */
enum reg_err {
	REG_OK = 0,
	REG_ERR_TRUNCATED_FIXED,   /* shorter than the fixed part: drop */
	REG_ERR_BAD_TYPE,          /* first octet is not the expected message type: drop */
	REG_ERR_TOO_LONG,          /* longer than REG_MAX_DATAGRAM */
	REG_ERR_EXT_TRUNCATED,     /* extension header or body runs past the datagram */
	REG_ERR_EXT_ZERO_LENGTH,   /* zero-length extension where data is required */
	REG_ERR_EXT_UNKNOWN,       /* unknown non-skippable type (0-127): silently discard */
	REG_ERR_EXT_TOO_MANY,      /* more than REG_MAX_EXTENSIONS extensions */
	REG_ERR_EXT_DUPLICATE,     /* a second instance of an extension allowed once */
	REG_ERR_EXT_BAD_SUBTYPE,   /* unknown subtype of 36 or 40-43 */
	REG_ERR_EXT_BAD_LENGTH,    /* length impossible for the type (too short / not the fixed size) */
	REG_ERR_NAI_LENGTH,        /* NAI of length 0 (or > 255, impossible in 1 octet but checked on build) */
	REG_ERR_AUTH_SHORT,        /* authentication extension shorter than its minimum */
	REG_ERR_ORDER,             /* order rule broken: NAI after auth, KeyGen Request after MN-AAA,
	                              MN-HA auth after MN-AAA, challenge after MN-AAA, reply 43 after 32 */
	REG_ERR_AFTER_AUTH,        /* non-authentication extension after the last authentication
	                              extension that the receiver relies on (MN-HA auth in an RRQ
	                              without MN-AAA, MN-AAA in an RRQ, MN-HA auth in an RRP) */
	REG_ERR_NONCE_LENGTH,      /* KeyGen Reply nonce shorter than 16 or longer than 64 octets */
	REG_ERR__COUNT
};

enum reg_err_action { REG_ACT_OK, REG_ACT_DROP, REG_ACT_REPLY };

/* A view into the datagram. */
struct reg_bytes {
	const uint8_t *p;
	size_t len;
};

/* One extension as found on the wire. */
struct reg_ext {
	uint8_t type;
	size_t off;  /* offset of the extension's first octet in the datagram */
	size_t len;  /* total octets on the wire, headers included */
};

/* Authentication extension: 32/33/34 (short form) or 36/1 (long form). */
struct reg_auth {
	bool present;
	size_t off;          /* offset of the extension's type octet */
	uint32_t spi;
	struct reg_bytes authenticator;
	size_t covered_len;  /* octets [0, covered_len) are covered: through the SPI */
};

/* MN-HA / MN-FA KeyGen Request (42/40). */
struct reg_keyreq {
	bool present;
	size_t off;
	uint8_t subtype;
	uint32_t mn_spi;
	struct reg_bytes data;  /* subtype data (empty for subtype 1) */
};

/* MN-HA KeyGen Reply (43) or MN-FA KeyGen Reply (41). For 41, replay is 0 and
 * peer_spi is the FA SPI; for 43 it is the HA SPI. */
struct reg_keyrep {
	bool present;
	size_t off;
	uint8_t subtype;
	uint32_t lifetime;
	uint32_t aaa_spi;
	uint32_t peer_spi;
	uint16_t alg;
	uint16_t replay;
	struct reg_bytes nonce;
};

struct reg_msg {
	const uint8_t *buf;
	size_t len;
	uint8_t type;       /* REG_TYPE_RRQ or REG_TYPE_RRP */
	uint8_t flags;      /* RRQ only */
	uint8_t code;       /* RRP only */
	uint16_t lifetime;
	uint32_t home_addr; /* network byte order */
	uint32_t ha_addr;   /* network byte order */
	uint32_t coa;       /* network byte order; RRQ only */
	uint64_t ident;

	struct reg_bytes nai;       /* 131; p == NULL when absent */
	struct reg_bytes challenge; /* 132; p == NULL when absent */
	struct reg_auth mn_ha;      /* 32 */
	struct reg_auth mn_fa;      /* 33 */
	struct reg_auth fa_ha;      /* 34 */
	struct reg_auth mn_aaa;     /* 36/1 */
	struct reg_keyreq mn_ha_keyreq; /* 42 */
	struct reg_keyreq mn_fa_keyreq; /* 40 */
	struct reg_keyrep mn_ha_keyrep; /* 43 */
	struct reg_keyrep mn_fa_keyrep; /* 41 */

	size_t n_ext;                            /* every extension, in wire order, */
	struct reg_ext ext[REG_MAX_EXTENSIONS];  /* unknown skippable ones included */
	size_t err_off;                          /* on error: offset of the offending octet */
};

/*
 * Parse a Registration Request / Reply.  On any error *m is partially filled and
 * m->err_off tells where parsing stopped: the length for a truncated fixed part,
 * otherwise the offset of the type octet of the extension at fault.
 *
 * Wire encodings: type 0 is the one-octet Pad (no length; IANA lists it among
 * registration extensions, RFC 5944 §2.1.3 defines it) and is stepped over and
 * recorded in ext[]; 32, 33, 34, 131, 132 and 128-255 have a 1-octet length;
 * 36 and 40-43 have a subtype and a 16-bit length; any other 1-127 type is
 * REG_ERR_EXT_UNKNOWN (drop: RFC 5944 §1.8).  Each extension is checked in this
 * order, and the first failure is returned:
 *   1. header and body fit in what is left (REG_ERR_EXT_TRUNCATED), at most
 *      REG_MAX_EXTENSIONS extensions (pads included; REG_ERR_EXT_TOO_MANY);
 *   2. every known type at most once (REG_ERR_EXT_DUPLICATE);
 *   3. order (REG_ERR_ORDER): X must not follow any of the listed ones.
 *      Request: 131, 40, 42 after 32/33/34/36 (RFC 2794 §2, RFC 3957 §6,
 *      RFC 5944 §3.6.1.3: what the HA uses precedes the MN-HA auth);
 *      32 and 132 after 36/33/34 (RFC 4721 §6, §3.1); 36 after 33/34 (RFC 4721:
 *      MN-AAA precedes MN-FA auth); 33 after 34 (the FA appends FA-HA last).
 *      Reply: 131 and 43 after 32/33/34 (RFC 3957 §3, RFC 5944 §3.8.3.3); 41 and
 *      32 after 33/34; 33 and 132 after 34;
 *   4. after the authentication extension the receiver relies on (request: 36
 *      or 32, whichever came first; reply: 32) only 32, 33, 34, 36, 132 (the
 *      challenge echo), pads and unknown skippable extensions may follow, and
 *      in a reply 41 (the foreign agent appends its MN-FA KeyGen Reply after
 *      the home agent's MN-HA authenticator, RFC 3957 §3, §8); any other
 *      known type is REG_ERR_AFTER_AUTH (in practice 41/43 in a request, 40/42
 *      in a reply, since the rest is already caught by 3);
 *   5. the type's own format: 131 length 0 → REG_ERR_NAI_LENGTH; 132 length 0
 *      → REG_ERR_EXT_ZERO_LENGTH; 36 and 40-43 subtype other than 1 →
 *      REG_ERR_EXT_BAD_SUBTYPE; authentication extensions: length 0 →
 *      REG_ERR_EXT_ZERO_LENGTH, less than 4 + 16 (SPI + the shortest MAC we
 *      know, HMAC-MD5; RFC 4721 §5 says the same for 36) → REG_ERR_AUTH_SHORT;
 *      40/42 length 0 → ZERO_LENGTH, not 4 → REG_ERR_EXT_BAD_LENGTH; 43 (41)
 *      length 0 → ZERO_LENGTH, under 16 (14) → BAD_LENGTH, nonce outside
 *      16..64 → REG_ERR_NONCE_LENGTH.  Unknown skippable ones may be empty.
 * Reserved flag bits r and x are ignored (kept in m->flags).  Nothing here
 * checks that an authentication extension is present at all: that is the
 * receiver's decision (silent discard, RFC 5944 §3.8.2.1).
 */
enum reg_err reg_parse_request(const uint8_t *buf, size_t len, struct reg_msg *m);
enum reg_err reg_parse_reply(const uint8_t *buf, size_t len, struct reg_msg *m);

/* What a receiver does with this error: drop silently (truncated fixed part,
 * wrong type, unknown non-skippable extension), or reply (with reg_err_code). */
enum reg_err_action reg_err_action(enum reg_err e);
/* The reply code for an error whose action is REG_ACT_REPLY (134 for all of
 * them; also 134 for the drop errors, 0 for REG_OK). */
uint8_t reg_err_code(enum reg_err e);
/* Short stable name, e.g. "ext-truncated", for logs and counters. */
const char *reg_err_str(enum reg_err e);

/* The mobile node of a message, for logs: its NAI with anything but printable
 * ASCII (and quotes, backslashes) replaced by '?', or without an NAI (or
 * without m) the home address.  out has cap >= 16 octets. */
void reg_describe_mn(const struct reg_msg *m, uint32_t home_addr, char *out, size_t cap);

/*
 * Building.  A builder appends to buf[0..cap).  Any overflow or invalid argument
 * sets b->err (sticky) and later calls do nothing; check it once at the end.
 * Authentication extensions are appended with their authenticator zeroed;
 * auth.h fills it in from the returned offset.
 */
struct reg_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	enum reg_err err;  /* REG_OK, REG_ERR_TOO_LONG (no room, or past REG_MAX_DATAGRAM) or,
	                      for an invalid argument, REG_ERR_EXT_BAD_LENGTH / _NAI_LENGTH /
	                      _AUTH_SHORT (authenticator < 16) / _NONCE_LENGTH / _EXT_UNKNOWN
	                      (a type the function does not build) */
};

struct reg_request_fixed {
	uint8_t flags;
	uint16_t lifetime;
	uint32_t home_addr, ha_addr, coa; /* network byte order */
	uint64_t ident;
};

struct reg_reply_fixed {
	uint8_t code;
	uint16_t lifetime;
	uint32_t home_addr, ha_addr; /* network byte order */
	uint64_t ident;
};

void reg_build_init(struct reg_builder *b, uint8_t *buf, size_t cap);
void reg_build_request(struct reg_builder *b, const struct reg_request_fixed *f);
void reg_build_reply(struct reg_builder *b, const struct reg_reply_fixed *f);
void reg_build_nai(struct reg_builder *b, const uint8_t *nai, size_t len);
void reg_build_challenge(struct reg_builder *b, const uint8_t *c, size_t len);
/* 42 (or 40 with type = REG_EXT_MN_FA_KEYREQ), subtype 1, no subtype data. */
void reg_build_keyreq(struct reg_builder *b, uint8_t type, uint32_t mn_spi);
/* 43 (or 41 with type = REG_EXT_MN_FA_KEYREP: replay is then not encoded).
 * Always subtype 1 (r->subtype is not read); nonce of 16..64 octets. */
void reg_build_keyrep(struct reg_builder *b, uint8_t type, const struct reg_keyrep *r);
/* 32/33/34 (short form) or REG_EXT_GEN_AUTH (36/1, long form) with auth_len zero
 * octets of authenticator.  Returns the offset of the authenticator, or 0 on error. */
size_t reg_build_auth(struct reg_builder *b, uint8_t type, uint32_t spi, size_t auth_len);
/* Any extension copied verbatim (used to carry unknown skippable ones through). */
void reg_build_raw(struct reg_builder *b, const uint8_t *ext, size_t len);

/* Re-emit a parsed message: fixed part and every extension in wire order, the
 * known ones re-encoded from the parsed fields, pads and unknown skippable ones
 * copied.  out must not overlap m->buf.  Returns the length written, or 0 if
 * cap is too small. */
size_t reg_build_copy(const struct reg_msg *m, uint8_t *out, size_t cap);

#endif
