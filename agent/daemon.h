/*
 * daemon: what the main() of each of our daemons shares: the command line
 * (-f/--config FILE, -n/--check, -d/--debug, -h/--help, -V/--version), and the
 * signal mask: every thread started before the loop (libfdcore's, say)
 * inherits all signals blocked, and only the loop thread takes SIGTERM,
 * SIGINT and SIGHUP, through libevent.
 */
#ifndef MIP4_AGENT_DAEMON_H
#define MIP4_AGENT_DAEMON_H

#include <stdbool.h>
#include <stdio.h>

struct daemon_args {
	const char *config;
	bool check, debug;
};

enum daemon_start {
	DAEMON_RUN,      /* go on with args */
	DAEMON_EXIT_OK,  /* --help or --version printed: exit 0 */
	DAEMON_USAGE,    /* usage error printed: exit 2 */
};

enum daemon_start daemon_parse_args(int argc, char **argv, const char *name, const char *default_config,
                                    void (*usage)(FILE *f), struct daemon_args *a);
/* Block every signal (threads started from now on inherit it), ignore SIGPIPE. */
void daemon_block_signals(void);
/* Let this thread take SIGTERM, SIGINT and SIGHUP again. */
void daemon_unblock_signals(void);

#endif
