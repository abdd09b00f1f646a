/* The HA journal: records (jrec), and journal.c against real files in a fresh
 * directory: what is noted comes back after a reopen, expired entries do not,
 * damaged and torn stretches are stepped over and counted, a snapshot taken
 * while the tables change replays to the same state, unsafe modes are refused. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/replay.h"
#include "mip4-ha/journal.h"
#include "mip4-ha/jrec.h"

/* ---- records ---- */

static struct jrec rec_binding(uint32_t home)
{
	struct jrec r = { .type = JREC_BINDING, .home = home };
	r.binding.coa = htonl(0xc0000207);
	r.binding.ident = 0x1122334455667788ull;
	r.binding.expires = 1700000600;
	r.binding.since = 1700000000;
	r.binding.granted = 600;
	r.binding.code = 1;
	r.binding.flags = 0x20;
	r.binding.sa_ident = true;
	return r;
}

Test(jrec, every_type_round_trips)
{
	static const uint8_t key[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	static const uint8_t rrp[24] = { 3, 0, 2, 88, 10, 1, 0, 5 };
	struct jrec in[6] = { rec_binding(htonl(0x0a010005)) };
	in[1] = (struct jrec){ .type = JREC_BINDING_DEL, .home = 7, .ident = 99 };
	in[2] = (struct jrec){ .type = JREC_SA, .home = 8 };
	in[2].sa.spi = 4096;
	in[2].sa.alg = 2;
	in[2].sa.replay = 2;
	in[2].sa.key_len = 20;
	in[2].sa.last_ident = 5;
	in[2].sa.expires = 1700003600;
	memcpy(in[2].sa.key, key, 20);
	in[3] = (struct jrec){ .type = JREC_SA_IDENT, .home = 9, .ident = 77 };
	in[4] = (struct jrec){ .type = JREC_SA_DEL, .home = 10 };
	in[5] = (struct jrec){ .type = JREC_REPLY };
	in[5].reply.ident = 1234;
	in[5].reply.expires = 1700000007;
	in[5].reply.mn = (const uint8_t *)"mn1@lab";
	in[5].reply.mn_len = 7;
	in[5].reply.auth = key;
	in[5].reply.auth_len = 16;
	in[5].reply.rrp = rrp;
	in[5].reply.rrp_len = sizeof rrp;
	uint8_t buf[2048];
	size_t off = 0;
	for (int i = 0; i < 6; i++) {
		size_t n = jrec_encode(&in[i], buf + off, sizeof buf - off);
		cr_assert(n > 0 && n % JREC_ALIGN == 0, "type %d", in[i].type);
		off += n;
	}
	struct jscan s;
	struct jrec out;
	jscan_init(&s, buf, off);
	for (int i = 0; i < 6; i++) {
		cr_assert(jscan_next(&s, &out), "record %d", i);
		cr_assert_eq(out.type, in[i].type);
		cr_assert_eq(out.home, in[i].home);
	}
	cr_assert_not(jscan_next(&s, &out));
	cr_expect_eq(s.bad_spans, 0);
	jscan_init(&s, buf, off);
	jscan_next(&s, &out);
	cr_expect(out.binding.coa == in[0].binding.coa && out.binding.ident == in[0].binding.ident &&
	          out.binding.expires == in[0].binding.expires && out.binding.since == in[0].binding.since &&
	          out.binding.granted == 600 && out.binding.code == 1 && out.binding.flags == 0x20 && out.binding.sa_ident);
	jscan_next(&s, &out);
	cr_expect_eq(out.ident, 99);
	jscan_next(&s, &out);
	cr_expect(out.sa.spi == 4096 && out.sa.alg == 2 && out.sa.replay == 2 && out.sa.key_len == 20 &&
	          out.sa.last_ident == 5 && out.sa.expires == 1700003600 && memcmp(out.sa.key, key, 20) == 0);
	jscan_next(&s, &out);
	cr_expect_eq(out.ident, 77);
	jscan_next(&s, &out);
	jscan_next(&s, &out);
	cr_expect(out.reply.ident == 1234 && out.reply.mn_len == 7 && memcmp(out.reply.mn, "mn1@lab", 7) == 0 &&
	          out.reply.auth_len == 16 && memcmp(out.reply.auth, key, 16) == 0 && out.reply.rrp_len == 24 &&
	          memcmp(out.reply.rrp, rrp, 24) == 0);
}

Test(jrec, damage_is_stepped_over_and_counted)
{
	uint8_t buf[48 * 4 + 5];
	size_t off = 0;
	for (uint32_t i = 0; i < 4; i++) {
		struct jrec r = rec_binding(i + 1);
		off += jrec_encode(&r, buf + off, sizeof buf - off);
	}
	buf[48 + 20] ^= 0x01;       /* a bit of record 2 */
	memcpy(buf + off, "\xa7\x01\x30\x00\x00", 5); /* a torn fifth */
	struct jscan s;
	struct jrec r;
	uint32_t seen[4], n = 0;
	jscan_init(&s, buf, off + 5);
	while (jscan_next(&s, &r))
		seen[n++] = r.home;
	cr_assert_eq(n, 3, "records 1, 3 and 4 kept");
	cr_expect(seen[0] == 1 && seen[1] == 3 && seen[2] == 4);
	cr_expect_eq(s.bad_spans, 2);
	cr_expect_eq(s.bad_bytes, 48 + 5);
	cr_expect_eq(s.first_bad, 48);
	cr_expect(s.truncated, "the last stretch ran to the end");
	/* A wrong length or magic is not a record either. */
	struct jrec one = rec_binding(1);
	uint8_t b2[48];
	jrec_encode(&one, b2, sizeof b2);
	b2[2] = 40;
	cr_expect_eq(jrec_decode(b2, sizeof b2, &r), 0);
	jrec_encode(&one, b2, sizeof b2);
	b2[0] = 0;
	cr_expect_eq(jrec_decode(b2, sizeof b2, &r), 0);
	jrec_encode(&one, b2, sizeof b2);
	cr_expect_eq(jrec_decode(b2, 47, &r), 0, "one octet short");
}

Test(jrec, file_header)
{
	uint8_t h[JFILE_HDR_LEN];
	struct jfile_hdr in = { .kind = JFILE_SNAPSHOT, .seq = 42, .created = 1700000000 }, out;
	jfile_hdr_encode(&in, h);
	cr_assert(jfile_hdr_decode(h, sizeof h, &out));
	cr_expect(out.kind == JFILE_SNAPSHOT && out.seq == 42 && out.created == 1700000000);
	h[17] ^= 1;
	cr_expect_not(jfile_hdr_decode(h, sizeof h, &out));
}

/* ---- the journal on disk ---- */

struct tables {
	struct binding_table b;
	struct sa_table s;
	struct pending_table p;
	struct reg_now now;
};

static char dir[64];
static struct conf_journal jc;

static void setup(void)
{
	strcpy(dir, "/tmp/mip4-journal-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	strcat(dir, "/j");
	jc = (struct conf_journal){ .enabled = true, .directory = dir, .sync_interval_ms = 50, .compact_bytes = 1 << 20 };
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(dir) - 2), dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(journal, .init = setup, .fini = teardown);

static void tables_init(struct tables *t, uint32_t max, uint32_t sec, uint64_t unix_sec)
{
	cr_assert_eq(binding_table_init(&t->b, max, sec), 0);
	cr_assert_eq(sa_table_init(&t->s, max, sec), 0);
	cr_assert_eq(pending_init(&t->p, 16), 0);
	t->now.sec = sec;
	t->now.ntp = (unix_sec + REPLAY_NTP_UNIX_OFFSET) << 32;
}

static void tables_fini(struct tables *t)
{
	pending_destroy(&t->p);
	sa_table_destroy(&t->s);
	binding_table_destroy(&t->b);
}

static struct journal *open_j(struct tables *t, struct journal_load *ld)
{
	struct journal *j = journal_open(&jc, NULL, &t->b, &t->s, &t->p, &t->now, ld);
	cr_assert_not_null(j, "journal_open failed (see stderr)");
	return j;
}

static const uint8_t key20[20] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
static const uint8_t key16[16] = { 0xaa, 0xbb };

/* home 10.1.0.N: an AAA SA (key20, SPI 4096, lifetime life_sa) and a binding. */
static void put(struct tables *t, struct journal *j, uint32_t n, uint32_t life_sa, uint16_t life_b, uint64_t ident)
{
	uint32_t home = htonl(0x0a010000u + n);
	struct sa_params sp = { .spi = 4096, .alg = AUTH_HMAC_SHA1, .replay = 2, .key = key20, .key_len = 20,
	                        .expires = life_sa ? t->now.sec + life_sa : 0 };
	struct sa *sa = sa_install(&t->s, home, &sp);
	cr_assert_not_null(sa);
	struct binding *b = binding_get(&t->b, home);
	cr_assert_not_null(b);
	b->coa = htonl(0xc0000200u + n);
	b->ident = ident;
	b->since = t->now.sec;
	b->granted = life_b;
	binding_arm(&t->b, b, t->now.sec + life_b);
	sa->last_ident = ident;
	journal_note(j, home, REG_CHANGED_SA | REG_CHANGED_BINDING, &t->now);
}

Test(journal, changes_survive_a_reopen)
{
	struct tables t;
	struct journal_load ld;
	tables_init(&t, 100, 1000, 1700000000);
	struct sa_params st = { .spi = 300, .alg = AUTH_HMAC_MD5, .replay = 2, .key = key16, .key_len = 16, .is_static = true };
	cr_assert(sa_install(&t.s, htonl(0x0a0100c8), &st));
	struct journal *j = open_j(&t, &ld);
	cr_expect_eq(ld.bindings + ld.sas + ld.records, 0, "a new directory is empty");
	put(&t, j, 1, 3600, 600, 111);
	put(&t, j, 2, 0, 300, 222);
	put(&t, j, 3, 3600, 600, 333);
	/* 3 deregisters: binding gone, SA keeps the deregistration's ident. */
	binding_remove(&t.b, binding_find(&t.b, htonl(0x0a010003)));
	sa_find(&t.s, htonl(0x0a010003))->last_ident = 334;
	journal_note(j, htonl(0x0a010003), REG_CHANGED_BINDING, &t.now);
	/* the static SA accepted an ident (its key stays in the configuration). */
	sa_find(&t.s, htonl(0x0a0100c8))->last_ident = 999;
	journal_note(j, htonl(0x0a0100c8), REG_CHANGED_SA, &t.now);
	/* A cached AAA reply. */
	static const uint8_t rrp[40] = { 3, 0, 2, 88 };
	struct pending *p = pending_restore(&t.p, (const uint8_t *)"mn1@lab", 7, 4321, key16, 16, rrp, sizeof rrp,
	                                    t.now.sec + 7);
	cr_assert_not_null(p);
	journal_note_reply(j, p, &t.now);
	journal_commit(j);
	journal_close(j);
	tables_fini(&t);

	struct stat sb;
	cr_assert_eq(stat(dir, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0700, "directory mode %o", sb.st_mode & 0777);
	char f[128];
	snprintf(f, sizeof f, "%s/log.1", dir);
	cr_assert_eq(stat(f, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0600, "segment mode %o", sb.st_mode & 0777);

	/* Five seconds later, on another boot (another monotonic clock). */
	tables_init(&t, 100, 50, 1700000005);
	cr_assert(sa_install(&t.s, htonl(0x0a0100c8), &st));
	j = open_j(&t, &ld);
	cr_expect_eq(ld.bindings, 2);
	cr_expect_eq(ld.sas, 3, "AAA SAs 1, 2, 3");
	cr_expect_eq(ld.replies, 1);
	cr_expect_eq(ld.bad_spans, 0);
	struct binding *b = binding_find(&t.b, htonl(0x0a010001));
	cr_assert_not_null(b);
	cr_expect_eq(b->coa, htonl(0xc0000201));
	cr_expect_eq(b->ident, 111);
	cr_expect_eq(b->granted, 600);
	cr_expect_eq(b->entry.timer.at, 50 + 595, "expiry carried over the clock change");
	struct sa *sa = sa_find(&t.s, htonl(0x0a010001));
	cr_assert_not_null(sa);
	cr_expect(sa->spi == 4096 && sa->alg == AUTH_HMAC_SHA1 && sa->key_len == 20 && !sa->is_static);
	cr_expect_eq(memcmp(sa->key, key20, 20), 0);
	cr_expect_eq(sa->last_ident, 111);
	cr_expect_eq(sa->entry.timer.at, 50 + 3595);
	cr_expect_not(wheel_armed(&sa_find(&t.s, htonl(0x0a010002))->entry.timer), "no lifetime stays none");
	cr_expect_null(binding_find(&t.b, htonl(0x0a010003)));
	cr_expect_eq(sa_find(&t.s, htonl(0x0a010003))->last_ident, 334);
	cr_expect_eq(sa_find(&t.s, htonl(0x0a0100c8))->last_ident, 999);
	cr_expect(sa_find(&t.s, htonl(0x0a0100c8))->is_static, "the static SA is the configuration's");
	const struct pending *q = pending_find(&t.p, (const uint8_t *)"mn1@lab", 7, 4321);
	cr_assert_not_null(q);
	cr_expect(q->answered && q->rrp_len == sizeof rrp && memcmp(q->rrp, rrp, sizeof rrp) == 0 && q->auth_len == 16);
	cr_expect_eq(q->expires, 50 + 2);
	journal_close(j);
	tables_fini(&t);
}

Test(journal, expired_entries_are_dropped)
{
	struct tables t;
	struct journal_load ld;
	tables_init(&t, 100, 1000, 1700000000);
	struct journal *j = open_j(&t, &ld);
	put(&t, j, 1, 3600, 30, 1);  /* binding ends in 30 s, SA in an hour */
	put(&t, j, 2, 20, 10, 2);    /* both end within 20 s */
	put(&t, j, 3, 3600, 600, 3);
	journal_close(j);
	tables_fini(&t);
	tables_init(&t, 100, 7, 1700000100);
	j = open_j(&t, &ld);
	cr_expect_eq(ld.bindings, 1);
	cr_expect_eq(ld.sas, 2);
	cr_expect_eq(ld.expired, 3);
	cr_expect_null(binding_find(&t.b, htonl(0x0a010001)));
	cr_expect_not_null(sa_find(&t.s, htonl(0x0a010001)));
	cr_expect_null(sa_find(&t.s, htonl(0x0a010002)));
	cr_expect_not_null(binding_find(&t.b, htonl(0x0a010003)));
	journal_close(j);
	tables_fini(&t);
}

static void damage(const char *name, long off, int how)
{
	char f[128];
	snprintf(f, sizeof f, "%s/%s", dir, name);
	int fd = open(f, O_RDWR);
	cr_assert_geq(fd, 0, "%s", f);
	if (how == 0) {
		uint8_t c;
		cr_assert_eq(pread(fd, &c, 1, off), 1);
		c ^= 0x40;
		cr_assert_eq(pwrite(fd, &c, 1, off), 1);
	} else {
		struct stat sb;
		fstat(fd, &sb);
		cr_assert_eq(ftruncate(fd, sb.st_size - off), 0);
	}
	close(fd);
}

Test(journal, damaged_and_torn_segments_keep_every_valid_record)
{
	struct tables t;
	struct journal_load ld;
	tables_init(&t, 100, 1000, 1700000000);
	struct journal *j = open_j(&t, &ld);
	for (uint32_t n = 1; n <= 10; n++)
		put(&t, j, n, 3600, 600, n);
	journal_close(j);
	tables_fini(&t);
	/* Each put is an SA record (88 octets) then a binding (48). */
	damage("log.1", 32 + 136 * 4 + 88 + 10, 0); /* the binding of 10.1.0.5 */
	damage("log.1", 20, 1);                      /* half of the last binding */
	tables_init(&t, 100, 1000, 1700000000);
	j = open_j(&t, &ld);
	cr_expect_eq(ld.bindings, 8, "all but the damaged and the torn binding");
	cr_expect_eq(ld.sas, 10);
	cr_expect_eq(ld.bad_spans, 2);
	cr_expect_eq(ld.bad_bytes, 48 + 28);
	cr_expect_null(binding_find(&t.b, htonl(0x0a010005)));
	cr_expect_null(binding_find(&t.b, htonl(0x0a01000a)));
	cr_expect_not_null(binding_find(&t.b, htonl(0x0a010006)), "records after the damage are kept");
	journal_close(j);
	tables_fini(&t);
}

struct snap_check {
	struct tables *other;
	size_t n;
};

static void same_binding(const struct binding *b, void *arg)
{
	struct snap_check *c = arg;
	const struct binding *o = binding_find(&c->other->b, b->home_addr);
	cr_assert_not_null(o, "binding %08x missing after the replay", b->home_addr);
	cr_assert(o->coa == b->coa && o->ident == b->ident && o->granted == b->granted);
	c->n++;
}

static void same_sa(struct sa *s, void *arg)
{
	struct snap_check *c = arg;
	const struct sa *o = sa_find(&c->other->s, s->home_addr);
	cr_assert_not_null(o, "SA %08x missing after the replay", s->home_addr);
	cr_assert(o->spi == s->spi && o->last_ident == s->last_ident && o->key_len == s->key_len &&
	          memcmp(o->key, s->key, s->key_len) == 0);
	c->n++;
}

Test(journal, snapshot_taken_while_the_tables_change)
{
	struct tables t, r;
	struct journal_load ld;
	tables_init(&t, 20000, 1000, 1700000000);
	struct journal *j = open_j(&t, &ld);
	for (uint32_t n = 1; n <= 12000; n++)
		put(&t, j, n, 3600, 600, n);
	journal_commit(j);
	journal_compact(j);
	uint32_t k = 0;
	while (journal_compact_step(j)) {
		/* Between steps: re-registrations, deregistrations, new nodes, a re-key. */
		for (int i = 0; i < 300; i++, k++) {
			uint32_t n = 1 + (k * 7919) % 12000;
			uint32_t home = htonl(0x0a010000u + n);
			if (k % 5 == 0) {
				struct binding *b = binding_find(&t.b, home);
				if (b)
					binding_remove(&t.b, b);
				journal_note(j, home, REG_CHANGED_BINDING, &t.now);
			} else if (k % 11 == 0) {
				put(&t, j, 12001 + k % 3000, 3600, 600, 5000 + k);
			} else if (k % 13 == 0) {
				struct sa *s = sa_find(&t.s, home);
				if (s) {
					sa_remove(&t.s, s);
					journal_note(j, home, REG_CHANGED_SA, &t.now);
				}
			} else {
				put(&t, j, n, 3600, 600, 100000 + k);
			}
		}
		journal_commit(j);
	}
	journal_wait(j);
	while (journal_compact_step(j))
		;
	struct journal_stats js;
	journal_get_stats(j, &js);
	cr_expect_eq(js.compactions, 1);
	journal_close(j);
	char f[128];
	snprintf(f, sizeof f, "%s/log.1", dir);
	cr_expect_neq(access(f, F_OK), 0, "the segment folded into the snapshot is gone");

	tables_init(&r, 20000, 1000, 1700000000);
	j = open_j(&r, &ld);
	cr_expect_eq(ld.bad_spans, 0);
	cr_expect_eq(r.b.tab.count, t.b.tab.count);
	cr_expect_eq(r.s.tab.count, t.s.tab.count);
	struct snap_check c = { &r, 0 };
	binding_foreach(&t.b, same_binding, &c);
	sa_foreach(&t.s, same_sa, &c);
	cr_expect_eq(c.n, t.b.tab.count + t.s.tab.count);
	journal_close(j);
	tables_fini(&r);
	tables_fini(&t);
}

Test(journal, no_room_beyond_max_bindings)
{
	struct tables t;
	struct journal_load ld;
	tables_init(&t, 100, 1000, 1700000000);
	struct journal *j = open_j(&t, &ld);
	for (uint32_t n = 1; n <= 50; n++)
		put(&t, j, n, 3600, 600, n);
	journal_close(j);
	tables_fini(&t);
	tables_init(&t, 20, 1000, 1700000000);
	j = open_j(&t, &ld);
	cr_expect_eq(ld.bindings, 20);
	cr_expect_eq(ld.no_room, 60, "30 SAs and 30 bindings");
	journal_close(j);
	tables_fini(&t);
}

Test(journal, unsafe_modes_refused)
{
	struct tables t;
	struct journal_load ld;
	tables_init(&t, 10, 1000, 1700000000);
	struct journal *j = open_j(&t, &ld);
	put(&t, j, 1, 3600, 600, 1);
	journal_close(j);
	cr_assert_eq(chmod(dir, 0705), 0);
	cr_expect_null(journal_open(&jc, NULL, &t.b, &t.s, &t.p, &t.now, &ld), "a directory others may enter");
	cr_assert_eq(chmod(dir, 0700), 0);
	char f[128];
	snprintf(f, sizeof f, "%s/log.1", dir);
	cr_assert_eq(chmod(f, 0604), 0);
	cr_expect_null(journal_open(&jc, NULL, &t.b, &t.s, &t.p, &t.now, &ld), "a segment others may read");
	cr_assert_eq(chmod(f, 0600), 0);
	cr_expect_not_null(j = journal_open(&jc, NULL, &t.b, &t.s, &t.p, &t.now, &ld));
	journal_close(j);
	tables_fini(&t);
}

Test(journal, reload_of_a_large_snapshot)
{
	/* Short form of the 1,000,000-binding reload bench (make bench). */
	enum { N = 50000 };
	struct tables t;
	struct journal_load ld;
	tables_init(&t, N, 1000, 1700000000);
	struct journal *j = open_j(&t, &ld);
	for (uint32_t n = 1; n <= N; n++)
		put(&t, j, n, 3600, 600, n);
	journal_commit(j);
	journal_compact(j);
	while (journal_compact_step(j))
		;
	journal_wait(j);
	journal_close(j);
	tables_fini(&t);
	tables_init(&t, N, 1000, 1700000000);
	j = open_j(&t, &ld);
	cr_expect_eq(ld.bindings, N);
	cr_expect_eq(ld.sas, N);
	cr_log_info("journal: %d bindings + SAs reloaded in %.1f ms", N, ld.ms);
	journal_close(j);
	tables_fini(&t);
}
