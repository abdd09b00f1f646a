/*
 * journal: the HA's bindings, security associations (keys included) and the
 * cached replies of AAA-authenticated requests, on disk, so that they survive
 * a restart, kill -9 included.
 *
 * A directory (mode 0700) holds a snapshot and log segments (mode 0600).  Every
 * change is appended to the current segment as a record (jrec.h), and the
 * records of a batch are written to the file before the replies of that batch
 * leave (journal_commit, called from the UDP socket's flush): once a reply is
 * out, the change it announces is in the kernel's hands, whatever happens to
 * the process.  A thread calls fdatasync every sync_interval_ms (0: the loop
 * does, before the replies), which bounds what a power cut can lose.
 * When the segments outgrow compact_bytes (and the last snapshot), a new
 * segment is started and a snapshot of the tables is written a few thousand
 * entries per loop turn, then synced and renamed into place by the thread,
 * which deletes the segments it replaces.  The snapshot is taken while the
 * tables change; every change made meanwhile is in the new segment, replayed
 * after it, and records are absolute, so the replay ends in the right state.
 * At start, the snapshot and the segments after it are read back: entries past
 * their lifetime are dropped, damaged or torn stretches are stepped over and
 * reported, everything valid is kept.
 * Loop thread only, apart from the sync thread inside.  Keys are never logged.
 */
#ifndef MIP4_HA_JOURNAL_H
#define MIP4_HA_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mip4-ha/binding.h"
#include "mip4-ha/conf.h"
#include "mip4-ha/pending.h"
#include "mip4-ha/reg_process.h"
#include "mip4-ha/sa.h"

struct event_base;
struct journal;

/* What journal_open found and put back. */
struct journal_load {
	size_t bindings, sas, replies; /* in the tables afterwards (SAs: those the AAA made) */
	size_t expired;                /* records of entries whose lifetime had ended */
	size_t no_room;                /* bindings or SAs beyond max_bindings */
	size_t files, records;
	uint64_t bytes;
	size_t bad_spans, bad_bytes;   /* damaged or torn stretches stepped over */
	double ms;
};

struct journal_stats {
	uint64_t records, bytes, syncs, write_errors, compactions;
	uint64_t log_bytes;      /* in the segments since the last snapshot */
	uint64_t snapshot_bytes; /* of the last snapshot */
};

/* Open (creating it 0700 if missing) the directory, load it into the tables
 * (static SAs already installed: the journal's AAA keys replace them as they
 * did before the restart) and start a new segment.  base: the loop the
 * snapshot steps run on; NULL to drive them with journal_compact_step.
 * NULL after printing one line on stderr naming the path. */
struct journal *journal_open(const struct conf_journal *jc, struct event_base *base, struct binding_table *b,
                             struct sa_table *s, struct pending_table *p, const struct reg_now *now,
                             struct journal_load *ld);
/* Record the state of home for what changed (REG_CHANGED_*). */
void journal_note(struct journal *j, uint32_t home, unsigned changed, const struct reg_now *now);
/* Record the cached reply of an answered pending entry. */
void journal_note_reply(struct journal *j, const struct pending *p, const struct reg_now *now);
/* Write the records noted so far (with sync_interval_ms 0, fdatasync too);
 * call before replies leave.  May start a snapshot. */
void journal_commit(struct journal *j);
/* Start a snapshot now (if none is running). */
void journal_compact(struct journal *j);
/* One step of a running snapshot; false when none is running or it is done
 * (journal_wait waits for the sync thread's part). */
bool journal_compact_step(struct journal *j);
/* Wait until the sync thread has finished the snapshot it was given. */
void journal_wait(struct journal *j);
void journal_get_stats(struct journal *j, struct journal_stats *st);
/* Write and sync what is noted, stop the thread, close.  NULL is fine. */
void journal_close(struct journal *j);

#endif
