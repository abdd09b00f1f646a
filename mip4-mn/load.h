/*
 * mip4-mn-load: the libevent loop of mip4-mn.  Drives one node through
 * first registration, re-registrations and deregistration, or many nodes at
 * a target rate with a window of outstanding requests; retransmits with
 * back-off and records every outcome.
 */
#ifndef MIP4_MN_LOAD_H
#define MIP4_MN_LOAD_H

#include <stddef.h>

#include "mip4-mn/opts.h"

/* Run what o asks for.  Returns the exit status: 0 when every operation was
 * accepted, 1 when some were not, 2 on a setup error (message already printed). */
int mn_load_run(const struct mn_opts *o);

#endif
