#!/usr/bin/env python3
"""Copies a generated shop's orders, customers and nps files reshaped as real exports often are
(BENCHMARKS.md, "Lookups by id at random"):

  scripts/hash-ids.py SHOP_DIR OUT_DIR                # every customer id hashed (A + 12 hex digits
                                                      # of its MD5), as ids from e-mail hashes or
                                                      # marketplace buyer ids look: same rows, same order
  scripts/hash-ids.py --keep-ids --nps-by-date SHOP_DIR OUT_DIR
                                                      # ids as they are, the NPS answers in date order
                                                      # (as survey tools export them)
"""
import argparse, csv, hashlib, os

ap = argparse.ArgumentParser()
ap.add_argument("src")
ap.add_argument("dst")
ap.add_argument("--keep-ids", action="store_true", help="leave the customer ids as they are")
ap.add_argument("--nps-by-date", action="store_true", help="write the NPS answers sorted by responded_at")
a = ap.parse_args()
os.makedirs(a.dst, exist_ok=True)

memo = {}
def hashed(c):
    if c == "" or a.keep_ids:
        return c
    v = memo.get(c)
    if v is None:
        v = "A" + hashlib.md5(c.encode()).hexdigest()[:12].upper()
        memo[c] = v
    return v

for name in ["orders.csv", "customers.csv", "nps.csv"]:
    with open(os.path.join(a.src, name), newline="") as f_in, open(os.path.join(a.dst, name), "w", newline="") as f_out:
        r = csv.reader(f_in)
        w = csv.writer(f_out, lineterminator="\n")
        head = next(r)
        w.writerow(head)
        i = head.index("customer_id")
        rows = (row[:i] + [hashed(row[i])] + row[i + 1:] for row in r)
        if name == "nps.csv" and a.nps_by_date:
            rows = sorted(rows, key=lambda row: row[head.index("responded_at")])
        w.writerows(rows)
