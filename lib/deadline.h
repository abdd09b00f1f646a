/*
 * deadline: "ms milliseconds from now" as the absolute CLOCK_REALTIME time
 * that fd_msg_send_timeout and pthread_cond_timedwait take.
 */
#ifndef MIP4_DEADLINE_H
#define MIP4_DEADLINE_H

#include <time.h>

struct timespec deadline_in_ms(unsigned ms);

#endif
