/* The lab BSF's Ub server (see bsf_ub.h). */
#include "gba-lab/bsf_ub.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "gba-lab/bsf_chal.h"
#include "lib/akadigest.h"
#include "lib/bsfxml.h"
#include "lib/digest.h"
#include "lib/digest_hdr.h"

/* Header fields past UB_MAX_HEADERS octets are answered 431 (RFC 6585 §5) by
 * us; libevent reads up to UB_READ_HEADERS so that we see them, and answers a
 * request with more than that 400 itself (it has no 431). */
#define UB_MAX_HEADERS 8192
#define UB_READ_HEADERS 65536
#define UB_MAX_BODY 4096
#define UB_IDLE_TIMEOUT 30
#define UB_RETRY_AFTER "5"

/* A request waiting for the HSS.  Owned by the loop; the list (under ub.lock)
 * lets the Zh callback, on a freeDiameter thread, hand the answer back. */
struct ub_pending {
	struct ub_pending *prev, *next;
	struct evhttp_request *req;
	unsigned long n;
	char impi[SUBSCRIBER_IMPI_MAX + 1];
	char peer[64];
	bool stale;
	const char *why;
	struct bsf_zh_answer ans;
};

static struct {
	struct bsf_ub_conf conf;
	struct bsf_btable *sessions;
	struct bsf_chal_table *chal;
	struct event_base *base;
	struct evhttp *http;
	struct event *stop_ev, *tick_ev;
	SSL_CTX *ssl;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	bool stopping;
	struct ub_pending *pending;
	size_t n_pending;
	unsigned long requests;
	atomic_ulong bootstraps;
} ub = { .lock = PTHREAD_MUTEX_INITIALIZER };

static double ub_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The facts of one request, for its log line. */
struct ub_req {
	struct evhttp_request *req;
	unsigned long n;
	char peer[64];
	const char *impi;
};

static void ub_peer(struct evhttp_request *req, char *out, size_t cap)
{
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	char *addr = NULL;
	ev_uint16_t port = 0;
	if (c)
		evhttp_connection_get_peer(c, &addr, &port);
	snprintf(out, cap, "%s:%u", addr ? addr : "?", port);
}

static const char *ub_reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	default: return "Service Unavailable";
	}
}

/* Answer with code, a one-line text body saying why, and log it.  Returns 0
 * so that request handlers can end with it. */
static int ub_reply(const struct ub_req *r, int code, const char *why)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(r->req);
	struct evbuffer *body = evbuffer_new();
	evhttp_add_header(out, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (code == 405)
		evhttp_add_header(out, "Allow", "GET, POST");
	if (code == 503)
		evhttp_add_header(out, "Retry-After", UB_RETRY_AFTER);
	if (body)
		evbuffer_add_printf(body, "%d %s: %s\n", code, ub_reason(code), why);
	evhttp_send_reply(r->req, code, ub_reason(code), body);
	if (body)
		evbuffer_free(body);
	fd_log_notice("bsf_lab: Ub #%lu %s IMPI %s: %d (%s)", r->n, r->peer, r->impi ? r->impi : "-", code, why);
	return 0;
}

/* 401 with a new challenge for vector v. */
static void ub_challenge(const struct ub_req *r, const struct aka_vector *v, bool stale, const char *why)
{
	struct bsf_chal c;
	struct digest_params p;
	char hdr[1024];
	if (!bsf_chal_add(ub.chal, r->impi, v, ub_now(), &c)) {
		ub_reply(r, 503, "too many outstanding challenges");
		return;
	}
	memset(&p, 0, sizeof p);
	bool ok = digest_set(&p, DIGEST_REALM, ub.conf.realm) && digest_set(&p, DIGEST_NONCE, c.nonce) &&
	          digest_set(&p, DIGEST_ALGORITHM, AKADIGEST_ALGORITHM) && digest_set(&p, DIGEST_QOP, "auth-int") &&
	          digest_set(&p, DIGEST_OPAQUE, c.opaque) && (!stale || digest_set(&p, DIGEST_STALE, "TRUE")) &&
	          digest_hdr_format(&p, DIGEST_HDR_CHALLENGE, hdr, sizeof hdr) > 0;
	OPENSSL_cleanse(&c, sizeof c);
	if (!ok) {
		ub_reply(r, 500, "cannot write the challenge");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(r->req), "WWW-Authenticate", hdr);
	char msg[160];
	snprintf(msg, sizeof msg, "%s: challenge sent%s", why, stale ? " with stale=TRUE" : "");
	ub_reply(r, 401, msg);
}

