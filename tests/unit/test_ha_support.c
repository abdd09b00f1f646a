#include "tests/unit/test_ha_support.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "lib/replay.h"

const uint8_t t_key[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                            0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
const uint8_t t_aaa_key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
const uint8_t t_fa_key[16] = { 0xfa, 0xfa, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xfa, 0xfa };

uint32_t t_ip(const char *s)
{
	struct in_addr a;
	cr_assert(inet_pton(AF_INET, s, &a) == 1);
	return a.s_addr;
}

void t_ha_init(struct t_ha *h, uint32_t max_pending)
{
	memset(h, 0, sizeof *h);
	h->conf.address = t_ip(T_HA);
	h->conf.port = 434;
	h->conf.nets[0].addr = t_ip("10.1.0.0");
	h->conf.nets[0].mask = htonl(0xffff0000u);
	h->conf.n_nets = 1;
	h->conf.max_lifetime = 600;
	h->conf.replay_window = 7;
	h->conf.max_bindings = 1000;
	h->conf.max_pending = max_pending;
	h->conf.dia.enabled = true;
	h->now.sec = 1000;
	h->now.ntp = (uint64_t)(1700000000ULL + REPLAY_NTP_UNIX_OFFSET) << 32;
	h->now.mono.tv_sec = 1000;
	cr_assert(binding_table_init(&h->bindings, 1000, h->now.sec) == 0);
	cr_assert(sa_table_init(&h->sas, 1000, h->now.sec) == 0);
	cr_assert(sa_table_init(&h->fa_sas, 16, h->now.sec) == 0);
	cr_assert(pending_init(&h->pending, max_pending) == 0);
	h->st = (struct reg_state){ .conf = &h->conf, .bindings = &h->bindings, .sas = &h->sas,
	                            .fa_sas = &h->fa_sas, .pending = &h->pending, .ctr = &h->ctr, .auth = auth_ctx_new(), .aaa_enabled = true,
	                            .describe = true };
	cr_assert(h->st.auth);
	struct sa_params p = { .spi = T_SPI, .alg = AUTH_HMAC_MD5, .replay = 2, .key = t_key, .key_len = 16,
	                       .is_static = true };
	cr_assert(sa_install(&h->sas, t_ip(T_HOME), &p));
	struct sa_params fp = { .spi = T_FA_SPI, .alg = AUTH_HMAC_MD5, .key = t_fa_key, .key_len = 16, .is_static = true };
	cr_assert(sa_install(&h->fa_sas, t_ip(T_FA), &fp));
	h->src.sin_family = AF_INET;
	h->src.sin_port = htons(40000);
	h->src.sin_addr.s_addr = t_ip(T_COA);
}

void t_ha_fini(struct t_ha *h)
{
	pending_destroy(&h->pending);
	sa_table_destroy(&h->fa_sas);
	sa_table_destroy(&h->sas);
	binding_table_destroy(&h->bindings);
	auth_ctx_free(h->st.auth);
}

void t_ha_advance(struct t_ha *h, uint32_t seconds)
{
	h->now.sec += seconds;
	h->now.mono.tv_sec += seconds;
	h->now.ntp += (uint64_t)seconds << 32;
}

struct t_rrq t_rrq_default(const struct t_ha *h)
{
	return (struct t_rrq){
		.lifetime = 300, .home = T_HOME, .ha = T_HA, .coa = T_COA, .ident = h->now.ntp + 1,
		.mn_ha = true, .spi = T_SPI, .alg = AUTH_HMAC_MD5, .key = t_key, .key_len = 16,
		.mn_spi = 4242, .aaa_spi = 256,
	};
}

size_t t_rrq_build(const struct t_rrq *q, uint8_t *buf, size_t cap)
{
	struct reg_builder b;
	struct reg_request_fixed f = { .flags = q->flags, .lifetime = q->lifetime, .home_addr = t_ip(q->home),
	                               .ha_addr = t_ip(q->ha), .coa = t_ip(q->coa), .ident = q->ident };
	reg_build_init(&b, buf, cap);
	reg_build_request(&b, &f);
	if (q->nai)
		reg_build_nai(&b, (const uint8_t *)q->nai, strlen(q->nai));
	struct auth_ctx *ctx = auth_ctx_new();
	size_t off = 0;
	if (q->keygen) {
		reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, q->mn_spi);
		/* RFC 4721 §3.1: the challenge precedes the MN-AAA authenticator. */
		if (q->challenge)
			reg_build_challenge(&b, q->challenge, q->challenge_len);
		off = reg_build_auth(&b, REG_EXT_GEN_AUTH, q->aaa_spi, 16);
		cr_assert(b.err == REG_OK && off);
		cr_assert(auth_mn_aaa_sign(ctx, q->aaa_spi, t_aaa_key, sizeof t_aaa_key, buf, off, q->challenge,
		                           q->challenge_len) == 0);
	} else if (q->mn_ha) {
		off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, q->spi, auth_alg_len(q->alg));
		cr_assert(b.err == REG_OK && off);
		cr_assert(auth_sign(ctx, q->alg, q->key, q->key_len, buf, off) == 0);
	}
	if (q->challenge && !q->keygen)
		reg_build_challenge(&b, q->challenge, q->challenge_len);
	if (q->fa_key) {
		off = reg_build_auth(&b, REG_EXT_FA_HA_AUTH, T_FA_SPI, 16);
		cr_assert(b.err == REG_OK && off);
		cr_assert(auth_sign(ctx, AUTH_HMAC_MD5, q->fa_key, 16, buf, off) == 0);
	}
	auth_ctx_free(ctx);
	cr_assert(b.err == REG_OK);
	return b.len;
}

void t_send(struct t_ha *h, const struct t_rrq *q)
{
	uint8_t buf[1024];
	size_t n = t_rrq_build(q, buf, sizeof buf);
	reg_process_request(&h->st, buf, n, &h->src, &h->now, &h->r);
}

bool t_reply_parse(const struct t_ha *h, struct reg_msg *m)
{
	cr_assert_eq(h->r.out, REG_OUT_REPLY, "expected a reply, got outcome %d (%s)", h->r.out, h->r.why);
	enum reg_err e = reg_parse_reply(h->r.reply, h->r.reply_len, m);
	cr_assert_eq(e, REG_OK, "our reply does not parse: %s", reg_err_str(e));
	return true;
}

bool t_reply_signed_by(const struct t_ha *h, enum auth_alg alg, const uint8_t *key, size_t key_len)
{
	struct reg_msg m;
	t_reply_parse(h, &m);
	if (!m.mn_ha.present)
		return false;
	struct auth_ctx *ctx = auth_ctx_new();
	bool ok = auth_verify(ctx, alg, key, key_len, &m, &m.mn_ha);
	auth_ctx_free(ctx);
	return ok;
}
