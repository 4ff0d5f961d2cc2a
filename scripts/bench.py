#!/usr/bin/env python3
"""Times ecsh against sqlite3 (and Python where it is the usual tool) in one run.

Every measurement runs each tool on the same input on this machine, so the
ratios are meaningful even when absolute times vary between machines.
Peak memory is the child's maximum resident set size (getrusage).
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time

def timed(cmd, stdin=None, env=None):
    """Runs cmd under /usr/bin/time to get its own peak RSS."""
    full = ["/usr/bin/time", "-f", "%e %M"] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, input=stdin, capture_output=True, text=True,
                       env=None if env is None else {**os.environ, **env})
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    last = p.stderr.strip().splitlines()[-1].split()
    return dt, int(last[1]) / 1024, p.stdout

def best(n, cmd, stdin=None, env=None):
    results = [timed(cmd, stdin, env) for _ in range(n)]
    return min(r[0] for r in results), max(r[1] for r in results)

ROWS = []
def record(what, ecsh, peer_name, peer):
    if peer is None:  # no peer a user would reach for with the same answer
        ROWS.append((what, ecsh[0], ecsh[1], peer_name, float("nan"), float("nan"), float("nan")))
        print(f"{what:<44} ecsh {ecsh[0]:8.3f} s {ecsh[1]:7.1f} MB | {peer_name}", flush=True)
        return
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

MARGIN_SQL = """
WITH o AS (SELECT customer_id, CAST(strftime('%Y', day*86400, 'unixepoch') AS INT)*12
                  + CAST(strftime('%m', day*86400, 'unixepoch') AS INT) - 1 AS m,
                  amount - coalesce(discount,0) - coalesce(points,0) - coalesce(cogs,0) - coalesce(shipping,0) - coalesce(commission,0) AS cm2
           FROM orders WHERE status IS NULL OR status NOT IN ('cancelled','returned','refunded')),
f AS (SELECT customer_id, min(m) AS c FROM o GROUP BY customer_id)
SELECT f.c, o.m - f.c AS k, sum(cm2) FROM o JOIN f USING (customer_id) WHERE o.m - f.c < 24 GROUP BY 1, 2 ORDER BY 1, 2;
"""

# Unit economics by channel (horizon 12), everything but payback (which needs the whole
# per-offset curve): first channel by (day, ordered_at, order_id), LTV(12) over cohorts at
# least 12 months old, orders/AOV/CM2 by the channel the order was placed in, CAC from spend.
UE_SQL = """
WITH o AS (SELECT customer_id, channel, day, ordered_at, order_id, amount,
                  amount - coalesce(discount,0) - coalesce(points,0) AS revenue,
                  amount - coalesce(discount,0) - coalesce(points,0) - coalesce(cogs,0) - coalesce(shipping,0) - coalesce(commission,0) AS cm2,
                  CAST(strftime('%Y', day*86400, 'unixepoch') AS INT)*12 + CAST(strftime('%m', day*86400, 'unixepoch') AS INT) - 1 AS m
           FROM orders WHERE customer_id <> '' AND (status IS NULL OR status NOT IN ('cancelled','returned','refunded'))),
w AS (SELECT customer_id, m, cm2,
             first_value(m) OVER c AS first_m, first_value(channel) OVER c AS first_channel
      FROM o WINDOW c AS (PARTITION BY customer_id ORDER BY day, ordered_at, order_id)),
data_end AS (SELECT CAST(strftime('%Y', max(day)*86400, 'unixepoch') AS INT)*12
                    + CAST(strftime('%m', max(day)*86400, 'unixepoch') AS INT) - 1 AS last FROM orders),
per AS (SELECT customer_id, first_channel, first_m, sum(CASE WHEN m - first_m <= 12 THEN cm2 ELSE 0 END) AS cm2_12,
               sum(m - first_m <= 12) AS orders_12 FROM w GROUP BY customer_id),
cust AS (SELECT first_channel AS channel, count(*) AS new_customers,
                avg(CASE WHEN first_m + 12 <= (SELECT last FROM data_end) THEN cm2_12 END) AS ltv_12,
                avg(CASE WHEN first_m + 12 <= (SELECT last FROM data_end) THEN orders_12 END) AS orders_per_customer_12
         FROM per GROUP BY first_channel),
ord AS (SELECT channel, count(*) AS orders, avg(revenue) AS aov, avg(cm2) AS cm2_per_order, sum(amount) AS gmv FROM o GROUP BY channel),
sp AS (SELECT channel, 1.0 * sum(spend) AS spend FROM spend GROUP BY channel)
SELECT ord.channel, cust.new_customers, sp.spend, round(sp.spend / cust.new_customers) AS cac, ord.orders, round(ord.aov) AS aov,
       round(ord.cm2_per_order) AS cm2_per_order, round(cust.orders_per_customer_12, 2) AS orders_per_customer_12,
       round(cust.ltv_12) AS ltv_12, round(cust.ltv_12 / (sp.spend / cust.new_customers), 2) AS ltv_cac
