/* The mobile node's Ub client (see ub.h). */
#include "mip4-mn/ub.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "lib/akadigest.h"
#include "lib/bsfxml.h"
#include "lib/digest.h"
#include "lib/digest_hdr.h"
#include "lib/keyfile.h"
#include "mip4-mn/say.h"

#define UB_MAX_ROUNDS 4

/* One bootstrap's state. */
struct ub_run {
	const struct mn_ub_conf *c;
	struct mn_ub_result *r;
	struct httpc *h;
	struct httpc_response resp;
	char authz[DIGEST_HDR_MAX + 32];
	char err[256];
};

static int ub_fail(struct ub_run *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ub_fail(struct ub_run *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->r->detail, sizeof u->r->detail, fmt, ap);
	va_end(ap);
	if (u->c->verbose)
		mn_say("Ub: %s: bootstrap failed", u->r->detail);
	return -1;
}

/* Send GET with the Authorization header built from p; the response in u->resp. */
static int ub_send(struct ub_run *u, const struct digest_params *p)
{
	size_t n = (size_t)snprintf(u->authz, sizeof u->authz, "Authorization: ");
	if (digest_hdr_format(p, DIGEST_HDR_CREDENTIALS, u->authz + n, sizeof u->authz - n) == 0)
		return ub_fail(u, "cannot write the Authorization header");
	const char *hdrs[] = { u->authz, "User-Agent: mip4-mn/" MIP4_VERSION " 3gpp-gba", "Accept: */*", NULL };
	if (u->c->verbose)
		mn_say("Ub -> BSF: GET %s, %s", u->c->url.path, u->authz);
	if (httpc_request(u->h, "GET", u->c->url.path, hdrs, NULL, 0, &u->resp, u->err, sizeof u->err) != 0)
		return ub_fail(u, "BSF %s:%s: %s", u->c->url.host, u->c->url.port, u->err);
	u->r->status = u->resp.status;
	if (u->c->verbose) {
		const char *www = httpc_header(&u->resp, "WWW-Authenticate");
		const char *info = httpc_header(&u->resp, "Authentication-Info");
		mn_say("Ub <- BSF: %d%s%s%s%s", u->resp.status, www ? ", WWW-Authenticate: " : "", www ? www : "",
		       info ? ", Authentication-Info: " : "", info ? info : "");
	}
	return 0;
}

/* The failure the BSF gave, with the one line of its text body. */
static int ub_refused(struct ub_run *u)
{
	char line[160];
	size_t n = strcspn((const char *)u->resp.body, "\r\n");
	snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), (const char *)u->resp.body);
	return ub_fail(u, "BSF answered %d%s%s", u->resp.status, n ? ": " : "", line);
}

static void ub_cnonce(char out[17])
{
	uint8_t b[8];
	if (RAND_bytes(b, sizeof b) != 1)
		memset(b, 0x5a, sizeof b);
	keyfile_hex_out(b, sizeof b, out);
	out[16] = '\0';
}

