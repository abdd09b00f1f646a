#include "mip4-fa/dataplane.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/addrtab.h"
#include "agent/expo.h"
#include "agent/linkpkt.h"
#include "agent/kernerr.h"
#include "agent/pktthread.h"
#include "agent/ratelimit.h"
#include "agent/rawip.h"
#include "agent/rtnl.h"
#include "lib/ipip.h"
#include "lib/log.h"
#include "mip4-fa/forward.h"

#define DP_RING 8192u        /* visitor updates in flight to the packet thread; power of two */
#define DP_BATCH RAWIP_BATCH /* datagrams per read */
#define DP_BUF (IPV4_MAX_LEN + 1)
#define DP_ICMP_PER_S 100    /* ICMP error rate limit (RFC 1812 §4.3.2.8), burst the same */

enum dp_op { DP_OP_SET, DP_OP_CLEAR };

struct dp_update {
	uint32_t home_addr, ha;
	uint16_t tunnel_mtu;
	uint8_t mac[6];
	uint8_t op, flags;
};

struct dp_counters {
	pktctr delivered_packets, delivered_bytes, delivered_fragments;
	pktctr reverse_packets, reverse_bytes, reverse_fragments;
	pktctr passed;
	pktctr drops[FORWARD_DROP__COUNT];
	pktctr icmp_frag_needed, icmp_suppressed, icmp_rate_limited;
};

/* The loop's record of a visitor's data plane. */
struct dp_visitor {
	struct addrtab_entry entry;
	uint32_t home_addr;
	uint32_t ha;
	uint16_t tunnel_mtu;
	uint8_t mac[6];
	uint8_t flags;
	bool rule;
};
ADDRTAB_LAYOUT(struct dp_visitor, entry, home_addr);

struct fa_dataplane {
	/* Loop side. */
	struct fa_dataplane_conf conf;
	char ifname[IFNAMSIZ];
	struct rtnl rtnl;
	struct addrtab visitors;
	uint64_t stale_rules;
	struct kernerr kernel;

	/* Shared. */
	struct pktthread pt;       /* visitor updates, loop -> packet thread */
	_Alignas(64) struct dp_counters ctr;

	/* Packet thread side. */
	struct forward_table fwd;
	struct rawip raw;
	struct rawip_batch tx;
	struct linkpkt *link;      /* delivery, and with reverse tunnelling what visitors send */
	uint8_t *rx_mem, *rx[DP_BATCH];
	size_t rx_len[DP_BATCH];
	uint8_t *frag;             /* one fragment at a time on its way to the link */
	uint16_t ip_id;
	struct ratelimit icmp;
};

static struct dp_visitor *dp_visitor_of(struct addrtab_entry *e)
{
	return (struct dp_visitor *)(void *)e;
}

/* ---- the packet thread ---- */

static void dp_apply(const void *p, void *arg)
{
	const struct dp_update *u = p;
	struct fa_dataplane *dp = arg;
	if (u->op == DP_OP_CLEAR)
		forward_clear(&dp->fwd, u->home_addr);
	else /* the loop never has more visitors than the table holds */
		forward_set(&dp->fwd, u->home_addr, u->ha, u->mac, u->tunnel_mtu, u->flags);
}

static void dp_flush(struct fa_dataplane *dp)
{
	unsigned refused = rawip_batch_flush(&dp->tx);
	if (refused)
		pktctr_add(&dp->ctr.drops[FORWARD_DROP_SEND_FAILED], refused);
}

/* An ICMP error (RFC 1812 §4.3.2.7 rules, rate-limited) about pkt from the
 * care-of address: to a visitor on the link at mac, or (mac NULL) through the
 * kernel's routing. */
