/* Home address pools: stable per owner, ranges used in order, exhaustion; the
 * state file that keeps assignments across restarts. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aaa-naf/pool.h"

static uint32_t a4(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static uint32_t take(struct pool *p, const char *owner)
{
	uint32_t a = 0;
	cr_assert_eq(pool_assign(p, owner, strlen(owner), &a), POOL_OK, "owner %s", owner);
	return a;
}

Test(pool, stable_per_owner_and_exhaustion)
{
	struct conf_pool r[] = { { "a", 0x0a000001, 0x0a000002 }, { "b", 0x0a000101, 0x0a000101 } };
	struct pool *p = pool_new(r, 2);
	cr_assert_not_null(p);
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"));
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "carol@ims"), a4("10.0.1.1"), "second range once the first is full");
	uint32_t a = 0;
	cr_assert_eq(pool_assign(p, "dave@ims", 8, &a), POOL_EXHAUSTED);
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"), "known owners still served when full");
	cr_assert_eq(pool_used(p), 3);
	/* Owners are compared on their full length. */
	cr_assert_eq(pool_assign(p, "alice@im", 8, &a), POOL_EXHAUSTED);
	pool_free(p);
}

Test(pool, not_configured_and_limits)
{
	struct pool *p = pool_new(NULL, 0);
	uint32_t a;
	cr_assert_eq(pool_assign(p, "x", 1, &a), POOL_NOT_CONFIGURED);
	pool_free(p);
	struct conf_pool big = { "big", 0x0a000000, 0x0a000000 + POOL_MAX_ADDRESSES };
	cr_assert_null(pool_new(&big, 1));
	struct conf_pool inv = { "inv", 2, 1 };
	cr_assert_null(pool_new(&inv, 1));
}

Test(pool, many_owners)
{
	struct conf_pool r = { "r", 0x0a000000, 0x0a000000 + 4999 };
	struct pool *p = pool_new(&r, 1);
	char name[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "user%d@ims", i);
		cr_assert_eq(ntohl(take(p, name)), 0x0a000000u + (unsigned)i);
	}
	for (int i = 0; i < 5000; i += 997) {
		snprintf(name, sizeof(name), "user%d@ims", i);
		cr_assert_eq(ntohl(take(p, name)), 0x0a000000u + (unsigned)i);
	}
	uint32_t a;
	cr_assert_eq(pool_assign(p, "late", 4, &a), POOL_EXHAUSTED);
	pool_free(p);
}

/* The state file: assignments survive a restart (a new pool loading the file). */

static char state[64];

static void state_cleanup(void)
{
	if (state[0])
		unlink(state);
}

static void state_name(void)
{
	strcpy(state, "/tmp/test_aaa_pool.XXXXXX");
	int fd = mkstemp(state);
	cr_assert(fd >= 0);
	close(fd);
	unlink(state);
}

