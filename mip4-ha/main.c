/*
 * mip4-ha: the Mobile IPv4 Home Agent daemon.  Startup, signals, the libevent
 * loop that owns all HA state, and the glue between the modules.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "lib/auth.h"
#include "lib/log.h"
#include "lib/replay.h"
#include "mip4-ha/binding.h"
#include "mip4-ha/bindings_json.h"
#include "mip4-ha/conf.h"
#include "mip4-ha/counters.h"
#include "agent/ctl.h"
#include "agent/daemon.h"
#include "agent/tun.h"
#include "mip4-ha/dataplane.h"
#include "mip4-ha/diameter.h"
#include "mip4-ha/journal.h"
#include "mip4-ha/pending.h"
#include "mip4-ha/reg_process.h"
#include "agent/sa.h"
#include "agent/udp.h"

#define HA_DEFAULT_CONF "/etc/mip4-ha/mip4-ha.conf"
#define HA_PENDING_GRACE_MS 5000
#define HA_MAX_FOREIGN_AGENTS 4096

struct ha {
	struct conf *conf;
	bool debug;
	struct event_base *base;
	struct event *ev_udp, *ev_tick, *ev_wake, *ev_ready, *ev_drain;
	struct event *ev_sig[3];
	struct udp_sock *udp;
	struct ctl *ctl;
	struct journal *journal;
	struct binding_table bindings;
	struct sa_table sas;
	struct sa_table fa_sas;
	struct pending_table pending;
	struct counters ctr;
	struct dataplane *dp;     /* NULL: control plane only */
	struct reg_state st;
	struct reg_result res;
	struct log_rate malformed_rate;
	struct timespec started;
	bool ready, stopping;
};

static void ha_now(struct reg_now *n)
{
	clock_gettime(CLOCK_MONOTONIC, &n->mono);
	n->sec = (uint32_t)n->mono.tv_sec;
	n->ntp = replay_ntp_now();
}

