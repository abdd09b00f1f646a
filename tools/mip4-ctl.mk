# mip4-ctl: the command-line client of mip4-ha's control socket.
PROGRAMS += $(BUILD)/tools/mip4-ctl
$(BUILD)/tools/mip4-ctl: $(BUILD)/tools/mip4-ctl.o
	$(CC) $(LDFLAGS) -o $@ $^
