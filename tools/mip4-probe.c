/*
 * mip4-probe: the traffic tool of the namespace lab, its tests and its bench.
 * ICMP echo with a DF option and a report of the ICMP errors that come back
 * (ping has no machine-readable output, and is not always installed), a UDP
 * stream at a set rate with sequence numbers, and a sink that counts what
 * arrives (UDP with loss by sequence number, or bare IP-in-IP datagrams).  Every
 * mode ends with one JSON line on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#define PROBE_BATCH 64
#define PROBE_MAX 65536
#define PROBE_MAGIC 0x6d697034u /* "mip4" */

struct probe_opts {
	const char *mode;
	struct sockaddr_in dest, bind;
	unsigned count, interval_ms, size, timeout_ms;
	double rate, duration, idle_exit;
	bool df, ipip, quiet;
};

static volatile sig_atomic_t probe_stop;

static void probe_on_signal(int sig)
{
	(void)sig;
	probe_stop = 1;
}

static double probe_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void probe_usage(FILE *f)
{
	fputs("Usage: mip4-probe echo ADDR [-c N] [-i MS] [-s OCTETS] [--df] [-W MS] [--bind ADDR]\n"
	      "       mip4-probe send ADDR:PORT [--rate PPS] [-c N | --duration S] [-s OCTETS] [--bind ADDR[:PORT]]\n"
	      "       mip4-probe sink [--bind ADDR[:PORT]] [--ipip] [--duration S] [--idle-exit S]\n"
	      "\n"
	      "Traffic for the mip4-gba namespace lab.  Each mode prints one JSON line at the end.\n"
	      "\n"
	      "echo   ICMP echo requests (raw socket) of -s octets of ICMP data (default 56), -c of\n"
	      "       them (default 5) every -i ms (default 200); replies are awaited -W ms (default\n"
	      "       1000) after the last.  --df sets Don't Fragment (the kernel then refuses what\n"
	      "       exceeds its path MTU: counted as local_emsgsize).  Reports sent, received,\n"
	      "       round trips, and the ICMP destination-unreachable errors about our requests\n"
	      "       (code, next-hop MTU, sender).  Exit status 0 when every request was answered.\n"
	      "send   a UDP stream to ADDR:PORT: -s octets of payload (default 64, at least 16:\n"
	      "       magic, sequence number, send time) at --rate datagrams/s (default 0: as fast\n"
	      "       as possible, in batches of 64), -c datagrams or for --duration seconds\n"
	      "       (default 1000 datagrams).\n"
	      "sink   count what arrives until SIGINT/SIGTERM, --duration, or --idle-exit seconds\n"
	      "       without a datagram after the first: UDP on --bind (default 0.0.0.0:9000) with\n"
	      "       loss and reordering by sequence number, or with --ipip every IP-in-IP datagram\n"
	      "       delivered to this namespace (a raw protocol-4 socket).\n",
	      f);
}

static bool probe_addr(const char *s, uint16_t def_port, bool need_port, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	if (n == 0 || n >= sizeof host || (need_port && !colon))
		return false;
	memcpy(host, s, n);
	host[n] = 0;
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return false;
	long port = def_port;
	if (colon) {
		char *end;
		port = strtol(colon + 1, &end, 10);
		if (*end || port < 0 || port > 65535)
			return false;
	}
	a->sin_port = htons((uint16_t)port);
	return true;
}

