# dictwire: writes AMR/AMA/HAR/HAA/BIR/BIA built with our dictionaries for the
# tshark cross-check in tests/integration/11-dict-wire.sh.  Test-only: built by
# check-build, never installed (so not in PROGRAMS).
DICTWIRE := $(BUILD)/tests/dictwire/dictwire
check-build: $(DICTWIRE)
$(DICTWIRE): $(BUILD)/tests/dictwire/dictwire.o $(LIBDICT)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBDICT) $(FD_LIBS)
