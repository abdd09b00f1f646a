/* subscriber: the lab subscriber file, its line format, the state field added
 * once and then updated in place, and the files it refuses. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/subscriber.h"
#include "tests/unit/vectors.h"

#define SET1 "k=465b5ce8b199b49faa5f0a2ee238a6bc op=cdc202d5123e20f62b6d676ac72cb318"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mip4-sub-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(subscriber, .init = setup, .fini = teardown);

static const char *file_with(const char *content, mode_t mode)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/subs", dir);
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	fchmod(fd, mode);
	close(fd);
	return path;
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(subscriber, parse_line)
{
	struct subscriber s;
	struct vectors_milenage v = vectors_milenage();
	const char *line = "alice@ims.lab " SET1 " amf=b9b9 sqn=0000000000ff";
	cr_assert_eq(subscriber_parse_line(line, strlen(line), &s), SUBSCRIBER_OK);
	cr_expect_str_eq(s.impi, "alice@ims.lab");
	cr_expect_arr_eq(s.k, v.k.p, 16);
	cr_expect_arr_eq(s.opc, v.opc.p, 16, "OPc computed from OP");
	cr_expect(s.has_amf);
	cr_expect_eq(s.sqn, 0xff);
	cr_expect_eq(s.sqn_off, (off_t)(strlen(line) - 12));
	cr_expect_eq(s.seq_ms_off, -1);
	line = "\tbob opc=cd63cb71954a9f4e48a5994e37a02baf k=465b5ce8b199b49faa5f0a2ee238a6bc  ";
	cr_assert_eq(subscriber_parse_line(line, strlen(line), &s), SUBSCRIBER_OK);
	cr_expect_arr_eq(s.opc, v.opc.p, 16);
	cr_expect(!s.has_amf);
	cr_expect_eq(subscriber_parse_line("  # x", 5, &s), SUBSCRIBER_SKIP);
	cr_expect_eq(subscriber_parse_line("", 0, &s), SUBSCRIBER_SKIP);

	static const struct {
		const char *line;
		enum subscriber_err e;
	} bad[] = {
		{ "k=00 op=00", SUBSCRIBER_ERR_IMPI },
		{ "alice", SUBSCRIBER_ERR_K },
		{ "alice op=cdc202d5123e20f62b6d676ac72cb318", SUBSCRIBER_ERR_K },
		{ "alice k=465b5ce8b199b49faa5f0a2ee238a6b op=cdc202d5123e20f62b6d676ac72cb318", SUBSCRIBER_ERR_K },
		{ "alice k=465b5ce8b199b49faa5f0a2ee238a6bc", SUBSCRIBER_ERR_OP },
		{ "alice " SET1 " opc=cd63cb71954a9f4e48a5994e37a02baf", SUBSCRIBER_ERR_OP },
		{ "alice " SET1 " op=cdc202d5123e20f62b6d676ac72cb318", SUBSCRIBER_ERR_FIELD },
		{ "alice " SET1 " kk=00", SUBSCRIBER_ERR_FIELD },
		{ "alice " SET1 " amf=b9", SUBSCRIBER_ERR_AMF },
		{ "alice " SET1 " sqn=ff", SUBSCRIBER_ERR_SQN },
		{ "alice " SET1 " sqn=1000000000000", SUBSCRIBER_ERR_SQN },
		{ "alice " SET1 " seq-ms=000000000000", SUBSCRIBER_ERR_SEQ_MS },
		{ "alice " SET1 " x", SUBSCRIBER_ERR_FIELD },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(subscriber_parse_line(bad[i].line, strlen(bad[i].line), &s), bad[i].e, "case %zu: %s", i,
		             bad[i].line);
}

/* The HSS adds sqn= to lines without one (comments and order kept), then
 * overwrites the 12 digits in place. */
