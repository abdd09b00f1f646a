#include "agent/rawip.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

int rawip_open(struct rawip *r, uint8_t protocol, const char *dev)
{
	memset(r, 0, sizeof *r);
	r->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (r->fd < 0)
		return -1;
	int one = 1, size = 8 << 20;
	if (setsockopt(r->fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one) != 0 || rawip_bind_device(r, dev) != 0) {
		int e = errno;
		rawip_close(r);
		errno = e;
		return -1;
	}
	/* Best effort: bursts of tunnelled traffic need more than the default. */
	setsockopt(r->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
	setsockopt(r->fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size);
	return 0;
}

int rawip_bind_device(struct rawip *r, const char *dev)
{
	const char *name = dev ? dev : "";
	return setsockopt(r->fd, SOL_SOCKET, SO_BINDTODEVICE, name, (socklen_t)strnlen(name, IFNAMSIZ));
}

void rawip_close(struct rawip *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

unsigned rawip_recv_batch(struct rawip *r, uint8_t *const *bufs, size_t cap, size_t *lens, unsigned n)
{
	struct mmsghdr m[RAWIP_BATCH];
	struct iovec iov[RAWIP_BATCH];
	if (n > RAWIP_BATCH)
		n = RAWIP_BATCH;
	memset(m, 0, n * sizeof *m);
	for (unsigned i = 0; i < n; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = cap;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	int got = recvmmsg(r->fd, m, n, MSG_DONTWAIT, NULL);
	if (got <= 0)
		return 0;
	for (int i = 0; i < got; i++)
		lens[i] = (m[i].msg_hdr.msg_flags & MSG_TRUNC) ? 0 : m[i].msg_len;
	return (unsigned)got;
}

unsigned rawip_send_batch(struct rawip *r, const struct iovec *pkts, unsigned n)
{
	struct mmsghdr m[RAWIP_BATCH];
	struct sockaddr_in to[RAWIP_BATCH];
	if (n > RAWIP_BATCH)
		n = RAWIP_BATCH;
	memset(m, 0, n * sizeof *m);
	for (unsigned i = 0; i < n; i++) {
		memset(&to[i], 0, sizeof to[i]);
		to[i].sin_family = AF_INET;
		if (pkts[i].iov_len >= 20)
			memcpy(&to[i].sin_addr, (const uint8_t *)pkts[i].iov_base + 16, 4);
		m[i].msg_hdr.msg_name = &to[i];
		m[i].msg_hdr.msg_namelen = sizeof to[i];
		m[i].msg_hdr.msg_iov = (struct iovec *)&pkts[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	unsigned done = 0, sent = 0;
	while (done < n) {
		int k = sendmmsg(r->fd, m + done, n - done, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			r->last_errno = errno;
			r->send_errors++;
			done++;
			continue;
		}
		done += (unsigned)k;
		sent += (unsigned)k;
	}
	return sent;
}
