/*
 * amrclient: a Diameter Mobile IPv4 client for tests and benchmarks of the AAA.
 * It embeds libfdcore, connects to the AAA named in its freeDiameter config,
 * builds Registration Requests with libmip4 (the MN side: Ks_NAF derived from a
 * bootstrap store entry and the NAF_Id, or a static MN-AAA secret), wraps them in
 * AMRs, well-formed or deliberately broken, and prints one line per answer:
 *
 *   amr seq=3 case=valid nai=... rc=2001 err="-" failed=- mn_ha_msa=1 ha_mn_msa=1 ...
 *
 * keys are never printed: keyfp is the first 4 octets of SHA-256(key), keymatch
 * says whether the MIP-Session-Key equals the MN-HA key the MN derives from the
 * nonce.  With -q only the summary line (rate, latency percentiles) is printed.
 */
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "dict/dict_zn.h"
#include "lib/auth.h"
#include "lib/bootstrap.h"
#include "lib/gba.h"
#include "lib/keygen.h"
#include "lib/reg.h"
#include "lib/replay.h"

#define AMRC_UNKNOWN_AVP_CODE 65001 /* defined only in this client's dictionary */

enum amrc_case {
	C_VALID, C_WRONG_KEY, C_NO_KEYREQ, C_MISSING_REG_REQUEST, C_MISSING_USER_NAME,
	C_MISSING_AUTH_MEMBER, C_BAD_OFFSETS, C_BAD_SPI, C_USER_NAME_MISMATCH, C_UNKNOWN_MBIT_AVP,
	C_GARBAGE_RRQ, C_TRUNCATED_RRQ, C_NO_MN_AAA, C_HUGE_RRQ, C_FA_MODE, C_FA_WRONG_KEY, C__COUNT
};

static const char *const amrc_case_names[C__COUNT] = {
	"valid", "wrong-key", "no-keyreq", "missing-reg-request", "missing-user-name",
	"missing-auth-member", "bad-offsets", "bad-spi", "user-name-mismatch", "unknown-mbit-avp",
	"garbage-rrq", "truncated-rrq", "no-mn-aaa", "huge-rrq", "fa-mode", "fa-wrong-key",
};

struct amrc_ident {
	char nai[GBA_BTID_MAX + 1];
	uint8_t key[64];
	size_t keylen;
};

static struct {
	const char *fdconf, *realm, *host, *peer;
	struct amrc_ident *ids;
	size_t n_ids;
	enum amrc_case cases[64];
	size_t n_cases;
	unsigned long count, window;
	unsigned timeout_ms, peer_wait_s;
	uint32_t spi, mn_spi, home_addr, ha_addr, coa;
	bool quiet, debug, address_request;
	struct dict_base db;
	struct dict_mip4 dm;
	struct dict_object *unknown_avp;
} o = { .count = 1, .window = 1, .timeout_ms = 10000, .peer_wait_s = 30, .spi = 768, .mn_spi = 4096,
      .coa = 0x0100007f };

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long in_flight, answered, timeouts, ok, rc_other;
	double *lat_ms;
	size_t n_lat;
} st = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static atomic_int amrc_connects;
static pthread_mutex_t amrc_out = PTHREAD_MUTEX_INITIALIZER;