Test(subscriber, hss_state)
{
	const char *path = file_with("# lab\nalice " SET1 "\n\nbob " SET1 " sqn=00000000002a\ncarol " SET1, 0600);
	struct subscriber_file f;
	size_t line;
	cr_assert_eq(subscriber_open(path, SUBSCRIBER_HSS, &f, &line), SUBSCRIBER_OK);
	cr_expect_eq(f.n, 3);
	cr_expect_str_eq(slurp(path), "# lab\nalice " SET1 " sqn=000000000000\n\nbob " SET1
	                              " sqn=00000000002a\ncarol " SET1 " sqn=000000000000\n");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	struct subscriber *b = subscriber_find(&f, "bob");
	cr_assert_not_null(b);
	cr_expect_eq(b->sqn, 42);
	cr_expect_null(subscriber_find(&f, "dave"));
	struct subscriber *a = subscriber_find(&f, "alice");
	a->sqn = UINT64_C(0xabcdef012345);
	cr_assert_eq(subscriber_store(&f, a), 0);
	cr_expect_str_eq(slurp(path), "# lab\nalice " SET1 " sqn=abcdef012345\n\nbob " SET1
	                              " sqn=00000000002a\ncarol " SET1 " sqn=000000000000\n");

	/* Locked while open. */
	struct subscriber_file g;
	cr_expect_eq(subscriber_open(path, SUBSCRIBER_HSS, &g, &line), SUBSCRIBER_ERR_LOCKED);
	subscriber_close(&f);
	cr_assert_eq(subscriber_open(path, SUBSCRIBER_HSS, &g, &line), SUBSCRIBER_OK);
	cr_expect_eq(subscriber_find(&g, "alice")->sqn, UINT64_C(0xabcdef012345), "read back after reopening");
	subscriber_close(&g);
}

Test(subscriber, usim_state)
{
	const char *path = file_with("alice " SET1 "\n", 0600);
	struct subscriber_file f;
	cr_assert_eq(subscriber_open(path, SUBSCRIBER_USIM, &f, NULL), SUBSCRIBER_OK);
	struct subscriber *a = subscriber_find(&f, "alice");
	cr_assert_not_null(a);
	cr_expect_eq(aka_usim_sqn_ms(&a->usim), 0);
	aka_usim_accept(&a->usim, aka_sqn_make(0x123, 5));
	aka_usim_accept(&a->usim, aka_sqn_make(0x7ffffffffff, 31));
	cr_assert_eq(subscriber_store(&f, a), 0);
	subscriber_close(&f);
	const char *content = slurp(path);
	cr_expect(strstr(content, "seq-ms=000000000000,") != NULL);
	cr_expect(strstr(content, ",000000000123,") != NULL);
	cr_expect(strstr(content, ",07ffffffffff\n") != NULL);
	cr_assert_eq(subscriber_open(path, SUBSCRIBER_USIM, &f, NULL), SUBSCRIBER_OK);
	a = subscriber_find(&f, "alice");
	cr_expect_eq(a->usim.seq_ms[5], 0x123);
	cr_expect_eq(a->usim.seq_ms[31], 0x7ffffffffff);
	cr_expect_eq(a->sqn_off, -1, "no sqn= for a USIM");
	subscriber_close(&f);
}

Test(subscriber, refused_files)
{
	struct subscriber_file f;
	size_t line = 0;
	cr_expect_eq(subscriber_open(file_with("alice " SET1 "\n", 0640), SUBSCRIBER_HSS, &f, &line), SUBSCRIBER_ERR_MODE);
	cr_expect_eq(subscriber_open(file_with("alice " SET1 "\n", 0604), SUBSCRIBER_HSS, &f, &line), SUBSCRIBER_ERR_MODE);
	cr_expect_eq(subscriber_open(file_with("# nothing\n", 0600), SUBSCRIBER_HSS, &f, &line), SUBSCRIBER_ERR_EMPTY);
	cr_expect_eq(subscriber_open(file_with("alice " SET1 "\nalice " SET1 "\n", 0600), SUBSCRIBER_HSS, &f, &line),
	             SUBSCRIBER_ERR_DUPLICATE);
	cr_expect_eq(subscriber_open(file_with("alice " SET1 "\n\nbob k=1\n", 0600), SUBSCRIBER_HSS, &f, &line),
	             SUBSCRIBER_ERR_K);
	cr_expect_eq(line, 3);
	cr_expect_eq(subscriber_open("/nonexistent/subs", SUBSCRIBER_HSS, &f, &line), SUBSCRIBER_ERR_IO);
	cr_expect_str_eq(subscriber_err_str(SUBSCRIBER_ERR_MODE), "group or others may access the file (chmod 600)");
}
