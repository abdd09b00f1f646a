#include "mip4-ha/dataplane.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/garp.h"
#include "agent/kernerr.h"
#include "agent/pktthread.h"
#include "agent/ratelimit.h"
#include "agent/rawip.h"
#include "agent/rtnl.h"
#include "agent/tun.h"
#include "lib/ipip.h"
#include "lib/log.h"
#include "mip4-ha/fwd.h"

#define DP_RING 8192u            /* binding updates in flight to the packet thread; power of two */
#define DP_BATCH RAWIP_BATCH     /* datagrams per read and per send */
#define DP_HEADROOM IPIP_HDR_LEN /* read home-side datagrams this far in: the outer header goes in front */
#define DP_BUF (IPV4_MAX_LEN + 1)
#define DP_ICMP_PER_S 100        /* ICMP error rate limit (RFC 1812 §4.3.2.8), burst the same */
#define DP_DEFAULT_LINK_MTU 1500

enum dp_op { DP_OP_SET, DP_OP_SET_NEW, DP_OP_CLEAR };

struct dp_update {
	uint32_t home_addr, coa, slot;
	uint16_t tunnel_mtu;
	uint8_t op, flags;
};

struct dp_slot {
	pktctr encap_packets, encap_bytes, decap_packets, decap_bytes, refused;
};

struct dp_counters {
	pktctr encap_packets, encap_bytes, encap_fragments;
	pktctr decap_packets, decap_bytes;
	pktctr drops[FWD_DROP__COUNT];
	pktctr icmp_host_unreachable, icmp_frag_needed, icmp_suppressed, icmp_rate_limited;
};

/* The loop's record of a binding's data plane. */
struct dp_binding {
	struct addrtab_entry entry;
	uint32_t home_addr;
	uint32_t coa;
	uint32_t slot;
	uint64_t set_seq; /* the slot counts for this binding once the thread applied this update */
	uint16_t tunnel_mtu;
	uint8_t flags;
	bool route, proxy;
};
ADDRTAB_LAYOUT(struct dp_binding, entry, home_addr);

struct dataplane {
	/* Loop side. */
	uint32_t ha_addr;
	uint8_t protocol;
	char home_if[IFNAMSIZ];
	unsigned home_ifindex;
	unsigned tun_mtu;
	struct rtnl rtnl;
	struct tun tun;
	struct rawip raw;
	struct garp garp;
	bool have_garp;
	struct addrtab bindings;
	uint32_t max;
	uint32_t *free_slots, n_free, next_slot;
	uint32_t *garp_again;
	size_t n_garp, cap_garp;
	uint64_t garp_sent, stale_routes, stale_proxies;
	struct kernerr kernel;

	/* Shared. */
	struct dp_slot *slots;
	struct pktthread pt;        /* binding updates, loop -> packet thread */
	_Alignas(64) struct dp_counters ctr;

	/* Packet thread side. */
	struct fwd_table fwd;
	uint8_t *rx_mem, *rx[DP_BATCH];
	size_t rx_len[DP_BATCH];
	struct rawip_batch tx;
	uint16_t ip_id;
	struct ratelimit icmp;
};

static struct dp_binding *dp_binding_of(struct addrtab_entry *e)
{
	return (struct dp_binding *)(void *)e;
}

