/*
 * mip4-fa: the Mobile IPv4 Foreign Agent daemon.  Startup, signals, the libevent
 * loop that owns all state, and the glue between the sockets and the modules:
 * the visited link (registration requests through a packet socket, replies to
 * the nodes' link-layer addresses), the relay socket toward home agents (UDP
 * from the care-of address, ICMP errors through IP_RECVERR), and ICMP Router
 * Discovery (advertisements and solicitations on a raw socket).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "agent/ctl.h"
#include "agent/daemon.h"
#include "agent/icmpsock.h"
#include "agent/ifinfo.h"
#include "agent/linkpkt.h"
#include "agent/udp.h"
#include "lib/adv.h"
#include "lib/inet.h"
#include "lib/log.h"
#include "mip4-fa/advert.h"
#include "mip4-fa/conf.h"
#include "mip4-fa/dataplane.h"
#include "mip4-fa/diameter.h"
#include "mip4-fa/relay.h"

#define FA_DEFAULT_CONF "/etc/mip4-fa/mip4-fa.conf"
#define FA_ALL_SYSTEMS 0xe0000001u /* 224.0.0.1, where advertisements go (RFC 5944 §2.1) */
#define FA_ALL_ROUTERS 0xe0000002u /* 224.0.0.2, where RFC 1256 solicitations go */
#define FA_REPLY_TTL 64
/* RFC 5944 §2.3 / the issue: multicast advertisements at most once a second. */
#define FA_ADV_MIN_GAP_US 1000000ull

struct fa {
	struct fa_conf *conf;
	bool debug;
	struct ifinfo ifi;
	uint32_t coa;
	struct event_base *base;
	struct event *ev_link, *ev_udp, *ev_icmp, *ev_adv, *ev_sol, *ev_tick;
	struct event *ev_dia;      /* an answer of the AAA is queued (diameter.h) */
	bool dia_started;
	struct event *ev_sig[3];
	struct linkpkt *link;
	struct udp_sock *udp;
	struct icmpsock icmp;
	struct ctl *ctl;
	struct relay_state st;
	struct relay_result res;
	struct relay_result res_unsent; /* the 66 for an AMR that could not be sent */
	struct fa_dataplane *dp;   /* NULL: data-plane = false */
	uint16_t adv_seq;
	uint64_t last_adv_us;      /* monotonic time of the last multicast advertisement, 0: none yet */
	uint64_t solicited_us;     /* when the solicitation being answered came */
	uint16_t ip_id;
	struct log_rate drop_rate;
	struct timespec started;
};

static uint64_t fa_mono_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void fa_now(struct relay_now *n)
{
	n->us = fa_mono_us();
	n->sec = (uint32_t)(n->us / 1000000u);
}

