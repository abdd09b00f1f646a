#include "agent/udp.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int udp_open(struct udp_sock *u, uint32_t addr, uint16_t port)
{
	memset(u, 0, sizeof *u);
	u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0)
		return -1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = addr };
	if (bind(u->fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		int e = errno;
		close(u->fd);
		u->fd = -1;
		errno = e;
		return -1;
	}
	for (unsigned i = 0; i < UDP_BATCH; i++) {
		u->rx_iov[i].iov_base = u->rx_buf[i];
		u->rx_iov[i].iov_len = UDP_RX_MAX;
		u->tx_iov[i].iov_base = u->tx_buf[i];
	}
	return 0;
}

void udp_close(struct udp_sock *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

int udp_recv_batch(struct udp_sock *u,
                   void (*fn)(const uint8_t *buf, size_t len, bool truncated, const struct sockaddr_in *from, void *arg),
                   void *arg)
{
	for (unsigned i = 0; i < UDP_BATCH; i++) {
		memset(&u->rx[i].msg_hdr, 0, sizeof u->rx[i].msg_hdr);
		u->rx[i].msg_hdr.msg_iov = &u->rx_iov[i];
		u->rx[i].msg_hdr.msg_iovlen = 1;
		u->rx[i].msg_hdr.msg_name = &u->rx_from[i];
		u->rx[i].msg_hdr.msg_namelen = sizeof u->rx_from[i];
	}
	int n = recvmmsg(u->fd, u->rx, UDP_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		bool trunc = (u->rx[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
		if (u->rx[i].msg_hdr.msg_namelen < sizeof(struct sockaddr_in))
			continue;
		fn(u->rx_buf[i], u->rx[i].msg_len, trunc, &u->rx_from[i], arg);
	}
	udp_flush(u);
	return n;
}

void udp_queue(struct udp_sock *u, const uint8_t *buf, size_t len, const struct sockaddr_in *to)
{
	if (len > UDP_TX_MAX)
		return;
	if (u->n_tx == UDP_BATCH)
		udp_flush(u);
	unsigned i = u->n_tx++;
	memcpy(u->tx_buf[i], buf, len);
	u->tx_to[i] = *to;
	u->tx_iov[i].iov_len = len;
	memset(&u->tx[i].msg_hdr, 0, sizeof u->tx[i].msg_hdr);
	u->tx[i].msg_hdr.msg_iov = &u->tx_iov[i];
	u->tx[i].msg_hdr.msg_iovlen = 1;
	u->tx[i].msg_hdr.msg_name = &u->tx_to[i];
	u->tx[i].msg_hdr.msg_namelen = sizeof u->tx_to[i];
}

void udp_flush(struct udp_sock *u)
{
	unsigned done = 0;
	if (u->n_tx && u->before_flush)
		u->before_flush(u->before_flush_arg);
	while (done < u->n_tx) {
		int n = sendmmsg(u->fd, u->tx + done, u->n_tx - done, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The datagram at the head failed (full buffer, unreachable): skip it. */
			u->send_errors++;
			done++;
			continue;
		}
		done += (unsigned)n;
	}
	u->n_tx = 0;
}
