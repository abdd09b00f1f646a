/*
 * mip4-fa's registration decisions (mip4-fa/relay.c), driven directly: the tests
 * stand in for the visited link (struct relay_link), for the home agent (replies
 * built and signed here) and for the clock (struct relay_now).  Every denial
 * code of relay.h, what is relayed (extensions stripped, FA-HA authenticator),
 * what the node gets back (MN-FA authenticator, new challenge, addressing), the
 * visitor list, timeouts and ICMP errors.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <string.h>

#include "lib/replay.h"
#include "mip4-fa/relay.h"

#define COA "198.51.100.1"
#define HA "10.1.0.1"
#define HOME "10.1.0.5"
#define MN_HA_SPI 300
#define MN_FA_SPI 500
#define FA_HA_SPI 400
#define MN_FA_KEY_SPI 301 /* what the node asks for in its 40 */
#define AAA_FA_HA_SPI 256
#define HOME2 "10.1.0.6"
#define NTP_NOW ((uint64_t)(1700000000ULL + REPLAY_NTP_UNIX_OFFSET) << 32)

static const uint8_t mn_ha_key[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                       0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t mn_fa_key[16] = { 0x5a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0x5a };
static const uint8_t fa_ha_key[20] = { 0xfa, 0xa0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
static const uint8_t wrong_key[16] = { 0x99 };
static const uint8_t mn_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x05 };

static struct fa_conf conf;
static struct conffile_sa sas[2];
static struct relay_state st;
static struct relay_now now;
static struct relay_result r;
static struct auth_ctx *ctx;
static uint8_t rand_seed;
static bool use_aaa;

static uint32_t ip(const char *s)
{
	return inet_addr(s);
}

/* Deterministic, never repeating challenge values. */
static int test_random(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(rand_seed * 31 + i);
	rand_seed++;
	return 0;
}

static void start(bool challenges, bool mn_fa, bool fa_ha)
{
	memset(&conf, 0, sizeof conf);
	conf.dia.enabled = use_aaa;
	conf.max_lifetime = 600;
	conf.challenges = challenges;
	conf.challenge_len = 8;
	conf.challenge_window = 2;
	conf.reg_timeout = 3;
	conf.max_visitors = 4;
	conf.max_pending = 2;
	size_t n = 0;
	conf.mn_sas = sas;
	conf.ha_sas = sas + 1;
	if (mn_fa) {
		sas[0] = (struct conffile_sa){ .addr = ip(HOME), .spi = MN_FA_SPI, .alg = AUTH_HMAC_MD5, .key_len = 16 };
		memcpy(sas[0].key, mn_fa_key, 16);
		conf.n_mn_sas = 1;
		n++;
	}
	if (fa_ha) {
		sas[1] = (struct conffile_sa){ .addr = ip(HA), .spi = FA_HA_SPI, .alg = AUTH_HMAC_SHA1, .key_len = 20 };
		memcpy(sas[1].key, fa_ha_key, 20);
		conf.n_ha_sas = 1;
	}
	now = (struct relay_now){ .sec = 1000, .us = 1000000000ull };
	cr_assert_eq(relay_init(&st, &conf, ip(COA), now.sec, test_random), 0);
	ctx = auth_ctx_new();
}

static void stop(void)
{
	relay_destroy(&st);
	auth_ctx_free(ctx);
}

static void plain(void) { use_aaa = false; start(false, false, false); }
static void with_aaa(void) { use_aaa = true; start(false, false, false); }
static void with_mn_fa(void) { use_aaa = false; start(false, true, false); }
static void with_fa_ha(void) { use_aaa = false; start(false, false, true); }
static void with_challenges(void) { use_aaa = false; start(true, true, false); }

static void advance(uint32_t s)
{
	now.sec += s;
	now.us += (uint64_t)s * 1000000;
}

/* A request as a mobile node builds it (RFC 5944 §3.6.1.3, RFC 4721 §3.1):
 * fixed, [NAI], MN-HA auth or MN-AAA, [challenge], [MN-FA auth]. */
struct rrq {
	uint8_t flags;
	uint16_t lifetime;
	const char *home, *ha, *coa;
	uint64_t ident;
	const char *nai;
	bool mn_ha, mn_aaa;
	const uint8_t *challenge;
	size_t challenge_len;
	const uint8_t *fa_key;   /* MN-FA authenticator with this key; NULL: none */
	uint32_t fa_spi;         /* its SPI and algorithm; 0: MN_FA_SPI, HMAC-MD5 */
	enum auth_alg fa_alg;
	size_t fa_key_len;
	bool keyreqs;            /* MN-HA and MN-FA KeyGen Requests (42, 40 with SPI MN_FA_KEY_SPI) */
	bool tail;               /* an unknown skippable extension after everything */
};

static struct rrq rrq(void)
{
	return (struct rrq){ .lifetime = 300, .home = HOME, .ha = HA, .coa = COA, .ident = NTP_NOW + now.sec,
	                     .mn_ha = true };
}

static size_t build(const struct rrq *q, uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	struct reg_request_fixed f = { .flags = q->flags, .lifetime = q->lifetime, .home_addr = ip(q->home),
	                               .ha_addr = ip(q->ha), .coa = ip(q->coa), .ident = q->ident };
	reg_build_init(&b, buf, cap);
	reg_build_request(&b, &f);
	if (q->nai)
		reg_build_nai(&b, (const uint8_t *)q->nai, strlen(q->nai));
	if (q->keyreqs) {
		reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, MN_HA_SPI);
		reg_build_keyreq(&b, REG_EXT_MN_FA_KEYREQ, MN_FA_KEY_SPI);
	}
	size_t off;
	if (q->mn_ha) {
		off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, MN_HA_SPI, 16);
		cr_assert(off && auth_sign(ctx, AUTH_HMAC_MD5, mn_ha_key, 16, buf, off) == 0);
	}
	if (q->challenge)
		reg_build_challenge(&b, q->challenge, q->challenge_len);
	if (q->mn_aaa) {
		off = reg_build_auth(&b, REG_EXT_GEN_AUTH, 256, 16);
		cr_assert(off && auth_mn_aaa_sign(ctx, 256, mn_ha_key, 16, buf, off, q->challenge, q->challenge_len) == 0);
	}
	if (q->fa_key) {
		enum auth_alg alg = q->fa_spi ? q->fa_alg : AUTH_HMAC_MD5;
		size_t klen = q->fa_spi ? q->fa_key_len : 16;
		off = reg_build_auth(&b, REG_EXT_MN_FA_AUTH, q->fa_spi ? q->fa_spi : MN_FA_SPI, auth_alg_len(alg));
		cr_assert(off && auth_sign(ctx, alg, q->fa_key, klen, buf, off) == 0);
	}
	if (q->tail)
		reg_build_raw(&b, (const uint8_t *)"\xc8\x01\x00", 3);
	cr_assert_eq(b.err, REG_OK);
	return b.len;
}

