/* log: levels, the stderr line format, control-character scrubbing, rate limit. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"

/* Run fn with stderr sent to a file; return what it wrote (caller frees). */
static char *capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/mip4-log-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	unlink(path);
	int saved = dup(STDERR_FILENO);
	cr_assert_geq(saved, 0);
	fflush(stderr);
	cr_assert_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	fn();
	fflush(stderr);
	cr_assert_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	off_t len = lseek(fd, 0, SEEK_END);
	cr_assert_geq(len, 0);
	char *out = calloc(1, (size_t)len + 1);
	cr_assert_not_null(out);
	cr_assert_eq(pread(fd, out, (size_t)len, 0), len);
	close(fd);
	return out;
}

static void emit_levels(void)
{
	log_init("mip4-test", LOG_LEVEL_NOTICE, LOG_SINK_STDERR);
	log_msg(LOG_LEVEL_DEBUG, "debug %d", 1);
	log_msg(LOG_LEVEL_INFO, "info %d", 2);
	log_msg(LOG_LEVEL_NOTICE, "notice %d", 3);
	log_msg(LOG_LEVEL_WARNING, "warning %s", "four");
	log_msg(LOG_LEVEL_ERROR, "error %d", 5);
	log_set_level(LOG_LEVEL_DEBUG);
	log_msg(LOG_LEVEL_DEBUG, "debug %d", 6);
}

Test(log, stderr_format_and_levels)
{
	char *out = capture_stderr(emit_levels);
	const char *want[] = { "notice: notice 3", "warning: warning four", "error: error 5", "debug: debug 6" };
	regex_t re;
	cr_assert_eq(regcomp(&re,
	                     "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
	                     "mip4-test\\[[0-9]+\\] (debug|info|notice|warning|error): .*$",
	                     REG_EXTENDED | REG_NOSUB), 0);
	size_t n = 0;
	for (char *line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n"), n++) {
		cr_assert_lt(n, 4, "extra line: %s", line);
		cr_expect_eq(regexec(&re, line, 0, NULL, 0), 0, "bad format: %s", line);
		cr_expect_not_null(strstr(line, want[n]), "line %zu: %s, want %s", n, line, want[n]);
	}
	cr_expect_eq(n, 4);
	regfree(&re);
	free(out);
}

static void emit_hostile(void)
{
	log_init("t", LOG_LEVEL_INFO, LOG_SINK_STDERR);
	log_msg(LOG_LEVEL_INFO, "nai=%s", "evil\n2026-01-01T00:00:00.000Z t[1] error: forged\x1b[2J");
}

Test(log, control_characters_scrubbed)
{
	char *out = capture_stderr(emit_hostile);
	cr_expect_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line only: %s", out);
	cr_expect_null(strchr(out, '\x1b'));
	cr_expect_not_null(strstr(out, "nai=evil?2026-01-01"));
	free(out);
}

static void emit_long(void)
{
	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	log_init("t", LOG_LEVEL_INFO, LOG_SINK_STDERR);
	log_msg(LOG_LEVEL_INFO, "%s", big);
	log_msg(LOG_LEVEL_INFO, "after");
}

Test(log, long_message_truncated_to_one_line)
{
	char *out = capture_stderr(emit_long);
	char *nl = strchr(out, '\n');
	cr_assert_not_null(nl);
	cr_expect_lt(nl - out, 1200);
	cr_expect_not_null(strstr(nl + 1, "info: after\n"));
	free(out);
}

static void emit_syslog(void)
{
	log_init("mip4-test", LOG_LEVEL_DEBUG, LOG_SINK_SYSLOG);
	log_msg(LOG_LEVEL_DEBUG, "unit test of the syslog sink %d", 1);
	log_init("mip4-test", LOG_LEVEL_DEBUG, LOG_SINK_STDERR);
	log_msg(LOG_LEVEL_INFO, "back on stderr");
}

/* The syslog daemon's copy cannot be read back portably; what can be checked
 * is that the syslog sink leaves stderr alone and switching back works. */
Test(log, syslog_sink)
{
	char *out = capture_stderr(emit_syslog);
	cr_expect_null(strstr(out, "syslog sink"), "%s", out);
	cr_expect_not_null(strstr(out, "info: back on stderr\n"), "%s", out);
	free(out);
}

Test(log, level_parse)
{
	const char *names[] = { "debug", "info", "notice", "warning", "error" };
	for (int i = 0; i < 5; i++) {
		enum log_level l;
		cr_assert(log_level_parse(names[i], &l), "%s", names[i]);
		cr_expect_eq(l, (enum log_level)i);
	}
	enum log_level l = LOG_LEVEL_INFO;
	cr_expect(!log_level_parse("warn", &l));
	cr_expect(!log_level_parse("ERROR", &l));
	cr_expect(!log_level_parse("", &l));
	cr_expect(!log_level_parse(NULL, &l));
	cr_expect_eq(l, LOG_LEVEL_INFO);

	log_init("t", LOG_LEVEL_WARNING, LOG_SINK_STDERR);
	cr_expect(!log_enabled(LOG_LEVEL_NOTICE));
	cr_expect(log_enabled(LOG_LEVEL_WARNING));
	cr_expect(log_enabled(LOG_LEVEL_ERROR));
	log_set_level((enum log_level)42);
	cr_expect(!log_enabled(LOG_LEVEL_NOTICE), "an invalid level is ignored");
	cr_expect(!log_enabled((enum log_level)42));
}