static const char *dp_ip(uint32_t a, char *buf)
{
	struct in_addr in = { a };
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* ---- the packet thread ---- */

static void dp_apply(const void *p, void *arg)
{
	struct dataplane *dp = arg;
	const struct dp_update *u = p;
	if (u->op == DP_OP_CLEAR) {
		fwd_clear(&dp->fwd, u->home_addr);
		return;
	}
	if (u->op == DP_OP_SET_NEW) {
		/* A reused slot: whatever was counted in it belongs to an earlier binding,
		 * cleared before this update in the same order. */
		struct dp_slot *s = &dp->slots[u->slot];
		atomic_store_explicit(&s->encap_packets, 0, memory_order_relaxed);
		atomic_store_explicit(&s->encap_bytes, 0, memory_order_relaxed);
		atomic_store_explicit(&s->decap_packets, 0, memory_order_relaxed);
		atomic_store_explicit(&s->decap_bytes, 0, memory_order_relaxed);
		atomic_store_explicit(&s->refused, 0, memory_order_relaxed);
	}
	/* The loop never has more bindings than the table holds. */
	fwd_set(&dp->fwd, u->home_addr, u->coa, u->tunnel_mtu, u->flags, u->slot);
}

static void dp_flush(struct dataplane *dp)
{
	unsigned refused = rawip_batch_flush(&dp->tx);
	if (refused)
		pktctr_add(&dp->ctr.drops[FWD_DROP_SEND_FAILED], refused);
}

static void dp_icmp(struct dataplane *dp, const uint8_t *p, const struct ipv4_hdr *h, uint8_t code, uint16_t mtu)
{
	if (!icmp_error_allowed(p, h)) {
		pktctr_add(&dp->ctr.icmp_suppressed, 1);
		return;
	}
	if (!ratelimit_allow(&dp->icmp)) {
		pktctr_add(&dp->ctr.icmp_rate_limited, 1);
		return;
	}
	uint8_t *out = rawip_batch_buf(&dp->tx);
	size_t len = icmp_unreach_build(out, ICMP_ERROR_MAX, p, h, dp->ha_addr, code, mtu, dp->ip_id++);
	if (len == 0)
		return;
	pktctr_add(code == ICMP_CODE_FRAG_NEEDED ? &dp->ctr.icmp_frag_needed : &dp->ctr.icmp_host_unreachable, 1);
	rawip_batch_queue(&dp->tx, out, len);
}

/* p has DP_HEADROOM octets in front of it for the outer header. */
static void dp_from_home(struct dataplane *dp, uint8_t *p, size_t len)
{
	struct fwd_result r;
	fwd_from_home(&dp->fwd, p, len, &r);
	switch (r.verdict) {
	case FWD_ENCAP:
	case FWD_ENCAP_FRAG: {
		uint8_t *outer = p - DP_HEADROOM;
		if (!ipip_encap_header(outer, &r.inner, dp->ha_addr, r.e->coa, dp->ip_id++, IPIP_TTL)) {
			pktctr_add(&dp->ctr.drops[FWD_DROP_MALFORMED], 1);
			return;
		}
		size_t total = (size_t)r.inner.total_len + IPIP_HDR_LEN;
		struct dp_slot *s = &dp->slots[r.e->slot];
		pktctr_add(&s->encap_packets, 1);
		pktctr_add(&s->encap_bytes, r.inner.total_len);
		pktctr_add(&dp->ctr.encap_packets, 1);
		pktctr_add(&dp->ctr.encap_bytes, r.inner.total_len);
		if (r.verdict == FWD_ENCAP) {
			rawip_batch_queue(&dp->tx, outer, total);
			return;
		}
		struct ipv4_hdr oh;
		ipv4_parse(outer, total, &oh);
		size_t link_mtu = (size_t)r.e->tunnel_mtu + IPIP_HDR_LEN;
		unsigned n = ipv4_fragment_count(&oh, link_mtu);
		for (unsigned i = 0; i < n; i++) {
			uint8_t *f = rawip_batch_buf(&dp->tx);
			size_t flen = ipv4_fragment_build(outer, &oh, link_mtu, i, f, DP_BUF);
			if (flen)
				rawip_batch_queue(&dp->tx, f, flen);
		}
		pktctr_add(&dp->ctr.encap_fragments, n);
		return;
	}
	case FWD_ICMP_UNREACH:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		dp_icmp(dp, p, &r.inner, ICMP_CODE_HOST_UNREACH, 0);
		return;
	case FWD_ICMP_FRAG:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		dp_icmp(dp, p, &r.inner, ICMP_CODE_FRAG_NEEDED, r.e->tunnel_mtu);
		return;
	case FWD_DECAP:
	case FWD_DROP:
		pktctr_add(&dp->ctr.drops[r.why], 1);
		return;
	}
}

static void dp_from_tunnel(struct dataplane *dp, const uint8_t *p, size_t len)
{
	struct fwd_result r;
	fwd_from_tunnel(&dp->fwd, dp->ha_addr, p, len, &r);
	if (r.verdict != FWD_DECAP) {
		pktctr_add(&dp->ctr.drops[r.why], 1);
		if (r.e)
			pktctr_add(&dp->slots[r.e->slot].refused, 1);
		return;
	}
	if (tun_write(&dp->tun, r.inner_pkt, r.inner.total_len) != 0) {
		pktctr_add(&dp->ctr.drops[FWD_DROP_WRITE_FAILED], 1);
		return;
	}
	struct dp_slot *s = &dp->slots[r.e->slot];
	pktctr_add(&s->decap_packets, 1);
	pktctr_add(&s->decap_bytes, r.inner.total_len);
	pktctr_add(&dp->ctr.decap_packets, 1);
	pktctr_add(&dp->ctr.decap_bytes, r.inner.total_len);
}

static unsigned dp_read_home(void *arg)
{
	struct dataplane *dp = arg;
	unsigned n = tun_read_batch(&dp->tun, dp->rx, DP_BUF - DP_HEADROOM, dp->rx_len, DP_BATCH);
	for (unsigned i = 0; i < n; i++)
		dp_from_home(dp, dp->rx[i], dp->rx_len[i]);
	dp_flush(dp);
	return n;
}

static unsigned dp_read_tunnel(void *arg)
{
	struct dataplane *dp = arg;
	unsigned n = rawip_recv_batch(&dp->raw, dp->rx, DP_BUF - DP_HEADROOM, dp->rx_len, DP_BATCH);
	for (unsigned i = 0; i < n; i++)
		dp_from_tunnel(dp, dp->rx[i], dp->rx_len[i]);
	return n;
}

/* ---- the loop side ---- */

static bool dp_grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 256;
	void *p = realloc(*v, c * size);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* Returns the update's sequence number: the thread has applied it once
 * pktring_applied reaches that number. */
static uint64_t dp_push(struct dataplane *dp, const struct dp_update *u)
{
	return pktring_push(&dp->pt.ring, u);
}

static uint16_t dp_tunnel_mtu(struct dataplane *dp, uint32_t coa)
{
	unsigned mtu = rtnl_path_mtu(&dp->rtnl, coa);
	if (mtu < 68 + IPIP_HDR_LEN)
		mtu = 68 + IPIP_HDR_LEN;
	return (uint16_t)(mtu - IPIP_HDR_LEN);
}

static uint32_t dp_slot_alloc(struct dataplane *dp)
{
	if (dp->n_free)
		return dp->free_slots[--dp->n_free];
	return dp->next_slot++;
}

static void dp_garp(struct dataplane *dp, uint32_t home_addr)
{
	if (garp_send(&dp->garp, home_addr) == 0)
		dp->garp_sent++;
	else
		kernerr_log(&dp->kernel, "gratuitous ARP for", home_addr);
}

int dataplane_bind(struct dataplane *dp, uint32_t home_addr, uint32_t coa, bool reverse)
{
	if (coa == home_addr || coa == 0 || home_addr == 0) {
		dataplane_unbind(dp, home_addr);
		return 0;
	}
	uint8_t flags = reverse ? FWD_REVERSE : 0;
	struct dp_binding *b = dp_binding_of(addrtab_find(&dp->bindings, home_addr));
	if (b && b->coa == coa && b->flags == flags)
		return 0;
	uint16_t mtu = dp_tunnel_mtu(dp, coa);
	if (b) {
		struct dp_update u = { home_addr, coa, b->slot, mtu, DP_OP_SET, flags };
		dp_push(dp, &u);
		b->coa = coa;
		b->flags = flags;
		b->tunnel_mtu = mtu;
		return 0;
	}
	b = dp_binding_of(addrtab_get(&dp->bindings, home_addr));
	if (!b) {
		errno = ENOSPC;
		kernerr_log(&dp->kernel, "no room for the forwarding state of", home_addr);
		return -1;
	}
	b->coa = coa;
	b->flags = flags;
	b->tunnel_mtu = mtu;
	b->slot = dp_slot_alloc(dp);
	struct dp_update u = { home_addr, coa, b->slot, mtu, DP_OP_SET_NEW, flags };
	b->set_seq = dp_push(dp, &u);
	int rc = 0;
	struct rtnl_route rt = { .dst = home_addr, .plen = 32, .oif = dp->tun.ifindex, .protocol = dp->protocol };
	if (rtnl_route_replace(&dp->rtnl, &rt) == 0) {
		b->route = true;
	} else {
		kernerr_log(&dp->kernel, "route to the tunnel device for", home_addr);
		rc = -1;
	}
	if (dp->home_ifindex) {
		if (rtnl_proxy_add(&dp->rtnl, dp->home_ifindex, home_addr, dp->protocol) == 0) {
			b->proxy = true;
		} else {
			kernerr_log(&dp->kernel, "proxy ARP entry for", home_addr);
			rc = -1;
		}
	}
	if (dp->have_garp) {
		/* RFC 5944 §4.6: announce, and once more a second later in case one is lost. */
		dp_garp(dp, home_addr);
		if (dp_grow((void **)&dp->garp_again, &dp->cap_garp, dp->n_garp, sizeof *dp->garp_again))
			dp->garp_again[dp->n_garp++] = home_addr;
	}
	return rc;
}

void dataplane_unbind(struct dataplane *dp, uint32_t home_addr)
{
	struct dp_binding *b = dp_binding_of(addrtab_find(&dp->bindings, home_addr));
	if (!b)
		return;
	if (b->proxy && rtnl_proxy_del(&dp->rtnl, dp->home_ifindex, home_addr) != 0 && errno != ENOENT)
		kernerr_log(&dp->kernel, "removing the proxy ARP entry for", home_addr);
	struct rtnl_route rt = { .dst = home_addr, .plen = 32, .oif = dp->tun.ifindex, .protocol = dp->protocol };
	if (b->route && rtnl_route_del(&dp->rtnl, &rt) != 0 && errno != ESRCH)
		kernerr_log(&dp->kernel, "removing the route for", home_addr);
	struct dp_update u = { home_addr, 0, b->slot, 0, DP_OP_CLEAR, 0 };
	dp_push(dp, &u);
	dp->free_slots[dp->n_free++] = b->slot;
	addrtab_remove(&dp->bindings, &b->entry);
}

void dataplane_tick(struct dataplane *dp)
{
	pktring_retry(&dp->pt.ring);
	size_t n = dp->n_garp;
	dp->n_garp = 0;
	for (size_t i = 0; i < n; i++)
		if (addrtab_find(&dp->bindings, dp->garp_again[i]))
			dp_garp(dp, dp->garp_again[i]);
}

static void dp_close(struct dataplane *dp)
{
	pktthread_destroy(&dp->pt);
	if (dp->rtnl.nl) {
		/* Whatever is left (a failed removal, or entries of ours that appeared
		 * meanwhile): nothing tagged with our protocol outlives us. */
		unsigned n;
		rtnl_route_flush_protocol(&dp->rtnl, dp->protocol, &n);
		rtnl_proxy_flush_protocol(&dp->rtnl, dp->protocol, &n);
	}
	rtnl_close(&dp->rtnl);
	if (dp->have_garp)
		garp_close(&dp->garp);
	rawip_close(&dp->raw);
	tun_close(&dp->tun);
	addrtab_destroy(&dp->bindings);
	fwd_table_destroy(&dp->fwd);
	free(dp->slots);
	free(dp->free_slots);
	free(dp->garp_again);
	free(dp->rx_mem);
	rawip_batch_destroy(&dp->tx);
	free(dp);
}

static void dp_unbind_one(struct addrtab_entry *e, void *arg)
{
	dataplane_unbind(arg, dp_binding_of(e)->home_addr);
}

void dataplane_stop(struct dataplane *dp)
{
	if (!dp)
		return;
	size_t n = dp->bindings.count;
	addrtab_foreach(&dp->bindings, dp_unbind_one, dp);
	log_msg(LOG_LEVEL_NOTICE, "data plane: stopped, routes and proxy ARP entries of %zu bindings removed", n);
	dp_close(dp);
}

static bool dp_forwarding_on(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_forward", "r");
	int c = f ? fgetc(f) : '1';
	if (f)
		fclose(f);
	return c != '0';
}

static struct dataplane *dp_fail(struct dataplane *dp, char *err, size_t errlen, const char *fmt, const char *arg)
{
	int e = errno;
	char what[256];
	snprintf(what, sizeof what, fmt, arg);
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	dp_close(dp);
	errno = e;
	return NULL;
}

struct dataplane *dataplane_start(const struct dataplane_conf *c, char *err, size_t errlen)
{
	struct dataplane *dp = aligned_alloc(64, (sizeof *dp + 63) & ~(size_t)63);
	if (dp)
		memset(dp, 0, sizeof *dp);
	if (!dp) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dp->ha_addr = c->ha_addr;
	dp->protocol = c->route_protocol;
	dp->max = c->max_bindings;
	dp->pt.ep = dp->pt.ring.wake_fd = -1; /* dp_fail may come before pktthread_init */
	dp->tun.fd = dp->raw.fd = dp->garp.fd = -1;
	ratelimit_init(&dp->icmp, DP_ICMP_PER_S, DP_ICMP_PER_S);
	if (c->home_interface && *c->home_interface)
		snprintf(dp->home_if, sizeof dp->home_if, "%s", c->home_interface);

	dp->slots = calloc(dp->max, sizeof *dp->slots);
	dp->free_slots = calloc(dp->max, sizeof *dp->free_slots);
	dp->rx_mem = malloc((size_t)DP_BATCH * DP_BUF);
	if (!dp->slots || !dp->free_slots || !dp->rx_mem || rawip_batch_init(&dp->tx, &dp->raw, DP_BUF) != 0 ||
	    pktthread_init(&dp->pt, sizeof(struct dp_update), DP_RING, dp_apply, dp) != 0 ||
	    addrtab_init(&dp->bindings, dp->max, 1, sizeof(struct dp_binding), NULL) != 0 ||
	    fwd_table_init(&dp->fwd, dp->max) != 0) {
		errno = ENOMEM;
		return dp_fail(dp, err, errlen, "%s", "data plane tables");
	}
	for (unsigned i = 0; i < DP_BATCH; i++)
		dp->rx[i] = dp->rx_mem + (size_t)i * DP_BUF + DP_HEADROOM;

	if (rtnl_open(&dp->rtnl) != 0)
		return dp_fail(dp, err, errlen, "%s", "rtnetlink");
	if (dp->home_if[0]) {
		uint8_t mac[6];
		dp->home_ifindex = if_nametoindex(dp->home_if);
		if (!dp->home_ifindex || rtnl_link_get(&dp->rtnl, dp->home_ifindex, &dp->tun_mtu, mac) != 0)
			return dp_fail(dp, err, errlen, "home_interface %s", dp->home_if);
		if (garp_open(&dp->garp, dp->home_ifindex, mac) != 0)
			return dp_fail(dp, err, errlen, "gratuitous ARP socket on %s", dp->home_if);
		dp->have_garp = true;
	}
	if (!dp->tun_mtu)
		dp->tun_mtu = DP_DEFAULT_LINK_MTU;
	unsigned stale_routes = 0, stale_proxies = 0;
	if (rtnl_route_flush_protocol(&dp->rtnl, dp->protocol, &stale_routes) != 0)
		return dp_fail(dp, err, errlen, "%s", "removing stale routes");
	if (rtnl_proxy_flush_protocol(&dp->rtnl, dp->protocol, &stale_proxies) != 0)
		return dp_fail(dp, err, errlen, "%s", "removing stale proxy ARP entries");
	dp->stale_routes = stale_routes;
	dp->stale_proxies = stale_proxies;
	if (tun_open(&dp->tun, c->tunnel_device) != 0)
		return dp_fail(dp, err, errlen, "tunnel_device %s", c->tunnel_device);
	if (rtnl_link_set(&dp->rtnl, dp->tun.ifindex, true, dp->tun_mtu) != 0)
		return dp_fail(dp, err, errlen, "bringing %s up", dp->tun.name);
	if (rawip_open(&dp->raw, IPV4_PROTO_IPIP, NULL) != 0)
		return dp_fail(dp, err, errlen, "%s", "raw IP-in-IP socket");

	if (pktthread_watch(&dp->pt, dp->tun.fd, dp_read_home, DP_BATCH) != 0 ||
	    pktthread_watch(&dp->pt, dp->raw.fd, dp_read_tunnel, DP_BATCH) != 0)
		return dp_fail(dp, err, errlen, "%s", "packet thread events");
	if (pktthread_start(&dp->pt) != 0)
		return dp_fail(dp, err, errlen, "%s", "packet thread");
	char a[INET_ADDRSTRLEN];
	log_msg(LOG_LEVEL_NOTICE, "data plane: tun on %s (mtu %u), tunnels from %s, %s, route protocol %u; removed %llu "
	                          "stale routes and %llu stale proxy ARP entries",
	        dp->tun.name, dp->tun_mtu, dp_ip(dp->ha_addr, a),
	        dp->home_if[0] ? "proxy ARP on the home interface" : "no home_interface: no proxy ARP",
	        dp->protocol, (unsigned long long)dp->stale_routes, (unsigned long long)dp->stale_proxies);
	if (dp->home_if[0])
		log_msg(LOG_LEVEL_INFO, "data plane: home interface %s", dp->home_if);
	if (!dp_forwarding_on())
		log_msg(LOG_LEVEL_WARNING, "data plane: net.ipv4.ip_forward is 0: the kernel will neither pass packets "
		                           "for mobile nodes to %s nor forward reverse-tunnelled ones",
		        dp->tun.name);
	return dp;
}

const char *dataplane_tunnel_name(const struct dataplane *dp)
{
	return dp->tun.name;
}

bool dataplane_binding_stats(const struct dataplane *dp, uint32_t home_addr, struct dataplane_binding_stats *s)
{
	struct dp_binding *b = dp_binding_of(addrtab_find(&dp->bindings, home_addr));
	if (!b)
		return false;
	memset(s, 0, sizeof *s);
	s->tunnel_mtu = b->tunnel_mtu;
	s->reverse = b->flags & FWD_REVERSE;
	if (pktring_applied(&dp->pt.ring) < b->set_seq)
		return true; /* the slot still holds an earlier binding's counts */
	const struct dp_slot *sl = &dp->slots[b->slot];
	s->encap_packets = pktctr_get(&sl->encap_packets);
	s->encap_bytes = pktctr_get(&sl->encap_bytes);
	s->decap_packets = pktctr_get(&sl->decap_packets);
	s->decap_bytes = pktctr_get(&sl->decap_bytes);
	s->refused = pktctr_get(&sl->refused);
	return true;
}

int dataplane_json(const struct dataplane *dp, struct textbuf *b)
{
	const struct dp_counters *c = &dp->ctr;
	int rc = textbuf_printf(b,
		"\"dataplane\":{\"mode\":\"tun\",\"tunnel_device\":\"%s\",\"bindings\":%zu,"
		"\"encapsulated_packets\":%llu,\"encapsulated_bytes\":%llu,\"encapsulated_fragments\":%llu,"
		"\"decapsulated_packets\":%llu,\"decapsulated_bytes\":%llu,"
		"\"icmp_sent\":{\"host_unreachable\":%llu,\"fragmentation_needed\":%llu},"
		"\"icmp_suppressed\":%llu,\"icmp_rate_limited\":%llu,\"updates_applied\":%llu,\"updates_queued\":%llu,"
		"\"kernel_errors\":%llu,\"gratuitous_arps\":%llu,\"drops\":{",
		dp->tun.name, dp->bindings.count, (unsigned long long)pktctr_get(&c->encap_packets),
		(unsigned long long)pktctr_get(&c->encap_bytes), (unsigned long long)pktctr_get(&c->encap_fragments),
		(unsigned long long)pktctr_get(&c->decap_packets), (unsigned long long)pktctr_get(&c->decap_bytes),
		(unsigned long long)pktctr_get(&c->icmp_host_unreachable), (unsigned long long)pktctr_get(&c->icmp_frag_needed),
		(unsigned long long)pktctr_get(&c->icmp_suppressed), (unsigned long long)pktctr_get(&c->icmp_rate_limited),
		(unsigned long long)pktctr_get(&dp->pt.applied), (unsigned long long)dp->pt.ring.n_overflow,
		(unsigned long long)dp->kernel.count, (unsigned long long)dp->garp_sent);
	for (int i = 1; i < FWD_DROP__COUNT; i++)
		rc |= textbuf_printf(b, "%s\"%s\":%llu", i > 1 ? "," : "", fwd_drop_str((enum fwd_drop)i),
		                     (unsigned long long)pktctr_get(&c->drops[i]));
	rc |= textbuf_printf(b, "}}");
	return rc;
}

#define DP_PROM(b, name, type, help, v)                                                                        \
	textbuf_printf(b, "# HELP " name " " help "\n# TYPE " name " " type "\n" name " %llu\n", (unsigned long long)(v))

int dataplane_prometheus(const struct dataplane *dp, struct textbuf *b)
{
	const struct dp_counters *c = &dp->ctr;
	int rc = 0;
	rc |= DP_PROM(b, "mip4ha_dataplane_bindings", "gauge", "Bindings with a route to the tunnel device.",
	              dp->bindings.count);
	rc |= DP_PROM(b, "mip4ha_dataplane_encapsulated_packets_total", "counter",
	              "Datagrams tunnelled to a care-of address.", pktctr_get(&c->encap_packets));
	rc |= DP_PROM(b, "mip4ha_dataplane_encapsulated_bytes_total", "counter",
	              "Octets of the datagrams tunnelled (inner).", pktctr_get(&c->encap_bytes));
	rc |= DP_PROM(b, "mip4ha_dataplane_encapsulated_fragments_total", "counter",
	              "Outer fragments sent for datagrams above the tunnel MTU without DF.", pktctr_get(&c->encap_fragments));
	rc |= DP_PROM(b, "mip4ha_dataplane_decapsulated_packets_total", "counter",
	              "Reverse-tunnelled datagrams decapsulated.", pktctr_get(&c->decap_packets));
	rc |= DP_PROM(b, "mip4ha_dataplane_decapsulated_bytes_total", "counter",
	              "Octets of the datagrams decapsulated (inner).", pktctr_get(&c->decap_bytes));
	rc |= textbuf_printf(b, "# HELP mip4ha_dataplane_drops_total Datagrams dropped, by reason.\n"
	                        "# TYPE mip4ha_dataplane_drops_total counter\n");
	for (int i = 1; i < FWD_DROP__COUNT; i++)
		rc |= textbuf_printf(b, "mip4ha_dataplane_drops_total{reason=\"%s\"} %llu\n", fwd_drop_str((enum fwd_drop)i),
		                     (unsigned long long)pktctr_get(&c->drops[i]));
	rc |= textbuf_printf(b, "# HELP mip4ha_dataplane_icmp_sent_total ICMP errors sent, by kind.\n"
	                        "# TYPE mip4ha_dataplane_icmp_sent_total counter\n"
	                        "mip4ha_dataplane_icmp_sent_total{kind=\"host-unreachable\"} %llu\n"
	                        "mip4ha_dataplane_icmp_sent_total{kind=\"fragmentation-needed\"} %llu\n",
	                     (unsigned long long)pktctr_get(&c->icmp_host_unreachable),
	                     (unsigned long long)pktctr_get(&c->icmp_frag_needed));
	rc |= DP_PROM(b, "mip4ha_dataplane_icmp_suppressed_total", "counter",
	              "ICMP errors not sent (RFC 1812 4.3.2.7: about an ICMP error, a fragment, broadcast...).",
	              pktctr_get(&c->icmp_suppressed));
	rc |= DP_PROM(b, "mip4ha_dataplane_icmp_rate_limited_total", "counter", "ICMP errors held back by the rate limit.",
	              pktctr_get(&c->icmp_rate_limited));
	rc |= DP_PROM(b, "mip4ha_dataplane_kernel_errors_total", "counter",
	              "Route, proxy ARP or ARP requests the kernel refused.", dp->kernel.count);
	rc |= DP_PROM(b, "mip4ha_dataplane_gratuitous_arps_total", "counter", "Gratuitous ARPs sent on the home link.",
	              dp->garp_sent);
	return rc;
}
