/*
 * mip4-ctl: ask a running mip4-ha or mip4-fa over its control socket.
 *   mip4-ctl [-s SOCKET] stats|bindings|visitors|metrics
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_DEFAULT_SOCKET "/run/mip4-ha/control.sock"

static void ctl_usage(FILE *f)
{
	fprintf(f,
		"Usage: mip4-ctl [-s SOCKET] COMMAND\n"
		"       mip4-ctl --help | --version\n"
		"\n"
		"Query a running mip4-ha or mip4-fa through its control socket\n"
		"(control_socket in mip4-ha.conf, control-socket in mip4-fa.conf; it is mode\n"
		"0600, so run this as the daemon's user or root).\n"
		"\n"
		"Commands:\n"
		"  stats      counters and gauges as one JSON object\n"
		"  bindings   the home agent's mobility binding list as JSON\n"
		"  visitors   the foreign agent's visitor list and pending requests as JSON\n"
		"  metrics    the counters in the Prometheus text exposition format\n"
		"\n"
		"Options:\n"
		"  -s, --socket PATH  control socket (default " CTL_DEFAULT_SOCKET ";\n"
		"                     the foreign agent's is /run/mip4-fa/control.sock)\n"
		"  -h, --help         show this help and exit\n"
		"  -V, --version      show the version and exit\n"
		"\n"
		"Exit status: 0 on success, 1 when the daemon cannot be reached or refuses the\n"
		"command, 2 on a usage error.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_SOCKET;
	int opt;
	while ((opt = getopt_long(argc, argv, "s:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': path = optarg; break;
		case 'h': ctl_usage(stdout); return 0;
		case 'V': printf("mip4-ctl %s\n", MIP4_VERSION); return 0;
		default: ctl_usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		ctl_usage(stderr);
		return 2;
	}
	const char *cmd = argv[optind];
	if (strcmp(cmd, "stats") != 0 && strcmp(cmd, "bindings") != 0 && strcmp(cmd, "visitors") != 0 &&
	    strcmp(cmd, "metrics") != 0) {
		fprintf(stderr, "mip4-ctl: unknown command '%s' (stats, bindings, visitors, metrics)\n", cmd);
		return 2;
	}
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sun.sun_path) {
		fprintf(stderr, "mip4-ctl: socket path too long: %s\n", path);
		return 2;
	}
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		fprintf(stderr, "mip4-ctl: cannot connect to %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	char line[32];
	int n = snprintf(line, sizeof line, "%s\n", cmd);
	if (write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "mip4-ctl: write to %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	char buf[65536];
	ssize_t r;
	size_t total = 0;
	int rc = 0;
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		if (total == 0 && strncmp(buf, "error:", 6) == 0)
			rc = 1;
		fwrite(buf, 1, (size_t)r, rc ? stderr : stdout);
		total += (size_t)r;
	}
	if (r < 0) {
		fprintf(stderr, "mip4-ctl: read from %s: %s\n", path, strerror(errno));
		rc = 1;
	} else if (total == 0) {
		fprintf(stderr, "mip4-ctl: %s closed without an answer\n", path);
		rc = 1;
	}
	close(fd);
	return rc;
}
