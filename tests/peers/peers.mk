# Test peers: Diameter extensions that stand in for a server in failure and rate tests.
TEST_PROGRAMS += $(BUILD)/tests/peers/amr_answer.fdx
$(BUILD)/tests/peers/amr_answer.fdx: $(BUILD)/tests/peers/amr_answer.o $(LIBDICT)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBDICT)
