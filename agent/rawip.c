#include "agent/rawip.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
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

int rawip_batch_init(struct rawip_batch *b, struct rawip *raw, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->raw = raw;
	b->cap = cap;
	b->mem = malloc((size_t)RAWIP_BATCH * cap);
	return b->mem ? 0 : -1;
}

void rawip_batch_destroy(struct rawip_batch *b)
{
	free(b->mem);
	b->mem = NULL;
}

static void rawip_batch_send(struct rawip_batch *b)
{
	if (b->n_tx)
		b->refused += b->n_tx - rawip_send_batch(b->raw, b->tx, b->n_tx);
	b->n_tx = 0;
	b->n_scratch = 0;
}

unsigned rawip_batch_flush(struct rawip_batch *b)
{
	rawip_batch_send(b);
	unsigned refused = b->refused;
	b->refused = 0;
	return refused;
}

uint8_t *rawip_batch_buf(struct rawip_batch *b)
{
	if (b->n_scratch == RAWIP_BATCH)
		rawip_batch_send(b);
	return b->mem + (size_t)b->n_scratch++ * b->cap;
}

void rawip_batch_queue(struct rawip_batch *b, uint8_t *p, size_t len)
{
	if (b->n_tx == RAWIP_BATCH)
		rawip_batch_send(b);
	b->tx[b->n_tx].iov_base = p;
	b->tx[b->n_tx].iov_len = len;
	b->n_tx++;
}