static const char *ha_ip(uint32_t a, char *buf)
{
	struct in_addr in = { a };
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* via: "aaa" or "zn" with the wait in ms, or NULL for a decision made locally. */
static void ha_log_result(struct ha *ha, const struct reg_result *r, const char *via, double ms)
{
	char h[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	if (r->out == REG_OUT_REPLY && r->logged_outcome) {
		if (!log_enabled(LOG_LEVEL_INFO))
			return;
		if (via) {
			log_msg(LOG_LEVEL_INFO, "registration mn=%s home=%s coa=%s code=%u lifetime=%u via=%s %s_ms=%.2f (%s)",
			        r->mn, ha_ip(r->home_addr, h), ha_ip(r->coa, c), r->code, r->lifetime, via, via, ms, r->why);
			return;
		}
		/* The line of every local registration, put together without printf
		 * so that it costs little next to the registration itself. */
		struct log_text t;
		t.len = 0;
		log_text_str(&t, "registration mn=");
		log_text_str(&t, r->mn);
		log_text_str(&t, " home=");
		log_text_ipv4(&t, r->home_addr);
		log_text_str(&t, " coa=");
		log_text_ipv4(&t, r->coa);
		log_text_str(&t, " code=");
		log_text_u32(&t, r->code);
		log_text_str(&t, " lifetime=");
		log_text_u32(&t, r->lifetime);
		if (r->cached) {
			log_text_str(&t, " via=");
			log_text_str(&t, r->cached);
			log_text_str(&t, " cached-reply (");
		} else {
			log_text_str(&t, " via=local (");
		}
		log_text_str(&t, r->why);
		log_text_str(&t, ")");
		log_text_emit(LOG_LEVEL_INFO, &t);
	} else if (log_enabled(LOG_LEVEL_DEBUG)) {
		/* Peer-triggered and possibly a flood: debug, rate-limited. */
		unsigned suppressed = 0;
		char what[32];
		if (r->out == REG_OUT_REPLY)
			snprintf(what, sizeof what, "replied %u", r->code);
		else
			snprintf(what, sizeof what, "%s", r->out == REG_OUT_AMR ? "AMR sent"
			                                  : r->out == REG_OUT_ZN ? "Ks_NAF asked" : "dropped");
		if (log_rate_allow(&ha->malformed_rate, time(NULL), 20, &suppressed))
			log_msg(LOG_LEVEL_DEBUG, "request from mn=%s home=%s: %s, %s (%u similar suppressed)", r->mn,
			        ha_ip(r->home_addr, h), r->why, what, suppressed);
	}
}

static double ha_ms_since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Bring the data plane of home_addr in line with its binding (or its absence)
 * after a registration decision. */
static void ha_sync_dataplane(struct ha *ha, const struct reg_result *r)
{
	if (!ha->dp || r->out != REG_OUT_REPLY || r->home_addr == 0)
		return;
	const struct binding *b = binding_find(&ha->bindings, r->home_addr);
	if (b)
		dataplane_bind(ha->dp, b->home_addr, b->coa, (b->flags & REG_FLAG_T) != 0);
	else
		dataplane_unbind(ha->dp, r->home_addr);
}

/* The journal hears of every change before the reply announcing it is queued. */
static void ha_journal_note(struct ha *ha, const struct reg_result *r, uint64_t pending_id, const struct reg_now *now)
{
	if (!ha->journal || !r->changed)
		return;
	journal_note(ha->journal, r->home_addr, r->changed, now);
	if (r->changed & REG_CHANGED_REPLY)
		journal_note_reply(ha->journal, pending_by_id(&ha->pending, pending_id), now);
}

static void ha_journal_commit(void *arg)
{
	struct ha *ha = arg;
	if (ha->journal)
		journal_commit(ha->journal);
}

static void ha_count_aaa(struct ha *ha, const struct aaa_answer *a, double ms)
{
	switch (a->status) {
	case AAA_ANSWERED:
		ha->ctr.aaa_answered++;
		counters_result(&ha->ctr, a->result_code);
		expo_hist_add(&ha->ctr.aaa_latency, (uint64_t)(ms * 1000.0));
		break;
	case AAA_TIMED_OUT:
		ha->ctr.aaa_timeout++;
		break;
	case AAA_FAILED:
		break;
	}
}

static void ha_apply_answer(struct ha *ha, struct aaa_answer *a)
{
	struct reg_now now;
	ha_now(&now);
	double ms = -1;
	struct pending *p = pending_by_id(&ha->pending, a->pending_id);
	if (p && !p->answered) {
		ms = ha_ms_since(&p->started, &a->at);
		if (ms < 0)
			ms = 0;
		/* Zn outcomes are counted by the Zn client (dia_zn_stats). */
		if (!a->zn)
			ha_count_aaa(ha, a, ms);
	}
	reg_process_answer(&ha->st, a, &now, &ha->res);
	ha_journal_note(ha, &ha->res, a->pending_id, &now);
	ha_sync_dataplane(ha, &ha->res);
	if (ha->res.out == REG_OUT_REPLY)
		udp_queue(ha->udp, ha->res.reply, ha->res.reply_len, &ha->res.dest);
	ha_log_result(ha, &ha->res, ms >= 0 ? (a->zn ? "zn" : "aaa") : NULL, ms);
}

/* A HAR: served like a request whose AMA is already in, answered in the HAA
 * (the foreign agent gets the reply through the AAA, not from us). */
static void ha_apply_har(struct ha *ha, struct aaa_answer *a)
{
	struct reg_now now;
	ha_now(&now);
	reg_process_har(&ha->st, a, &now, &ha->res);
	ha_journal_note(ha, &ha->res, 0, &now);
	ha_sync_dataplane(ha, &ha->res);
	bool reply = ha->res.out == REG_OUT_REPLY;
	dia_answer_har(a, ha->res.reply, reply ? ha->res.reply_len : 0, ha->res.home_addr);
	ha_log_result(ha, &ha->res, "har", ha_ms_since(&a->at, &now.mono));
}

static void ha_on_datagram(const uint8_t *buf, size_t len, bool truncated, const struct sockaddr_in *from, void *arg)
{
	struct ha *ha = arg;
	if (truncated) {
		ha->ctr.requests++;
		ha->ctr.malformed[REG_ERR_TOO_LONG]++;
		return;
	}
	struct reg_now now;
	ha_now(&now);
	ha->st.describe = log_enabled(LOG_LEVEL_INFO);
	reg_process_request(&ha->st, buf, len, from, &now, &ha->res);
	struct reg_result *r = &ha->res;
	ha_journal_note(ha, r, 0, &now);
	ha_sync_dataplane(ha, r);
	if (r->out == REG_OUT_REPLY) {
		udp_queue(ha->udp, r->reply, r->reply_len, &r->dest);
		ha_log_result(ha, r, NULL, 0);
	} else if (r->out == REG_OUT_ZN) {
		/* The outcome comes back through the queue, even from the cache. */
		dia_zn_lookup(r->msg.nai.p, r->msg.nai.len, r->pending->id,
		              (int64_t)(now.ntp >> 32) - (int64_t)REPLAY_NTP_UNIX_OFFSET);
	} else if (r->out == REG_OUT_AMR) {
		uint64_t id = r->pending->id;
		if (dia_send_amr(&r->msg, id, ha->conf->dia.timeout_ms) == 0) {
			ha->ctr.aaa_sent++;
			return;
		}
		ha->ctr.aaa_send_failed++;
		struct aaa_answer a = { .pending_id = id, .status = AAA_FAILED, .at = now.mono };
		ha_apply_answer(ha, &a);
	} else {
		ha_log_result(ha, r, NULL, 0);
	}
}

static void ha_on_udp(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct ha *ha = arg;
	/* A few batches per wake-up, then let timers and answers run.  The log
	 * lines of the whole wake-up leave in one write. */
	log_batch_begin();
	for (int i = 0; i < 8; i++)
		if (udp_recv_batch(ha->udp, ha_on_datagram, ha) < UDP_BATCH)
			break;
	log_batch_end();
}

static void ha_on_wake(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct ha *ha = arg;
	struct aaa_answer a;
	log_batch_begin();
	while (dia_pop(&a)) {
		if (a.har)
			ha_apply_har(ha, &a);
		else
			ha_apply_answer(ha, &a);
		OPENSSL_cleanse(&a, sizeof a);
	}
	udp_flush(ha->udp);
	log_batch_end();
	if (ha->stopping && ha->pending.inflight == 0)
		event_base_loopbreak(ha->base);
}

static void ha_binding_gone(const struct binding *b, void *arg)
{
	struct ha *ha = arg;
	char h[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	ha->ctr.bindings_expired++;
	if (ha->dp)
		dataplane_unbind(ha->dp, b->home_addr);
	log_msg(LOG_LEVEL_INFO, "binding expired home=%s coa=%s", ha_ip(b->home_addr, h), ha_ip(b->coa, c));
}

static void ha_sa_gone(const struct sa *s, void *arg)
{
	struct ha *ha = arg;
	char h[INET_ADDRSTRLEN];
	ha->ctr.sas_expired++;
	log_msg(LOG_LEVEL_INFO, "security association expired home=%s spi=%u", ha_ip(s->addr, h), s->spi);
}

static void ha_on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct ha *ha = arg;
	struct reg_now now;
	ha_now(&now);
	/* Every AMR ends in an answer or an expiry callback; an entry far past its
	 * deadline means that callback was lost (out of memory): answer 130. */
	struct pending *p = pending_oldest(&ha->pending);
	uint32_t deadline_ms = ha->conf->dia.timeout_ms > ha->conf->zn.timeout_ms ? ha->conf->dia.timeout_ms
	                                                                          : ha->conf->zn.timeout_ms;
	if (p && ha_ms_since(&p->started, &now.mono) > deadline_ms + HA_PENDING_GRACE_MS) {
		struct aaa_answer a = { .pending_id = p->id, .status = AAA_FAILED, .at = now.mono };
		ha_apply_answer(ha, &a);
		udp_flush(ha->udp);
	}
	log_batch_begin();
	binding_expire(&ha->bindings, now.sec, ha_binding_gone, ha);
	sa_expire(&ha->sas, now.sec, ha_sa_gone, ha);
	log_batch_end();
	pending_expire(&ha->pending, now.sec);
	if (ha->dp)
		dataplane_tick(ha->dp);
}

static void ha_on_ready_check(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct ha *ha = arg;
	if (ha->ready)
		return;
	char peers[512] = "";
	if (ha->conf->dia.enabled && !dia_ready(peers, sizeof peers)) {
		struct timeval tv = { 0, 100000 };
		evtimer_add(ha->ev_ready, &tv);
		return;
	}
	ha->ready = true;
	char a[INET_ADDRSTRLEN];
	log_msg(LOG_LEVEL_NOTICE, "ready: listening on %s:%u%s%s", ha_ip(ha->conf->address, a), ha->conf->port,
	        !ha->conf->dia.enabled ? ", no Diameter peer configured"
	        : strchr(peers, ',')   ? ", Diameter peers open: "
	                               : ", Diameter peer open: ",
	        peers);
#ifdef HAVE_SYSTEMD
	sd_notify(0, "READY=1");
#endif
}

/* SIGHUP: static SAs, limits and log level; never the bindings. */
struct ha_reload {
	struct ha *ha;
	const struct conf *next;
};

static void ha_drop_stale_static(struct sa *s, void *arg)
{
	struct ha_reload *rl = arg;
	if (!s->is_static)
		return;
	for (size_t i = 0; i < rl->next->n_sas; i++)
		if (rl->next->sas[i].addr == s->addr)
			return;
	sa_remove(&rl->ha->sas, s);
}

static size_t ha_install_static(struct ha *ha, const struct conf *c, uint32_t now)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_sas; i++) {
		const struct conffile_sa *cs = &c->sas[i];
		struct sa *old = sa_find(&ha->sas, cs->addr);
		if (old && !old->is_static)
			continue; /* a key the AAA gave the MN wins until it expires */
		struct sa_params p = {
			.spi = cs->spi, .alg = cs->alg, .replay = 2, .key = cs->key, .key_len = cs->key_len,
			.expires = cs->lifetime ? now + cs->lifetime : 0, .is_static = true,
		};
		if (sa_install(&ha->sas, cs->addr, &p))
			n++;
		else
			log_msg(LOG_LEVEL_WARNING, "static security association %u: no room", cs->spi);
	}
	return n;
}

