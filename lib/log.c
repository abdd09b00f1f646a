/* Leveled logging to stderr or syslog (see log.h). */
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <unistd.h>

#define LOG_LINE_MAX 1024

static const struct {
	const char *name;
	int syslog_prio;
} levels[] = {
	[LOG_LEVEL_DEBUG] = { "debug", LOG_DEBUG },
	[LOG_LEVEL_INFO] = { "info", LOG_INFO },
	[LOG_LEVEL_NOTICE] = { "notice", LOG_NOTICE },
	[LOG_LEVEL_WARNING] = { "warning", LOG_WARNING },
	[LOG_LEVEL_ERROR] = { "error", LOG_ERR },
};

static struct {
	char ident[64];
	enum log_level level;
	enum log_sink sink;
} log_state = { "mip4", LOG_LEVEL_INFO, LOG_SINK_STDERR };

static bool level_valid(enum log_level level)
{
	return (unsigned)level <= LOG_LEVEL_ERROR;
}

void log_init(const char *ident, enum log_level level, enum log_sink sink)
{
	if (log_state.sink == LOG_SINK_SYSLOG)
		closelog();
	snprintf(log_state.ident, sizeof log_state.ident, "%s", ident != NULL ? ident : "mip4");
	log_state.level = level_valid(level) ? level : LOG_LEVEL_INFO;
	log_state.sink = sink == LOG_SINK_SYSLOG ? LOG_SINK_SYSLOG : LOG_SINK_STDERR;
	if (log_state.sink == LOG_SINK_SYSLOG)
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(enum log_level level)
{
	if (level_valid(level))
		log_state.level = level;
}

bool log_enabled(enum log_level level)
{
	return level_valid(level) && level >= log_state.level;
}

bool log_level_parse(const char *name, enum log_level *level)
{
	if (name == NULL)
		return false;
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (strcmp(name, levels[i].name) == 0) {
			*level = (enum log_level)i;
			return true;
		}
	return false;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	if (!log_enabled(level))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Messages quote peer data (NAIs, addresses): a control character must not
	 * forge a second log line or move the terminal's cursor. */
	for (char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';

	if (log_state.sink == LOG_SINK_SYSLOG) {
		syslog(levels[level].syslog_prio, "%s", msg);
		return;
	}
	struct timeval tv;
	struct tm tm;
	char when[32];
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	/* One write per line, so lines of concurrent processes sharing the stream
	 * do not interleave. */
	char line[LOG_LINE_MAX + 128];
	int n = snprintf(line, sizeof line, "%s.%03ldZ %s[%ld] %s: %s\n", when, (long)(tv.tv_usec / 1000),
	                 log_state.ident, (long)getpid(), levels[level].name, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {
		n = sizeof line - 1;
		line[n - 1] = '\n';
	}
	fflush(stderr);
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

bool log_rate_allow(struct log_rate *r, time_t now, unsigned per_sec, unsigned *suppressed)
{
	if (r->second != now) {
		r->second = now;
		r->count = 0;
	}
	if (r->count >= per_sec) {
		r->suppressed++;
		return false;
	}
	r->count++;
	if (suppressed != NULL)
		*suppressed = r->suppressed;
	r->suppressed = 0;
	return true;
}
