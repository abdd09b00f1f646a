#include "aaa-naf/pool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest owner a state file may hold: the key sources' owner buffer. */
#define POOL_OWNER_MAX 255

struct pool_owner {
	struct pool_owner *next;
	uint32_t addr; /* host order */
	size_t len;
	char name[];
};

struct pool_range {
	uint32_t first, last, next; /* next: where the search for a free address resumes */
	uint8_t *used;              /* bitmap */
};

struct pool {
	pthread_mutex_t lock;
	struct pool_range *ranges;
	size_t n_ranges;
	struct pool_owner **buckets;
	size_t n_buckets, n_owners;
	int state_fd;       /* -1: assignments live only in memory */
	off_t state_size;   /* end of the last record known to be on disk */
	bool state_broken;  /* a failed record could not be undone: no new assignments */
	char state_path[PATH_MAX];
};

static uint64_t pool_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
	return h;
}

struct pool *pool_new(const struct conf_pool *ranges, size_t n)
{
	struct pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	p->state_fd = -1;
	p->n_buckets = 1024;
	p->buckets = calloc(p->n_buckets, sizeof(*p->buckets));
	p->ranges = n ? calloc(n, sizeof(*p->ranges)) : NULL;
	if (!p->buckets || (n && !p->ranges)) {
		pool_free(p);
		return NULL;
	}
	p->n_ranges = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t size = (uint64_t)ranges[i].last - ranges[i].first + 1;
		if (ranges[i].last < ranges[i].first || size > POOL_MAX_ADDRESSES) {
			pool_free(p);
			return NULL;
		}
		p->ranges[i].first = p->ranges[i].next = ranges[i].first;
		p->ranges[i].last = ranges[i].last;
		p->ranges[i].used = calloc((size_t)(size + 7) / 8, 1);
		if (!p->ranges[i].used) {
			pool_free(p);
			return NULL;
		}
	}
	return p;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	for (size_t b = 0; p->buckets && b < p->n_buckets; b++) {
		for (struct pool_owner *o = p->buckets[b], *nx; o; o = nx) {
			nx = o->next;
			free(o);
		}
	}
	for (size_t i = 0; p->ranges && i < p->n_ranges; i++)
		free(p->ranges[i].used);
	free(p->ranges);
	free(p->buckets);
	if (p->state_fd >= 0)
		close(p->state_fd);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static bool pool_take(struct pool_range *r, uint32_t *addr)
{
	uint64_t size = (uint64_t)r->last - r->first + 1;
	for (uint64_t k = 0; k < size; k++) {
		uint32_t a = r->next;
		uint32_t i = a - r->first;
		r->next = a == r->last ? r->first : a + 1;
		if (!(r->used[i / 8] & (1u << (i % 8)))) {
			r->used[i / 8] |= (uint8_t)(1u << (i % 8));
			*addr = a;
			return true;
		}
	}
	return false;
}

static struct pool_owner *pool_find(struct pool *p, const char *owner, size_t owner_len)
{
	size_t b = pool_hash(owner, owner_len) % p->n_buckets;
	for (struct pool_owner *o = p->buckets[b]; o; o = o->next) {
		if (o->len == owner_len && memcmp(o->name, owner, owner_len) == 0)
			return o;
	}
	return NULL;
}

static bool pool_insert(struct pool *p, const char *owner, size_t owner_len, uint32_t a)
{
	struct pool_owner *o = malloc(sizeof(*o) + owner_len + 1);
	if (!o)
		return false;
	size_t b = pool_hash(owner, owner_len) % p->n_buckets;
	o->addr = a;
	o->len = owner_len;
	memcpy(o->name, owner, owner_len);
	o->name[owner_len] = '\0';
	o->next = p->buckets[b];
	p->buckets[b] = o;
	p->n_owners++;
	return true;
}

/* Undoes the pool_insert just made for owner (it is its bucket's head). */
static void pool_forget(struct pool *p, const char *owner, size_t owner_len)
{
	size_t b = pool_hash(owner, owner_len) % p->n_buckets;
	struct pool_owner *o = p->buckets[b];
	p->buckets[b] = o->next;
	p->n_owners--;
	free(o);
}