/* One AMR in flight: what the MN side knows, to check the answer. */
struct amrc_req {
	unsigned long seq;
	enum amrc_case c;
	const struct amrc_ident *id;
	uint8_t rrq[2048];
	size_t rrq_len;
	uint8_t challenge[8];       /* fa-mode: the FA challenge answered (RFC 4721) */
	struct timespec sent;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: amrclient -c FDCONF -r REALM -p PEER (--store FILE --naf-fqdn FQDN [--ua-id HEX] [--btid B-TID | --all]\n"
		"                 | --nai NAI (--secret S | --secret-hex HEX)) [options]\n"
		"\n"
		"Sends AA-Mobile-Node-Requests (RFC 4004) built from Registration Requests to the AAA\n"
		"and prints one line per answer (keys only as fingerprints).\n"
		"\n"
		"  -c, --fd-conf FILE     freeDiameter configuration of this client (ConnectPeer to the AAA)\n"
		"  -r, --realm REALM      Destination-Realm\n"
		"  -H, --host HOST        Destination-Host (optional)\n"
		"  -p, --peer ID          Diameter identity of the AAA peer: wait until it is open\n"
		"      --store FILE       lab bootstrap store (B-TID IMPI RAND Ks expiry): the MN side\n"
		"      --btid B-TID       the entry to use (default: the first); --all cycles every entry\n"
		"      --naf-fqdn FQDN    NAF FQDN for Ks_NAF; --ua-id HEX the Ua id (default ff00000001)\n"
		"      --nai NAI          static NAI; --secret S or --secret-hex HEX its MN-AAA secret\n"
		"      --spi N            MN-AAA SPI (default 768; 2 = CHAP_SPI)\n"
		"      --mn-spi N         MN SPI in the MN-HA KeyGen Request (default 4096)\n"
		"      --home-addr A      RRQ home address (default 0.0.0.0: ask for one)\n"
		"      --ha-addr A        RRQ home agent address (default 0.0.0.0)\n"
		"      --address-request  set Mobile-Node-Home-Address-Requested even with a home address\n"
		"  -C, --case LIST        comma-separated cases, sent in order, each -n times (default valid):\n"
		"                         valid wrong-key no-keyreq missing-reg-request missing-user-name\n"
		"                         missing-auth-member bad-offsets bad-spi user-name-mismatch\n"
		"                         unknown-mbit-avp garbage-rrq truncated-rrq no-mn-aaa huge-rrq\n"
		"                         fa-mode (as a foreign agent sends it: care-of address --coa, an FA\n"
		"                         challenge, MN-HA and MN-FA KeyGen Requests, FA-HA key requested; the\n"
		"                         answer's MIP-Reg-Reply and keys are checked as the MN and the FA would)\n"
		"      --coa A            fa-mode: the foreign agent's care-of address (default 127.0.0.1);\n"
		"                         the MN-FA KeyGen Request asks for SPI --mn-spi + 1\n"
		"                         fa-wrong-key (fa-mode with a wrong MN-AAA authenticator)\n"
		"  -n, --count N          requests per case (default 1)\n"
		"  -w, --window N         requests in flight at most (default 1)\n"
		"  -t, --timeout-ms N     per-request answer timeout (default 10000)\n"
		"  -q, --quiet            summary only\n"
		"  -d, --debug            freeDiameter log on stderr\n"
		"\n"
		"Summary line: sent answered ok timeouts elapsed rate(req/s) p50 p90 p99 max (ms) connections.\n"
		"Exit status: 0 when every request got an answer, 1 otherwise, 2 on usage errors.\n");
}