static const char *fa_ip(uint32_t a, char *buf)
{
	struct in_addr in = { a };
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static int fa_random(uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

static void fa_log(struct fa *fa, const struct relay_result *r)
{
	char h[INET_ADDRSTRLEN], a[INET_ADDRSTRLEN];
	if (r->new_mn_fa || r->new_fa_ha) {
		char mf[2 * AUTH_KEY_FP_LEN + 1] = "-", fh[2 * AUTH_KEY_FP_LEN + 1] = "-";
		for (int i = 0; r->new_mn_fa && i < AUTH_KEY_FP_LEN; i++)
			snprintf(mf + 2 * i, 3, "%02x", r->mn_fa_fp[i]);
		for (int i = 0; r->new_fa_ha && i < AUTH_KEY_FP_LEN; i++)
			snprintf(fh + 2 * i, 3, "%02x", r->fa_ha_fp[i]);
		log_msg(LOG_LEVEL_INFO, "keys from the AAA mn=%s home=%s ha=%s mn-fa-fp=%s fa-ha-fp=%s", r->mn,
		        fa_ip(r->home_addr, h), fa_ip(r->ha, a), mf, fh);
	}
	if (r->logged_outcome && r->out == RELAY_TO_MN) {
		log_msg(LOG_LEVEL_INFO, "registration mn=%s home=%s ha=%s code=%u (%s)", r->mn, fa_ip(r->home_addr, h),
		        fa_ip(r->ha, a), r->code, r->why);
	} else if (log_enabled(LOG_LEVEL_DEBUG)) {
		/* Peer-triggered and possibly a flood: debug, rate-limited. */
		unsigned suppressed = 0;
		if (log_rate_allow(&fa->drop_rate, time(NULL), 20, &suppressed))
			log_msg(LOG_LEVEL_DEBUG, "mn=%s home=%s: %s%s (%u similar suppressed)", r->mn, fa_ip(r->home_addr, h),
			        r->why ? r->why : "?", r->out == RELAY_DROP ? ", dropped" : "", suppressed);
	}
}

static void fa_act(struct fa *fa, const struct relay_result *r);

/* The AMR for r; when it cannot be sent the node gets 66 at once. */
static void fa_to_aaa(struct fa *fa, const struct relay_result *r)
{
	fa_log(fa, r);
	if (fa_dia_send_amr(r, fa->conf->dia.timeout_ms, fa_mono_us()) == 0)
		return;
	struct relay_now now;
	fa_now(&now);
	relay_aaa_unsent(&fa->st, r->home_addr, r->ident, &now, &fa->res_unsent);
	fa_act(fa, &fa->res_unsent);
}

/* Carry out what the relay decided. */
static void fa_act(struct fa *fa, const struct relay_result *r)
{
	if (r->out == RELAY_TO_AAA) {
		fa_to_aaa(fa, r);
		return;
	}
	if (r->out == RELAY_TO_HA) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(REG_PORT), .sin_addr.s_addr = r->ha };
		udp_queue(fa->udp, r->msg, r->len, &to);
	} else if (r->out == RELAY_TO_MN) {
		uint8_t pkt[RELAY_MSG_MAX + INET_IP_HDR_MIN + INET_UDP_HDR];
		size_t n = inet_build_udp(pkt, sizeof pkt, r->ip_src, r->ip_dst, fa->conf->port, r->dport, FA_REPLY_TTL,
		                          fa->ip_id++, r->msg, r->len);
		if (n == 0 || linkpkt_send(fa->link, r->mac, pkt, n) != 0)
			fa->st.ctr.send_errors++;
	}
	fa_log(fa, r);
}

static void fa_on_link_packet(const uint8_t *pkt, size_t len, const uint8_t mac[6], bool csum_trusted, void *arg)
{
	struct fa *fa = arg;
	struct inet_view v;
	enum inet_err e = inet_parse(pkt, len, INET_PROTO_UDP, csum_trusted ? INET_TRUST_UDP_CHECKSUM : INET_TRUST_NONE,
	                             &v);
	if (e != INET_OK) {
		/* RFC 5944 §3.7.2.1: a bad UDP checksum is a silent discard. */
		fa->st.ctr.link_malformed[e]++;
		return;
	}
	struct relay_link in = { .ip_src = v.src, .ip_dst = v.dst, .sport = v.sport, .buf = v.payload,
	                         .len = v.payload_len };
	memcpy(in.mac, mac, 6);
	struct relay_now now;
	fa_now(&now);
	relay_request(&fa->st, &in, &now, &fa->res);
	fa_act(fa, &fa->res);
}

static void fa_on_link(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct fa *fa = arg;
	for (int i = 0; i < 8; i++)
		if (linkpkt_recv_batch(fa->link, fa_on_link_packet, fa) < LINKPKT_BATCH)
			break;
	udp_flush(fa->udp);
}

static void fa_on_icmp_error(uint32_t dst, uint8_t type, uint8_t code, const uint8_t *payload, size_t len, void *arg)
{
	struct fa *fa = arg;
	struct relay_now now;
	fa_now(&now);
	relay_icmp_error(&fa->st, dst, type, code, payload, len, &now, &fa->res);
	if (fa->res.out != RELAY_DROP)
		fa_act(fa, &fa->res);
}

/* The data plane follows the visitor list. */
static void fa_follow_visitors(struct fa *fa, const struct relay_result *r)
{
	if (!fa->dp)
		return;
	if (r->visitor_change == RELAY_VISITOR_SET)
		fa_dataplane_visit(fa->dp, r->visitor->home_addr, r->visitor->ha, r->visitor->mac,
		                   (r->visitor->flags & REG_FLAG_T) != 0);
	else if (r->visitor_change == RELAY_VISITOR_GONE)
		fa_dataplane_leave(fa->dp, r->home_addr);
}

