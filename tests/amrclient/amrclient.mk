# amrclient: test and benchmark Diameter client sending AMRs to the AAA.
TEST_PROGRAMS += $(BUILD)/tests/amrclient/amrclient
$(BUILD)/tests/amrclient/amrclient: $(BUILD)/tests/amrclient/amrclient.o $(LIBDICT) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBDICT) $(LIBMIP4) $(FD_LIBS) $(SSL_LIBS)
