/*
 * ifinfo: what a daemon needs to know about the interface it serves a link on:
 * index, link-layer address, primary IPv4 address and prefix length, MTU.
 */
#ifndef MIP4_AGENT_IFINFO_H
#define MIP4_AGENT_IFINFO_H

#include <stdbool.h>
#include <stdint.h>

struct ifinfo {
	int index;
	uint8_t mac[6];
	bool has_mac;       /* an Ethernet-like link-layer address */
	uint32_t addr;      /* network byte order; 0 when the interface has none */
	uint8_t prefix_len;
	unsigned mtu;
	bool up;
};

/* 0, or -1 with errno (ENODEV: no such interface). */
int ifinfo_get(const char *name, struct ifinfo *out);

#endif
