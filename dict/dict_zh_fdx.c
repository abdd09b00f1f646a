/* dict_zh.fdx: loads the 3GPP Zh (TS 29.109) dictionary into freeDiameterd. */
#include <freeDiameter/extension.h>

#include "dict/dict_zh.h"

static int dict_zh_fdx_init(char *conffile)
{
	(void)conffile;
	int ret = dict_zh_register();
	if (ret == 0)
		LOG_N("Dictionary extension '3GPP Zh (TS 29.109)' initialized");
	return ret;
}

#pragma GCC visibility push(default)
EXTENSION_ENTRY("dict_zh", dict_zh_fdx_init);
#pragma GCC visibility pop
