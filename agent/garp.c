#include "agent/garp.h"

#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int garp_open(struct garp *g, unsigned ifindex, const uint8_t mac[6])
{
	memset(g, 0, sizeof *g);
	g->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (g->fd < 0)
		return -1;
	g->ifindex = ifindex;
	memcpy(g->mac, mac, 6);
	return 0;
}

void garp_close(struct garp *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

int garp_send(struct garp *g, uint32_t addr)
{
	uint8_t p[28];
	p[0] = 0, p[1] = ARPHRD_ETHER;
	p[2] = 0x08, p[3] = 0x00;
	p[4] = 6, p[5] = 4;
	p[6] = 0, p[7] = ARPOP_REQUEST;
	memcpy(p + 8, g->mac, 6);
	memcpy(p + 14, &addr, 4);
	memset(p + 18, 0, 6);
	memcpy(p + 24, &addr, 4);
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_ARP),
		.sll_ifindex = (int)g->ifindex,
		.sll_halen = 6,
	};
	memset(to.sll_addr, 0xff, 6);
	return sendto(g->fd, p, sizeof p, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof p ? 0 : -1;
}