static uint8_t sent[1024];
static size_t sent_len;

static void send_to(const struct rrq *q, uint32_t dst)
{
	sent_len = build(q, sent, sizeof sent);
	struct relay_link in = { .ip_src = ip(q->home), .ip_dst = dst, .sport = 40000, .buf = sent, .len = sent_len };
	memcpy(in.mac, mn_mac, 6);
	relay_request(&st, &in, &now, &r);
}

static void send_req(const struct rrq *q)
{
	send_to(q, ip(COA));
}

/* The reply the node got: parsed, checked for our addressing. */
static void to_mn(struct reg_msg *m, uint8_t code)
{
	cr_assert_eq(r.out, RELAY_TO_MN, "expected a reply to the node, got %d (%s)", r.out, r.why);
	cr_assert_eq(reg_parse_reply(r.msg, r.len, m), REG_OK, "reply does not parse");
	cr_assert_eq(m->code, code, "code %u, want %u (%s)", m->code, code, r.why);
	cr_assert_eq(r.code, code);
	cr_assert_arr_eq(r.mac, mn_mac, 6, "to the node's link-layer address");
	cr_assert_eq(r.ip_dst, ip(HOME), "to its home address");
	cr_assert_eq(r.dport, 40000, "to its source port");
}

static bool mn_fa_signed(const struct reg_msg *m)
{
	return m->mn_fa.present && m->mn_fa.spi == MN_FA_SPI && auth_verify(ctx, AUTH_HMAC_MD5, mn_fa_key, 16, m, &m->mn_fa);
}

/* The home agent's reply to the request last relayed. */
struct rrp {
	uint8_t code;
	uint16_t lifetime;
	uint64_t ident;
	bool no_mn_ha;
	const uint8_t *challenge; /* echoed after MN-HA */
	size_t challenge_len;
	const uint8_t *fa_key;    /* FA-HA (HMAC-SHA-1) */
};

static void reply_from(const struct rrp *p, uint32_t from)
{
	struct reg_msg q;
	cr_assert_eq(reg_parse_request(sent, sent_len, &q), REG_OK);
	uint8_t buf[512];
	struct reg_builder b;
	struct reg_reply_fixed f = { .code = p->code, .lifetime = p->lifetime, .home_addr = q.home_addr,
	                             .ha_addr = q.ha_addr, .ident = p->ident ? p->ident : q.ident };
	reg_build_init(&b, buf, sizeof buf);
	reg_build_reply(&b, &f);
	if (q.nai.p)
		reg_build_nai(&b, q.nai.p, q.nai.len);
	if (!p->no_mn_ha) {
		size_t off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, MN_HA_SPI, 16);
		cr_assert(off && auth_sign(ctx, AUTH_HMAC_MD5, mn_ha_key, 16, buf, off) == 0);
	}
	if (p->challenge)
		reg_build_challenge(&b, p->challenge, p->challenge_len);
	if (p->fa_key) {
		size_t off = reg_build_auth(&b, REG_EXT_FA_HA_AUTH, FA_HA_SPI, 20);
		cr_assert(off && auth_sign(ctx, AUTH_HMAC_SHA1, p->fa_key, 20, buf, off) == 0);
	}
	cr_assert_eq(b.err, REG_OK);
	relay_reply(&st, buf, b.len, from, &now, &r);
}

static void reply(const struct rrp *p)
{
	reply_from(p, ip(HA));
}

static struct fa_visitor *visitor(void)
{
	return ADDRTAB_OBJ(struct fa_visitor, addrtab_find(&st.visitors, ip(HOME)));
}

static struct fa_pending *pending(void)
{
	return ADDRTAB_OBJ(struct fa_pending, addrtab_find(&st.pending, ip(HOME)));
}

TestSuite(fa_relay, .init = plain, .fini = stop);

Test(fa_relay, request_relayed_reply_relayed_visitor_listed)
{
	struct rrq q = rrq();
	q.nai = "mn1@home.lab";
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "%s", r.why);
	cr_assert_eq(r.ha, ip(HA));
	cr_assert_eq(r.len, sent_len, "nothing to strip, nothing to add");
	cr_assert_arr_eq(r.msg, sent, sent_len, "the node's request unchanged (RFC 5944 §3.7.2.2)");
	cr_assert(pending());
	cr_assert_null(visitor(), "the visitor list waits for the home agent's answer");
	cr_assert_eq(st.ctr.relayed, 1);

	advance(1);
	reply(&(struct rrp){ .code = 0, .lifetime = 1000 });
	struct reg_msg m;
	to_mn(&m, 0);
	cr_assert_eq(r.ip_src, ip(COA), "from the address the node sent to");
	cr_assert_eq(m.lifetime, 1000, "the HA's lifetime is not the FA's to change");
	cr_assert(m.mn_ha.present);
	cr_assert(m.nai.p);
	cr_assert_null(pending());
	struct fa_visitor *v = visitor();
	cr_assert(v);
	cr_assert_eq(v->granted, 600, "visitor lifetime: min(reply, max-lifetime) (§3.7.3.2)");
	cr_assert_eq(v->entry.timer.at, now.sec + 600);
	cr_assert_arr_eq(v->mac, mn_mac, 6);
	cr_assert_eq(v->ha, ip(HA));
	cr_assert_eq(v->coa, ip(COA));
	cr_assert_eq(r.visitor_change, RELAY_VISITOR_SET, "the data plane is told");
	cr_assert_eq(r.visitor, v);
	cr_assert_eq(st.ctr.replies_relayed[0], 1);
	cr_assert_eq(st.ctr.ha_latency.n, 1);
}

Test(fa_relay, extensions_for_the_agent_are_not_relayed)
{
	/* An MN-FA authenticator without an association, and what follows it. */
	struct rrq q = rrq();
	q.fa_key = mn_fa_key;
	q.tail = true;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &m), REG_OK);
	cr_assert_not(m.mn_fa.present);
	cr_assert_eq(m.n_ext, 1, "only the MN-HA authentication extension");
	cr_assert_eq(r.len, (size_t)(m.mn_ha.authenticator.p - r.msg) + 16);
}