static void dp_icmp_frag(struct fa_dataplane *dp, const uint8_t *pkt, const struct ipv4_hdr *h, uint16_t mtu,
                         const uint8_t *mac)
{
	if (!icmp_error_allowed(pkt, h)) {
		pktctr_add(&dp->ctr.icmp_suppressed, 1);
		return;
	}
	if (!ratelimit_allow(&dp->icmp)) {
		pktctr_add(&dp->ctr.icmp_rate_limited, 1);
		return;
	}
	uint8_t *out = mac ? dp->frag : rawip_batch_buf(&dp->tx);
	size_t len = icmp_unreach_build(out, ICMP_ERROR_MAX, pkt, h, dp->conf.coa, ICMP_CODE_FRAG_NEEDED, mtu,
	                                dp->ip_id++);
	if (len == 0)
		return;
	pktctr_add(&dp->ctr.icmp_frag_needed, 1);
	if (!mac)
		rawip_batch_queue(&dp->tx, out, len);
	else if (linkpkt_send(dp->link, mac, out, len) != 0)
		pktctr_add(&dp->ctr.drops[FORWARD_DROP_DELIVER_FAILED], 1);
}

/* Forwarding is a hop (RFC 2003 §3.1): forward.c made sure the TTL is above 1. */
static void dp_hop(uint8_t *p)
{
	p[8]--;
	ipv4_set_checksum(p);
}

static void dp_deliver(struct fa_dataplane *dp, const struct forward_result *r, uint8_t *inner)
{
	dp_hop(inner);
	if (r->verdict == FORWARD_DELIVER) {
		if (linkpkt_send(dp->link, r->e->mac, inner, r->inner.total_len) != 0) {
			pktctr_add(&dp->ctr.drops[FORWARD_DROP_DELIVER_FAILED], 1);
			return;
		}
	} else {
		struct ipv4_hdr h;
		ipv4_parse(inner, r->inner.total_len, &h);
		unsigned n = ipv4_fragment_count(&h, dp->conf.link_mtu);
		if (n == 0) { /* options: not split here */
			pktctr_add(&dp->ctr.drops[FORWARD_DROP_TOO_BIG], 1);
			return;
		}
		for (unsigned i = 0; i < n; i++) {
			size_t flen = ipv4_fragment_build(inner, &h, dp->conf.link_mtu, i, dp->frag, DP_BUF);
			if (flen == 0 || linkpkt_send(dp->link, r->e->mac, dp->frag, flen) != 0) {
				pktctr_add(&dp->ctr.drops[FORWARD_DROP_DELIVER_FAILED], 1);
				return;
			}
		}
		pktctr_add(&dp->ctr.delivered_fragments, n);
	}
	pktctr_add(&dp->ctr.delivered_packets, 1);
	pktctr_add(&dp->ctr.delivered_bytes, r->inner.total_len);
}

static void dp_from_tunnel(struct fa_dataplane *dp, uint8_t *p, size_t len)
{
	struct forward_result r;
	forward_from_tunnel(&dp->fwd, dp->conf.coa, dp->conf.link_mtu, p, len, &r);
	switch (r.verdict) {
	case FORWARD_DELIVER:
	case FORWARD_DELIVER_FRAG:
		dp_deliver(dp, &r, p + (r.inner_pkt - p));
		return;
	case FORWARD_ICMP_FRAG:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		dp_icmp_frag(dp, r.inner_pkt, &r.inner, r.mtu, NULL);
		return;
	case FORWARD_ENCAP:
	case FORWARD_ENCAP_FRAG:
	case FORWARD_PASS:
	case FORWARD_DROP:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		return;
	}
}

static void dp_encap(struct fa_dataplane *dp, const struct forward_result *r)
{
	size_t total = (size_t)r->inner.total_len + IPIP_HDR_LEN;
	/* Whole, the datagram is queued from a scratch buffer; to be split, it
	 * waits in dp->frag while the fragments take scratch buffers. */
	uint8_t *out = r->verdict == FORWARD_ENCAP ? rawip_batch_buf(&dp->tx) : dp->frag;
	memcpy(out + IPIP_HDR_LEN, r->inner_pkt, r->inner.total_len);
	dp_hop(out + IPIP_HDR_LEN);
	if (!ipip_encap_header(out, &r->inner, dp->conf.coa, r->e->ha, dp->ip_id++, IPIP_TTL)) {
		pktctr_add(&dp->ctr.drops[FORWARD_DROP_MALFORMED], 1);
		return;
	}
	pktctr_add(&dp->ctr.reverse_packets, 1);
	pktctr_add(&dp->ctr.reverse_bytes, r->inner.total_len);
	if (r->verdict == FORWARD_ENCAP) {
		rawip_batch_queue(&dp->tx, out, total);
		return;
	}
	struct ipv4_hdr oh;
	ipv4_parse(out, total, &oh);
	size_t path_mtu = (size_t)r->e->tunnel_mtu + IPIP_HDR_LEN;
	unsigned n = ipv4_fragment_count(&oh, path_mtu);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *f = rawip_batch_buf(&dp->tx);
		size_t flen = ipv4_fragment_build(out, &oh, path_mtu, i, f, DP_BUF);
		if (flen)
			rawip_batch_queue(&dp->tx, f, flen);
	}
	pktctr_add(&dp->ctr.reverse_fragments, n);
}

