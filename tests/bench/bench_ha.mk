# bench_ha: mip4-ha's local re-registration cost on one core and the memory of
# 1,000,000 bindings + SAs (HA_CORE_SRCS come from mip4-ha/module.mk).
BENCHES += $(BUILD)/tests/bench/bench_ha
$(BUILD)/tests/bench/bench_ha: $(BUILD)/tests/bench/bench_ha.o $(HA_CORE_OBJS) $(LIBMIP4)
	$(CC) $(LDFLAGS) -o $@ $^ $(CONFUSE_LIBS) $(SSL_LIBS)
# bench_journal: the journal's noting rate, snapshot and the reload of 1,000,000
# bindings + SAs; --make writes a journal for the daemon's reload bench.
BENCHES += $(BUILD)/tests/bench/bench_journal
$(BUILD)/tests/bench/bench_journal: $(BUILD)/tests/bench/bench_journal.o $(HA_CORE_OBJS) \
		$(patsubst %.c,$(BUILD)/%.o,$(HA_JOURNAL_SRCS)) $(LIBMIP4)
	$(CC) $(LDFLAGS) -o $@ $^ $(CONFUSE_LIBS) $(EVENT_LIBS) $(SSL_LIBS)
# The integration tests make large journals with it too (36-ha-ctl-bindings).
TEST_PROGRAMS += $(BUILD)/tests/bench/bench_journal
