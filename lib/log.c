/* Leveled logging to stderr or syslog (see log.h). */
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <unistd.h>

#define LOG_LINE_MAX 1024
#define LOG_PREFIX_MAX 128
#define LOG_BATCH_MAX 65536

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
	char tag[96]; /* "ident[pid]", made once: getpid() is a system call */
	enum log_level level;
	enum log_sink sink;
} log_state = { "mip4", "mip4[0]", LOG_LEVEL_INFO, LOG_SINK_STDERR };

/* Per thread: the date part of the current second, and the batch of
 * log_batch_begin.  Lines of threads without a batch go out one write each. */
struct log_batch {
	size_t len;
	unsigned depth;
	char buf[LOG_BATCH_MAX];
};
static __thread struct log_batch *log_tl_batch;
static __thread time_t log_tl_sec = -1;
static __thread char log_tl_when[32];

static bool level_valid(enum log_level level)
{
	return (unsigned)level <= LOG_LEVEL_ERROR;
}

void log_init(const char *ident, enum log_level level, enum log_sink sink)
{
	if (log_state.sink == LOG_SINK_SYSLOG)
		closelog();
	snprintf(log_state.ident, sizeof log_state.ident, "%s", ident != NULL ? ident : "mip4");
	snprintf(log_state.tag, sizeof log_state.tag, "%s[%ld]", log_state.ident, (long)getpid());
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

/* Messages quote peer data (NAIs, addresses): a control character must not
 * forge a second log line or move the terminal's cursor. */
static void log_scrub(char *p)
{
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static void log_write(const char *p, size_t len)
{
	fflush(stderr);
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, p, len);
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

static char *log_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* One line: "2024-01-02T03:04:05.678Z ident[pid] level: message\n" (the date
 * part made once a second), into this thread's batch or straight out. */
static void log_emit(enum log_level level, const char *msg, size_t len)
{
	if (log_state.sink == LOG_SINK_SYSLOG) {
		syslog(levels[level].syslog_prio, "%.*s", (int)len, msg);
		return;
	}
	struct timeval tv;
	gettimeofday(&tv, NULL);
	if (tv.tv_sec != log_tl_sec) {
		struct tm tm;
		gmtime_r(&tv.tv_sec, &tm);
		strftime(log_tl_when, sizeof log_tl_when, "%Y-%m-%dT%H:%M:%S", &tm);
		log_tl_sec = tv.tv_sec;
	}
	char line[LOG_PREFIX_MAX + LOG_LINE_MAX + 1];
	unsigned ms = (unsigned)(tv.tv_usec / 1000);
	char *p = log_put(line, log_tl_when, strlen(log_tl_when));
	*p++ = '.';
	*p++ = (char)('0' + ms / 100);
	*p++ = (char)('0' + ms / 10 % 10);
	*p++ = (char)('0' + ms % 10);
	*p++ = 'Z';
	*p++ = ' ';
	p = log_put(p, log_state.tag, strlen(log_state.tag));
	*p++ = ' ';
	p = log_put(p, levels[level].name, strlen(levels[level].name));
	*p++ = ':';
	*p++ = ' ';
	p = log_put(p, msg, len < LOG_LINE_MAX ? len : LOG_LINE_MAX - 1);
	*p++ = '\n';
	size_t n = (size_t)(p - line);
	struct log_batch *b = log_tl_batch;
	if (b && b->depth) {
		if (b->len + n > sizeof b->buf) {
			log_write(b->buf, b->len);
			b->len = 0;
		}
		memcpy(b->buf + b->len, line, n);
		b->len += n;
		return;
	}
	/* One write per line (or per batch of whole lines), so that lines of
	 * concurrent writers sharing the stream do not interleave. */
	log_write(line, n);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	char msg[LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	log_scrub(msg);
	log_emit(level, msg, (size_t)m < sizeof msg ? (size_t)m : sizeof msg - 1);
}

void log_text_str(struct log_text *t, const char *s)
{
	size_t n = strlen(s), room = sizeof t->buf - 1 - t->len;
	if (n > room)
		n = room;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void log_text_u32(struct log_text *t, uint32_t v)
{
	char d[10];
	size_t n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (n > sizeof t->buf - 1 - t->len)
		return;
	while (n)
		t->buf[t->len++] = d[--n];
	t->buf[t->len] = '\0';
}

size_t log_ipv4(char out[LOG_IPV4_MAX], uint32_t addr)
{
	const uint8_t *o = (const uint8_t *)&addr;
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = o[i];
		if (i)
			out[n++] = '.';
		if (v >= 100)
			out[n++] = (char)('0' + v / 100);
		if (v >= 10)
			out[n++] = (char)('0' + v / 10 % 10);
		out[n++] = (char)('0' + v % 10);
	}
	out[n] = '\0';
	return n;
}

void log_text_ipv4(struct log_text *t, uint32_t addr)
{
	char a[LOG_IPV4_MAX];
	log_ipv4(a, addr);
	log_text_str(t, a);
}

void log_text_emit(enum log_level level, struct log_text *t)
{
	if (!log_enabled(level))
		return;
	log_scrub(t->buf);
	log_emit(level, t->buf, t->len);
}

bool log_batch_begin(void)
{
	if (!log_tl_batch && !(log_tl_batch = calloc(1, sizeof *log_tl_batch)))
		return false;
	log_tl_batch->depth++;
	return true;
}

void log_batch_end(void)
{
	struct log_batch *b = log_tl_batch;
	if (!b || !b->depth || --b->depth)
		return;
	log_write(b->buf, b->len);
	b->len = 0;
}

void log_batch_free(void)
{
	struct log_batch *b = log_tl_batch;
	if (!b)
		return;
	log_write(b->buf, b->len);
	free(b);
	log_tl_batch = NULL;
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
