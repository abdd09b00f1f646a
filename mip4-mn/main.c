/*
 * mip4-mn: lab Mobile IPv4 mobile node and load generator for mip4-gba.
 * Everything is in the mip4-mn-* modules; this is the entry point.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mip4-mn/boot.h"
#include "mip4-mn/load.h"
#include "mip4-mn/opts.h"
#include "mip4-mn/store.h"

int main(int argc, char **argv)
{
	struct mn_opts o;
	char err[256];
	int rc;

	switch (mn_opts_parse(argc, argv, &o, err, sizeof(err))) {
	case MN_OPTS_EXIT_OK:
		return 0;
	case MN_OPTS_ERROR:
		fprintf(stderr, "mip4-mn: %s (see --help)\n", err);
		mn_opts_clear(&o);
		return 2;
	case MN_OPTS_RUN:
		break;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.ub_only) {
		rc = mn_boot_only(&o);
	} else if (o.make_store) {
		rc = mn_store_make(&o, err, sizeof(err)) == 0 ? 0 : 1;
		if (rc)
			fprintf(stderr, "mip4-mn: --make-store: %s\n", err);
	} else {
		rc = mn_load_run(&o);
	}
	mn_opts_clear(&o);
	return rc;
}