/* ---- the HSS's answers, back in the loop ---- */

static void ub_unlink(struct ub_pending *p)
{
	pthread_mutex_lock(&ub.lock);
	if (p->prev)
		p->prev->next = p->next;
	else
		ub.pending = p->next;
	if (p->next)
		p->next->prev = p->prev;
	ub.n_pending--;
	pthread_mutex_unlock(&ub.lock);
}

static void ub_zh_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct ub_pending *p = arg;
	struct ub_req r = { .req = p->req, .n = p->n, .impi = p->impi };
	char why[200];
	snprintf(r.peer, sizeof r.peer, "%s", p->peer);
	ub_unlink(p);
	switch (p->ans.status) {
	case BSF_ZH_VECTOR:
		ub_challenge(&r, &p->ans.v, p->stale, p->why);
		break;
	case BSF_ZH_USER_UNKNOWN:
		snprintf(why, sizeof why, "%s: unknown IMPI (%s)", p->why, p->ans.detail);
		ub_reply(&r, 403, why);
		break;
	case BSF_ZH_UNAVAILABLE:
		snprintf(why, sizeof why, "%s: HSS unavailable (%s)", p->why, p->ans.detail);
		ub_reply(&r, 503, why);
		break;
	case BSF_ZH_REFUSED:
		snprintf(why, sizeof why, "%s: HSS refused (%s)", p->why, p->ans.detail);
		ub_reply(&r, 500, why);
		break;
	}
	OPENSSL_clear_free(p, sizeof *p);
}

/* On a freeDiameter thread. */
static void ub_zh_cb(const struct bsf_zh_answer *a, void *arg)
{
	struct ub_pending *p = arg;
	struct timeval now = { 0, 0 };
	pthread_mutex_lock(&ub.lock);
	if (!ub.stopping) {
		p->ans = *a;
		if (event_base_once(ub.base, -1, EV_TIMEOUT, ub_zh_done, p, &now) != 0)
			fd_log_error("bsf_lab: Ub #%lu: cannot hand the HSS's answer to the HTTP loop", p->n);
	}
	pthread_mutex_unlock(&ub.lock);
}

/* Ask the HSS for a vector (rand_auts: resynchronisation), answer 401 when it
 * comes. */
static int ub_fetch_vector(const struct ub_req *r, const uint8_t *rand_auts, bool stale, const char *why)
{
	if (ub.n_pending >= ub.conf.max_pending)
		return ub_reply(r, 503, "too many requests waiting for the HSS");
	struct ub_pending *p = calloc(1, sizeof *p);
	if (!p)
		return ub_reply(r, 500, "out of memory");
	p->req = r->req;
	p->n = r->n;
	p->stale = stale;
	p->why = why;
	snprintf(p->impi, sizeof p->impi, "%s", r->impi);
	snprintf(p->peer, sizeof p->peer, "%s", r->peer);
	pthread_mutex_lock(&ub.lock);
	p->next = ub.pending;
	if (ub.pending)
		ub.pending->prev = p;
	ub.pending = p;
	ub.n_pending++;
	pthread_mutex_unlock(&ub.lock);
	if (bsf_zh_request(p->impi, rand_auts, ub_zh_cb, p) != 0) {
		ub_unlink(p);
		free(p);
		return ub_reply(r, 503, "HSS unreachable (the MAR could not be sent)");
	}
	return 0;
}

/* ---- a correct answer to a challenge ---- */