Test(fa_relay, denial_from_the_home_agent_relayed_visitor_kept)
{
	struct rrq q = rrq();
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	cr_assert(visitor());
	advance(2);
	q = rrq();
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA);
	reply(&(struct rrp){ .code = REG_CODE_ID_MISMATCH });
	struct reg_msg m;
	to_mn(&m, REG_CODE_ID_MISMATCH);
	cr_assert(m.mn_ha.present, "relayed as the HA signed it");
	cr_assert(visitor(), "§3.7.3.2: a denial leaves the visitor list alone");
	cr_assert_eq(r.visitor_change, RELAY_VISITOR_SAME);
	cr_assert_null(pending());
	cr_assert_eq(st.ctr.replies_relayed[133], 1);
}

Test(fa_relay, accepted_deregistration_removes_the_visitor)
{
	struct rrq q = rrq();
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	advance(1);
	q = rrq();
	q.lifetime = 0;
	q.coa = HOME;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "a deregistration with CoA = home address is relayed (§3.7)");
	reply(&(struct rrp){ .code = 0, .lifetime = 0 });
	struct reg_msg m;
	to_mn(&m, 0);
	cr_assert_null(visitor());
	cr_assert_eq(r.visitor_change, RELAY_VISITOR_GONE);
	cr_assert_eq(r.home_addr, ip(HOME));
}

Test(fa_relay, reply_matching_rules)
{
	struct rrq q = rrq();
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300, .ident = q.ident + ((uint64_t)1 << 32) });
	cr_assert_eq(r.out, RELAY_TO_MN, "only the low 32 bits must match (§3.7.3.1)");
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300, .ident = q.ident + 1 });
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.replies_dropped[FA_RDROP_UNMATCHED], 1);
	reply_from(&(struct rrp){ .code = 0, .lifetime = 300 }, ip("10.9.9.9"));
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.replies_dropped[FA_RDROP_WRONG_SOURCE], 1);
	relay_reply(&st, (const uint8_t *)"\x03\x00", 2, ip(HA), &now, &r);
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.replies_dropped[FA_RDROP_MALFORMED], 1);
	cr_assert(pending(), "none of those answered the pending request");
}

Test(fa_relay, poorly_formed_reply_is_71)
{
	struct rrq q = rrq();
	send_req(&q);
	uint8_t buf[64];
	struct reg_builder b;
	reg_build_init(&b, buf, sizeof buf);
	reg_build_reply(&b, &(struct reg_reply_fixed){ .code = 0, .lifetime = 300, .home_addr = ip(HOME),
	                                               .ha_addr = ip(HA), .ident = q.ident });
	reg_build_raw(&b, (const uint8_t *)"\x20\x30\x00", 3); /* MN-HA auth running past the end */
	relay_reply(&st, buf, b.len, ip(HA), &now, &r);
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_POORLY_FORMED_REPLY);
	cr_assert_null(pending());
	cr_assert_null(visitor());
}

Test(fa_relay, unsigned_reply_keeps_what_the_node_reads)
{
	static const uint8_t echo[4] = { 1, 2, 3, 4 };
	struct rrq q = rrq();
	q.nai = "mn1@home.lab";
	send_req(&q);
	reply(&(struct rrp){ .code = REG_CODE_NO_RESOURCES, .no_mn_ha = true, .challenge = echo, .challenge_len = 4 });
	struct reg_msg m;
	to_mn(&m, REG_CODE_NO_RESOURCES);
	cr_assert(m.nai.p, "the NAI stays");
	cr_assert_null(m.challenge.p, "the echo for the agent goes");
}

Test(fa_relay, home_address_zero_is_96)
{
	struct rrq q = rrq();
	q.home = "0.0.0.0";
	q.nai = "mn1@home.lab";
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.code, REG_CODE_FA_NONZERO_HOMEADDR_REQD);
	cr_assert_eq(r.ip_dst, INET_ADDR_BROADCAST, "no home address: limited broadcast (§3.7.2.3)");
	struct reg_msg m;
	cr_assert_eq(reg_parse_reply(r.msg, r.len, &m), REG_OK);
	cr_assert(m.nai.p, "RFC 2794: the NAI tells the node it is its reply");
}

Test(fa_relay, validity_denials)
{
	struct {
		const char *name;
		uint8_t flags;
		uint16_t lifetime;
		const char *ha, *coa;
		uint8_t code;
		uint16_t reply_lifetime;
	} cases[] = {
		{ "lifetime above max-lifetime", 0, 601, HA, COA, REG_CODE_FA_LIFETIME_TOO_LONG, 600 },
		{ "another care-of address", 0, 300, HA, "198.51.100.7", REG_CODE_FA_INVALID_COA, 300 },
		{ "minimal encapsulation", REG_FLAG_M, 300, HA, COA, REG_CODE_FA_ENCAP_UNAVAILABLE, 300 },
		{ "GRE", REG_FLAG_G, 300, HA, COA, REG_CODE_FA_ENCAP_UNAVAILABLE, 300 },
		{ "reverse tunnel not offered", REG_FLAG_T, 300, HA, COA, REG_CODE_FA_REVTUN_UNAVAILABLE, 300 },
		{ "home agent is the FA", 0, 300, COA, COA, REG_CODE_FA_INVALID_HA, 300 },
		{ "home agent 0.0.0.0", 0, 300, "0.0.0.0", COA, REG_CODE_FA_POORLY_FORMED_REQUEST, 300 },
		{ "home agent broadcast", 0, 300, "255.255.255.255", COA, REG_CODE_FA_POORLY_FORMED_REQUEST, 300 },
		{ "home agent multicast", 0, 300, "224.0.0.11", COA, REG_CODE_FA_POORLY_FORMED_REQUEST, 300 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		advance(2); /* one denial a second per node */
		struct rrq q = rrq();
		q.flags = cases[i].flags;
		q.lifetime = cases[i].lifetime;
		q.ha = cases[i].ha;
		q.coa = cases[i].coa;
		send_req(&q);
		cr_assert_eq(r.out, RELAY_TO_MN, "%s: not denied (%s)", cases[i].name, r.why);
		struct reg_msg m;
		cr_assert_eq(reg_parse_reply(r.msg, r.len, &m), REG_OK);
		cr_expect_eq(m.code, cases[i].code, "%s: code %u", cases[i].name, m.code);
		cr_expect_eq(m.lifetime, cases[i].reply_lifetime, "%s: lifetime %u", cases[i].name, m.lifetime);
		cr_expect_eq(m.home_addr, ip(HOME));
		cr_expect_eq(m.ha_addr, ip(q.ha), "%s: Home Agent copied (§3.7.2.3)", cases[i].name);
		cr_expect_eq(m.ident, q.ident, "%s: Identification copied", cases[i].name);
	}
	cr_assert_null(pending());
	cr_assert_eq(st.ctr.relayed, 0);
}

Test(fa_relay, co_located_node_may_register_through_the_agent)
{
	struct rrq q = rrq();
	q.flags = REG_FLAG_D;
	q.coa = "198.51.100.77";
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "D set: the care-of address is the node's own (R bit, §2.1.1)");
}

