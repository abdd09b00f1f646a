#include "agent/ifinfo.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ifinfo_ioctl(int fd, unsigned long req, const char *name, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof *ifr);
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
	return ioctl(fd, req, ifr);
}

static uint32_t ifinfo_sin(const struct sockaddr *sa)
{
	struct sockaddr_in sin;
	memcpy(&sin, sa, sizeof sin);
	return sin.sin_addr.s_addr;
}

int ifinfo_get(const char *name, struct ifinfo *out)
{
	memset(out, 0, sizeof *out);
	if (strlen(name) >= IFNAMSIZ) {
		errno = ENODEV;
		return -1;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct ifreq ifr;
	int rc = -1;
	if (ifinfo_ioctl(fd, SIOCGIFINDEX, name, &ifr) != 0)
		goto out;
	out->index = ifr.ifr_ifindex;
	if (ifinfo_ioctl(fd, SIOCGIFFLAGS, name, &ifr) == 0)
		out->up = (ifr.ifr_flags & IFF_UP) != 0;
	if (ifinfo_ioctl(fd, SIOCGIFMTU, name, &ifr) == 0)
		out->mtu = (unsigned)ifr.ifr_mtu;
	if (ifinfo_ioctl(fd, SIOCGIFHWADDR, name, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		memcpy(out->mac, ifr.ifr_hwaddr.sa_data, 6);
		out->has_mac = true;
	}
	/* No IPv4 address is not an error here: the caller decides. */
	if (ifinfo_ioctl(fd, SIOCGIFADDR, name, &ifr) == 0) {
		out->addr = ifinfo_sin(&ifr.ifr_addr);
		if (ifinfo_ioctl(fd, SIOCGIFNETMASK, name, &ifr) == 0)
			out->prefix_len = (uint8_t)__builtin_popcount(ifinfo_sin(&ifr.ifr_netmask));
	}
	rc = 0;
out:;
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}
