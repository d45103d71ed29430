#!/usr/bin/env python3
"""Holds N idle client connections to a proxy, for bench/idle-connections.sh.

    idle-client.py HOST PORT N MODE

MODE is "silent" (connect and send nothing) or "request" (send one keep-alive GET / and read its
whole response first, so the connection is idle after a proxied request); "warm" makes N
connections one after the other, every other one with one request, closing each before the next
(the proxy's code paths warm up, never more than one connection open), and exits. Connections are made one
after the other (a blocking connect, so the proxy's accept queue never overflows). Prints
"ready N" on standard output once all N are open (and answered), then holds them until standard
input reaches its end, closes them all with a reset (SO_LINGER 0: no TIME_WAIT left on 127.0.0.1's
ports for the next round) and exits. Any failure exits non-zero with a message on standard error.
"""
import socket
import struct
import sys

REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: idle-client\r\n\r\n"
LINGER_RESET = struct.pack("ii", 1, 0)


def read_response(sock):
    """Reads one response with a Content-Length body; returns its status code."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise OSError("connection closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise OSError("response without Content-Length: " + lines[0].decode("latin-1"))
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise OSError("connection closed inside the response body")
        body += chunk
    if len(body) != length:
        raise OSError("more bytes than the response's Content-Length")
    return status


def main():
    host, port, count, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if mode not in ("silent", "request", "warm"):
        sys.exit("MODE must be silent, request or warm")
    socks = []
    try:
        for i in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
            s.settimeout(30)
            s.connect((host, port))
            socks.append(s)
            if mode == "warm" and i % 2:
                # Every other warm-up connection sends nothing: the path of an idle one warms up too.
                socks.pop().close()
                continue
            if mode != "silent":
                s.sendall(REQUEST)
                status = read_response(s)
                if status != 200:
                    raise OSError(f"connection {i}: status {status}")
            if mode == "warm":
                socks.pop().close()
    except OSError as e:
        sys.exit(f"idle-client: after {len(socks)} connections: {e}")
    if mode == "warm":
        print(f"warmed {count}", flush=True)
        return
    print(f"ready {len(socks)}", flush=True)
    sys.stdin.read()
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
