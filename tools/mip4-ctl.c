/*
 * mip4-ctl: ask a running mip4-ha over its control socket.
 *   mip4-ctl [-s SOCKET] stats|metrics
 *   mip4-ctl [-s SOCKET] bindings [--limit N] [--after ADDRESS]
 * The daemon answers "bindings" a page at a time (mip4-ha/bindings_json.h);
 * without --limit this asks for page after page and prints them as one list.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_DEFAULT_SOCKET "/run/mip4-ha/control.sock"
#define CTL_PAGE 1000 /* bindings per request when listing them all */

static void ctl_usage(FILE *f)
{
	fprintf(f,
		"Usage: mip4-ctl [-s SOCKET] stats|metrics\n"
		"       mip4-ctl [-s SOCKET] bindings [--limit N] [--after ADDRESS]\n"
		"       mip4-ctl --help | --version\n"
		"\n"
		"Query a running mip4-ha through its control socket (control_socket in\n"
		"mip4-ha.conf; it is mode 0600, so run this as the daemon's user or root).\n"
		"\n"
		"Commands:\n"
		"  stats      counters and gauges as one JSON object\n"
		"  bindings   the mobility binding list as JSON, one binding per line:\n"
		"             {\"bindings\":[ ... ],\"count\":N}.  The daemon hands it out a page\n"
		"             at a time, so that a long list never holds up registrations; a\n"
		"             binding that comes or goes meanwhile may or may not be listed.\n"
		"  metrics    the counters in the Prometheus text exposition format\n"
		"\n"
		"Options:\n"
		"  -s, --socket PATH   control socket (default " CTL_DEFAULT_SOCKET ")\n"
		"  -l, --limit N       bindings: one page of at most N (1..10000) bindings,\n"
		"                      {\"bindings\":[...],\"count\":n,\"total\":T,\"next\":\"ADDRESS\"},\n"
		"                      \"next\" only when more follow\n"
		"  -a, --after ADDRESS bindings: the page after the binding of ADDRESS (the\n"
		"                      \"next\" of the previous page)\n"
		"  -h, --help          show this help and exit\n"
		"  -V, --version       show the version and exit\n"
		"\n"
		"Exit status: 0 on success, 1 when the daemon cannot be reached or refuses the\n"
		"command, 2 on a usage error.\n");
}

struct ctl_buf {
	char *p;
	size_t len, cap;
};

/* One command, one connection: the whole answer into b (NUL-terminated).
 * 0, or 1 after printing why. */
static int ctl_ask(const char *path, const char *cmd, struct ctl_buf *b)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		fprintf(stderr, "mip4-ctl: cannot connect to %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	char line[160];
	int n = snprintf(line, sizeof line, "%s\n", cmd);
	if (write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "mip4-ctl: write to %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	b->len = 0;
	for (;;) {
		if (b->cap - b->len < 65536) {
			char *p = realloc(b->p, b->cap = b->cap ? b->cap * 2 : 131072);
			if (!p) {
				fprintf(stderr, "mip4-ctl: out of memory\n");
				close(fd);
				return 1;
			}
			b->p = p;
		}
		ssize_t r = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "mip4-ctl: read from %s: %s\n", path, strerror(errno));
			close(fd);
			return 1;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	b->p[b->len] = '\0';
	if (b->len == 0) {
		fprintf(stderr, "mip4-ctl: %s closed without an answer\n", path);
		return 1;
	}
	if (strncmp(b->p, "error:", 6) == 0) {
		fputs(b->p, stderr);
		return 1;
	}
	return 0;
}

/* Every binding: page after page, printed as one list.  A page is
 * {"bindings":[ NL entry,NL ... entry NL ],"count":..,"next":"A"} (bindings_json.h). */
static int ctl_all_bindings(const char *path)
{
	struct ctl_buf b = { 0 };
	char cmd[96], after[INET_ADDRSTRLEN] = "";
	size_t count = 0;
	int rc = 0;
	fputs("{\"bindings\":[", stdout);
	for (;;) {
		snprintf(cmd, sizeof cmd, "bindings limit %d%s%s", CTL_PAGE, *after ? " after " : "", after);
		if ((rc = ctl_ask(path, cmd, &b)) != 0)
			break;
		char *save = NULL, *next = NULL;
		for (char *l = strtok_r(b.p, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			if (l[0] == '{' && l[1] == '"' && l[2] == 'h') {
				size_t n = strlen(l);
				if (l[n - 1] == ',')
					l[n - 1] = '\0';
				printf("%s\n%s", count ? "," : "", l);
				count++;
			} else if (strncmp(l, "],\"count\"", 9) == 0 || strncmp(l, "{\"bindings\":[],", 15) == 0) {
				next = strstr(l, "\"next\":\"");
			}
		}
		if (!next)
			break;
		next += 8;
		size_t n = strcspn(next, "\"");
		if (n == 0 || n >= sizeof after) {
			fprintf(stderr, "mip4-ctl: unexpected answer from %s\n", path);
			rc = 1;
			break;
		}
		memcpy(after, next, n);
		after[n] = '\0';
	}
	printf("%s],\"count\":%zu}\n", count ? "\n" : "", count);
	free(b.p);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "after", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_SOCKET, *limit = NULL, *after = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "s:l:a:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': path = optarg; break;
		case 'l': limit = optarg; break;
		case 'a': after = optarg; break;
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
	if (strcmp(cmd, "stats") != 0 && strcmp(cmd, "bindings") != 0 && strcmp(cmd, "metrics") != 0) {
		fprintf(stderr, "mip4-ctl: unknown command '%s' (stats, bindings, metrics)\n", cmd);
		return 2;
	}
	if ((limit || after) && strcmp(cmd, "bindings") != 0) {
		fprintf(stderr, "mip4-ctl: --limit and --after go with bindings\n");
		return 2;
	}
	char *end;
	unsigned long n = limit ? strtoul(limit, &end, 10) : 0;
	struct in_addr a;
	if (limit && (*end || n == 0 || n > 10000 || limit[0] == '-')) {
		fprintf(stderr, "mip4-ctl: --limit: '%s' is not 1..10000\n", limit);
		return 2;
	}
	if (after && inet_pton(AF_INET, after, &a) != 1) {
		fprintf(stderr, "mip4-ctl: --after: '%s' is not an IPv4 address\n", after);
		return 2;
	}
	if (strlen(path) >= sizeof((struct sockaddr_un *)0)->sun_path) {
		fprintf(stderr, "mip4-ctl: socket path too long: %s\n", path);
		return 2;
	}
	if (strcmp(cmd, "bindings") == 0 && !limit && !after)
		return ctl_all_bindings(path);
	char line[96];
	if (strcmp(cmd, "bindings") == 0)
		snprintf(line, sizeof line, "bindings limit %lu%s%s", limit ? n : 1000ul, after ? " after " : "",
		         after ? after : "");
	else
		snprintf(line, sizeof line, "%s", cmd);
	struct ctl_buf b = { 0 };
	int rc = ctl_ask(path, line, &b);
	if (rc == 0)
		fwrite(b.p, 1, b.len, stdout);
	free(b.p);
	return rc;
}
