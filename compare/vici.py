"""A small client of strongSwan's VICI protocol (the vici plugin's unix socket).

Only what the comparison lab needs: commands with flat or nested string
arguments, their answers as nested dicts, and event registration so that a
rekey can be timed to its completion.  Standard library only.
"""
import select
import socket
import struct
import time

# Packet types (vici plugin README, "Transport protocol").
CMD_REQUEST, CMD_RESPONSE, CMD_UNKNOWN = 0, 1, 2
EVENT_REGISTER, EVENT_UNREGISTER, EVENT_CONFIRM, EVENT_UNKNOWN, EVENT = 3, 4, 5, 6, 7
# Message element types.
SECTION_START, SECTION_END, KEY_VALUE, LIST_START, LIST_ITEM, LIST_END = 1, 2, 3, 4, 5, 6


class ViciError(Exception):
    pass


def encode(msg):
    out = bytearray()
    for key, value in msg.items():
        k = key.encode()
        if isinstance(value, dict):
            out += bytes([SECTION_START, len(k)]) + k + encode(value) + bytes([SECTION_END])
        elif isinstance(value, list):
            out += bytes([LIST_START, len(k)]) + k
            for item in value:
                v = str(item).encode()
                out += bytes([LIST_ITEM]) + struct.pack(">H", len(v)) + v
            out += bytes([LIST_END])
        else:
            v = str(value).encode()
            out += bytes([KEY_VALUE, len(k)]) + k + struct.pack(">H", len(v)) + v
    return bytes(out)


def decode(data):
    root = {}
    stack = [root]
    current_list = None
    i = 0
    while i < len(data):
        t = data[i]
        i += 1
        name = None
        if t in (SECTION_START, KEY_VALUE, LIST_START):
            n = data[i]
            name = data[i + 1:i + 1 + n].decode(errors="replace")
            i += 1 + n
        if t == SECTION_START:
            section = {}
            stack[-1][name] = section
            stack.append(section)
        elif t == SECTION_END:
            if len(stack) == 1:
                raise ViciError("unbalanced section end")
            stack.pop()
        elif t in (KEY_VALUE, LIST_ITEM):
            n = struct.unpack(">H", data[i:i + 2])[0]
            value = data[i + 2:i + 2 + n].decode(errors="replace")
            i += 2 + n
            if t == KEY_VALUE:
                stack[-1][name] = value
            else:
                current_list.append(value)
        elif t == LIST_START:
            current_list = []
            stack[-1][name] = current_list
        elif t == LIST_END:
            current_list = None
        else:
            raise ViciError("unknown element type %d" % t)
    return root


class Session:
    def __init__(self, path, timeout=30.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.events = []

    def close(self):
        self.sock.close()

    def _recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ViciError("connection closed by charon")
            buf += chunk
        return bytes(buf)

    def _send(self, ptype, name, msg=None):
        body = bytes([ptype])
        if name is not None:
            n = name.encode()
            body += bytes([len(n)]) + n
        if msg is not None:
            body += encode(msg)
        self.sock.sendall(struct.pack(">I", len(body)) + body)

    def _read_packet(self):
        n = struct.unpack(">I", self._recv_exact(4))[0]
        body = self._recv_exact(n)
        ptype = body[0]
        if ptype == EVENT:
            ln = body[1]
            return ptype, body[2:2 + ln].decode(), decode(body[2 + ln:])
        return ptype, None, decode(body[1:]) if ptype == CMD_RESPONSE else {}

    def _until(self, wanted):
        while True:
            ptype, name, msg = self._read_packet()
            if ptype == EVENT:
                self.events.append((time.perf_counter(), name, msg))
                continue
            if ptype in wanted:
                return ptype, msg
            if ptype in (CMD_UNKNOWN, EVENT_UNKNOWN):
                raise ViciError("charon does not know this command or event")
            raise ViciError("unexpected vici packet type %d" % ptype)

    def request(self, command, msg=None):
        self._send(CMD_REQUEST, command, msg or {})
        return self._until((CMD_RESPONSE,))[1]

    def register(self, event):
        self._send(EVENT_REGISTER, event)
        self._until((EVENT_CONFIRM,))

    def wait_event(self, name, timeout):
        """The first queued or arriving event NAME (its time and message)."""
        deadline = time.monotonic() + timeout
        while True:
            for k, (t, n, m) in enumerate(self.events):
                if n == name:
                    del self.events[k]
                    return t, m
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                raise ViciError("no %s event within %.1f s" % (name, timeout))
            ptype, n, m = self._read_packet()
            if ptype != EVENT:
                raise ViciError("unexpected vici packet type %d while waiting" % ptype)
            self.events.append((time.perf_counter(), n, m))