static void dp_on_link(const uint8_t *pkt, size_t len, const uint8_t mac[6], bool csum_trusted, void *arg)
{
	(void)csum_trusted;
	struct fa_dataplane *dp = arg;
	struct forward_result r;
	forward_from_link(&dp->fwd, mac, pkt, len, &r);
	switch (r.verdict) {
	case FORWARD_ENCAP:
	case FORWARD_ENCAP_FRAG:
		dp_encap(dp, &r);
		return;
	case FORWARD_PASS:
		pktctr_add(&dp->ctr.passed, 1);
		return;
	case FORWARD_ICMP_FRAG:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		dp_icmp_frag(dp, r.inner_pkt, &r.inner, r.mtu, mac);
		return;
	case FORWARD_DELIVER:
	case FORWARD_DELIVER_FRAG:
	case FORWARD_DROP:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		return;
	}
}

static unsigned dp_read_tunnel(void *arg)
{
	struct fa_dataplane *dp = arg;
	unsigned n = rawip_recv_batch(&dp->raw, dp->rx, DP_BUF, dp->rx_len, DP_BATCH);
	for (unsigned i = 0; i < n; i++)
		dp_from_tunnel(dp, dp->rx[i], dp->rx_len[i]);
	dp_flush(dp);
	return n;
}

static unsigned dp_read_link(void *arg)
{
	struct fa_dataplane *dp = arg;
	int n = linkpkt_recv_batch(dp->link, dp_on_link, dp);
	dp_flush(dp);
	return n > 0 ? (unsigned)n : 0;
}

/* ---- the loop side ---- */

static struct rtnl_rule dp_rule(const struct fa_dataplane *dp, uint32_t home_addr)
{
	struct rtnl_rule rule = { .src = home_addr, .priority = dp->conf.rule_priority,
	                          .protocol = dp->conf.rule_protocol };
	memcpy(rule.iif, dp->ifname, sizeof rule.iif);
	return rule;
}

int fa_dataplane_visit(struct fa_dataplane *dp, uint32_t home_addr, uint32_t ha, const uint8_t mac[6], bool reverse)
{
	uint8_t flags = reverse && dp->conf.reverse ? FORWARD_REVERSE : 0;
	struct dp_visitor *v = dp_visitor_of(addrtab_find(&dp->visitors, home_addr));
	if (v && v->ha == ha && v->flags == flags && memcmp(v->mac, mac, 6) == 0)
		return 0;
	if (!v && !(v = dp_visitor_of(addrtab_get(&dp->visitors, home_addr)))) {
		errno = ENOSPC;
		kernerr_log(&dp->kernel, "no room for the forwarding state of", home_addr);
		return -1;
	}
	if (v->ha != ha)
		v->tunnel_mtu = (uint16_t)(rtnl_path_mtu(&dp->rtnl, ha) - IPIP_HDR_LEN);
	v->ha = ha;
	v->flags = flags;
	memcpy(v->mac, mac, 6);
	struct dp_update u = { .home_addr = home_addr, .ha = ha, .tunnel_mtu = v->tunnel_mtu, .op = DP_OP_SET,
	                       .flags = flags };
	memcpy(u.mac, mac, 6);
	pktring_push(&dp->pt.ring, &u);
	struct rtnl_rule rule = dp_rule(dp, home_addr);
	if (flags && !v->rule) {
		if (rtnl_rule_add(&dp->rtnl, &rule) != 0) {
			kernerr_log(&dp->kernel, "routing rule for", home_addr);
			return -1;
		}
		v->rule = true;
	} else if (!flags && v->rule) {
		if (rtnl_rule_del(&dp->rtnl, &rule) != 0 && errno != ENOENT)
			kernerr_log(&dp->kernel, "removing the routing rule for", home_addr);
		v->rule = false;
	}
	return 0;
}