static void state_write(const char *text, mode_t mode)
{
	state_name();
	int fd = open(state, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(state, mode);
}

static char *state_read(void)
{
	static char buf[4096];
	int fd = open(state, O_RDONLY);
	cr_assert(fd >= 0);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert(n >= 0);
	buf[n] = '\0';
	return buf;
}

static const struct conf_pool state_ranges[] = { { "a", 0x0a000001, 0x0a000003 }, { "b", 0x0a000101, 0x0a000102 } };

/* A new pool on state; returns the load's result, the error ("" if none) with
 * the file name replaced by F. */
static struct pool *state_pool(long *loaded, const char **err_out, int *torn)
{
	static char err[600], out[600];
	struct pool *p = pool_new(state_ranges, 2);
	cr_assert_not_null(p);
	int t = 0;
	*loaded = pool_state_open(p, state, &t, err, sizeof(err));
	if (torn)
		*torn = t;
	out[0] = '\0';
	if (*loaded < 0) {
		const char *f = strstr(err, state);
		if (f)
			snprintf(out, sizeof(out), "%.*sF%s", (int)(f - err), err, f + strlen(state));
		else
			snprintf(out, sizeof(out), "%s", err);
	}
	*err_out = out;
	return p;
}

Test(pool_state, round_trip_stable_and_no_collision, .fini = state_cleanup)
{
	state_name();
	long n;
	const char *err;
	struct pool *p = state_pool(&n, &err, NULL);
	cr_assert_eq(n, 0, "a missing file is created empty: %s", err);
	struct stat st;
	cr_assert_eq(stat(state, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "created with mode 0600, not %o", st.st_mode & 0777);
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"));
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_str_eq(state_read(), "alice@ims 10.0.0.1\nbob@ims 10.0.0.2\n", "only new assignments are written");
	pool_free(p);

	/* "Restart": the same owners keep their addresses, a new one gets a free one. */
	p = state_pool(&n, &err, NULL);
	cr_assert_eq(n, 2, "%s", err);
	cr_assert_eq(pool_used(p), 2);
	cr_assert_eq(take(p, "carol@ims"), a4("10.0.0.3"), "a new owner never gets a recorded address");
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"));
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "dave@ims"), a4("10.0.1.1"));
	pool_free(p);

	p = state_pool(&n, &err, NULL);
	cr_assert_eq(n, 4, "%s", err);
	cr_assert_eq(take(p, "dave@ims"), a4("10.0.1.1"));
	cr_assert_eq(take(p, "carol@ims"), a4("10.0.0.3"));
	cr_assert_eq(take(p, "erin@ims"), a4("10.0.1.2"));
	uint32_t a;
	cr_assert_eq(pool_assign(p, "frank@ims", 9, &a), POOL_EXHAUSTED);
	/* A state file line could not hold these owners unambiguously. */
	cr_assert_eq(pool_assign(p, "a b", 3, &a), POOL_BAD_OWNER);
	cr_assert_eq(pool_assign(p, "a\nb 10.0.0.1", 12, &a), POOL_BAD_OWNER);
	pool_free(p);
	cr_assert_str_eq(state_read(),
	                 "alice@ims 10.0.0.1\nbob@ims 10.0.0.2\ncarol@ims 10.0.0.3\ndave@ims 10.0.1.1\nerin@ims 10.0.1.2\n");
}

Test(pool_state, hand_written_file_loads, .fini = state_cleanup)
{
	state_write("x@ims 10.0.0.2\ny@ims 10.0.1.1\n", 0640);
	long n;
	const char *err;
	struct pool *p = state_pool(&n, &err, NULL);
	cr_assert_eq(n, 2, "%s", err);
	cr_assert_eq(take(p, "new@ims"), a4("10.0.0.1"));
	cr_assert_eq(take(p, "new2@ims"), a4("10.0.0.3"), "10.0.0.2 is x's");
	cr_assert_eq(take(p, "y@ims"), a4("10.0.1.1"));
	pool_free(p);
}

Test(pool_state, torn_last_record_is_cut_off, .fini = state_cleanup)
{
	/* A crash during the append of "bob@ims 10.0.0.2\n": never acknowledged. */
	state_write("alice@ims 10.0.0.1\nbob@ims 10.0", 0600);
	long n;
	const char *err;
	int torn;
	struct pool *p = state_pool(&n, &err, &torn);
	cr_assert_eq(n, 1, "%s", err);
	cr_assert_eq(torn, 2);
	cr_assert_str_eq(state_read(), "alice@ims 10.0.0.1\n", "the partial line is removed");
	cr_assert_eq(take(p, "carol@ims"), a4("10.0.0.2"));
	pool_free(p);
	cr_assert_str_eq(state_read(), "alice@ims 10.0.0.1\ncarol@ims 10.0.0.2\n", "the next record starts on its own line");
}

struct state_bad {
	const char *text;
	mode_t mode;
	const char *err;
};

