/*
 * adv: Agent Advertisement and Agent Solicitation (RFC 5944 §2), the ICMP
 * Router Discovery messages of RFC 1256 with the Mobile IP extensions.
 *
 * An Agent Advertisement is an ICMP Router Advertisement (type 9, code 0 or 16)
 * whose router address list is followed by extensions: the Mobility Agent
 * Advertisement Extension (16: sequence number, registration lifetime, flags,
 * care-of addresses), optionally Prefix-Lengths (19) and the Challenge
 * extension of RFC 4721 §2 (24), and at most one One-byte Padding (0).  An Agent
 * Solicitation is an ICMP Router Solicitation (type 10).
 *
 * The parser works on the ICMP message (the IP header already removed), never
 * copies, and checks every length before reading behind it.  Addresses stay in
 * network byte order.
 */
#ifndef MIP4_ADV_H
#define MIP4_ADV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADV_ICMP_ADVERTISEMENT 9
#define ADV_ICMP_SOLICITATION 10
#define ADV_CODE_ROUTER 0      /* the agent also routes common traffic */
#define ADV_CODE_MOBILITY_ONLY 16

#define ADV_EXT_PAD 0
#define ADV_EXT_MOBILITY 16
#define ADV_EXT_PREFIX_LENGTHS 19
#define ADV_EXT_CHALLENGE 24

#define ADV_ICMP_HDR 8
#define ADV_MAX_COAS 16        /* what adv_build writes; the parser takes any number */
#define ADV_MAX_ROUTERS 16
#define ADV_CHALLENGE_MAX 255
#define ADV_MAX_LEN 1024

/* Mobility Agent Advertisement flags, the 16 bits after the registration
 * lifetime (RFC 5944 §2.1.1; the low five are reserved). */
enum adv_flag {
	ADV_FLAG_R = 0x8000, /* registration required */
	ADV_FLAG_B = 0x4000, /* busy */
	ADV_FLAG_H = 0x2000, /* home agent */
	ADV_FLAG_F = 0x1000, /* foreign agent */
	ADV_FLAG_M = 0x0800, /* minimal encapsulation */
	ADV_FLAG_G = 0x0400, /* GRE */
	ADV_FLAG_r = 0x0200, /* reserved, sent as zero */
	ADV_FLAG_T = 0x0100, /* reverse tunnelling (RFC 3024) */
	ADV_FLAG_U = 0x0080, /* UDP tunnelling (RFC 3519) */
	ADV_FLAG_X = 0x0040, /* registration revocation (RFC 3543) */
	ADV_FLAG_I = 0x0020, /* regional registration (RFC 4857) */
};

enum adv_err {
	ADV_OK = 0,
	ADV_ERR_SHORT,          /* under the 8-octet ICMP header */
	ADV_ERR_TYPE,           /* not the ICMP type expected */
	ADV_ERR_CODE,           /* advertisement code other than 0 and 16, solicitation code not 0 */
	ADV_ERR_CHECKSUM,       /* ICMP checksum wrong */
	ADV_ERR_ENTRY_SIZE,     /* Address Entry Size below 2 */
	ADV_ERR_ROUTERS,        /* router list longer than the message */
	ADV_ERR_EXT_TRUNCATED,  /* an extension runs past the end */
	ADV_ERR_EXT_UNKNOWN,    /* unknown extension type 1-127: the message is ignored (RFC 5944 §1.8) */
	ADV_ERR_EXT_DUPLICATE,  /* a known extension twice */
	ADV_ERR_EXT_LENGTH,     /* 16 not 6 + 4N, 19 not one octet per router, 24 empty */
	ADV_ERR_ORDER,          /* Prefix-Lengths before the Mobility Agent Advertisement Extension */
	ADV_ERR_NO_MOBILITY,    /* a Router Advertisement without extension 16: not an agent's */
	ADV_ERR_FLAGS,          /* B or R without F, neither F nor H, or F without a care-of address */
	ADV_ERR__COUNT
};

/* Short stable name, e.g. "ext-length", for logs and counters. */
const char *adv_err_str(enum adv_err e);

struct adv_view {
	const uint8_t *p;
	size_t len;
};

struct adv_msg {
	uint8_t code;
	uint16_t lifetime;          /* seconds the advertisement stays valid */
	uint8_t num_addrs;
	uint8_t entry_words;        /* 32-bit words per router entry: 2 today, more allowed (RFC 1256 §6.2) */
	struct adv_view routers;    /* num_addrs entries (address, preference[, ...]) */
	uint16_t seq;
	uint16_t reg_lifetime;      /* longest registration lifetime accepted; 0xffff = infinity */
	uint16_t flags;             /* enum adv_flag bits */
	size_t n_coa;
	struct adv_view coas;       /* n_coa care-of addresses, 4 octets each */
	struct adv_view prefix_lengths; /* p NULL when absent; one octet per router */
	struct adv_view challenge;  /* p NULL when absent */
	size_t n_pads;
};

/* Parse an Agent Advertisement (ICMP message, checksum included). */
enum adv_err adv_parse(const uint8_t *buf, size_t len, struct adv_msg *m);
/* Care-of address i (network byte order), i < m->n_coa. */
uint32_t adv_coa(const struct adv_msg *m, size_t i);
/* Router address i and its preference, i < m->num_addrs. */
uint32_t adv_router(const struct adv_msg *m, size_t i, int32_t *preference);

/* Parse an Agent Solicitation: type 10, code 0, at least 8 octets, checksum. */
enum adv_err adv_parse_solicitation(const uint8_t *buf, size_t len);

struct adv_params {
	uint8_t code;
	uint16_t lifetime;
	size_t num_routers;
	uint32_t routers[ADV_MAX_ROUTERS];
	int32_t preferences[ADV_MAX_ROUTERS];
	uint16_t seq;
	uint16_t reg_lifetime;
	uint16_t flags;
	size_t n_coa;
	uint32_t coas[ADV_MAX_COAS];
	bool prefix_lengths;                 /* add extension 19 */
	uint8_t prefix_len[ADV_MAX_ROUTERS];
	const uint8_t *challenge;            /* add extension 24 when not NULL */
	size_t challenge_len;                /* 1..ADV_CHALLENGE_MAX */
	bool pad_even;                       /* one pad octet when the length is odd (RFC 5944 §2.1.3) */
};

/* Build an Agent Advertisement into out, checksum computed.  Returns its length,
 * or 0 when the parameters are invalid (the same rules the parser enforces:
 * flags, counts, challenge length) or cap is too small. */
size_t adv_build(uint8_t *out, size_t cap, const struct adv_params *p);
/* An 8-octet Agent Solicitation.  Returns 8, or 0 when cap is too small. */
size_t adv_build_solicitation(uint8_t *out, size_t cap);

/* The sequence number after seq: one more, but 0xffff is followed by 256 so a
 * restarted agent (counting again from 0) can be told apart (RFC 5944 §2.3.2). */
uint16_t adv_seq_next(uint16_t seq);
/* True when cur, following prev from the same agent, says the agent restarted:
 * a decrease to below 256 (RFC 5944 §2.4.4). */
bool adv_seq_restarted(uint16_t prev, uint16_t cur);

#endif
