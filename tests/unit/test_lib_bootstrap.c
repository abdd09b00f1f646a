/* bootstrap: line parser (each error value), formatter, store loading. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/bootstrap.h"
#include "tests/unit/vectors.h"

/* The gba_btid and MILENAGE vectors: B-TID of RAND, Ks = CK || IK. */
#define BTID "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define IMPI "001010123456789@ims.mnc001.mcc001.3gppnetwork.org"
#define RAND "23553cbe9637a89d218ae64dae47bf35"
#define KS "b40ba9a3c58b2a05bbf0d987b21bf8cbf769bcd751044604127672711c6d3441"
#define GOOD BTID " " IMPI " " RAND " " KS " 1893456000"

static enum bootstrap_err parse(const char *line, struct bootstrap_entry *e)
{
	return bootstrap_parse_line(line, strlen(line), e);
}

Test(bootstrap, parse_good_line)
{
	struct bootstrap_entry e;
	cr_assert_eq(parse(GOOD, &e), BOOTSTRAP_OK);
	cr_expect_str_eq(e.btid, BTID);
	cr_expect_str_eq(e.impi, IMPI);
	struct vectors_milenage m = vectors_milenage();
	cr_expect_arr_eq(e.rand, m.rand.p, 16);
	cr_expect_arr_eq(e.ks, m.ck.p, 16);
	cr_expect_arr_eq(e.ks + 16, m.ik.p, 16);
	cr_expect_eq(e.expiry, 1893456000);

	struct bootstrap_entry f;
	cr_expect_eq(parse("\t " BTID "\t\t" IMPI "  " RAND " " KS " 1893456000 \r\n", &f), BOOTSTRAP_OK,
	             "tabs, runs of blanks, CRLF");
	cr_expect_eq(memcmp(&e, &f, sizeof e), 0);
	cr_expect_eq(parse(BTID " " IMPI " 23553CBE9637A89D218AE64DAE47BF35 " KS " 0", &f), BOOTSTRAP_OK,
	             "upper-case hex");
	cr_expect_arr_eq(f.rand, e.rand, 16);
	cr_expect_eq(f.expiry, 0);
	/* Only the given length counts. */
	char buf[300];
	snprintf(buf, sizeof buf, "%s 99", GOOD);
	cr_expect_eq(bootstrap_parse_line(buf, strlen(GOOD), &f), BOOTSTRAP_OK);
	cr_expect_eq(f.expiry, 1893456000);
}

Test(bootstrap, parse_skip)
{
	struct bootstrap_entry e;
	const char *skip[] = { "", " ", "\t\t", "\r", "# a comment", "   # indented comment", "#" GOOD };
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		cr_expect_eq(parse(skip[i], &e), BOOTSTRAP_SKIP, "\"%s\"", skip[i]);
}

