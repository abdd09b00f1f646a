#include "mip4-ha/journal.h"

#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lib/deadline.h"
#include "lib/log.h"
#include "lib/replay.h"
#include "mip4-ha/jrec.h"

#define JOURNAL_BUF_MAX (1u << 20)    /* noted records written out at the latest at this size */
#define JOURNAL_STEP_ENTRIES 4096     /* snapshot entries per loop turn */
#define JOURNAL_SNAPSHOT "snapshot"
#define JOURNAL_SNAPSHOT_TMP "snapshot.tmp"

enum journal_phase { J_IDLE, J_WALK_SAS, J_WALK_BINDINGS, J_FINISHING };

struct jbuf {
	uint8_t *p;
	size_t len, cap;
	uint64_t lost; /* records dropped for want of memory */
};

struct journal {
	char *dir;
	int dirfd;
	uint32_t sync_ms;
	uint64_t compact_bytes;
	struct binding_table *bindings;
	struct sa_table *sas;
	struct pending_table *pending;
	struct event *ev_step;

	int fd;            /* the current segment */
	uint64_t seq;      /* its number */
	struct jbuf buf;   /* noted, not yet written */
	struct journal_stats st;

	/* the snapshot being taken */
	enum journal_phase phase;
	uint32_t cursor;
	int snap_fd;
	uint64_t snap_base;
	struct jbuf sbuf;
	uint64_t snap_bytes;
	uint32_t now_sec;  /* the clock of the step running (monotonic, wall) */
	uint64_t now_wall;
	struct log_rate err_rate;

	/* the sync thread */
	pthread_t thr;
	bool thr_started;
	pthread_mutex_t lock;
	pthread_cond_t cond, done;
	bool stop;
	atomic_bool dirty;
	int sync_fd;       /* its own descriptor of the current segment */
	int retire_fd;     /* a finished segment: sync, then close */
	bool job, job_done;
	int job_fd, job_rc;
	uint64_t job_base;
	uint64_t thr_syncs;
};

static uint64_t journal_wall(const struct reg_now *now)
{
	return (now->ntp >> 32) - REPLAY_NTP_UNIX_OFFSET;
}

static void journal_clock(struct reg_now *now)
{
	clock_gettime(CLOCK_MONOTONIC, &now->mono);
	now->sec = (uint32_t)now->mono.tv_sec;
	now->ntp = replay_ntp_now();
}

/* Monotonic second at (the tables' clock) to Unix seconds, 0 staying 0. */
static uint64_t journal_to_wall(uint32_t at, uint32_t now_sec, uint64_t now_wall)
{
	if (!at)
		return 0;
	return at >= now_sec ? now_wall + (at - now_sec) : now_wall - (now_sec - at);
}

static int journal_write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void journal_err(struct journal *j, const char *what)
{
	unsigned suppressed = 0;
	if (log_rate_allow(&j->err_rate, time(NULL), 1, &suppressed))
		log_msg(LOG_LEVEL_ERROR, "journal: %s in %s: %s (%u similar suppressed)", what, j->dir, strerror(errno),
		        suppressed);
}