static int ub_bootstrap(const struct ub_req *r, const struct bsf_chal *c, const struct digest_params *p,
                         const char *uri)
{
	struct bootstrap_entry e;
	char xml[BSFXML_MAX], rspauth[DIGEST_HEX_LEN + 1], info[512];
	struct digest_params ip;
	int64_t now = (int64_t)time(NULL);

	memset(&e, 0, sizeof e);
	if (gba_btid_format(c->v.rand, ub.conf.bsf_domain, e.btid, sizeof e.btid) == 0)
		return ub_reply(r, 500, "cannot form the B-TID");
	snprintf(e.impi, sizeof e.impi, "%s", c->impi);
	memcpy(e.rand, c->v.rand, sizeof e.rand);
	memcpy(e.ks, c->v.ck, AKA_CK_LEN);
	memcpy(e.ks + AKA_CK_LEN, c->v.ik, AKA_IK_LEN);
	e.expiry = now + ub.conf.key_lifetime;
	size_t xlen = bsfxml_write(e.btid, e.expiry, xml, sizeof xml);
	struct digest_input in = {
		.username = c->impi, .realm = ub.conf.realm, .password = c->v.xres, .password_len = AKA_RES_LEN,
		.nonce = c->nonce, .nc = digest_get(p, DIGEST_NC), .cnonce = digest_get(p, DIGEST_CNONCE),
		.qop = DIGEST_QOP_AUTH_INT, .method = "", .uri = uri, .body = (const uint8_t *)xml, .body_len = xlen,
	};
	memset(&ip, 0, sizeof ip);
	bool ok = xlen > 0 && digest_response(&in, rspauth) == 0 && digest_set(&ip, DIGEST_QOP, "auth-int") &&
	          digest_set(&ip, DIGEST_RSPAUTH, rspauth) && digest_set(&ip, DIGEST_CNONCE, in.cnonce) &&
	          digest_set(&ip, DIGEST_NC, in.nc) && digest_hdr_format(&ip, DIGEST_HDR_INFO, info, sizeof info) > 0;
	if (!ok) {
		OPENSSL_cleanse(&e, sizeof e);
		return ub_reply(r, 500, "cannot write the answer");
	}
	enum bsf_btable_put put = bsf_btable_put(ub.sessions, &e, now);
	if (put == BSF_BTABLE_FULL || put == BSF_BTABLE_NOMEM) {
		OPENSSL_cleanse(&e, sizeof e);
		return ub_reply(r, put == BSF_BTABLE_FULL ? 503 : 500,
		                put == BSF_BTABLE_FULL ? "bootstrap table full" : "out of memory");
	}
	atomic_fetch_add(&ub.bootstraps, 1);
	struct evkeyvalq *out = evhttp_request_get_output_headers(r->req);
	struct evbuffer *body = evbuffer_new();
	evhttp_add_header(out, "Content-Type", BSFXML_MEDIA_TYPE);
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "Authentication-Info", info);
	if (body)
		evbuffer_add(body, xml, xlen);
	evhttp_send_reply(r->req, 200, "OK", body);
	if (body)
		evbuffer_free(body);
	fd_log_notice("bsf_lab: Ub #%lu %s IMPI %s: 200 (bootstrapped: B-TID %s, lifetime %u s%s)", r->n, r->peer,
	              r->impi, e.btid, ub.conf.key_lifetime, put == BSF_BTABLE_REPLACED ? ", replaces the previous" : "");
	OPENSSL_cleanse(&e, sizeof e);
	return 0;
}

/* ---- requests ---- */

