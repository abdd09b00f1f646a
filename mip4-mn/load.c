/*
 * mip4-mn-load: the libevent loop of mip4-mn.
 */
#include "mip4-mn/load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "lib/replay.h"
#include "mip4-mn/fa.h"
#include "mip4-mn/boot.h"
#include "mip4-mn/datapath.h"
#include "mip4-mn/reg.h"
#include "mip4-mn/say.h"
#include "mip4-mn/stats.h"
#include "mip4-mn/store.h"
#include "mip4-mn/table.h"

#define RECV_BATCH 32
#define SEND_BATCH 64
#define MAX_RESYNCS 2

enum stage { STAGE_PRIME, STAGE_MEASURE, STAGE_DEREG, STAGE_DONE };

struct mn_run;

/* One outstanding operation (request and its retransmissions). */
struct mn_req {
	struct mn_run *run;
	struct mn_node *node;
	struct event *timer;
	enum mn_phase phase;
	uint16_t lifetime;
	uint64_t ident;
	uint8_t buf[MN_REG_MAX_MSG];
	size_t len;
	unsigned tries;   /* transmissions of the current identification */
	unsigned resyncs;
	unsigned fa_retries; /* sent again after a foreign agent's 69 or 104-106 */
	struct timespec t0;
	bool counted;     /* part of the measured stage */
	bool in_table;
	struct mn_req *next_free;
};

struct mn_run {
	const struct mn_opts *o;
	struct event_base *base;
	int fd;
	struct sockaddr_in dest;   /* where requests go: the HA, or the foreign agent */
	struct mn_fa *fa;          /* --fa: agent discovery; NULL: co-located care-of address */
	struct mn_sa fa_sa;        /* --fa-spi: the MN-FA association */
	struct event *ev_stay;
	bool started, staying, stayed;
	uint16_t fa_lifetime;      /* the agent's longest lifetime, once a 69 taught it; 0: --lifetime */
	struct event *ev_read, *ev_tick, *ev_step, *ev_int, *ev_term, *ev_usr1;
	struct auth_ctx *ctx;
	struct mn_reg_conf conf;
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len;
	struct mn_boot boot;
	struct bootstrap_store store;
	struct mn_node *nodes;
	uint32_t n_nodes;
	struct mn_req *slots, *free_slots;
	unsigned n_slots, outstanding;
	struct mn_table table; /* outstanding requests by identification */
	/* Datagrams queued during one event callback, sent together at its end
	 * (a request's buffer is not touched again before that). */
	struct mmsghdr out[SEND_BATCH];
	struct iovec out_iov[SEND_BATCH];
	unsigned n_out;
	struct mn_stats stats;
	enum stage stage;
	uint64_t stage_started; /* operations started in this stage */
	uint64_t target;        /* operations to start in the measured stage; 0 = until the deadline */
	struct timespec t_stage;
	double measured_s;
	uint32_t cursor;
	unsigned step;          /* one-node scenario: 0 first registration, then re-registrations, dereg */
	bool single_failed, interrupted;
	uint64_t prime_accepted, prime_total;
	/* --tun: the data path, the care-of interface, the move SIGUSR1 asks for */
	struct mn_datapath *dp;
	char dev[IFNAMSIZ];
	uint32_t coa_home_link, coa_alt;   /* the two care-of addresses SIGUSR1 alternates between */
	char dev_home_link[IFNAMSIZ], dev_alt[IFNAMSIZ];
	bool at_alt, handover_pending;
	uint16_t granted;                  /* lifetime of the last accepted registration */
};

