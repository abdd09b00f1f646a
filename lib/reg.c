/*
 * reg: Registration Request / Reply codec.  See reg.h for the rules enforced.
 *
 * The walker looks at one extension at a time: its header and body must fit in
 * what is left of the datagram before anything in them is read; then it must
 * not repeat an earlier one, must stand where the ordering rules allow, and must
 * have the format its type requires.  The first failure stops the walk.
 */
#include "lib/reg.h"

#include <arpa/inet.h>
#include <string.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* Addresses stay in network byte order: copy the four octets as they are. */
static uint32_t get_addr(const uint8_t *p)
{
	uint32_t a;
	memcpy(&a, p, sizeof a);
	return a;
}

static void put_addr(uint8_t *p, uint32_t a)
{
	memcpy(p, &a, sizeof a);
}

/* How an extension type is laid out on the wire. */
enum ext_kind {
	KIND_UNKNOWN, /* 1-127 not known here: cannot be stepped over */
	KIND_PAD,     /* 0: one octet, no length */
	KIND_SHORT,   /* type(1) length(1) data */
	KIND_LONG,    /* type(1) subtype(1) length(2) data */
};

static enum ext_kind ext_kind(uint8_t t)
{
	switch (t) {
	case 0:
		return KIND_PAD;
	case REG_EXT_MN_HA_AUTH:
	case REG_EXT_MN_FA_AUTH:
	case REG_EXT_FA_HA_AUTH:
		return KIND_SHORT;
	case REG_EXT_GEN_AUTH:
	case REG_EXT_MN_FA_KEYREQ:
	case REG_EXT_MN_FA_KEYREP:
	case REG_EXT_MN_HA_KEYREQ:
	case REG_EXT_MN_HA_KEYREP:
		return KIND_LONG;
	default:
		/* 131, 132 and every unknown skippable type use the one-octet length. */
		return t >= 128 ? KIND_SHORT : KIND_UNKNOWN;
	}
}

/* One bit per extension this codec understands, for the once-only and ordering
 * rules; 0 for the pad and unknown skippable types, which those rules ignore. */
#define B(t) (1u << ((t) - REG_EXT_MN_HA_AUTH))
#define B_NAI (1u << 12)
#define B_CHAL (1u << 13)

static uint32_t ext_bit(uint8_t t)
{
	switch (t) {
	case REG_EXT_MN_HA_AUTH:
	case REG_EXT_MN_FA_AUTH:
	case REG_EXT_FA_HA_AUTH:
	case REG_EXT_GEN_AUTH:
	case REG_EXT_MN_FA_KEYREQ:
	case REG_EXT_MN_FA_KEYREP:
	case REG_EXT_MN_HA_KEYREQ:
	case REG_EXT_MN_HA_KEYREP:
		return B(t);
	case REG_EXT_NAI:
		return B_NAI;
	case REG_EXT_CHALLENGE:
		return B_CHAL;
	default:
		return 0;
	}
}

#define B_FA (B(REG_EXT_MN_FA_AUTH) | B(REG_EXT_FA_HA_AUTH))

/* Extensions that must not have been seen before an extension of type t
 * (REG_ERR_ORDER).  The reasons are in reg.h. */
static uint32_t rrq_not_after(uint8_t t)
{
	switch (t) {
	case REG_EXT_NAI:
	case REG_EXT_MN_HA_KEYREQ:
	case REG_EXT_MN_FA_KEYREQ:
		return B(REG_EXT_MN_HA_AUTH) | B(REG_EXT_GEN_AUTH) | B_FA;
	case REG_EXT_MN_HA_AUTH:
	case REG_EXT_CHALLENGE:
		return B(REG_EXT_GEN_AUTH) | B_FA;
	case REG_EXT_GEN_AUTH:
		return B_FA;
	case REG_EXT_MN_FA_AUTH:
		return B(REG_EXT_FA_HA_AUTH);
	default:
		return 0;
	}
}

static uint32_t rrp_not_after(uint8_t t)
{
	switch (t) {
	case REG_EXT_NAI:
	case REG_EXT_MN_HA_KEYREP:
		return B(REG_EXT_MN_HA_AUTH) | B_FA;
	case REG_EXT_MN_FA_KEYREP:
	case REG_EXT_MN_HA_AUTH:
		return B_FA;
	case REG_EXT_MN_FA_AUTH:
	case REG_EXT_CHALLENGE:
		return B(REG_EXT_FA_HA_AUTH);
	default:
		return 0;
	}
}

