#include "agent/rtnl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
#include <sys/socket.h>

/* Room for one request or one batch of dump answers. */
#define RTNL_BUF 16384

int rtnl_open(struct rtnl *r)
{
	memset(r, 0, sizeof *r);
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!r->nl)
		return -1;
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		mnl_socket_close(r->nl);
		r->nl = NULL;
		errno = e;
		return -1;
	}
	r->portid = mnl_socket_get_portid(r->nl);
	return 0;
}

void rtnl_close(struct rtnl *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

static struct nlmsghdr *rtnl_msg(struct rtnl *r, void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++r->seq;
	return nlh;
}

/* Send nlh and run cb over the answer(s) until the ACK, the end of the dump or
 * an error.  Every request that is not a dump asks for an ACK, so that the
 * answer always ends in one. */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	if (!r->nl) {
		errno = EBADF;
		return -1;
	}
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	unsigned seq = nlh->nlmsg_seq;
	uint8_t *buf = malloc(RTNL_BUF);
	if (!buf)
		return -1;
	int rc;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(r->nl, buf, RTNL_BUF);
		if (n < 0) {
			rc = -1;
			break;
		}
		rc = mnl_cb_run(buf, (size_t)n, seq, r->portid, cb, data);
		if (rc <= MNL_CB_STOP)
			break;
	}
	int e = errno;
	free(buf);
	errno = e;
	return rc < 0 ? -1 : 0;
}

int rtnl_link_set(struct rtnl *r, unsigned ifindex, bool up, unsigned mtu)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return rtnl_talk(r, nlh, NULL, NULL);
}

struct rtnl_link_info {
	unsigned mtu;
	uint8_t *mac;
	bool found;
};

static int rtnl_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_link_info *li = data;
	const struct nlattr *a;
	li->found = true;
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) == IFLA_MTU && mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			li->mtu = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == IFLA_ADDRESS && li->mac && mnl_attr_get_payload_len(a) == 6)
			memcpy(li->mac, mnl_attr_get_payload(a), 6);
	}
	return MNL_CB_OK;
}

int rtnl_link_get(struct rtnl *r, unsigned ifindex, unsigned *mtu, uint8_t mac[6])
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, RTM_GETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	struct rtnl_link_info li = { 0, mac, false };
	if (mac)
		memset(mac, 0, 6);
	if (rtnl_talk(r, nlh, rtnl_link_cb, &li) != 0)
		return -1;
	if (!li.found) {
		errno = ENODEV;
		return -1;
	}
	*mtu = li.mtu;
	return 0;
}

static int rtnl_addr(struct rtnl *r, uint16_t type, uint16_t flags, unsigned ifindex, uint32_t addr, uint8_t plen)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, type, NLM_F_ACK | flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_addr_add(struct rtnl *r, unsigned ifindex, uint32_t addr, uint8_t plen)
{
	return rtnl_addr(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, addr, plen);
}

int rtnl_addr_del(struct rtnl *r, unsigned ifindex, uint32_t addr, uint8_t plen)
{
	return rtnl_addr(r, RTM_DELADDR, 0, ifindex, addr, plen);
}

static struct nlmsghdr *rtnl_route_msg(struct rtnl *r, void *buf, uint16_t type, uint16_t flags,
                                       const struct rtnl_route *rt)
{
	struct nlmsghdr *nlh = rtnl_msg(r, buf, type, NLM_F_ACK | flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = rt->plen;
	rtm->rtm_table = rt->table && rt->table < 256 ? (uint8_t)rt->table : RT_TABLE_MAIN;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = rt->gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (rt->table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, rt->table);
	if (rt->plen)
		mnl_attr_put_u32(nlh, RTA_DST, rt->dst);
	if (rt->gateway)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, rt->gateway);
	if (rt->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, rt->oif);
	if (rt->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, rt->metric);
	return nlh;
}

