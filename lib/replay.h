/*
 * replay: RFC 5944 §5.7.1 timestamp replay protection.
 * Identifications are 64-bit NTP times: seconds since 1900 in the high 32 bits,
 * fraction in the low 32.
 */
#ifndef MIP4_REPLAY_H
#define MIP4_REPLAY_H

#include <stdint.h>
#include <time.h>

#define REPLAY_NTP_UNIX_OFFSET 2208988800ULL
#define REPLAY_DEFAULT_WINDOW 7

enum replay_verdict {
	REPLAY_OK,
	REPLAY_TOO_OLD,    /* more than window seconds behind our clock */
	REPLAY_TOO_NEW,    /* more than window seconds ahead of our clock */
	REPLAY_NOT_NEWER,  /* not greater than the last accepted identification */
};

uint64_t replay_ntp_from_timespec(const struct timespec *ts);
/* The current CLOCK_REALTIME as an NTP timestamp. */
uint64_t replay_ntp_now(void);

/* Accept ident when |ident - now| <= window seconds and ident > last
 * (last = 0: nothing accepted yet).  Pure: now is passed in. */
enum replay_verdict replay_check(uint64_t ident, uint64_t now, uint32_t window, uint64_t last);

/* The Identification of a 133 reply: our seconds high, the request's low 32 bits. */
uint64_t replay_reject_ident(uint64_t request_ident, uint64_t now);

const char *replay_verdict_str(enum replay_verdict v);

#endif
