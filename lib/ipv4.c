#include "lib/ipv4.h"

#include <string.h>

static uint16_t ipv4_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void ipv4_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

const char *ipv4_err_str(enum ipv4_err e)
{
	switch (e) {
	case IPV4_OK: return "ok";
	case IPV4_ERR_SHORT: return "short";
	case IPV4_ERR_VERSION: return "version";
	case IPV4_ERR_HLEN: return "header-length";
	case IPV4_ERR_LENGTH: return "total-length";
	case IPV4_ERR_CHECKSUM: return "checksum";
	case IPV4_ERR__COUNT: break;
	}
	return "?";
}

uint16_t ipv4_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	while (len > 1) {
		sum += (uint32_t)(b[0] << 8 | b[1]);
		b += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)(b[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void ipv4_set_checksum(uint8_t *p)
{
	size_t hlen = (size_t)(p[0] & 0x0f) * 4;
	p[10] = p[11] = 0;
	ipv4_put16(p + 10, ipv4_checksum(p, hlen));
}

enum ipv4_err ipv4_parse(const uint8_t *p, size_t len, struct ipv4_hdr *h)
{
	if (len < IPV4_HDR_MIN)
		return IPV4_ERR_SHORT;
	if (p[0] >> 4 != 4)
		return IPV4_ERR_VERSION;
	size_t hlen = (size_t)(p[0] & 0x0f) * 4;
	size_t total = ipv4_get16(p + 2);
	if (hlen < IPV4_HDR_MIN)
		return IPV4_ERR_HLEN;
	if (total < hlen)
		return hlen > len ? IPV4_ERR_HLEN : IPV4_ERR_LENGTH;
	if (total > len)
		return IPV4_ERR_LENGTH;
	if (ipv4_checksum(p, hlen) != 0)
		return IPV4_ERR_CHECKSUM;
	h->hlen = (uint8_t)hlen;
	h->tos = p[1];
	h->total_len = (uint16_t)total;
	h->id = ipv4_get16(p + 4);
	h->frag = ipv4_get16(p + 6);
	h->ttl = p[8];
	h->proto = p[9];
	memcpy(&h->src, p + 12, 4);
	memcpy(&h->dst, p + 16, 4);
	return IPV4_OK;
}

/* Payload octets per fragment: what fits after a 20-octet header, on an 8-octet
 * boundary. */
static size_t ipv4_frag_payload(size_t mtu)
{
	return mtu < IPV4_HDR_MIN ? 0 : (mtu - IPV4_HDR_MIN) & ~(size_t)7;
}

unsigned ipv4_fragment_count(const struct ipv4_hdr *h, size_t mtu)
{
	if (h->total_len <= mtu)
		return 1;
	size_t per = ipv4_frag_payload(mtu);
	if (ipv4_df(h) || h->hlen != IPV4_HDR_MIN || per == 0)
		return 0;
	size_t payload = (size_t)h->total_len - IPV4_HDR_MIN;
	return (unsigned)((payload + per - 1) / per);
}

size_t ipv4_fragment_build(const uint8_t *pkt, const struct ipv4_hdr *h, size_t mtu, unsigned i, uint8_t *out,
                           size_t cap)
{
	unsigned n = ipv4_fragment_count(h, mtu);
	if (i >= n)
		return 0;
	if (n == 1) {
		if (cap < h->total_len)
			return 0;
		memcpy(out, pkt, h->total_len);
		return h->total_len;
	}
	size_t per = ipv4_frag_payload(mtu);
	size_t payload = (size_t)h->total_len - IPV4_HDR_MIN;
	size_t off = (size_t)i * per;
	size_t chunk = payload - off < per ? payload - off : per;
	size_t len = IPV4_HDR_MIN + chunk;
	if (cap < len)
		return 0;
	memcpy(out, pkt, IPV4_HDR_MIN);
	memcpy(out + IPV4_HDR_MIN, pkt + IPV4_HDR_MIN + off, chunk);
	bool last = i == n - 1;
	uint16_t frag = (uint16_t)((h->frag & IPV4_OFFMASK) + off / 8);
	if (!last || (h->frag & IPV4_MF))
		frag |= IPV4_MF;
	ipv4_put16(out + 2, (uint16_t)len);
	ipv4_put16(out + 6, frag);
	ipv4_set_checksum(out);
	return len;
}

/* True for an address that cannot be the source of one host's datagram. */
static bool ipv4_bad_source(uint32_t a_net)
{
	const uint8_t *a = (const uint8_t *)&a_net;
	return a[0] == 0 || a[0] == 127 || a[0] >= 224;
}

static bool icmp_is_error_type(uint8_t type)
{
	/* RFC 792 / RFC 1812 §4.3.2.7: the error messages (the others are queries). */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

bool icmp_error_allowed(const uint8_t *pkt, const struct ipv4_hdr *h)
{
	const uint8_t *d = (const uint8_t *)&h->dst;
	if ((h->frag & IPV4_OFFMASK) != 0)
		return false;
	if (h->dst == 0xffffffffu || (d[0] >= 224 && d[0] < 240))
		return false;
	if (ipv4_bad_source(h->src))
		return false;
	if (h->proto == IPV4_PROTO_ICMP) {
		/* An initial fragment or a whole datagram: the type is there unless the
		 * datagram ends inside its header, which is not worth an error either. */
		if (h->total_len <= h->hlen)
			return false;
		if (icmp_is_error_type(pkt[h->hlen]))
			return false;
	}
	return true;
}

size_t icmp_unreach_build(uint8_t *out, size_t cap, const uint8_t *pkt, const struct ipv4_hdr *h, uint32_t src,
                          uint8_t code, uint16_t next_hop_mtu, uint16_t id)
{
	const size_t head = IPV4_HDR_MIN + 8;
	if (cap < head + (size_t)h->hlen + 8)
		return 0;
	size_t room = (cap < ICMP_ERROR_MAX ? cap : ICMP_ERROR_MAX) - head;
	size_t quote = h->total_len < room ? h->total_len : room;
	size_t len = head + quote;
	memset(out, 0, head);
	out[0] = 0x45;
	out[1] = h->tos;
	ipv4_put16(out + 2, (uint16_t)len);
	ipv4_put16(out + 4, id);
	out[8] = 64;
	out[9] = IPV4_PROTO_ICMP;
	memcpy(out + 12, &src, 4);
	memcpy(out + 16, &h->src, 4);
	ipv4_set_checksum(out);
	uint8_t *icmp = out + IPV4_HDR_MIN;
	icmp[0] = ICMP_TYPE_UNREACH;
	icmp[1] = code;
	if (code == ICMP_CODE_FRAG_NEEDED)
		ipv4_put16(icmp + 6, next_hop_mtu);
	memcpy(icmp + 8, pkt, quote);
	ipv4_put16(icmp + 2, ipv4_checksum(icmp, 8 + quote));
	return len;
}
