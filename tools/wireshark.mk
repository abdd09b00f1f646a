# tools/wireshark: the Lua dissector of registration messages (RFC 3957
# extensions included) for Wireshark/tshark; nothing to build.
INSTALL_WIRESHARK += tools/wireshark/mip4-gba.lua