static void ha_drop_fa(struct sa *s, void *arg)
{
	sa_remove(arg, s);
}

/* The FA-HA associations of c replace the running ones; c keeps no key. */
static size_t ha_install_fa(struct ha *ha, struct conf *c)
{
	size_t n = 0;
	sa_foreach(&ha->fa_sas, ha_drop_fa, &ha->fa_sas);
	for (size_t i = 0; i < c->n_fa_sas; i++) {
		const struct conffile_sa *cs = &c->fa_sas[i];
		struct sa_params p = {
			.spi = cs->spi, .alg = cs->alg, .key = cs->key, .key_len = cs->key_len, .is_static = true,
		};
		if (sa_install(&ha->fa_sas, cs->addr, &p))
			n++;
		else
			log_msg(LOG_LEVEL_WARNING, "FA-HA security association %u: no room", cs->spi);
		OPENSSL_cleanse(c->fa_sas[i].key, sizeof c->fa_sas[i].key);
	}
	return n;
}

static void ha_reload(struct ha *ha)
{
	struct conf *next = conf_load(ha->conf->path);
	if (!next) {
		log_msg(LOG_LEVEL_WARNING, "reload of %s failed (see the line above); keeping the running configuration",
		        ha->conf->path);
		return;
	}
	struct conf *c = ha->conf;
	if (next->address != c->address || next->port != c->port || next->max_bindings != c->max_bindings ||
	    next->dia.enabled != c->dia.enabled || next->zn.enabled != c->zn.enabled ||
	    (next->control_socket && c->control_socket && strcmp(next->control_socket, c->control_socket) != 0))
		log_msg(LOG_LEVEL_WARNING, "reload: address, port, max_bindings, control_socket and the diameter "
		                           "and zn sections take effect only at restart");
	if (next->data_plane != c->data_plane || next->route_protocol != c->route_protocol ||
	    strcmp(next->home_interface, c->home_interface) != 0 || strcmp(next->tunnel_device, c->tunnel_device) != 0)
		log_msg(LOG_LEVEL_WARNING, "reload: data_plane, home_interface, tunnel_device and route_protocol take "
		                           "effect only at restart");
	memcpy(c->nets, next->nets, sizeof c->nets);
	c->n_nets = next->n_nets;
	c->max_lifetime = next->max_lifetime;
	c->replay_window = next->replay_window;
	c->reverse_tunnel = next->reverse_tunnel;
	c->drain_timeout_ms = next->drain_timeout_ms;
	c->log_level = next->log_level;
	if (next->max_pending * 2 <= ha->pending.n_slots)
		ha->pending.max_inflight = c->max_pending = next->max_pending;
	else
		log_msg(LOG_LEVEL_WARNING, "reload: max_pending above %u takes effect only at restart",
		        ha->pending.n_slots / 2);
	if (!ha->debug)
		log_set_level(c->log_level);
	struct reg_now now;
	ha_now(&now);
	struct ha_reload rl = { ha, next };
	sa_foreach(&ha->sas, ha_drop_stale_static, &rl);
	size_t n = ha_install_static(ha, next, now.sec);
	size_t n_fa = ha_install_fa(ha, next);
	/* The running configuration keeps no copy of the static keys. */
	for (size_t i = 0; i < c->n_sas; i++)
		OPENSSL_cleanse(c->sas[i].key, sizeof c->sas[i].key);
	log_msg(LOG_LEVEL_NOTICE, "reloaded %s: %zu static security associations, %zu bindings kept, %zu foreign agents",
	        c->path, n, ha->bindings.tab.count, n_fa);
	conf_free(next);
}