static void amrc_fd_log(int level, const char *fmt, va_list ap)
{
	if (!o.debug && level < FD_LOG_ERROR)
		return;
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void amrc_hook_connect(enum fd_hook_type t, struct msg *m, struct peer_hdr *p, void *other,
                              struct fd_hook_permsgdata *pmd, void *reg)
{
	(void)t; (void)m; (void)p; (void)other; (void)pmd; (void)reg;
	atomic_fetch_add(&amrc_connects, 1);
}

static void amrc_hook_quiet(enum fd_hook_type t, struct msg *m, struct peer_hdr *p, void *other,
                            struct fd_hook_permsgdata *pmd, void *reg)
{
	(void)t; (void)m; (void)p; (void)other; (void)pmd; (void)reg;
}

static void amrc_fp(const uint8_t *k, size_t len, char out[9])
{
	uint8_t d[32];
	unsigned dl = 0;
	EVP_Digest(k, len, d, &dl, EVP_sha256(), NULL);
	snprintf(out, 9, "%02x%02x%02x%02x", d[0], d[1], d[2], d[3]);
}

/* ---- building ---- */

static int amrc_build_rrq(struct auth_ctx *ctx, struct amrc_req *r)
{
	struct reg_builder b;
	reg_build_init(&b, r->rrq, sizeof(r->rrq));
	bool fa = r->c == C_FA_MODE || r->c == C_FA_WRONG_KEY;
	struct reg_request_fixed f = { .flags = fa ? 0 : REG_FLAG_D, .lifetime = 600, .home_addr = o.home_addr,
		                       .ha_addr = o.ha_addr, .coa = fa ? o.coa : htonl(0x7f000001),
		                       .ident = replay_ntp_now() };
	reg_build_request(&b, &f);
	reg_build_nai(&b, (const uint8_t *)r->id->nai, strlen(r->id->nai));
	if (r->c != C_NO_KEYREQ)
		reg_build_keyreq(&b, REG_EXT_MN_HA_KEYREQ, o.mn_spi);
	if (fa) {
		reg_build_keyreq(&b, REG_EXT_MN_FA_KEYREQ, o.mn_spi + 1);
		RAND_bytes(r->challenge, sizeof(r->challenge));
		reg_build_challenge(&b, r->challenge, sizeof(r->challenge));
	}
	if (r->c == C_NO_MN_AAA) {
		r->rrq_len = b.len;
		return b.err == REG_OK ? 0 : -1;
	}
	size_t off = reg_build_auth(&b, REG_EXT_GEN_AUTH, o.spi, 16);
	if (b.err != REG_OK || off == 0)
		return -1;
	uint8_t key[64];
	memcpy(key, r->id->key, r->id->keylen);
	if (r->c == C_WRONG_KEY || r->c == C_FA_WRONG_KEY)
		key[0] ^= 0x01;
	int rc = auth_mn_aaa_sign(ctx, o.spi, key, r->id->keylen, r->rrq, off, fa ? r->challenge : NULL,
	                          fa ? sizeof(r->challenge) : 0);
	OPENSSL_cleanse(key, sizeof(key));
	r->rrq_len = b.len;
	if (r->c == C_GARBAGE_RRQ)
		RAND_bytes(r->rrq, (int)r->rrq_len);
	if (r->c == C_TRUNCATED_RRQ)
		r->rrq_len = 20;
	return rc;
}

static struct msg *amrc_build_amr(struct amrc_req *r)
{
	struct msg *m = NULL;
	const char *nai = r->id->nai;
	size_t auth_off = r->rrq_len >= 16 ? r->rrq_len - 16 : 0;
	uint8_t huge[4096];
	if (fd_msg_new(o.dm.cmd_amr, MSGFL_ALLOC_ETEID, &m) ||
	    fd_msg_new_session(m, (os0_t)"amrclient", 9) ||
	    dict_avp_add_u32(m, o.db.auth_application_id, MIP4_APP_ID) || fd_msg_add_origin(m, 0) ||
	    dict_avp_add_os(m, o.db.destination_realm, o.realm, strlen(o.realm)) ||
	    (o.host && dict_avp_add_os(m, o.db.destination_host, o.host, strlen(o.host))))
		goto fail;
	if (r->c != C_MISSING_USER_NAME) {
		const char *un = r->c == C_USER_NAME_MISMATCH ? "someone-else@elsewhere.lab" : nai;
		if (dict_avp_add_os(m, o.db.user_name, un, strlen(un)))
			goto fail;
	}
	if (r->c == C_HUGE_RRQ) {
		memset(huge, 0xa5, sizeof(huge));
		huge[0] = REG_TYPE_RRQ;
		if (dict_avp_add_os(m, o.dm.mip_reg_request, huge, sizeof(huge)))
			goto fail;
	} else if (r->c != C_MISSING_REG_REQUEST && dict_avp_add_os(m, o.dm.mip_reg_request, r->rrq, r->rrq_len)) {
		goto fail;
	}
	struct avp *g = NULL;
	uint32_t in_len = (uint32_t)auth_off, off = (uint32_t)auth_off, spi = o.spi;
	if (r->c == C_BAD_OFFSETS)
		off = in_len + 3;
	if (r->c == C_BAD_SPI)
		spi = o.spi + 1;
	if (fd_msg_avp_new(o.dm.mip_mn_aaa_auth, 0, &g) || dict_avp_add_u32(g, o.dm.mip_mn_aaa_spi, spi) ||
	    dict_avp_add_u32(g, o.dm.mip_auth_input_data_length, in_len) ||
	    dict_avp_add_u32(g, o.dm.mip_authenticator_length, 16) ||
	    (r->c != C_MISSING_AUTH_MEMBER && dict_avp_add_u32(g, o.dm.mip_authenticator_offset, off)) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g))
		goto fail;
	bool fa = r->c == C_FA_MODE || r->c == C_FA_WRONG_KEY;
	uint32_t fv = fa ? MIP4_FV_MN_FA_KEY_REQUEST | MIP4_FV_FA_HA_KEY_REQUEST : MIP4_FV_CO_LOCATED_MOBILE_NODE;
	if (fa && dict_avp_add_os(m, o.dm.mip_fa_challenge, r->challenge, sizeof(r->challenge)))
		goto fail;
	if (r->c != C_NO_KEYREQ)
		fv |= MIP4_FV_MN_HA_KEY_REQUEST;
	if (o.home_addr == 0 || o.address_request)
		fv |= MIP4_FV_MN_HOME_ADDRESS_REQUESTED;
	if (dict_avp_add_u32(m, o.dm.mip_feature_vector, fv))
		goto fail;
	if (r->c == C_UNKNOWN_MBIT_AVP && dict_avp_add_os(m, o.unknown_avp, "x", 1))
		goto fail;
	return m;
fail:
	if (m)
		fd_msg_free(m);
	return NULL;
}

/* ---- answers ---- */

static union avp_value *amrc_val(msg_or_avp *parent, struct dict_object *model)
{
	struct avp_hdr *h = dict_avp_hdr(parent, model);
	return h ? h->avp_value : NULL;
}

static void amrc_addr(union avp_value *v, char *out, size_t cap)
{
	if (!v || v->os.len != 6 || v->os.data[0] != 0 || v->os.data[1] != 1) {
		snprintf(out, cap, "-");
		return;
	}
	inet_ntop(AF_INET, v->os.data + 2, out, (socklen_t)cap);
}