Test(log, rate_limit)
{
	struct log_rate r = { 0 };
	unsigned supp = 99;
	for (int i = 0; i < 3; i++) {
		cr_expect(log_rate_allow(&r, 1000, 3, &supp), "message %d of second 1000", i);
		cr_expect_eq(supp, 0);
	}
	for (int i = 0; i < 7; i++)
		cr_expect(!log_rate_allow(&r, 1000, 3, &supp));
	cr_expect(log_rate_allow(&r, 1001, 3, &supp), "a new second");
	cr_expect_eq(supp, 7, "the allowed message reports what was suppressed");
	cr_expect(log_rate_allow(&r, 1001, 3, &supp));
	cr_expect_eq(supp, 0, "reported once");
	cr_expect(log_rate_allow(&r, 1001, 3, &supp));
	cr_expect(!log_rate_allow(&r, 1001, 3, &supp));
	cr_expect(log_rate_allow(&r, 1005, 3, NULL), "suppressed may be NULL");
	cr_expect(log_rate_allow(&r, 1005, 3, &supp));
	cr_expect_eq(supp, 0, "the count went with the NULL caller's message");
	struct log_rate z = { 0 };
	cr_expect(!log_rate_allow(&z, 5, 0, &supp), "per_sec 0 suppresses everything");
}

Test(log, ipv4_text_matches_inet_ntop)
{
	const char *addrs[] = { "0.0.0.0", "10.24.3.231", "255.255.255.255", "192.0.2.7", "1.10.100.9" };
	for (size_t i = 0; i < sizeof addrs / sizeof *addrs; i++) {
		struct in_addr a;
		cr_assert_eq(inet_pton(AF_INET, addrs[i], &a), 1);
		char out[LOG_IPV4_MAX];
		cr_expect_eq(log_ipv4(out, a.s_addr), strlen(addrs[i]));
		cr_expect_str_eq(out, addrs[i]);
	}
}

static void emit_text(void)
{
	log_init("t", LOG_LEVEL_INFO, LOG_SINK_STDERR);
	struct log_text t;
	t.len = 0;
	log_text_str(&t, "registration mn=");
	log_text_str(&t, "evil\nnai");
	log_text_str(&t, " home=");
	log_text_ipv4(&t, htonl(0x0a010005));
	log_text_str(&t, " code=");
	log_text_u32(&t, 0);
	log_text_str(&t, " lifetime=");
	log_text_u32(&t, 4294967295u);
	log_text_emit(LOG_LEVEL_INFO, &t);
	t.len = 0;
	for (int i = 0; i < 100; i++)
		log_text_str(&t, "0123456789");
	log_text_emit(LOG_LEVEL_INFO, &t);
	log_text_emit(LOG_LEVEL_DEBUG, &t);
}

Test(log, text_without_printf)
{
	char *out = capture_stderr(emit_text);
	char *second = strchr(out, '\n');
	cr_assert_not_null(second);
	*second++ = '\0';
	cr_expect(strstr(out, " t[") && strstr(out, "] info: registration mn=evil?nai home=10.1.0.5 code=0 "
	                                             "lifetime=4294967295"), "%s", out);
	char *msg = strstr(second, "info: ");
	cr_assert_not_null(msg);
	cr_expect_eq(strlen(msg + 6), 255 + 1, "cut at 255 octets, then the newline");
	cr_expect_eq(strchr(second, '\n')[1], '\0', "nothing at debug level");
	free(out);
}

static void emit_batched(void)
{
	log_init("t", LOG_LEVEL_INFO, LOG_SINK_STDERR);
	cr_assert(log_batch_begin());
	log_msg(LOG_LEVEL_INFO, "first");
	cr_assert(log_batch_begin());
	log_msg(LOG_LEVEL_INFO, "second");
	log_batch_end();
	/* Still inside the outer batch: nothing written yet. */
	cr_expect_eq(lseek(STDERR_FILENO, 0, SEEK_CUR), 0);
	for (int i = 0; i < 2000; i++)
		log_msg(LOG_LEVEL_INFO, "line %d", i);
	log_batch_end();
	log_msg(LOG_LEVEL_INFO, "after");
	log_batch_free();
}

Test(log, batch_writes_whole_lines_in_order)
{
	char *out = capture_stderr(emit_batched);
	size_t n = 0;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		char want[32];
		if (n == 0)
			snprintf(want, sizeof want, "info: first");
		else if (n == 1)
			snprintf(want, sizeof want, "info: second");
		else if (n < 2002)
			snprintf(want, sizeof want, "info: line %zu", n - 2);
		else
			snprintf(want, sizeof want, "info: after");
		cr_assert(strstr(line, want) && strlen(strstr(line, want)) == strlen(want), "line %zu: %s", n, line);
	}
	cr_expect_eq(n, 2003);
	free(out);
}