FROM ord LEFT JOIN cust USING (channel) LEFT JOIN sp USING (channel) ORDER BY ord.channel;
"""

# DuckDB CLI (`pip install duckdb-cli`), the same questions in DuckDB SQL. The CSV is read by
# read_csv's sniffer (ordered_at becomes a TIMESTAMP); months are local calendar months of ordered_at
# as written, as ecsh counts them; counted orders: status not cancelled, returned or refunded.
DUCK_COUNTED = "(status IS NULL OR status NOT IN ('cancelled','returned','refunded'))"
DUCK_KPI_SQL = f"""
WITH o AS (SELECT * FROM orders WHERE {DUCK_COUNTED}),
m AS (SELECT strftime(ordered_at, '%Y-%m') AS month, sum(amount) AS gmv, count(*) AS orders,
             sum(amount) / count(*) AS aov_gross, count(DISTINCT customer_id) AS customers FROM o GROUP BY 1),
n AS (SELECT month, count(*) AS new_customers FROM
        (SELECT strftime(min(ordered_at), '%Y-%m') AS month FROM o WHERE customer_id IS NOT NULL GROUP BY customer_id) GROUP BY 1)
SELECT m.month, gmv, orders, aov_gross, customers, coalesce(new_customers, 0) AS new_customers
FROM m LEFT JOIN n USING (month) ORDER BY 1;
"""
# A KPI grouped by a column of the customers file: DuckDB joins the orders to the customers.
REGION_KPI = "kpi gmv, customers by region"
DUCK_REGION_SQL = f"""
SELECT c.region, sum(o.amount) AS gmv, count(DISTINCT o.customer_id) AS customers
FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE {DUCK_COUNTED.replace('status', 'o.status')}
GROUP BY 1 ORDER BY 1 NULLS FIRST;
"""
# A KPI narrowed by `where`: the filter picks orders; a new customer is one whose first counted
# order (by ordered_at, then order id) is among them.
WHERE_KPI = "kpi gmv, orders, customers, new_customers by month where channel = 'amazon'"
DUCK_WHERE_SQL = f"""
WITH o AS (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at, order_id) = 1 AS is_first
           FROM orders WHERE {DUCK_COUNTED})
SELECT strftime(ordered_at, '%Y-%m') AS month, sum(amount) AS gmv, count(*) AS orders, count(DISTINCT customer_id) AS customers,
       count(*) FILTER (WHERE is_first AND customer_id IS NOT NULL) AS new_customers
FROM o WHERE channel = 'amazon' GROUP BY 1 ORDER BY 1;
"""
# A KPI narrowed by a filter on amount, a column of many values (not kept as codes).
AMOUNT_KPI = "kpi gmv, orders, customers where amount > 5000"
DUCK_AMOUNT_SQL = f"""
SELECT sum(amount) AS gmv, count(*) AS orders, count(DISTINCT customer_id) AS customers
FROM orders WHERE {DUCK_COUNTED} AND amount > 5000;
"""
# A KPI grouped by a column of orders other than channel.
CATEGORY_KPI = "kpi gmv, orders, customers by category"
DUCK_CATEGORY_SQL = f"""
SELECT category, sum(amount) AS gmv, count(*) AS orders, count(DISTINCT customer_id) AS customers
FROM orders WHERE {DUCK_COUNTED} GROUP BY 1 ORDER BY 1;
"""
# A KPI grouped by month and a column of many values: 18 products, 19 order keys with NULL; at 10M
# (5.45M customers) the per-customer state is counted a share of the keys at a time when it would not fit.
PRODUCT_KPI = "kpi gmv, orders, customers by month, product"
DUCK_PRODUCT_SQL = f"""
SELECT strftime(ordered_at, '%Y-%m') AS month, product, sum(amount) AS gmv, count(*) AS orders, count(DISTINCT customer_id) AS customers
FROM orders WHERE {DUCK_COUNTED} GROUP BY 1, 2 ORDER BY 1, 2;
"""
# Historical LTV by acquisition month: CM2 of each customer's counted orders in month offsets 0..12
# (the default ltv_horizon), averaged over the month's new customers, for months at least 12 months
# before the last order's (younger ones are blank in ecsh, absent here).
LTV_KPI = "kpi ltv by month"
DUCK_LTV_SQL = f"""
WITH o AS (SELECT customer_id, amount - coalesce(discount,0) - coalesce(points,0) - coalesce(cogs,0) - coalesce(shipping,0) - coalesce(commission,0) AS cm2,
                  year(ordered_at) * 12 + month(ordered_at) - 1 AS m
           FROM orders WHERE {DUCK_COUNTED}),