Test(pool_state, bad_files_refused_with_their_line, .fini = state_cleanup)
{
	static const struct state_bad cases[] = {
		{ "a@ims 10.0.0.1\n\n", 0600, "F:2: expected 'OWNER ADDRESS' (IMPI or NAI, one blank, IPv4 address)" },
		{ "a@ims 10.0.0.1\nb@ims\n", 0600, "F:2: expected 'OWNER ADDRESS' (IMPI or NAI, one blank, IPv4 address)" },
		{ " 10.0.0.1\n", 0600, "F:1: expected 'OWNER ADDRESS' (IMPI or NAI, one blank, IPv4 address)" },
		{ "a@ims 10.0.0.1\nb@ims  10.0.0.2\n", 0600, "F:2: ' 10.0.0.2' is not an IPv4 address" },
		{ "a@ims 10.0.0.1 \n", 0600, "F:1: '10.0.0.1 ' is not an IPv4 address" },
		{ "a@ims 10.0.0\n", 0600, "F:1: '10.0.0' is not an IPv4 address" },
		{ "a@ims 10.0.0.1\r\n", 0600, "F:1: '10.0.0.1\r' is not an IPv4 address" },
		{ "a\tb 10.0.0.1\n", 0600, "F:1: owner longer than 255 characters or holding control characters" },
		{ "a@ims 10.0.0.1\nb@ims 10.0.0.9\n", 0600, "F:2: address 10.0.0.9 is in no configured pool" },
		{ "a@ims 10.0.0.1\nb@ims 10.0.0.2\nc@ims 10.0.0.1\n", 0600, "F:3: address 10.0.0.1 is assigned twice" },
		{ "a@ims 10.0.0.1\na@ims 10.0.0.2\n", 0600, "F:2: owner listed twice" },
		{ "a@ims 10.0.0.1\n", 0604,
		  "F: holds subscriber identities but is accessible by other (mode 0604): refusing; chmod o-rwx" },
		{ "", 0602, "F: holds subscriber identities but is accessible by other (mode 0602): refusing; chmod o-rwx" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		state_write(cases[i].text, cases[i].mode);
		long n;
		const char *err;
		struct pool *p = state_pool(&n, &err, NULL);
		cr_expect_eq(n, -1, "case %zu loaded", i);
		cr_expect_str_eq(err, cases[i].err, "case %zu: got '%s'", i, err);
		pool_free(p);
		unlink(state);
	}
	/* A NUL byte inside a line. */
	state_write("a@ims 10.0.0.1\nb@ims", 0600);
	int fd = open(state, O_WRONLY | O_APPEND);
	cr_assert_eq(write(fd, "\0 10.0.0.2\n", 11), 11);
	close(fd);
	long n;
	const char *err;
	struct pool *p = state_pool(&n, &err, NULL);
	cr_expect_eq(n, -1);
	cr_expect_str_eq(err, "F:2: expected 'OWNER ADDRESS' (IMPI or NAI, one blank, IPv4 address)");
	pool_free(p);
	/* Not a file. */
	state[0] = '\0';
	struct pool *q = pool_new(state_ranges, 2);
	char e[600];
	int t;
	cr_assert_eq(pool_state_open(q, "/tmp", &t, e, sizeof(e)), -1);
	cr_assert_str_eq(e, "/tmp: cannot open: Is a directory");
	cr_assert_eq(pool_state_open(q, "/nonexistent-dir/pool.state", &t, e, sizeof(e)), -1);
	cr_assert_str_eq(e, "/nonexistent-dir/pool.state: cannot open: No such file or directory");
	pool_free(q);
}

Test(pool_state, unwritable_file_refuses_new_assignments, .fini = state_cleanup)
{
	/* A write that fails half-way (disk full, I/O error), provoked with a
	 * file size limit that lets only part of the record through. */
	state_write("alice@ims 10.0.0.1\n", 0600);
	long n;
	const char *err;
	struct pool *p = state_pool(&n, &err, NULL);
	cr_assert_eq(n, 1, "%s", err);
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = strlen("alice@ims 10.0.0.1\n") + 5;
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	uint32_t a;
	enum pool_result r = pool_assign(p, "bob@ims", 7, &a);
	setrlimit(RLIMIT_FSIZE, &old);
	cr_assert_eq(r, POOL_STATE_ERROR, "a new address is not handed out unrecorded");
	cr_assert_eq(pool_used(p), 1);
	cr_assert_str_eq(state_read(), "alice@ims 10.0.0.1\n", "the partial record is cut off");
	cr_assert_eq(take(p, "alice@ims"), a4("10.0.0.1"), "known owners still served");
	cr_assert_eq(take(p, "bob@ims"), a4("10.0.0.2"), "the address was released, once writable again");
	pool_free(p);
	cr_assert_str_eq(state_read(), "alice@ims 10.0.0.1\nbob@ims 10.0.0.2\n");
}