static bool ub_printable(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static bool ub_nc_ok(const char *nc)
{
	if (strlen(nc) != 8)
		return false;
	for (int i = 0; i < 8; i++)
		if (!((nc[i] >= '0' && nc[i] <= '9') || (nc[i] >= 'a' && nc[i] <= 'f') || (nc[i] >= 'A' && nc[i] <= 'F')))
			return false;
	return true;
}

/* The answer to challenge c: directives checked, then the response. */
static int ub_answer(struct ub_req *r, struct bsf_chal *c, const struct digest_params *p, const char *uri,
                      enum evhttp_cmd_type method)
{
	const char *v;
	if (strcmp(c->impi, r->impi) != 0)
		return ub_reply(r, 403, "the nonce was issued to another IMPI (challenge dropped)");
	if (!(v = digest_get(p, DIGEST_OPAQUE)) || strcmp(v, c->opaque) != 0)
		return ub_reply(r, 400, "opaque missing or not the challenge's (challenge dropped)");
	if (!(v = digest_get(p, DIGEST_URI)) || strcmp(v, uri) != 0)
		return ub_reply(r, 400, "uri missing or not the request's (challenge dropped)");
	if (!(v = digest_get(p, DIGEST_ALGORITHM)) || strcasecmp(v, AKADIGEST_ALGORITHM) != 0)
		return ub_reply(r, 400, "algorithm missing or not AKAv1-MD5 (challenge dropped)");
	if (!(v = digest_get(p, DIGEST_QOP)) || strcmp(v, "auth-int") != 0)
		return ub_reply(r, 400, "qop missing or not auth-int (challenge dropped)");
	if (!(v = digest_get(p, DIGEST_NC)) || !ub_nc_ok(v))
		return ub_reply(r, 400, "nc missing or not 8 hex digits (challenge dropped)");
	if (!(v = digest_get(p, DIGEST_CNONCE)) || !*v)
		return ub_reply(r, 400, "cnonce missing (challenge dropped)");
	const char *response = digest_get(p, DIGEST_RESPONSE);
	if (!response)
		return ub_reply(r, 400, "response missing (challenge dropped)");
	struct evbuffer *in_body = evhttp_request_get_input_buffer(r->req);
	size_t blen = evbuffer_get_length(in_body);
	struct digest_input in = {
		.username = c->impi, .realm = ub.conf.realm, .nonce = c->nonce, .nc = digest_get(p, DIGEST_NC),
		.cnonce = digest_get(p, DIGEST_CNONCE), .qop = DIGEST_QOP_AUTH_INT,
		.method = method == EVHTTP_REQ_POST ? "POST" : "GET", .uri = uri,
		.body = blen ? evbuffer_pullup(in_body, -1) : NULL, .body_len = blen,
	};
	const char *auts = digest_get(p, DIGEST_AUTS);
	if (auts) {
		uint8_t rand_auts[AKA_RAND_LEN + AKA_AUTS_LEN];
		if (!digest_check(&in, response, strlen(response)))
			return ub_reply(r, 403, "synchronisation failure with a wrong response (empty password, RFC 3310 "
			                        "§3.4)");
		memcpy(rand_auts, c->v.rand, AKA_RAND_LEN);
		if (!akadigest_auts_decode(auts, strlen(auts), rand_auts + AKA_RAND_LEN))
			return ub_reply(r, 400, "auts is not base64 of 14 octets");
		return ub_fetch_vector(r, rand_auts, false, "synchronisation failure (auts): resynchronising");
	}
	in.password = c->v.xres;
	in.password_len = AKA_RES_LEN;
	if (!digest_check(&in, response, strlen(response)))
		return ub_reply(r, 403, "wrong response: user authentication failed (challenge dropped)");
	if (ub_now() - c->sent > ub.conf.nonce_timeout)
		return ub_fetch_vector(r, NULL, true, "right response to a stale nonce");
	return ub_bootstrap(r, c, p, uri);
}

static int ub_handle(struct evhttp_request *req)
{
	struct ub_req r = { .req = req, .n = ++ub.requests };
	ub_peer(req, r.peer, sizeof r.peer);
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	const char *uri = evhttp_request_get_uri(req);
	if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_POST)
		return ub_reply(&r, 405, "Ub takes GET (TS 24.109) or POST");
	if (!uri || strcmp(uri, ub.conf.path) != 0)
		return ub_reply(&r, 404, "not the bootstrapping resource");

	const char *authz = NULL;
	unsigned n_authz = 0;
	size_t hdr_len = 0;
	struct evkeyval *h;
	TAILQ_FOREACH(h, evhttp_request_get_input_headers(req), next)
		hdr_len += strlen(h->key) + strlen(h->value) + 4;
	if (hdr_len > UB_MAX_HEADERS)
		return ub_reply(&r, 431, "header fields longer than 8192 octets");
	TAILQ_FOREACH(h, evhttp_request_get_input_headers(req), next)
		if (strcasecmp(h->key, "Authorization") == 0) {
			authz = h->value;
			n_authz++;
		}
	if (n_authz == 0)
		return ub_reply(&r, 400, "no Authorization header: the first request carries Digest username=IMPI "
		                         "(TS 24.109 §4.2)");
	if (n_authz > 1)
		return ub_reply(&r, 400, "more than one Authorization header");
	struct digest_params p;
	enum digest_hdr_err e = digest_hdr_parse(authz, strlen(authz), DIGEST_HDR_CREDENTIALS, &p);
	if (e != DIGEST_HDR_OK) {
		char why[96];
		snprintf(why, sizeof why, "Authorization is not a Digest credential (%s)", digest_hdr_err_str(e));
		return ub_reply(&r, 400, why);
	}
	const char *impi = digest_get(&p, DIGEST_USERNAME), *realm = digest_get(&p, DIGEST_REALM);
	if (!impi || !ub_printable(impi, SUBSCRIBER_IMPI_MAX))
		return ub_reply(&r, 400, "username (the IMPI) missing or not printable");
	r.impi = impi;
	if (!realm)
		return ub_reply(&r, 400, "realm missing");
	if (strcmp(realm, ub.conf.realm) != 0)
		return ub_reply(&r, 403, "realm is not this BSF's");
	const char *nonce = digest_get(&p, DIGEST_NONCE), *response = digest_get(&p, DIGEST_RESPONSE);
	if (!nonce || !*nonce) {
		if (response && *response)
			return ub_reply(&r, 400, "a response without a nonce");
		return ub_fetch_vector(&r, NULL, false, "initial request");
	}
	struct bsf_chal c;
	if (!bsf_chal_take(ub.chal, nonce, &c))
		return ub_fetch_vector(&r, NULL, false, "unknown or already used nonce");
	ub_answer(&r, &c, &p, uri, method);
	OPENSSL_cleanse(&c, sizeof c);
	return 0;
}

