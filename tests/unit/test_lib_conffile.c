/* conffile: error line numbers match the file whatever its comments, and the
 * values read are the ones libconfuse's own cfg_parse() reads. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/conffile.h"

static char err_msg[512];

static void test_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char m[256];
	vsnprintf(m, sizeof(m), fmt, ap);
	if (!err_msg[0])
		snprintf(err_msg, sizeof(err_msg), "%s:%d: %s", cfg->filename, cfg->line, m);
}

/* "n" over 10 is an error reported at the line the parser is on. */
static int test_v_n(cfg_t *cfg, cfg_opt_t *opt)
{
	if (cfg_opt_getnint(opt, 0) > 10) {
		cfg_error(cfg, "n too big");
		return -1;
	}
	return 0;
}

static cfg_t *test_cfg(void)
{
	static cfg_opt_t opts[] = {
		CFG_STR("a", NULL, CFGF_NONE),
		CFG_STR("b", NULL, CFGF_NONE),
		CFG_INT("n", 0, CFGF_NONE),
		CFG_END()
	};
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	cr_assert_not_null(cfg);
	cfg_set_error_function(cfg, test_errfunc);
	cfg_set_validate_func(cfg, "n", test_v_n);
	err_msg[0] = '\0';
	return cfg;
}

static char path[64];

static void write_file(const char *text)
{
	strcpy(path, "/tmp/mip4-conffile-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	size_t len = strlen(text);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* Parse text; expect the "n too big" error on the given line. */
static void expect_line(const char *text, int line)
{
	write_file(text);
	cfg_t *cfg = test_cfg();
	int rc = conffile_parse(cfg, path);
	char want[512];
	snprintf(want, sizeof(want), "%s:%d: n too big", path, line);
	cr_log_info("error: %s", err_msg);
	cr_expect_eq(rc, CFG_PARSE_ERROR);
	cr_expect_str_eq(err_msg, want);
	cfg_free(cfg);
	unlink(path);
}

Test(conffile, hash_comment_lines)
{
	expect_line("# one\n# two\n# three\n# four\na = \"x\"\nn = 99\n", 6);
	expect_line("#\n##\n### banner ###\n\n\nn = 99\n", 6);
}

Test(conffile, slash_comment_lines)
{
	expect_line("// one\n// two\n//// three\na = x\nn = 99\n", 5);
}

Test(conffile, block_comments)
{
	expect_line("/* one\n two\n three */\n/* four */\na = \"x\"\nn = 99\n", 6);
	expect_line("a = \"x\" /* inline */ b = \"y\"\n/**/\n/***/\nn = 99\n", 4);
}

Test(conffile, trailing_comments)
{
	expect_line("a = \"x\" # one\nb = y // two\n\n\nn = 99 # three\n", 5);
	expect_line("a = x#y\n\n\nn = 99\n", 4);
}

Test(conffile, comment_markers_inside_strings)
{
	expect_line("a = \"x#y\"\nb = 'p#q'\n# c\nn = 99\n", 4);
	expect_line("a = \"x\\\"#y\"\nb = 'p\\'#q'\n# c\nn = 99\n", 4);
	expect_line("a = \"http://h/*x*/\"\nb = /usr//lib\n# c\nn = 99\n", 4);
	expect_line("a = \"one\n#two\n// three\"\n# c\nn = 99\n", 5);
	expect_line("a = \"${MIP4_CONFFILE_UNSET:-#x}\"\n# c\nn = 99\n", 3);
}

Test(conffile, syntax_error_line)
{
	write_file("# c\n# c\n# c\na = \"x\"\nbogus = 1\n");
	cfg_t *cfg = test_cfg();
	cr_expect_eq(conffile_parse(cfg, path), CFG_PARSE_ERROR);
	char want[256];
	snprintf(want, sizeof(want), "%s:5: ", path);
	cr_log_info("error: %s", err_msg);
	cr_expect_eq(strncmp(err_msg, want, strlen(want)), 0, "got '%s'", err_msg);
	cr_expect_not_null(strstr(err_msg, "bogus"));
	cfg_free(cfg);
	unlink(path);
}

/* Tricky text gives the same values through both loaders. */
Test(conffile, values_as_cfg_parse)
{
	static const char *const texts[] = {
		"a = \"x#y\" # c\nb = 'p\\'#q' // c\nn = 7\n",
		"/* c */ a = \"one\n#two\" b = /usr//lib\n# c\nn = 3 /* c\n c */\n",
		"a = x#y\nb = \"\\\"//\\\\\"\n",
		"a = \"${MIP4_CONFFILE_UNSET:-#x}\" b = '\\n#'\n",
		"",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		write_file(texts[i]);
		cfg_t *mine = test_cfg(), *ref = test_cfg();
		cr_assert_eq(conffile_parse(mine, path), CFG_SUCCESS, "text %zu: %s", i, err_msg);
		cr_assert_eq(cfg_parse(ref, path), CFG_SUCCESS, "text %zu: %s", i, err_msg);
		const char *names[] = { "a", "b" };
		for (size_t k = 0; k < 2; k++) {
			const char *x = cfg_getstr(mine, names[k]), *y = cfg_getstr(ref, names[k]);
			cr_log_info("text %zu %s: [%s] [%s]", i, names[k], x ? x : "(unset)", y ? y : "(unset)");
			cr_expect((!x && !y) || (x && y && strcmp(x, y) == 0), "text %zu option %s", i, names[k]);
		}
		cr_expect_eq(cfg_getint(mine, "n"), cfg_getint(ref, "n"), "text %zu", i);
		cfg_free(mine);
		cfg_free(ref);
		unlink(path);
	}
}

Test(conffile, missing_file)
{
	cfg_t *cfg = test_cfg();
	errno = 0;
	cr_expect_eq(conffile_parse(cfg, "/nonexistent/mip4-conffile.conf"), CFG_FILE_ERROR);
	cr_expect_eq(errno, ENOENT);
	cr_expect_str_empty(err_msg);
	cfg_free(cfg);
}
