# lo_listen.fdx: loopback-only listening for freeDiameterd (tests and the lab).
EXTENSIONS += $(BUILD)/tools/lo_listen.fdx
$(BUILD)/tools/lo_listen.fdx: $(BUILD)/tools/lo_listen.o
	$(CC) $(LDFLAGS) -shared -o $@ $^