static struct pool_range *pool_range_of(struct pool *p, uint32_t a)
{
	for (size_t i = 0; i < p->n_ranges; i++) {
		if (a >= p->ranges[i].first && a <= p->ranges[i].last)
			return &p->ranges[i];
	}
	return NULL;
}

static bool pool_is_used(const struct pool_range *r, uint32_t a)
{
	uint32_t k = a - r->first;
	return r->used[k / 8] & (1u << (k % 8));
}

static void pool_set_used(struct pool_range *r, uint32_t a, bool used)
{
	uint32_t k = a - r->first;
	if (used)
		r->used[k / 8] |= (uint8_t)(1u << (k % 8));
	else
		r->used[k / 8] &= (uint8_t)~(1u << (k % 8));
}

/* Gives back an address pool_take just took: the next owner gets it. */
static void pool_release(struct pool_range *r, uint32_t a)
{
	pool_set_used(r, a, false);
	r->next = a;
}

/* An owner the state file can hold unambiguously on its line. */
static bool pool_owner_storable(const char *owner, size_t len)
{
	if (len == 0 || len > POOL_OWNER_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if ((uint8_t)owner[i] <= 0x20 || (uint8_t)owner[i] == 0x7f)
			return false;
	}
	return true;
}

static long pool_state_fail(struct pool *p, char *err, size_t errlen, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static long pool_state_fail(struct pool *p, char *err, size_t errlen, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(err, errlen, "%s:%d: %s", p->state_path, line, msg);
	else
		snprintf(err, errlen, "%s: %s", p->state_path, msg);
	return -1;
}

/* A newly created file only survives a crash once its directory entry does. */
static int pool_sync_dir(const char *path)
{
	char copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = fsync(dfd);
	close(dfd);
	return rc;
}

/* Parses the records of an open state file into p; returns the count or -1. */
static long pool_state_parse(struct pool *p, FILE *f, int *torn_line, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0;
	long count = 0, rc = -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] != '\n') {
			/* Only the last record can lack its newline, and only when a crash
			 * cut its write short: its AMA never went out (that waits for the
			 * fsync), so the assignment was never made.  Drop it. */
			*torn_line = lineno;
			break;
		}
		line[--n] = '\0';
		char *sp = strchr(line, ' ');
		if ((size_t)n != strlen(line) || !sp || sp == line) {
			pool_state_fail(p, err, errlen, lineno, "expected 'OWNER ADDRESS' (IMPI or NAI, one blank, IPv4 address)");
			goto out;
		}
		size_t olen = (size_t)(sp - line);
		struct in_addr in;
		if (!pool_owner_storable(line, olen)) {
			pool_state_fail(p, err, errlen, lineno, "owner longer than %d characters or holding control characters",
			                POOL_OWNER_MAX);
			goto out;
		}
		if (inet_pton(AF_INET, sp + 1, &in) != 1) {
			pool_state_fail(p, err, errlen, lineno, "'%.64s' is not an IPv4 address", sp + 1);
			goto out;
		}
		uint32_t a = ntohl(in.s_addr);
		struct pool_range *r = pool_range_of(p, a);
		if (!r) {
			pool_state_fail(p, err, errlen, lineno, "address %s is in no configured pool", sp + 1);
			goto out;
		}
		if (pool_is_used(r, a)) {
			pool_state_fail(p, err, errlen, lineno, "address %s is assigned twice", sp + 1);
			goto out;
		}
		if (pool_find(p, line, olen)) {
			pool_state_fail(p, err, errlen, lineno, "owner listed twice");
			goto out;
		}
		if (!pool_insert(p, line, olen, a)) {
			pool_state_fail(p, err, errlen, lineno, "out of memory");
			goto out;
		}
		pool_set_used(r, a, true);
		p->state_size += n + 1;
		count++;
	}
	if (ferror(f)) {
		pool_state_fail(p, err, errlen, 0, "read: %s", strerror(errno));
		goto out;
	}
	rc = count;
out:
	free(line);
	return rc;
}

