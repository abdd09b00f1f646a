/*
 * udp_rr: the request/reply generator of the re-registration benchmark, and the
 * bare UDP echo it is compared with.
 *
 *   udp_rr echo PORT
 *       echo every datagram on 127.0.0.1:PORT back to its sender (recvmmsg /
 *       sendmmsg, batches of 64) until SIGTERM/SIGINT.
 *   udp_rr load PORT SECONDS MNS FIRST-HOME SPI KEY-HEX [WINDOW]
 *       keep WINDOW (default 64) requests in flight to 127.0.0.1:PORT for SECONDS:
 *       re-registrations of MNS mobile nodes (home addresses from FIRST-HOME,
 *       static HMAC-MD5 SA with SPI and KEY), built and signed before the clock
 *       starts, so that the generator does the same work whatever answers.
 *       Prints one line: replies/s, accepted, other codes, lost, and the longest
 *       wait for a reply (max_gap_ms: how long the server stopped answering).
 * The same load against `udp_rr echo` and against mip4-ha gives the ratio the
 * bench reports: how close the HA's registration path comes to the machine's
 * bare UDP round trip.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lib/auth.h"
#include "lib/reg.h"
#include "lib/replay.h"

#define RR_BATCH 64
#define RR_SLOT 64
#define RR_MAX_RATE 800000.0 /* requests built per second of run: above any rate seen here */

static volatile sig_atomic_t rr_stop;

static void rr_on_signal(int sig)
{
	(void)sig;
	rr_stop = 1;
}

static double rr_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int rr_socket(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001) };
	int big = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	if (fd < 0 || (port && bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0)) {
		perror("udp_rr: socket");
		exit(1);
	}
	return fd;
}