/* What may follow the authentication extension a receiver relies on: the other
 * authentication extensions and the challenge (besides pad and unknown
 * skippable extensions, which carry nothing the receiver acts on). */
#define AFTER_AUTH_OK (B(REG_EXT_MN_HA_AUTH) | B(REG_EXT_GEN_AUTH) | B_FA | B_CHAL)
/* In a reply the foreign agent also appends the MN-FA KeyGen Reply after the
 * home agent's MN-HA authenticator, which it cannot change (RFC 3957 §3, §8). */
#define RRP_AFTER_AUTH_OK (AFTER_AUTH_OK | B(REG_EXT_MN_FA_KEYREP))

static const struct reg_auth *auth_of(const struct reg_msg *m, uint8_t t)
{
	switch (t) {
	case REG_EXT_MN_HA_AUTH:
		return &m->mn_ha;
	case REG_EXT_MN_FA_AUTH:
		return &m->mn_fa;
	case REG_EXT_FA_HA_AUTH:
		return &m->fa_ha;
	default:
		return &m->mn_aaa;
	}
}

static bool nonce_len_ok(size_t n)
{
	return n >= REG_NONCE_MIN && n <= REG_NONCE_MAX;
}

/* Check the format of one extension whose n body octets (after a header of hdr
 * octets) are known to be inside the datagram, and record what it says. */
static enum reg_err ext_decode(struct reg_msg *m, size_t off, size_t hdr, size_t n)
{
	const uint8_t *p = m->buf + off;
	const uint8_t *d = p + hdr;
	uint8_t t = p[0];

	switch (t) {
	case REG_EXT_NAI:
		if (n == 0)
			return REG_ERR_NAI_LENGTH;
		m->nai = (struct reg_bytes){ d, n };
		return REG_OK;
	case REG_EXT_CHALLENGE:
		if (n == 0)
			return REG_ERR_EXT_ZERO_LENGTH;
		m->challenge = (struct reg_bytes){ d, n };
		return REG_OK;
	case REG_EXT_MN_HA_AUTH:
	case REG_EXT_MN_FA_AUTH:
	case REG_EXT_FA_HA_AUTH:
	case REG_EXT_GEN_AUTH: {
		if (t == REG_EXT_GEN_AUTH && p[1] != REG_GEN_AUTH_MN_AAA)
			return REG_ERR_EXT_BAD_SUBTYPE;
		if (n == 0)
			return REG_ERR_EXT_ZERO_LENGTH;
		if (n < 4 + 16)
			return REG_ERR_AUTH_SHORT;
		struct reg_auth *a = t == REG_EXT_MN_HA_AUTH ? &m->mn_ha
		                   : t == REG_EXT_MN_FA_AUTH ? &m->mn_fa
		                   : t == REG_EXT_FA_HA_AUTH ? &m->fa_ha
		                                             : &m->mn_aaa;
		a->present = true;
		a->off = off;
		a->spi = get32(d);
		a->authenticator = (struct reg_bytes){ d + 4, n - 4 };
		a->covered_len = off + hdr + 4;
		return REG_OK;
	}
	case REG_EXT_MN_HA_KEYREQ:
	case REG_EXT_MN_FA_KEYREQ: {
		if (p[1] != REG_KEYGEN_FROM_AAA)
			return REG_ERR_EXT_BAD_SUBTYPE;
		if (n == 0)
			return REG_ERR_EXT_ZERO_LENGTH;
		if (n != 4) /* subtype 1 carries the MN SPI and nothing else */
			return REG_ERR_EXT_BAD_LENGTH;
		struct reg_keyreq *k = t == REG_EXT_MN_HA_KEYREQ ? &m->mn_ha_keyreq : &m->mn_fa_keyreq;
		k->present = true;
		k->off = off;
		k->subtype = p[1];
		k->mn_spi = get32(d);
		k->data = (struct reg_bytes){ d + 4, 0 };
		return REG_OK;
	}
	case REG_EXT_MN_HA_KEYREP:
	case REG_EXT_MN_FA_KEYREP: {
		/* 43: lifetime, AAA SPI, HA SPI, algorithm, replay method, nonce.
		 * 41: lifetime, AAA SPI, FA SPI, algorithm, nonce (no replay method). */
		size_t fixed = t == REG_EXT_MN_HA_KEYREP ? 16 : 14;
		if (p[1] != REG_KEYGEN_FROM_AAA)
			return REG_ERR_EXT_BAD_SUBTYPE;
		if (n == 0)
			return REG_ERR_EXT_ZERO_LENGTH;
		if (n < fixed)
			return REG_ERR_EXT_BAD_LENGTH;
		if (!nonce_len_ok(n - fixed))
			return REG_ERR_NONCE_LENGTH;
		struct reg_keyrep *k = t == REG_EXT_MN_HA_KEYREP ? &m->mn_ha_keyrep : &m->mn_fa_keyrep;
		k->present = true;
		k->off = off;
		k->subtype = p[1];
		k->lifetime = get32(d);
		k->aaa_spi = get32(d + 4);
		k->peer_spi = get32(d + 8);
		k->alg = get16(d + 12);
		k->replay = t == REG_EXT_MN_HA_KEYREP ? get16(d + 14) : 0;
		k->nonce = (struct reg_bytes){ d + fixed, n - fixed };
		return REG_OK;
	}
	default:
		return REG_OK;
	}
}