static double amrc_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void amrc_done(struct amrc_req *r, bool timeout, uint32_t rc)
{
	double ms = amrc_ms_since(&r->sent);
	pthread_mutex_lock(&st.lock);
	st.in_flight--;
	if (timeout) {
		st.timeouts++;
	} else {
		st.answered++;
		st.lat_ms[st.n_lat++] = ms;
		if (rc == 2001)
			st.ok++;
		else
			st.rc_other++;
	}
	pthread_cond_broadcast(&st.cond);
	pthread_mutex_unlock(&st.lock);
	OPENSSL_cleanse(r, sizeof(*r));
	free(r);
}

/* fa-mode: what the MN and the FA check in the answer.  The reply must verify
 * with the MN-HA key the MN derives from its KeyGen Reply (RFC 3957 §5) and
 * with the FA-HA key of MIP-FA-to-HA-MSA; the MN-FA key of MIP-FA-to-MN-MSA
 * must be the one the MN derives from MIP-MN-to-FA-MSA's nonce. */
static void amrc_fa_checks(const struct amrc_req *r, struct msg *a, char *out, size_t cap)
{
	char code[8] = "-", mnha[4] = "-", faha[4] = "-", mnfa[4] = "-";
	union avp_value *rrp = amrc_val(a, o.dm.mip_reg_reply);
	struct avp *mnfa_g = dict_avp_find(a, o.dm.mip_mn_to_fa_msa), *famn_g = dict_avp_find(a, o.dm.mip_fa_to_mn_msa);
	struct avp *faha_g = dict_avp_find(a, o.dm.mip_fa_to_ha_msa);
	union avp_value *fa_nonce = mnfa_g ? amrc_val(mnfa_g, o.dm.mip_nonce) : NULL;
	union avp_value *fa_key = famn_g ? amrc_val(famn_g, o.dm.mip_session_key) : NULL;
	union avp_value *fa_spi = famn_g ? amrc_val(famn_g, o.dm.mip_fa_to_mn_spi) : NULL;
	union avp_value *fh_key = faha_g ? amrc_val(faha_g, o.dm.mip_session_key) : NULL;
	union avp_value *fh_spi = faha_g ? amrc_val(faha_g, o.dm.mip_fa_to_ha_spi) : NULL;
	struct auth_ctx *ctx = auth_ctx_new();
	uint8_t k[KEYGEN_KEY_LEN];
	struct reg_msg m;
	if (ctx && rrp && reg_parse_reply(rrp->os.data, rrp->os.len, &m) == REG_OK) {
		snprintf(code, sizeof(code), "%u", m.code);
		if (m.mn_ha_keyrep.present && m.mn_ha.present) {
			bool ok = keygen_derive(ctx, r->id->key, r->id->keylen, m.mn_ha_keyrep.nonce.p, m.mn_ha_keyrep.nonce.len,
			                        (const uint8_t *)r->id->nai, strlen(r->id->nai), k) == 0 &&
			          m.mn_ha.spi == o.mn_spi && auth_verify(ctx, AUTH_HMAC_SHA1, k, sizeof(k), &m, &m.mn_ha);
			snprintf(mnha, sizeof(mnha), "%s", ok ? "yes" : "no");
		}
		if (fh_key && m.fa_ha.present)
			snprintf(faha, sizeof(faha), "%s",
			         fh_spi && m.fa_ha.spi == fh_spi->u32 &&
			                 auth_verify(ctx, AUTH_HMAC_SHA1, fh_key->os.data, fh_key->os.len, &m, &m.fa_ha)
			             ? "yes" : "no");
	}
	if (ctx && fa_nonce && fa_key) {
		bool same = fa_key->os.len == KEYGEN_KEY_LEN && fa_spi && fa_spi->u32 == o.mn_spi + 1 &&
		            keygen_derive(ctx, r->id->key, r->id->keylen, fa_nonce->os.data, fa_nonce->os.len,
		                          (const uint8_t *)r->id->nai, strlen(r->id->nai), k) == 0 &&
		            CRYPTO_memcmp(k, fa_key->os.data, KEYGEN_KEY_LEN) == 0;
		snprintf(mnfa, sizeof(mnfa), "%s", same ? "yes" : "no");
	}
	OPENSSL_cleanse(k, sizeof(k));
	auth_ctx_free(ctx);
	snprintf(out, cap, " rrp_code=%s rrp_mn_ha=%s rrp_fa_ha=%s mn_fa_key=%s fa_ha_msa=%d", code, mnha, faha, mnfa,
	         faha_g != NULL);
}

