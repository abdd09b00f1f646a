# tools/ holds several independent programs; each has its own tools/<name>.mk.
include $(filter-out tools/module.mk,$(wildcard tools/*.mk))