static int rr_echo(uint16_t port)
{
	int fd = rr_socket(port);
	static uint8_t buf[RR_BATCH][2048];
	struct mmsghdr m[RR_BATCH];
	struct iovec iov[RR_BATCH];
	struct sockaddr_in from[RR_BATCH];
	struct timeval tv = { 0, 200000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	unsigned long long n = 0;
	printf("udp_rr: echo on 127.0.0.1:%u\n", port);
	fflush(stdout);
	while (!rr_stop) {
		for (int i = 0; i < RR_BATCH; i++) {
			iov[i] = (struct iovec){ buf[i], sizeof buf[i] };
			m[i].msg_hdr = (struct msghdr){ .msg_name = &from[i], .msg_namelen = sizeof from[i],
			                                 .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		int k = recvmmsg(fd, m, RR_BATCH, MSG_WAITFORONE, NULL);
		if (k <= 0)
			continue;
		for (int i = 0; i < k; i++)
			iov[i].iov_len = m[i].msg_len;
		for (int done = 0; done < k;) {
			int s = sendmmsg(fd, m + done, (unsigned)(k - done), 0);
			if (s <= 0)
				break;
			done += s;
		}
		n += (unsigned long long)k;
	}
	printf("udp_rr: echoed %llu datagrams\n", n);
	return 0;
}

struct rr_load {
	uint8_t *req;      /* total requests of RR_SLOT octets, in sending order */
	uint8_t *len;
	size_t total;
};

/* Requests k = round * mns + i: node i, Identification base + round, so that
 * every node's requests rise in sending order. */
static int rr_build(struct rr_load *l, uint32_t mns, uint32_t first_home, uint32_t spi, const uint8_t *key,
                    size_t key_len, size_t total)
{
	struct auth_ctx *ctx = auth_ctx_new();
	l->total = total;
	l->req = malloc(total * RR_SLOT);
	l->len = malloc(total);
	if (!ctx || !l->req || !l->len)
		return -1;
	uint64_t base = replay_ntp_now();
	for (size_t k = 0; k < total; k++) {
		uint32_t i = (uint32_t)(k % mns), round = (uint32_t)(k / mns);
		struct reg_builder b;
		struct reg_request_fixed f = { .flags = REG_FLAG_D, .lifetime = 600, .home_addr = htonl(first_home + i),
		                               .ha_addr = htonl(0x7f000001), .coa = htonl(0xc0000200u + (i & 0xff)),
		                               .ident = base + ((uint64_t)round << 8) + 1 };
		reg_build_init(&b, l->req + k * RR_SLOT, RR_SLOT);
		reg_build_request(&b, &f);
		size_t off = reg_build_auth(&b, REG_EXT_MN_HA_AUTH, spi, 16);
		if (b.err != REG_OK || !off || auth_sign(ctx, AUTH_HMAC_MD5, key, key_len, l->req + k * RR_SLOT, off) != 0)
			return -1;
		l->len[k] = (uint8_t)b.len;
	}
	auth_ctx_free(ctx);
	return 0;
}

static int rr_loadgen(uint16_t port, double seconds, uint32_t mns, uint32_t first_home, uint32_t spi,
                      const uint8_t *key, size_t key_len, unsigned window)
{
	struct rr_load l;
	if (rr_build(&l, mns, first_home, spi, key, key_len, (size_t)(seconds * RR_MAX_RATE)) != 0) {
		fprintf(stderr, "udp_rr: cannot build the requests\n");
		return 1;
	}
	int fd = rr_socket(0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001) };
	if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
		perror("udp_rr: connect");
		return 1;
	}
	struct timeval tv = { 0, 100000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	static uint8_t rbuf[RR_BATCH][512];
	struct mmsghdr sm[RR_BATCH], rm[RR_BATCH];
	struct iovec siov[RR_BATCH], riov[RR_BATCH];
	size_t next = 0;
	unsigned inflight = 0;
	unsigned long long replies = 0, accepted = 0, lost = 0;
	double t0 = rr_now(), end = t0 + seconds, t = t0, last_reply = t0, max_gap = 0;
	while (t < end && next < l.total) {
		unsigned n = 0;
		while (inflight + n < window && next + n < l.total && n < RR_BATCH) {
			siov[n] = (struct iovec){ l.req + (next + n) * RR_SLOT, l.len[next + n] };
			sm[n].msg_hdr = (struct msghdr){ .msg_iov = &siov[n], .msg_iovlen = 1 };
			n++;
		}
		for (unsigned done = 0; done < n;) {
			int s = sendmmsg(fd, sm + done, n - done, 0);
			if (s <= 0)
				break;
			done += (unsigned)s;
		}
		next += n;
		inflight += n;
		for (int i = 0; i < RR_BATCH; i++) {
			riov[i] = (struct iovec){ rbuf[i], sizeof rbuf[i] };
			rm[i].msg_hdr = (struct msghdr){ .msg_iov = &riov[i], .msg_iovlen = 1 };
		}
		int k = recvmmsg(fd, rm, RR_BATCH, MSG_WAITFORONE, NULL);
		if (k <= 0) {
			/* Nothing for 100 ms: whatever was in flight is lost. */
			lost += inflight;
			inflight = 0;
		} else {
			for (int i = 0; i < k; i++)
				accepted += rm[i].msg_len >= 2 && (rbuf[i][1] == 0 || rbuf[i][0] == REG_TYPE_RRQ);
			replies += (unsigned)k;
			inflight = (unsigned)k > inflight ? 0 : inflight - (unsigned)k;
		}
		t = rr_now();
		if (k > 0) {
			/* The longest wait for any reply: how long the server stopped answering. */
			if (t - last_reply > max_gap)
				max_gap = t - last_reply;
			last_reply = t;
		}
	}
	double elapsed = t - t0;
	printf("udp_rr: rate=%.0f replies=%llu accepted=%llu other=%llu lost=%llu elapsed=%.2f window=%u "
	       "max_gap_ms=%.1f%s\n",
	       (double)replies / elapsed, replies, accepted, replies - accepted, lost, elapsed, window, max_gap * 1e3,
	       next >= l.total ? " (ran out of prepared requests)" : "");
	OPENSSL_cleanse(l.req, l.total * RR_SLOT);
	free(l.req);
	free(l.len);
	close(fd);
	return 0;
}

static void rr_usage(void)
{
	fprintf(stderr, "usage: udp_rr echo PORT\n"
	                "       udp_rr load PORT SECONDS MNS FIRST-HOME SPI KEY-HEX [WINDOW]\n");
}

int main(int argc, char **argv)
{
	signal(SIGTERM, rr_on_signal);
	signal(SIGINT, rr_on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "echo") == 0)
		return rr_echo((uint16_t)atoi(argv[2]));
	if ((argc == 8 || argc == 9) && strcmp(argv[1], "load") == 0) {
		uint8_t key[64];
		size_t key_len;
		struct in_addr home;
		if (inet_pton(AF_INET, argv[5], &home) != 1 ||
		    OPENSSL_hexstr2buf_ex(key, sizeof key, &key_len, argv[7], '\0') != 1) {
			rr_usage();
			return 2;
		}
		unsigned window = argc == 9 ? (unsigned)atoi(argv[8]) : 64;
		int rc = rr_loadgen((uint16_t)atoi(argv[2]), atof(argv[3]), (uint32_t)atoi(argv[4]), ntohl(home.s_addr),
		                    (uint32_t)strtoul(argv[6], NULL, 10), key, key_len, window ? window : 64);
		OPENSSL_cleanse(key, sizeof key);
		return rc;
	}
	rr_usage();
	return 2;
}