static void amrc_answer(void *data, struct msg **ans)
{
	struct amrc_req *r = data;
	struct msg *a = *ans;
	uint32_t rc = 0;
	union avp_value *v = amrc_val(a, o.db.result_code);
	if (v)
		rc = v->u32;
	if (!o.quiet) {
		char line[1400], err[300] = "-", failed[16] = "-", mn[INET_ADDRSTRLEN] = "-",
		                 ha[INET_ADDRSTRLEN] = "-", fp[9] = "-", keymatch[8] = "-";
		struct msg_hdr *mh = NULL;
		fd_msg_hdr(a, &mh);
		if ((v = amrc_val(a, o.db.error_message)))
			snprintf(err, sizeof(err), "%.*s", (int)v->os.len, v->os.data);
		struct avp *fa = dict_avp_find(a, o.db.failed_avp), *c = NULL;
		if (fa && fd_msg_browse(fa, MSG_BRW_FIRST_CHILD, &c, NULL) == 0 && c) {
			struct avp_hdr *h = NULL;
			if (fd_msg_avp_hdr(c, &h) == 0)
				snprintf(failed, sizeof(failed), "%u", h->avp_code);
		}
		struct avp *mnha = dict_avp_find(a, o.dm.mip_mn_to_ha_msa), *hamn = dict_avp_find(a, o.dm.mip_ha_to_mn_msa);
		union avp_value *nonce = mnha ? amrc_val(mnha, o.dm.mip_nonce) : NULL;
		union avp_value *spi = mnha ? amrc_val(mnha, o.dm.mip_mn_ha_spi) : NULL;
		union avp_value *alg1 = mnha ? amrc_val(mnha, o.dm.mip_algorithm_type) : NULL;
		union avp_value *rep1 = mnha ? amrc_val(mnha, o.dm.mip_replay_mode) : NULL;
		union avp_value *key = hamn ? amrc_val(hamn, o.dm.mip_session_key) : NULL;
		union avp_value *alg2 = hamn ? amrc_val(hamn, o.dm.mip_algorithm_type) : NULL;
		union avp_value *rep2 = hamn ? amrc_val(hamn, o.dm.mip_replay_mode) : NULL;
		union avp_value *msal = amrc_val(a, o.dm.mip_msa_lifetime);
		union avp_value *authl = amrc_val(a, o.db.authorization_lifetime);
		union avp_value *ass = amrc_val(a, o.db.auth_session_state);
		union avp_value *aai = amrc_val(a, o.db.auth_application_id);
		amrc_addr(amrc_val(a, o.dm.mip_mobile_node_address), mn, sizeof(mn));
		amrc_addr(amrc_val(a, o.dm.mip_home_agent_address), ha, sizeof(ha));
		if (key) {
			amrc_fp(key->os.data, key->os.len, fp);
			/* The MN's side of RFC 3957 §5: the key it derives from the nonce. */
			struct auth_ctx *ctx = auth_ctx_new();
			uint8_t k[KEYGEN_KEY_LEN];
			bool same = ctx && nonce && key->os.len == KEYGEN_KEY_LEN &&
			            keygen_derive(ctx, r->id->key, r->id->keylen, nonce->os.data, nonce->os.len,
			                          (const uint8_t *)r->id->nai, strlen(r->id->nai), k) == 0 &&
			            CRYPTO_memcmp(k, key->os.data, KEYGEN_KEY_LEN) == 0;
			OPENSSL_cleanse(k, sizeof(k));
			auth_ctx_free(ctx);
			snprintf(keymatch, sizeof(keymatch), "%s", same ? "yes" : "no");
		}
		char s_spi[16] = "-", s_msa[16] = "-", s_auth[16] = "-", fachk[160] = "";
		if (r->c == C_FA_MODE || r->c == C_FA_WRONG_KEY)
			amrc_fa_checks(r, a, fachk, sizeof(fachk));
		if (spi)
			snprintf(s_spi, sizeof(s_spi), "%u", spi->u32);
		if (msal)
			snprintf(s_msa, sizeof(s_msa), "%u", msal->u32);
		if (authl)
			snprintf(s_auth, sizeof(s_auth), "%u", authl->u32);
		snprintf(line, sizeof(line),
		         "amr seq=%lu case=%s nai=%s rc=%u ebit=%d err=\"%s\" failed=%s auth_app=%s "
		         "mn_ha_msa=%d ha_mn_msa=%d alg=%d/%d replay=%d/%d mn_ha_spi=%s nonce_len=%zu keylen=%zu "
		         "keyfp=%s keymatch=%s msa_life=%s auth_life=%s session_state=%s mnaddr=%s haaddr=%s "
		         "reg_reply=%d%s latency_ms=%.3f",
		         r->seq, amrc_case_names[r->c], r->id->nai, rc,
		         mh && (mh->msg_flags & CMD_FLAG_ERROR) ? 1 : 0, err, failed,
		         aai ? (aai->u32 == MIP4_APP_ID ? "2" : "other") : "-", mnha != NULL, hamn != NULL,
		         alg1 ? alg1->i32 : -1, alg2 ? alg2->i32 : -1, rep1 ? rep1->i32 : -1,
		         rep2 ? rep2->i32 : -1, s_spi, nonce ? nonce->os.len : 0, key ? key->os.len : 0, fp,
		         keymatch, s_msa, s_auth,
		         ass ? (ass->i32 == 1 ? "NO_STATE_MAINTAINED" : "other") : "-", mn, ha,
		         dict_avp_find(a, o.dm.mip_reg_reply) != NULL, fachk, amrc_ms_since(&r->sent));
		pthread_mutex_lock(&amrc_out);
		puts(line);
		fflush(stdout);
		pthread_mutex_unlock(&amrc_out);
	}
	fd_msg_free(a);
	*ans = NULL;
	amrc_done(r, false, rc);
}