static void jbuf_put(struct jbuf *b, const struct jrec *r)
{
	if (b->cap - b->len < JREC_MAX) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		uint8_t *p = malloc(cap);
		if (!p) {
			b->lost++;
			return;
		}
		if (b->p) {
			memcpy(p, b->p, b->len);
			OPENSSL_cleanse(b->p, b->cap);
			free(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	b->len += jrec_encode(r, b->p + b->len, b->cap - b->len);
}

static void jbuf_free(struct jbuf *b)
{
	if (b->p)
		OPENSSL_cleanse(b->p, b->cap);
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ---- records of the current state ---- */

static void journal_rec_sa(struct jbuf *b, const struct sa *sa, uint32_t now_sec, uint64_t now_wall)
{
	struct jrec r = { .home = sa->home_addr };
	if (sa->is_static) {
		/* The configuration holds the key: only what changes is recorded. */
		r.type = JREC_SA_IDENT;
		r.ident = sa->last_ident;
	} else {
		r.type = JREC_SA;
		r.sa.spi = sa->spi;
		r.sa.alg = sa->alg;
		r.sa.replay = sa->replay;
		r.sa.key_len = sa->key_len;
		r.sa.last_ident = sa->last_ident;
		r.sa.expires = wheel_armed(&sa->entry.timer) ? journal_to_wall(sa->entry.timer.at, now_sec, now_wall) : 0;
		memcpy(r.sa.key, sa->key, sa->key_len);
		r.sa.from_zn = sa->from_zn;
		r.sa.btid_fp = sa->btid_fp;
		r.sa.owner_fp = sa->owner_fp;
	}
	jbuf_put(b, &r);
	OPENSSL_cleanse(&r, sizeof r);
}

static void journal_rec_binding(struct jbuf *b, const struct binding *bd, const struct sa *sa, uint32_t now_sec,
                                uint64_t now_wall)
{
	struct jrec r = { .type = JREC_BINDING, .home = bd->home_addr };
	r.binding.coa = bd->coa;
	r.binding.ident = bd->ident;
	r.binding.expires = journal_to_wall(bd->entry.timer.at, now_sec, now_wall);
	r.binding.since = journal_to_wall(bd->since, now_sec, now_wall);
	r.binding.granted = bd->granted;
	r.binding.code = bd->code;
	r.binding.flags = bd->flags;
	r.binding.sa_ident = sa && sa->last_ident == bd->ident;
	jbuf_put(b, &r);
	if (sa && !r.binding.sa_ident) {
		struct jrec i = { .type = JREC_SA_IDENT, .home = bd->home_addr, .ident = sa->last_ident };
		jbuf_put(b, &i);
	}
}

static void journal_rec_reply(struct jbuf *b, const struct pending *p, uint32_t now_sec, uint64_t now_wall)
{
	struct jrec r = { .type = JREC_REPLY };
	r.reply.ident = p->ident;
	r.reply.expires = journal_to_wall(p->expires, now_sec, now_wall);
	r.reply.mn_len = p->mn_len;
	r.reply.mn = p->mn;
	r.reply.auth_len = p->auth_len;
	r.reply.auth = p->auth;
	r.reply.rrp_len = (uint16_t)p->rrp_len;
	r.reply.rrp = p->rrp;
	jbuf_put(b, &r);
}

void journal_note(struct journal *j, uint32_t home, unsigned changed, const struct reg_now *now)
{
	uint64_t wall = journal_wall(now);
	struct sa *sa = sa_find(j->sas, home);
	if (changed & REG_CHANGED_SA) {
		if (sa) {
			journal_rec_sa(&j->buf, sa, now->sec, wall);
		} else {
			struct jrec r = { .type = JREC_SA_DEL, .home = home };
			jbuf_put(&j->buf, &r);
		}
		j->st.records++;
	}
	if (changed & REG_CHANGED_BINDING) {
		const struct binding *b = binding_find(j->bindings, home);
		if (b) {
			journal_rec_binding(&j->buf, b, sa, now->sec, wall);
		} else {
			struct jrec r = { .type = JREC_BINDING_DEL, .home = home, .ident = sa ? sa->last_ident : 0 };
			jbuf_put(&j->buf, &r);
		}
		j->st.records++;
	}
	if (j->buf.len >= JOURNAL_BUF_MAX)
		journal_commit(j);
}

void journal_note_reply(struct journal *j, const struct pending *p, const struct reg_now *now)
{
	if (!p || !p->answered)
		return;
	journal_rec_reply(&j->buf, p, now->sec, journal_wall(now));
	j->st.records++;
}

/* ---- the sync thread ---- */

static int journal_cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* The numbers N of the segments log.N in the directory, sorted. */
static int journal_segments(int dirfd, uint64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* A duplicate shares the position of the last walk. */
	rewinddir(d);
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end;
		if (strncmp(e->d_name, "log.", 4) != 0)
			continue;
		unsigned long long v = strtoull(e->d_name + 4, &end, 10);
		if (*end || end == e->d_name + 4)
			continue;
		if (*n == cap) {
			uint64_t *p = realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof *p);
			if (!p) {
				closedir(d);
				return -1;
			}
			*out = p;
		}
		(*out)[(*n)++] = v;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, journal_cmp_u64);
	return 0;
}

static void journal_unlink_before(int dirfd, uint64_t base)
{
	uint64_t *seg;
	size_t n;
	if (journal_segments(dirfd, &seg, &n) != 0)
		return;
	for (size_t i = 0; i < n && seg[i] < base; i++) {
		char name[40];
		snprintf(name, sizeof name, "log.%llu", (unsigned long long)seg[i]);
		unlinkat(dirfd, name, 0);
	}
	free(seg);
}

/* A written snapshot: on disk, in place, the segments it replaces gone. */
static int journal_finish_snapshot(int dirfd, int fd, uint64_t base)
{
	int rc = fdatasync(fd);
	close(fd);
	if (rc == 0)
		rc = renameat(dirfd, JOURNAL_SNAPSHOT_TMP, dirfd, JOURNAL_SNAPSHOT);
	if (rc == 0)
		rc = fsync(dirfd);
	if (rc == 0)
		journal_unlink_before(dirfd, base);
	return rc ? errno : 0;
}

static void *journal_thread(void *arg)
{
	struct journal *j = arg;
	pthread_mutex_lock(&j->lock);
	while (!j->stop || j->job || j->retire_fd >= 0) {
		if (j->retire_fd >= 0) {
			int f = j->retire_fd;
			j->retire_fd = -1;
			pthread_mutex_unlock(&j->lock);
			fdatasync(f);
			close(f);
			fsync(j->dirfd); /* the new segment's name */
			pthread_mutex_lock(&j->lock);
			continue;
		}
		if (j->job) {
			int fd = j->job_fd;
			uint64_t base = j->job_base;
			pthread_mutex_unlock(&j->lock);
			int rc = journal_finish_snapshot(j->dirfd, fd, base);
			pthread_mutex_lock(&j->lock);
			j->job = false;
			j->job_done = true;
			j->job_rc = rc;
			pthread_cond_broadcast(&j->done);
			if (j->ev_step)
				event_active(j->ev_step, EV_TIMEOUT, 0);
			continue;
		}
		if (j->stop)
			break;
		if (j->sync_ms) {
			struct timespec t = deadline_in_ms(j->sync_ms);
			pthread_cond_timedwait(&j->cond, &j->lock, &t);
		} else {
			pthread_cond_wait(&j->cond, &j->lock);
		}
		if (j->sync_ms && atomic_exchange(&j->dirty, false) && j->sync_fd >= 0) {
			int f = j->sync_fd;
			pthread_mutex_unlock(&j->lock);
			fdatasync(f);
			pthread_mutex_lock(&j->lock);
			j->thr_syncs++;
		}
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* ---- writing ---- */

static int journal_new_file(struct journal *j, const char *name, enum jfile_kind kind, uint64_t seq, bool excl)
{
	int fd = openat(j->dirfd, name, O_WRONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL | O_APPEND : O_TRUNC), 0600);
	if (fd < 0)
		return -1;
	uint8_t h[JFILE_HDR_LEN];
	struct jfile_hdr hdr = { .kind = kind, .seq = seq, .created = (uint32_t)time(NULL) };
	jfile_hdr_encode(&hdr, h);
	if (journal_write_all(fd, h, sizeof h) != 0) {
		int e = errno;
		close(fd);
		unlinkat(j->dirfd, name, 0);
		errno = e;
		return -1;
	}
	return fd;
}

/* What is noted, out to the current segment. */
static void journal_write(struct journal *j)
{
	if (j->buf.len) {
		if (journal_write_all(j->fd, j->buf.p, j->buf.len) != 0) {
			j->st.write_errors++;
			journal_err(j, "cannot write changes");
		} else {
			j->st.bytes += j->buf.len;
			j->st.log_bytes += j->buf.len;
			if (j->sync_ms == 0) {
				if (fdatasync(j->fd) == 0)
					j->st.syncs++;
				else
					journal_err(j, "cannot sync");
			} else {
				atomic_store(&j->dirty, true);
			}
		}
		OPENSSL_cleanse(j->buf.p, j->buf.len);
		j->buf.len = 0;
	}
}

void journal_commit(struct journal *j)
{
	journal_write(j);
	if (j->phase == J_IDLE && j->st.log_bytes > j->compact_bytes && j->st.log_bytes > j->st.snapshot_bytes)
		journal_compact(j);
}

static void journal_snap_flush(struct journal *j)
{
	if (!j->sbuf.len)
		return;
	if (journal_write_all(j->snap_fd, j->sbuf.p, j->sbuf.len) != 0) {
		j->st.write_errors++;
		journal_err(j, "cannot write the snapshot");
	}
	j->snap_bytes += j->sbuf.len;
	OPENSSL_cleanse(j->sbuf.p, j->sbuf.len);
	j->sbuf.len = 0;
}

static void journal_snap_sa(struct sa *sa, void *arg)
{
	struct journal *j = arg;
	journal_rec_sa(&j->sbuf, sa, j->now_sec, j->now_wall);
}

static void journal_snap_binding(const struct binding *b, void *arg)
{
	struct journal *j = arg;
	journal_rec_binding(&j->sbuf, b, sa_find(j->sas, b->home_addr), j->now_sec, j->now_wall);
}

static void journal_snap_reply(const struct pending *p, void *arg)
{
	struct journal *j = arg;
	journal_rec_reply(&j->sbuf, p, j->now_sec, j->now_wall);
}

void journal_compact(struct journal *j)
{
	if (j->phase != J_IDLE)
		return;
	journal_write(j);
	char name[40];
	uint64_t seq = j->seq + 1;
	snprintf(name, sizeof name, "log.%llu", (unsigned long long)seq);
	int fd = journal_new_file(j, name, JFILE_LOG, seq, true);
	int snap = fd >= 0 ? journal_new_file(j, JOURNAL_SNAPSHOT_TMP, JFILE_SNAPSHOT, seq, false) : -1;
	int sync_dup = snap >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (sync_dup < 0) {
		journal_err(j, "cannot start a snapshot");
		if (snap >= 0) {
			close(snap);
			unlinkat(j->dirfd, JOURNAL_SNAPSHOT_TMP, 0);
		}
		if (fd >= 0) {
			close(fd);
			unlinkat(j->dirfd, name, 0);
		}
		/* Try again once the log has grown by as much again. */
		j->st.snapshot_bytes = j->st.log_bytes;
		return;
	}
	/* From here on, changes go to the new segment, which is replayed after
	 * the snapshot. */
	pthread_mutex_lock(&j->lock);
	if (j->retire_fd >= 0) {
		fdatasync(j->retire_fd);
		close(j->retire_fd);
	}
	j->retire_fd = j->sync_fd;
	j->sync_fd = sync_dup;
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
	close(j->fd);
	j->fd = fd;
	j->seq = seq;
	j->st.log_bytes = 0;
	j->snap_fd = snap;
	j->snap_base = seq;
	j->snap_bytes = JFILE_HDR_LEN;
	j->phase = J_WALK_SAS;
	j->cursor = 0;
	if (j->ev_step) {
		struct timeval zero = { 0, 0 };
		evtimer_add(j->ev_step, &zero);
	}
}

bool journal_compact_step(struct journal *j)
{
	struct reg_now now;
	journal_clock(&now);
	j->now_sec = now.sec;
	j->now_wall = journal_wall(&now);
	switch (j->phase) {
	case J_IDLE:
		return false;
	case J_WALK_SAS:
		j->cursor = sa_foreach_from(j->sas, j->cursor, JOURNAL_STEP_ENTRIES, journal_snap_sa, j);
		if (j->cursor >= sa_walk_end(j->sas)) {
			j->phase = J_WALK_BINDINGS;
			j->cursor = 0;
		}
		journal_snap_flush(j);
		return true;
	case J_WALK_BINDINGS:
		j->cursor = binding_foreach_from(j->bindings, j->cursor, JOURNAL_STEP_ENTRIES, journal_snap_binding, j);
		if (j->cursor >= binding_walk_end(j->bindings)) {
			pending_foreach_answered(j->pending, journal_snap_reply, j);
			journal_snap_flush(j);
			pthread_mutex_lock(&j->lock);
			j->job = true;
			j->job_done = false;
			j->job_fd = j->snap_fd;
			j->job_base = j->snap_base;
			pthread_cond_signal(&j->cond);
			pthread_mutex_unlock(&j->lock);
			j->snap_fd = -1;
			j->phase = J_FINISHING;
			return false;
		}
		journal_snap_flush(j);
		return true;
	case J_FINISHING:
		pthread_mutex_lock(&j->lock);
		bool done = j->job_done;
		int rc = j->job_rc;
		pthread_mutex_unlock(&j->lock);
		if (!done)
			return false;
		j->phase = J_IDLE;
		if (rc == 0) {
			j->st.compactions++;
			j->st.snapshot_bytes = j->snap_bytes;
			log_msg(LOG_LEVEL_INFO, "journal: snapshot of %llu octets written, segments before %llu removed",
			        (unsigned long long)j->snap_bytes, (unsigned long long)j->snap_base);
		} else {
			errno = rc;
			journal_err(j, "cannot put the snapshot in place");
			unlinkat(j->dirfd, JOURNAL_SNAPSHOT_TMP, 0);
			j->st.snapshot_bytes = j->st.log_bytes;
		}
		return false;
	}
	return false;
}

void journal_wait(struct journal *j)
{
	pthread_mutex_lock(&j->lock);
	while (j->job)
		pthread_cond_wait(&j->done, &j->lock);
	pthread_mutex_unlock(&j->lock);
}

static void journal_on_step(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct journal *j = arg;
	log_batch_begin();
	if (journal_compact_step(j)) {
		struct timeval zero = { 0, 0 };
		evtimer_add(j->ev_step, &zero);
	}
	log_batch_end();
}

void journal_get_stats(struct journal *j, struct journal_stats *st)
{
	*st = j->st;
	st->write_errors += j->buf.lost + j->sbuf.lost;
	pthread_mutex_lock(&j->lock);
	st->syncs += j->thr_syncs;
	pthread_mutex_unlock(&j->lock);
}

/* ---- loading ---- */

struct journal_apply {
	struct journal *j;
	struct journal_load *ld;
	uint32_t now_sec;
	uint64_t now_wall;
};

static uint32_t journal_to_mono(uint64_t wall, const struct journal_apply *a)
{
	return wall > a->now_wall ? a->now_sec + (uint32_t)(wall - a->now_wall) : a->now_sec;
}

static uint32_t journal_since_mono(uint64_t wall, const struct journal_apply *a)
{
	if (wall >= a->now_wall)
		return a->now_sec;
	uint64_t ago = a->now_wall - wall;
	return ago < a->now_sec ? a->now_sec - (uint32_t)ago : 0;
}

static void journal_apply(struct journal_apply *a, struct jrec *r)
{
	struct journal *j = a->j;
	struct binding *b;
	struct sa *sa;
	switch (r->type) {
	case JREC_BINDING:
		if (r->binding.expires <= a->now_wall) {
			a->ld->expired++;
			if ((b = binding_find(j->bindings, r->home)))
				binding_remove(j->bindings, b);
			break;
		}
		if (!(b = binding_get(j->bindings, r->home))) {
			a->ld->no_room++;
			break;
		}
		b->coa = r->binding.coa;
		b->ident = r->binding.ident;
		b->since = journal_since_mono(r->binding.since, a);
		b->granted = r->binding.granted;
		b->code = r->binding.code;
		b->flags = r->binding.flags;
		binding_arm(j->bindings, b, journal_to_mono(r->binding.expires, a));
		if (r->binding.sa_ident && (sa = sa_find(j->sas, r->home)))
			sa->last_ident = r->binding.ident;
		break;
	case JREC_BINDING_DEL:
		if ((b = binding_find(j->bindings, r->home)))
			binding_remove(j->bindings, b);
		if (r->ident && (sa = sa_find(j->sas, r->home)))
			sa->last_ident = r->ident;
		break;
	case JREC_SA:
		if (r->sa.expires && r->sa.expires <= a->now_wall) {
			a->ld->expired++;
			if ((sa = sa_find(j->sas, r->home)))
				sa_remove(j->sas, sa);
			break;
		}
		{
			struct sa_params p = {
				.spi = r->sa.spi, .alg = (enum auth_alg)r->sa.alg, .replay = r->sa.replay, .key = r->sa.key,
				.key_len = r->sa.key_len, .expires = r->sa.expires ? journal_to_mono(r->sa.expires, a) : 0,
				.is_static = false, .from_zn = r->sa.from_zn, .btid_fp = r->sa.btid_fp,
				.owner_fp = r->sa.owner_fp,
			};
			if (!(sa = sa_install(j->sas, r->home, &p))) {
				a->ld->no_room++;
				break;
			}
			sa->last_ident = r->sa.last_ident;
		}
		break;
	case JREC_SA_IDENT:
		if ((sa = sa_find(j->sas, r->home)))
			sa->last_ident = r->ident;
		break;
	case JREC_SA_DEL:
		if ((sa = sa_find(j->sas, r->home)))
			sa_remove(j->sas, sa);
		break;
	case JREC_REPLY:
		if (r->reply.expires <= a->now_wall) {
			a->ld->expired++;
			break;
		}
		pending_restore(j->pending, r->reply.mn, r->reply.mn_len, r->reply.ident, r->reply.auth, r->reply.auth_len,
		                r->reply.rrp, r->reply.rrp_len, journal_to_mono(r->reply.expires, a));
		break;
	}
}

/* Map name in the directory; *hdr from its header.  0, or -1 with errno
 * (ENOENT when absent, EBADMSG when the header is not one of ours). */
static int journal_map(struct journal *j, const char *name, const uint8_t **map, size_t *len, struct jfile_hdr *hdr)
{
	int fd = openat(j->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	if (st.st_mode & S_IRWXO) {
		fprintf(stderr, "%s/%s: holds keys but is accessible by other (mode %04o): refusing; chmod o-rwx\n", j->dir,
		        name, (unsigned)(st.st_mode & 07777));
		close(fd);
		errno = EPERM;
		return -1;
	}
	*len = (size_t)st.st_size;
	*map = NULL;
	if (*len) {
		void *m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			close(fd);
			return -1;
		}
		madvise(m, *len, MADV_SEQUENTIAL);
		*map = m;
	}
	close(fd);
	if (!*map || !jfile_hdr_decode(*map, *len, hdr)) {
		if (*map)
			munmap((void *)*map, *len);
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

static void journal_replay(struct journal_apply *a, const char *name, const uint8_t *map, size_t len)
{
	struct jscan s;
	struct jrec r;
	jscan_init(&s, map + JFILE_HDR_LEN, len - JFILE_HDR_LEN);
	while (jscan_next(&s, &r)) {
		journal_apply(a, &r);
		a->ld->records++;
	}
	OPENSSL_cleanse(&r, sizeof r);
	a->ld->files++;
	a->ld->bytes += len;
	if (s.bad_spans) {
		a->ld->bad_spans += s.bad_spans;
		a->ld->bad_bytes += s.bad_bytes;
		log_msg(LOG_LEVEL_WARNING, "journal: %s/%s: %zu damaged stretch(es), %zu octets, the first at offset %zu%s: "
		                           "dropped, every valid record kept",
		        a->j->dir, name, s.bad_spans, s.bad_bytes, s.first_bad + JFILE_HDR_LEN,
		        s.truncated ? " (the tail was torn)" : "");
	}
}

static int journal_load(struct journal *j, const struct reg_now *now, struct journal_load *ld)
{
	struct journal_apply a = { j, ld, now->sec, journal_wall(now) };
	const uint8_t *map;
	size_t len;
	struct jfile_hdr h;
	uint64_t base = 0;
	unlinkat(j->dirfd, JOURNAL_SNAPSHOT_TMP, 0);
	if (journal_map(j, JOURNAL_SNAPSHOT, &map, &len, &h) == 0) {
		if (h.kind == JFILE_SNAPSHOT) {
			base = h.seq;
			journal_replay(&a, JOURNAL_SNAPSHOT, map, len);
			j->st.snapshot_bytes = len;
		} else {
			log_msg(LOG_LEVEL_WARNING, "journal: %s/%s is not a snapshot: ignored", j->dir, JOURNAL_SNAPSHOT);
		}
		munmap((void *)map, len);
	} else if (errno == EPERM) {
		return -1;
	} else if (errno == EBADMSG) {
		/* Without its header, where the segments start is unknown: all are read. */
		log_msg(LOG_LEVEL_WARNING, "journal: %s/%s: damaged header: the snapshot is dropped, every segment read",
		        j->dir, JOURNAL_SNAPSHOT);
		ld->bad_spans++;
	} else if (errno != ENOENT) {
		fprintf(stderr, "%s/%s: %s\n", j->dir, JOURNAL_SNAPSHOT, strerror(errno));
		return -1;
	}
	uint64_t *seg;
	size_t n;
	if (journal_segments(j->dirfd, &seg, &n) != 0) {
		fprintf(stderr, "%s: cannot list: %s\n", j->dir, strerror(errno));
		return -1;
	}
	j->seq = base ? base : 1;
	for (size_t i = 0; i < n; i++) {
		char name[40];
		snprintf(name, sizeof name, "log.%llu", (unsigned long long)seg[i]);
		if (seg[i] >= j->seq)
			j->seq = seg[i] + 1;
		if (seg[i] < base) {
			unlinkat(j->dirfd, name, 0);
			continue;
		}
		if (journal_map(j, name, &map, &len, &h) != 0) {
			if (errno == EPERM) {
				free(seg);
				return -1;
			}
			log_msg(LOG_LEVEL_WARNING, "journal: %s/%s: %s: dropped", j->dir, name,
			        errno == EBADMSG ? "not a journal segment (damaged header)" : strerror(errno));
			ld->bad_spans++;
			continue;
		}
		journal_replay(&a, name, map, len);
		j->st.log_bytes += len;
		munmap((void *)map, len);
	}
	free(seg);
	return 0;
}

static void journal_count_sa(struct sa *s, void *arg)
{
	*(size_t *)arg += !s->is_static;
}

static void journal_count_reply(const struct pending *p, void *arg)
{
	(void)p;
	(*(size_t *)arg)++;
}

struct journal *journal_open(const struct conf_journal *jc, struct event_base *base, struct binding_table *b,
                             struct sa_table *s, struct pending_table *p, const struct reg_now *now,
                             struct journal_load *ld)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(ld, 0, sizeof *ld);
	struct journal *j = calloc(1, sizeof *j);
	if (!j || !(j->dir = strdup(jc->directory))) {
		free(j);
		fprintf(stderr, "mip4-ha: journal: out of memory\n");
		return NULL;
	}
	j->dirfd = j->fd = j->snap_fd = j->sync_fd = j->retire_fd = -1;
	j->sync_ms = jc->sync_interval_ms;
	j->compact_bytes = jc->compact_bytes;
	j->bindings = b;
	j->sas = s;
	j->pending = p;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->cond, NULL);
	pthread_cond_init(&j->done, NULL);
	if (mkdir(j->dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "%s: cannot create the journal directory: %s\n", j->dir, strerror(errno));
		goto fail;
	}
	struct stat st;
	j->dirfd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->dirfd < 0 || fstat(j->dirfd, &st) != 0) {
		fprintf(stderr, "%s: cannot open the journal directory: %s\n", j->dir, strerror(errno));
		goto fail;
	}
	if (st.st_mode & S_IRWXO) {
		fprintf(stderr, "%s: the journal holds keys but its directory is accessible by other (mode %04o): "
		                "refusing; chmod 700\n", j->dir, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (journal_load(j, now, ld) != 0)
		goto fail;
	char name[40];
	snprintf(name, sizeof name, "log.%llu", (unsigned long long)j->seq);
	if ((j->fd = journal_new_file(j, name, JFILE_LOG, j->seq, true)) < 0 ||
	    (j->sync_fd = fcntl(j->fd, F_DUPFD_CLOEXEC, 0)) < 0 || fsync(j->dirfd) != 0) {
		fprintf(stderr, "%s/%s: cannot start a journal segment: %s\n", j->dir, name, strerror(errno));
		goto fail;
	}
	if (base && !(j->ev_step = evtimer_new(base, journal_on_step, j))) {
		fprintf(stderr, "mip4-ha: journal: out of memory\n");
		goto fail;
	}
	if (pthread_create(&j->thr, NULL, journal_thread, j) != 0) {
		fprintf(stderr, "mip4-ha: journal: cannot start its thread\n");
		goto fail;
	}
	j->thr_started = true;
	ld->bindings = b->tab.count;
	sa_foreach(s, journal_count_sa, &ld->sas);
	pending_foreach_answered(p, journal_count_reply, &ld->replies);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ld->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* Fold what was read into a snapshot: the next start reads less. */
	if (j->st.log_bytes > 0 || ld->bad_spans)
		journal_compact(j);
	return j;
fail:
	journal_close(j);
	return NULL;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0) {
		if (j->phase == J_WALK_SAS || j->phase == J_WALK_BINDINGS) {
			/* An unfinished snapshot is of no use: the segments hold everything. */
			close(j->snap_fd);
			j->snap_fd = -1;
			unlinkat(j->dirfd, JOURNAL_SNAPSHOT_TMP, 0);
		}
		journal_write(j);
		if (fdatasync(j->fd) != 0)
			journal_err(j, "cannot sync");
	}
	if (j->thr_started) {
		pthread_mutex_lock(&j->lock);
		j->stop = true;
		pthread_cond_signal(&j->cond);
		pthread_mutex_unlock(&j->lock);
		pthread_join(j->thr, NULL);
	}
	int fds[] = { j->fd, j->sync_fd, j->retire_fd, j->snap_fd, j->dirfd };
	for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (j->ev_step)
		event_free(j->ev_step);
	jbuf_free(&j->buf);
	jbuf_free(&j->sbuf);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->cond);
	pthread_cond_destroy(&j->done);
	free(j->dir);
	free(j);
}