static uint16_t probe_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static int probe_echo(const struct probe_opts *o)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0) {
		fprintf(stderr, "mip4-probe: raw ICMP socket: %s\n", strerror(errno));
		return 2;
	}
	int pmtu = o->df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
	setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
	if (o->bind.sin_addr.s_addr && bind(fd, (const struct sockaddr *)&o->bind, sizeof o->bind) != 0) {
		fprintf(stderr, "mip4-probe: --bind: %s\n", strerror(errno));
		return 2;
	}
	uint16_t id;
	RAND_bytes((unsigned char *)&id, sizeof id);
	size_t size = o->size ? o->size : 56;
	if (size > PROBE_MAX - 28)
		size = PROBE_MAX - 28;
	unsigned count = o->count ? o->count : 5, sent = 0, received = 0, emsgsize = 0;
	unsigned frag_needed = 0, host_unreach = 0, other_errors = 0, last_mtu = 0;
	char err_from[INET_ADDRSTRLEN] = "";
	double *t_sent = calloc(count, sizeof *t_sent);
	bool *seen = calloc(count, sizeof *seen);
	static uint8_t pkt[PROBE_MAX], in[PROBE_MAX];
	double rtt_sum = 0, rtt_max = 0, next = probe_now(), deadline = 0;
	if (!t_sent || !seen)
		return 2;
	while (!probe_stop) {
		double now = probe_now();
		if (sent < count && now >= next) {
			memset(pkt, 0, 8 + size);
			pkt[0] = 8;
			pkt[4] = (uint8_t)(id >> 8), pkt[5] = (uint8_t)id;
			pkt[6] = (uint8_t)(sent >> 8), pkt[7] = (uint8_t)sent;
			for (size_t i = 0; i < size; i++)
				pkt[8 + i] = (uint8_t)i;
			uint16_t c = probe_csum(pkt, 8 + size);
			pkt[2] = (uint8_t)(c >> 8), pkt[3] = (uint8_t)c;
			t_sent[sent] = now;
			if (sendto(fd, pkt, 8 + size, 0, (const struct sockaddr *)&o->dest, sizeof o->dest) < 0) {
				if (errno == EMSGSIZE)
					emsgsize++;
				else if (!o->quiet)
					fprintf(stderr, "mip4-probe: sendto: %s\n", strerror(errno));
			}
			sent++;
			next = now + o->interval_ms / 1000.0;
			if (sent == count)
				deadline = now + o->timeout_ms / 1000.0;
		}
		if (sent == count && (now >= deadline || received == count))
			break;
		double until = sent < count ? next : deadline;
		int ms = (int)((until - now) * 1000) + 1;
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, ms < 0 ? 0 : ms) <= 0)
			continue;
		ssize_t n = recv(fd, in, sizeof in, MSG_DONTWAIT);
		if (n < 28)
			continue;
		size_t hl = (size_t)(in[0] & 15) * 4;
		if ((size_t)n < hl + 8)
			continue;
		const uint8_t *icmp = in + hl;
		if (icmp[0] == 0 && (icmp[4] << 8 | icmp[5]) == id) {
			unsigned seq = (unsigned)(icmp[6] << 8 | icmp[7]);
			if (seq < sent && !seen[seq]) {
				seen[seq] = true;
				received++;
				double rtt = (probe_now() - t_sent[seq]) * 1000;
				rtt_sum += rtt;
				if (rtt > rtt_max)
					rtt_max = rtt;
			}
		} else if (icmp[0] == 3 && (size_t)n >= hl + 8 + 28) {
			/* An error about one of ours: the quoted request carries our id. */
			const uint8_t *q = icmp + 8;
			size_t qhl = (size_t)(q[0] & 15) * 4;
			if ((size_t)n < hl + 8 + qhl + 8 || q[9] != IPPROTO_ICMP || (q[qhl + 4] << 8 | q[qhl + 5]) != id)
				continue;
			inet_ntop(AF_INET, in + 12, err_from, sizeof err_from);
			if (icmp[1] == 4) {
				frag_needed++;
				last_mtu = (unsigned)(icmp[6] << 8 | icmp[7]);
			} else if (icmp[1] == 1) {
				host_unreach++;
			} else {
				other_errors++;
			}
		}
	}
	printf("{\"mode\":\"echo\",\"sent\":%u,\"received\":%u,\"lost\":%u,\"rtt_ms_avg\":%.3f,\"rtt_ms_max\":%.3f,"
	       "\"local_emsgsize\":%u,\"icmp_errors\":{\"fragmentation_needed\":%u,\"mtu\":%u,\"host_unreachable\":%u,"
	       "\"other\":%u,\"from\":\"%s\"}}\n",
	       sent, received, sent - received, received ? rtt_sum / received : 0.0, rtt_max, emsgsize, frag_needed,
	       last_mtu, host_unreach, other_errors, err_from);
	free(t_sent);
	free(seen);
	close(fd);
	return received == sent ? 0 : 1;
}

