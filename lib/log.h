/*
 * log: leveled logging for our programs (mip4-ha, mip4-mn, mip4-ctl) to stderr or
 * syslog.  The one module of lib with process-wide state: the level and the sink.
 * Never pass key material to it.
 */
#ifndef MIP4_LOG_H
#define MIP4_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_NOTICE, LOG_LEVEL_WARNING, LOG_LEVEL_ERROR };
enum log_sink { LOG_SINK_STDERR, LOG_SINK_SYSLOG };

void log_init(const char *ident, enum log_level level, enum log_sink sink);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message put together piece by piece, without printf, for lines logged at
 * a high rate (one per registration): t.len = 0 to start, then the appenders
 * (what does not fit in 255 octets is cut), then log_text_emit, which scrubs
 * control characters like log_msg. */
struct log_text {
	size_t len;
	char buf[256];
};
void log_text_str(struct log_text *t, const char *s);
void log_text_u32(struct log_text *t, uint32_t v);
/* Dotted quad of an address in network byte order. */
void log_text_ipv4(struct log_text *t, uint32_t addr);
/* The same into out (what inet_ntop gives, at a tenth of its cost); returns
 * the length. */
#define LOG_IPV4_MAX 16
size_t log_ipv4(char out[LOG_IPV4_MAX], uint32_t addr);
void log_text_emit(enum log_level level, struct log_text *t);

/* Batching, for a thread that logs many lines in a burst (a daemon's loop
 * handling a batch of datagrams): between begin and end, this thread's stderr
 * lines are collected and written together (whole lines, one write per 64 KiB),
 * instead of one write each.  Nests; false when no memory (lines then go out
 * one by one).  Other threads are not affected.  log_batch_free writes what is
 * pending and releases this thread's buffer. */
bool log_batch_begin(void);
void log_batch_end(void);
void log_batch_free(void);
/* "debug", "info", "notice", "warning", "error" → level; false if unknown. */
bool log_level_parse(const char *name, enum log_level *level);

/* Rate limit for logging of peer-triggered events: at most per_sec messages per
 * second from one call site; the number suppressed is reported by the next
 * allowed message's caller through *suppressed. */
struct log_rate {
	time_t second;
	unsigned count;
	unsigned suppressed;
};
bool log_rate_allow(struct log_rate *r, time_t now, unsigned per_sec, unsigned *suppressed);

#endif