static enum reg_err walk(struct reg_msg *m, size_t off)
{
	const bool rrq = m->type == REG_TYPE_RRQ;
	/* The authentication extension the receiver relies on: in a request the
	 * MN-AAA if there is one, else the MN-HA; in a reply the MN-HA. */
	const uint32_t relied = rrq ? B(REG_EXT_MN_HA_AUTH) | B(REG_EXT_GEN_AUTH) : B(REG_EXT_MN_HA_AUTH);
	uint32_t seen = 0;

	while (off < m->len) {
		const uint8_t t = m->buf[off];
		const size_t left = m->len - off;
		size_t hdr, n;

		m->err_off = off;
		if (m->n_ext == REG_MAX_EXTENSIONS)
			return REG_ERR_EXT_TOO_MANY;
		switch (ext_kind(t)) {
		case KIND_PAD:
			hdr = 1;
			n = 0;
			break;
		case KIND_SHORT:
			if (left < 2)
				return REG_ERR_EXT_TRUNCATED;
			hdr = 2;
			n = m->buf[off + 1];
			break;
		case KIND_LONG:
			if (left < 4)
				return REG_ERR_EXT_TRUNCATED;
			hdr = 4;
			n = get16(m->buf + off + 2);
			break;
		default:
			return REG_ERR_EXT_UNKNOWN;
		}
		if (n > left - hdr)
			return REG_ERR_EXT_TRUNCATED;

		const uint32_t bit = ext_bit(t);
		if (seen & bit)
			return REG_ERR_EXT_DUPLICATE;
		if (seen & (rrq ? rrq_not_after(t) : rrp_not_after(t)))
			return REG_ERR_ORDER;
		if (bit != 0 && (seen & relied) && !(bit & (rrq ? AFTER_AUTH_OK : RRP_AFTER_AUTH_OK)))
			return REG_ERR_AFTER_AUTH;
		enum reg_err e = ext_decode(m, off, hdr, n);
		if (e != REG_OK)
			return e;

		seen |= bit;
		m->ext[m->n_ext++] = (struct reg_ext){ .type = t, .off = off, .len = hdr + n };
		off += hdr + n;
	}
	m->err_off = 0;
	return REG_OK;
}

static enum reg_err parse(const uint8_t *buf, size_t len, struct reg_msg *m, uint8_t type)
{
	const size_t fixed = type == REG_TYPE_RRQ ? REG_RRQ_FIXED_LEN : REG_RRP_FIXED_LEN;