int rtnl_route_replace(struct rtnl *r, const struct rtnl_route *rt)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	return rtnl_talk(r, rtnl_route_msg(r, buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, rt), NULL, NULL);
}

int rtnl_route_del(struct rtnl *r, const struct rtnl_route *rt)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_route_msg(r, buf, RTM_DELROUTE, 0, rt);
	/* Match on destination, table and metric; any scope. */
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_scope = RT_SCOPE_NOWHERE;
	return rtnl_talk(r, nlh, NULL, NULL);
}

/* What a dump collects for deletion afterwards (a netlink socket cannot take
 * requests in the middle of a dump). */
struct rtnl_found {
	struct rtnl_route *v;
	size_t n, cap;
	uint8_t protocol;
	int err;
};

static int rtnl_found_add(struct rtnl_found *f, const struct rtnl_route *rt)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct rtnl_route *v = realloc(f->v, cap * sizeof *v);
		if (!v) {
			f->err = ENOMEM;
			return MNL_CB_ERROR;
		}
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = *rt;
	return MNL_CB_OK;
}

static int rtnl_route_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_found *f = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET || rtm->rtm_protocol != f->protocol)
		return MNL_CB_OK;
	struct rtnl_route rt = { .plen = rtm->rtm_dst_len, .protocol = rtm->rtm_protocol, .table = rtm->rtm_table };
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof *rtm) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			continue;
		switch (mnl_attr_get_type(a)) {
		case RTA_DST: rt.dst = mnl_attr_get_u32(a); break;
		case RTA_TABLE: rt.table = mnl_attr_get_u32(a); break;
		case RTA_PRIORITY: rt.metric = mnl_attr_get_u32(a); break;
		case RTA_OIF: rt.oif = mnl_attr_get_u32(a); break;
		}
	}
	return rtnl_found_add(f, &rt);
}

int rtnl_route_flush_protocol(struct rtnl *r, uint8_t protocol, unsigned *removed)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = AF_INET;
	struct rtnl_found f = { .protocol = protocol };
	int rc = rtnl_talk(r, nlh, rtnl_route_dump_cb, &f);
	if (rc != 0 && f.err)
		errno = f.err;
	unsigned n = 0;
	for (size_t i = 0; rc == 0 && i < f.n; i++) {
		if (rtnl_route_del(r, &f.v[i]) == 0)
			n++;
		else if (errno != ESRCH)
			rc = -1;
	}
	free(f.v);
	if (removed)
		*removed = n;
	return rc;
}

struct rtnl_route_answer {
	unsigned oif, mtu;
	bool found;
};

static int rtnl_route_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_route_answer *ans = data;
	const struct nlattr *a, *m;
	ans->found = true;
	mnl_attr_for_each(a, nlh, sizeof(struct rtmsg)) {
		if (mnl_attr_get_type(a) == RTA_OIF && mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			ans->oif = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) != RTA_METRICS || mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			continue;
		mnl_attr_for_each_nested(m, a) {
			if (mnl_attr_get_type(m) == RTAX_MTU && mnl_attr_validate(m, MNL_TYPE_U32) >= 0)
				ans->mtu = mnl_attr_get_u32(m);
		}
	}
	return MNL_CB_OK;
}

int rtnl_route_get(struct rtnl *r, uint32_t dst, unsigned *oif, unsigned *route_mtu)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, RTM_GETROUTE, NLM_F_ACK);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put_u32(nlh, RTA_DST, dst);
	struct rtnl_route_answer ans = { 0 };
	if (rtnl_talk(r, nlh, rtnl_route_get_cb, &ans) != 0)
		return -1;
	if (!ans.found || !ans.oif) {
		errno = ENETUNREACH;
		return -1;
	}
	*oif = ans.oif;
	*route_mtu = ans.mtu;
	return 0;
}

