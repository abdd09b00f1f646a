/*
 * libFuzzer target: mip4-fa's registration decisions (mip4-fa/relay.c) on
 * arbitrary datagrams.  The first octet picks what the input is: a request
 * from the visited link (to the care-of address, from a node with or without
 * an MN-FA association), a reply from the home agent, or an ICMP error about
 * a relayed request; challenges and an FA-HA association are on.  Invariants:
 * what goes to a node parses as a Registration Reply with the request's low 32
 * bits of Identification and carries a valid MN-FA authenticator when the node
 * has an association; what goes to the home agent parses as a Registration
 * Request whose octets before the FA-HA authenticator are the node's own; the
 * tables stay within their bounds.
 * Not named fuzz_*.c: lib/module.mk builds those with the library sources only.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "mip4-fa/relay.h"

static struct fa_conf conf;
static struct conffile_sa sas[2];
static struct relay_state st;
static struct relay_now now;
static struct relay_result r;
static bool ready;
static uint32_t draws;

static int fuzz_random(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(draws * 7 + i);
	draws++;
	return 0;
}

static void fuzz_init(void)
{
	conf.max_lifetime = 600;
	conf.challenges = true;
	conf.challenge_len = 4;
	conf.challenge_window = 2;
	conf.reg_timeout = 3;
	conf.max_visitors = 64;
	conf.max_pending = 16;
	sas[0] = (struct conffile_sa){ .addr = inet_addr("10.1.0.5"), .spi = 500, .alg = AUTH_HMAC_MD5, .key_len = 16 };
	sas[1] = (struct conffile_sa){ .addr = inet_addr("10.1.0.1"), .spi = 400, .alg = AUTH_HMAC_SHA1, .key_len = 20 };
	memset(sas[0].key, 0x5a, 16);
	memset(sas[1].key, 0xfa, 20);
	conf.mn_sas = sas;
	conf.n_mn_sas = 1;
	conf.ha_sas = sas + 1;
	conf.n_ha_sas = 1;
	now = (struct relay_now){ .sec = 100, .us = 100000000ull };
	if (relay_init(&st, &conf, inet_addr("198.51.100.1"), now.sec, fuzz_random) != 0)
		abort();
	ready = true;
}

static void check_to_mn(const uint8_t *req, size_t len)
{
	struct reg_msg m;
	if (reg_parse_reply(r.msg, r.len, &m) != REG_OK)
		abort();
	if (len >= REG_RRQ_FIXED_LEN && req[0] == REG_TYPE_RRQ) {
		uint32_t lo = (uint32_t)req[20] << 24 | (uint32_t)req[21] << 16 | (uint32_t)req[22] << 8 | req[23];
		if ((uint32_t)m.ident != lo)
			abort();
	}
	if (m.home_addr == sas[0].addr &&
	    (!m.mn_fa.present || !auth_verify(st.auth, AUTH_HMAC_MD5, sas[0].key, 16, &m, &m.mn_fa)))
		abort();
}

static void check_to_ha(const uint8_t *req, size_t len)
{
	struct reg_msg m;
	if (reg_parse_request(r.msg, r.len, &m) != REG_OK)
		abort();
	size_t own = m.fa_ha.present ? m.fa_ha.off : r.len;
	if (own > len || memcmp(r.msg, req, own) != 0)
		abort();
}

static void on_expired(const struct relay_result *x, void *arg)
{
	(void)arg;
	struct reg_msg m;
	if (x->out != RELAY_TO_MN || reg_parse_reply(x->msg, x->len, &m) != REG_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		fuzz_init();
	if (size == 0)
		return 0;
	now.sec++;
	now.us += 1000000;
	const uint8_t *buf = data + 1;
	size_t len = size - 1;
	switch (data[0] % 4) {
	case 0:
	case 1: {
		struct relay_link in = { .mac = { 2, 0, 0, 0, 0, data[0] }, .ip_src = inet_addr("10.1.0.5"),
		                         .ip_dst = data[0] & 4 ? INET_ADDR_BROADCAST : inet_addr("198.51.100.1"),
		                         .sport = 40000, .buf = buf, .len = len };
		relay_request(&st, &in, &now, &r);
		if (r.out == RELAY_TO_MN)
			check_to_mn(buf, len);
		else if (r.out == RELAY_TO_HA)
			check_to_ha(buf, len);
		break;
	}
	case 2:
		relay_reply(&st, buf, len, inet_addr("10.1.0.1"), &now, &r);
		if (r.out == RELAY_TO_HA)
			abort();
		if (r.out == RELAY_TO_MN) {
			struct reg_msg m;
			if (reg_parse_reply(r.msg, r.len, &m) != REG_OK)
				abort();
		}
		break;
	default:
		relay_icmp_error(&st, inet_addr("10.1.0.1"), 3, data[0] >> 2, buf, len, &now, &r);
		if (r.out == RELAY_TO_HA)
			abort();
		break;
	}
	if (st.visitors.count > st.visitors.max || st.pending.count > st.pending.max || st.mns.count > st.mns.max)
		abort();
	relay_expire(&st, &now, on_expired, NULL, NULL);
	return 0;
}