/* After a 200: rspauth over the body with RES, then the document. */
static int ub_success(struct ub_run *u, struct subscriber *s, const struct digest_params *sent,
                      const uint8_t res[AKA_RES_LEN], const uint8_t rand[AKA_RAND_LEN], const uint8_t ck[16],
                      const uint8_t ik[16])
{
	struct digest_params info;
	const char *ai = httpc_header(&u->resp, "Authentication-Info");
	const char *ct = httpc_header(&u->resp, "Content-Type");
	if (!ai || httpc_header_count(&u->resp, "Authentication-Info") != 1 ||
	    digest_hdr_parse(ai, strlen(ai), DIGEST_HDR_INFO, &info) != DIGEST_HDR_OK || !digest_get(&info, DIGEST_RSPAUTH))
		return ub_fail(u, "200 without a readable Authentication-Info rspauth: the BSF is not authenticated");
	const char *q = digest_get(&info, DIGEST_QOP), *nc = digest_get(&info, DIGEST_NC),
		   *cn = digest_get(&info, DIGEST_CNONCE);
	if ((q && strcmp(q, "auth-int") != 0) || (nc && strcmp(nc, digest_get(sent, DIGEST_NC)) != 0) ||
	    (cn && strcmp(cn, digest_get(sent, DIGEST_CNONCE)) != 0))
		return ub_fail(u, "Authentication-Info does not echo our qop, nc and cnonce");
	struct digest_input in = {
		.username = s->impi, .realm = digest_get(sent, DIGEST_REALM), .password = res,
		.password_len = AKA_RES_LEN, .nonce = digest_get(sent, DIGEST_NONCE), .nc = digest_get(sent, DIGEST_NC),
		.cnonce = digest_get(sent, DIGEST_CNONCE), .qop = DIGEST_QOP_AUTH_INT, .method = "",
		.uri = digest_get(sent, DIGEST_URI), .body = u->resp.body, .body_len = u->resp.body_len,
	};
	const char *rsp = digest_get(&info, DIGEST_RSPAUTH);
	if (!digest_check(&in, rsp, strlen(rsp)))
		return ub_fail(u, "rspauth wrong: the answer does not come from a BSF that knows XRES");
	if (!ct || strncasecmp(ct, BSFXML_MEDIA_TYPE, strlen(BSFXML_MEDIA_TYPE)) != 0)
		return ub_fail(u, "200 with Content-Type '%s', not %s", ct ? ct : "", BSFXML_MEDIA_TYPE);
	struct bsfxml_info bi;
	enum bsfxml_err xe = bsfxml_read((const char *)u->resp.body, u->resp.body_len, &bi);
	if (xe != BSFXML_OK)
		return ub_fail(u, "BootstrappingInfo unreadable (%s)", bsfxml_err_str(xe));
	uint8_t brand[GBA_RAND_LEN];
	if (!gba_btid_parse(bi.btid, strlen(bi.btid), brand, NULL, NULL))
		return ub_fail(u, "B-TID '%s' is not base64(RAND)@domain", bi.btid);
	if (memcmp(brand, rand, GBA_RAND_LEN) != 0)
		return ub_fail(u, "B-TID '%s' names another RAND than the challenge's", bi.btid);
	if (!bi.has_lifetime)
		return ub_fail(u, "BootstrappingInfo without a lifetime");
	struct bootstrap_entry *e = &u->r->boot;
	snprintf(e->btid, sizeof e->btid, "%s", bi.btid);
	snprintf(e->impi, sizeof e->impi, "%s", s->impi);
	memcpy(e->rand, rand, GBA_RAND_LEN);
	memcpy(e->ks, ck, 16);
	memcpy(e->ks + 16, ik, 16);
	e->expiry = bi.lifetime;
	snprintf(u->r->detail, sizeof u->r->detail, "ok");
	if (u->c->verbose)
		mn_say("Ub: rspauth verified; B-TID %s, key lifetime until %lld (Unix); Ks = CK || IK (never shown)",
		       e->btid, (long long)e->expiry);
	return 0;
}

