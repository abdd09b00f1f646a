/*
 * adv: Agent Advertisement / Solicitation codec.  See adv.h for the rules.
 */
#include "lib/adv.h"

#include <string.h>

#include "lib/inet.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

const char *adv_err_str(enum adv_err e)
{
	static const char *const names[ADV_ERR__COUNT] = {
		[ADV_OK] = "ok",
		[ADV_ERR_SHORT] = "short",
		[ADV_ERR_TYPE] = "type",
		[ADV_ERR_CODE] = "code",
		[ADV_ERR_CHECKSUM] = "checksum",
		[ADV_ERR_ENTRY_SIZE] = "entry-size",
		[ADV_ERR_ROUTERS] = "routers",
		[ADV_ERR_EXT_TRUNCATED] = "ext-truncated",
		[ADV_ERR_EXT_UNKNOWN] = "ext-unknown",
		[ADV_ERR_EXT_DUPLICATE] = "ext-duplicate",
		[ADV_ERR_EXT_LENGTH] = "ext-length",
		[ADV_ERR_ORDER] = "order",
		[ADV_ERR_NO_MOBILITY] = "no-mobility-extension",
		[ADV_ERR_FLAGS] = "flags",
	};
	if ((unsigned)e >= ADV_ERR__COUNT)
		return "invalid";
	return names[e];
}

/* The flag combinations RFC 5944 §2.1.1 forbids. */
static bool adv_flags_ok(uint16_t flags, size_t n_coa)
{
	bool f = flags & ADV_FLAG_F;
	if (!f && !(flags & ADV_FLAG_H))
		return false;
	if (!f && (flags & (ADV_FLAG_B | ADV_FLAG_R)))
		return false;
	return !f || n_coa > 0;
}

static enum adv_err adv_icmp_header(const uint8_t *buf, size_t len, uint8_t type)
{
	if (!buf || len < ADV_ICMP_HDR)
		return ADV_ERR_SHORT;
	if (buf[0] != type)
		return ADV_ERR_TYPE;
	if (inet_checksum(buf, len, 0) != 0)
		return ADV_ERR_CHECKSUM;
	return ADV_OK;
}

enum adv_err adv_parse(const uint8_t *buf, size_t len, struct adv_msg *m)
{
	memset(m, 0, sizeof *m);
	enum adv_err e = adv_icmp_header(buf, len, ADV_ICMP_ADVERTISEMENT);
	if (e != ADV_OK)
		return e;
	m->code = buf[1];
	if (m->code != ADV_CODE_ROUTER && m->code != ADV_CODE_MOBILITY_ONLY)
		return ADV_ERR_CODE;
	m->num_addrs = buf[4];
	m->entry_words = buf[5];
	m->lifetime = get16(buf + 6);
	if (m->entry_words < 2)
		return ADV_ERR_ENTRY_SIZE;
	size_t rlen = (size_t)m->num_addrs * m->entry_words * 4;
	if (rlen > len - ADV_ICMP_HDR)
		return ADV_ERR_ROUTERS;
	m->routers = (struct adv_view){ buf + ADV_ICMP_HDR, rlen };

	bool seen_mob = false, seen_pfx = false, seen_chal = false;
	size_t off = ADV_ICMP_HDR + rlen;
	while (off < len) {
		uint8_t t = buf[off];
		if (t == ADV_EXT_PAD) {
			m->n_pads++;
			off++;
			continue;
		}
		if (len - off < 2)
			return ADV_ERR_EXT_TRUNCATED;
		size_t n = buf[off + 1];
		if (n > len - off - 2)
			return ADV_ERR_EXT_TRUNCATED;
		const uint8_t *d = buf + off + 2;
		switch (t) {
		case ADV_EXT_MOBILITY:
			if (seen_mob)
				return ADV_ERR_EXT_DUPLICATE;
			if (n < 6 || (n - 6) % 4 != 0)
				return ADV_ERR_EXT_LENGTH;
			seen_mob = true;
			m->seq = get16(d);
			m->reg_lifetime = get16(d + 2);
			m->flags = get16(d + 4);
			m->n_coa = (n - 6) / 4;
			m->coas = (struct adv_view){ d + 6, n - 6 };
			break;
		case ADV_EXT_PREFIX_LENGTHS:
			if (seen_pfx)
				return ADV_ERR_EXT_DUPLICATE;
			if (!seen_mob)
				return ADV_ERR_ORDER;
			if (n != m->num_addrs)
				return ADV_ERR_EXT_LENGTH;
			seen_pfx = true;
			/* An empty list is still present: point at its (empty) data. */
			m->prefix_lengths = (struct adv_view){ d, n };
			break;
		case ADV_EXT_CHALLENGE:
			if (seen_chal)
				return ADV_ERR_EXT_DUPLICATE;
			if (n == 0)
				return ADV_ERR_EXT_LENGTH;
			seen_chal = true;
			m->challenge = (struct adv_view){ d, n };
			break;
		default:
			if (t < 128)
				return ADV_ERR_EXT_UNKNOWN;
			break;
		}
		off += 2 + n;
	}
	if (!seen_mob)
		return ADV_ERR_NO_MOBILITY;
	if (!adv_flags_ok(m->flags, m->n_coa))
		return ADV_ERR_FLAGS;
	return ADV_OK;
}

