#include "agent/kernerr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>

void kernerr_log(struct kernerr *k, const char *what, uint32_t addr)
{
	int e = errno;
	unsigned suppressed = 0;
	k->count++;
	if (log_rate_allow(&k->rate, time(NULL), 5, &suppressed)) {
		char a[INET_ADDRSTRLEN];
		struct in_addr in = { addr };
		log_msg(LOG_LEVEL_WARNING, "data plane: %s %s: %s (%u similar suppressed)", what,
		        inet_ntop(AF_INET, &in, a, sizeof a), strerror(e), suppressed);
	}
	errno = e;
}