static void ha_on_drain_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct ha *ha = arg;
	log_msg(LOG_LEVEL_WARNING, "shutdown: %u registrations still waiting for the AAA are dropped",
	        ha->pending.inflight);
	event_base_loopbreak(ha->base);
}

static void ha_on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct ha *ha = arg;
	if (sig == SIGHUP) {
		ha_reload(ha);
		return;
	}
	if (ha->stopping)
		return;
	ha->stopping = true;
#ifdef HAVE_SYSTEMD
	sd_notify(0, "STOPPING=1");
#endif
	event_del(ha->ev_udp);
	log_msg(LOG_LEVEL_NOTICE, "shutdown (%s): %u registrations waiting for the AAA", strsignal((int)sig),
	        ha->pending.inflight);
	if (ha->pending.inflight == 0) {
		event_base_loopbreak(ha->base);
		return;
	}
	struct timeval tv = { ha->conf->drain_timeout_ms / 1000, (ha->conf->drain_timeout_ms % 1000) * 1000 };
	evtimer_add(ha->ev_drain, &tv);
}

/* The data plane's part of a binding in "bindings": its tunnel and counters. */
static int ha_binding_dataplane_json(uint32_t home_addr, uint32_t flags, struct textbuf *out, void *arg)
{
	struct ha *ha = arg;
	struct dataplane_binding_stats ds;
	int rc = textbuf_printf(out, ",\"reverse_tunnel\":%s", flags & REG_FLAG_T ? "true" : "false");
	if (dataplane_binding_stats(ha->dp, home_addr, &ds))
		rc |= textbuf_printf(out,
			",\"tunnel_mtu\":%u,\"encapsulated_packets\":%llu,\"encapsulated_bytes\":%llu,"
			"\"decapsulated_packets\":%llu,\"decapsulated_bytes\":%llu,\"tunnel_refused\":%llu",
			ds.tunnel_mtu, (unsigned long long)ds.encap_packets, (unsigned long long)ds.encap_bytes,
			(unsigned long long)ds.decap_packets, (unsigned long long)ds.decap_bytes,
			(unsigned long long)ds.refused);
	return rc;
}

