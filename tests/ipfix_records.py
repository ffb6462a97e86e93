#!/usr/bin/python3
"""The data records of ipfixDump's text (libfixbuf-tools), one JSON object
per line: {"tid": N, "fields": {name: value, ...}}. Options-template
records (RFC 5610's element types) are kept too; a reader picks by name.

Usage: ipfixDump --rfc5610 -i WIRE | tests/ipfix_records.py
"""
import json
import re
import sys

FIELD = re.compile(r"^\s*\(([0-9/]+)\)\s*(?:\(S\)\s+)?(\S+)\s*:\s?(.*)$")
HEADER = re.compile(r"tid:\s+(\d+)")


def records(lines):
    rec = None
    for line in lines:
        if line.startswith("--- data record"):
            if rec:
                yield rec
            rec = {"tid": None, "fields": {}}
        elif rec is not None and rec["tid"] is None and HEADER.search(line):
            rec["tid"] = int(HEADER.search(line).group(1))
        elif rec is not None and FIELD.match(line):
            _, name, value = FIELD.match(line).groups()
            # "(len: 8) browsing": a string's text
            value = re.sub(r"^\(len: \d+\) ?", "", value.strip())
            rec["fields"][name] = value
        elif line.startswith("---") or line.startswith("***"):
            if rec:
                yield rec
            rec = None
    if rec:
        yield rec


if __name__ == "__main__":
    for r in records(sys.stdin):
        print(json.dumps(r))