static void probe_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t probe_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int probe_send(const struct probe_opts *o)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || (o->bind.sin_addr.s_addr && bind(fd, (const struct sockaddr *)&o->bind, sizeof o->bind) != 0)) {
		fprintf(stderr, "mip4-probe: UDP socket: %s\n", strerror(errno));
		return 2;
	}
	int sz = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz);
	size_t size = o->size ? o->size : 64;
	if (size < 16)
		size = 16;
	if (size > 65507)
		size = 65507;
	uint64_t limit = o->duration > 0 ? UINT64_MAX : (o->count ? o->count : 1000);
	static uint8_t buf[PROBE_BATCH][65536];
	struct mmsghdr m[PROBE_BATCH];
	struct iovec iov[PROBE_BATCH];
	uint64_t seq = 0, errors = 0;
	double t0 = probe_now(), end = o->duration > 0 ? t0 + o->duration : INFINITY;
	while (!probe_stop && seq < limit) {
		double now = probe_now();
		if (now >= end)
			break;
		unsigned n = PROBE_BATCH;
		if (o->rate > 0) {
			double due = (now - t0) * o->rate - (double)seq;
			if (due < 1) {
				struct timespec ts = { 0, (long)((1 - due) / o->rate * 1e9) };
				if (ts.tv_nsec > 1000000)
					ts.tv_nsec = 1000000;
				nanosleep(&ts, NULL);
				continue;
			}
			n = due < PROBE_BATCH ? (unsigned)due : PROBE_BATCH;
		}
		if (n > limit - seq)
			n = (unsigned)(limit - seq);
		memset(m, 0, sizeof m);
		for (unsigned i = 0; i < n; i++) {
			probe_put32(buf[i], PROBE_MAGIC);
			probe_put32(buf[i] + 4, (uint32_t)(seq + i));
			uint64_t us = (uint64_t)(now * 1e6);
			probe_put32(buf[i] + 8, (uint32_t)(us >> 32));
			probe_put32(buf[i] + 12, (uint32_t)us);
			iov[i].iov_base = buf[i];
			iov[i].iov_len = size;
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_name = (void *)&o->dest;
			m[i].msg_hdr.msg_namelen = sizeof o->dest;
		}
		int k = sendmmsg(fd, m, n, 0);
		if (k < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED && errno != EINTR)
				errors++;
			/* Count what the kernel refused as sent and lost: the stream's
			 * numbering goes on, as a real sender's would. */
			k = (int)n;
		}
		seq += (unsigned)k;
	}
	double secs = probe_now() - t0;
	printf("{\"mode\":\"send\",\"sent\":%llu,\"payload\":%zu,\"seconds\":%.3f,\"pps\":%.0f,\"errors\":%llu}\n",
	       (unsigned long long)seq, size, secs, secs > 0 ? (double)seq / secs : 0.0, (unsigned long long)errors);
	close(fd);
	return 0;
}