Test(fa_relay, malformed_requests)
{
	uint8_t buf[64];
	struct relay_link in = { .ip_dst = ip(COA), .sport = 40000, .buf = buf };
	memcpy(in.mac, mn_mac, 6);
	struct rrq q = rrq();
	size_t n = build(&q, buf, sizeof buf);
	buf[n - 21] = 0x40; /* MN-HA auth length beyond the datagram */
	in.len = n;
	relay_request(&st, &in, &now, &r);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.code, REG_CODE_FA_POORLY_FORMED_REQUEST);
	cr_assert_eq(st.ctr.malformed[REG_ERR_EXT_TRUNCATED], 1);
	advance(2);
	n = build(&q, buf, sizeof buf);
	buf[24] = 7; /* unknown type below 128 */
	relay_request(&st, &in, &now, &r);
	cr_assert_eq(r.out, RELAY_DROP, "RFC 5944 §1.8: silently discarded");
	in.len = 10;
	relay_request(&st, &in, &now, &r);
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.malformed[REG_ERR_TRUNCATED_FIXED], 1);
}

Test(fa_relay, nothing_the_home_agent_could_check_is_dropped)
{
	struct rrq q = rrq();
	q.mn_ha = false;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.dropped[FA_DROP_NO_AUTH], 1);
}

Test(fa_relay, node_only_the_aaa_can_authenticate_is_65)
{
	struct rrq q = rrq();
	q.mn_ha = false;
	q.mn_aaa = true;
	q.nai = "mn1@home.lab";
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.code, REG_CODE_FA_PROHIBITED);
	cr_assert_str_eq(r.why, "needs-aaa");
}

Test(fa_relay, addressing)
{
	struct rrq q = rrq();
	send_to(&q, ip("198.51.100.99"));
	cr_assert_eq(r.out, RELAY_DROP, "not sent to the agent");
	cr_assert_eq(st.ctr.dropped[FA_DROP_NOT_FOR_US], 1);
	q.lifetime = 700;
	send_to(&q, INET_ADDR_BROADCAST);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.ip_src, ip(COA), "a reply to a broadcast request leaves from the care-of address");
	advance(2);
	send_to(&q, htonl(REG_MOBILE_AGENTS_GROUP));
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.ip_src, ip(COA));
}

Test(fa_relay, one_denial_a_second_per_node)
{
	struct rrq q = rrq();
	q.lifetime = 700;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN);
	now.us += 999999;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_DROP, "RFC 5944 §3.7.2");
	cr_assert_eq(st.ctr.dropped[FA_DROP_RATE_LIMITED], 1);
	now.us += 1;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN);
	q.home = "10.1.0.6";
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN, "another node is not limited by the first");
	cr_assert_eq(st.ctr.denied[69], 3);
}

static struct relay_result timed_out;
static int n_timed_out;
static int n_gone;

static void on_out(const struct relay_result *x, void *arg)
{
	(void)arg;
	timed_out = *x;
	n_timed_out++;
}

static void on_gone(const struct fa_visitor *v, void *arg)
{
	(void)arg;
	cr_assert_eq(v->home_addr, ip(HOME));
	n_gone++;
}

Test(fa_relay, silent_home_agent_is_78)
{
	struct rrq q = rrq();
	send_req(&q);
	advance(2);
	relay_expire(&st, &now, on_out, on_gone, NULL);
	cr_assert_eq(n_timed_out, 0, "registration-timeout is 3 s");
	advance(1);
	relay_expire(&st, &now, on_out, on_gone, NULL);
	cr_assert_eq(n_timed_out, 1);
	r = timed_out;
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_TIMEOUT);
	cr_assert_eq(m.ident, q.ident);
	cr_assert_eq(m.ha_addr, ip(HA));
	cr_assert_null(pending());
	cr_assert_eq(st.ctr.timeouts, 1);
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	cr_assert_eq(r.out, RELAY_DROP, "a late reply finds nothing pending");
}

Test(fa_relay, visitor_expires_with_its_lifetime)
{
	struct rrq q = rrq();
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 20 });
	advance(19);
	relay_expire(&st, &now, on_out, on_gone, NULL);
	cr_assert(visitor());
	advance(1);
	relay_expire(&st, &now, on_out, on_gone, NULL);
	cr_assert_null(visitor());
	cr_assert_eq(n_gone, 1);
	cr_assert_eq(st.ctr.visitors_expired, 1);
}

Test(fa_relay, icmp_errors_map_to_80_81_82_88)
{
	struct {
		uint8_t type, code, want;
	} cases[] = { { 3, 0, 80 }, { 3, 1, 81 }, { 3, 3, 82 }, { 3, 13, 88 }, { 11, 0, 88 } };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct rrq q = rrq();
		q.ident += i;
		send_req(&q);
		cr_assert_eq(r.out, RELAY_TO_HA);
		uint8_t copy[RELAY_MSG_MAX];
		size_t len = r.len;
		memcpy(copy, r.msg, len);
		relay_icmp_error(&st, ip("10.9.9.9"), cases[i].type, cases[i].code, copy, len, &now, &r);
		cr_assert_eq(r.out, RELAY_DROP, "about another destination");
		relay_icmp_error(&st, ip(HA), cases[i].type, cases[i].code, copy, 20, &now, &r);
		cr_assert_eq(r.out, RELAY_DROP, "too short to name the request");
		relay_icmp_error(&st, ip(HA), cases[i].type, cases[i].code, copy, len, &now, &r);
		struct reg_msg m;
		to_mn(&m, cases[i].want);
		cr_assert_null(pending());
	}
	cr_assert_eq(st.ctr.icmp_errors, 5);
}

