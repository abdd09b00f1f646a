#include "agent/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TUN_DEV "/dev/net/tun"

bool tun_available(void)
{
	int fd = open(TUN_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* An IPv4-only tunnel: without this the kernel gives the device an IPv6
 * link-local address once it is up, and in a namespace whose only other
 * address is loopback glibc's AI_ADDRCONFIG then refuses IPv4 names
 * ("Address family for hostname not supported": freeDiameter's ConnectTo).
 * Where IPv6 is absent there is nothing to do. */
static void tun_no_ipv6(const char *name)
{
	char path[96];
	snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		errno = 0;
	close(fd);
}

int tun_open(struct tun *t, const char *name)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
	if (strlen(name) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	t->fd = fd;
	snprintf(t->name, sizeof t->name, "%s", ifr.ifr_name);
	t->ifindex = if_nametoindex(t->name);
	if (t->ifindex == 0) {
		int e = errno;
		tun_close(t);
		errno = e;
		return -1;
	}
	tun_no_ipv6(t->name);
	return 0;
}

void tun_close(struct tun *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

unsigned tun_read_batch(struct tun *t, uint8_t *const *bufs, size_t cap, size_t *lens, unsigned n)
{
	unsigned got = 0;
	while (got < n) {
		ssize_t r = read(t->fd, bufs[got], cap);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		lens[got++] = (size_t)r;
	}
	return got;
}

int tun_write(struct tun *t, const uint8_t *p, size_t len)
{
	for (;;) {
		ssize_t r = write(t->fd, p, len);
		if (r >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}