	/* ext[] is filled as the walk goes: only the part before it needs clearing. */
	memset(m, 0, offsetof(struct reg_msg, ext));
	m->err_off = 0;
	if (buf == NULL)
		len = 0;
	m->buf = buf;
	m->len = len;
	m->type = type;
	if (len >= 1 && buf[0] != type)
		return REG_ERR_BAD_TYPE;
	if (len < fixed) {
		m->err_off = len;
		return REG_ERR_TRUNCATED_FIXED;
	}
	if (len > REG_MAX_DATAGRAM) {
		m->err_off = REG_MAX_DATAGRAM;
		return REG_ERR_TOO_LONG;
	}
	m->lifetime = get16(buf + 2);
	m->home_addr = get_addr(buf + 4);
	m->ha_addr = get_addr(buf + 8);
	if (type == REG_TYPE_RRQ) {
		/* Reserved bits r and x are kept (for reg_build_copy) and otherwise
		 * ignored, as RFC 5944 §3.3 says a receiver does. */
		m->flags = buf[1];
		m->coa = get_addr(buf + 12);
		m->ident = get64(buf + 16);
	} else {
		m->code = buf[1];
		m->ident = get64(buf + 12);
	}
	return walk(m, fixed);
}

enum reg_err reg_parse_request(const uint8_t *buf, size_t len, struct reg_msg *m)
{
	return parse(buf, len, m, REG_TYPE_RRQ);
}

enum reg_err reg_parse_reply(const uint8_t *buf, size_t len, struct reg_msg *m)
{
	return parse(buf, len, m, REG_TYPE_RRP);
}

enum reg_err_action reg_err_action(enum reg_err e)
{
	switch (e) {
	case REG_OK:
		return REG_ACT_OK;
	case REG_ERR_TRUNCATED_FIXED:
	case REG_ERR_BAD_TYPE:
	case REG_ERR_EXT_UNKNOWN:
		return REG_ACT_DROP;
	default:
		return REG_ACT_REPLY;
	}
}

uint8_t reg_err_code(enum reg_err e)
{
	return e == REG_OK ? REG_CODE_ACCEPTED : REG_CODE_POORLY_FORMED;
}

const char *reg_err_str(enum reg_err e)
{
	static const char *const names[REG_ERR__COUNT] = {
		[REG_OK] = "ok",
		[REG_ERR_TRUNCATED_FIXED] = "truncated-fixed",
		[REG_ERR_BAD_TYPE] = "bad-type",
		[REG_ERR_TOO_LONG] = "too-long",
		[REG_ERR_EXT_TRUNCATED] = "ext-truncated",
		[REG_ERR_EXT_ZERO_LENGTH] = "ext-zero-length",
		[REG_ERR_EXT_UNKNOWN] = "ext-unknown",
		[REG_ERR_EXT_TOO_MANY] = "ext-too-many",
		[REG_ERR_EXT_DUPLICATE] = "ext-duplicate",
		[REG_ERR_EXT_BAD_SUBTYPE] = "ext-bad-subtype",
		[REG_ERR_EXT_BAD_LENGTH] = "ext-bad-length",
		[REG_ERR_NAI_LENGTH] = "nai-length",
		[REG_ERR_AUTH_SHORT] = "auth-short",
		[REG_ERR_ORDER] = "order",
		[REG_ERR_AFTER_AUTH] = "after-auth",
		[REG_ERR_NONCE_LENGTH] = "nonce-length",
	};
	if ((unsigned)e >= REG_ERR__COUNT)
		return "invalid";
	return names[e];
}

void reg_describe_mn(const struct reg_msg *m, uint32_t home_addr, char *out, size_t cap)
{
	if (m && m->nai.p) {
		size_t n = m->nai.len < cap - 1 ? m->nai.len : cap - 1;
		for (size_t i = 0; i < n; i++) {
			uint8_t c = m->nai.p[i];
			out[i] = (c >= 0x21 && c < 0x7f && c != '"' && c != '\\') ? (char)c : '?';
		}
		out[n] = 0;
	} else {
		struct in_addr a = { home_addr };
		inet_ntop(AF_INET, &a, out, (socklen_t)cap);
	}
}

/* Building. */

void reg_build_init(struct reg_builder *b, uint8_t *buf, size_t cap)
{
	b->buf = buf;
	b->cap = buf == NULL ? 0 : cap;
	b->len = 0;
	b->err = REG_OK;
}

static void fail(struct reg_builder *b, enum reg_err e)
{
	if (b->err == REG_OK)
		b->err = e;
}

