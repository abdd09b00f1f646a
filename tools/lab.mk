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
