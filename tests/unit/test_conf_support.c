#include "tests/unit/test_conf_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char conf_test_path[64];

void *conf_test_load(const char *text, mode_t mode, void *(*load)(const char *path), char *err, size_t errlen)
{
	snprintf(conf_test_path, sizeof conf_test_path, "/tmp/test_conf.%d.conf", (int)getpid());
	FILE *f = fopen(conf_test_path, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	chmod(conf_test_path, mode);
	fflush(stderr);
	int saved = dup(2);
	FILE *cap = tmpfile();
	cr_assert(cap);
	dup2(fileno(cap), 2);
	void *c = load(conf_test_path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	size_t n = fread(err, 1, errlen - 1, cap);
	err[n] = 0;
	fclose(cap);
	unlink(conf_test_path);
	return c;
}

void conf_test_refused(const struct conf_test_bad *cases, size_t n, void *(*load)(const char *path),
                       void (*free_conf)(void *c))
{
	for (size_t i = 0; i < n; i++) {
		char err[512];
		void *c = conf_test_load(cases[i].text, cases[i].mode, load, err, sizeof err);
		if (c)
			free_conf(c);
		cr_assert_null(c, "case %zu accepted", i);
		cr_assert(strncmp(err, conf_test_path, strlen(conf_test_path)) == 0,
		          "case %zu: error does not start with the file: %s", i, err);
		cr_assert(strstr(err, cases[i].expect), "case %zu: '%s' not in: %s", i, cases[i].expect, err);
		char *nl = strchr(err, '\n');
		cr_assert(nl && nl[1] == 0, "case %zu: not one line: %s", i, err);
	}
}
