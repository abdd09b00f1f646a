/*
 * tun: a TUN device carrying bare IPv4 datagrams (IFF_TUN | IFF_NO_PI), the
 * user-space end of what the kernel routes to an agent.  The device exists
 * while its descriptor is open (not persistent), so the routes through it
 * vanish with the process, even after SIGKILL.  Configuring the device (up,
 * MTU, addresses, routes) is rtnl's job.
 */
#ifndef MIP4_AGENT_TUN_H
#define MIP4_AGENT_TUN_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tun {
	int fd;
	unsigned ifindex;
	char name[IFNAMSIZ];
};

/* True when /dev/net/tun can be opened for reading and writing. */
bool tun_available(void);
/* Create (or attach to an existing non-persistent) device called name (printf
 * pattern like "mip4ha%d" allowed), non-blocking.  0 or -1 with errno. */
int tun_open(struct tun *t, const char *name);
void tun_close(struct tun *t);
/* Read up to n datagrams without blocking: datagram i into bufs[i] (cap
 * octets), its length into lens[i].  Returns the number read; stops at the
 * first read that would block or fails. */
unsigned tun_read_batch(struct tun *t, uint8_t *const *bufs, size_t cap, size_t *lens, unsigned n);
/* Hand one datagram to the kernel as if it had arrived on the device.  0 or -1
 * with errno. */
int tun_write(struct tun *t, const uint8_t *p, size_t len);

#endif
