# amrclient: test and benchmark Diameter client sending AMRs to the AAA.
# Built by `make` / `make check` (prerequisite of all) but not installed.
all: $(BUILD)/tests/amrclient/amrclient
$(BUILD)/tests/amrclient/amrclient: $(BUILD)/tests/amrclient/amrclient.o $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBDICT) $(LIBMIP4) $(FD_LIBS) $(SSL_LIBS)
