/*
 * rtnl: the rtnetlink requests our agents make (libmnl), synchronous: each call
 * sends one request and reads the kernel's answer.  IPv4 only.  Routes and
 * proxy neighbour entries are tagged with a route protocol number of the
 * caller's choosing, so that a restarted agent can remove exactly what an
 * earlier instance of itself left behind and nothing else.
 *
 * Every function returns 0 or -1 with errno set (from the kernel's NLMSG_ERROR
 * when it refused).  Addresses are in network order.
 */
#ifndef MIP4_AGENT_RTNL_H
#define MIP4_AGENT_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

struct rtnl {
	struct mnl_socket *nl;
	unsigned portid;
	unsigned seq;
};

struct rtnl_route {
	uint32_t dst;
	uint8_t plen;     /* prefix length, 0..32 */
	uint32_t gateway; /* 0: on-link / point-to-point through oif */
	unsigned oif;     /* output interface index */
	uint8_t protocol; /* rtm_protocol: who installed it */
	uint32_t table;   /* 0: main */
	uint32_t metric;  /* RTA_PRIORITY; 0: none */
};

int rtnl_open(struct rtnl *r);
void rtnl_close(struct rtnl *r);

/* Bring the link up (or down) and set its MTU (0: leave it). */
int rtnl_link_set(struct rtnl *r, unsigned ifindex, bool up, unsigned mtu);
/* MTU and (for Ethernet-like links) the 6-octet hardware address; mac may be NULL. */
int rtnl_link_get(struct rtnl *r, unsigned ifindex, unsigned *mtu, uint8_t mac[6]);

int rtnl_addr_add(struct rtnl *r, unsigned ifindex, uint32_t addr, uint8_t plen);
int rtnl_addr_del(struct rtnl *r, unsigned ifindex, uint32_t addr, uint8_t plen);

/* Add or replace the route to rt->dst/plen in its table and metric. */
int rtnl_route_replace(struct rtnl *r, const struct rtnl_route *rt);
int rtnl_route_del(struct rtnl *r, const struct rtnl_route *rt);
/* Delete every IPv4 route of any table whose protocol is `protocol`; *removed
 * (may be NULL) counts them. */
int rtnl_route_flush_protocol(struct rtnl *r, uint8_t protocol, unsigned *removed);
/* The kernel's route to dst (as `ip route get`): output interface, and the MTU
 * of that route when one is set on it (0 otherwise). */
int rtnl_route_get(struct rtnl *r, uint32_t dst, unsigned *oif, unsigned *route_mtu);

/* The MTU of the path to dst as the kernel sees it: the route's MTU when one is
 * set, else its output link's, else 1500; within 68..65535.  Never fails. */
unsigned rtnl_path_mtu(struct rtnl *r, uint32_t dst);

/* A routing policy rule "from src/32 iif iif blackhole": datagrams from src
 * that arrive on iif are not forwarded by the kernel (a user-space forwarder
 * takes them).  Tagged with protocol (FRA_PROTOCOL) like our routes. */
struct rtnl_rule {
	uint32_t src;
	char iif[16];
	uint32_t priority;
	uint8_t protocol;
	uint32_t table; /* 0: blackhole; otherwise look the route up in this table */
};

int rtnl_rule_add(struct rtnl *r, const struct rtnl_rule *rule);
int rtnl_rule_del(struct rtnl *r, const struct rtnl_rule *rule);
/* Delete every IPv4 rule whose protocol is `protocol`. */
int rtnl_rule_flush_protocol(struct rtnl *r, uint8_t protocol, unsigned *removed);

/* Proxy neighbour (proxy ARP) entry: answer ARP for addr on ifindex. */
int rtnl_proxy_add(struct rtnl *r, unsigned ifindex, uint32_t addr, uint8_t protocol);
int rtnl_proxy_del(struct rtnl *r, unsigned ifindex, uint32_t addr);
/* Delete every IPv4 proxy entry whose protocol is `protocol`. */
int rtnl_proxy_flush_protocol(struct rtnl *r, uint8_t protocol, unsigned *removed);

/* Permanent neighbour entry addr -> lladdr on ifindex (added or replaced). */
int rtnl_neigh_set(struct rtnl *r, unsigned ifindex, uint32_t addr, const uint8_t lladdr[6]);
int rtnl_neigh_del(struct rtnl *r, unsigned ifindex, uint32_t addr);

#endif
