#include "mip4-mn/datapath.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "agent/rawip.h"
#include "agent/rtnl.h"
#include "agent/tun.h"
#include "lib/ipip.h"

#define DP_BATCH RAWIP_BATCH
#define DP_BUF (IPV4_MAX_LEN + 1)

struct mn_datapath {
	uint32_t ha_addr, home_addr, coa;
	char dev[IFNAMSIZ];
	bool reverse, attached, routed, ruled;
	unsigned tun_mtu;
	uint16_t ip_id;
	struct rtnl rtnl;
	struct tun tun;
	struct rawip ipip;   /* receives tunnelled datagrams, sends reverse-tunnelled ones */
	struct rawip direct; /* IPPROTO_RAW: sends the node's datagrams as they are */
	struct event *ev_tun, *ev_ipip;
	uint8_t *mem, *rx[DP_BATCH];
	size_t rx_len[DP_BATCH];
	struct mn_datapath_stats st;
};

int mn_datapath_resolve(const char *s, uint32_t *addr, char dev[IFNAMSIZ], char *err, size_t errlen)
{
	struct in_addr want;
	bool by_addr = inet_pton(AF_INET, s, &want) == 1;
	struct ifaddrs *ifs, *i;
	if (getifaddrs(&ifs) != 0) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	int rc = -1;
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		uint32_t a = ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr;
		if (by_addr ? a == want.s_addr : strcmp(i->ifa_name, s) == 0) {
			*addr = a;
			snprintf(dev, IFNAMSIZ, "%s", i->ifa_name);
			rc = 0;
			break;
		}
	}
	freeifaddrs(ifs);
	if (rc != 0)
		snprintf(err, errlen, by_addr ? "no interface holds %s" : "interface %s has no IPv4 address", s);
	return rc;
}

static void mn_dp_on_tun(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct mn_datapath *dp = arg;
	struct iovec rev[DP_BATCH], dir[DP_BATCH];
	unsigned n = tun_read_batch(&dp->tun, dp->rx, DP_BUF - IPIP_HDR_LEN, dp->rx_len, DP_BATCH);
	unsigned n_rev = 0, n_dir = 0;
	for (unsigned i = 0; i < n; i++) {
		struct ipv4_hdr h;
		uint8_t *p = dp->rx[i];
		if (ipv4_parse(p, dp->rx_len[i], &h) != IPV4_OK || !dp->attached) {
			dp->st.drop_malformed++;
			continue;
		}
		if (h.src != dp->home_addr) {
			dp->st.drop_not_from_home++;
			continue;
		}
		if (dp->reverse && ipip_encap_header(p - IPIP_HDR_LEN, &h, dp->coa, dp->ha_addr, dp->ip_id++, IPIP_TTL)) {
			rev[n_rev++] = (struct iovec){ p - IPIP_HDR_LEN, (size_t)h.total_len + IPIP_HDR_LEN };
			dp->st.reverse_packets++;
			dp->st.reverse_bytes += h.total_len;
		} else {
			dir[n_dir++] = (struct iovec){ p, h.total_len };
			dp->st.direct_packets++;
			dp->st.direct_bytes += h.total_len;
		}
	}
	/* What the kernel refuses is counted in the sockets' send_errors. */
	if (n_rev)
		rawip_send_batch(&dp->ipip, rev, n_rev);
	if (n_dir)
		rawip_send_batch(&dp->direct, dir, n_dir);
}

static void mn_dp_on_ipip(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct mn_datapath *dp = arg;
	unsigned n = rawip_recv_batch(&dp->ipip, dp->rx, DP_BUF - IPIP_HDR_LEN, dp->rx_len, DP_BATCH);
	for (unsigned i = 0; i < n; i++) {
		struct ipip_view v;
		if (ipip_decap_parse(dp->rx[i], dp->rx_len[i], &v) != IPIP_OK) {
			dp->st.drop_malformed++;
			continue;
		}
		if (v.outer.src != dp->ha_addr) {
			dp->st.drop_not_from_ha++;
			continue;
		}
		if (!dp->attached || v.outer.dst != dp->coa || v.inner.dst != dp->home_addr) {
			dp->st.drop_not_for_us++;
			continue;
		}
		if (tun_write(&dp->tun, v.inner_pkt, v.inner.total_len) != 0) {
			dp->st.write_errors++;
			continue;
		}
		dp->st.decap_packets++;
		dp->st.decap_bytes += v.inner.total_len;
	}
}

