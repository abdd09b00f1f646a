# The lab (tools/lab.sh): make demo runs the whole flow once and stops, then the
# data plane in namespaces (tools/netlab.sh demo: a ping through the tunnel);
# make lab leaves the loopback lab running until make lab-stop, make lab-net the
# namespace lab until make lab-net-stop.
demo: deps
	$(MAKE) --no-print-directory all
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/lab.sh demo
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/netlab.sh demo

lab-net: deps
	$(MAKE) --no-print-directory all
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/netlab.sh start

lab-net-stop:
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/netlab.sh stop

lab: deps
	$(MAKE) --no-print-directory all
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/lab.sh start

lab-stop:
	BUILD=$(BUILD) FLAVOUR=$(FLAVOUR) tools/lab.sh stop