static int ha_render(const char *cmd, struct textbuf *out, void *arg)
{
	struct ha *ha = arg;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	struct zn_stats zn;
	dia_zn_stats(&zn);
	struct counters_gauges g = {
		.bindings = ha->bindings.tab.count, .sas = ha->sas.tab.count, .pending = ha->pending.inflight,
		.uptime_s = (uint64_t)(t.tv_sec - ha->started.tv_sec), .zn = ha->conf->zn.enabled ? &zn : NULL,
	};
	ha->ctr.send_errors = ha->udp->send_errors;
	if (ha->journal) {
		struct journal_stats js;
		journal_get_stats(ha->journal, &js);
		ha->ctr.journal_records = js.records;
		ha->ctr.journal_bytes = js.bytes;
		ha->ctr.journal_syncs = js.syncs;
		ha->ctr.journal_write_errors = js.write_errors;
		ha->ctr.journal_compactions = js.compactions;
	}
	if (strcmp(cmd, "stats") == 0) {
		struct textbuf more = { 0 };
		int rc = ha->dp ? dataplane_json(ha->dp, &more) : textbuf_printf(&more, "\"dataplane\":{\"mode\":\"none\"}");
		rc |= counters_json(&ha->ctr, &g, more.p, out);
		free(more.p);
		return rc;
	}
	if (strcmp(cmd, "metrics") == 0)
		return counters_prometheus(&ha->ctr, &g, out) | (ha->dp ? dataplane_prometheus(ha->dp, out) : 0);
	if (strncmp(cmd, "bindings", 8) == 0 && (cmd[8] == '\0' || cmd[8] == ' ')) {
		struct reg_now now;
		ha_now(&now);
		return bindings_json_page(cmd + 8, &ha->bindings, &ha->sas, now.sec,
		                          ha->dp ? ha_binding_dataplane_json : NULL, ha, out);
	}
	return -1;
}