static double elapsed_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static double monotonic_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static const char *ip(uint32_t a, char *buf)
{
	struct in_addr in = {.s_addr = a};

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

#define FP_HEX_LEN (2 * AUTH_KEY_FP_LEN + 1)

static const char *fp_hex(const uint8_t fp[AUTH_KEY_FP_LEN], char out[FP_HEX_LEN])
{
	for (int i = 0; i < AUTH_KEY_FP_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", fp[i]);
	return out;
}

static void table_remove(struct mn_run *run, struct mn_req *r)
{
	if (r->in_table)
		mn_table_remove(&run->table, (uint32_t)r->ident);
	r->in_table = false;
}

static void flush(struct mn_run *run)
{
	unsigned done = 0;

	while (done < run->n_out) {
		int n = sendmmsg(run->fd, run->out + done, run->n_out - done, 0);

		if (n > 0) {
			done += (unsigned)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		/* A full socket buffer loses the rest: the retransmission timers cope. */
		if (errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED && run->o->verbose)
			mn_say("sendmmsg: %s", strerror(errno));
		break;
	}
	run->n_out = 0;
}

static void send_req(struct mn_req *r)
{
	struct mn_run *run = r->run;
	const struct mn_opts *o = run->o;

	if (run->n_out == SEND_BATCH)
		flush(run);
	run->out_iov[run->n_out] = (struct iovec){.iov_base = r->buf, .iov_len = r->len};
	run->out[run->n_out] = (struct mmsghdr){
		.msg_hdr = {.msg_name = (void *)&run->dest, .msg_namelen = sizeof(run->dest),
		            .msg_iov = &run->out_iov[run->n_out], .msg_iovlen = 1},
	};
	run->n_out++;
	r->tries++;
	struct timeval tv;
	unsigned ms = mn_reg_backoff_ms(r->tries - 1, o->timeout_ms, o->timeout_max_ms);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(r->timer, &tv);
}

static void describe_request(const struct mn_req *r)
{
	const struct mn_node *n = r->node;
	const struct mn_opts *o = r->run->o;
	char h[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];

	if (r->run->fa)
		mn_say("mn%u -> FA %s: RRQ %s ident=%016" PRIx64 " lifetime=%u care-of address %s%s", n->idx,
		           ip(r->run->dest.sin_addr.s_addr, h), mn_phase_str(r->phase), r->ident, r->lifetime,
		           ip(r->run->conf.coa, c), r->run->conf.challenge ? ", answering the agent's challenge" : "");
	if (n->gba && o->method == 2)
		mn_say("mn%u -> HA: RRQ %s ident=%016" PRIx64 " lifetime=%u home=%s coa=%s NAI=%.*s, MN-HA auth "
		           "(SPI %u, HMAC-SHA1 keyed with Ks_NAF of IMPI %s for NAF %s: method 2)",
		           n->idx, mn_phase_str(r->phase), r->ident, r->lifetime, ip(n->home_addr, h),
		           ip(r->run->conf.coa, c), (int)n->nai_len, n->nai, o->mn_spi, n->boot->impi, o->naf_fqdn);
	else if (mn_reg_first(&r->run->conf, n, r->phase)) {
		char fa[64] = "";

		if (r->run->conf.fa_keygen)
			snprintf(fa, sizeof(fa), ", MN-FA KeyGen Request (MN SPI %u)", MN_FA_SPI(&r->run->conf));
		mn_say("mn%u -> HA: RRQ %s ident=%016" PRIx64 " lifetime=%u home=%s coa=%s NAI=%.*s, "
		           "MN-HA KeyGen Request (MN SPI %u)%s, MN-AAA auth (SPI %u, HMAC-MD5 keyed with Ks_NAF "
		           "of IMPI %s)",
		           n->idx, mn_phase_str(r->phase), r->ident, r->lifetime, ip(n->home_addr, h),
		           ip(r->run->conf.coa, c), (int)n->nai_len, n->nai, o->mn_spi, fa, o->aaa_spi, n->boot->impi);
	} else {
		mn_say("mn%u -> HA: RRQ %s ident=%016" PRIx64 " lifetime=%u home=%s coa=%s%s%.*s, MN-HA auth "
		           "(SPI %u, %s, existing security association)%s",
		           n->idx, mn_phase_str(r->phase), r->ident, r->lifetime, ip(n->home_addr, h),
		           ip(r->run->conf.coa, c), n->nai ? " NAI=" : "", n->nai ? (int)n->nai_len : 0,
		           n->nai ? n->nai : "", n->sa.spi, auth_alg_name(n->sa.alg),
		           n->fa_sa.valid ? ", MN-FA auth with the key from the AAA" : "");
	}
}

static int build_and_send(struct mn_req *r)
{
	struct mn_run *run = r->run;

	table_remove(run, r);
	/* Two outstanding requests must not share the low 32 bits. */
	do
		r->ident = mn_reg_next_ident(r->node, replay_ntp_now());
	while (!mn_table_insert(&run->table, (uint32_t)r->ident, r));
	r->in_table = true;
	struct mn_agent *agent = run->fa ? mn_fa_agent(run->fa) : NULL;
	if (agent)
		run->conf.challenge = mn_agent_challenge(agent, &r->node->chal, &run->conf.challenge_len);
	r->len = mn_reg_build(run->ctx, &run->conf, r->node, r->phase, r->lifetime, r->ident, r->buf,
	                      sizeof(r->buf));
	if (r->len == 0)
		return -1;
	if (agent && run->conf.challenge)
		mn_chal_used(&r->node->chal, run->conf.challenge, run->conf.challenge_len);
	r->tries = 0;
	if (run->o->verbose)
		describe_request(r);
	send_req(r);
	return 0;
}

static void next_stage(struct mn_run *run);
static void single_next(struct mn_run *run, enum mn_phase phase, int code);
static void fill(struct mn_run *run);

static void finish(struct mn_req *r, int code, const struct mn_reply *rep)
{
	struct mn_run *run = r->run;
	struct mn_node *n = r->node;
	double rtt = elapsed_since(&r->t0) * 1e6;
	uint32_t rtt_us = rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt;
	bool ok = code == REG_CODE_ACCEPTED || code == REG_CODE_ACCEPTED_NO_SIMUL;
	enum mn_phase phase = r->phase;

	evtimer_del(r->timer);
	table_remove(run, r);
	if (rep && ok)
		run->granted = rep->lifetime;
	if (r->counted) {
		if (code < 0)
			mn_stats_timeout(&run->stats);
		else
			mn_stats_outcome(&run->stats, (uint8_t)code, rtt_us);
		if (run->o->json) {
			char h[INET_ADDRSTRLEN];

			printf("{\"mn\":%u,\"nai\":", n->idx);
			mn_json_string(stdout, n->nai ? n->nai : "", n->nai ? n->nai_len : 0);
			printf(",\"phase\":\"%s\",\"code\":%d,\"rtt_us\":%u,\"home\":\"%s\"", mn_phase_str(r->phase),
			       code, rtt_us, ip(n->home_addr, h));
			if (run->fa)
				printf(",\"fa\":\"%s\"", ip(run->conf.coa, h));
			char fp[FP_HEX_LEN];
			if (rep && (rep->new_key || rep->ks_naf_key))
				printf(",\"key_fp\":\"%s\"", fp_hex(rep->key_fp, fp));
			if (rep && rep->new_fa_key)
				printf(",\"fa_key_fp\":\"%s\",\"fa_spi\":%u,\"fa_key_lifetime\":%u", fp_hex(rep->fa_key_fp, fp),
				       rep->fa_spi, rep->fa_key_lifetime);
			printf("}\n");
		}
	} else if (run->stage == STAGE_PRIME) {
		run->prime_total++;
		run->prime_accepted += ok;
	}
	if (run->o->verbose && code < 0)
		mn_say("mn%u: %s timed out after %u transmissions", n->idx, mn_phase_str(r->phase), r->tries);
	n->pending = NULL;
	r->node = NULL;
	r->next_free = run->free_slots;
	run->free_slots = r;
	run->outstanding--;
	if (!run->o->load)
		single_next(run, phase, code);
	else
		fill(run);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct mn_req *r = arg;
	struct mn_run *run = r->run;

	(void)fd;
	(void)what;
	if (r->tries <= run->o->retries) {
		if (r->counted)
			run->stats.retransmits++;
		if (run->o->verbose)
			mn_say("mn%u: no reply, retransmission %u", r->node->idx, r->tries);
		send_req(r);
		flush(run);
		return;
	}
	finish(r, -1, NULL);
	flush(run);
}

static int start_op(struct mn_run *run, struct mn_node *n, enum mn_phase phase, bool counted)
{
	struct mn_req *r = run->free_slots;

	if (!r)
		return -1;
	run->free_slots = r->next_free;
	run->outstanding++;
	if (mn_reg_lapsed(n, monotonic_s())) {
		if (run->o->verbose)
			mn_say("mn%u: key from the AAA lapsed: a first registration again", n->idx);
		mn_reg_forget_agent(n);
	}
	r->node = n;
	r->phase = phase;
	r->lifetime = phase == MN_PHASE_DEREG ? 0 : (uint16_t)run->o->lifetime;
	if (r->lifetime && run->fa_lifetime && run->fa_lifetime < r->lifetime)
		r->lifetime = run->fa_lifetime;
	r->resyncs = 0;
	r->fa_retries = 0;
	r->counted = counted;
	n->pending = r;
	n->rebootstrapped = false;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	if (counted)
		run->stats.sent++;
	if (build_and_send(r) != 0) {
		fprintf(stderr, "mip4-mn: mn%u: cannot build the request\n", n->idx);
		finish(r, REG_CODE_UNSPECIFIED, NULL);
		return -1;
	}
	return 0;
}

/* The re-bootstrap: the store read again, or Ub run again (mip4-mn-boot). */
static int rebootstrap(struct mn_run *run, struct mn_node *n)
{
	struct bootstrap_entry *copy = malloc(sizeof(*copy));
	int rc = -1;

	if (copy && mn_boot_again(&run->boot, n->boot->impi, copy) == 0) {
		const struct bootstrap_entry *old = n->boot;
		bool old_owned = n->boot_owned;

		rc = mn_reg_set_bootstrap(run->ctx, n, copy, run->naf_id, run->naf_id_len);
		/* The node keeps whichever entry its Ks_NAF now comes from. */
		const struct bootstrap_entry *drop = rc == 0 ? old : copy;
		if (rc == 0)
			n->boot_owned = true;
		if (drop == copy || old_owned) {
			OPENSSL_cleanse((void *)drop, sizeof(*drop));
			free((void *)drop);
		}
		return rc;
	}
	if (copy) {
		OPENSSL_cleanse(copy, sizeof(*copy));
		free(copy);
	}
	return rc;
}

/* The foreign agent's denials a node can repair (RFC 5944 §3.6.2.3, RFC 4721
 * §3.5): a shorter lifetime after 69, a fresh challenge after 104-106.  Once
 * each; true when the request went out again. */
static bool retry_after_fa_denial(struct mn_req *r, const struct mn_reply *rep)
{
	struct mn_run *run = r->run;
	bool chal = rep->code == REG_CODE_FA_UNKNOWN_CHALLENGE || rep->code == REG_CODE_FA_MISSING_CHALLENGE ||
	            rep->code == REG_CODE_FA_STALE_CHALLENGE;
	bool life = rep->code == REG_CODE_FA_LIFETIME_TOO_LONG && rep->lifetime && rep->lifetime < r->lifetime;

	if (!run->fa || !rep->from_fa || r->fa_retries >= 2 || !(chal || life))
		return false;
	r->fa_retries++;
	if (life)
		r->lifetime = run->fa_lifetime = rep->lifetime;
	if (run->o->verbose)
		mn_say("mn%u: %s: sending again%s", r->node->idx, life ? "lifetime too long" : "challenge refused",
		           life ? " with the agent's lifetime" : " with a fresh challenge");
	evtimer_del(r->timer);
	return build_and_send(r) == 0;
}

static void handle_reply(struct mn_run *run, const uint8_t *buf, size_t len)
{
	struct mn_reply rep;
	struct mn_node *n;
	struct mn_req *r;
	uint64_t ident = 0;

	if (len < REG_RRP_FIXED_LEN || buf[0] != REG_TYPE_RRP)
		return;
	for (int i = 12; i < 20; i++)
		ident = ident << 8 | buf[i];
	r = mn_table_find(&run->table, (uint32_t)ident);
	if (!r)
		return;
	n = r->node;
	enum mn_verdict v = mn_reg_reply(run->ctx, &run->conf, n, r->phase, r->ident, buf, len,
	                                 replay_ntp_now(), &rep);
	char h[INET_ADDRSTRLEN];

	if (run->fa && v != MN_V_DROP && rep.challenge)
		mn_chal_replied(&n->chal, rep.challenge, rep.challenge_len);

	switch (v) {
	case MN_V_DROP:
		if (rep.bad_auth) {
			if (r->counted)
				run->stats.bad_auth++;
			if (run->o->verbose)
				mn_say("mn%u <- HA: RRP code %u failed verification (authenticator, SPI or KeyGen "
				           "Reply): dropped, key discarded",
				           n->idx, rep.code);
		}
		return;
	case MN_V_ACCEPTED:
		if (rep.new_key && rep.key_lifetime)
			n->sa.deadline = monotonic_s() + 0.9 * rep.key_lifetime;
		if (rep.new_fa_key && rep.fa_key_lifetime)
			n->fa_sa.deadline = monotonic_s() + 0.9 * rep.fa_key_lifetime;
		if (run->o->verbose) {
			char fp[FP_HEX_LEN];

			if (rep.new_key)
				mn_say("mn%u <- HA: RRP code %u lifetime=%u home=%s, MN-HA KeyGen Reply (nonce %zu "
				           "octets, HA SPI %u, %s, key lifetime %u s); MN-HA key = HMAC-SHA1(Ks_NAF, "
				           "nonce || NAI), fingerprint sha256:%s; reply authenticator verified with it: "
				           "security association kept",
				           n->idx, rep.code, rep.lifetime, ip(rep.home_addr, h), rep.nonce_len, n->sa.spi,
				           auth_alg_name(n->sa.alg), rep.key_lifetime, fp_hex(rep.key_fp, fp));
			else if (rep.ks_naf_key)
				mn_say("mn%u <- HA: RRP code %u lifetime=%u home=%s, MN-HA authenticator verified with "
				           "Ks_NAF (SPI %u, HMAC-SHA1, key fingerprint sha256:%s)",
				           n->idx, rep.code, rep.lifetime, ip(rep.home_addr, h), run->conf.mn_spi,
				           fp_hex(rep.key_fp, fp));
			else
				mn_say("mn%u <- HA: RRP code %u lifetime=%u home=%s, MN-HA authenticator verified "
				           "(SPI %u)",
				           n->idx, rep.code, rep.lifetime, ip(rep.home_addr, h), n->sa.spi);
			if (rep.new_fa_key)
				mn_say("mn%u <- FA: MN-FA key from the AAA (SPI %u, lifetime %u s, fp %s): HMAC-SHA1(Ks_NAF, "
				           "nonce || NAI) from the MN-FA KeyGen Reply, reply authenticator verified with it",
				           n->idx, rep.fa_spi, rep.fa_key_lifetime, fp_hex(rep.fa_key_fp, fp));
		}
		finish(r, rep.code, &rep);
		return;
	case MN_V_RESYNC:
		if (r->counted)
			run->stats.resyncs++;
		if (run->o->verbose)
			mn_say("mn%u <- HA: RRP code 133 (identification mismatch%s): clock adjusted by %" PRId64
			           " s",
			           n->idx, rep.authenticated ? ", authenticated" : ", unauthenticated hint",
			           n->clock_adj);
		if (r->resyncs++ < MAX_RESYNCS) {
			evtimer_del(r->timer);
			if (build_and_send(r) == 0)
				return;
		}
		finish(r, REG_CODE_ID_MISMATCH, &rep);
		return;
	case MN_V_REJECTED:
		if (run->o->verbose)
			mn_say("mn%u <- %s: RRP code %u (%s)", n->idx, rep.from_fa ? "FA" : "HA", rep.code,
			       rep.authenticated || (rep.from_fa && rep.fa_authenticated) ? "authenticated"
			                                                                  : "unauthenticated: a hint only");
		if (retry_after_fa_denial(r, &rep))
			return;
		/* Method 2 requests are all alike: a re-registration can be the first
		 * to meet an expired bootstrap. */
		if ((rep.code == REG_CODE_BAD_AAA_AUTH || rep.code == REG_CODE_MN_AUTH_FAILED) && n->gba &&
		    (r->phase == MN_PHASE_INITIAL || mn_reg_first(&run->conf, n, r->phase) ||
		     (run->conf.method == 2 && r->phase == MN_PHASE_REREG)) &&
		    !n->rebootstrapped) {
			n->rebootstrapped = true;
			if (r->counted)
				run->stats.rebootstraps++;
			if (rebootstrap(run, n) == 0) {
				if (run->o->verbose)
					mn_say("mn%u: re-bootstrap: %s, B-TID now %s", n->idx,
					       run->boot.ub ? "Ub run again" : "store read again", n->nai);
				evtimer_del(r->timer);
				if (build_and_send(r) == 0)
					return;
			}
		}
		finish(r, rep.code, &rep);
		return;
	}
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct mn_run *run = arg;
	static uint8_t bufs[RECV_BATCH][MN_REG_MAX_MSG];
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iov[RECV_BATCH];

	(void)what;
	for (int round = 0; round < 8; round++) {
		memset(msgs, 0, sizeof(msgs));
		for (int i = 0; i < RECV_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int n = recvmmsg(fd, msgs, RECV_BATCH, MSG_DONTWAIT, NULL);

		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			handle_reply(run, bufs[i], msgs[i].msg_len);
		flush(run);
		if (n < RECV_BATCH)
			break;
	}
	flush(run);
}

static struct mn_node *next_idle(struct mn_run *run, bool want_registered)
{
	for (uint32_t k = 0; k < run->n_nodes; k++) {
		struct mn_node *n = &run->nodes[run->cursor];

		run->cursor = (run->cursor + 1) % run->n_nodes;
		if (!n->pending && (!want_registered || n->registered))
			return n;
	}
	return NULL;
}

static uint32_t random_pct(void)
{
	uint32_t v = 0;

	RAND_bytes((unsigned char *)&v, sizeof(v));
	return v % 100;
}

static bool stage_exhausted(struct mn_run *run)
{
	switch (run->stage) {
	case STAGE_PRIME:
		return run->interrupted || run->stage_started >= run->n_nodes;
	case STAGE_MEASURE:
		if (run->interrupted)
			return true;
		if (run->o->duration > 0 && elapsed_since(&run->t_stage) >= run->o->duration)
			return true;
		return run->target && run->stage_started >= run->target;
	case STAGE_DEREG:
		return run->cursor >= run->n_nodes;
	case STAGE_DONE:
		return true;
	}
	return true;
}

static void fill(struct mn_run *run)
{
	while (!stage_exhausted(run) && run->free_slots) {
		struct mn_node *n = NULL;
		enum mn_phase ph = MN_PHASE_INITIAL;

		if (run->stage == STAGE_PRIME) {
			n = &run->nodes[run->stage_started];
		} else if (run->stage == STAGE_DEREG) {
			n = &run->nodes[run->cursor++];
			if (!n->registered || n->pending)
				continue;
			ph = MN_PHASE_DEREG;
		} else {
			if (run->o->rate > 0 && (double)run->stage_started >= run->o->rate * elapsed_since(&run->t_stage))
				break;
			n = next_idle(run, false);
			if (!n)
				break;
			/* Re-register only with a key that has time left; else a new one. */
			if (n->registered && run->o->rereg_pct && !mn_reg_lapsed(n, monotonic_s()) &&
			    random_pct() < run->o->rereg_pct)
				ph = MN_PHASE_REREG;
		}
		run->stage_started++;
		start_op(run, n, ph, run->stage == STAGE_MEASURE);
	}
	if (run->outstanding == 0 && stage_exhausted(run))
		next_stage(run);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fill(arg);
	flush(arg);
}

static void enter_stage(struct mn_run *run, enum stage s)
{
	run->stage = s;
	run->stage_started = 0;
	run->cursor = 0;
	clock_gettime(CLOCK_MONOTONIC, &run->t_stage);
}

static void next_stage(struct mn_run *run)
{
	switch (run->stage) {
	case STAGE_PRIME:
		if (run->o->verbose || run->prime_accepted != run->prime_total)
			fprintf(stderr, "mip4-mn: prime: %" PRIu64 " of %" PRIu64 " nodes registered\n",
			        run->prime_accepted, run->prime_total);
		enter_stage(run, STAGE_MEASURE);
		break;
	case STAGE_MEASURE:
		run->measured_s = elapsed_since(&run->t_stage);
		if (run->o->dereg_at_end && !run->interrupted) {
			enter_stage(run, STAGE_DEREG);
			break;
		}
		/* fall through */
	case STAGE_DEREG:
	case STAGE_DONE:
		run->stage = STAGE_DONE;
		event_base_loopbreak(run->base);
		return;
	}
	/* Start the new stage from the loop, not from inside a completion. */
	event_active(run->ev_tick, EV_TIMEOUT, 0);
}

static void single_step(evutil_socket_t fd, short what, void *arg)
{
	struct mn_run *run = arg;
	struct mn_node *n = &run->nodes[0];
	const struct mn_opts *o = run->o;
	enum mn_phase ph;

	(void)fd;
	(void)what;
	if (run->step == 0)
		ph = MN_PHASE_INITIAL;
	else if (o->tun)
		ph = run->interrupted ? MN_PHASE_DEREG : MN_PHASE_REREG;
	else if (run->step <= o->reregs)
		ph = MN_PHASE_REREG;
	else
		ph = MN_PHASE_DEREG;
	start_op(run, n, ph, true);
	flush(run);
}

/* The --step-cmd hook: blocking is fine, one node waits for it. */
static bool run_step_cmd(struct mn_run *run, enum mn_phase phase, int code)
{
	const struct mn_node *n = &run->nodes[0];
	char num[16], h[INET_ADDRSTRLEN], nai[REG_NAI_MAX + 1];

	snprintf(num, sizeof(num), "%d", code);
	snprintf(nai, sizeof(nai), "%.*s", n->nai ? (int)n->nai_len : 0, n->nai ? n->nai : "");
	setenv("MIP4_MN_PHASE", mn_phase_str(phase), 1);
	setenv("MIP4_MN_CODE", num, 1);
	setenv("MIP4_MN_HOME", ip(n->home_addr, h), 1);
	setenv("MIP4_MN_COA", ip(run->conf.coa, h), 1);
	setenv("MIP4_MN_NAI", nai, 1);
	fflush(stdout);
	fflush(stderr);
	int st = system(run->o->step_cmd);
	if (st != 0) {
		fprintf(stderr, "mip4-mn: --step-cmd after %s: exit status %d\n", mn_phase_str(phase),
		        WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return false;
	}
	return true;
}

/* --tun: the co-located data path follows every accepted registration. */
static bool tun_attach(struct mn_run *run)
{
	const struct mn_node *n = &run->nodes[0];
	char err[256];
	bool reverse = (run->conf.flags & REG_FLAG_T) != 0;
	if (mn_datapath_attach(run->dp, n->home_addr, run->conf.coa, run->dev, reverse, err, sizeof err) != 0) {
		fprintf(stderr, "mip4-mn: --tun: %s\n", err);
		return false;
	}
	return true;
}

/* --tun: re-register at half the granted lifetime, at once after a move, and
 * deregister once interrupted. */
static void tun_schedule(struct mn_run *run)
{
	run->step++;
	if (run->interrupted && run->o->no_dereg) {
		event_base_loopbreak(run->base);
		return;
	}
	if (run->interrupted || run->handover_pending) {
		run->handover_pending = false;
		event_active(run->ev_step, EV_TIMEOUT, 0);
		return;
	}
	unsigned half_ms = run->granted ? (unsigned)run->granted * 500u : 1000u;
	struct timeval tv = {.tv_sec = half_ms / 1000, .tv_usec = (half_ms % 1000) * 1000};
	evtimer_add(run->ev_step, &tv);
}

/* The registration socket: bound to the care-of address and, with --tun, to
 * its interface, which the default route through the TUN device would
 * otherwise capture. */
static int open_reg_socket(struct mn_run *run, uint32_t addr, const char *dev)
{
	int size = 4 << 20;
	struct sockaddr_in sin = run->o->bind;
	char a[INET_ADDRSTRLEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "mip4-mn: socket: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	sin.sin_addr.s_addr = addr;
	if (dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev) + 1) != 0) {
		fprintf(stderr, "mip4-mn: binding the registration socket to %s: %s\n", dev, strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (const struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "mip4-mn: --bind %s:%u: %s\n", ip(addr, a), ntohs(sin.sin_port), strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void on_read(evutil_socket_t fd, short what, void *arg);

/* SIGUSR1 with --handover: move to the other care-of address and re-register
 * from it at once (after the outstanding request, if any). */
static void on_handover(evutil_socket_t sfd, short what, void *arg)
{
	struct mn_run *run = arg;
	(void)sfd, (void)what;
	if (run->interrupted)
		return;
	run->at_alt = !run->at_alt;
	uint32_t coa = run->at_alt ? run->coa_alt : run->coa_home_link;
	const char *dev = run->at_alt ? run->dev_alt : run->dev_home_link;
	int fd = open_reg_socket(run, coa, dev);
	if (fd < 0) {
		run->at_alt = !run->at_alt;
		return;
	}
	struct event *ev = event_new(run->base, fd, EV_READ | EV_PERSIST, on_read, run);
	if (!ev) {
		close(fd);
		run->at_alt = !run->at_alt;
		return;
	}
	event_free(run->ev_read);
	close(run->fd);
	run->fd = fd;
	run->ev_read = ev;
	event_add(run->ev_read, NULL);
	run->conf.coa = coa;
	snprintf(run->dev, sizeof run->dev, "%s", dev);
	char a[INET_ADDRSTRLEN];
	mn_say("handover to care-of address %s on %s", ip(coa, a), dev);
	if (run->outstanding) {
		run->handover_pending = true;
		return;
	}
	evtimer_del(run->ev_step);
	event_active(run->ev_step, EV_TIMEOUT, 0);
}

static void single_next(struct mn_run *run, enum mn_phase phase, int code)
{
	const struct mn_opts *o = run->o;
	unsigned last = o->reregs + (o->no_dereg ? 0 : 1);
	bool ok = code == REG_CODE_ACCEPTED || code == REG_CODE_ACCEPTED_NO_SIMUL;

	if (ok && o->tun && phase != MN_PHASE_DEREG && !tun_attach(run))
		ok = false;
	if (o->step_cmd && !run_step_cmd(run, phase, code))
		ok = false;
	if (!ok)
		run->single_failed = true;
	if (run->staying)
		return; /* a re-registration through a new agent: the scenario waits for ev_stay */
	if (ok && o->stay && !run->stayed && run->step >= o->reregs && !run->interrupted) {
		/* Follow the agents a while before the deregistration (or the end). */
		run->staying = true;
		struct timeval tv = {.tv_sec = (time_t)o->stay,
		                     .tv_usec = (suseconds_t)((o->stay - (double)(time_t)o->stay) * 1e6)};
		evtimer_add(run->ev_stay, &tv);
		return;
	}
	if (o->tun && ok && phase != MN_PHASE_DEREG) {
		tun_schedule(run);
		return;
	}
	if (o->tun && phase == MN_PHASE_DEREG)
		mn_datapath_detach(run->dp);
	if (!ok || run->step >= last || run->interrupted) {
		run->measured_s = elapsed_since(&run->t_stage);
		event_base_loopbreak(run->base);
		return;
	}
	run->step++;
	struct timeval tv = {.tv_sec = o->interval_ms / 1000, .tv_usec = (o->interval_ms % 1000) * 1000};
	evtimer_add(run->ev_step, &tv);
}

static void on_stay_over(evutil_socket_t fd, short what, void *arg)
{
	struct mn_run *run = arg;
	struct mn_node *n = &run->nodes[0];

	(void)fd;
	(void)what;
	if (n->pending) {
		/* A re-registration is out: end the stay when it is answered. */
		struct timeval tv = {.tv_sec = 0, .tv_usec = 100000};

		evtimer_add(run->ev_stay, &tv);
		return;
	}
	run->staying = false;
	run->stayed = true;
	single_next(run, MN_PHASE_REREG, REG_CODE_ACCEPTED);
}

/* Start the scenario or the load: at once with a co-located care-of address,
 * on the first advertisement through a foreign agent. */
static void start_run(struct mn_run *run)
{
	run->started = true;
	if (run->o->load) {
		run->target = run->o->count ? run->o->count : (run->o->duration > 0 ? 0 : run->n_nodes);
		enter_stage(run, run->o->prime ? STAGE_PRIME : STAGE_MEASURE);
		if (run->o->rate > 0) {
			struct timeval tick = {.tv_sec = 0, .tv_usec = 1000};

			event_add(run->ev_tick, &tick);
		} else {
			event_active(run->ev_tick, EV_TIMEOUT, 0);
		}
	} else {
		enter_stage(run, STAGE_MEASURE);
		event_active(run->ev_step, EV_TIMEOUT, 0);
	}
}

/* A new or restarted agent knows none of the MN-FA keys the AAA gave: every
 * node registers again as if for the first time (a new AMR at this agent).  A
 * load run's outstanding requests go again in that form, through this agent;
 * the one-node scenario re-sends its own below. */
static void forget_agent(struct mn_run *run)
{
	for (uint32_t i = 0; i < run->n_nodes; i++) {
		struct mn_node *n = &run->nodes[i];
		struct mn_req *r = n->pending;

		if (!n->sa.valid && !n->fa_sa.valid)
			continue;
		mn_reg_forget_agent(n);
		if (r && run->o->load) {
			evtimer_del(r->timer);
			if (build_and_send(r) != 0)
				finish(r, REG_CODE_UNSPECIFIED, NULL);
		}
	}
	flush(run);
}

static void on_agent(enum mn_fa_event ev, void *arg)
{
	struct mn_run *run = arg;
	struct mn_agent *a = mn_fa_agent(run->fa);
	char f[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];

	if (ev == MN_FA_AGENT_LOST) {
		if (run->o->verbose)
			mn_say("foreign agent %s not heard for its advertisement lifetime: soliciting",
			           ip(run->dest.sin_addr.s_addr, f));
		return;
	}
	run->dest.sin_addr.s_addr = a->addr;
	run->dest.sin_port = htons(REG_PORT);
	run->conf.coa = a->coa;
	run->fa_lifetime = 0;
	/* A new agent (or a restarted one) knows nothing of earlier challenges. */
	for (uint32_t i = 0; i < run->n_nodes; i++)
		run->nodes[i].chal.reply_len = 0;
	if (run->conf.fa_keygen)
		forget_agent(run);
	if (run->o->verbose)
		mn_say("foreign agent %s: care-of address %s, sequence %u, registration lifetime up to %u%s%s",
		           ip(a->addr, f), ip(a->coa, c), a->seq, a->reg_lifetime,
		           a->adv_chal_len ? ", challenges" : "", ev == MN_FA_AGENT_RESTARTED ? " (restarted)" : "");
	if (!run->started) {
		start_run(run);
		return;
	}
	if (run->o->load)
		return; /* a load run registers through the first agent only */
	struct mn_node *n = &run->nodes[0];
	struct mn_req *r = n->pending;

	if (r) {
		/* Sent through the agent left behind: again, through this one. */
		evtimer_del(r->timer);
		if (build_and_send(r) == 0)
			flush(run);
		return;
	}
	if (n->registered && run->staying) {
		start_op(run, n, MN_PHASE_REREG, true);
		flush(run);
	}
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
	struct mn_run *run = arg;

	(void)fd;
	(void)what;
	if (run->interrupted) {
		event_base_loopbreak(run->base);
		return;
	}
	if (run->staying) {
		/* --stay ends here: the scenario goes on to its deregistration. */
		event_active(run->ev_stay, EV_TIMEOUT, 0);
		return;
	}
	/* First signal: start nothing new, let the outstanding requests end. */
	run->interrupted = true;
	if (run->o->load)
		fill(run);
	if (run->o->tun && !run->outstanding) {
		if (run->o->no_dereg) {
			event_base_loopbreak(run->base);
			return;
		}
		evtimer_del(run->ev_step);
		event_active(run->ev_step, EV_TIMEOUT, 0);
	}
	flush(run);
}

static int setup_nodes(struct mn_run *run)
{
	const struct mn_opts *o = run->o;

	if (o->static_mode) {
		run->n_nodes = o->load ? (o->mns ? o->mns : 1) : 1;
	} else {
		if (mn_boot_open(&run->boot, o) != 0 ||
		    mn_boot_load(&run->boot, o->load ? o->mns : 1, &run->store) != 0)
			return -1;
		if (run->boot.failed) {
			fprintf(stderr, "mip4-mn: %u of the nodes' Ub bootstraps failed\n", run->boot.failed);
			return -1;
		}
		if (run->store.n == 0) {
			fprintf(stderr, "mip4-mn: %s: no bootstrap entries\n", o->store ? o->store : o->subscriber);
			return -1;
		}
		if (o->mns > run->store.n) {
			fprintf(stderr, "mip4-mn: --mns %u: the store has only %zu entries\n", o->mns, run->store.n);
			return -1;
		}
		run->n_nodes = o->load ? (o->mns ? o->mns : (uint32_t)run->store.n) : 1;
		run->naf_id_len = gba_naf_id(o->naf_fqdn, o->ua_id, run->naf_id, sizeof(run->naf_id));
	}
	if (run->n_nodes > MN_REG_MAX_NODES) {
		fprintf(stderr, "mip4-mn: at most %u nodes\n", MN_REG_MAX_NODES);
		return -1;
	}
	run->nodes = calloc(run->n_nodes, sizeof(*run->nodes));
	if (!run->nodes)
		return -1;

	for (uint32_t i = 0; i < run->n_nodes; i++) {
		struct mn_node *n = &run->nodes[i];

		n->idx = i;
		n->clock_adj = o->clock_offset;
		if (o->home_addr)
			n->home_addr = htonl(ntohl(o->home_addr) + i);
		if (o->static_mode) {
			n->sa.valid = true;
			n->sa.spi = o->static_spi;
			n->sa.alg = o->static_alg;
			memcpy(n->sa.key, o->static_key, o->static_key_len);
			n->sa.key_len = o->static_key_len;
			if (o->nai) {
				n->nai = o->nai;
				n->nai_len = strlen(o->nai);
			}
			continue;
		}
		const struct bootstrap_entry *e = &run->store.e[i];

		if (!o->load && o->btid) {
			e = bootstrap_find(&run->store, o->btid, strlen(o->btid));
			if (!e) {
				fprintf(stderr, "mip4-mn: --btid: %s: not in %s\n", o->btid, o->store);
				return -1;
			}
		} else if (!o->load && o->impi) {
			e = mn_store_newest(&run->store, o->impi);
			if (!e) {
				fprintf(stderr, "mip4-mn: --impi: %s: not in %s\n", o->impi, o->store);
				return -1;
			}
		}
		if (mn_reg_set_bootstrap(run->ctx, n, e, run->naf_id, run->naf_id_len) != 0) {
			fprintf(stderr, "mip4-mn: cannot derive Ks_NAF\n");
			return -1;
		}
	}
	return 0;
}

/* --tun: the care-of address's interface, the --handover target, the data path. */
static int setup_tun(struct mn_run *run)
{
	const struct mn_opts *o = run->o;
	char a[INET_ADDRSTRLEN], err[256];
	if (!run->conf.coa) {
		fprintf(stderr, "mip4-mn: --tun needs the care-of address: --coa or --bind ADDR\n");
		return -1;
	}
	if (mn_datapath_resolve(ip(run->conf.coa, a), &run->coa_home_link, run->dev_home_link, err, sizeof err) != 0) {
		fprintf(stderr, "mip4-mn: --tun: care-of address: %s\n", err);
		return -1;
	}
	snprintf(run->dev, sizeof run->dev, "%s", run->dev_home_link);
	if (o->handover && mn_datapath_resolve(o->handover, &run->coa_alt, run->dev_alt, err, sizeof err) != 0) {
		fprintf(stderr, "mip4-mn: --handover %s: %s\n", o->handover, err);
		return -1;
	}
	return 0;
}

static int setup_socket(struct mn_run *run)
{
	run->fd = open_reg_socket(run, run->o->bind.sin_addr.s_addr, run->o->tun ? run->dev : run->o->fa_iface);
	return run->fd < 0 ? -1 : 0;
}

static int setup_loop(struct mn_run *run)
{
	const struct mn_opts *o = run->o;

	run->base = event_base_new();
	if (!run->base)
		return -1;
	run->ev_read = event_new(run->base, run->fd, EV_READ | EV_PERSIST, on_read, run);
	run->ev_tick = event_new(run->base, -1, o->rate > 0 ? EV_PERSIST : 0, on_tick, run);
	run->ev_step = evtimer_new(run->base, single_step, run);
	run->ev_int = evsignal_new(run->base, SIGINT, on_signal, run);
	run->ev_term = evsignal_new(run->base, SIGTERM, on_signal, run);
	run->ev_stay = evtimer_new(run->base, on_stay_over, run);
	if (!run->ev_read || !run->ev_tick || !run->ev_step || !run->ev_int || !run->ev_term || !run->ev_stay)
		return -1;
	if (o->tun) {
		char err[256];
		run->dp = mn_datapath_open(run->base, o->ha.sin_addr.s_addr, o->tun_device ? o->tun_device : "mip4mn0", err,
		                           sizeof err);
		if (!run->dp) {
			fprintf(stderr, "mip4-mn: --tun: %s\n", err);
			return -1;
		}
	}
	if (o->handover) {
		run->ev_usr1 = evsignal_new(run->base, SIGUSR1, on_handover, run);
		if (!run->ev_usr1 || event_add(run->ev_usr1, NULL) != 0)
			return -1;
	}
	event_add(run->ev_read, NULL);
	event_add(run->ev_int, NULL);
	event_add(run->ev_term, NULL);
	run->n_slots = o->load ? o->window : 1;
	run->slots = calloc(run->n_slots, sizeof(*run->slots));
	if (!run->slots || mn_table_init(&run->table, run->n_slots) != 0)
		return -1;
	for (unsigned i = 0; i < run->n_slots; i++) {
		struct mn_req *r = &run->slots[i];

		r->run = run;
		r->timer = evtimer_new(run->base, on_timeout, r);
		if (!r->timer)
			return -1;
		r->next_free = run->free_slots;
		run->free_slots = r;
	}
	return 0;
}

static void teardown(struct mn_run *run)
{
	for (unsigned i = 0; run->slots && i < run->n_slots; i++)
		if (run->slots[i].timer)
			event_free(run->slots[i].timer);
	free(run->slots);
	mn_table_free(&run->table);
	event_free(run->ev_read);
	event_free(run->ev_tick);
	event_free(run->ev_step);
	event_free(run->ev_int);
	event_free(run->ev_term);
	if (run->ev_stay)
		event_free(run->ev_stay);
	mn_fa_close(run->fa);
	if (run->ev_usr1)
		event_free(run->ev_usr1);
	if (run->dp) {
		struct mn_datapath_stats ds;
		mn_datapath_get_stats(run->dp, &ds);
		mn_say("data path: %llu decapsulated (%llu octets), %llu reverse-tunnelled, %llu sent directly; dropped: "
		       "%llu not from the HA, %llu not for us, %llu malformed, %llu not from the home address; %llu send "
		       "errors, %llu write errors",
		       (unsigned long long)ds.decap_packets, (unsigned long long)ds.decap_bytes,
		       (unsigned long long)ds.reverse_packets, (unsigned long long)ds.direct_packets,
		       (unsigned long long)ds.drop_not_from_ha, (unsigned long long)ds.drop_not_for_us,
		       (unsigned long long)ds.drop_malformed, (unsigned long long)ds.drop_not_from_home,
		       (unsigned long long)ds.send_errors, (unsigned long long)ds.write_errors);
		mn_datapath_close(run->dp);
	}
	if (run->base)
		event_base_free(run->base);
	if (run->fd >= 0)
		close(run->fd);
	for (uint32_t i = 0; run->nodes && i < run->n_nodes; i++)
		mn_reg_node_clear(&run->nodes[i]);
	free(run->nodes);
	bootstrap_free(&run->store);
	mn_boot_close(&run->boot);
	auth_ctx_free(run->ctx);
	OPENSSL_cleanse(&run->fa_sa, sizeof(run->fa_sa));
	mn_stats_free(&run->stats);
}

int mn_load_run(const struct mn_opts *o)
{
	struct mn_run run = {.o = o, .fd = -1};
	int rc = 2;

	mn_stats_init(&run.stats);
	run.ctx = auth_ctx_new();
	if (!run.ctx) {
		fprintf(stderr, "mip4-mn: cannot set up OpenSSL contexts\n");
		goto out;
	}
	run.conf.ha_addr = o->ha.sin_addr.s_addr;
	run.conf.coa = o->coa ? o->coa : o->bind.sin_addr.s_addr;
	run.conf.flags = REG_FLAG_D | (o->reverse_tunnel ? REG_FLAG_T : 0);
	run.conf.aaa_spi = o->aaa_spi;
	run.conf.mn_spi = o->mn_spi;
	run.conf.method = o->method;
	run.dest = o->ha;
	if (o->fa_iface) {
		/* The agent's care-of address: no D bit. */
		run.conf.flags = o->reverse_tunnel ? REG_FLAG_T : 0;
		if (o->fa_spi) {
			run.fa_sa = (struct mn_sa){.valid = true, .spi = o->fa_spi, .alg = o->fa_alg, .key_len = o->fa_key_len};
			memcpy(run.fa_sa.key, o->fa_key, o->fa_key_len);
			run.conf.fa_sa = &run.fa_sa;
		}
		run.conf.fa_keygen = !o->fa_spi && !o->static_mode && o->method != 2;
	}
	if (setup_nodes(&run) != 0 || (o->tun && setup_tun(&run) != 0) || setup_socket(&run) != 0)
		goto out;
	if (setup_loop(&run) != 0) {
		fprintf(stderr, "mip4-mn: cannot set up the event loop\n");
		goto out;
	}
	if (o->fa_iface) {
		run.fa = mn_fa_open(run.base, o->fa_iface, on_agent, &run, o->verbose);
		if (!run.fa)
			goto out;
		if (o->verbose)
			mn_say("soliciting foreign agents on %s", o->fa_iface);
	} else {
		start_run(&run);
	}
	event_base_dispatch(run.base);
	if (run.stage == STAGE_MEASURE && run.measured_s == 0)
		run.measured_s = elapsed_since(&run.t_stage);
	mn_stats_print(&run.stats, run.measured_s, o->json, stdout);
	if (o->load)
		rc = run.stats.accepted == run.stats.sent && !run.interrupted ? 0 : 1;
	else
		rc = run.single_failed || (run.interrupted && !o->tun) ? 1 : 0;
out:
	teardown(&run);
	return rc;
}