static int ub_exchange(struct ub_run *u, struct subscriber_file *f, struct subscriber *s)
{
	struct digest_params p;
	memset(&p, 0, sizeof p);
	if (!digest_set(&p, DIGEST_USERNAME, s->impi) || !digest_set(&p, DIGEST_REALM, u->c->realm) ||
	    !digest_set(&p, DIGEST_NONCE, "") || !digest_set(&p, DIGEST_URI, u->c->url.path) ||
	    !digest_set(&p, DIGEST_RESPONSE, ""))
		return ub_fail(u, "IMPI, realm or path not fit for a header");
	if (ub_send(u, &p) != 0)
		return -1;
	for (unsigned round = 0;; round++) {
		if (u->resp.status != 401)
			return ub_refused(u);
		if (round == UB_MAX_ROUNDS)
			return ub_fail(u, "%u challenges without success", round);
		u->r->challenges++;
		struct digest_params ch;
		const char *www = httpc_header(&u->resp, "WWW-Authenticate");
		if (!www || httpc_header_count(&u->resp, "WWW-Authenticate") != 1 ||
		    digest_hdr_parse(www, strlen(www), DIGEST_HDR_CHALLENGE, &ch) != DIGEST_HDR_OK)
			return ub_fail(u, "401 without one readable Digest challenge");
		const char *alg = digest_get(&ch, DIGEST_ALGORITHM), *qop = digest_get(&ch, DIGEST_QOP),
			   *realm = digest_get(&ch, DIGEST_REALM), *nonce = digest_get(&ch, DIGEST_NONCE),
			   *stale = digest_get(&ch, DIGEST_STALE);
		if (!alg || strcasecmp(alg, AKADIGEST_ALGORITHM) != 0)
			return ub_fail(u, "challenge algorithm is not AKAv1-MD5");
		if (!qop || !strstr(qop, "auth-int"))
			return ub_fail(u, "challenge does not offer qop auth-int");
		if (!realm || strcmp(realm, u->c->realm) != 0)
			return ub_fail(u, "challenge for realm '%s', not '%s'", realm ? realm : "", u->c->realm);
		uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], res[AKA_RES_LEN], ck[16], ik[16], auts[AKA_AUTS_LEN];
		if (!nonce || !akadigest_nonce_parse(nonce, strlen(nonce), rand, autn))
			return ub_fail(u, "nonce is not base64(RAND || AUTN || ...)");
		if (stale && strcasecmp(stale, "TRUE") == 0)
			u->r->stale++;
		if (round == 0 && u->c->answer_delay_ms)
			usleep(u->c->answer_delay_ms * 1000u);
		uint64_t sqn = 0;
		enum aka_result ar = aka_usim_run(s->k, s->opc, &s->usim, rand, autn, res, ck, ik, auts, &sqn);
		char cnonce[17];
		ub_cnonce(cnonce);
		struct digest_params a;
		memset(&a, 0, sizeof a);
		bool ok = digest_set(&a, DIGEST_USERNAME, s->impi) && digest_set(&a, DIGEST_REALM, realm) &&
		          digest_set(&a, DIGEST_NONCE, nonce) && digest_set(&a, DIGEST_URI, u->c->url.path) &&
		          digest_set(&a, DIGEST_ALGORITHM, AKADIGEST_ALGORITHM) && digest_set(&a, DIGEST_QOP, "auth-int") &&
		          digest_set(&a, DIGEST_NC, "00000001") && digest_set(&a, DIGEST_CNONCE, cnonce) &&
		          (!digest_get(&ch, DIGEST_OPAQUE) || digest_set(&a, DIGEST_OPAQUE, digest_get(&ch, DIGEST_OPAQUE)));
		struct digest_input in = {
			.username = s->impi, .realm = realm, .nonce = nonce, .nc = "00000001", .cnonce = cnonce,
			.qop = DIGEST_QOP_AUTH_INT, .method = "GET", .uri = u->c->url.path,
		};
		char response[DIGEST_HEX_LEN + 1], auts64[AKADIGEST_AUTS_B64_LEN + 1];
		int rc = -1;
		switch (ar) {
		case AKA_OK:
			/* The USIM keeps the SQN before it answers. */
			if (subscriber_store(f, s) != 0) {
				rc = ub_fail(u, "cannot record the USIM's SQN in %s: %s", f->path, strerror(errno));
				break;
			}
			if (u->c->verbose)
				mn_say("Ub: USIM: AUTN verified (MAC-A), SQN %012llx (SEQ %llu, IND %u) fresh and recorded; "
				       "RES, CK, IK computed",
				       (unsigned long long)sqn, (unsigned long long)aka_sqn_seq(sqn), aka_sqn_ind(sqn));
			in.password = res;
			in.password_len = AKA_RES_LEN;
			if (!ok || digest_response(&in, response) != 0 || !digest_set(&a, DIGEST_RESPONSE, response)) {
				rc = ub_fail(u, "cannot write the response");
				break;
			}
			if (ub_send(u, &a) != 0)
				break;
			if (u->resp.status == 200) {
				rc = ub_success(u, s, &a, res, rand, ck, ik);
				break;
			}
			rc = 1;
			break;
		case AKA_SYNC_FAILURE:
			u->r->resyncs++;
			if (u->c->verbose)
				mn_say("Ub: USIM: AUTN verified but SQN not fresh (SQN_MS %012llx): synchronisation failure, "
				       "AUTS sent",
				       (unsigned long long)aka_usim_sqn_ms(&s->usim));
			if (!ok || digest_response(&in, response) != 0 || !digest_set(&a, DIGEST_RESPONSE, response) ||
			    akadigest_auts_encode(auts, auts64, sizeof auts64) == 0 || !digest_set(&a, DIGEST_AUTS, auts64)) {
				rc = ub_fail(u, "cannot write the auts answer");
				break;
			}
			rc = ub_send(u, &a) == 0 ? 1 : -1;
			break;
		case AKA_MAC_FAILURE:
			u->r->mac_failure = true;
			if (u->c->verbose)
				mn_say("Ub: USIM: MAC-A wrong: the network failed authentication; answering with the "
				       "empty password");
			if (ok && digest_response(&in, response) == 0 && digest_set(&a, DIGEST_RESPONSE, response))
				ub_send(u, &a);
			rc = ub_fail(u, "network authentication failed (AUTN's MAC-A is wrong: another K/OP than the "
			                "HSS's?)");
			break;
		case AKA_ERROR:
			rc = ub_fail(u, "USIM computation failed");
			break;
		}
		OPENSSL_cleanse(res, sizeof res);
		OPENSSL_cleanse(ck, sizeof ck);
		OPENSSL_cleanse(ik, sizeof ik);
		OPENSSL_cleanse(response, sizeof response);
		if (rc <= 0)
			return rc;
	}
}

int mn_ub_bootstrap(const struct mn_ub_conf *c, struct subscriber_file *f, struct subscriber *s,
                    struct mn_ub_result *r)
{
	struct ub_run *u = calloc(1, sizeof *u);
	struct timespec t0, t1;
	memset(r, 0, sizeof *r);
	if (!u) {
		snprintf(r->detail, sizeof r->detail, "out of memory");
		return -1;
	}
	u->c = c;
	u->r = r;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	u->h = httpc_open(&c->url, c->address, c->ca_file, c->timeout_ms, u->err, sizeof u->err);
	int rc = u->h ? ub_exchange(u, f, s) : ub_fail(u, "BSF %s:%s: %s", c->url.host, c->url.port, u->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	httpc_close(u->h);
	OPENSSL_cleanse(u, sizeof *u);
	free(u);
	if (rc != 0)
		OPENSSL_cleanse(&r->boot, sizeof r->boot);
	return rc == 0 ? 0 : -1;
}