static void ub_request_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	ub_handle(req);
}

/* ---- the loop ---- */

static void ub_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	/* Challenges live two timeouts: a late right answer still gets stale=TRUE. */
	bsf_chal_expire(ub.chal, ub_now() - 2.0 * ub.conf.nonce_timeout);
	bsf_btable_purge(ub.sessions, (int64_t)time(NULL));
}

static void ub_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	event_base_loopbreak(ub.base);
}

static void *ub_thread(void *unused)
{
	(void)unused;
	event_base_dispatch(ub.base);
	return NULL;
}

static struct bufferevent *ub_bevcb(struct event_base *base, void *arg)
{
	(void)arg;
	SSL *ssl = SSL_new(ub.ssl);
	if (!ssl)
		return NULL;
	return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static int ub_tls(char *err, size_t errlen)
{
	struct stat st;
	if (stat(ub.conf.tls_key, &st) != 0) {
		snprintf(err, errlen, "ub: tls-key %s: %s", ub.conf.tls_key, strerror(errno));
		return -1;
	}
	if (st.st_mode & S_IRWXO) {
		snprintf(err, errlen, "ub: tls-key %s: readable by others, refusing", ub.conf.tls_key);
		return -1;
	}
	ub.ssl = SSL_CTX_new(TLS_server_method());
	if (!ub.ssl || SSL_CTX_set_min_proto_version(ub.ssl, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_use_certificate_chain_file(ub.ssl, ub.conf.tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ub.ssl, ub.conf.tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ub.ssl) != 1) {
		char e[160];
		ERR_error_string_n(ERR_get_error(), e, sizeof e);
		snprintf(err, errlen, "ub: tls-cert %s / tls-key %s: %s", ub.conf.tls_cert, ub.conf.tls_key, e);
		return -1;
	}
	evhttp_set_bevcb(ub.http, ub_bevcb, NULL);
	return 0;
}

static void ub_cleanup(void)
{
	if (ub.http)
		evhttp_free(ub.http);
	if (ub.stop_ev)
		event_free(ub.stop_ev);
	if (ub.tick_ev)
		event_free(ub.tick_ev);
	for (struct ub_pending *p = ub.pending, *nx; p; p = nx) {
		nx = p->next;
		OPENSSL_clear_free(p, sizeof *p);
	}
	ub.pending = NULL;
	ub.n_pending = 0;
	if (ub.base)
		event_base_free(ub.base);
	SSL_CTX_free(ub.ssl);
	bsf_chal_free(ub.chal);
	ub.http = NULL;
	ub.stop_ev = ub.tick_ev = NULL;
	ub.base = NULL;
	ub.ssl = NULL;
	ub.chal = NULL;
}

int bsf_ub_start(const struct bsf_ub_conf *c, struct bsf_btable *sessions, char *err, size_t errlen)
{
	ub.conf = *c;
	ub.sessions = sessions;
	int rc = bsf_zh_init(&ub.conf.zh);
	if (rc) {
		snprintf(err, errlen, "zh: the Zh dictionary is not loaded (load dict_zh.fdx first): %s", strerror(rc));
		return -1;
	}
	if (evthread_use_pthreads() != 0 || !(ub.base = event_base_new()) || !(ub.http = evhttp_new(ub.base)) ||
	    !(ub.chal = bsf_chal_new(ub.conf.max_challenges))) {
		snprintf(err, errlen, "ub: cannot set up the HTTP server");
		ub_cleanup();
		return -1;
	}
	evhttp_set_allowed_methods(ub.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
	                                        EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
	                                        EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_max_headers_size(ub.http, UB_READ_HEADERS);
	evhttp_set_max_body_size(ub.http, UB_MAX_BODY);
	evhttp_set_timeout(ub.http, UB_IDLE_TIMEOUT);
	evhttp_set_gencb(ub.http, ub_request_cb, NULL);
	if (ub.conf.tls_cert[0] && ub_tls(err, errlen) != 0) {
		ub_cleanup();
		return -1;
	}
	struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(ub.http, ub.conf.address,
	                                                                   (ev_uint16_t)ub.conf.port);
	if (!bound) {
		snprintf(err, errlen, "ub: cannot listen on %s port %u: %s", ub.conf.address, ub.conf.port,
		         strerror(errno));
		ub_cleanup();
		return -1;
	}
	/* A reply leaves in more than one write (headers, body, TLS records): with
	 * Nagle the last one waited for the client's delayed ACK, 40 ms per
	 * exchange.  Accepted connections inherit the option from the listener. */
	int one = 1;
	setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct timeval second = { 1, 0 };
	ub.stop_ev = event_new(ub.base, -1, 0, ub_stop_cb, NULL);
	ub.tick_ev = event_new(ub.base, -1, EV_PERSIST, ub_tick, NULL);
	if (!ub.stop_ev || !ub.tick_ev || event_add(ub.tick_ev, &second) != 0 ||
	    pthread_create(&ub.thread, NULL, ub_thread, NULL) != 0) {
		snprintf(err, errlen, "ub: cannot start the HTTP thread");
		ub_cleanup();
		return -1;
	}
	ub.running = true;
	return 0;
}

void bsf_ub_stop(void)
{
	if (!ub.running)
		return;
	pthread_mutex_lock(&ub.lock);
	ub.stopping = true;
	pthread_mutex_unlock(&ub.lock);
	event_active(ub.stop_ev, EV_TIMEOUT, 0);
	pthread_join(ub.thread, NULL);
	ub.running = false;
	fd_log_notice("bsf_lab: Ub: %lu requests, %lu bootstraps", ub.requests, atomic_load(&ub.bootstraps));
	ub_cleanup();
}