static void amrc_expired(void *data, DiamId_t to, size_t tolen, struct msg **req)
{
	(void)to; (void)tolen; (void)req;
	struct amrc_req *r = data;
	if (!o.quiet) {
		pthread_mutex_lock(&amrc_out);
		printf("amr seq=%lu case=%s nai=%s rc=timeout\n", r->seq, amrc_case_names[r->c], r->id->nai);
		fflush(stdout);
		pthread_mutex_unlock(&amrc_out);
	}
	amrc_done(r, true, 0);
}

/* ---- setup ---- */

static bool amrc_parse_cases(const char *list)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", list);
	char *save = NULL;
	o.n_cases = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < C__COUNT && strcmp(t, amrc_case_names[i]) != 0; i++)
			;
		if (i == C__COUNT || o.n_cases == sizeof(o.cases) / sizeof(o.cases[0])) {
			fprintf(stderr, "amrclient: unknown case '%s'\n", t);
			return false;
		}
		o.cases[o.n_cases++] = (enum amrc_case)i;
	}
	return o.n_cases > 0;
}

static long amrc_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (long)(n / 2);
}

static int amrc_load_gba(const char *store, const char *btid, bool all, const char *fqdn, const char *ua_hex)
{
	struct bootstrap_store s;
	size_t line = 0;
	enum bootstrap_err e = bootstrap_load(store, &s, &line);
	if (e != BOOTSTRAP_OK) {
		fprintf(stderr, "amrclient: %s:%zu: %s\n", store, line, bootstrap_err_str(e));
		return -1;
	}
	uint8_t ua[GBA_UA_ID_LEN], naf_id[GBA_NAF_ID_MAX];
	size_t naf_len;
	if (!gba_ua_id_parse(ua_hex, ua) || !(naf_len = gba_naf_id(fqdn, ua, naf_id, sizeof(naf_id)))) {
		fprintf(stderr, "amrclient: bad --naf-fqdn or --ua-id\n");
		bootstrap_free(&s);
		return -1;
	}
	o.ids = calloc(s.n ? s.n : 1, sizeof(*o.ids));
	struct auth_ctx *ctx = auth_ctx_new();
	for (size_t i = 0; o.ids && ctx && i < s.n; i++) {
		const struct bootstrap_entry *b = &s.e[i];
		if (!all && btid ? strcmp(b->btid, btid) != 0 : (!all && o.n_ids == 1))
			continue;
		struct amrc_ident *id = &o.ids[o.n_ids++];
		snprintf(id->nai, sizeof(id->nai), "%s", b->btid);
		id->keylen = GBA_KS_NAF_LEN;
		gba_ks_naf(ctx, b->ks, b->rand, b->impi, strlen(b->impi), naf_id, naf_len, false, id->key);
	}
	auth_ctx_free(ctx);
	bootstrap_free(&s);
	if (o.n_ids == 0) {
		fprintf(stderr, "amrclient: %s: no entry%s%s\n", store, btid ? " for " : "", btid ? btid : "");
		return -1;
	}
	return 0;
}

static int amrc_wait_peer(void)
{
	struct peer_hdr *p = NULL;
	for (unsigned i = 0; i < o.peer_wait_s * 20; i++) {
		if (!p)
			fd_peer_getbyid((DiamId_t)o.peer, strlen(o.peer), 1, &p);
		if (p && fd_peer_get_state(p) == STATE_OPEN)
			return 0;
		usleep(50000);
	}
	fprintf(stderr, "amrclient: peer %s not open after %u s\n", o.peer, o.peer_wait_s);
	return -1;
}

