#!/usr/bin/env python3
"""Verifies an audit export offline, with nothing but the Python standard library.

    python3 scripts/verify_audit_export.py audit.csv [--head-seq N --head-hash HEX]

For every row it recomputes the hash: SHA-256 (hex) over the netstring
encoding (`<byte length>:<bytes>,`) of the row's first 17 columns, in file
order, `prev_hash` last. Where two rows have consecutive sequence numbers
it checks that the later row's `prev_hash` is the earlier row's `hash`; an
unfiltered export has no gaps, so every link is checked. With the export's
`head_seq` and `head_hash` (from `GET /v1/audit/exports/{id}`) it also checks
that the file reaches that head. A cell that starts with `'` had it added
against spreadsheet formulas: one is dropped before hashing.

Exit status 0 when everything holds, 1 with the first break on stderr.
"""

import argparse
import csv
import hashlib
import sys

HASHED = 17


def restored(cell):
    return cell[1:] if cell.startswith("'") else cell


def row_hash(cells):
    encoded = b"".join(
        str(len(raw)).encode() + b":" + raw + b"," for raw in (c.encode("utf-8") for c in cells[:HASHED])
    )
    return hashlib.sha256(encoded).hexdigest()


def verify(path, head_seq=None, head_hash=None):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or header[0] != "seq" or header[-1] != "hash" or len(header) != HASHED + 1:
            return "not an audit export: unexpected header row"
        rows = [[restored(c) for c in row] for row in reader]
    by_seq = {}
    for row in rows:
        seq = int(row[0])
        if row_hash(row) != row[-1]:
            return f"event {seq} ({row[1]}): its content does not match its hash"
        if seq in by_seq:
            return f"event {seq} appears twice"
        by_seq[seq] = row
    for seq, row in by_seq.items():
        before = by_seq.get(seq - 1)
        if before is not None and row[-2] != before[-1]:
            return f"event {seq} ({row[1]}): prev_hash does not match the hash of event {seq - 1}"
        if seq == 1 and row[-2] != "0" * 64:
            return "event 1: prev_hash is not the genesis value"
    if head_seq is not None:
        head = by_seq.get(head_seq)
        if head is None:
            return f"the export does not reach the head (event {head_seq})"
        if head_hash is not None and head[-1] != head_hash:
            return f"event {head_seq}: its hash is not the head's"
    print(f"ok: {len(rows)} events verified", file=sys.stderr)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--head-seq", type=int)
    parser.add_argument("--head-hash")
    args = parser.parse_args()
    problem = verify(args.csv, args.head_seq, args.head_hash)
    if problem:
        print(f"broken: {problem}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