static void ha_usage(FILE *f)
{
	fprintf(f,
		"Usage: mip4-ha [-f FILE] [-n] [-d]\n"
		"       mip4-ha --help | --version\n"
		"\n"
		"Mobile IPv4 Home Agent (RFC 5944) for co-located care-of addresses and for\n"
		"registrations relayed by foreign agents (FA-HA authentication with the agents\n"
		"it shares an association with).  MN-HA keys come from static security\n"
		"associations in the configuration, from a Diameter AAA server (RFC 4004\n"
		"AMR/AMA, RFC 3957 key generation), or, with a zn section, from a GBA BSF over\n"
		"Zn: the HA is the NAF and the key is the node's Ks_NAF (3GPP TR 33.822 method\n"
		"2).  The diameter section lists the peers: AAA servers and BSFs.\n"
		"\n"
		"Options:\n"
		"  -f, --config FILE  configuration file (default " HA_DEFAULT_CONF ")\n"
		"  -n, --check        check the configuration, print the verdict and exit:\n"
		"                     0 when valid, 1 (with FILE:LINE: option ...: why) when not\n"
		"  -d, --debug        log at debug level to stderr, whatever log_level says\n"
		"  -h, --help         show this help and exit\n"
		"  -V, --version      show the version and exit\n"
		"\n"
		"Runs in the foreground and logs to stderr.  Signals: SIGTERM/SIGINT stop taking\n"
		"requests, wait up to drain_timeout_ms for registrations waiting for the AAA,\n"
		"then exit 0; SIGHUP reloads home_networks, limits, log_level and the static\n"
		"MN-HA and FA-HA security associations without dropping bindings.\n"
		"\n"
		"The control socket (control_socket, mode 0600) answers mip4-ctl: stats,\n"
		"bindings (JSON) and metrics (Prometheus text).\n"
		"\n"
		"Data plane (data_plane = tun, the default where /dev/net/tun opens): while a\n"
		"mobile node is away, its home address is routed to a TUN device\n"
		"(tunnel_device) and answered for by proxy ARP on home_interface; packets are\n"
		"tunnelled to the care-of address (RFC 2003) and, with reverse_tunnel, accepted\n"
		"back from it (RFC 3024).  Needs CAP_NET_ADMIN and CAP_NET_RAW and\n"
		"net.ipv4.ip_forward = 1.  data_plane = none serves registrations only.\n"
		"\n"
		"Exit status: 0 after a clean shutdown or a valid -n check, 1 on a configuration\n"
		"error, 2 on a usage error, 3 when startup fails.\n");
}

/* A binding the journal restored gets its kernel entries and tunnel again. */
static void ha_install_binding(const struct binding *b, void *arg)
{
	struct ha *ha = arg;
	dataplane_bind(ha->dp, b->home_addr, b->coa, (b->flags & REG_FLAG_T) != 0);
}

static int ha_dataplane_start(struct ha *ha)
{
	const struct conf *c = ha->conf;
	if (c->data_plane == CONF_DATA_PLANE_NONE) {
		log_msg(LOG_LEVEL_NOTICE, "data plane: none (data_plane = none): registrations are served, no packet "
		                          "is forwarded");
		return 0;
	}
	if (c->data_plane == CONF_DATA_PLANE_AUTO && !tun_available()) {
		log_msg(LOG_LEVEL_NOTICE, "data plane: none (/dev/net/tun cannot be opened: %s): registrations are "
		                          "served, no packet is forwarded", strerror(errno));
		return 0;
	}
	struct dataplane_conf dc = {
		.ha_addr = c->address, .tunnel_device = c->tunnel_device, .home_interface = c->home_interface,
		.route_protocol = c->route_protocol, .max_bindings = c->max_bindings,
	};
	char err[320];
	ha->dp = dataplane_start(&dc, err, sizeof err);
	if (ha->dp)
		return 0;
	if (c->data_plane == CONF_DATA_PLANE_AUTO && (errno == EPERM || errno == EACCES)) {
		log_msg(LOG_LEVEL_WARNING, "data plane: none (%s; needs CAP_NET_ADMIN and CAP_NET_RAW, or set "
		                           "data_plane = none): registrations are served, no packet is forwarded", err);
		return 0;
	}
	fprintf(stderr, "mip4-ha: data plane: %s\n", err);
	return -1;
}

/* How the peers of a role are reached: "TLS" when one of them uses it, else
 * "plain TCP"; NULL when there is none. */