Test(fa_relay, retransmission_and_replacement_while_pending)
{
	struct rrq q = rrq();
	send_req(&q);
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA);
	cr_assert_eq(st.ctr.retransmissions, 1);
	struct rrq q2 = rrq();
	q2.ident = q.ident + 5;
	send_req(&q2);
	cr_assert_eq(r.out, RELAY_TO_HA);
	cr_assert_eq(pending()->ident, q2.ident, "a new request replaces the pending one");
	reply(&(struct rrp){ .code = 0, .lifetime = 300, .ident = q.ident });
	cr_assert_eq(r.out, RELAY_DROP, "the reply to the replaced request is unmatched");
}

Test(fa_relay, full_tables_are_66_and_busy)
{
	const char *homes[] = { "10.1.0.10", "10.1.0.11", "10.1.0.12", "10.1.0.13" };
	for (size_t i = 0; i < 2; i++) {
		struct rrq q = rrq();
		q.home = homes[i];
		send_req(&q);
		cr_assert_eq(r.out, RELAY_TO_HA);
	}
	struct rrq q = rrq();
	q.home = homes[2];
	send_req(&q);
	cr_assert_eq(r.code, REG_CODE_FA_NO_RESOURCES, "max-pending is 2");
	cr_assert_str_eq(r.why, "too-many-pending");
	for (size_t i = 0; i < 4; i++) {
		struct fa_visitor *v = ADDRTAB_OBJ(struct fa_visitor, addrtab_get(&st.visitors, ip(homes[i]) + 0x10000));
		cr_assert(v);
	}
	cr_assert(relay_busy(&st));
	advance(2);
	q = rrq();
	q.home = "10.1.0.99";
	send_req(&q);
	cr_assert_eq(r.code, REG_CODE_FA_NO_RESOURCES, "max-visitors is 4");
	cr_assert_str_eq(r.why, "visitor-list-full");
}

TestSuite(fa_relay_mn_fa, .init = with_mn_fa, .fini = stop);

Test(fa_relay_mn_fa, static_association_is_not_bypassed_by_mn_aaa)
{
	struct rrq q = rrq();
	q.mn_ha = false;
	q.mn_aaa = true;
	q.nai = "mn1@home.lab";
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.code, REG_CODE_FA_MN_AUTH_FAILED);
}

Test(fa_relay_mn_fa, mn_fa_authentication_checked_and_added)
{
	struct rrq q = rrq();
	send_req(&q);
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_MN_AUTH_FAILED);
	cr_assert_str_eq(r.why, "mn-fa-auth-missing");
	cr_assert(mn_fa_signed(&m), "the denial is signed for the node (§3.7.1)");
	advance(2);
	q.fa_key = wrong_key;
	send_req(&q);
	to_mn(&m, REG_CODE_FA_MN_AUTH_FAILED);
	cr_assert_str_eq(r.why, "mn-fa-auth-failed");
	advance(2);
	q = rrq();
	q.fa_key = mn_fa_key;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "%s", r.why);
	struct reg_msg relayed;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &relayed), REG_OK);
	cr_assert_not(relayed.mn_fa.present, "the MN-FA authenticator is the agent's, not relayed");
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	to_mn(&m, 0);
	cr_assert(m.mn_ha.present);
	cr_assert(mn_fa_signed(&m), "the relayed reply carries the MN-FA authenticator (§3.7.3.2)");
	cr_assert_gt(m.mn_fa.off, m.mn_ha.off);
	cr_assert_eq(st.ctr.denied[67], 2);
}

Test(fa_relay_mn_fa, node_with_mn_fa_association_may_use_mn_aaa)
{
	struct rrq q = rrq();
	q.mn_ha = false;
	q.mn_aaa = true;
	q.nai = "mn1@home.lab";
	q.fa_key = mn_fa_key;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "authenticated by the agent itself: %s", r.why);
	struct reg_msg relayed;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &relayed), REG_OK);
	cr_assert(relayed.mn_aaa.present, "RFC 4721 §3.2: MN-AAA is never removed");
}

TestSuite(fa_relay_fa_ha, .init = with_fa_ha, .fini = stop);

Test(fa_relay_fa_ha, fa_ha_authenticator_added_and_checked)
{
	struct rrq q = rrq();
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA);
	struct reg_msg relayed;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &relayed), REG_OK);
	cr_assert(relayed.fa_ha.present);
	cr_assert_eq(relayed.fa_ha.spi, FA_HA_SPI);
	cr_assert(auth_verify(ctx, AUTH_HMAC_SHA1, fa_ha_key, 20, &relayed, &relayed.fa_ha));
	cr_assert_arr_eq(r.msg, sent, sent_len, "the node's octets come first, unchanged");

	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_HA_AUTH_FAILED);
	cr_assert_str_eq(r.why, "ha-fa-auth-missing");
	cr_assert_null(visitor());
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300, .fa_key = (const uint8_t *)"wrongwrongwrongwrong" });
	to_mn(&m, REG_CODE_FA_HA_AUTH_FAILED);
	cr_assert_str_eq(r.why, "ha-fa-auth-failed");
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300, .fa_key = fa_ha_key });
	to_mn(&m, 0);
	cr_assert_not(m.fa_ha.present, "the FA-HA authenticator is not for the node");
	cr_assert(visitor());
}

Test(fa_relay_fa_ha, denials_and_deregistrations_need_no_fa_ha_authenticator)
{
	struct rrq q = rrq();
	send_req(&q);
	reply(&(struct rrp){ .code = REG_CODE_FA_AUTH_FAILED, .lifetime = 0 });
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_AUTH_FAILED);
	q = rrq();
	q.lifetime = 0;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA);
	struct reg_msg relayed;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &relayed), REG_OK);
	cr_assert_not(relayed.fa_ha.present, "RFC 5944 §3.7.2.2: only for a non-zero lifetime");
}

TestSuite(fa_relay_challenge, .init = with_challenges, .fini = stop);

static const uint8_t *advertised(void)
{
	return challenge_latest(&st.challenges);
}

static struct rrq answering(const uint8_t *c)
{
	struct rrq q = rrq();
	q.challenge = c;
	q.challenge_len = 8;
	q.fa_key = mn_fa_key;
	return q;
}

Test(fa_relay_challenge, missing_challenge_is_105)
{
	struct rrq q = rrq();
	q.fa_key = mn_fa_key;
	send_req(&q);
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_MISSING_CHALLENGE);
	cr_assert(m.challenge.p, "the denial carries a new challenge (RFC 4721 §3.3)");
	cr_assert(m.challenge.p < m.mn_fa.authenticator.p, "before the MN-FA authenticator");
	cr_assert(mn_fa_signed(&m));
}