unsigned rtnl_path_mtu(struct rtnl *r, uint32_t dst)
{
	unsigned oif = 0, route_mtu = 0, link_mtu = 0, mtu = 1500;
	if (rtnl_route_get(r, dst, &oif, &route_mtu) == 0) {
		if (route_mtu)
			mtu = route_mtu;
		else if (rtnl_link_get(r, oif, &link_mtu, NULL) == 0 && link_mtu)
			mtu = link_mtu;
	}
	if (mtu > 65535)
		mtu = 65535;
	if (mtu < 68)
		mtu = 68;
	return mtu;
}

static struct nlmsghdr *rtnl_rule_msg(struct rtnl *r, void *buf, uint16_t type, uint16_t flags,
                                      const struct rtnl_rule *rule)
{
	struct nlmsghdr *nlh = rtnl_msg(r, buf, type, flags);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof *frh);
	frh->family = AF_INET;
	frh->action = rule->table ? FR_ACT_TO_TBL : FR_ACT_BLACKHOLE;
	if (rule->table) {
		frh->table = rule->table < 256 ? (uint8_t)rule->table : RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, FRA_TABLE, rule->table);
	}
	if (rule->src) {
		frh->src_len = 32;
		mnl_attr_put_u32(nlh, FRA_SRC, rule->src);
	}
	if (rule->iif[0])
		mnl_attr_put_strz(nlh, FRA_IIFNAME, rule->iif);
	if (rule->priority)
		mnl_attr_put_u32(nlh, FRA_PRIORITY, rule->priority);
	if (rule->protocol)
		mnl_attr_put_u8(nlh, FRA_PROTOCOL, rule->protocol);
	return nlh;
}

int rtnl_rule_add(struct rtnl *r, const struct rtnl_rule *rule)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	return rtnl_talk(r, rtnl_rule_msg(r, buf, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, rule), NULL,
	                 NULL);
}

int rtnl_rule_del(struct rtnl *r, const struct rtnl_rule *rule)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	return rtnl_talk(r, rtnl_rule_msg(r, buf, RTM_DELRULE, NLM_F_ACK, rule), NULL, NULL);
}

struct rtnl_rules_found {
	struct rtnl_rule *v;
	size_t n, cap;
	uint8_t protocol;
	int err;
};

static int rtnl_rule_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_rules_found *f = data;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	if (frh->family != AF_INET)
		return MNL_CB_OK;
	struct rtnl_rule rule = { 0 };
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof *frh) {
		switch (mnl_attr_get_type(a)) {
		case FRA_SRC:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0 && frh->src_len == 32)
				rule.src = mnl_attr_get_u32(a);
			break;
		case FRA_IIFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(rule.iif, sizeof rule.iif, "%s", mnl_attr_get_str(a));
			break;
		case FRA_PRIORITY:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				rule.priority = mnl_attr_get_u32(a);
			break;
		case FRA_PROTOCOL:
			if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				rule.protocol = mnl_attr_get_u8(a);
			break;
		case FRA_TABLE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				rule.table = mnl_attr_get_u32(a);
			break;
		}
	}
	if (rule.protocol != f->protocol)
		return MNL_CB_OK;
	/* The two kinds rtnl_rule_msg makes: blackhole (table 0) and lookup. */
	if (frh->action == FR_ACT_BLACKHOLE)
		rule.table = 0;
	else if (frh->action == FR_ACT_TO_TBL && !rule.table)
		rule.table = frh->table;
	if (frh->action != FR_ACT_BLACKHOLE && (frh->action != FR_ACT_TO_TBL || !rule.table))
		return MNL_CB_OK;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct rtnl_rule *v = realloc(f->v, cap * sizeof *v);
		if (!v) {
			f->err = ENOMEM;
			return MNL_CB_ERROR;
		}
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = rule;
	return MNL_CB_OK;
}

