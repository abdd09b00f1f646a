/*
 * bootstrap: the lab GBA bootstrap store shared by the lab BSF, the AAA's
 * gba-local key source and mip4-mn.  Text, one entry per line, fields separated
 * by blanks, '#' starts a comment line:
 *
 *   B-TID  IMPI  RAND(32 hex)  Ks=CK||IK(64 hex)  expiry(Unix seconds)
 *
 * This module reads a file (the only one in lib that does I/O): the store holds
 * keys, so a store readable or writable by "other" is refused.
 */
#ifndef MIP4_BOOTSTRAP_H
#define MIP4_BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/gba.h"

struct bootstrap_entry {
	char btid[GBA_BTID_MAX + 1];
	char impi[256];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks[GBA_KS_LEN];
	int64_t expiry;  /* Unix seconds */
};

enum bootstrap_err {
	BOOTSTRAP_OK,
	BOOTSTRAP_SKIP,          /* blank or comment line */
	BOOTSTRAP_ERR_FIELDS,    /* not exactly five fields */
	BOOTSTRAP_ERR_BTID,      /* B-TID fails gba_btid_parse, or its RAND differs from the RAND field */
	BOOTSTRAP_ERR_IMPI,      /* empty, too long, or not printable */
	BOOTSTRAP_ERR_RAND,
	BOOTSTRAP_ERR_KS,
	BOOTSTRAP_ERR_EXPIRY,
	BOOTSTRAP_ERR_DUPLICATE, /* same B-TID twice in one store */
	BOOTSTRAP_ERR_IO,
	BOOTSTRAP_ERR_MODE,      /* file accessible by "other" */
};

struct bootstrap_store {
	struct bootstrap_entry *e;  /* sorted by btid */
	size_t n;
};

/* Parse one line (no newline needed).  Pure. */
enum bootstrap_err bootstrap_parse_line(const char *line, size_t len, struct bootstrap_entry *e);
/* Format one entry as a line with a trailing newline.  Returns length, or 0. */
size_t bootstrap_format_line(const struct bootstrap_entry *e, char *out, size_t cap);

/* Load a whole store.  On error, *line_no (if not NULL) is the failing line and
 * the store is left empty. */
enum bootstrap_err bootstrap_load(const char *path, struct bootstrap_store *s, size_t *line_no);
/* Find by B-TID (binary search); NULL when absent. */
const struct bootstrap_entry *bootstrap_find(const struct bootstrap_store *s, const char *btid, size_t len);
/* Wipe and free every entry. */
void bootstrap_free(struct bootstrap_store *s);

const char *bootstrap_err_str(enum bootstrap_err e);

#endif
