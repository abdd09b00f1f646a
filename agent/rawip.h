/*
 * rawip: a raw IPv4 socket for one protocol (4, IP in IP, for tunnel ends)
 * with IP_HDRINCL: whole datagrams, headers included, are received and sent in
 * batches (recvmmsg / sendmmsg).  The kernel reassembles before delivering, so
 * received datagrams are whole; it does not fragment what is sent (an oversized
 * datagram fails with EMSGSIZE): the sender fragments (lib/ipv4.h).  Any
 * complete IPv4 datagram can be sent through it, an ICMP error included.
 */
#ifndef MIP4_AGENT_RAWIP_H
#define MIP4_AGENT_RAWIP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define RAWIP_BATCH 64

struct rawip {
	int fd;
	uint64_t send_errors; /* datagrams the kernel refused */
	int last_errno;       /* why the last refusal */
};

/* Open for protocol, non-blocking; dev (may be NULL) binds the socket to that
 * interface (SO_BINDTODEVICE): it then receives only what arrives there and
 * routes what it sends out through it.  0 or -1 with errno. */
int rawip_open(struct rawip *r, uint8_t protocol, const char *dev);
/* Bind to another interface (NULL or "": none). */
int rawip_bind_device(struct rawip *r, const char *dev);
void rawip_close(struct rawip *r);
/* Read up to n (<= RAWIP_BATCH) datagrams without blocking, as tun_read_batch. */
unsigned rawip_recv_batch(struct rawip *r, uint8_t *const *bufs, size_t cap, size_t *lens, unsigned n);
/* Send n (<= RAWIP_BATCH) complete datagrams, each to its own header's
 * destination.  Returns the number the kernel took; a datagram it refuses is
 * counted in send_errors and skipped. */
unsigned rawip_send_batch(struct rawip *r, const struct iovec *pkts, unsigned n);

/* A send batch on a raw socket: scratch buffers of cap octets that stay
 * untouched until the batch is flushed, and the datagrams queued from them (or
 * from anywhere else that lives as long).  One thread per batch. */
struct rawip_batch {
	struct rawip *raw;
	uint8_t *mem;
	size_t cap;
	unsigned n_scratch, n_tx;
	unsigned refused;   /* by flushes since the last rawip_batch_flush returned */
	struct iovec tx[RAWIP_BATCH];
};

/* 0, or -1 with errno (ENOMEM). */
int rawip_batch_init(struct rawip_batch *b, struct rawip *raw, size_t cap);
void rawip_batch_destroy(struct rawip_batch *b);
/* A scratch buffer of b->cap octets (the batch is flushed first when none is
 * left, so earlier scratch buffers must be queued before asking again). */
uint8_t *rawip_batch_buf(struct rawip_batch *b);
/* Queue p[0..len) (flushing first when the batch is full). */
void rawip_batch_queue(struct rawip_batch *b, uint8_t *p, size_t len);
/* Send what is queued; returns how many datagrams the kernel refused since the
 * last call (flushes made for room included). */
unsigned rawip_batch_flush(struct rawip_batch *b);

#endif
