/*
 * udp: the registration socket.  Datagrams are read in batches (recvmmsg) and
 * the replies of a batch leave together (sendmmsg), each from the HA address
 * the socket is bound to, to the source address and port of its request.
 */
#ifndef MIP4_AGENT_UDP_H
#define MIP4_AGENT_UDP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define UDP_BATCH 64
#define UDP_RX_MAX 4096  /* larger registration datagrams are counted and dropped */
#define UDP_TX_MAX 512

struct udp_sock {
	int fd;
	struct mmsghdr rx[UDP_BATCH];
	struct iovec rx_iov[UDP_BATCH];
	struct sockaddr_in rx_from[UDP_BATCH];
	uint8_t rx_buf[UDP_BATCH][UDP_RX_MAX];
	struct mmsghdr tx[UDP_BATCH];
	struct iovec tx_iov[UDP_BATCH];
	struct sockaddr_in tx_to[UDP_BATCH];
	uint8_t tx_buf[UDP_BATCH][UDP_TX_MAX];
	unsigned n_tx;
	uint64_t send_errors;
	/* Called before queued datagrams leave (to put on disk first what they
	 * announce); NULL for none.  Set after udp_open. */
	void (*before_flush)(void *arg);
	void *before_flush_arg;
};

/* Bind addr:port (network/host order as named).  Returns 0 or -1 with errno. */
int udp_open(struct udp_sock *u, uint32_t addr, uint16_t port);
void udp_close(struct udp_sock *u);
/* Read one batch without blocking, calling fn for each datagram; truncated is
 * true when it did not fit UDP_RX_MAX.  Returns the number read (0 when none). */
int udp_recv_batch(struct udp_sock *u,
                   void (*fn)(const uint8_t *buf, size_t len, bool truncated, const struct sockaddr_in *from, void *arg),
                   void *arg);
/* Queue a reply; the queue is sent when full or by udp_flush. */
void udp_queue(struct udp_sock *u, const uint8_t *buf, size_t len, const struct sockaddr_in *to);
void udp_flush(struct udp_sock *u);

#endif