struct mn_datapath *mn_datapath_open(struct event_base *base, uint32_t ha_addr, const char *tun_name, char *err,
                                     size_t errlen)
{
	struct mn_datapath *dp = calloc(1, sizeof *dp);
	if (!dp) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dp->ha_addr = ha_addr;
	dp->tun.fd = dp->ipip.fd = dp->direct.fd = -1;
	dp->mem = malloc((size_t)DP_BATCH * DP_BUF);
	const char *what = "memory";
	if (!dp->mem)
		goto fail;
	for (unsigned i = 0; i < DP_BATCH; i++)
		dp->rx[i] = dp->mem + (size_t)i * DP_BUF + IPIP_HDR_LEN;
	what = "rtnetlink";
	if (rtnl_open(&dp->rtnl) != 0)
		goto fail;
	what = "TUN device";
	if (tun_open(&dp->tun, tun_name) != 0)
		goto fail;
	what = "raw IP-in-IP socket";
	if (rawip_open(&dp->ipip, IPV4_PROTO_IPIP, NULL) != 0)
		goto fail;
	what = "raw IP socket";
	if (rawip_open(&dp->direct, IPPROTO_RAW, NULL) != 0)
		goto fail;
	what = "events";
	dp->ev_tun = event_new(base, dp->tun.fd, EV_READ | EV_PERSIST, mn_dp_on_tun, dp);
	dp->ev_ipip = event_new(base, dp->ipip.fd, EV_READ | EV_PERSIST, mn_dp_on_ipip, dp);
	if (!dp->ev_tun || !dp->ev_ipip || event_add(dp->ev_tun, NULL) != 0 || event_add(dp->ev_ipip, NULL) != 0)
		goto fail;
	return dp;
fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	mn_datapath_close(dp);
	return NULL;
}

int mn_datapath_attach(struct mn_datapath *dp, uint32_t home_addr, uint32_t coa, const char *dev, bool reverse,
                       char *err, size_t errlen)
{
	const char *what;
	unsigned link_mtu = 0;
	unsigned ifindex = if_nametoindex(dev);
	what = "care-of interface";
	if (!ifindex || rtnl_link_get(&dp->rtnl, ifindex, &link_mtu, NULL) != 0)
		goto fail;
	/* Room for the outer header when what the node sends is tunnelled. */
	unsigned mtu = reverse && link_mtu > 68 + IPIP_HDR_LEN ? link_mtu - IPIP_HDR_LEN : link_mtu;
	if (dp->home_addr && dp->home_addr != home_addr)
		mn_datapath_detach(dp);
	what = "home address on the TUN device";
	if (dp->home_addr != home_addr && rtnl_addr_add(&dp->rtnl, dp->tun.ifindex, home_addr, 32) != 0)
		goto fail;
	dp->home_addr = home_addr;
	what = "TUN device up";
	if (mtu != dp->tun_mtu && rtnl_link_set(&dp->rtnl, dp->tun.ifindex, true, mtu) != 0)
		goto fail;
	dp->tun_mtu = mtu;
	what = "binding the sockets to the care-of interface";
	if (strcmp(dev, dp->dev) != 0 && (rawip_bind_device(&dp->ipip, dev) != 0 || rawip_bind_device(&dp->direct, dev) != 0))
		goto fail;
	snprintf(dp->dev, sizeof dp->dev, "%s", dev);
	struct rtnl_route rt = { .oif = dp->tun.ifindex, .protocol = MN_DATAPATH_RTPROT, .metric = MN_DATAPATH_METRIC };
	struct rtnl_route own = { .oif = dp->tun.ifindex, .protocol = MN_DATAPATH_RTPROT, .table = MN_DATAPATH_TABLE };
	what = "default route through the TUN device";
	if (!dp->routed && (rtnl_route_replace(&dp->rtnl, &rt) != 0 || rtnl_route_replace(&dp->rtnl, &own) != 0))
		goto fail;
	dp->routed = true;
	struct rtnl_rule rule = { .src = home_addr, .priority = MN_DATAPATH_RULE_PRIORITY,
	                          .protocol = MN_DATAPATH_RTPROT, .table = MN_DATAPATH_TABLE };
	what = "routing rule for the home address";
	if (!dp->ruled && rtnl_rule_add(&dp->rtnl, &rule) != 0 && errno != EEXIST)
		goto fail;
	dp->ruled = true;
	dp->coa = coa;
	dp->reverse = reverse;
	dp->attached = true;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

void mn_datapath_detach(struct mn_datapath *dp)
{
	dp->attached = false;
	if (dp->ruled)
		rtnl_rule_flush_protocol(&dp->rtnl, MN_DATAPATH_RTPROT, NULL);
	dp->ruled = false;
	if (dp->routed)
		rtnl_route_flush_protocol(&dp->rtnl, MN_DATAPATH_RTPROT, NULL);
	dp->routed = false;
	if (dp->home_addr)
		rtnl_addr_del(&dp->rtnl, dp->tun.ifindex, dp->home_addr, 32);
	dp->home_addr = 0;
}

const char *mn_datapath_tun_name(const struct mn_datapath *dp)
{
	return dp->tun.name;
}

void mn_datapath_get_stats(const struct mn_datapath *dp, struct mn_datapath_stats *s)
{
	*s = dp->st;
	s->send_errors += dp->ipip.send_errors + dp->direct.send_errors;
}

void mn_datapath_close(struct mn_datapath *dp)
{
	if (!dp)
		return;
	if (dp->rtnl.nl)
		mn_datapath_detach(dp);
	if (dp->ev_tun)
		event_free(dp->ev_tun);
	if (dp->ev_ipip)
		event_free(dp->ev_ipip);
	rawip_close(&dp->ipip);
	rawip_close(&dp->direct);
	tun_close(&dp->tun);
	rtnl_close(&dp->rtnl);
	free(dp->mem);
	free(dp);
}
