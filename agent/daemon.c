#include "agent/daemon.h"

#include <getopt.h>
#include <signal.h>

enum daemon_start daemon_parse_args(int argc, char **argv, const char *name, const char *default_config,
                                    void (*usage)(FILE *f), struct daemon_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' }, { "check", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'd' },        { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },      { NULL, 0, NULL, 0 },
	};
	*a = (struct daemon_args){ .config = default_config };
	int opt;
	while ((opt = getopt_long(argc, argv, "f:ndhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f': a->config = optarg; break;
		case 'n': a->check = true; break;
		case 'd': a->debug = true; break;
		case 'h': usage(stdout); return DAEMON_EXIT_OK;
		case 'V': printf("%s %s\n", name, MIP4_VERSION); return DAEMON_EXIT_OK;
		default: usage(stderr); return DAEMON_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[optind]);
		usage(stderr);
		return DAEMON_USAGE;
	}
	return DAEMON_RUN;
}

void daemon_block_signals(void)
{
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void daemon_unblock_signals(void)
{
	sigset_t mine;
	sigemptyset(&mine);
	sigaddset(&mine, SIGTERM);
	sigaddset(&mine, SIGINT);
	sigaddset(&mine, SIGHUP);
	pthread_sigmask(SIG_UNBLOCK, &mine, NULL);
}
