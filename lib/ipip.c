#include "lib/ipip.h"

#include <string.h>

const char *ipip_err_str(enum ipip_err e)
{
	switch (e) {
	case IPIP_OK: return "ok";
	case IPIP_ERR_OUTER: return "bad-outer-header";
	case IPIP_ERR_NOT_IPIP: return "not-ipip";
	case IPIP_ERR_FRAGMENT: return "outer-fragment";
	case IPIP_ERR_INNER: return "bad-inner-header";
	case IPIP_ERR_INNER_LENGTH: return "inner-length";
	case IPIP_ERR__COUNT: break;
	}
	return "?";
}

bool ipip_encap_header(uint8_t out[IPIP_HDR_LEN], const struct ipv4_hdr *inner, uint32_t src, uint32_t dst,
                       uint16_t id, uint8_t ttl)
{
	size_t total = (size_t)inner->total_len + IPIP_HDR_LEN;
	if (total > IPV4_MAX_LEN)
		return false;
	out[0] = 0x45;
	out[1] = inner->tos;
	out[2] = (uint8_t)(total >> 8);
	out[3] = (uint8_t)total;
	out[4] = (uint8_t)(id >> 8);
	out[5] = (uint8_t)id;
	out[6] = ipv4_df(inner) ? IPV4_DF >> 8 : 0;
	out[7] = 0;
	out[8] = ttl;
	out[9] = IPV4_PROTO_IPIP;
	memcpy(out + 12, &src, 4);
	memcpy(out + 16, &dst, 4);
	ipv4_set_checksum(out);
	return true;
}

enum ipip_err ipip_decap_parse(const uint8_t *p, size_t len, struct ipip_view *v)
{
	v->detail = ipv4_parse(p, len, &v->outer);
	if (v->detail != IPV4_OK)
		return IPIP_ERR_OUTER;
	if (v->outer.proto != IPV4_PROTO_IPIP)
		return IPIP_ERR_NOT_IPIP;
	if (ipv4_is_fragment(&v->outer))
		return IPIP_ERR_FRAGMENT;
	const uint8_t *in = p + v->outer.hlen;
	size_t in_len = (size_t)v->outer.total_len - v->outer.hlen;
	v->detail = ipv4_parse(in, in_len, &v->inner);
	if (v->detail != IPV4_OK)
		return IPIP_ERR_INNER;
	if (v->inner.total_len != in_len)
		return IPIP_ERR_INNER_LENGTH;
	v->inner_pkt = in;
	return IPIP_OK;
}
