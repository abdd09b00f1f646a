/*
 * log: leveled logging for our programs (mip4-ha, mip4-mn, mip4-ctl) to stderr or
 * syslog.  The one module of lib with process-wide state: the level and the sink.
 * Never pass key material to it.
 */
#ifndef MIP4_LOG_H
#define MIP4_LOG_H

#include <stdbool.h>
#include <time.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_NOTICE, LOG_LEVEL_WARNING, LOG_LEVEL_ERROR };
enum log_sink { LOG_SINK_STDERR, LOG_SINK_SYSLOG };

void log_init(const char *ident, enum log_level level, enum log_sink sink);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
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