last AS (SELECT max(year(ordered_at) * 12 + month(ordered_at) - 1) AS last FROM orders),
per AS (SELECT customer_id, min(m) AS first_m FROM o WHERE customer_id IS NOT NULL GROUP BY 1),
c AS (SELECT per.first_m, sum(CASE WHEN o.m - per.first_m <= 12 THEN o.cm2 ELSE 0 END) AS cm2_12
      FROM per JOIN o USING (customer_id) WHERE per.first_m + 12 <= (SELECT last FROM last) GROUP BY per.first_m, per.customer_id)
SELECT printf('%04d-%02d', first_m // 12, first_m % 12 + 1) AS month, avg(cm2_12) AS ltv FROM c GROUP BY first_m ORDER BY 1;
"""
DUCK_COHORT_SQL = f"""
WITH o AS (SELECT customer_id, year(ordered_at) * 12 + month(ordered_at) - 1 AS m FROM orders
           WHERE customer_id IS NOT NULL AND {DUCK_COUNTED}),
f AS (SELECT customer_id, min(m) AS c FROM o GROUP BY 1),
a AS (SELECT DISTINCT o.customer_id, f.c, o.m - f.c AS k FROM o JOIN f USING (customer_id) WHERE o.m - f.c < 12)
SELECT printf('%04d-%02d', c // 12, c % 12 + 1) AS cohort, k, count(*) AS customers FROM a GROUP BY c, k ORDER BY c, k;
"""
# A cohort narrowed by `where`: the filter picks orders before first orders are found, so a customer's
# cohort is the month of their first counted amazon order.
WHERE_COHORT = "cohort retention by month periods 12 where channel = 'amazon'"
DUCK_WHERE_COHORT_SQL = DUCK_COHORT_SQL.replace("WHERE customer_id IS NOT NULL AND", "WHERE channel = 'amazon' AND customer_id IS NOT NULL AND")
assert DUCK_WHERE_COHORT_SQL != DUCK_COHORT_SQL
# Unit economics, scope all: new customers, orders, AOV (net), CM2 per order, orders per customer and
# LTV over month offsets 0..12 for cohorts at least 12 months old (UE_SQL's rules).
def ue_sql(month, counted):
    """Unit economics of scope all in an engine's SQL, given its month index of ordered_at."""
    return f"""
WITH o AS (SELECT customer_id, amount - coalesce(discount,0) - coalesce(points,0) AS revenue,
                  amount - coalesce(discount,0) - coalesce(points,0) - coalesce(cogs,0) - coalesce(shipping,0) - coalesce(commission,0) AS cm2,
                  {month} AS m
           FROM orders WHERE {counted}),
last AS (SELECT max({month}) AS last FROM orders),
per AS (SELECT customer_id, min(m) AS first_m FROM o WHERE customer_id IS NOT NULL GROUP BY 1),
c AS (SELECT per.customer_id, sum(CASE WHEN o.m - per.first_m <= 12 THEN o.cm2 ELSE 0 END) AS cm2_12,
             sum(CASE WHEN o.m - per.first_m <= 12 THEN 1 ELSE 0 END) AS orders_12
      FROM per JOIN o USING (customer_id) WHERE per.first_m + 12 <= (SELECT last FROM last) GROUP BY 1)
SELECT (SELECT count(*) FROM per) AS new_customers, (SELECT count(*) FROM o) AS orders,
       (SELECT avg(revenue) FROM o) AS aov, (SELECT avg(cm2) FROM o) AS cm2_per_order,
       (SELECT avg(orders_12) FROM c) AS orders_per_customer_12m, (SELECT avg(cm2_12) FROM c) AS ltv_12m
"""

DUCK_UE_SQL = ue_sql("year(ordered_at) * 12 + month(ordered_at) - 1", DUCK_COUNTED)

# NPS split by a segment on the customer facts: `repeaters = orders >= 2` (counted orders). A respondent
# without a counted order has 0 orders; a response without a customer id belongs to no segment.
NPS_SEGMENT = "segment repeaters = orders >= 2"
NPS_FOR = "nps for repeaters"
NPS_KPI = "kpi nps by quarter for repeaters"
DUCK_REPEATERS = f"""
WITH f AS (SELECT customer_id, count(*) AS orders FROM orders WHERE {DUCK_COUNTED} AND customer_id IS NOT NULL GROUP BY 1),
r AS (SELECT n.responded_at, n.score FROM nps n LEFT JOIN f USING (customer_id)
      WHERE n.customer_id IS NOT NULL AND coalesce(f.orders, 0) >= 2)
"""
DUCK_NPS_FOR_SQL = DUCK_REPEATERS + """
SELECT count(*) AS responses, count(*) FILTER (WHERE score >= 9) AS promoters,
       count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives, count(*) FILTER (WHERE score <= 6) AS detractors,
       100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS nps
FROM r;
"""
DUCK_NPS_KPI_SQL = DUCK_REPEATERS + """
SELECT 'repeaters' AS segment, year(responded_at) || '-Q' || quarter(responded_at) AS quarter,
       100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS nps
FROM r GROUP BY 2 ORDER BY 2;
"""

def duckdb_cli(data):
    """The DuckDB CLI from PyPI (duckdb-cli), installed into a venv under the bench data folder if missing."""
    found = shutil.which("duckdb")
    if found:
        return found
    venv = os.path.join(os.path.abspath(data), ".venv")
    exe = os.path.join(venv, "bin", "duckdb")
    if not os.path.exists(exe):
        print("installing duckdb-cli into", venv, flush=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "duckdb-cli"], check=True)
    return exe

def csv_rows(text):
    return [line.split(",") for line in text.strip().splitlines()]

def same_numbers(what, ours, theirs, tolerance=1e-9):
    """Compares two tables of numbers cell by cell (relative tolerance); prints and returns agreement."""
    def num(x):
        try:
            return float(x)
        except ValueError:
            return x
    bad = [(a, b) for ra, rb in zip(ours, theirs) for a, b in zip(ra, rb)
           if not (isinstance(num(a), float) and isinstance(num(b), float) and abs(num(a) - num(b)) <= tolerance * max(1, abs(num(b))))
           and num(a) != num(b)]
    ok = len(ours) == len(theirs) and not bad
    print(f"  numbers {what}: {'equal' if ok else 'DIFFER'} ({len(ours)} rows{'' if ok else f'; first differences {bad[:3]}, rows {len(ours)} vs {len(theirs)}'})", flush=True)
    return ok

def duckdb_rows(ecsh, duck, orders, label, tmp):
    """Load, load + first KPI, warm KPI, cohort retention and unit economics: ecsh against DuckDB CLI."""
    kpi = "kpi gmv, orders, aov_gross, customers, new_customers by month"
    e1, d1 = os.path.join(tmp, "e1.db"), os.path.join(tmp, "d1.duckdb")
    create = f"CREATE TABLE orders AS FROM read_csv('{orders}');"
    e = timed([ecsh, e1, "-c", f"load orders from '{orders}'"])
    d = timed([duck, d1, "-c", create])
    record(f"load orders {label}", e[:2], "DuckDB CLI", d[:2])
    # Issue 15: loading a dataset again (replacing the rows there) costs no more than a first load.
    e = timed([ecsh, e1, "-c", f"load orders from '{orders}'"])
    d = timed([duck, d1, "-c", create.replace("CREATE TABLE", "CREATE OR REPLACE TABLE")])
    record(f"load orders again (replace) {label}", e[:2], "DuckDB CLI", d[:2])
    # The customers file beside the orders: its load (which joins its columns onto ecsh's customer facts), then
    # a KPI grouped by one of its columns, against DuckDB's load and join.
    customers = os.path.join(os.path.dirname(orders), "customers.csv")
    if os.path.exists(customers):
        e = timed([ecsh, e1, "-c", f"load customers from '{customers}'"])
        d = timed([duck, d1, "-c", f"CREATE OR REPLACE TABLE customers AS FROM read_csv('{customers}');"])
        record(f"load customers after orders {label}", e[:2], "DuckDB CLI", d[:2])
        e = timed([ecsh, e1, "--format", "csv", "-c", REGION_KPI])
        d = timed([duck, d1, "-csv", "-c", DUCK_REGION_SQL])
        record(f"{REGION_KPI}, first after the load {label}", e[:2], "DuckDB CLI", d[:2])
        same_numbers(REGION_KPI, [r for r in csv_rows(e[2])[1:] if r[0] != "total"], csv_rows(d[2])[1:])
        e_, d_ = best(3, [ecsh, e1, "-c", REGION_KPI]), best(3, [duck, d1, "-c", DUCK_REGION_SQL])
        record(f"{REGION_KPI} (warm) {label}", e_, "DuckDB CLI", d_)
    # The same files with hashed customer ids, as ids from e-mail hashes or marketplace buyer ids come: ecsh's
    # joins by id must not depend on ids that follow the order of first purchases (BENCHMARKS.md, "Lookups by
    # id at random"). The orders are loaded into both untimed; the customers load is the row.
    hashed = hashed_shop(os.path.dirname(os.path.dirname(orders)), label)
    if hashed:
        e3, d3 = os.path.join(tmp, "e3.db"), os.path.join(tmp, "d3.duckdb")
        timed([ecsh, e3, "-c", f"load orders from '{hashed}/orders.csv'"])
        timed([duck, d3, "-c", f"CREATE TABLE orders AS FROM read_csv('{hashed}/orders.csv');"])
        e = timed([ecsh, e3, "-c", f"load customers from '{hashed}/customers.csv'"])
        d = timed([duck, d3, "-c", f"CREATE TABLE customers AS FROM read_csv('{hashed}/customers.csv');"])
        record(f"load customers after orders, hashed ids {label}", e[:2], "DuckDB CLI", d[:2])
        e = timed([ecsh, e3, "--format", "csv", "-c", REGION_KPI])
        d = timed([duck, d3, "-csv", "-c", DUCK_REGION_SQL])
        same_numbers(REGION_KPI + " (hashed ids)", [r for r in csv_rows(e[2])[1:] if r[0] != "total"], csv_rows(d[2])[1:])
        for f in [e3, d3]:
            if os.path.exists(f):
                os.remove(f)
    e2, d2 = os.path.join(tmp, "e2.db"), os.path.join(tmp, "d2.duckdb")
    e = timed([ecsh, e2, "--format", "csv", "-c", f"load orders from '{orders}'", "-c", kpi])
    d = timed([duck, d2, "-csv", "-c", create + DUCK_KPI_SQL])
    record(f"load + first {kpi} {label}", e[:2], "DuckDB CLI", d[:2])
    e = timed([ecsh, e2, "--format", "csv", "-c", kpi])
    d = timed([duck, d2, "-csv", "-c", DUCK_KPI_SQL])
    same_numbers(kpi, [r for r in csv_rows(e[2])[1:] if r[0] != "total"], csv_rows(d[2])[1:])
    e_, d_ = best(3, [ecsh, e2, "-c", kpi]), best(3, [duck, d2, "-c", DUCK_KPI_SQL])
    record(f"{kpi} (warm) {label}", e_, "DuckDB CLI", d_)
    for statement, sql in [(WHERE_KPI, DUCK_WHERE_SQL), (AMOUNT_KPI, DUCK_AMOUNT_SQL), (CATEGORY_KPI, DUCK_CATEGORY_SQL),
                           (PRODUCT_KPI, DUCK_PRODUCT_SQL), (LTV_KPI, DUCK_LTV_SQL)]:
        e = timed([ecsh, e2, "--format", "csv", "-c", statement])
        d = timed([duck, d2, "-csv", "-c", sql])
        # Rows with a blank cell (ltv of months younger than the horizon) have no DuckDB row.
        same_numbers(statement, [r for r in csv_rows(e[2])[1:] if r[0] != "total" and "" not in r[1:]], csv_rows(d[2])[1:])
        e_, d_ = best(3, [ecsh, e2, "-c", statement]), best(3, [duck, d2, "-c", sql])
        record(f"{statement} (warm) {label}", e_, "DuckDB CLI", d_)
    for cohort, sql in [("cohort retention by month periods 12", DUCK_COHORT_SQL), (WHERE_COHORT, DUCK_WHERE_COHORT_SQL)]:
        e = timed([ecsh, e2, "--format", "csv", "-c", cohort])
        d = timed([duck, d2, "-csv", "-c", sql])
        # ecsh gives shares of the cohort's size; DuckDB counts: compare share × size with the counts.
        counts = {(r[0], int(r[1])): int(r[2]) for r in csv_rows(d[2])[1:]}
        ours, theirs = [], []
        for r in csv_rows(e[2])[1:]:
            if r[0] == "average":
                continue
            size = int(r[1])
            for k, share in enumerate(r[2:]):
                if share != "":
                    ours.append([r[0], k, round(float(share) * size)])
                    theirs.append([r[0], k, counts.get((r[0], k), 0)])
        same_numbers(cohort + " (customers per cell)", ours, theirs)
        e_, d_ = best(3, [ecsh, e2, "-c", cohort]), best(3, [duck, d2, "-c", sql])
        record(f"{cohort} (warm) {label}", e_, "DuckDB CLI", d_)
    ue = "unit economics"
    e = timed([ecsh, e2, "--format", "csv", "-c", ue])
    d = timed([duck, d2, "-csv", "-c", DUCK_UE_SQL])
    header, row = csv_rows(e[2])[0], csv_rows(e[2])[1]
    pick = ["new_customers", "orders", "AOV", "CM2_per_order", "orders_per_customer_12m", "LTV_12m"]
    same_numbers(ue + " (scope all)", [[row[header.index(c)] for c in pick]], csv_rows(d[2])[1:], tolerance=1e-6)
    e_, d_ = best(3, [ecsh, e2, "-c", ue]), best(3, [duck, d2, "-c", DUCK_UE_SQL])
    record(f"{ue} (warm) {label}", e_, "DuckDB CLI", d_)
    nps = os.path.join(os.path.dirname(orders), "nps.csv")
    if os.path.exists(nps):
        e = timed([ecsh, e2, "-c", f"load nps from '{nps}'"])
        d = timed([duck, d2, "-c", f"CREATE OR REPLACE TABLE nps AS FROM read_csv('{nps}');"])
        record(f"load nps after orders {label}", e[:2], "DuckDB CLI", d[:2])
        timed([ecsh, e2, "-c", NPS_SEGMENT])  # defines the segment (not timed)
        e = timed([ecsh, e2, "--format", "csv", "-c", NPS_FOR])
        d = timed([duck, d2, "-csv", "-c", DUCK_NPS_FOR_SQL])
        same_numbers(NPS_FOR, [r[1:6] for r in csv_rows(e[2])[1:]], csv_rows(d[2])[1:])
        # The first statement on a segment evaluates it over the facts; later ones read the members it kept.
        record(f"{NPS_FOR}, first after the segment's definition {label}", e[:2], "DuckDB CLI", d[:2])
        e = timed([ecsh, e2, "--format", "csv", "-c", NPS_KPI])
        d = timed([duck, d2, "-csv", "-c", DUCK_NPS_KPI_SQL])
        same_numbers(NPS_KPI, [r for r in csv_rows(e[2])[1:] if r[1] != "total" and "" not in r[1:]], csv_rows(d[2])[1:])
        for statement, sql in [(NPS_FOR, DUCK_NPS_FOR_SQL), (NPS_KPI, DUCK_NPS_KPI_SQL)]:
            e_, d_ = best(3, [ecsh, e2, "-c", statement]), best(3, [duck, d2, "-c", sql])
            record(f"{statement} (warm) {label}", e_, "DuckDB CLI", d_)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecsh", required=True)
    ap.add_argument("--full", action="store_true", help="also 10M rows")
    ap.add_argument("--data", default="bench-data")
    ap.add_argument("--orders", type=int, action="append", help="order counts to run instead of 1M (and 10M)")
    ap.add_argument("--predict-only", action="store_true", help="load, then only the predict ltv rows")
    ap.add_argument("--duckdb-only", action="store_true", help="only the rows against DuckDB CLI")
    a = ap.parse_args()
    ecsh = os.path.abspath(a.ecsh)
    os.makedirs(a.data, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; sqlite3 {subprocess.run(['sqlite3','--version'],capture_output=True,text=True).stdout.split()[0]}")

    duck = duckdb_cli(a.data)
    print("DuckDB CLI", subprocess.run([duck, "--version"], capture_output=True, text=True).stdout.strip())
    if a.duckdb_only:
        for n in a.orders or [1_000_000] + ([10_000_000] if a.full else []):
            label = f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n / 1e6:g}M"
            orders = shop_orders(ecsh, a.data, n, label)
            with tempfile.TemporaryDirectory(dir=a.data) as tmp:
                duckdb_rows(ecsh, duck, orders, label, tmp)
        table()
        return
    # Start-up: a trivial statement, best of 20.
    e = best(20, [ecsh, "-c", "sql select 1"])
    s = best(20, ["sqlite3", ":memory:", "select 1"])
    record("start-up: one trivial statement", e, "sqlite3", s)

    sizes = a.orders or [1_000_000] + ([10_000_000] if a.full else [])
    for n in sizes:
        label = f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n / 1e6:g}M"
        shop = os.path.join(a.data, f"shop-{label}")
        orders = shop_orders(ecsh, a.data, n, label)
        mb = os.path.getsize(orders) / 1e6
        with tempfile.TemporaryDirectory(dir=a.data) as tmp:
            edb, sdb = os.path.join(tmp, "e.db"), os.path.join(tmp, "s.db")
            e = timed([ecsh, edb, "-c", f"load orders from '{orders}'"])
            s = timed(["sqlite3", sdb, f".import --csv {orders} orders"])
            record(f"load orders {label} ({mb:.0f} MB)", e[:2], "sqlite3 .import", s[:2])
            if a.predict_only:
                timed([ecsh, edb, "-c", "kpi new_customers by month"])  # builds the customer facts (not timed)
                predict(ecsh, edb, label)
                continue
            spend = os.path.join(shop, "ad_spend.csv")  # for CAC in unit economics (not timed)
            timed([ecsh, edb, "-c", f"load spend from '{spend}'"])
            timed(["sqlite3", sdb, f".import --csv {spend} spend"])
            # The first analysis after a load builds the customer facts (one row per customer).
            e = timed([ecsh, edb, "-c", "kpi new_customers, repeat_rate by month"])
            s_ = timed(["sqlite3", sdb, "CREATE TABLE f AS SELECT customer_id, min(ordered_at) AS first_order, count(*) AS orders, sum(amount) AS revenue FROM orders GROUP BY customer_id"])
            record(f"first analysis: builds customer facts {label}", e[:2], "sqlite3 GROUP BY customer", s_[:2])
            # Give the sqlite3 copy the same integer day column the hand-written SQL needs.
            subprocess.run(["sqlite3", sdb, "ALTER TABLE orders ADD COLUMN day INTEGER; UPDATE orders SET day = CAST(julianday(substr(ordered_at,1,10)) - 2440587.5 AS INT); ALTER TABLE orders ADD COLUMN amount_r REAL;"], check=True)
            e = best(3, [ecsh, edb, "-c", "kpi gmv, orders, aov, customers by month"])
            s = best(3, ["sqlite3", sdb, KPI_SQL])
            record(f"kpi gmv,orders,aov,customers by month {label}", e, "sqlite3 SQL", s)
            e = best(3, [ecsh, edb, "-c", "kpi gmv, orders, aov, customers by channel"])
            s = best(3, ["sqlite3", sdb, KPI_SQL.replace("strftime('%Y-%m', day*86400, 'unixepoch')", "channel")])
            record(f"kpi ... by channel {label}", e, "sqlite3 SQL", s)
            # Lifecycle KPIs: the snapshot route against ecsh's own reference SQL (what `show sql`
            # prints, run by SQLite over orders): the hand-written alternative, with no shortcuts.
            for by in ["month", "channel"]:
                lifecycle = "kpi new_customers, repeat_rate, f2_rate, active_members" + (", retention_rate" if by == "month" else "") + f" by {by}"
                e = best(3, [ecsh, edb, "-c", lifecycle])
                s = best(2, [ecsh, edb, "-c", lifecycle], env={"ECSH_KPI_ROUTE": "sql"})  # the first run builds its index
                record(f"lifecycle KPIs by {by} {label}", e, "same KPIs, reference SQL in SQLite", s)
            e = best(3, [ecsh, edb, "-c", "cohort retention by month periods 24"])
            s = best(3, ["sqlite3", sdb, COHORT_SQL])
            record(f"cohort retention 24x24 {label}", e, "sqlite3 SQL", s)
            e = best(3, [ecsh, edb, "-c", "cohort margin cumulative by month periods 24"])
            s = best(3, ["sqlite3", sdb, MARGIN_SQL])
            record(f"cohort margin cumulative 24x24 {label}", e, "sqlite3 SQL (sums only)", s)
            e = best(3, [ecsh, edb, "-c", "unit economics by channel"])
            s = best(2, ["sqlite3", sdb, UE_SQL])
            record(f"unit economics by channel {label}", e, "sqlite3 SQL (no payback)", s)
            predict(ecsh, edb, label)
            duckdb_rows(ecsh, duck, orders, label, tmp)

    clv(ecsh)
    table()