static void fa_on_udp_datagram(const uint8_t *buf, size_t len, bool truncated, const struct sockaddr_in *from,
                               void *arg)
{
	struct fa *fa = arg;
	/* Requests addressed to the care-of address arrive here too; the packet
	 * socket has them with their link-layer source. */
	if (len >= 1 && buf[0] == REG_TYPE_RRQ)
		return;
	struct relay_now now;
	fa_now(&now);
	relay_reply(&fa->st, buf, truncated ? 0 : len, from->sin_addr.s_addr, &now, &fa->res);
	fa_follow_visitors(fa, &fa->res);
	fa_act(fa, &fa->res);
}

static void fa_on_udp(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct fa *fa = arg;
	udp_recv_errors(fa->udp, fa_on_icmp_error, fa);
	for (int i = 0; i < 8; i++)
		if (udp_recv_batch(fa->udp, fa_on_udp_datagram, fa) < UDP_BATCH)
			break;
	udp_flush(fa->udp);
}

static void fa_advertise(struct fa *fa, bool solicited)
{
	struct relay_state *st = &fa->st;
	if (!solicited && fa->conf->challenges && challenge_rotate(&st->challenges) != 0)
		log_msg(LOG_LEVEL_WARNING, "no random octets for a new challenge: advertising the previous one");
	struct advert_state a = {
		.coa = fa->coa, .prefix_len = fa->ifi.prefix_len, .seq = fa->adv_seq, .busy = relay_busy(st),
		.challenge = fa->conf->challenges ? challenge_latest(&st->challenges) : NULL,
		.challenge_len = st->challenges.len,
	};
	uint8_t msg[ADV_MAX_LEN];
	size_t n = advert_build(fa->conf, &a, msg, sizeof msg);
	if (n == 0 || icmpsock_send(&fa->icmp, htonl(FA_ALL_SYSTEMS), msg, n) != 0) {
		st->ctr.send_errors++;
		return;
	}
	fa->adv_seq = adv_seq_next(fa->adv_seq);
	fa->last_adv_us = fa_mono_us();
	if (solicited)
		st->ctr.advertisements_solicited++;
	else
		st->ctr.advertisements++;
}

/* The next periodic advertisement: the interval, shifted at random by up to a
 * tenth either way so that agents on one link do not fall in step (RFC 5944
 * §2.1), never under a second. */
static void fa_schedule_advert(struct fa *fa)
{
	uint32_t r = 0;
	RAND_bytes((unsigned char *)&r, sizeof r);
	uint64_t us = (uint64_t)fa->conf->adv_interval * 1000000u;
	us = us - us / 10 + (uint64_t)r % (us / 5 + 1);
	if (us < FA_ADV_MIN_GAP_US)
		us = FA_ADV_MIN_GAP_US;
	struct timeval tv = { (time_t)(us / 1000000u), (suseconds_t)(us % 1000000u) };
	evtimer_add(fa->ev_adv, &tv);
}

static void fa_on_adv_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct fa *fa = arg;
	uint64_t now = fa_mono_us();
	if (fa->conf->advertise && fa->last_adv_us && now < fa->last_adv_us + FA_ADV_MIN_GAP_US) {
		/* A solicited advertisement went out less than a second ago. */
		uint64_t wait = fa->last_adv_us + FA_ADV_MIN_GAP_US - now;
		struct timeval tv = { (time_t)(wait / 1000000u), (suseconds_t)(wait % 1000000u) };
		evtimer_add(fa->ev_adv, &tv);
		return;
	}
	if (fa->conf->advertise) {
		fa_advertise(fa, false);
	} else if (fa->conf->challenges) {
		/* Only solicited advertisements go out, but challenges still age. */
		challenge_rotate(&fa->st.challenges);
	}
	fa_schedule_advert(fa);
}

/* Answer with one multicast advertisement, unless a periodic one went out since
 * the solicitation came; never two within a second. */
static void fa_answer_solicitation(struct fa *fa)
{
	if (fa->last_adv_us > fa->solicited_us)
		return;
	uint64_t now = fa_mono_us(), at = fa->last_adv_us ? fa->last_adv_us + FA_ADV_MIN_GAP_US : 0;
	if (at <= now) {
		fa_advertise(fa, true);
		return;
	}
	struct timeval tv = { (time_t)((at - now) / 1000000u), (suseconds_t)((at - now) % 1000000u) };
	evtimer_add(fa->ev_sol, &tv);
}

static void fa_on_sol_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	fa_answer_solicitation(arg);
}