Test(bootstrap, parse_errors)
{
	char long_impi[400], long_btid[400];
	memset(long_impi, 'i', 256);
	long_impi[256] = '\0';
	char line_long_impi[800], line_long_btid[800];
	snprintf(line_long_impi, sizeof line_long_impi, BTID " %s " RAND " " KS " 1", long_impi);
	/* A valid-looking B-TID of 256 octets: over the NAI limit. */
	snprintf(long_btid, sizeof long_btid, "I1U8vpY3qJ0hiuZNrke/NQ==@");
	for (size_t i = 25; i < 256; i++)
		long_btid[i] = (i % 40 == 0) ? '.' : 'b';
	long_btid[256] = '\0';
	snprintf(line_long_btid, sizeof line_long_btid, "%s " IMPI " " RAND " " KS " 1", long_btid);
	const struct {
		const char *line;
		enum bootstrap_err err;
	} cases[] = {
		{ BTID " " IMPI " " RAND " " KS, BOOTSTRAP_ERR_FIELDS },
		{ GOOD " extra", BOOTSTRAP_ERR_FIELDS },
		{ GOOD " # trailing comment", BOOTSTRAP_ERR_FIELDS },
		{ BTID, BOOTSTRAP_ERR_FIELDS },
		{ "I1U8vpY3qJ0hiuZNrke/NQ=@bsf.example.org " IMPI " " RAND " " KS " 1", BOOTSTRAP_ERR_BTID },
		{ "bsf.example.org " IMPI " " RAND " " KS " 1", BOOTSTRAP_ERR_BTID },
		{ "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org " IMPI " " RAND " " KS " 1", BOOTSTRAP_ERR_BTID },
		{ line_long_btid, BOOTSTRAP_ERR_BTID },
		{ line_long_impi, BOOTSTRAP_ERR_IMPI },
		{ BTID " user\x01@x " RAND " " KS " 1", BOOTSTRAP_ERR_IMPI },
		{ BTID " user\x7f@x " RAND " " KS " 1", BOOTSTRAP_ERR_IMPI },
		{ BTID " us\xc3\xa9r@x " RAND " " KS " 1", BOOTSTRAP_ERR_IMPI },
		{ BTID " " IMPI " 23553cbe9637a89d218ae64dae47bf3 " KS " 1", BOOTSTRAP_ERR_RAND },
		{ BTID " " IMPI " 23553cbe9637a89d218ae64dae47bf355 " KS " 1", BOOTSTRAP_ERR_RAND },
		{ BTID " " IMPI " 23553cbe9637a89d218ae64dae47bf3g " KS " 1", BOOTSTRAP_ERR_RAND },
		{ BTID " " IMPI " " RAND " b40ba9a3c58b2a05bbf0d987b21bf8cbf769bcd751044604127672711c6d344 1",
		  BOOTSTRAP_ERR_KS },
		{ BTID " " IMPI " " RAND " " KS "0 1", BOOTSTRAP_ERR_KS },
		{ BTID " " IMPI " " RAND " x40ba9a3c58b2a05bbf0d987b21bf8cbf769bcd751044604127672711c6d3441 1",
		  BOOTSTRAP_ERR_KS },
		{ BTID " " IMPI " " RAND " " KS " -1", BOOTSTRAP_ERR_EXPIRY },
		{ BTID " " IMPI " " RAND " " KS " +1", BOOTSTRAP_ERR_EXPIRY },
		{ BTID " " IMPI " " RAND " " KS " 12a", BOOTSTRAP_ERR_EXPIRY },
		{ BTID " " IMPI " " RAND " " KS " 0x10", BOOTSTRAP_ERR_EXPIRY },
		{ BTID " " IMPI " " RAND " " KS " 9223372036854775808", BOOTSTRAP_ERR_EXPIRY },
		{ BTID " " IMPI " " RAND " " KS " 99999999999999999999", BOOTSTRAP_ERR_EXPIRY },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bootstrap_entry e;
		enum bootstrap_err err = parse(cases[i].line, &e);
		cr_expect_eq(err, cases[i].err, "case %zu: got %s, want %s", i, bootstrap_err_str(err),
		             bootstrap_err_str(cases[i].err));
		/* A failed parse leaves no key material behind. */
		const struct bootstrap_entry zero = { 0 };
		cr_expect_eq(memcmp(&e, &zero, sizeof e), 0, "case %zu left data in the entry", i);
	}
	struct bootstrap_entry e;
	cr_expect_eq(parse(BTID " " IMPI " " RAND " " KS " 9223372036854775807", &e), BOOTSTRAP_OK);
	cr_expect_eq(e.expiry, INT64_MAX);
}

Test(bootstrap, format_round_trip)
{
	struct bootstrap_entry e, f;
	char out[1024];
	cr_assert_eq(parse(GOOD, &e), BOOTSTRAP_OK);
	size_t n = bootstrap_format_line(&e, out, sizeof out);
	cr_assert_eq(n, strlen(GOOD) + 1);
	cr_expect_str_eq(out, GOOD "\n");
	cr_assert_eq(bootstrap_parse_line(out, n, &f), BOOTSTRAP_OK);
	cr_expect_eq(memcmp(&e, &f, sizeof e), 0);
	cr_expect_eq(bootstrap_format_line(&e, out, n), 0, "no room for the NUL");
	cr_expect_eq(bootstrap_format_line(&e, out, n + 1), n);
}

