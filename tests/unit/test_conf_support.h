/* Shared by the configuration tests: write a file, run a loader on it with
 * stderr captured, remove the file. */
#ifndef MIP4_TEST_CONF_SUPPORT_H
#define MIP4_TEST_CONF_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

/* The path the file is written to (per process). */
extern char conf_test_path[64];

/* Write text to conf_test_path with mode, call load(conf_test_path) with
 * stderr going to err (NUL-terminated), remove the file, return what load
 * returned. */
void *conf_test_load(const char *text, mode_t mode, void *(*load)(const char *path), char *err, size_t errlen);

/* A file the loader must refuse, and what its one-line error says after "FILE". */
struct conf_test_bad {
	const char *text;
	mode_t mode;
	const char *expect;
};

/* Each case refused with one line starting with the file name and holding its
 * expectation; free releases what a loader wrongly returned. */
void conf_test_refused(const struct conf_test_bad *cases, size_t n, void *(*load)(const char *path),
                       void (*free_conf)(void *c));

#endif