static void fa_on_icmp(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct fa *fa = arg;
	uint8_t buf[ADV_MAX_LEN * 2];
	uint32_t src;
	uint8_t ttl;
	size_t n;
	bool answer = false;
	for (int i = 0; i < 64 && (n = icmpsock_recv(&fa->icmp, buf, sizeof buf, &src, &ttl)) > 0; i++) {
		enum adv_err e = adv_parse_solicitation(buf, n);
		if (e != ADV_OK) {
			fa->st.ctr.icmp_malformed[e]++;
			continue;
		}
		fa->st.ctr.solicitations++;
		answer = true;
	}
	/* Many solicitations within a second get one advertisement. */
	if (!answer || evtimer_pending(fa->ev_sol, NULL))
		return;
	fa->solicited_us = fa_mono_us();
	fa_answer_solicitation(fa);
}

static void fa_on_timed_out(const struct relay_result *r, void *arg)
{
	fa_act(arg, r);
}

static void fa_on_dia(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct fa *fa = arg;
	struct relay_aaa a;
	while (fa_dia_pop(&a)) {
		struct relay_now now;
		fa_now(&now);
		relay_aaa_answer(&fa->st, &a, &now, &fa->res);
		OPENSSL_cleanse(&a, sizeof a);
		fa_follow_visitors(fa, &fa->res);
		fa_act(fa, &fa->res);
	}
	udp_flush(fa->udp);
}

static void fa_visitor_gone(const struct fa_visitor *v, void *arg)
{
	struct fa *fa = arg;
	if (fa->dp)
		fa_dataplane_leave(fa->dp, v->home_addr);
	char h[INET_ADDRSTRLEN], a[INET_ADDRSTRLEN];
	log_msg(LOG_LEVEL_INFO, "visitor expired home=%s ha=%s", fa_ip(v->home_addr, h), fa_ip(v->ha, a));
}

static void fa_on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct fa *fa = arg;
	struct relay_now now;
	fa_now(&now);
	relay_expire(&fa->st, &now, fa_on_timed_out, fa_visitor_gone, fa);
	udp_flush(fa->udp);
	if (fa->dp)
		fa_dataplane_tick(fa->dp);
}

static void fa_reload(struct fa *fa)
{
	struct fa_conf *next = fa_conf_load(fa->conf->path);
	if (!next) {
		log_msg(LOG_LEVEL_WARNING, "reload of %s failed (see the line above); keeping the running configuration",
		        fa->conf->path);
		return;
	}
	struct fa_conf *c = fa->conf;
	c->max_lifetime = next->max_lifetime;
	c->reg_required = next->reg_required;
	c->prefix_lengths = next->prefix_lengths;
	c->reg_timeout = next->reg_timeout;
	c->log_level = next->log_level;
	if (!fa->debug)
		log_set_level(c->log_level);
	size_t n = relay_set_sas(&fa->st, next);
	log_msg(LOG_LEVEL_NOTICE,
	        "reloaded %s: %zu security associations, %zu visitors kept (interface, addresses, advertisement "
	        "timing, challenges, reverse tunnelling, the data plane, the diameter section and table sizes take "
	        "effect only at restart)",
	        c->path, n, fa->st.visitors.count);
	fa_conf_free(next);
}

static void fa_on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct fa *fa = arg;
	if (sig == SIGHUP) {
		fa_reload(fa);
		return;
	}
#ifdef HAVE_SYSTEMD
	sd_notify(0, "STOPPING=1");
#endif
	log_msg(LOG_LEVEL_NOTICE, "shutdown (%s): %zu visitors, %zu requests pending", strsignal((int)sig),
	        fa->st.visitors.count, fa->st.pending.count);
	event_base_loopbreak(fa->base);
}

struct fa_visitors_out {
	struct textbuf *out;
	uint32_t now;
	const char *sep;
	int rc;
};