static void write_store(const char *path, mode_t mode, const char *text)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* n entries whose B-TIDs are out of order in the file. */
static char *store_text(size_t n, const char *extra)
{
	size_t cap = (n + 4) * 300 + (extra ? strlen(extra) : 0);
	char *text = malloc(cap);
	cr_assert_not_null(text);
	size_t o = (size_t)snprintf(text, cap, "# lab bootstrap store\n\n");
	for (size_t i = 0; i < n; i++) {
		struct bootstrap_entry e;
		memset(&e, 0, sizeof e);
		for (int k = 0; k < 16; k++)
			e.rand[k] = (uint8_t)((n - i) * 13 + k * 7);
		for (int k = 0; k < 32; k++)
			e.ks[k] = (uint8_t)(i + k);
		cr_assert_gt(gba_btid_format(e.rand, "bsf.example.org", e.btid, sizeof e.btid), 0);
		snprintf(e.impi, sizeof e.impi, "user%zu@example.org", i);
		e.expiry = 1900000000 + (int64_t)i;
		o += bootstrap_format_line(&e, text + o, cap - o);
	}
	if (extra)
		o += (size_t)snprintf(text + o, cap - o, "%s", extra);
	return text;
}

static char store_path[64];

static void store_setup(void)
{
	snprintf(store_path, sizeof store_path, "/tmp/mip4-bootstrap-%ld.txt", (long)getpid());
}

static void store_teardown(void)
{
	unlink(store_path);
}

TestSuite(bootstrap_store, .init = store_setup, .fini = store_teardown);

Test(bootstrap_store, load_sorted_and_find)
{
	char *text = store_text(50, "   # trailing comment\n" GOOD); /* last line without newline */
	write_store(store_path, 0600, text);
	struct bootstrap_store s;
	size_t line = 99;
	cr_assert_eq(bootstrap_load(store_path, &s, &line), BOOTSTRAP_OK);
	cr_assert_eq(s.n, 51);
	for (size_t i = 1; i < s.n; i++)
		cr_expect_lt(strcmp(s.e[i - 1].btid, s.e[i].btid), 0, "sorted at %zu", i);
	/* Every line of the file is found through the store. */
	for (char *p = text; *p != '\0';) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct bootstrap_entry e;
		if (bootstrap_parse_line(p, len, &e) == BOOTSTRAP_OK) {
			const struct bootstrap_entry *f = bootstrap_find(&s, e.btid, strlen(e.btid));
			cr_assert_not_null(f, "%s not found", e.btid);
			cr_expect_eq(memcmp(f, &e, sizeof e), 0);
		}
		p += len + (nl != NULL);
	}
	cr_expect_null(bootstrap_find(&s, "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org", 40));
	cr_expect_null(bootstrap_find(&s, BTID, strlen(BTID) - 1), "a prefix is not a match");
	cr_expect_null(bootstrap_find(&s, "", 0));
	cr_expect_not_null(bootstrap_find(&s, BTID "trailing", strlen(BTID)), "length-delimited");
	bootstrap_free(&s);
	cr_expect_null(s.e);
	cr_expect_eq(s.n, 0);
	cr_expect_null(bootstrap_find(&s, BTID, strlen(BTID)));
	bootstrap_free(&s);
	free(text);
}

Test(bootstrap_store, empty_store)
{
	write_store(store_path, 0600, "# nothing yet\n\n");
	struct bootstrap_store s;
	cr_assert_eq(bootstrap_load(store_path, &s, NULL), BOOTSTRAP_OK);
	cr_expect_eq(s.n, 0);
	cr_expect_null(bootstrap_find(&s, BTID, strlen(BTID)));
	bootstrap_free(&s);
	write_store(store_path, 0600, "");
	cr_assert_eq(bootstrap_load(store_path, &s, NULL), BOOTSTRAP_OK);
	cr_expect_eq(s.n, 0);
	bootstrap_free(&s);
}