static const char *ha_role_transport(const struct conf *c, enum conf_role role)
{
	const char *t = NULL;
	for (size_t i = 0; i < c->dia.n_peers; i++) {
		if (c->dia.peers[i].role != role)
			continue;
		if (c->dia.peers[i].tls)
			return "TLS";
		t = "plain TCP";
	}
	return t;
}

static int ha_setup(struct ha *ha)
{
	struct conf *c = ha->conf;
	struct reg_now now;
	ha_now(&now);
	clock_gettime(CLOCK_MONOTONIC, &ha->started);
	if (binding_table_init(&ha->bindings, c->max_bindings, now.sec) != 0 ||
	    sa_table_init(&ha->sas, c->max_bindings, now.sec) != 0 ||
	    sa_table_init(&ha->fa_sas, HA_MAX_FOREIGN_AGENTS, now.sec) != 0 ||
	    pending_init(&ha->pending, c->max_pending) != 0) {
		fprintf(stderr, "mip4-ha: out of memory for %u bindings\n", c->max_bindings);
		return -1;
	}
	ha->st = (struct reg_state){
		.conf = c, .bindings = &ha->bindings, .sas = &ha->sas, .fa_sas = &ha->fa_sas, .pending = &ha->pending,
		.ctr = &ha->ctr,
		.auth = auth_ctx_new(), .aaa_enabled = conf_peers_with_role(&c->dia, CONF_ROLE_AAA) > 0,
	};
	if (!ha->st.auth) {
		fprintf(stderr, "mip4-ha: OpenSSL MAC contexts unavailable\n");
		return -1;
	}
	size_t n = ha_install_static(ha, c, now.sec);
	size_t n_fa = ha_install_fa(ha, c);
	for (size_t i = 0; i < c->n_sas; i++)
		OPENSSL_cleanse(c->sas[i].key, sizeof c->sas[i].key);

	evthread_use_pthreads();
	ha->base = event_base_new();
	if (!ha->base)
		return -1;
	if (c->journal.enabled) {
		struct journal_load ld;
		if (!(ha->journal = journal_open(&c->journal, ha->base, &ha->bindings, &ha->sas, &ha->pending, &now, &ld)))
			return -1;
		ha->ctr.journal = true;
		log_msg(LOG_LEVEL_NOTICE, "journal: restored %zu bindings, %zu security associations from the AAA, %zu cached "
		                          "replies from %s in %.0f ms (%zu records, %zu files, %zu expired dropped)",
		        ld.bindings, ld.sas, ld.replies, c->journal.directory, ld.ms, ld.records, ld.files, ld.expired);
		if (ld.no_room)
			log_msg(LOG_LEVEL_WARNING, "journal: %zu entries beyond max_bindings dropped", ld.no_room);
	}
	ha->udp = malloc(sizeof *ha->udp);
	if (!ha->udp || udp_open(ha->udp, c->address, c->port) != 0) {
		char a[INET_ADDRSTRLEN];
		fprintf(stderr, "mip4-ha: cannot bind UDP %s:%u: %s\n", ha_ip(c->address, a), c->port, strerror(errno));
		free(ha->udp);
		ha->udp = NULL;
		return -1;
	}
	ha->udp->before_flush = ha_journal_commit;
	ha->udp->before_flush_arg = ha;
	if (ha_dataplane_start(ha) != 0)
		return -1;
	if (ha->dp)
		binding_foreach(&ha->bindings, ha_install_binding, ha);
	ha->ev_udp = event_new(ha->base, ha->udp->fd, EV_READ | EV_PERSIST, ha_on_udp, ha);
	ha->ev_tick = event_new(ha->base, -1, EV_PERSIST, ha_on_tick, ha);
	ha->ev_wake = event_new(ha->base, -1, 0, ha_on_wake, ha);
	ha->ev_ready = evtimer_new(ha->base, ha_on_ready_check, ha);
	ha->ev_drain = evtimer_new(ha->base, ha_on_drain_timeout, ha);
	static const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++)
		ha->ev_sig[i] = evsignal_new(ha->base, sigs[i], ha_on_signal, ha);
	struct timeval second = { 1, 0 }, zero = { 0, 0 };
	if (!ha->ev_udp || !ha->ev_tick || !ha->ev_wake || !ha->ev_ready || !ha->ev_drain || !ha->ev_sig[0] ||
	    !ha->ev_sig[1] || !ha->ev_sig[2] || event_add(ha->ev_udp, NULL) != 0 || event_add(ha->ev_tick, &second) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (event_add(ha->ev_sig[i], NULL) != 0)
			return -1;
	if (c->control_socket && *c->control_socket &&
	    !(ha->ctl = ctl_open(ha->base, c->control_socket, "stats, bindings, metrics", ha_render, ha)))
		return -1;
	if (c->dia.enabled && dia_start(c, ha->ev_wake) != 0)
		return -1;
	evtimer_add(ha->ev_ready, &zero);
	const char *aaa = ha_role_transport(c, CONF_ROLE_AAA), *bsf = ha_role_transport(c, CONF_ROLE_BSF);
	log_msg(LOG_LEVEL_NOTICE,
	        "mip4-ha %s started: %zu static security associations, %zu foreign agents, room for %u bindings, "
	        "%s%s%s%s",
	        MIP4_VERSION, n, n_fa, c->max_bindings, aaa ? "AAA over " : "no AAA", aaa ? aaa : "",
	        bsf ? ", BSF over " : "", bsf ? bsf : "");
	for (size_t i = 0; i < c->dia.n_peers; i++)
		log_msg(LOG_LEVEL_NOTICE, "diameter: peer %s, role %s, %s:%u over %s", c->dia.peers[i].identity,
		        c->dia.peers[i].role == CONF_ROLE_AAA ? "aaa" : "bsf", c->dia.peers[i].address, c->dia.peers[i].port,
		        c->dia.peers[i].tls ? "TLS" : "plain TCP");
	return 0;
}