Test(fa_relay_challenge, advertised_challenge_accepted_once)
{
	uint8_t c[8];
	memcpy(c, advertised(), 8);
	struct rrq q = answering(c);
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "%s", r.why);
	struct reg_msg relayed;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &relayed), REG_OK);
	cr_assert_null(relayed.challenge.p, "answered under MN-FA auth: the agent keeps it (RFC 4721 §3.2)");
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "the same request while pending is a retransmission");
	cr_assert_eq(st.ctr.retransmissions, 1);
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	struct reg_msg m;
	to_mn(&m, 0);
	advance(1);
	q = answering(c);
	send_req(&q);
	to_mn(&m, REG_CODE_FA_STALE_CHALLENGE);
	cr_assert(m.challenge.p);
}

Test(fa_relay_challenge, reply_challenge_answers_the_next_request)
{
	uint8_t c[8];
	memcpy(c, advertised(), 8);
	struct rrq q = answering(c);
	send_req(&q);
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	struct reg_msg m;
	to_mn(&m, 0);
	cr_assert(m.challenge.p, "RFC 4721 §3.3: a new challenge in every reply");
	cr_assert_eq(m.challenge.len, 8);
	uint8_t next[8];
	memcpy(next, m.challenge.p, 8);
	cr_assert_not(challenge_in_window(&st.challenges, next, 8), "given to this node only");
	advance(1);
	q = answering(next);
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "%s", r.why);
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	to_mn(&m, 0);
	advance(1);
	q = answering(next);
	send_req(&q);
	cr_assert_eq(r.code, REG_CODE_FA_STALE_CHALLENGE);
}

Test(fa_relay_challenge, challenge_outside_the_window_is_104)
{
	uint8_t old[8];
	memcpy(old, advertised(), 8);
	cr_assert_eq(challenge_rotate(&st.challenges), 0);
	struct rrq q = answering(old);
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_HA, "window 2: the previous advertisement still counts");
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	cr_assert_eq(challenge_rotate(&st.challenges), 0);
	advance(1);
	q = rrq();
	q.home = "10.1.0.6";
	q.challenge = old;
	q.challenge_len = 8;
	q.mn_aaa = true;
	q.nai = "mn6@home.lab";
	send_req(&q);
	cr_assert_eq(r.code, REG_CODE_FA_UNKNOWN_CHALLENGE, "two advertisements later it is unknown");
	advance(2);
	static const uint8_t made_up[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	q = answering(made_up);
	send_req(&q);
	cr_assert_eq(r.code, REG_CODE_FA_UNKNOWN_CHALLENGE);
	cr_assert_eq(st.ctr.denied[104], 2);
}

Test(fa_relay_challenge, challenge_without_covering_authentication_is_dropped)
{
	/* 10.1.0.6 has no MN-FA association: the challenge needs MN-AAA after it. */
	uint8_t c[8];
	memcpy(c, advertised(), 8);
	struct rrq q = answering(c);
	q.home = "10.1.0.6";
	q.fa_key = NULL;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_DROP, "RFC 4721 §3.2: silently discarded");
	cr_assert_eq(st.ctr.dropped[FA_DROP_CHALLENGE_NO_AUTH], 1);
	q.mn_aaa = true;
	q.nai = "mn6@home.lab";
	send_req(&q);
	cr_assert_eq(r.code, REG_CODE_FA_PROHIBITED, "covered by MN-AAA, which only the AAA can check");
}

/* ---- FA care-of mode with the AAA (RFC 4004, RFC 3957) ---- */

static const uint8_t aaa_mn_fa_key[20] = { 0xaf, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 0xaf };
static const uint8_t aaa_fa_ha_key[20] = { 0xfb, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xfb };
static const uint8_t aaa_wrong_key[20] = { 0x99 };
static const uint8_t aaa_nonce[16] = { 0x4e, 0x4f, 0x4e, 0x43, 0x45, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

static struct rrq aaa_rrq(const char *home)
{
	struct rrq q = rrq();
	q.home = home;
	q.mn_ha = false;
	q.mn_aaa = true;
	q.keyreqs = true;
	q.nai = "btid@bsf.lab";
	return q;
}

/* The AMA for the request last sent: result rc; with code < 128 an RRP signed
 * with the MN-HA key and (fa_ha_key) the FA-HA key of the answer; the keys. */
static struct relay_aaa aaa_answer(uint32_t rc, uint8_t code, const uint8_t *fa_ha_key, bool keys)
{
	struct reg_msg q;
	cr_assert_eq(reg_parse_request(sent, sent_len, &q), REG_OK);
	struct relay_aaa a = { .home_addr = q.home_addr, .ident = q.ident, .answered = true, .result_code = rc,
	                       .msa_lifetime = 900 };
	struct reg_builder b;
	struct reg_reply_fixed f = { .code = code, .lifetime = code < 128 ? 300 : 0, .home_addr = q.home_addr,
	                             .ha_addr = q.ha_addr, .ident = q.ident };
	reg_build_init(&b, a.rrp, sizeof a.rrp);
	reg_build_reply(&b, &f);
	reg_build_nai(&b, q.nai.p, q.nai.len);
	size_t off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, MN_HA_SPI, 16);
	cr_assert(off && auth_sign(ctx, AUTH_HMAC_MD5, mn_ha_key, 16, a.rrp, off) == 0);
	if (fa_ha_key) {
		off = reg_build_auth(&b, REG_EXT_FA_HA_AUTH, AAA_FA_HA_SPI, 20);
		cr_assert(off && auth_sign(ctx, AUTH_HMAC_SHA1, fa_ha_key, 20, a.rrp, off) == 0);
	}
	cr_assert_eq(b.err, REG_OK);
	a.rrp_len = b.len;
	if (keys) {
		a.mn_fa = true;
		a.mn_fa_spi = MN_FA_KEY_SPI;
		memcpy(a.mn_fa_key, aaa_mn_fa_key, 20);
		a.mn_fa_key_len = 20;
		memcpy(a.mn_fa_nonce, aaa_nonce, sizeof aaa_nonce);
		a.mn_fa_nonce_len = sizeof aaa_nonce;
		a.fa_ha = true;
		a.fa_ha_spi = AAA_FA_HA_SPI;
		memcpy(a.fa_ha_key, aaa_fa_ha_key, 20);
		a.fa_ha_key_len = 20;
	}
	return a;
}