static int amrc_dict_unknown(void)
{
	struct dict_avp_data d = { .avp_code = AMRC_UNKNOWN_AVP_CODE, .avp_vendor = 0,
		                   .avp_name = "AMRClient-Test-Unknown", .avp_flag_mask = AVP_FLAG_MANDATORY,
		                   .avp_flag_val = AVP_FLAG_MANDATORY, .avp_basetype = AVP_TYPE_OCTETSTRING };
	return fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, &o.unknown_avp);
}

static int amrc_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double amrc_pct(double p)
{
	if (st.n_lat == 0)
		return 0;
	size_t i = (size_t)(p * (double)(st.n_lat - 1) + 0.5);
	return st.lat_ms[i];
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "fd-conf", 1, NULL, 'c' }, { "realm", 1, NULL, 'r' }, { "host", 1, NULL, 'H' },
		{ "peer", 1, NULL, 'p' }, { "case", 1, NULL, 'C' }, { "count", 1, NULL, 'n' },
		{ "window", 1, NULL, 'w' }, { "timeout-ms", 1, NULL, 't' }, { "quiet", 0, NULL, 'q' },
		{ "debug", 0, NULL, 'd' }, { "help", 0, NULL, 'h' }, { "store", 1, NULL, 1 },
		{ "btid", 1, NULL, 2 }, { "all", 0, NULL, 3 }, { "naf-fqdn", 1, NULL, 4 },
		{ "ua-id", 1, NULL, 5 }, { "nai", 1, NULL, 6 }, { "secret", 1, NULL, 7 },
		{ "secret-hex", 1, NULL, 8 }, { "spi", 1, NULL, 9 }, { "mn-spi", 1, NULL, 10 },
		{ "home-addr", 1, NULL, 11 }, { "ha-addr", 1, NULL, 12 }, { "address-request", 0, NULL, 13 },
		{ "coa", 1, NULL, 14 },
		{ NULL, 0, NULL, 0 }
	};
	const char *store = NULL, *btid = NULL, *fqdn = NULL, *ua = "ff00000001", *nai = NULL,
	           *secret = NULL, *secret_hex = NULL;
	bool all = false;
	int ch;
	o.cases[0] = C_VALID;
	o.n_cases = 1;
	while ((ch = getopt_long(argc, argv, "c:r:H:p:C:n:w:t:qdh", lo, NULL)) != -1) {
		struct in_addr ia;
		switch (ch) {
		case 'c': o.fdconf = optarg; break;
		case 'r': o.realm = optarg; break;
		case 'H': o.host = optarg; break;
		case 'p': o.peer = optarg; break;
		case 'C': if (!amrc_parse_cases(optarg)) return 2; break;
		case 'n': o.count = strtoul(optarg, NULL, 0); break;
		case 'w': o.window = strtoul(optarg, NULL, 0); break;
		case 't': o.timeout_ms = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'q': o.quiet = true; break;
		case 'd': o.debug = true; break;
		case 'h': usage(stdout); return 0;
		case 1: store = optarg; break;
		case 2: btid = optarg; break;
		case 3: all = true; break;
		case 4: fqdn = optarg; break;
		case 5: ua = optarg; break;
		case 6: nai = optarg; break;
		case 7: secret = optarg; break;
		case 8: secret_hex = optarg; break;
		case 9: o.spi = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 10: o.mn_spi = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 11:
		case 12:
		case 14:
			if (inet_pton(AF_INET, optarg, &ia) != 1) {
				fprintf(stderr, "amrclient: '%s' is not an IPv4 address\n", optarg);
				return 2;
			}
			*(ch == 11 ? &o.home_addr : ch == 12 ? &o.ha_addr : &o.coa) = ia.s_addr;
			break;
		case 13: o.address_request = true; break;
		default: usage(stderr); return 2;
		}
	}
	if (!o.fdconf || !o.realm || !o.peer || o.count == 0 || o.window == 0 || (!store == !nai)) {
		usage(stderr);
		return 2;
	}
	if (store) {
		if (!fqdn) {
			fprintf(stderr, "amrclient: --store needs --naf-fqdn\n");
			return 2;
		}
		if (amrc_load_gba(store, btid, all, fqdn, ua) != 0)
			return 2;
	} else {
		o.ids = calloc(1, sizeof(*o.ids));
		o.n_ids = 1;
		snprintf(o.ids->nai, sizeof(o.ids->nai), "%s", nai);
		long l = secret_hex ? amrc_hex(secret_hex, o.ids->key, sizeof(o.ids->key))
		         : secret && strlen(secret) <= sizeof(o.ids->key) ? (long)strlen(secret) : -1;
		if (l <= 0) {
			fprintf(stderr, "amrclient: --nai needs --secret (up to 64 characters) or --secret-hex\n");
			return 2;
		}
		if (secret && !secret_hex)
			memcpy(o.ids->key, secret, (size_t)l);
		o.ids->keylen = (size_t)l;
	}
	unsigned long total = o.count * o.n_cases;
	st.lat_ms = calloc(total, sizeof(double));
	if (!st.lat_ms)
		return 2;

	sigset_t all_sigs;
	sigfillset(&all_sigs);
	pthread_sigmask(SIG_BLOCK, &all_sigs, NULL);
	fd_log_handler_register(amrc_fd_log);
	struct fd_hook_hdl *h1 = NULL, *h2 = NULL;
	if (fd_core_initialize() || dict_mip4_register() || dict_zn_register() ||
	    fd_core_parseconf(o.fdconf) || dict_base_resolve(&o.db) || dict_mip4_resolve(&o.dm) ||
	    amrc_dict_unknown() || fd_disp_app_support(o.dm.app, NULL, 1, 0) ||
	    fd_hook_register(HOOK_MASK(HOOK_PEER_CONNECT_SUCCESS), amrc_hook_connect, NULL, NULL, &h1) ||
	    fd_hook_register(HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL, HOOK_MESSAGE_SENT,
	                               HOOK_MESSAGE_ROUTING_FORWARD, HOOK_MESSAGE_ROUTING_LOCAL),
	                     amrc_hook_quiet, NULL, NULL, &h2) ||
	    fd_core_start() || fd_core_waitstartcomplete()) {
		fprintf(stderr, "amrclient: freeDiameter initialisation failed (config %s)\n", o.fdconf);
		return 2;
	}
	int status = 1;
	if (amrc_wait_peer() != 0)
		goto out;

	struct auth_ctx *ctx = auth_ctx_new();
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long seq = 0;
	for (size_t ci = 0; ci < o.n_cases; ci++) {
		for (unsigned long k = 0; k < o.count; k++, seq++) {
			pthread_mutex_lock(&st.lock);
			while (st.in_flight >= o.window)
				pthread_cond_wait(&st.cond, &st.lock);
			st.in_flight++;
			pthread_mutex_unlock(&st.lock);
			struct amrc_req *r = calloc(1, sizeof(*r));
			struct msg *m = NULL;
			if (r) {
				r->seq = seq;
				r->c = o.cases[ci];
				r->id = &o.ids[seq % o.n_ids];
			}
			if (!r || amrc_build_rrq(ctx, r) != 0 || !(m = amrc_build_amr(r))) {
				fprintf(stderr, "amrclient: cannot build request %lu\n", seq);
				free(r);
				goto out;
			}
			struct timespec dl;
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += o.timeout_ms / 1000;
			dl.tv_nsec += (long)(o.timeout_ms % 1000) * 1000000L;
			if (dl.tv_nsec >= 1000000000L) {
				dl.tv_sec++;
				dl.tv_nsec -= 1000000000L;
			}
			clock_gettime(CLOCK_MONOTONIC, &r->sent);
			if (fd_msg_send_timeout(&m, amrc_answer, r, amrc_expired, &dl) != 0) {
				fprintf(stderr, "amrclient: fd_msg_send failed for request %lu\n", seq);
				goto out;
			}
		}
	}
	pthread_mutex_lock(&st.lock);
	while (st.in_flight > 0)
		pthread_cond_wait(&st.cond, &st.lock);
	pthread_mutex_unlock(&st.lock);
	double secs = amrc_ms_since(&t0) / 1e3;
	auth_ctx_free(ctx);
	qsort(st.lat_ms, st.n_lat, sizeof(double), amrc_cmp);
	struct peer_hdr *p = NULL;
	fd_peer_getbyid((DiamId_t)o.peer, strlen(o.peer), 1, &p);
	printf("summary sent=%lu answered=%lu ok=%lu other=%lu timeouts=%lu elapsed_s=%.3f rate=%.1f "
	       "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f connections=%d peer_open=%d\n",
	       total, st.answered, st.ok, st.rc_other, st.timeouts, secs, secs > 0 ? (double)st.answered / secs : 0,
	       amrc_pct(0.50), amrc_pct(0.90), amrc_pct(0.99), amrc_pct(1.0), atomic_load(&amrc_connects),
	       p && fd_peer_get_state(p) == STATE_OPEN);
	fflush(stdout);
	status = st.timeouts == 0 && st.answered == total ? 0 : 1;
out:
	fd_core_shutdown();
	fd_core_wait_shutdown_complete();
	for (size_t i = 0; i < o.n_ids; i++)
		OPENSSL_cleanse(o.ids[i].key, sizeof(o.ids[i].key));
	free(o.ids);
	free(st.lat_ms);
	return status;
}