def hashed_shop(data, label):
    """The shop's orders, customers and nps files with hashed customer ids (scripts/hash-ids.py), made once
    into data/hashed-<label>; None when the shop has no customers file."""
    src, dst = os.path.join(data, f"shop-{label}"), os.path.join(data, f"hashed-{label}")
    if not os.path.exists(os.path.join(src, "customers.csv")):
        return None
    done = os.path.join(dst, ".complete")
    if not os.path.exists(done):
        print(f"hashing the customer ids of {src} into {dst} ...", flush=True)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hash-ids.py"), src, dst], check=True)
        open(done, "w").close()
    return os.path.abspath(dst)

def shop_orders(ecsh, data, n, label):
    """The generated shop's orders file for n orders (made once, seed 7)."""
    shop = os.path.join(data, f"shop-{label}")
    orders = os.path.join(shop, "orders.csv")
    if not os.path.exists(orders):
        print(f"generating {label} orders into {shop} ...", flush=True)
        subprocess.run([ecsh, "generate", "shop", shop, "--orders", str(n), "--seed", "7"], check=True)
    return os.path.abspath(orders)

def table():
    print()
    print("| measurement | ecsh s | ecsh MB | peer | peer s | peer MB | peer/ecsh |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for r in ROWS:
        if r[4] != r[4]:  # NaN: no peer
            print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.0f} | {r[3]} | – | – | – |")
        else:
            print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.0f} | {r[3]} | {r[4]:.3f} | {r[5]:.0f} | {r[6]:.2f}x |")

