/*
 * mip4-mn-boot: where the nodes' GBA bootstraps come from, whatever the mode
 * (one node, --load, --make-store, --ub-only):
 *   --store FILE                a lab bootstrap store, read as it is;
 *   --subscriber FILE --bsf URL Ub runs with the BSF (mip4-mn-ub), one per
 *                               subscriber, --window at a time.
 * Either way the result is a bootstrap store in memory (B-TID, IMPI, RAND, Ks,
 * expiry, sorted by B-TID), so nothing after this point knows which it was;
 * a re-bootstrap reads the store again or runs Ub again.
 */
#ifndef MIP4_MN_BOOT_H
#define MIP4_MN_BOOT_H

#include <stddef.h>

#include "lib/bootstrap.h"
#include "lib/subscriber.h"
#include "mip4-mn/opts.h"
#include "mip4-mn/ub.h"

struct mn_boot {
	const struct mn_opts *o;
	bool ub;
	struct subscriber_file subs;
	struct mn_ub_conf conf;
	unsigned failed;            /* Ub runs that did not bootstrap */
	uint32_t *lat_us;           /* each successful Ub run's duration (mn_boot_load) */
	size_t n_lat;
};

/* 0, or -1 with the reason printed. */
int mn_boot_open(struct mn_boot *b, const struct mn_opts *o);
void mn_boot_close(struct mn_boot *b);

/* The bootstraps of nodes 0..n-1 into st: the whole store (n ignored), or Ub
 * for n subscribers (0: all; --impi: that one), each reported (--json line,
 * -v transcript).  Runs that fail are counted in b->failed and left out.
 * 0, or -1 with the reason printed. */
int mn_boot_load(struct mn_boot *b, size_t n, struct bootstrap_store *st);

/* A newer bootstrap for impi (the re-bootstrap after a 144 or 131): the
 * store's newest entry of impi, or a new Ub run.  0, or -1. */
int mn_boot_again(struct mn_boot *b, const char *impi, struct bootstrap_entry *out);

/* --ub-only: bootstrap, report, and a summary line.  The exit status. */
int mn_boot_only(const struct mn_opts *o);

#endif
