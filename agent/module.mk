# agent/: what every daemon of ours runs on.  AGENT_CORE_SRCS have no I/O (the
# unit tests and fuzzers compile them directly); libagent.a holds everything, and
# a daemon's link takes only the objects it uses.
AGENT_CORE_SRCS := agent/wheel.c agent/slab.c agent/addrtab.c agent/textbuf.c
AGENT_SRCS := $(wildcard agent/*.c)
LIBAGENT := $(BUILD)/agent/libagent.a

$(LIBAGENT): $(patsubst %.c,$(BUILD)/%.o,$(AGENT_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

# The Zn client (zn.c) needs libfdcore: the AAA/NAF and the HA (method 2) link it.
$(eval $(call unit_test,test_agent_zn,tests/unit/test_agent_zn.c agent/zn.c,$(LIBDICT) $(LIBMIP4) $(FD_LIBS)))