# The per-customer (x, t_x, T, m̄) summary in weeks, as CLVData builds it: counted orders, one
# purchase per customer and day, m̄ over repeat purchases only, T up to the last counted order day.
SUMMARY_SQL = """
WITH p AS (SELECT customer_id AS c, day, TOTAL(amount) AS v FROM orders
           WHERE day IS NOT NULL AND customer_id IS NOT NULL
             AND (status IS NULL OR status NOT IN ('cancelled','returned','refunded'))
           GROUP BY customer_id, day),
f AS (SELECT c, min(day) AS d0, max(day) AS d1, count(*) AS n, TOTAL(v) AS tot FROM p GROUP BY c)
SELECT f.n - 1, (f.d1 - f.d0) / 7.0, ((SELECT max(day) FROM orders WHERE status IS NULL OR status NOT IN ('cancelled','returned','refunded')) - f.d0) / 7.0,
       CASE WHEN f.n > 1 THEN (f.tot - p.v) / (f.n - 1) ELSE 0 END
FROM f JOIN p ON p.c = f.c AND p.day = f.d0
"""

def lifetimes_python():
    """A Python that has lifetimes: this one, or a venv in bench-data/ the bench makes and fills itself.
    lifetimes 0.11 is the reference implementation of BG/NBD + Gamma-Gamma the numbers are checked against."""
    try:
        import lifetimes  # noqa: F401
        return sys.executable
    except ImportError:
        pass
    venv = os.path.abspath(os.path.join("bench-data", "venv-lifetimes"))
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        print("installing lifetimes into", venv, flush=True)
        if subprocess.run([sys.executable, "-m", "venv", venv]).returncode != 0:
            return None
    if subprocess.run([python, "-c", "import lifetimes"], capture_output=True).returncode != 0:
        if subprocess.run([python, "-m", "pip", "install", "-q", "lifetimes"]).returncode != 0:
            return None
    return python

