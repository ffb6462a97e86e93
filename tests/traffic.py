#!/usr/bin/python3
"""Steady UDP traffic for the live tests: COUNT datagrams of SIZE bytes from
this host to HOST:PORT at RATE per second, from local port SPORT.

Usage: tests/traffic.py HOST PORT COUNT RATE SIZE [SPORT]
"""
import socket
import sys
import time


def main(host, port, count, rate, size, sport=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", sport))
    payload = b"u" * size
    start = time.monotonic()
    for i in range(count):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s.sendto(payload, (host, port))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]),
         int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 0)