void fa_dataplane_leave(struct fa_dataplane *dp, uint32_t home_addr)
{
	struct dp_visitor *v = dp_visitor_of(addrtab_find(&dp->visitors, home_addr));
	if (!v)
		return;
	struct rtnl_rule rule = dp_rule(dp, home_addr);
	if (v->rule && rtnl_rule_del(&dp->rtnl, &rule) != 0 && errno != ENOENT)
		kernerr_log(&dp->kernel, "removing the routing rule for", home_addr);
	struct dp_update u = { .home_addr = home_addr, .op = DP_OP_CLEAR };
	pktring_push(&dp->pt.ring, &u);
	addrtab_remove(&dp->visitors, &v->entry);
}

void fa_dataplane_tick(struct fa_dataplane *dp)
{
	pktring_retry(&dp->pt.ring);
}

static void dp_close(struct fa_dataplane *dp)
{
	pktthread_destroy(&dp->pt);
	if (dp->rtnl.nl) {
		/* Whatever is left: nothing tagged with our protocol outlives us. */
		unsigned n;
		rtnl_rule_flush_protocol(&dp->rtnl, dp->conf.rule_protocol, &n);
	}
	rtnl_close(&dp->rtnl);
	rawip_batch_destroy(&dp->tx);
	rawip_close(&dp->raw);
	if (dp->link)
		linkpkt_close(dp->link);
	free(dp->link);
	if (dp->visitors.buckets)
		addrtab_destroy(&dp->visitors);
	if (dp->fwd.tab.buckets)
		forward_table_destroy(&dp->fwd);
	free(dp->rx_mem);
	free(dp->frag);
	free(dp);
}

static void dp_leave_one(struct addrtab_entry *e, void *arg)
{
	fa_dataplane_leave(arg, dp_visitor_of(e)->home_addr);
}

void fa_dataplane_stop(struct fa_dataplane *dp)
{
	if (!dp)
		return;
	size_t n = dp->visitors.count;
	addrtab_foreach(&dp->visitors, dp_leave_one, dp);
	log_msg(LOG_LEVEL_NOTICE, "data plane: stopped, forwarding state of %zu visitors removed", n);
	dp_close(dp);
}

static struct fa_dataplane *dp_fail(struct fa_dataplane *dp, char *err, size_t errlen, const char *what)
{
	int e = errno;
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	dp_close(dp);
	errno = e;
	return NULL;
}

struct fa_dataplane *fa_dataplane_start(const struct fa_dataplane_conf *c, char *err, size_t errlen)
{
	struct fa_dataplane *dp = aligned_alloc(64, (sizeof *dp + 63) & ~(size_t)63);
	if (!dp) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memset(dp, 0, sizeof *dp);
	dp->conf = *c;
	dp->conf.interface = NULL;
	snprintf(dp->ifname, sizeof dp->ifname, "%s", c->interface);
	dp->pt.ep = dp->pt.ring.wake_fd = -1; /* dp_fail may come before pktthread_init */
	dp->raw.fd = -1;
	ratelimit_init(&dp->icmp, DP_ICMP_PER_S, DP_ICMP_PER_S);

	dp->rx_mem = malloc((size_t)DP_BATCH * DP_BUF);
	dp->frag = malloc(DP_BUF);
	dp->link = malloc(sizeof *dp->link);
	if (!dp->rx_mem || !dp->frag || !dp->link ||
	    addrtab_init(&dp->visitors, c->max_visitors, 1, sizeof(struct dp_visitor), NULL) != 0 ||
	    forward_table_init(&dp->fwd, c->max_visitors) != 0 ||
	    pktthread_init(&dp->pt, sizeof(struct dp_update), DP_RING, dp_apply, dp) != 0) {
		errno = ENOMEM;
		return dp_fail(dp, err, errlen, "data plane tables");
	}
	dp->link->fd = -1;
	for (unsigned i = 0; i < DP_BATCH; i++)
		dp->rx[i] = dp->rx_mem + (size_t)i * DP_BUF;

