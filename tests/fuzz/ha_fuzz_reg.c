/*
 * libFuzzer target: mip4-ha's registration decisions on arbitrary datagrams.
 * Each input is one request (with a static SA in place, AAA and method 2
 * enabled); when it turns into an AMR or a Zn lookup, an answer chosen by the
 * input's last octet is applied at once.  Invariants: a reply parses as an RRP
 * with the request's low 32 bits of Identification, the tables stay within
 * their bounds, and no key survives in the answer struct.
 * Not named fuzz_*.c: lib/module.mk builds those with the library sources only.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/reg.h"
#include "lib/replay.h"
#include "mip4-ha/reg_process.h"
#include "mip4-ha/reg_zn.h"

/* The one function of conf.c the decisions use (conf.c itself needs libconfuse). */
bool conf_in_home_net(const struct conf *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n_nets; i++)
		if ((addr & c->nets[i].mask) == c->nets[i].addr)
			return true;
	return false;
}

static struct conf conf;
static struct binding_table bt;
static struct sa_table st;
static struct pending_table pt;
static struct counters ctr;
static struct reg_state rs;
static struct reg_now now;
static struct reg_result res;

static void fuzz_init(void)
{
	static const uint8_t key[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	                                 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	conf.address = inet_addr("127.0.0.1");
	conf.nets[0].addr = inet_addr("10.0.0.0");
	conf.nets[0].mask = htonl(0xff000000u);
	conf.n_nets = 1;
	conf.max_lifetime = 600;
	conf.replay_window = 7;
	conf.max_bindings = 256;
	conf.max_pending = 8;
	conf.zn.enabled = true;
	conf.zn.spi = 33822;
	now.sec = 10;
	now.ntp = (uint64_t)(1700000000ULL + REPLAY_NTP_UNIX_OFFSET) << 32;
	if (binding_table_init(&bt, 256, now.sec) || sa_table_init(&st, 256, now.sec) || pending_init(&pt, 8))
		abort();
	rs = (struct reg_state){ .conf = &conf, .bindings = &bt, .sas = &st, .pending = &pt, .ctr = &ctr,
	                         .auth = auth_ctx_new(), .aaa_enabled = true, .describe = true };
	struct sa_params p = { .spi = 300, .alg = AUTH_HMAC_MD5, .replay = 2, .key = key, .key_len = 16, .is_static = true };
	if (!rs.auth || !sa_install(&st, inet_addr("10.1.0.5"), &p))
		abort();
}

static void check_reply(const uint8_t *req, size_t len)
{
	if (res.out != REG_OUT_REPLY)
		return;
	struct reg_msg m;
	if (reg_parse_reply(res.reply, res.reply_len, &m) != REG_OK)
		abort();
	if (len >= REG_RRQ_FIXED_LEN && req[0] == REG_TYPE_RRQ) {
		uint32_t lo = (uint32_t)req[20] << 24 | (uint32_t)req[21] << 16 | (uint32_t)req[22] << 8 | req[23];
		if ((uint32_t)m.ident != lo)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rs.auth)
		fuzz_init();
	now.sec++;
	now.ntp += (uint64_t)1 << 32;
	now.mono.tv_sec = now.sec;
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(434) };
	reg_process_request(&rs, data, size, &src, &now, &res);
	check_reply(data, size);
	if (res.out == REG_OUT_ZN) {
		/* Ks_NAF of the seed ha-zn-first (the first Ks_NAF vector), another key,
		 * a refusal or no answer; owners and expiries vary. */
		static const uint8_t ks[32] = { 0xc4, 0xcd, 0xf5, 0xf1, 0x1d, 0x1d, 0xad, 0x98, 0x12, 0xff, 0x7b,
		                                0xd3, 0x5c, 0x21, 0x31, 0x63, 0xfd, 0xd0, 0x91, 0x77, 0x2e, 0x02,
		                                0x54, 0x97, 0x24, 0xe5, 0xfe, 0x92, 0xce, 0xfc, 0x7d, 0x87 };
		uint8_t how = size ? data[size - 1] : 0;
		struct zn_answer z = { .status = how % 4 == 0 ? ZN_UNAVAILABLE : how % 4 == 1 ? ZN_REJECT : ZN_KEY };
		memcpy(z.ks_naf, ks, sizeof ks);
		z.ks_naf[0] ^= (how & 0x04) ? 1 : 0;
		z.expiry = (int64_t)(now.ntp >> 32) - (int64_t)REPLAY_NTP_UNIX_OFFSET + (how >> 4) - 2;
		snprintf(z.impi, sizeof z.impi, "mn%u@ims", (unsigned)(how & 0x08));
		struct aaa_answer a;
		reg_zn_outcome(&a, res.pending->id, &z, &now.mono);
		reg_process_answer(&rs, &a, &now, &res);
		for (size_t i = 0; i < sizeof a.key; i++)
			if (a.key[i])
				abort();
		check_reply(data, size);
	}
	if (res.out == REG_OUT_AMR) {
		uint8_t how = size ? data[size - 1] : 0;
		struct aaa_answer a = { .pending_id = res.pending->id };
		a.status = how % 4 == 0 ? AAA_TIMED_OUT : how % 4 == 1 ? AAA_FAILED : AAA_ANSWERED;
		a.result_code = how % 4 == 2 ? 4001 : 2001;
		a.has_key = a.has_nonce = (how & 0x10) != 0;
		a.key_len = 20;
		memset(a.key, 0x5a, a.key_len);
		a.nonce_len = 16 + (how >> 5);
		a.alg = 2;
		a.has_mn_addr = (how & 0x08) != 0;
		a.mn_addr = htonl(0x0a000000u | how);
		a.has_msa_lifetime = true;
		a.msa_lifetime = how;
		reg_process_answer(&rs, &a, &now, &res);
		for (size_t i = 0; i < sizeof a.key; i++)
			if (a.key[i])
				abort();
		if (res.out == REG_OUT_REPLY) {
			struct reg_msg m;
			if (reg_parse_reply(res.reply, res.reply_len, &m) != REG_OK)
				abort();
		}
	}
	if (pt.inflight > pt.max_inflight || bt.tab.count > bt.tab.max || st.tab.count > st.tab.max)
		abort();
	binding_expire(&bt, now.sec, NULL, NULL);
	sa_expire(&st, now.sec, NULL, NULL);
	pending_expire(&pt, now.sec);
	return 0;
}