static int probe_sink(const struct probe_opts *o)
{
	int fd = o->ipip ? socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_IPIP)
	                 : socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in b = o->bind;
	if (!o->ipip && b.sin_port == 0)
		b.sin_port = htons(9000);
	if (fd < 0 || (!o->ipip && bind(fd, (const struct sockaddr *)&b, sizeof b) != 0)) {
		fprintf(stderr, "mip4-probe: sink socket: %s\n", strerror(errno));
		return 2;
	}
	int sz = 16 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz);
	/* Ready: tests wait for this line before they start a sender. */
	fprintf(stderr, "mip4-probe: sink ready\n");
	static uint8_t buf[PROBE_BATCH][2048];
	struct mmsghdr m[PROBE_BATCH];
	struct iovec iov[PROBE_BATCH];
	uint64_t pkts = 0, bytes = 0, valid = 0, reordered = 0, dups = 0, max_seq = 0;
	size_t bits_cap = 1 << 20;
	uint8_t *bits = calloc(bits_cap / 8, 1);
	double t_first = 0, t_last = 0, t0 = probe_now();
	if (!bits)
		return 2;
	while (!probe_stop) {
		double now = probe_now();
		if (o->duration > 0 && now - t0 >= o->duration)
			break;
		if (o->idle_exit > 0 && pkts && now - t_last >= o->idle_exit)
			break;
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		memset(m, 0, sizeof m);
		for (unsigned i = 0; i < PROBE_BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof buf[i];
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		int n = recvmmsg(fd, m, PROBE_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		t_last = probe_now();
		if (!pkts)
			t_first = t_last;
		for (int i = 0; i < n; i++) {
			pkts++;
			bytes += m[i].msg_len;
			if (o->ipip || m[i].msg_len < 16 || probe_get32(buf[i]) != PROBE_MAGIC)
				continue;
			uint64_t seq = probe_get32(buf[i] + 4);
			valid++;
			if (seq >= bits_cap * 8 / 8) {
				size_t cap = bits_cap;
				while (seq >= cap)
					cap *= 2;
				uint8_t *nb = realloc(bits, cap / 8);
				if (!nb)
					continue;
				memset(nb + bits_cap / 8, 0, (cap - bits_cap) / 8);
				bits = nb;
				bits_cap = cap;
			}
			if (bits[seq / 8] & (1u << (seq % 8))) {
				dups++;
				continue;
			}
			bits[seq / 8] |= (uint8_t)(1u << (seq % 8));
			if (valid > 1 && seq < max_seq)
				reordered++;
			if (seq > max_seq)
				max_seq = seq;
		}
	}
	uint64_t unique = valid - dups;
	uint64_t expected = valid ? max_seq + 1 : 0;
	double span = t_last - t_first;
	printf("{\"mode\":\"sink\",\"kind\":\"%s\",\"packets\":%llu,\"bytes\":%llu,\"seconds\":%.3f,\"pps\":%.0f,"
	       "\"mbit_s\":%.2f,\"unique\":%llu,\"expected\":%llu,\"lost\":%llu,\"reordered\":%llu,\"duplicates\":%llu}\n",
	       o->ipip ? "ipip" : "udp", (unsigned long long)pkts, (unsigned long long)bytes, span,
	       span > 0 ? (double)pkts / span : 0.0, span > 0 ? (double)bytes * 8 / span / 1e6 : 0.0,
	       (unsigned long long)unique, (unsigned long long)expected, (unsigned long long)(expected - unique),
	       (unsigned long long)reordered, (unsigned long long)dups);
	free(bits);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' }, { "interval", required_argument, NULL, 'i' },
		{ "size", required_argument, NULL, 's' },  { "wait", required_argument, NULL, 'W' },
		{ "df", no_argument, NULL, 'D' },          { "bind", required_argument, NULL, 'b' },
		{ "rate", required_argument, NULL, 'r' },  { "duration", required_argument, NULL, 'd' },
		{ "idle-exit", required_argument, NULL, 'e' }, { "ipip", no_argument, NULL, 'I' },
		{ "quiet", no_argument, NULL, 'q' },       { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct probe_opts o = { .interval_ms = 200, .timeout_ms = 1000 };
	o.bind.sin_family = AF_INET;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		probe_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	o.mode = argv[1];
	int opt;
	optind = 2;
	char *end;
	while ((opt = getopt_long(argc, argv, "c:i:s:W:b:qh", longopts, NULL)) != -1) {
		errno = 0;
		switch (opt) {
		case 'c': o.count = (unsigned)strtoul(optarg, &end, 10); break;
		case 'i': o.interval_ms = (unsigned)strtoul(optarg, &end, 10); break;
		case 's': o.size = (unsigned)strtoul(optarg, &end, 10); break;
		case 'W': o.timeout_ms = (unsigned)strtoul(optarg, &end, 10); break;
		case 'r': o.rate = strtod(optarg, &end); break;
		case 'd': o.duration = strtod(optarg, &end); break;
		case 'e': o.idle_exit = strtod(optarg, &end); break;
		case 'D': o.df = true; continue;
		case 'I': o.ipip = true; continue;
		case 'q': o.quiet = true; continue;
		case 'b':
			if (!probe_addr(optarg, 0, false, &o.bind)) {
				fprintf(stderr, "mip4-probe: --bind: not ADDR[:PORT]: '%s'\n", optarg);
				return 2;
			}
			continue;
		case 'h': probe_usage(stdout); return 0;
		default: probe_usage(stderr); return 2;
		}
		if (errno || *end || end == optarg) {
			fprintf(stderr, "mip4-probe: not a number: '%s'\n", optarg);
			return 2;
		}
	}
	struct sigaction sa = { .sa_handler = probe_on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(o.mode, "sink") == 0) {
		if (optind != argc)
			goto usage;
		return probe_sink(&o);
	}
	if (optind + 1 != argc)
		goto usage;
	if (strcmp(o.mode, "echo") == 0 && probe_addr(argv[optind], 0, false, &o.dest))
		return probe_echo(&o);
	if (strcmp(o.mode, "send") == 0 && probe_addr(argv[optind], 0, true, &o.dest))
		return probe_send(&o);
usage:
	fprintf(stderr, "mip4-probe: bad arguments (see --help)\n");
	return 2;
}
