#!/usr/bin/python3
"""TLS-record-shaped TCP for the live tests: each of COUNT messages is a
100-byte TLS application-data record (17 03 03 00 5f, then 95 bytes), sent
alone in its segment: the client waits for the server's echo before the next.

Usage: tests/tls_echo.py serve ADDR PORT   (one connection, then exit)
       tests/tls_echo.py send HOST PORT COUNT
"""
import socket
import sys

RECORD = b"\x17\x03\x03\x00\x5f" + b"r" * 95


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def serve(addr, port):
    with socket.create_server((addr, port)) as srv:
        conn, _ = srv.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while True:
                msg = recv_exactly(conn, len(RECORD))
                if len(msg) < len(RECORD):
                    return
                conn.sendall(msg)


def send(host, port, count):
    with socket.create_connection((host, port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(count):
            s.sendall(RECORD)
            if recv_exactly(s, len(RECORD)) != RECORD:
                sys.exit("tls_echo: the echo differs")
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):  # until the server's FIN
            pass


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