	if (rtnl_open(&dp->rtnl) != 0)
		return dp_fail(dp, err, errlen, "rtnetlink");
	unsigned stale = 0;
	if (rtnl_rule_flush_protocol(&dp->rtnl, c->rule_protocol, &stale) != 0)
		return dp_fail(dp, err, errlen, "removing stale routing rules");
	dp->stale_rules = stale;
	if (rawip_open(&dp->raw, IPV4_PROTO_IPIP, NULL) != 0)
		return dp_fail(dp, err, errlen, "raw IP-in-IP socket");
	if (rawip_batch_init(&dp->tx, &dp->raw, DP_BUF) != 0)
		return dp_fail(dp, err, errlen, "send buffers");
	if ((c->reverse ? linkpkt_open_transit(dp->link, (int)c->ifindex, c->locals, c->n_locals)
	                : linkpkt_open_send(dp->link, (int)c->ifindex)) != 0)
		return dp_fail(dp, err, errlen, "packet socket on the visited link");

	if (pktthread_watch(&dp->pt, dp->raw.fd, dp_read_tunnel, DP_BATCH) != 0 ||
	    (c->reverse && pktthread_watch(&dp->pt, dp->link->fd, dp_read_link, LINKPKT_BATCH) != 0))
		return dp_fail(dp, err, errlen, "packet thread events");
	if (pktthread_start(&dp->pt) != 0)
		return dp_fail(dp, err, errlen, "packet thread");
	if (c->reverse)
		log_msg(LOG_LEVEL_NOTICE, "data plane: delivery on %s (mtu %u), reverse tunnelling (routing rules of "
		                          "protocol %u, priority %u); removed %llu stale routing rules",
		        dp->ifname, c->link_mtu, c->rule_protocol, c->rule_priority, (unsigned long long)dp->stale_rules);
	else
		log_msg(LOG_LEVEL_NOTICE, "data plane: delivery on %s (mtu %u), no reverse tunnelling", dp->ifname,
		        c->link_mtu);
	return dp;
}

static const char *dp_drop_name(unsigned i) { return forward_drop_str((enum forward_drop)i); }

struct dp_snapshot {
	uint64_t delivered_packets, delivered_bytes, delivered_fragments;
	uint64_t reverse_packets, reverse_bytes, reverse_fragments;
	uint64_t passed, icmp_frag_needed, icmp_suppressed, icmp_rate_limited, updates_applied;
	uint64_t drops[FORWARD_DROP__COUNT];
	size_t rules;
};

static void dp_count_rule(struct addrtab_entry *e, void *arg)
{
	*(size_t *)arg += dp_visitor_of(e)->rule;
}

static void dp_snapshot(const struct fa_dataplane *dp, struct dp_snapshot *s)
{
	const struct dp_counters *c = &dp->ctr;
	memset(s, 0, sizeof *s);
	s->delivered_packets = pktctr_get(&c->delivered_packets);
	s->delivered_bytes = pktctr_get(&c->delivered_bytes);
	s->delivered_fragments = pktctr_get(&c->delivered_fragments);
	s->reverse_packets = pktctr_get(&c->reverse_packets);
	s->reverse_bytes = pktctr_get(&c->reverse_bytes);
	s->reverse_fragments = pktctr_get(&c->reverse_fragments);
	s->passed = pktctr_get(&c->passed);
	s->icmp_frag_needed = pktctr_get(&c->icmp_frag_needed);
	s->icmp_suppressed = pktctr_get(&c->icmp_suppressed);
	s->icmp_rate_limited = pktctr_get(&c->icmp_rate_limited);
	s->updates_applied = pktctr_get(&dp->pt.applied);
	for (int i = 0; i < FORWARD_DROP__COUNT; i++)
		s->drops[i] = pktctr_get(&c->drops[i]);
	addrtab_foreach(&dp->visitors, dp_count_rule, &s->rules);
}