static void fa_render_visitor(struct addrtab_entry *e, void *arg)
{
	struct fa_visitors_out *o = arg;
	const struct fa_visitor *v = ADDRTAB_OBJ(const struct fa_visitor, e);
	char h[INET_ADDRSTRLEN], a[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	o->rc |= textbuf_printf(o->out,
		"%s{\"home_address\":\"%s\",\"link_address\":\"%02x:%02x:%02x:%02x:%02x:%02x\",\"home_agent\":\"%s\","
		"\"care_of_address\":\"%s\",\"source\":\"%s:%u\",\"lifetime_granted\":%u,\"lifetime_left\":%u,"
		"\"identification\":\"%016llx\",\"reverse_tunnel\":%s,\"co_located\":%s}",
		o->sep, fa_ip(v->home_addr, h), v->mac[0], v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5],
		fa_ip(v->ha, a), fa_ip(v->coa, c), fa_ip(v->src_ip, s), v->sport, v->granted,
		v->entry.timer.at > o->now ? v->entry.timer.at - o->now : 0, (unsigned long long)v->ident,
		(v->flags & REG_FLAG_T) ? "true" : "false", (v->flags & REG_FLAG_D) ? "true" : "false");
	o->sep = ",";
}

static void fa_render_pending(struct addrtab_entry *e, void *arg)
{
	struct fa_visitors_out *o = arg;
	const struct fa_pending *p = ADDRTAB_OBJ(const struct fa_pending, e);
	char h[INET_ADDRSTRLEN], a[INET_ADDRSTRLEN];
	o->rc |= textbuf_printf(o->out, "%s{\"home_address\":\"%s\",\"home_agent\":\"%s\",\"lifetime\":%u,"
	                        "\"identification\":\"%016llx\",\"timeout_in\":%u}",
	                        o->sep, fa_ip(p->home_addr, h), fa_ip(p->ha, a), p->lifetime, (unsigned long long)p->ident,
	                        p->entry.timer.at > o->now ? p->entry.timer.at - o->now : 0);
	o->sep = ",";
}

static int fa_render_visitors(struct fa *fa, struct textbuf *out)
{
	struct relay_now now;
	fa_now(&now);
	struct fa_visitors_out o = { out, now.sec, "", 0 };
	o.rc |= textbuf_printf(out, "{\"visitors\":[");
	addrtab_foreach(&fa->st.visitors, fa_render_visitor, &o);
	o.sep = "";
	o.rc |= textbuf_printf(out, "],\"count\":%zu,\"pending\":[", fa->st.visitors.count);
	addrtab_foreach(&fa->st.pending, fa_render_pending, &o);
	o.rc |= textbuf_printf(out, "]}\n");
	return o.rc;
}

static int fa_render(const char *cmd, struct textbuf *out, void *arg)
{
	struct fa *fa = arg;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	struct fa_stats_gauges g = {
		.visitors = fa->st.visitors.count, .pending = fa->st.pending.count,
		.uptime_s = (uint64_t)(t.tv_sec - fa->started.tv_sec), .adv_seq = fa->adv_seq,
	};
	fa->st.ctr.send_errors = fa->udp->send_errors + fa->link->send_errors + fa->icmp.send_errors;
	if (strcmp(cmd, "stats") == 0) {
		struct textbuf more = { 0 };
		int rc = fa->dp ? fa_dataplane_json(fa->dp, &more) : textbuf_printf(&more, "\"dataplane\":null");
		rc |= stats_json(&fa->st.ctr, &g, more.p, out);
		free(more.p);
		return rc;
	}
	if (strcmp(cmd, "metrics") == 0)
		return stats_prometheus(&fa->st.ctr, &g, out) | (fa->dp ? fa_dataplane_prometheus(fa->dp, out) : 0);
	if (strcmp(cmd, "visitors") == 0)
		return fa_render_visitors(fa, out);
	return -1;
}