/* Room for n more octets, or NULL (and the sticky error) when there is none. */
static uint8_t *room(struct reg_builder *b, size_t n)
{
	if (b->err != REG_OK)
		return NULL;
	if (n > b->cap - b->len || n > REG_MAX_DATAGRAM - b->len) {
		fail(b, REG_ERR_TOO_LONG);
		return NULL;
	}
	uint8_t *p = b->buf + b->len;
	b->len += n;
	return p;
}

void reg_build_request(struct reg_builder *b, const struct reg_request_fixed *f)
{
	uint8_t *p = room(b, REG_RRQ_FIXED_LEN);
	if (p == NULL)
		return;
	p[0] = REG_TYPE_RRQ;
	p[1] = f->flags;
	put16(p + 2, f->lifetime);
	put_addr(p + 4, f->home_addr);
	put_addr(p + 8, f->ha_addr);
	put_addr(p + 12, f->coa);
	put64(p + 16, f->ident);
}

void reg_build_reply(struct reg_builder *b, const struct reg_reply_fixed *f)
{
	uint8_t *p = room(b, REG_RRP_FIXED_LEN);
	if (p == NULL)
		return;
	p[0] = REG_TYPE_RRP;
	p[1] = f->code;
	put16(p + 2, f->lifetime);
	put_addr(p + 4, f->home_addr);
	put_addr(p + 8, f->ha_addr);
	put64(p + 12, f->ident);
}

static void build_short(struct reg_builder *b, uint8_t type, const uint8_t *data, size_t len)
{
	uint8_t *p = room(b, 2 + len);
	if (p == NULL)
		return;
	p[0] = type;
	p[1] = (uint8_t)len;
	if (len > 0)
		memcpy(p + 2, data, len);
}

void reg_build_nai(struct reg_builder *b, const uint8_t *nai, size_t len)
{
	if (len == 0 || len > REG_NAI_MAX || nai == NULL) {
		fail(b, REG_ERR_NAI_LENGTH);
		return;
	}
	build_short(b, REG_EXT_NAI, nai, len);
}

void reg_build_challenge(struct reg_builder *b, const uint8_t *c, size_t len)
{
	if (len == 0 || len > 255 || c == NULL) {
		fail(b, REG_ERR_EXT_BAD_LENGTH);
		return;
	}
	build_short(b, REG_EXT_CHALLENGE, c, len);
}

void reg_build_keyreq(struct reg_builder *b, uint8_t type, uint32_t mn_spi)
{
	if (type != REG_EXT_MN_HA_KEYREQ && type != REG_EXT_MN_FA_KEYREQ) {
		fail(b, REG_ERR_EXT_UNKNOWN);
		return;
	}
	uint8_t *p = room(b, 8);
	if (p == NULL)
		return;
	p[0] = type;
	p[1] = REG_KEYGEN_FROM_AAA;
	put16(p + 2, 4);
	put32(p + 4, mn_spi);
}

void reg_build_keyrep(struct reg_builder *b, uint8_t type, const struct reg_keyrep *r)
{
	if (type != REG_EXT_MN_HA_KEYREP && type != REG_EXT_MN_FA_KEYREP) {
		fail(b, REG_ERR_EXT_UNKNOWN);
		return;
	}
	if (!nonce_len_ok(r->nonce.len) || r->nonce.p == NULL) {
		fail(b, REG_ERR_NONCE_LENGTH);
		return;
	}
	const size_t fixed = type == REG_EXT_MN_HA_KEYREP ? 16 : 14;
	uint8_t *p = room(b, 4 + fixed + r->nonce.len);
	if (p == NULL)
		return;
	p[0] = type;
	p[1] = REG_KEYGEN_FROM_AAA;
	put16(p + 2, (uint16_t)(fixed + r->nonce.len));
	put32(p + 4, r->lifetime);
	put32(p + 8, r->aaa_spi);
	put32(p + 12, r->peer_spi);
	put16(p + 16, r->alg);
	if (type == REG_EXT_MN_HA_KEYREP)
		put16(p + 18, r->replay);
	memcpy(p + 4 + fixed, r->nonce.p, r->nonce.len);
}

