/*
 * bindings_json: the answer of the control socket's "bindings" command, one
 * page at a time, so that listing a million bindings never holds the loop for
 * more than a page:
 *
 *   bindings [limit N] [after ADDRESS]
 *
 * answers at most N (default and ceiling BINDINGS_PAGE_MAX) bindings, in the
 * table's own order, starting after the binding of ADDRESS (which need not
 * exist any more):
 *
 *   {"bindings":[
 *   {"home_address":"10.1.0.5","care_of_address":"192.0.2.7",...},
 *   ...
 *   ],"count":N,"total":T,"next":"10.1.0.9"}
 *
 * one binding per line; count: bindings in this page; total: in the table;
 * next: only when more follow, the ADDRESS to ask after.  A malformed command
 * gets one line "error: ...".
 */
#ifndef MIP4_HA_BINDINGS_JSON_H
#define MIP4_HA_BINDINGS_JSON_H

#include <stdint.h>

#include "agent/textbuf.h"
#include "mip4-ha/binding.h"
#include "agent/sa.h"

#define BINDINGS_PAGE_MAX 10000

/* Appends more members (",\"name\":value...") to one binding's object, for
 * parts of the daemon this file does not know (the data plane's counters). */
typedef int (*bindings_json_extra_fn)(uint32_t home_addr, uint32_t flags, struct textbuf *out, void *arg);

/* args: what follows "bindings" on the command line.  now: the tables' clock.
 * extra (may be NULL) adds members to each binding.  Returns 0 (the page or an
 * error line is in out) or -1 (out of memory). */
int bindings_json_page(const char *args, const struct binding_table *b, const struct sa_table *s, uint32_t now,
                       bindings_json_extra_fn extra, void *extra_arg, struct textbuf *out);

#endif