uint32_t adv_coa(const struct adv_msg *m, size_t i)
{
	uint32_t a;
	memcpy(&a, m->coas.p + 4 * i, 4);
	return a;
}

uint32_t adv_router(const struct adv_msg *m, size_t i, int32_t *preference)
{
	const uint8_t *e = m->routers.p + (size_t)m->entry_words * 4 * i;
	uint32_t a, pref;
	memcpy(&a, e, 4);
	pref = (uint32_t)e[4] << 24 | (uint32_t)e[5] << 16 | (uint32_t)e[6] << 8 | e[7];
	if (preference)
		*preference = (int32_t)pref;
	return a;
}

enum adv_err adv_parse_solicitation(const uint8_t *buf, size_t len)
{
	enum adv_err e = adv_icmp_header(buf, len, ADV_ICMP_SOLICITATION);
	if (e != ADV_OK)
		return e;
	return buf[1] == 0 ? ADV_OK : ADV_ERR_CODE;
}

size_t adv_build(uint8_t *out, size_t cap, const struct adv_params *p)
{
	if ((p->code != ADV_CODE_ROUTER && p->code != ADV_CODE_MOBILITY_ONLY) || p->num_routers > ADV_MAX_ROUTERS ||
	    p->n_coa > ADV_MAX_COAS || !adv_flags_ok(p->flags, p->n_coa) ||
	    (p->challenge && (p->challenge_len == 0 || p->challenge_len > ADV_CHALLENGE_MAX)))
		return 0;
	size_t len = ADV_ICMP_HDR + 8 * p->num_routers + 2 + 6 + 4 * p->n_coa;
	if (p->prefix_lengths)
		len += 2 + p->num_routers;
	if (p->challenge)
		len += 2 + p->challenge_len;
	bool pad = p->pad_even && (len & 1);
	len += pad;
	if (len > cap)
		return 0;
	memset(out, 0, len);
	out[0] = ADV_ICMP_ADVERTISEMENT;
	out[1] = p->code;
	out[4] = (uint8_t)p->num_routers;
	out[5] = 2;
	put16(out + 6, p->lifetime);
	uint8_t *q = out + ADV_ICMP_HDR;
	for (size_t i = 0; i < p->num_routers; i++, q += 8) {
		uint32_t pref = (uint32_t)p->preferences[i];
		memcpy(q, &p->routers[i], 4);
		q[4] = (uint8_t)(pref >> 24);
		q[5] = (uint8_t)(pref >> 16);
		q[6] = (uint8_t)(pref >> 8);
		q[7] = (uint8_t)pref;
	}
	q[0] = ADV_EXT_MOBILITY;
	q[1] = (uint8_t)(6 + 4 * p->n_coa);
	put16(q + 2, p->seq);
	put16(q + 4, p->reg_lifetime);
	put16(q + 6, p->flags);
	q += 8;
	for (size_t i = 0; i < p->n_coa; i++, q += 4)
		memcpy(q, &p->coas[i], 4);
	if (p->prefix_lengths) {
		q[0] = ADV_EXT_PREFIX_LENGTHS;
		q[1] = (uint8_t)p->num_routers;
		memcpy(q + 2, p->prefix_len, p->num_routers);
		q += 2 + p->num_routers;
	}
	if (p->challenge) {
		q[0] = ADV_EXT_CHALLENGE;
		q[1] = (uint8_t)p->challenge_len;
		memcpy(q + 2, p->challenge, p->challenge_len);
		q += 2 + p->challenge_len;
	}
	if (pad)
		*q = ADV_EXT_PAD;
	put16(out + 2, inet_checksum(out, len, 0));
	return len;
}

size_t adv_build_solicitation(uint8_t *out, size_t cap)
{
	if (cap < ADV_ICMP_HDR)
		return 0;
	memset(out, 0, ADV_ICMP_HDR);
	out[0] = ADV_ICMP_SOLICITATION;
	put16(out + 2, inet_checksum(out, ADV_ICMP_HDR, 0));
	return ADV_ICMP_HDR;
}

uint16_t adv_seq_next(uint16_t seq)
{
	return seq == 0xffff ? 256 : (uint16_t)(seq + 1);
}

bool adv_seq_restarted(uint16_t prev, uint16_t cur)
{
	return cur < prev && cur < 256;
}