static void fa_usage(FILE *f)
{
	fprintf(f,
		"Usage: mip4-fa [-f FILE] [-n] [-d]\n"
		"       mip4-fa --help | --version\n"
		"\n"
		"Mobile IPv4 Foreign Agent (RFC 5944) on one visited link: sends Agent\n"
		"Advertisements and answers Agent Solicitations, relays the mobile nodes'\n"
		"registrations to their home agents from its care-of address and the replies\n"
		"back to the nodes, keeps the visitor list, issues and checks RFC 4721\n"
		"challenges, and checks MN-FA and FA-HA authenticators where it shares an\n"
		"association.  With a diameter section it serves FA care-of mode with the\n"
		"AAA (RFC 4004, RFC 3957): nodes only the AAA can authenticate (MN-AAA, no\n"
		"MN-FA association) are sent to it in an AMR, and its answer brings the MN-FA\n"
		"and FA-HA keys; the node gets the MN-FA KeyGen Reply (41).\n"
		"\n"
		"Options:\n"
		"  -f, --config FILE  configuration file (default " FA_DEFAULT_CONF ")\n"
		"  -n, --check        check the configuration, print the verdict and exit:\n"
		"                     0 when valid, 1 (with FILE:LINE: option ...: why) when not\n"
		"  -d, --debug        log at debug level to stderr, whatever log-level says\n"
		"  -h, --help         show this help and exit\n"
		"  -V, --version      show the version and exit\n"
		"\n"
		"Runs in the foreground and logs to stderr.  Needs CAP_NET_RAW (packet and raw\n"
		"ICMP sockets on the visited link) and CAP_NET_BIND_SERVICE (port 434).\n"
		"Signals: SIGTERM/SIGINT exit 0; SIGHUP reloads the security associations,\n"
		"max-lifetime, registration-required, prefix-lengths, registration-timeout\n"
		"and log-level, keeping the visitor list.\n"
		"\n"
		"The control socket (control-socket, mode 0600) answers mip4-ctl: stats,\n"
		"visitors (JSON) and metrics (Prometheus text).\n"
		"\n"
		"Exit status: 0 after a clean shutdown or a valid -n check, 1 on a configuration\n"
		"error, 2 on a usage error, 3 when startup fails.\n");
}

/* RFC 5944 §3.7.2.2 relays from the care-of address; nodes send from their home
 * address, which strict reverse-path filtering on the visited interface drops
 * (the kernel would not even answer their ARP requests). */
static void fa_check_rp_filter(const char *ifname)
{
	char path[128];
	const char *names[2] = { "all", ifname };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/rp_filter", names[i]);
		FILE *f = fopen(path, "r");
		int v = 0;
		if (f && fscanf(f, "%d", &v) == 1 && v == 1)
			log_msg(LOG_LEVEL_WARNING, "net.ipv4.conf.%s.rp_filter is 1 (strict): requests from home addresses "
			                           "on %s are dropped before they reach us; set it to 0 or 2",
			        names[i], ifname);
		if (f)
			fclose(f);
	}
}

/* The host's own addresses, the care-of address first: what visitors send
 * there is for this host, never reverse-tunnelled. */
static size_t fa_local_addresses(uint32_t coa, uint32_t *out, size_t max)
{
	size_t n = 0;
	out[n++] = coa;
	struct ifaddrs *ifa = NULL;
	if (getifaddrs(&ifa) != 0)
		return n;
	for (struct ifaddrs *i = ifa; i && n < max; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		uint32_t a = ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr;
		bool seen = (ntohl(a) >> 24) == 127;
		for (size_t k = 0; k < n && !seen; k++)
			seen = out[k] == a;
		if (!seen)
			out[n++] = a;
	}
	freeifaddrs(ifa);
	return n;
}

static int fa_start_dataplane(struct fa *fa)
{
	const struct fa_conf *c = fa->conf;
	struct fa_dataplane_conf dc = {
		.coa = fa->coa, .interface = c->interface, .ifindex = (unsigned)fa->ifi.index,
		.link_mtu = fa->ifi.mtu ? fa->ifi.mtu : 1500, .reverse = c->reverse_tunnel,
		.rule_protocol = c->rule_protocol, .rule_priority = c->rule_priority, .max_visitors = c->max_visitors,
	};
	dc.n_locals = fa_local_addresses(fa->coa, dc.locals, FA_DATAPLANE_MAX_LOCALS);
	char err[256];
	fa->dp = fa_dataplane_start(&dc, err, sizeof err);
	if (!fa->dp) {
		fprintf(stderr, "mip4-fa: data plane: %s%s\n", err,
		        errno == EPERM ? " (needs CAP_NET_RAW and CAP_NET_ADMIN; or set data-plane = false)" : "");
		return -1;
	}
	return 0;
}

