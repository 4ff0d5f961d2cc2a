#!/usr/bin/env python3
"""Times ecsh against sqlite3 (and Python where it is the usual tool) in one run.

Every measurement runs each tool on the same input on this machine, so the
ratios are meaningful even when absolute times vary between machines.
Peak memory is the child's maximum resident set size (getrusage).
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time

def run(cmd, stdin=None):
    """Runs cmd, returns (seconds, peak RSS in MB, stdout). Raises on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far; measure in a fresh
    # helper process to isolate it.
    return dt, peak / 1024, p.stdout

def timed(cmd, stdin=None):
    """Runs cmd under /usr/bin/time to get its own peak RSS."""
    full = ["/usr/bin/time", "-f", "%e %M"] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, input=stdin, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    last = p.stderr.strip().splitlines()[-1].split()
    return dt, int(last[1]) / 1024, p.stdout

def best(n, cmd, stdin=None):
    results = [timed(cmd, stdin) for _ in range(n)]
    return min(r[0] for r in results), max(r[1] for r in results)

ROWS = []
def record(what, ecsh, peer_name, peer):
    ratio = peer[0] / ecsh[0] if ecsh[0] > 0 else float("inf")
    ROWS.append((what, ecsh[0], ecsh[1], peer_name, peer[0], peer[1], ratio))
    print(f"{what:<44} ecsh {ecsh[0]:8.3f} s {ecsh[1]:7.1f} MB | {peer_name} {peer[0]:8.3f} s {peer[1]:7.1f} MB | {ratio:6.2f}x", flush=True)

KPI_SQL = """
SELECT strftime('%Y-%m', day*86400, 'unixepoch') AS month, sum(amount) AS gmv, count(*) AS orders,
       sum(amount - coalesce(discount,0) - coalesce(points,0)) * 1.0 / count(*) AS aov,
       count(DISTINCT customer_id) AS customers
FROM orders WHERE status IS NULL OR status NOT IN ('cancelled','returned','refunded')
GROUP BY 1 ORDER BY 1;
"""

COHORT_SQL = """
WITH o AS (SELECT customer_id, CAST(strftime('%Y', day*86400, 'unixepoch') AS INT)*12
                  + CAST(strftime('%m', day*86400, 'unixepoch') AS INT) - 1 AS m
           FROM orders WHERE status IS NULL OR status NOT IN ('cancelled','returned','refunded')),
f AS (SELECT customer_id, min(m) AS c FROM o GROUP BY customer_id),
a AS (SELECT DISTINCT o.customer_id, f.c, o.m - f.c AS k FROM o JOIN f USING (customer_id))
SELECT c, k, count(*) FROM a WHERE k < 24 GROUP BY c, k ORDER BY c, k;
"""

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecsh", required=True)
    ap.add_argument("--full", action="store_true", help="also 10M rows")
    ap.add_argument("--data", default="bench-data")
    a = ap.parse_args()
    ecsh = os.path.abspath(a.ecsh)
    os.makedirs(a.data, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; sqlite3 {subprocess.run(['sqlite3','--version'],capture_output=True,text=True).stdout.split()[0]}")

    # Start-up: a trivial statement, best of 20.
    e = best(20, [ecsh, "-c", "sql select 1"])
    s = best(20, ["sqlite3", ":memory:", "select 1"])
    record("start-up: one trivial statement", e, "sqlite3", s)

    sizes = [1_000_000] + ([10_000_000] if a.full else [])
    for n in sizes:
        label = f"{n // 1_000_000}M"
        shop = os.path.join(a.data, f"shop-{label}")
        orders = os.path.join(shop, "orders.csv")
        if not os.path.exists(orders):
            print(f"generating {label} orders into {shop} ...", flush=True)
            subprocess.run([ecsh, "generate", "shop", shop, "--orders", str(n), "--seed", "7"], check=True)
        mb = os.path.getsize(orders) / 1e6
        with tempfile.TemporaryDirectory(dir=a.data) as tmp:
            edb, sdb = os.path.join(tmp, "e.db"), os.path.join(tmp, "s.db")
            e = timed([ecsh, edb, "-c", f"load orders from '{orders}'"])
            s = timed(["sqlite3", sdb, f".import --csv {orders} orders"])
            record(f"load orders {label} ({mb:.0f} MB)", e[:2], "sqlite3 .import", s[:2])
            # Give the sqlite3 copy the same integer day column the hand-written SQL needs.
            subprocess.run(["sqlite3", sdb, "ALTER TABLE orders ADD COLUMN day INTEGER; UPDATE orders SET day = CAST(julianday(substr(ordered_at,1,10)) - 2440587.5 AS INT); ALTER TABLE orders ADD COLUMN amount_r REAL;"], check=True)
            e = best(3, [ecsh, edb, "-c", "kpi gmv, orders, aov, customers by month"])
            s = best(3, ["sqlite3", sdb, KPI_SQL])
            record(f"kpi gmv,orders,aov,customers by month {label}", e, "sqlite3 SQL", s)
            e = best(3, [ecsh, edb, "-c", "kpi gmv, orders, aov, customers by channel"])
            s = best(3, ["sqlite3", sdb, KPI_SQL.replace("strftime('%Y-%m', day*86400, 'unixepoch')", "channel")])
            record(f"kpi ... by channel {label}", e, "sqlite3 SQL", s)
            e = best(3, [ecsh, edb, "-c", "cohort retention by month periods 24"])
            s = best(3, ["sqlite3", sdb, COHORT_SQL])
            record(f"cohort retention 24x24 {label}", e, "sqlite3 SQL", s)

    print()
    print("| measurement | ecsh s | ecsh MB | peer | peer s | peer MB | peer/ecsh |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for r in ROWS:
        print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.0f} | {r[3]} | {r[4]:.3f} | {r[5]:.0f} | {r[6]:.2f}x |")

if __name__ == "__main__":
    main()
