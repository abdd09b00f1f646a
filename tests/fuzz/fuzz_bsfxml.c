/* libFuzzer target: bsfxml_read, and for documents it accepts, what
 * bsfxml_write makes of their content reads back to the same B-TID and
 * lifetime. */
#include <stdlib.h>
#include <string.h>

#include "lib/bsfxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bsfxml_info a, b;
	static char doc[BSFXML_MAX + 1];
	if (bsfxml_read((const char *)data, size, &a) != BSFXML_OK)
		return 0;
	if (a.btid[0] == '\0' || strlen(a.btid) >= sizeof a.btid)
		abort();
	size_t n = bsfxml_write(a.btid, a.has_lifetime ? a.lifetime : 0, doc, sizeof doc);
	if (n == 0)
		return 0;
	if (bsfxml_read(doc, n, &b) != BSFXML_OK || strcmp(a.btid, b.btid) != 0 ||
	    (a.has_lifetime && b.lifetime != a.lifetime))
		abort();
	return 0;
}