static int fa_setup(struct fa *fa)
{
	struct fa_conf *c = fa->conf;
	fa->icmp.fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &fa->started);
	if (ifinfo_get(c->interface, &fa->ifi) != 0) {
		fprintf(stderr, "mip4-fa: interface %s: %s\n", c->interface, strerror(errno));
		return -1;
	}
	fa->coa = c->coa ? c->coa : fa->ifi.addr;
	char a[INET_ADDRSTRLEN];
	if (!fa->coa) {
		fprintf(stderr, "mip4-fa: interface %s has no IPv4 address; set care-of-address\n", c->interface);
		return -1;
	}
	if (!fa->ifi.has_mac) {
		fprintf(stderr, "mip4-fa: interface %s has no Ethernet address: nodes could not be answered\n",
		        c->interface);
		return -1;
	}
	struct relay_now now;
	fa_now(&now);
	if (relay_init(&fa->st, c, fa->coa, now.sec, fa_random) != 0) {
		fprintf(stderr, "mip4-fa: out of memory for %u visitors\n", c->max_visitors);
		return -1;
	}
	for (size_t i = 0; i < c->n_mn_sas; i++)
		OPENSSL_cleanse(c->mn_sas[i].key, sizeof c->mn_sas[i].key);
	for (size_t i = 0; i < c->n_ha_sas; i++)
		OPENSSL_cleanse(c->ha_sas[i].key, sizeof c->ha_sas[i].key);

	/* Answers of the AAA wake the loop from freeDiameter's threads. */
	if (c->dia.enabled && evthread_use_pthreads() != 0)
		return -1;
	fa->base = event_base_new();
	fa->link = malloc(sizeof *fa->link);
	fa->udp = malloc(sizeof *fa->udp);
	if (!fa->base || !fa->link || !fa->udp)
		return -1;
	fa->link->fd = -1;
	fa->udp->fd = -1;
	if (udp_open(fa->udp, fa->coa, c->port) != 0 || udp_want_errors(fa->udp) != 0) {
		fprintf(stderr, "mip4-fa: cannot bind UDP %s:%u: %s\n", fa_ip(fa->coa, a), c->port, strerror(errno));
		return -1;
	}
	const uint32_t dsts[] = { fa->coa, INET_ADDR_BROADCAST, htonl(REG_MOBILE_AGENTS_GROUP) };
	if (linkpkt_open_udp(fa->link, fa->ifi.index, c->port, dsts, 3) != 0) {
		fprintf(stderr, "mip4-fa: packet socket on %s: %s\n", c->interface, strerror(errno));
		return -1;
	}
	const uint8_t types[] = { ADV_ICMP_SOLICITATION };
	const uint32_t groups[] = { htonl(FA_ALL_ROUTERS), htonl(REG_MOBILE_AGENTS_GROUP) };
	if (icmpsock_open(&fa->icmp, c->interface, fa->ifi.index, fa->coa, types, 1, groups, 2) != 0) {
		fprintf(stderr, "mip4-fa: ICMP socket on %s: %s\n", c->interface, strerror(errno));
		return -1;
	}
	if (c->data_plane && fa_start_dataplane(fa) != 0)
		return -1;
	fa->ev_link = event_new(fa->base, fa->link->fd, EV_READ | EV_PERSIST, fa_on_link, fa);
	fa->ev_udp = event_new(fa->base, fa->udp->fd, EV_READ | EV_PERSIST, fa_on_udp, fa);
	fa->ev_icmp = event_new(fa->base, fa->icmp.fd, EV_READ | EV_PERSIST, fa_on_icmp, fa);
	fa->ev_adv = evtimer_new(fa->base, fa_on_adv_timer, fa);
	fa->ev_sol = evtimer_new(fa->base, fa_on_sol_timer, fa);
	fa->ev_tick = event_new(fa->base, -1, EV_PERSIST, fa_on_tick, fa);
	fa->ev_dia = event_new(fa->base, -1, 0, fa_on_dia, fa);
	static const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++)
		fa->ev_sig[i] = evsignal_new(fa->base, sigs[i], fa_on_signal, fa);
	struct timeval second = { 1, 0 }, zero = { 0, 0 };
	if (!fa->ev_link || !fa->ev_udp || !fa->ev_icmp || !fa->ev_adv || !fa->ev_sol || !fa->ev_tick || !fa->ev_dia ||
	    !fa->ev_sig[0] || !fa->ev_sig[1] || !fa->ev_sig[2] || event_add(fa->ev_link, NULL) != 0 ||
	    event_add(fa->ev_udp, NULL) != 0 || event_add(fa->ev_icmp, NULL) != 0 ||
	    event_add(fa->ev_tick, &second) != 0 || evtimer_add(fa->ev_adv, &zero) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (event_add(fa->ev_sig[i], NULL) != 0)
			return -1;
	if (c->control_socket && *c->control_socket &&
	    !(fa->ctl = ctl_open(fa->base, c->control_socket, "stats, visitors, metrics", fa_render, fa)))
		return -1;
	if (c->dia.enabled) {
		if (fa_dia_start(c, fa->coa, fa->ev_dia) != 0)
			return -1;
		fa->dia_started = true;
	}
	fa_check_rp_filter(c->interface);
	log_msg(LOG_LEVEL_NOTICE,
	        "mip4-fa %s started: visited link %s, care-of address %s, port %u, %zu MN-FA and %zu FA-HA security "
	        "associations, challenges %s, room for %u visitors, %s",
	        MIP4_VERSION, c->interface, fa_ip(fa->coa, a), c->port, c->n_mn_sas, c->n_ha_sas,
	        c->challenges ? "on" : "off", c->max_visitors,
	        c->dia.enabled ? "FA care-of mode with the AAA (RFC 4004)" : "no AAA");
	for (size_t i = 0; i < c->dia.n_peers; i++)
		log_msg(LOG_LEVEL_NOTICE, "diameter: peer %s, role aaa, %s:%u over %s", c->dia.peers[i].identity,
		        c->dia.peers[i].address, c->dia.peers[i].port, c->dia.peers[i].tls ? "TLS" : "plain TCP");
	log_msg(LOG_LEVEL_NOTICE, "ready: advertising on %s every %u s", c->interface, c->adv_interval);
#ifdef HAVE_SYSTEMD
	sd_notify(0, "READY=1");
#endif
	return 0;
}