int rtnl_rule_flush_protocol(struct rtnl *r, uint8_t protocol, unsigned *removed)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, RTM_GETRULE, NLM_F_DUMP);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof *frh);
	frh->family = AF_INET;
	struct rtnl_rules_found f = { .protocol = protocol };
	int rc = rtnl_talk(r, nlh, rtnl_rule_dump_cb, &f);
	if (rc != 0 && f.err)
		errno = f.err;
	unsigned n = 0;
	for (size_t i = 0; rc == 0 && i < f.n; i++) {
		if (rtnl_rule_del(r, &f.v[i]) == 0)
			n++;
		else if (errno != ENOENT)
			rc = -1;
	}
	free(f.v);
	if (removed)
		*removed = n;
	return rc;
}

static struct nlmsghdr *rtnl_neigh_msg(struct rtnl *r, void *buf, uint16_t type, uint16_t flags, unsigned ifindex,
                                       uint32_t addr, uint8_t ndm_flags, uint16_t state)
{
	struct nlmsghdr *nlh = rtnl_msg(r, buf, type, NLM_F_ACK | flags);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof *nd);
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = (int)ifindex;
	nd->ndm_flags = ndm_flags;
	nd->ndm_state = state;
	mnl_attr_put_u32(nlh, NDA_DST, addr);
	return nlh;
}

int rtnl_proxy_add(struct rtnl *r, unsigned ifindex, uint32_t addr, uint8_t protocol)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_neigh_msg(r, buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, ifindex, addr,
	                                      NTF_PROXY, NUD_PERMANENT);
	mnl_attr_put_u8(nlh, NDA_PROTOCOL, protocol);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_proxy_del(struct rtnl *r, unsigned ifindex, uint32_t addr)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	return rtnl_talk(r, rtnl_neigh_msg(r, buf, RTM_DELNEIGH, 0, ifindex, addr, NTF_PROXY, 0), NULL, NULL);
}

static int rtnl_proxy_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_found *f = data;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	if (nd->ndm_family != AF_INET || !(nd->ndm_flags & NTF_PROXY))
		return MNL_CB_OK;
	struct rtnl_route rt = { .oif = (unsigned)nd->ndm_ifindex };
	bool ours = false, has_dst = false;
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof *nd) {
		if (mnl_attr_get_type(a) == NDA_DST && mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
			rt.dst = mnl_attr_get_u32(a);
			has_dst = true;
		} else if (mnl_attr_get_type(a) == NDA_PROTOCOL && mnl_attr_validate(a, MNL_TYPE_U8) >= 0) {
			ours = mnl_attr_get_u8(a) == f->protocol;
		}
	}
	return ours && has_dst ? rtnl_found_add(f, &rt) : MNL_CB_OK;
}

int rtnl_proxy_flush_protocol(struct rtnl *r, uint8_t protocol, unsigned *removed)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_msg(r, buf, RTM_GETNEIGH, NLM_F_DUMP);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof *nd);
	nd->ndm_family = AF_INET;
	nd->ndm_flags = NTF_PROXY;
	struct rtnl_found f = { .protocol = protocol };
	int rc = rtnl_talk(r, nlh, rtnl_proxy_dump_cb, &f);
	if (rc != 0 && f.err)
		errno = f.err;
	unsigned n = 0;
	for (size_t i = 0; rc == 0 && i < f.n; i++) {
		if (rtnl_proxy_del(r, f.v[i].oif, f.v[i].dst) == 0)
			n++;
		else if (errno != ENOENT)
			rc = -1;
	}
	free(f.v);
	if (removed)
		*removed = n;
	return rc;
}

int rtnl_neigh_set(struct rtnl *r, unsigned ifindex, uint32_t addr, const uint8_t lladdr[6])
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_neigh_msg(r, buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, ifindex, addr, 0,
	                                      NUD_PERMANENT);
	mnl_attr_put(nlh, NDA_LLADDR, 6, lladdr);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_neigh_del(struct rtnl *r, unsigned ifindex, uint32_t addr)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	return rtnl_talk(r, rtnl_neigh_msg(r, buf, RTM_DELNEIGH, 0, ifindex, addr, 0, 0), NULL, NULL);
}
