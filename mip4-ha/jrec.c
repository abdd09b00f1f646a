#include "mip4-ha/jrec.h"

#include <string.h>

#include "lib/crc32c.h"

#define JREC_MAGIC 0xA7
#define JREC_HDR 8
#define JREC_REPLY_FIXED 32

static const uint8_t jfile_magic[8] = { 'M', 'I', 'P', '4', 'H', 'A', 'J', 1 };

static const size_t jrec_fixed_len[] = {
	[JREC_BINDING] = 48, [JREC_BINDING_DEL] = 24, [JREC_SA] = 88,
	[JREC_SA_IDENT] = 24, [JREC_SA_DEL] = 16,
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v), put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v), put32(p + 4, (uint32_t)(v >> 32)); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

/* Addresses stay in network order: copied as the 4 octets they are. */
static void put_addr(uint8_t *p, uint32_t a) { memcpy(p, &a, 4); }
static uint32_t get_addr(const uint8_t *p)
{
	uint32_t a;
	memcpy(&a, p, 4);
	return a;
}

static uint32_t jrec_crc(const uint8_t *rec, size_t len)
{
	static const uint8_t zero[4];
	uint32_t c = crc32c(0, rec, 4);
	c = crc32c(c, zero, 4);
	return crc32c(c, rec + JREC_HDR, len - JREC_HDR);
}

static size_t jrec_len(const struct jrec *r)
{
	if (r->type == JREC_REPLY) {
		size_t n = JREC_REPLY_FIXED + r->reply.mn_len + r->reply.auth_len + r->reply.rrp_len;
		return (n + JREC_ALIGN - 1) & ~(size_t)(JREC_ALIGN - 1);
	}
	if (r->type < JREC_BINDING || r->type > JREC_SA_DEL)
		return 0;
	return jrec_fixed_len[r->type];
}

size_t jrec_encode(const struct jrec *r, uint8_t *out, size_t cap)
{
	size_t len = jrec_len(r);
	if (len == 0 || len > cap || len > JREC_MAX)
		return 0;
	if (r->type == JREC_SA && (r->sa.key_len == 0 || r->sa.key_len > JREC_KEY_MAX))
		return 0;
	if (r->type == JREC_REPLY && (r->reply.mn_len == 0 || r->reply.rrp_len < 20))
		return 0;
	memset(out, 0, len);
	out[0] = JREC_MAGIC;
	out[1] = (uint8_t)r->type;
	put16(out + 2, (uint16_t)len);
	put_addr(out + 8, r->home);
	switch (r->type) {
	case JREC_BINDING:
		put_addr(out + 12, r->binding.coa);
		put64(out + 16, r->binding.ident);
		put64(out + 24, r->binding.expires);
		put64(out + 32, r->binding.since);
		put16(out + 40, r->binding.granted);
		out[42] = r->binding.code;
		out[43] = r->binding.flags;
		out[44] = r->binding.sa_ident;
		break;
	case JREC_BINDING_DEL:
	case JREC_SA_IDENT:
		put64(out + 16, r->ident);
		break;
	case JREC_SA:
		put32(out + 12, r->sa.spi);
		out[16] = r->sa.alg;
		out[17] = r->sa.replay;
		out[18] = r->sa.key_len;
		put64(out + 24, r->sa.last_ident);
		put64(out + 32, r->sa.expires);
		memcpy(out + 40, r->sa.key, r->sa.key_len);
		out[19] = r->sa.from_zn;
		put64(out + 72, r->sa.btid_fp);
		put64(out + 80, r->sa.owner_fp);
		break;
	case JREC_SA_DEL:
		break;
	case JREC_REPLY:
		out[12] = r->reply.mn_len;
		out[13] = r->reply.auth_len;
		put16(out + 14, r->reply.rrp_len);
		put64(out + 16, r->reply.ident);
		put64(out + 24, r->reply.expires);
		memcpy(out + JREC_REPLY_FIXED, r->reply.mn, r->reply.mn_len);
		memcpy(out + JREC_REPLY_FIXED + r->reply.mn_len, r->reply.auth, r->reply.auth_len);
		memcpy(out + JREC_REPLY_FIXED + r->reply.mn_len + r->reply.auth_len, r->reply.rrp, r->reply.rrp_len);
		break;
	}
	put32(out + 4, jrec_crc(out, len));
	return len;
}

/* Reserved and padding octets are zero: a record reads back only as written. */
static bool jrec_zero(const uint8_t *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return false;
	return true;
}