long pool_state_open(struct pool *p, const char *path, int *torn_line, char *err, size_t errlen)
{
	snprintf(p->state_path, sizeof(p->state_path), "%s", path);
	*torn_line = 0;
	bool created = false;
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_CREAT | O_EXCL, 0600);
		created = fd >= 0;
	}
	if (fd < 0)
		return pool_state_fail(p, err, errlen, 0, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return pool_state_fail(p, err, errlen, 0, "stat: %s", strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return pool_state_fail(p, err, errlen, 0, "not a regular file");
	}
	/* It maps subscriber identities (IMPIs) to addresses. */
	if (st.st_mode & S_IRWXO) {
		close(fd);
		return pool_state_fail(p, err, errlen, 0,
		                       "holds subscriber identities but is accessible by other (mode %04o): refusing; chmod o-rwx",
		                       (unsigned)(st.st_mode & 07777));
	}
	if (created && pool_sync_dir(path) != 0) {
		close(fd);
		return pool_state_fail(p, err, errlen, 0, "cannot sync its directory: %s", strerror(errno));
	}
	int rfd = dup(fd);
	FILE *f = rfd >= 0 ? fdopen(rfd, "r") : NULL;
	if (!f) {
		if (rfd >= 0)
			close(rfd);
		close(fd);
		return pool_state_fail(p, err, errlen, 0, "cannot read: %s", strerror(errno));
	}
	pthread_mutex_lock(&p->lock);
	p->state_size = 0;
	long count = pool_state_parse(p, f, torn_line, err, errlen);
	fclose(f);
	if (count >= 0 && *torn_line && ftruncate(fd, p->state_size) != 0)
		count = pool_state_fail(p, err, errlen, *torn_line, "incomplete last record, cannot cut it off: %s",
		                        strerror(errno));
	if (count >= 0)
		p->state_fd = fd;
	else
		close(fd);
	pthread_mutex_unlock(&p->lock);
	return count;
}

/* Records a new assignment durably before it is handed out.  Appending one
 * line and fdatasync-ing it is the cheap way that survives a crash: one small
 * write and one flush per NEW owner whatever the file's size (rewriting a
 * temporary copy and renaming it would copy every record and need a second
 * flush for the directory), and a crash can at worst leave the last line
 * incomplete, which pool_state_open drops (it was never acknowledged).  A
 * failed record is cut off again so that the next one starts on a line of its
 * own; if even that fails, no new assignment is made any more. */
static bool pool_state_record(struct pool *p, const char *owner, size_t owner_len, uint32_t a)
{
	if (p->state_broken)
		return false;
	char buf[POOL_OWNER_MAX + sizeof(" 255.255.255.255\n")];
	struct in_addr in = { .s_addr = htonl(a) };
	char text[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &in, text, sizeof(text));
	int len = snprintf(buf, sizeof(buf), "%.*s %s\n", (int)owner_len, owner, text);
	size_t done = 0;
	while (done < (size_t)len) {
		ssize_t w = write(p->state_fd, buf + done, (size_t)len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done == (size_t)len && fdatasync(p->state_fd) == 0) {
		p->state_size += len;
		return true;
	}
	if (ftruncate(p->state_fd, p->state_size) != 0)
		p->state_broken = true;
	return false;
}

enum pool_result pool_assign(struct pool *p, const char *owner, size_t owner_len, uint32_t *addr)
{
	if (p->n_ranges == 0)
		return POOL_NOT_CONFIGURED;
	enum pool_result res = POOL_EXHAUSTED;
	pthread_mutex_lock(&p->lock);
	struct pool_owner *known = pool_find(p, owner, owner_len);
	if (known) {
		*addr = htonl(known->addr);
		res = POOL_OK;
		goto out;
	}
	if (p->state_fd >= 0 && !pool_owner_storable(owner, owner_len)) {
		res = POOL_BAD_OWNER;
		goto out;
	}
	uint32_t a;
	for (size_t i = 0; i < p->n_ranges; i++) {
		if (!pool_take(&p->ranges[i], &a))
			continue;
		if (!pool_insert(p, owner, owner_len, a)) {
			pool_release(&p->ranges[i], a);
			res = POOL_NO_MEMORY;
			goto out;
		}
		if (p->state_fd >= 0 && !pool_state_record(p, owner, owner_len, a)) {
			pool_forget(p, owner, owner_len);
			pool_release(&p->ranges[i], a);
			res = POOL_STATE_ERROR;
			goto out;
		}
		*addr = htonl(a);
		res = POOL_OK;
		break;
	}
out:
	pthread_mutex_unlock(&p->lock);
	return res;
}

size_t pool_used(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->n_owners;
	pthread_mutex_unlock(&p->lock);
	return n;
}