def predict(ecsh, edb, label):
    """`predict ltv horizon 12 months` against lifetimes' BG/NBD + Gamma-Gamma fits and 12-month CLV
    on the same customer summary (read from the same workspace with the SQL above, not timed)."""
    e = best(3, [ecsh, edb, "-c", "predict ltv horizon 12 months"])
    n = subprocess.run(["sqlite3", edb, "SELECT count(DISTINCT customer_id) FROM orders"], capture_output=True, text=True).stdout.strip()
    what = f"predict ltv horizon 12 months {label} orders ({int(n) / 1e6:.2f}M customers)"
    python = lifetimes_python()
    if python is None:
        record(what, e, "lifetimes could not be installed (pip install lifetimes)", None)
        return
    code = (
        "import sqlite3, sys, time, pandas as pd\n"
        "from lifetimes import BetaGeoFitter, GammaGammaFitter\n"
        "d = pd.DataFrame(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall(), columns=['x', 't_x', 'T', 'm'])\n"
        "t = time.perf_counter(); b = BetaGeoFitter().fit(d.x, d.t_x, d['T'])\n"
        "r = d[d.x > 0]; g = GammaGammaFitter().fit(r.x, r.m)\n"
        "clv = g.customer_lifetime_value(b, d.x, d.t_x, d['T'], d.m.where(d.x > 0, r.m.mean()), time=12, freq='W', discount_rate=0.01)\n"
        "print(time.perf_counter() - t, len(d), clv.sum())\n"
        "print('lifetimes BG/NBD', ' '.join(f'{k} {v:.4f}' for k, v in b.params_.items()))\n")
    try:
        p = subprocess.run([python, "-c", code, edb, SUMMARY_SQL], capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        record(what, e, "lifetimes: did not finish in 10 min", None)
        return
    if p.returncode != 0:
        print("lifetimes failed:", p.stderr[-500:])
        record(what, e, "lifetimes failed", None)
        return
    fit_clv = float(p.stdout.split()[0])
    # The estimates must agree: ecsh's parameter table against lifetimes' fit on the same customers.
    print(p.stdout.strip().splitlines()[-1], flush=True)
    table = subprocess.run([ecsh, edb, "--format", "csv", "-c", "predict ltv horizon 12 months"], capture_output=True, text=True).stdout
    print("ecsh BG/NBD", " ".join(l.replace(",", " ")[:20] for l in table.splitlines()[1:5]), flush=True)
    record(what, e, "lifetimes fits + CLV only", (fit_clv, 0.0))

def clv(ecsh):
    """BG/NBD + Gamma-Gamma on CDNOW: ecsh's whole statement against lifetimes' fits alone."""
    cdnow = os.path.join("..", "shared", "data", "cdnow", "CDNOW_sample.txt")
    if not os.path.exists(cdnow):
        print("CDNOW sample not found beside the project; CLV comparison skipped")
        return
    script = os.path.abspath("scripts/cdnow.ecsh")
    e = best(5, [ecsh, "-f", script])
    try:
        import lifetimes  # noqa: F401
    except ImportError:
        print(f"{'predict ltv on CDNOW (load + fit + CLV)':<44} ecsh {e[0]:8.3f} s | lifetimes not installed (pip install lifetimes)")
        return
    code = (
        "import time, pandas as pd\n"
        "from lifetimes import BetaGeoFitter, GammaGammaFitter\n"
        "d = pd.read_csv('../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv')\n"
        "t = time.perf_counter(); b = BetaGeoFitter().fit(d['x'], d['t_x'].clip(upper=d['T']), d['T'])\n"
        "r = d[d.x > 0]; g = GammaGammaFitter().fit(r.x, r.zbar)\n"
        "print(time.perf_counter() - t)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if p.returncode != 0:
        print("lifetimes failed:", p.stderr[-500:])
        return
    fit_only = float(p.stdout.strip().splitlines()[-1])
    record("CDNOW: ecsh load+fit+CLV vs lifetimes fits only", e, "lifetimes", (fit_only, 0.0))

if __name__ == "__main__":
    main()