static void nothing_installed(void)
{
	cr_assert_null(sa_find(&st.mn_sas, ip(HOME)), "no MN-FA association");
	cr_assert_null(sa_find(&st.ha_sas, ip(HA)), "no FA-HA association");
	cr_assert_null(visitor(), "no visitor");
	cr_assert_null(pending(), "nothing pending");
}

TestSuite(fa_aaa, .init = with_aaa, .fini = stop);

Test(fa_aaa, request_goes_to_the_aaa_with_an_fa_ha_key_request)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_AAA, "%s", r.why);
	cr_assert(r.ask_fa_ha, "no FA-HA association yet: ask for one");
	cr_assert_eq(r.ident, q.ident);
	cr_assert_eq(st.ctr.aaa_requests, 1);
	cr_assert_eq(st.ctr.relayed, 0, "nothing went to the home agent");
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(r.msg, r.len, &m), REG_OK);
	cr_assert(m.mn_aaa.present && m.mn_fa_keyreq.present && m.mn_ha_keyreq.present);
	cr_assert(!m.fa_ha.present, "no FA-HA authenticator on what goes to the AAA");
	cr_assert(pending() && pending()->via_aaa && pending()->fa_key_spi == MN_FA_KEY_SPI && pending()->aaa_spi == 256);

	send_req(&q);
	cr_assert_eq(r.out, RELAY_DROP, "a retransmission while the AMR is out");
	cr_assert_str_eq(r.why, "retransmission-aaa-pending");
	cr_assert_eq(st.ctr.aaa_requests, 1);

	struct rrq q2 = aaa_rrq(HOME2);
	send_req(&q2);
	cr_assert_eq(r.out, RELAY_TO_AAA);
	cr_assert(!r.ask_fa_ha, "one FA-HA key question at a time per home agent");
}

Test(fa_aaa, without_nai_is_70)
{
	struct rrq q = aaa_rrq(HOME);
	q.nai = NULL;
	send_req(&q);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.code, REG_CODE_FA_POORLY_FORMED_REQUEST);
	cr_assert_str_eq(r.why, "aaa-needs-nai");
}

Test(fa_aaa, success_installs_the_keys_and_appends_41)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	struct relay_aaa a = aaa_answer(2001, 0, aaa_fa_ha_key, true);
	relay_aaa_answer(&st, &a, &now, &r);
	struct reg_msg m;
	to_mn(&m, 0);
	cr_assert_str_eq(r.why, "registered-via-aaa");
	cr_assert(m.mn_ha.present, "the home agent's MN-HA authenticator is kept");
	cr_assert(!m.fa_ha.present, "the FA-HA authenticator is the agent's");
	cr_assert(m.mn_fa_keyrep.present, "41 appended");
	cr_assert_eq(m.mn_fa_keyrep.subtype, REG_KEYGEN_FROM_AAA);
	cr_assert_eq(m.mn_fa_keyrep.peer_spi, MN_FA_KEY_SPI);
	cr_assert_eq(m.mn_fa_keyrep.aaa_spi, 256);
	cr_assert_eq(m.mn_fa_keyrep.lifetime, 900);
	cr_assert_eq(m.mn_fa_keyrep.alg, AUTH_HMAC_SHA1);
	cr_assert_eq(m.mn_fa_keyrep.nonce.len, sizeof aaa_nonce);
	cr_assert_arr_eq(m.mn_fa_keyrep.nonce.p, aaa_nonce, sizeof aaa_nonce);
	cr_assert(m.mn_ha.off < m.mn_fa_keyrep.off && m.mn_fa_keyrep.off < m.mn_fa.off, "MN-HA auth, 41, MN-FA auth");
	cr_assert(m.mn_fa.present && m.mn_fa.spi == MN_FA_KEY_SPI &&
	          auth_verify(ctx, AUTH_HMAC_SHA1, aaa_mn_fa_key, 20, &m, &m.mn_fa), "signed with the new MN-FA key");
	const struct sa *mf = sa_find(&st.mn_sas, ip(HOME)), *fh = sa_find(&st.ha_sas, ip(HA));
	cr_assert(mf && mf->spi == MN_FA_KEY_SPI && mf->key_len == 20 && !mf->is_static);
	cr_assert_arr_eq(mf->key, aaa_mn_fa_key, 20);
	cr_assert(fh && fh->spi == AAA_FA_HA_SPI && fh->key_len == 20 && !fh->is_static);
	cr_assert_arr_eq(fh->key, aaa_fa_ha_key, 20);
	uint8_t fp[AUTH_KEY_FP_LEN];
	auth_key_fp(aaa_mn_fa_key, 20, fp);
	cr_assert(r.new_mn_fa && r.new_fa_ha);
	cr_assert_arr_eq(r.mn_fa_fp, fp, AUTH_KEY_FP_LEN);
	cr_assert_not_null(visitor());
	cr_assert_null(pending());
	cr_assert_eq(st.ctr.aaa_outcomes[FA_AAA_SUCCESS], 1);
	cr_assert_eq(st.ctr.mn_fa_keys, 1);
	cr_assert_eq(st.ctr.fa_ha_keys, 1);

	/* Re-registration: MN-HA and MN-FA authentication, straight to the HA. */
	advance(10);
	struct rrq re = rrq();
	re.ident = q.ident + 10;
	re.nai = "btid@bsf.lab";
	re.fa_key = aaa_mn_fa_key;
	re.fa_spi = MN_FA_KEY_SPI;
	re.fa_alg = AUTH_HMAC_SHA1;
	re.fa_key_len = 20;
	send_req(&re);
	cr_assert_eq(r.out, RELAY_TO_HA, "%s", r.why);
	cr_assert_eq(reg_parse_request(r.msg, r.len, &m), REG_OK);
	cr_assert(m.fa_ha.present && m.fa_ha.spi == AAA_FA_HA_SPI &&
	          auth_verify(ctx, AUTH_HMAC_SHA1, aaa_fa_ha_key, 20, &m, &m.fa_ha), "FA-HA with the key from the AAA");
	cr_assert(!m.mn_fa.present, "the MN-FA authenticator is the agent's");

	/* Without the MN-FA authenticator the node is now refused. */
	re.ident += 1;
	re.fa_key = NULL;
	advance(2);
	send_req(&re);
	cr_assert_eq(r.out, RELAY_TO_MN);
	cr_assert_eq(r.code, REG_CODE_FA_MN_AUTH_FAILED);

	/* A node that lost its MN-FA key asks the AAA again with MN-AAA. */
	advance(2);
	struct rrq again = aaa_rrq(HOME);
	again.ident = re.ident + 1;
	send_req(&again);
	cr_assert_eq(r.out, RELAY_TO_AAA, "%s", r.why);
	cr_assert(r.ask_fa_ha, "every AMR asks for a new FA-HA key when no other one does");
	/* The answer carries none (another question won): the reply is taken
	 * without an FA-HA check, the association held stays. */
	a = aaa_answer(2001, 0, NULL, true);
	a.fa_ha = false;
	relay_aaa_answer(&st, &a, &now, &r);
	to_mn(&m, 0);
	cr_assert(sa_find(&st.ha_sas, ip(HA)) && sa_find(&st.ha_sas, ip(HA))->spi == AAA_FA_HA_SPI);

	/* The associations run out with MIP-MSA-Lifetime; a reload keeps them until then. */
	cr_assert_eq(relay_set_sas(&st, &conf), 0);
	cr_assert_not_null(sa_find(&st.mn_sas, ip(HOME)), "a reload keeps the keys from the AAA");
	advance(900);
	relay_expire(&st, &now, NULL, NULL, NULL);
	cr_assert_null(sa_find(&st.mn_sas, ip(HOME)));
	cr_assert_null(sa_find(&st.ha_sas, ip(HA)));
	cr_assert_eq(st.ctr.sas_expired, 2);
}

