# Test-only programs and extensions; each has its own tests/<dir>/*.mk.
include $(wildcard tests/*/*.mk)