Test(bootstrap_store, modes)
{
	const struct {
		mode_t mode;
		enum bootstrap_err err;
	} cases[] = {
		{ 0600, BOOTSTRAP_OK }, { 0400, BOOTSTRAP_OK }, { 0640, BOOTSTRAP_OK }, { 0660, BOOTSTRAP_OK },
		{ 0604, BOOTSTRAP_ERR_MODE }, { 0602, BOOTSTRAP_ERR_MODE }, { 0601, BOOTSTRAP_ERR_MODE },
		{ 0644, BOOTSTRAP_ERR_MODE }, { 0666, BOOTSTRAP_ERR_MODE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_store(store_path, cases[i].mode, GOOD "\n");
		struct bootstrap_store s;
		enum bootstrap_err err = bootstrap_load(store_path, &s, NULL);
		cr_expect_eq(err, cases[i].err, "mode %04o: %s", (unsigned)cases[i].mode, bootstrap_err_str(err));
		cr_expect_eq(s.n, err == BOOTSTRAP_OK ? 1u : 0u);
		bootstrap_free(&s);
	}
}

Test(bootstrap_store, io_errors)
{
	struct bootstrap_store s;
	size_t line = 7;
	cr_expect_eq(bootstrap_load("/nonexistent/mip4/store", &s, &line), BOOTSTRAP_ERR_IO);
	cr_expect_eq(s.n, 0);
	cr_expect_null(s.e);
	cr_expect_eq(line, 0);
	cr_expect_eq(bootstrap_load("/tmp", &s, NULL), BOOTSTRAP_ERR_IO, "a directory");
}

Test(bootstrap_store, error_line_and_empty_store)
{
	const struct {
		const char *text;
		enum bootstrap_err err;
		size_t line;
	} cases[] = {
		{ "# c\n" GOOD "\n" BTID " " IMPI " " RAND " " KS "\n", BOOTSTRAP_ERR_FIELDS, 3 },
		{ GOOD "\n\n\n" BTID " " IMPI " " RAND " " KS " x\n", BOOTSTRAP_ERR_EXPIRY, 4 },
		{ GOOD "\n" GOOD "\n", BOOTSTRAP_ERR_DUPLICATE, 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_store(store_path, 0600, cases[i].text);
		struct bootstrap_store s;
		size_t line = 0;
		cr_expect_eq(bootstrap_load(store_path, &s, &line), cases[i].err, "case %zu", i);
		cr_expect_eq(line, cases[i].line, "case %zu: line %zu", i, line);
		cr_expect_eq(s.n, 0);
		cr_expect_null(s.e);
	}
}

/* A duplicate far apart in the file: the line of the later one is reported. */
Test(bootstrap_store, duplicate_among_many)
{
	char *text = store_text(30, GOOD "\n# gap\n");
	size_t base = strlen(text);
	char *all = malloc(base * 2 + 1);
	cr_assert_not_null(all);
	memcpy(all, text, base);
	memcpy(all + base, GOOD "\n", strlen(GOOD) + 2);
	write_store(store_path, 0600, all);
	struct bootstrap_store s;
	size_t line = 0;
	cr_expect_eq(bootstrap_load(store_path, &s, &line), BOOTSTRAP_ERR_DUPLICATE);
	cr_expect_eq(line, 2 + 30 + 2 + 1, "header 2 lines, 30 entries, GOOD, gap, then the duplicate");
	cr_expect_eq(s.n, 0);
	free(all);
	free(text);
}

Test(bootstrap, err_strings)
{
	for (int i = BOOTSTRAP_OK; i <= BOOTSTRAP_ERR_MODE; i++) {
		cr_expect_not_null(bootstrap_err_str((enum bootstrap_err)i));
		for (int j = BOOTSTRAP_OK; j < i; j++)
			cr_expect_str_neq(bootstrap_err_str((enum bootstrap_err)i), bootstrap_err_str((enum bootstrap_err)j));
	}
}