size_t reg_build_auth(struct reg_builder *b, uint8_t type, uint32_t spi, size_t auth_len)
{
	size_t hdr, max;
	switch (type) {
	case REG_EXT_MN_HA_AUTH:
	case REG_EXT_MN_FA_AUTH:
	case REG_EXT_FA_HA_AUTH:
		hdr = 2;
		max = 255 - 4;
		break;
	case REG_EXT_GEN_AUTH:
		hdr = 4;
		max = 65535 - 4;
		break;
	default:
		fail(b, REG_ERR_EXT_UNKNOWN);
		return 0;
	}
	if (auth_len < 16) {
		fail(b, REG_ERR_AUTH_SHORT);
		return 0;
	}
	if (auth_len > max) {
		fail(b, REG_ERR_EXT_BAD_LENGTH);
		return 0;
	}
	uint8_t *p = room(b, hdr + 4 + auth_len);
	if (p == NULL)
		return 0;
	p[0] = type;
	if (hdr == 2) {
		p[1] = (uint8_t)(4 + auth_len);
	} else {
		p[1] = REG_GEN_AUTH_MN_AAA;
		put16(p + 2, (uint16_t)(4 + auth_len));
	}
	put32(p + hdr, spi);
	memset(p + hdr + 4, 0, auth_len);
	return (size_t)(p - b->buf) + hdr + 4;
}

void reg_build_raw(struct reg_builder *b, const uint8_t *ext, size_t len)
{
	if (len == 0 || ext == NULL) {
		fail(b, REG_ERR_EXT_BAD_LENGTH);
		return;
	}
	uint8_t *p = room(b, len);
	if (p != NULL)
		memcpy(p, ext, len);
}

size_t reg_build_copy(const struct reg_msg *m, uint8_t *out, size_t cap)
{
	struct reg_builder b;
	reg_build_init(&b, out, cap);

	if (m->type == REG_TYPE_RRQ) {
		reg_build_request(&b, &(struct reg_request_fixed){
			.flags = m->flags, .lifetime = m->lifetime, .home_addr = m->home_addr,
			.ha_addr = m->ha_addr, .coa = m->coa, .ident = m->ident });
	} else if (m->type == REG_TYPE_RRP) {
		reg_build_reply(&b, &(struct reg_reply_fixed){
			.code = m->code, .lifetime = m->lifetime, .home_addr = m->home_addr,
			.ha_addr = m->ha_addr, .ident = m->ident });
	} else {
		return 0;
	}

	/* Known extensions are re-encoded from what the parser recorded, so a
	 * faithful copy shows that nothing was lost or misread; the rest (pad,
	 * unknown skippable) travel as the octets they were. */
	for (size_t i = 0; i < m->n_ext && i < REG_MAX_EXTENSIONS; i++) {
		const struct reg_ext *e = &m->ext[i];
		switch (e->type) {
		case REG_EXT_NAI:
			reg_build_nai(&b, m->nai.p, m->nai.len);
			break;
		case REG_EXT_CHALLENGE:
			reg_build_challenge(&b, m->challenge.p, m->challenge.len);
			break;
		case REG_EXT_MN_HA_AUTH:
		case REG_EXT_MN_FA_AUTH:
		case REG_EXT_FA_HA_AUTH:
		case REG_EXT_GEN_AUTH: {
			const struct reg_auth *a = auth_of(m, e->type);
			size_t at = reg_build_auth(&b, e->type, a->spi, a->authenticator.len);
			if (at != 0)
				memcpy(out + at, a->authenticator.p, a->authenticator.len);
			break;
		}
		case REG_EXT_MN_HA_KEYREQ:
			reg_build_keyreq(&b, e->type, m->mn_ha_keyreq.mn_spi);
			break;
		case REG_EXT_MN_FA_KEYREQ:
			reg_build_keyreq(&b, e->type, m->mn_fa_keyreq.mn_spi);
			break;
		case REG_EXT_MN_HA_KEYREP:
			reg_build_keyrep(&b, e->type, &m->mn_ha_keyrep);
			break;
		case REG_EXT_MN_FA_KEYREP:
			reg_build_keyrep(&b, e->type, &m->mn_fa_keyrep);
			break;
		default:
			reg_build_raw(&b, m->buf + e->off, e->len);
			break;
		}
	}
	return b.err == REG_OK ? b.len : 0;
}
