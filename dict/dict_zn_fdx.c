/* dict_zn.fdx: loads the 3GPP Zn (TS 29.109) dictionary into freeDiameterd. */
#include <freeDiameter/extension.h>

#include "dict/dict_zn.h"

static int dict_zn_fdx_init(char *conffile)
{
	(void)conffile;
	int ret = dict_zn_register();
	if (ret == 0)
		LOG_N("Dictionary extension '3GPP Zn (TS 29.109)' initialized");
	return ret;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("dict_zn", dict_zn_fdx_init);
#pragma GCC visibility pop
