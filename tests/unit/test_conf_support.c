#include "tests/unit/test_conf_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
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
