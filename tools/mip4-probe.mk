# mip4-probe: ICMP echo, UDP stream and sink for the namespace lab, its tests
# and the data-plane bench.
PROGRAMS += $(BUILD)/tools/mip4-probe
$(BUILD)/tools/mip4-probe: $(BUILD)/tools/mip4-probe.o
	$(CC) $(LDFLAGS) -o $@ $^ $(SSL_LIBS)
