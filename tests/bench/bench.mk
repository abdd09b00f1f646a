# Benchmark programs (make bench runs tests/bench/run.sh).
BENCHES += $(BUILD)/tests/bench/bench_lib
$(BUILD)/tests/bench/bench_lib: $(BUILD)/tests/bench/bench_lib.o $(LIBMIP4)
	$(CC) $(LDFLAGS) -o $@ $^ $(SSL_LIBS)
# udp_rr: the generator of the re-registration bench and the bare UDP echo it is
# compared with (tests/bench/ha-rereg.sh); not bench_*, so run.sh does not run it alone.
BENCHES += $(BUILD)/tests/bench/udp_rr
$(BUILD)/tests/bench/udp_rr: $(BUILD)/tests/bench/udp_rr.o $(LIBMIP4)
	$(CC) $(LDFLAGS) -o $@ $^ $(SSL_LIBS)
