#include "agent/icmpsock.h"

#include <errno.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/inet.h"

int icmpsock_open(struct icmpsock *s, const char *ifname, int ifindex, uint32_t src, const uint8_t *types,
                  size_t n_types, const uint32_t *groups, size_t n_groups)
{
	memset(s, 0, sizeof *s);
	s->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (s->fd < 0)
		return -1;
	struct icmp_filter filt = { .data = ~0u };
	for (size_t i = 0; i < n_types; i++)
		if (types[i] < 32)
			filt.data &= ~(1u << types[i]);
	/* RFC 5944 §2.1, §2.2: every Router Discovery message has TTL 1. */
	int one = 1, zero = 0;
	/* The source goes in the multicast interface setting, not in bind(): a
	 * bound raw socket would only receive what is sent to that address. */
	struct ip_mreqn mif = { .imr_address.s_addr = src, .imr_ifindex = ifindex };
	if (setsockopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) != 0 ||
	    setsockopt(s->fd, SOL_RAW, ICMP_FILTER, &filt, sizeof filt) != 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_TTL, &one, sizeof one) != 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof one) != 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof zero) != 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof mif) != 0)
		goto fail;
	for (size_t i = 0; i < n_groups; i++) {
		struct ip_mreqn m = { .imr_multiaddr.s_addr = groups[i], .imr_ifindex = ifindex };
		if (setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0)
			goto fail;
	}
	return 0;
fail:;
	int e = errno;
	close(s->fd);
	s->fd = -1;
	errno = e;
	return -1;
}

void icmpsock_close(struct icmpsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

size_t icmpsock_recv(struct icmpsock *s, uint8_t *buf, size_t cap, uint32_t *src, uint8_t *ttl)
{
	ssize_t n;
	do
		n = recv(s->fd, buf, cap, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0;
	struct inet_view v;
	if (inet_parse(buf, (size_t)n, INET_PROTO_ICMP, INET_TRUST_NONE, &v) != INET_OK)
		return 0;
	*src = v.src;
	*ttl = v.ttl;
	memmove(buf, v.payload, v.payload_len);
	return v.payload_len;
}

int icmpsock_send(struct icmpsock *s, uint32_t dst, const uint8_t *msg, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = dst };
	ssize_t n;
	do
		n = sendto(s->fd, msg, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		s->send_errors++;
		return -1;
	}
	return 0;
}