size_t jrec_decode(const uint8_t *buf, size_t len, struct jrec *r)
{
	if (len < JREC_HDR || buf[0] != JREC_MAGIC)
		return 0;
	size_t rlen = get16(buf + 2);
	if (rlen < 16 || rlen > JREC_MAX || rlen % JREC_ALIGN || rlen > len || get32(buf + 4) != jrec_crc(buf, rlen))
		return 0;
	memset(r, 0, sizeof *r);
	r->type = (enum jrec_type)buf[1];
	/* The length is checked before any field is read: a record of another
	 * layout (an older format, damage) must not be read past its end. */
	if (r->type == JREC_REPLY ? rlen < JREC_REPLY_FIXED
	                          : r->type < JREC_BINDING || r->type > JREC_SA_DEL || rlen != jrec_fixed_len[r->type])
		return 0;
	r->home = get_addr(buf + 8);
	bool zero;
	switch (r->type) {
	case JREC_BINDING:
		zero = buf[44] <= 1 && jrec_zero(buf, 45, 48);
		r->binding.coa = get_addr(buf + 12);
		r->binding.ident = get64(buf + 16);
		r->binding.expires = get64(buf + 24);
		r->binding.since = get64(buf + 32);
		r->binding.granted = get16(buf + 40);
		r->binding.code = buf[42];
		r->binding.flags = buf[43];
		r->binding.sa_ident = buf[44] != 0;
		break;
	case JREC_BINDING_DEL:
	case JREC_SA_IDENT:
		zero = jrec_zero(buf, 12, 16);
		r->ident = get64(buf + 16);
		break;
	case JREC_SA:
		r->sa.spi = get32(buf + 12);
		r->sa.alg = buf[16];
		r->sa.replay = buf[17];
		r->sa.key_len = buf[18];
		r->sa.last_ident = get64(buf + 24);
		r->sa.expires = get64(buf + 32);
		if (r->sa.key_len == 0 || r->sa.key_len > JREC_KEY_MAX)
			return 0;
		zero = buf[19] <= 1 && jrec_zero(buf, 20, 24) && jrec_zero(buf, 40 + r->sa.key_len, 72);
		memcpy(r->sa.key, buf + 40, r->sa.key_len);
		r->sa.from_zn = buf[19] != 0;
		r->sa.btid_fp = get64(buf + 72);
		r->sa.owner_fp = get64(buf + 80);
		break;
	case JREC_SA_DEL:
		zero = jrec_zero(buf, 12, 16);
		break;
	case JREC_REPLY:
		r->reply.mn_len = buf[12];
		r->reply.auth_len = buf[13];
		r->reply.rrp_len = get16(buf + 14);
		r->reply.ident = get64(buf + 16);
		r->reply.expires = get64(buf + 24);
		r->reply.mn = buf + JREC_REPLY_FIXED;
		r->reply.auth = r->reply.mn + r->reply.mn_len;
		r->reply.rrp = r->reply.auth + r->reply.auth_len;
		zero = jrec_len(r) == rlen &&
		       jrec_zero(buf, JREC_REPLY_FIXED + r->reply.mn_len + r->reply.auth_len + r->reply.rrp_len, rlen);
		break;
	default:
		return 0;
	}
	if (!zero || jrec_len(r) != rlen || (r->type == JREC_REPLY && (!r->reply.mn_len || r->reply.rrp_len < 20))) {
		memset(r, 0, sizeof *r);
		return 0;
	}
	return rlen;
}

void jscan_init(struct jscan *s, const uint8_t *buf, size_t len)
{
	memset(s, 0, sizeof *s);
	s->buf = buf;
	s->len = len;
}

bool jscan_next(struct jscan *s, struct jrec *r)
{
	bool in_bad = false;
	while (s->off < s->len) {
		size_t n = jrec_decode(s->buf + s->off, s->len - s->off, r);
		if (n) {
			s->off += n;
			return true;
		}
		if (!in_bad) {
			if (!s->bad_spans)
				s->first_bad = s->off;
			s->bad_spans++;
			in_bad = true;
		}
		size_t step = s->len - s->off < JREC_ALIGN ? s->len - s->off : JREC_ALIGN;
		s->bad_bytes += step;
		s->off += step;
	}
	s->truncated = in_bad;
	return false;
}

void jfile_hdr_encode(const struct jfile_hdr *h, uint8_t out[JFILE_HDR_LEN])
{
	memset(out, 0, JFILE_HDR_LEN);
	memcpy(out, jfile_magic, sizeof jfile_magic);
	put32(out + 8, (uint32_t)h->kind);
	put64(out + 16, h->seq);
	put32(out + 24, h->created);
	put32(out + 28, crc32c(0, out, 28));
}

bool jfile_hdr_decode(const uint8_t *in, size_t len, struct jfile_hdr *h)
{
	if (len < JFILE_HDR_LEN || memcmp(in, jfile_magic, sizeof jfile_magic) != 0 ||
	    get32(in + 28) != crc32c(0, in, 28) || get32(in + 12) != 0)
		return false; /* octets 12-15 are reserved: a header is read back only as written */
	uint32_t kind = get32(in + 8);
	if (kind != JFILE_SNAPSHOT && kind != JFILE_LOG)
		return false;
	h->kind = (enum jfile_kind)kind;
	h->seq = get64(in + 16);
	h->created = get32(in + 24);
	return true;
}
