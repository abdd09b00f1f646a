#include "agent/linkpkt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* An IPv4 packet socket on l->ifindex reading what the filter code[0..n)
 * accepts, never our own outgoing datagrams. */
static int linkpkt_open_filtered(struct linkpkt *l, struct sock_filter *code, size_t n)
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = code };
	l->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (l->fd < 0)
		return -1;
	int one = 1;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = l->ifindex };
	if (setsockopt(l->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0 ||
	    setsockopt(l->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0 ||
	    setsockopt(l->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) != 0 ||
	    bind(l->fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
		int e = errno;
		close(l->fd);
		l->fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

int linkpkt_open_udp(struct linkpkt *l, int ifindex, uint16_t udp_dport, const uint32_t *dsts, size_t n_dsts)
{
	memset(l, 0, sizeof *l);
	l->fd = -1;
	l->ifindex = ifindex;
	if (n_dsts == 0 || n_dsts > LINKPKT_MAX_DSTS) {
		errno = EINVAL;
		return -1;
	}
	/* Classic BPF over the IPv4 header (a SOCK_DGRAM packet socket starts
	 * there): destination one of dsts, protocol UDP, neither a fragment nor
	 * the first of several, destination port udp_dport.  Jump offsets count
	 * from the next instruction; "drop" is the last one. */
	struct sock_filter code[LINKPKT_MAX_DSTS + 10];
	size_t n = 0, last = n_dsts + 9;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16);
	for (size_t i = 0; i < n_dsts; i++) {
		/* The last address falls through to drop when it does not match. */
		uint8_t miss = i + 1 < n_dsts ? 0 : (uint8_t)(last - n - 1);
		code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(dsts[i]), (uint8_t)(n_dsts - i - 1),
		                                       miss);
		n++;
	}
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9);
	code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, (uint8_t)(last - n - 1));
	n++;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6);
	code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, (uint8_t)(last - n - 1), 0);
	n++;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0);
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2);
	code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, udp_dport, 0, 1);
	n++;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, LINKPKT_MAX);
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	return linkpkt_open_filtered(l, code, n);
}

int linkpkt_open_transit(struct linkpkt *l, int ifindex, const uint32_t *locals, size_t n_locals)
{
	memset(l, 0, sizeof *l);
	l->fd = -1;
	l->ifindex = ifindex;
	if (n_locals > LINKPKT_MAX_DSTS) {
		errno = EINVAL;
		return -1;
	}
	/* Sent to this host's link-layer address (not broadcast, not another
	 * host's frame seen in promiscuous mode), to an IPv4 destination that is
	 * none of locals, below 224.0.0.0 (neither multicast, 240/4 nor the
	 * limited broadcast). */
	struct sock_filter code[LINKPKT_MAX_DSTS + 6];
	size_t n = 0, last = n_locals + 5;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE);
	code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_HOST, 0, (uint8_t)(last - n - 1));
	n++;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16);
	for (size_t i = 0; i < n_locals; i++) {
		code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(locals[i]), (uint8_t)(last - n - 1),
		                                       0);
		n++;
	}
	code[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0xe0000000u, (uint8_t)(last - n - 1), 0);
	n++;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, LINKPKT_MAX);
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	return linkpkt_open_filtered(l, code, n);
}

int linkpkt_open_send(struct linkpkt *l, int ifindex)
{
	memset(l, 0, sizeof *l);
	l->ifindex = ifindex;
	/* Protocol 0: the kernel hands this socket nothing to read. */
	l->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return -1;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = 0, .sll_ifindex = ifindex };
	if (bind(l->fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
		int e = errno;
		close(l->fd);
		l->fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

void linkpkt_close(struct linkpkt *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/* TP_STATUS_CSUMNOTREADY: a partial checksum offload will complete;
 * TP_STATUS_CSUM_VALID: the device checked it. */
static bool linkpkt_csum_trusted(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		struct tpacket_auxdata aux;
		memcpy(&aux, CMSG_DATA(c), sizeof aux);
		return (aux.tp_status & (TP_STATUS_CSUMNOTREADY | TP_STATUS_CSUM_VALID)) != 0;
	}
	return false;
}

int linkpkt_recv_batch(struct linkpkt *l,
                       void (*fn)(const uint8_t *pkt, size_t len, const uint8_t mac[6], bool csum_trusted, void *arg),
                       void *arg)
{
	struct mmsghdr msg[LINKPKT_BATCH];
	struct iovec iov[LINKPKT_BATCH];
	struct sockaddr_ll from[LINKPKT_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		struct cmsghdr align;
	} ctl[LINKPKT_BATCH];
	memset(msg, 0, sizeof msg);
	for (unsigned i = 0; i < LINKPKT_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = l->rx[i], .iov_len = LINKPKT_MAX };
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = &from[i];
		msg[i].msg_hdr.msg_namelen = sizeof from[i];
		msg[i].msg_hdr.msg_control = ctl[i].buf;
		msg[i].msg_hdr.msg_controllen = sizeof ctl[i].buf;
	}
	int n = recvmmsg(l->fd, msg, LINKPKT_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		/* Only Ethernet-like sources can be answered at their address. */
		if (from[i].sll_halen != 6 || from[i].sll_pkttype == PACKET_OUTGOING ||
		    (msg[i].msg_hdr.msg_flags & MSG_TRUNC))
			continue;
		fn(l->rx[i], msg[i].msg_len, from[i].sll_addr, linkpkt_csum_trusted(&msg[i].msg_hdr), arg);
	}
	return n;
}

int linkpkt_send(struct linkpkt *l, const uint8_t mac[6], const uint8_t *pkt, size_t len)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = l->ifindex,
	                          .sll_halen = 6 };
	memcpy(to.sll_addr, mac, 6);
	ssize_t n;
	do
		n = sendto(l->fd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		l->send_errors++;
		return -1;
	}
	return 0;
}
