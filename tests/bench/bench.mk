# Benchmark programs (make bench runs tests/bench/run.sh).
BENCHES += $(BUILD)/tests/bench/bench_lib
$(BUILD)/tests/bench/bench_lib: $(BUILD)/tests/bench/bench_lib.o $(LIBMIP4)
	$(CC) $(LDFLAGS) -o $@ $^ $(SSL_LIBS)
