# mip4-mn: lab mobile node and load generator (tools/mip4-mn*.c), its unit tests,
# and the lab targets (make demo / lab / lab-stop).
MN_SRCS := tools/mip4-mn-opts.c tools/mip4-mn-reg.c tools/mip4-mn-stats.c tools/mip4-mn-store.c \
	tools/mip4-mn-table.c tools/mip4-mn-load.c
MN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(MN_SRCS))

PROGRAMS += $(BUILD)/tools/mip4-mn

$(BUILD)/tools/mip4-mn: $(BUILD)/tools/mip4-mn.o $(MN_OBJS) $(LIBMIP4)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBMIP4) $(EVENT_LIBS) $(SSL_LIBS) -lm

$(eval $(call unit_test,test_mn_reg,tests/unit/test_mn_reg.c tools/mip4-mn-reg.c tests/unit/vectors.c,$(LIBMIP4)))
$(eval $(call unit_test,test_mn_table,tests/unit/test_mn_table.c tools/mip4-mn-table.c,))
$(eval $(call unit_test,test_mn_stats,tests/unit/test_mn_stats.c tools/mip4-mn-stats.c,-lm))
$(eval $(call unit_test,test_mn_opts,tests/unit/test_mn_opts.c tools/mip4-mn-opts.c tools/mip4-mn-store.c tests/unit/vectors.c,$(LIBMIP4)))

# The lab (tools/lab.sh): make demo runs the whole flow once and stops; make lab
# leaves it running until make lab-stop.
demo: deps
	$(MAKE) --no-print-directory all
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/lab.sh demo

lab: deps
	$(MAKE) --no-print-directory all
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/lab.sh start

lab-stop:
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/lab.sh stop