static void fa_teardown(struct fa *fa)
{
	ctl_close(fa->ctl);
	if (fa->dia_started)
		fa_dia_stop();
	fa_dataplane_stop(fa->dp);
	if (fa->udp && fa->udp->fd >= 0) {
		udp_flush(fa->udp);
		udp_close(fa->udp);
	}
	if (fa->link)
		linkpkt_close(fa->link);
	if (fa->icmp.fd >= 0)
		icmpsock_close(&fa->icmp);
	struct event *evs[] = { fa->ev_link, fa->ev_udp, fa->ev_icmp, fa->ev_adv, fa->ev_sol, fa->ev_tick, fa->ev_dia,
	                        fa->ev_sig[0], fa->ev_sig[1], fa->ev_sig[2] };
	for (size_t i = 0; i < sizeof evs / sizeof *evs; i++)
		if (evs[i])
			event_free(evs[i]);
	if (fa->base)
		event_base_free(fa->base);
	free(fa->link);
	free(fa->udp);
	relay_destroy(&fa->st);
	fa_conf_free(fa->conf);
}

int main(int argc, char **argv)
{
	struct daemon_args args;
	switch (daemon_parse_args(argc, argv, "mip4-fa", FA_DEFAULT_CONF, fa_usage, &args)) {
	case DAEMON_RUN: break;
	case DAEMON_EXIT_OK: return 0;
	case DAEMON_USAGE: return 2;
	}
	const char *path = args.config;
	bool debug = args.debug;
	struct fa_conf *c = fa_conf_load(path);
	if (!c)
		return 1;
	if (args.check) {
		printf("%s: configuration OK\n", path);
		fa_conf_free(c);
		return 0;
	}
	log_init("mip4-fa", debug ? LOG_LEVEL_DEBUG : c->log_level, LOG_SINK_STDERR);
	daemon_block_signals();

	struct fa *fa = calloc(1, sizeof *fa);
	if (!fa) {
		fa_conf_free(c);
		return 3;
	}
	fa->conf = c;
	fa->debug = debug;
	int rc = 0;
	if (fa_setup(fa) != 0) {
		rc = 3;
	} else {
		daemon_unblock_signals();
		event_base_dispatch(fa->base);
		/* A repeated SIGTERM must not cut the teardown short (the Diameter
		 * shutdown, the last sync): once the loop's handlers are gone it would
		 * kill the process. */
		daemon_block_signals();
		log_msg(LOG_LEVEL_NOTICE, "stopped: %llu requests, %llu relayed, %zu visitors dropped",
		        (unsigned long long)fa->st.ctr.requests, (unsigned long long)fa->st.ctr.relayed,
		        fa->st.visitors.count);
	}
	fa_teardown(fa);
	free(fa);
	libevent_global_shutdown();
	return rc;
}
