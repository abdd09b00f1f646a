# bench_ha: mip4-ha's local re-registration cost on one core and the memory of
# 1,000,000 bindings + SAs (HA_CORE_SRCS come from mip4-ha/module.mk).
BENCHES += $(BUILD)/tests/bench/bench_ha
$(BUILD)/tests/bench/bench_ha: $(BUILD)/tests/bench/bench_ha.o $(HA_CORE_OBJS) $(LIBMIP4)
	$(CC) $(LDFLAGS) -o $@ $^ $(CONFUSE_LIBS) $(SSL_LIBS)
