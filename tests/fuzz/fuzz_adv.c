/*
 * libFuzzer target: the Agent Advertisement / Solicitation parser (lib/adv) and
 * the IPv4 + UDP parser (lib/inet) on the same arbitrary input.  Invariants:
 * every view lies inside the input; counts match the views; an accepted
 * advertisement obeys the flag rules; rebuilding an accepted advertisement with
 * adv_build gives one that parses to the same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/adv.h"
#include "lib/inet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void view_inside(const uint8_t *buf, size_t len, const uint8_t *p, size_t n)
{
	if (!p) {
		if (n)
			abort();
		return;
	}
	if (p < buf || n > len || (size_t)(p - buf) > len - n)
		abort();
}

static void check_adv(const uint8_t *data, size_t size)
{
	struct adv_msg m;
	enum adv_err e = adv_parse(data, size, &m);
	if ((unsigned)e >= ADV_ERR__COUNT || !adv_err_str(e))
		abort();
	if (e != ADV_OK)
		return;
	view_inside(data, size, m.routers.p, m.routers.len);
	view_inside(data, size, m.coas.p, m.coas.len);
	view_inside(data, size, m.prefix_lengths.p, m.prefix_lengths.len);
	view_inside(data, size, m.challenge.p, m.challenge.len);
	if (m.coas.len != 4 * m.n_coa || m.routers.len != (size_t)m.num_addrs * m.entry_words * 4)
		abort();
	if (m.prefix_lengths.p && m.prefix_lengths.len != m.num_addrs)
		abort();
	if (!(m.flags & (ADV_FLAG_F | ADV_FLAG_H)) || ((m.flags & ADV_FLAG_F) && m.n_coa == 0))
		abort();
	if (m.num_addrs > ADV_MAX_ROUTERS || m.n_coa > ADV_MAX_COAS)
		return;
	struct adv_params p = {
		.code = m.code, .lifetime = m.lifetime, .num_routers = m.num_addrs, .seq = m.seq,
		.reg_lifetime = m.reg_lifetime, .flags = m.flags, .n_coa = m.n_coa,
		.prefix_lengths = m.prefix_lengths.p != NULL, .challenge = m.challenge.p,
		.challenge_len = m.challenge.len, .pad_even = true,
	};
	for (size_t i = 0; i < m.num_addrs; i++) {
		p.routers[i] = adv_router(&m, i, &p.preferences[i]);
		if (p.prefix_lengths)
			p.prefix_len[i] = m.prefix_lengths.p[i];
	}
	for (size_t i = 0; i < m.n_coa; i++)
		p.coas[i] = adv_coa(&m, i);
	static uint8_t out[ADV_MAX_LEN * 2];
	size_t n = adv_build(out, sizeof out, &p);
	struct adv_msg m2;
	if (n == 0 || adv_parse(out, n, &m2) != ADV_OK)
		abort();
	if (m2.seq != m.seq || m2.flags != m.flags || m2.n_coa != m.n_coa || m2.num_addrs != m.num_addrs ||
	    m2.challenge.len != m.challenge.len || m2.reg_lifetime != m.reg_lifetime || m2.lifetime != m.lifetime ||
	    (m.challenge.p && memcmp(m2.challenge.p, m.challenge.p, m.challenge.len) != 0) ||
	    memcmp(m2.coas.p, m.coas.p, m.coas.len) != 0)
		abort();
}

static void check_inet(const uint8_t *data, size_t size)
{
	struct inet_view v;
	enum inet_err e = inet_parse(data, size, 0, INET_TRUST_NONE, &v);
	if ((unsigned)e >= INET_ERR__COUNT || !inet_err_str(e))
		abort();
	if (e != INET_OK)
		return;
	view_inside(data, size, v.payload, v.payload_len);
	if (v.hdr_len < INET_IP_HDR_MIN || v.hdr_len > size)
		abort();
	if (v.protocol == INET_PROTO_UDP && v.payload_len <= 65535 - 28) {
		static uint8_t out[65536];
		size_t n = inet_build_udp(out, sizeof out, v.src, v.dst, v.sport, v.dport, v.ttl, 1, v.payload,
		                          v.payload_len);
		struct inet_view w;
		if (n == 0 || inet_parse(out, n, INET_PROTO_UDP, INET_TRUST_NONE, &w) != INET_OK ||
		    w.payload_len != v.payload_len || w.src != v.src || w.dport != v.dport || memcmp(w.payload, v.payload, v.payload_len) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_adv(data, size);
	enum adv_err e = adv_parse_solicitation(data, size);
	if ((unsigned)e >= ADV_ERR__COUNT)
		abort();
	check_inet(data, size);
	return 0;
}