static void ha_teardown(struct ha *ha)
{
	struct pending *p;
	while ((p = pending_oldest(&ha->pending)))
		pending_remove(&ha->pending, p);
	dataplane_stop(ha->dp);
	ctl_close(ha->ctl);
	if (ha->conf->dia.enabled)
		dia_stop();
	if (ha->udp) {
		udp_flush(ha->udp);
		udp_close(ha->udp);
	}
	journal_close(ha->journal);
	ha->journal = NULL;
	struct event *evs[] = { ha->ev_udp, ha->ev_tick, ha->ev_wake, ha->ev_ready, ha->ev_drain,
	                        ha->ev_sig[0], ha->ev_sig[1], ha->ev_sig[2] };
	for (size_t i = 0; i < sizeof evs / sizeof *evs; i++)
		if (evs[i])
			event_free(evs[i]);
	if (ha->base)
		event_base_free(ha->base);
	free(ha->udp);
	pending_destroy(&ha->pending);
	sa_table_destroy(&ha->fa_sas);
	sa_table_destroy(&ha->sas);
	binding_table_destroy(&ha->bindings);
	auth_ctx_free(ha->st.auth);
	conf_free(ha->conf);
}

int main(int argc, char **argv)
{
	struct daemon_args args;
	switch (daemon_parse_args(argc, argv, "mip4-ha", HA_DEFAULT_CONF, ha_usage, &args)) {
	case DAEMON_RUN: break;
	case DAEMON_EXIT_OK: return 0;
	case DAEMON_USAGE: return 2;
	}
	const char *path = args.config;
	bool debug = args.debug;
	struct conf *c = conf_load(path);
	if (!c)
		return 1;
	if (args.check) {
		printf("%s: configuration OK\n", path);
		conf_free(c);
		return 0;
	}
	log_init("mip4-ha", debug ? LOG_LEVEL_DEBUG : c->log_level, LOG_SINK_STDERR);

	/* Every thread libfdcore starts inherits this mask; only the loop thread
	 * takes the signals, through libevent. */
	daemon_block_signals();

	struct ha *ha = calloc(1, sizeof *ha);
	if (!ha) {
		conf_free(c);
		return 3;
	}
	ha->conf = c;
	ha->debug = debug;
	int rc = 0;
	if (ha_setup(ha) != 0) {
		rc = 3;
	} else {
		daemon_unblock_signals();
		event_base_dispatch(ha->base);
		/* A repeated SIGTERM must not cut the teardown short (the Diameter
		 * shutdown, the last sync): once the loop's handlers are gone it would
		 * kill the process. */
		daemon_block_signals();
		log_msg(LOG_LEVEL_NOTICE, "stopped: %llu requests, %zu bindings %s", (unsigned long long)ha->ctr.requests,
		        ha->bindings.tab.count, ha->journal ? "kept in the journal" : "dropped");
	}
	ha_teardown(ha);
	free(ha);
	log_batch_free();
	libevent_global_shutdown();
	return rc;
}
