/* dict_mip4.fdx: loads the RFC 4004 dictionary into freeDiameterd. */
#include <freeDiameter/extension.h>

#include "dict/dict_mip4.h"

static int dict_mip4_fdx_init(char *conffile)
{
	(void)conffile;
	int ret = dict_mip4_register();
	if (ret == 0)
		LOG_N("Dictionary extension 'Diameter Mobile IPv4 (RFC 4004)' initialized");
	return ret;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("dict_mip4", dict_mip4_fdx_init);
#pragma GCC visibility pop
