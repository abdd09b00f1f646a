/*
 * mip4-mn-fa: solicitations and advertisements on the mobile node's link.
 */
#include "mip4-mn/fa.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/icmpsock.h"
#include "agent/ifinfo.h"
#include "lib/reg.h"

#define MN_FA_SOL_FAST 3        /* solicitations a second apart (§2.4) */
#define MN_FA_SOL_MAX_S 60      /* then doubling up to this */

struct mn_fa {
	struct icmpsock icmp;
	struct event *ev_read, *ev_sol, *ev_check;
	struct mn_agent agent;
	unsigned sol_sent;
	void (*on_event)(enum mn_fa_event ev, void *arg);
	void *arg;
	bool verbose;
};

static double mn_fa_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void mn_fa_solicit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct mn_fa *f = arg;
	if (f->agent.known)
		return;
	uint8_t msg[ADV_ICMP_HDR];
	size_t n = adv_build_solicitation(msg, sizeof msg);
	if (icmpsock_send(&f->icmp, htonl(REG_MOBILE_AGENTS_GROUP), msg, n) != 0 && f->verbose)
		fprintf(stderr, "mip4-mn: agent solicitation: %s\n", strerror(errno));
	f->sol_sent++;
	unsigned s = 1;
	if (f->sol_sent >= MN_FA_SOL_FAST) {
		unsigned k = f->sol_sent - MN_FA_SOL_FAST + 1;
		s = k >= 6 ? MN_FA_SOL_MAX_S : 1u << k;
		if (s > MN_FA_SOL_MAX_S)
			s = MN_FA_SOL_MAX_S;
	}
	struct timeval tv = { (time_t)s, 0 };
	evtimer_add(f->ev_sol, &tv);
}

static void mn_fa_start_soliciting(struct mn_fa *f)
{
	f->sol_sent = 0;
	event_active(f->ev_sol, EV_TIMEOUT, 0);
}

static void mn_fa_on_read(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct mn_fa *f = arg;
	uint8_t buf[ADV_MAX_LEN * 2];
	uint32_t src;
	uint8_t ttl;
	size_t n;
	for (int i = 0; i < 32 && (n = icmpsock_recv(&f->icmp, buf, sizeof buf, &src, &ttl)) > 0; i++) {
		struct adv_msg m;
		if (adv_parse(buf, n, &m) != ADV_OK)
			continue;
		enum mn_agent_event ev = mn_agent_heard(&f->agent, src, &m, mn_fa_now());
		if (ev == MN_AGENT_NEW)
			f->on_event(MN_FA_NEW_AGENT, f->arg);
		else if (ev == MN_AGENT_RESTARTED)
			f->on_event(MN_FA_AGENT_RESTARTED, f->arg);
	}
}

static void mn_fa_check(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct mn_fa *f = arg;
	if (mn_agent_lost(&f->agent, mn_fa_now())) {
		f->on_event(MN_FA_AGENT_LOST, f->arg);
		mn_fa_start_soliciting(f);
	}
}

struct mn_fa *mn_fa_open(struct event_base *base, const char *ifname,
                         void (*on_event)(enum mn_fa_event ev, void *arg), void *arg, bool verbose)
{
	struct ifinfo ifi;
	if (ifinfo_get(ifname, &ifi) != 0) {
		fprintf(stderr, "mip4-mn: --fa %s: %s\n", ifname, strerror(errno));
		return NULL;
	}
	struct mn_fa *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->on_event = on_event;
	f->arg = arg;
	f->verbose = verbose;
	const uint8_t types[] = { ADV_ICMP_ADVERTISEMENT };
	if (icmpsock_open(&f->icmp, ifname, ifi.index, 0, types, 1, NULL, 0) != 0) {
		fprintf(stderr, "mip4-mn: --fa %s: ICMP socket: %s\n", ifname, strerror(errno));
		free(f);
		return NULL;
	}
	f->ev_read = event_new(base, f->icmp.fd, EV_READ | EV_PERSIST, mn_fa_on_read, f);
	f->ev_sol = evtimer_new(base, mn_fa_solicit, f);
	f->ev_check = event_new(base, -1, EV_PERSIST, mn_fa_check, f);
	struct timeval tick = { 0, 200000 };
	if (!f->ev_read || !f->ev_sol || !f->ev_check || event_add(f->ev_read, NULL) != 0 ||
	    event_add(f->ev_check, &tick) != 0) {
		mn_fa_close(f);
		return NULL;
	}
	mn_fa_start_soliciting(f);
	return f;
}

void mn_fa_close(struct mn_fa *f)
{
	if (!f)
		return;
	if (f->ev_read)
		event_free(f->ev_read);
	if (f->ev_sol)
		event_free(f->ev_sol);
	if (f->ev_check)
		event_free(f->ev_check);
	icmpsock_close(&f->icmp);
	free(f);
}

struct mn_agent *mn_fa_agent(struct mn_fa *f)
{
	return &f->agent;
}