Test(fa_aaa, home_agent_denial_is_relayed_nothing_installed)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	struct relay_aaa a = aaa_answer(4005, REG_CODE_PROHIBITED, NULL, false);
	relay_aaa_answer(&st, &a, &now, &r);
	struct reg_msg m;
	to_mn(&m, REG_CODE_PROHIBITED);
	cr_assert(m.mn_ha.present, "unchanged through the HA's authenticator");
	cr_assert(!m.mn_fa_keyrep.present);
	nothing_installed();
	cr_assert_eq(st.ctr.aaa_outcomes[FA_AAA_REPLY_FAILURE], 1);
}

Test(fa_aaa, result_codes_map_to_the_agent_codes)
{
	static const struct { uint32_t rc; uint8_t code; enum fa_aaa_outcome o; } cases[] = {
		{ 4001, REG_CODE_FA_MN_AUTH_FAILED, FA_AAA_AUTH_REJECTED },
		{ 4006, REG_CODE_FA_HA_UNREACHABLE, FA_AAA_HA_NOT_AVAILABLE },
		{ 3002, REG_CODE_FA_NO_RESOURCES, FA_AAA_OTHER_ERROR },
		{ 5003, REG_CODE_FA_PROHIBITED, FA_AAA_OTHER_ERROR },
		{ 5012, REG_CODE_FA_UNSPECIFIED, FA_AAA_OTHER_ERROR },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct rrq q = aaa_rrq(HOME);
		q.ident += i;
		advance(2); /* one denial a second per node */
		send_req(&q);
		cr_assert_eq(r.out, RELAY_TO_AAA);
		struct relay_aaa a = aaa_answer(cases[i].rc, 0, NULL, false);
		a.rrp_len = 0;
		uint64_t before = st.ctr.aaa_outcomes[cases[i].o];
		relay_aaa_answer(&st, &a, &now, &r);
		struct reg_msg m;
		to_mn(&m, cases[i].code);
		cr_assert_eq(m.ident, q.ident);
		cr_assert_eq(st.ctr.aaa_outcomes[cases[i].o], before + 1, "result %u", cases[i].rc);
		nothing_installed();
	}
}

Test(fa_aaa, silent_aaa_is_78)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	struct relay_aaa a = aaa_answer(0, 0, NULL, false);
	a.answered = false;
	relay_aaa_answer(&st, &a, &now, &r);
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_TIMEOUT);
	nothing_installed();
	cr_assert_eq(st.ctr.aaa_outcomes[FA_AAA_TIMEOUT], 1);
	/* The FA-HA question is answered too: the next request may ask again. */
	advance(2);
	q.ident += 5;
	send_req(&q);
	cr_assert(r.out == RELAY_TO_AAA && r.ask_fa_ha);
}

Test(fa_aaa, unusable_success_installs_nothing)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	struct relay_aaa a = aaa_answer(2001, 0, aaa_wrong_key, true);
	relay_aaa_answer(&st, &a, &now, &r);
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_HA_AUTH_FAILED);
	nothing_installed();

	advance(2);
	q.ident += 1;
	send_req(&q);
	a = aaa_answer(2001, 0, aaa_fa_ha_key, true);
	a.mn_fa = false;
	relay_aaa_answer(&st, &a, &now, &r);
	to_mn(&m, REG_CODE_FA_UNSPECIFIED);
	cr_assert_str_eq(r.why, "aaa-answer-without-mn-fa-key");
	nothing_installed();

	advance(2);
	q.ident += 1;
	send_req(&q);
	a = aaa_answer(2001, 0, aaa_fa_ha_key, true);
	a.rrp_len = 0;
	relay_aaa_answer(&st, &a, &now, &r);
	to_mn(&m, REG_CODE_FA_UNSPECIFIED);
	nothing_installed();
	cr_assert_eq(st.ctr.aaa_outcomes[FA_AAA_UNUSABLE], 3);
}

Test(fa_aaa, answers_that_match_nothing_are_dropped)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	struct relay_aaa a = aaa_answer(2001, 0, aaa_fa_ha_key, true);
	a.ident += 1;
	relay_aaa_answer(&st, &a, &now, &r);
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.aaa_outcomes[FA_AAA_UNMATCHED], 1);
	/* Nor does the home agent answer over UDP what went to the AAA. */
	reply(&(struct rrp){ .code = 0, .lifetime = 300 });
	cr_assert_eq(r.out, RELAY_DROP);
	cr_assert_eq(st.ctr.replies_dropped[FA_RDROP_UNMATCHED], 1);
	cr_assert_not_null(pending(), "still waiting for the AAA");
	cr_assert_null(sa_find(&st.mn_sas, ip(HOME)));
}

Test(fa_aaa, unsent_amr_is_66)
{
	struct rrq q = aaa_rrq(HOME);
	send_req(&q);
	relay_aaa_unsent(&st, ip(HOME), q.ident, &now, &r);
	struct reg_msg m;
	to_mn(&m, REG_CODE_FA_NO_RESOURCES);
	cr_assert_eq(st.ctr.aaa_send_errors, 1);
	nothing_installed();
}
