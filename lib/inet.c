#include "lib/inet.h"

#include <string.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t inet_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t inet_checksum(const void *p, size_t len, uint32_t sum)
{
	/* A 32-bit accumulator holds 65535 words before it can wrap: enough for
	 * any IPv4 datagram (and the caller's pseudo-header). */
	sum = inet_sum(p, len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The UDP pseudo-header (RFC 768): source, destination, protocol, UDP length. */
static uint32_t inet_pseudo(uint32_t src, uint32_t dst, uint16_t udp_len)
{
	uint8_t ph[12];
	memcpy(ph, &src, 4);
	memcpy(ph + 4, &dst, 4);
	ph[8] = 0;
	ph[9] = INET_PROTO_UDP;
	put16(ph + 10, udp_len);
	return inet_sum(ph, sizeof ph, 0);
}

const char *inet_err_str(enum inet_err e)
{
	static const char *const names[INET_ERR__COUNT] = {
		[INET_OK] = "ok",
		[INET_ERR_SHORT] = "ip-short",
		[INET_ERR_VERSION] = "ip-version",
		[INET_ERR_LENGTH] = "ip-length",
		[INET_ERR_IP_CHECKSUM] = "ip-checksum",
		[INET_ERR_FRAGMENT] = "ip-fragment",
		[INET_ERR_PROTOCOL] = "ip-protocol",
		[INET_ERR_UDP_LENGTH] = "udp-length",
		[INET_ERR_UDP_CHECKSUM] = "udp-checksum",
	};
	if ((unsigned)e >= INET_ERR__COUNT)
		return "invalid";
	return names[e];
}

enum inet_err inet_parse(const uint8_t *buf, size_t len, uint8_t proto, enum inet_trust trust,
                         struct inet_view *v)
{
	memset(v, 0, sizeof *v);
	if (!buf || len < INET_IP_HDR_MIN)
		return INET_ERR_SHORT;
	size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (buf[0] >> 4 != 4 || ihl < INET_IP_HDR_MIN)
		return INET_ERR_VERSION;
	if (len < ihl)
		return INET_ERR_SHORT;
	size_t total = get16(buf + 2);
	if (total < ihl || total > len)
		return INET_ERR_LENGTH;
	if (inet_checksum(buf, ihl, 0) != 0)
		return INET_ERR_IP_CHECKSUM;
	if (get16(buf + 6) & 0x3fff)
		return INET_ERR_FRAGMENT;
	v->tos = buf[1];
	v->ttl = buf[8];
	v->protocol = buf[9];
	memcpy(&v->src, buf + 12, 4);
	memcpy(&v->dst, buf + 16, 4);
	v->hdr_len = ihl;
	v->payload = buf + ihl;
	v->payload_len = total - ihl;
	if (proto && v->protocol != proto)
		return INET_ERR_PROTOCOL;
	if (v->protocol != INET_PROTO_UDP)
		return INET_OK;
	const uint8_t *u = v->payload;
	if (v->payload_len < INET_UDP_HDR)
		return INET_ERR_UDP_LENGTH;
	size_t ulen = get16(u + 4);
	if (ulen < INET_UDP_HDR || ulen > v->payload_len)
		return INET_ERR_UDP_LENGTH;
	if (!(trust & INET_TRUST_UDP_CHECKSUM) && get16(u + 6) != 0 &&
	    inet_checksum(u, ulen, inet_pseudo(v->src, v->dst, (uint16_t)ulen)) != 0)
		return INET_ERR_UDP_CHECKSUM;
	v->sport = get16(u);
	v->dport = get16(u + 2);
	v->payload = u + INET_UDP_HDR;
	v->payload_len = ulen - INET_UDP_HDR;
	return INET_OK;
}

size_t inet_build_udp(uint8_t *out, size_t cap, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                      uint8_t ttl, uint16_t ip_id, const uint8_t *payload, size_t len)
{
	size_t total = INET_IP_HDR_MIN + INET_UDP_HDR + len;
	if (total > 65535 || total > cap || (len && !payload))
		return 0;
	uint8_t *ip = out, *u = out + INET_IP_HDR_MIN;
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, ip_id);
	put16(ip + 6, 0x4000); /* DF: a registration message is never fragmented by us */
	ip[8] = ttl;
	ip[9] = INET_PROTO_UDP;
	put16(ip + 10, 0);
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, inet_checksum(ip, INET_IP_HDR_MIN, 0));
	uint16_t ulen = (uint16_t)(INET_UDP_HDR + len);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, ulen);
	put16(u + 6, 0);
	if (len)
		memcpy(u + INET_UDP_HDR, payload, len);
	uint16_t c = inet_checksum(u, ulen, inet_pseudo(src, dst, ulen));
	/* RFC 768: a computed zero is sent as all ones (zero means "none"). */
	put16(u + 6, c ? c : 0xffff);
	return total;
}

bool inet_is_multicast(uint32_t addr_net)
{
	const uint8_t *a = (const uint8_t *)&addr_net;
	return (a[0] & 0xf0) == 0xe0;
}