int fa_dataplane_json(const struct fa_dataplane *dp, struct textbuf *b)
{
	struct dp_snapshot s;
	dp_snapshot(dp, &s);
	int rc = textbuf_printf(b,
		"\"dataplane\":{\"visitors\":%zu,\"reverse_tunnelling\":%s,\"routing_rules\":%zu,"
		"\"delivered_packets\":%llu,\"delivered_bytes\":%llu,\"delivered_fragments\":%llu,"
		"\"reverse_tunnelled_packets\":%llu,\"reverse_tunnelled_bytes\":%llu,"
		"\"reverse_tunnelled_fragments\":%llu,\"not_ours\":%llu,"
		"\"icmp_sent\":{\"fragmentation_needed\":%llu},\"icmp_suppressed\":%llu,\"icmp_rate_limited\":%llu,"
		"\"updates_applied\":%llu,\"updates_queued\":%zu,\"kernel_errors\":%llu,",
		dp->visitors.count, dp->conf.reverse ? "true" : "false", s.rules, (unsigned long long)s.delivered_packets,
		(unsigned long long)s.delivered_bytes, (unsigned long long)s.delivered_fragments,
		(unsigned long long)s.reverse_packets, (unsigned long long)s.reverse_bytes,
		(unsigned long long)s.reverse_fragments, (unsigned long long)s.passed,
		(unsigned long long)s.icmp_frag_needed, (unsigned long long)s.icmp_suppressed,
		(unsigned long long)s.icmp_rate_limited, (unsigned long long)s.updates_applied, dp->pt.ring.n_overflow,
		(unsigned long long)dp->kernel.count);
	rc |= expo_json_named(b, "drops", s.drops, FORWARD_DROP__COUNT, dp_drop_name);
	rc |= textbuf_printf(b, "}");
	return rc;
}

int fa_dataplane_prometheus(const struct fa_dataplane *dp, struct textbuf *b)
{
	struct dp_snapshot s;
	dp_snapshot(dp, &s);
	int rc = 0;
	rc |= expo_prom_u64(b, "mip4fa_dataplane_visitors", "gauge", "Visitors with forwarding state.",
	                    dp->visitors.count);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_routing_rules", "gauge",
	                    "Routing rules keeping reverse-tunnelled visitors' datagrams from the kernel.", s.rules);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_delivered_packets_total", "counter",
	                    "Tunnelled datagrams delivered to visitors on the link.", s.delivered_packets);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_delivered_bytes_total", "counter", "Octets delivered (inner).",
	                    s.delivered_bytes);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_delivered_fragments_total", "counter",
	                    "Fragments sent on the link for datagrams above its MTU without DF.", s.delivered_fragments);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_reverse_tunnelled_packets_total", "counter",
	                    "Visitors' datagrams tunnelled to their home agents (RFC 3024).", s.reverse_packets);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_reverse_tunnelled_bytes_total", "counter",
	                    "Octets reverse-tunnelled (inner).", s.reverse_bytes);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_reverse_tunnelled_fragments_total", "counter",
	                    "Outer fragments sent for datagrams above the tunnel MTU without DF.", s.reverse_fragments);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_not_ours_total", "counter",
	                    "Datagrams from the link left to the kernel (no visitor with reverse tunnelling).", s.passed);
	rc |= expo_prom_named(b, "mip4fa_dataplane_drops_total", "Datagrams dropped, by reason.", "reason", s.drops,
	                      FORWARD_DROP__COUNT, dp_drop_name);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_icmp_fragmentation_needed_total", "counter",
	                    "ICMP fragmentation-needed errors sent.", s.icmp_frag_needed);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_icmp_suppressed_total", "counter",
	                    "ICMP errors not sent (RFC 1812 4.3.2.7).", s.icmp_suppressed);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_icmp_rate_limited_total", "counter",
	                    "ICMP errors held back by the rate limit.", s.icmp_rate_limited);
	rc |= expo_prom_u64(b, "mip4fa_dataplane_kernel_errors_total", "counter",
	                    "Routing rule requests the kernel refused.", dp->kernel.count);
	return rc;
}
