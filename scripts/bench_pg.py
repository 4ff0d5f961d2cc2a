#!/usr/bin/env python3
"""ecsh on a PostgreSQL workspace against psql on the same server (scripts/bench-pg runs this).

Loads: ecsh's `load orders` (the SQLite loader into a staging file, then COPY) against psql's
\\copy of the same CSV into a table with the file's columns, typed. Statements: ecsh's KPI SQL on
the server against the hand-written query in psql. Each into a fresh database; best of N.
"""
import argparse, os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import timed, best, record, table, shop_orders, csv_rows, same_numbers, ue_sql  # noqa: E402

# The file's columns as psql's peer gets them: the types a careful analyst would declare.
TYPES = {"amount": "double precision", "discount": "double precision", "points": "double precision",
         "cogs": "double precision", "shipping": "double precision", "commission": "double precision",
         "quantity": "bigint", "ordered_at": "timestamp"}

KPI_PG = """
SELECT to_char(ordered_at, 'YYYY-MM') AS month, sum(amount) AS gmv, count(*) AS orders,
       sum(amount - coalesce(discount,0) - coalesce(points,0)) / count(*) AS aov,
       count(DISTINCT customer_id) AS customers
FROM orders WHERE status IS NULL OR status NOT IN ('cancelled','returned','refunded','failed')
GROUP BY 1 ORDER BY 1
"""

# The same questions as scripts/bench.py asks DuckDB, in PostgreSQL's SQL: months are calendar months of
# ordered_at as written; counted orders: status not cancelled, returned or refunded.
PG_COUNTED = "(status IS NULL OR status NOT IN ('cancelled','returned','refunded'))"
PG_MONTH = "(extract(year FROM ordered_at)::int * 12 + extract(month FROM ordered_at)::int - 1)"
PG_COHORT_SQL = f"""
WITH o AS (SELECT customer_id, {PG_MONTH} AS m FROM orders WHERE customer_id IS NOT NULL AND {PG_COUNTED}),
f AS (SELECT customer_id, min(m) AS c FROM o GROUP BY 1),
a AS (SELECT DISTINCT o.customer_id, f.c, o.m - f.c AS k FROM o JOIN f USING (customer_id) WHERE o.m - f.c < 12)
SELECT to_char(make_date(c / 12, c % 12 + 1, 1), 'YYYY-MM') AS cohort, k, count(*) AS customers FROM a GROUP BY c, k ORDER BY c, k
"""
PG_UE_SQL = ue_sql(PG_MONTH, PG_COUNTED)

def psql(url, *args):
    return ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX", *args]

def fresh(base, name):
    subprocess.run(psql(base, "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"), check=True,
                   capture_output=True)
    return base.rsplit("/", 1)[0] + "/" + name

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecsh", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--data", default="bench-data")
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--loads-only", action="store_true", help="only the load rows (the 10M run: statements are timed at 1M)")
    a = ap.parse_args()
    ecsh = os.path.abspath(a.ecsh)
    n = a.orders
    label = f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n / 1e6:g}M"
    orders = shop_orders(ecsh, a.data, n, label)
    server = subprocess.run(psql(a.url, "-c", "SHOW server_version"), capture_output=True, text=True).stdout.strip()
    settings = subprocess.run(psql(a.url, "-c", "SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings WHERE name IN ('shared_buffers','work_mem','max_parallel_workers_per_gather','synchronous_commit','jit')"),
                              capture_output=True, text=True).stdout.strip()
    print(f"PostgreSQL {server} ({settings}); machine: {os.cpu_count()} cores", flush=True)
    header = open(orders, encoding="utf-8").readline().strip().split(",")
    columns = ", ".join(f'"{c}" {TYPES.get(c, "text")}' for c in header)

    def ecsh_load(i):
        return timed([ecsh, fresh(a.url, f"e{i}"), "-c", f"load orders from '{orders}'"])

    def psql_load(i):
        db = fresh(a.url, f"p{i}")
        return timed(psql(db, "-c", f"CREATE TABLE orders ({columns})", "-c", f"\\copy orders FROM '{orders}' WITH (FORMAT csv, HEADER)"))

    e = min((ecsh_load(i)[:2] for i in range(3)), key=lambda r: r[0])
    p = min((psql_load(i)[:2] for i in range(3)), key=lambda r: r[0])
    record(f"PG: load orders {label}", e, "psql \\copy", p)
    if a.loads_only:
        table()
        return
    # Load + the first KPI statement (ecsh builds the customer facts on the server first).
    e = timed([ecsh, fresh(a.url, "e9"), "-c", f"load orders from '{orders}'", "-c", "kpi gmv, orders, aov, customers by month"])
    db = fresh(a.url, "p9")
    p = timed(psql(db, "-c", f"CREATE TABLE orders ({columns})", "-c", f"\\copy orders FROM '{orders}' WITH (FORMAT csv, HEADER)", "-c", KPI_PG))
    record(f"PG: load + first kpi by month {label}", e[:2], "psql \\copy + SQL", p[:2])
    # Warm statements on the loaded databases (e0 from ecsh, p0 from psql).
    edb, pdb = a.url.rsplit("/", 1)[0] + "/e0", a.url.rsplit("/", 1)[0] + "/p0"
    timed([ecsh, edb, "-c", "kpi orders"])  # builds the facts (not timed)
    e = best(3, [ecsh, edb, "-c", "kpi gmv, orders, aov, customers by month"])
    p = best(3, psql(pdb, "-c", KPI_PG))
    record(f"PG: kpi gmv,orders,aov,customers by month {label}", e, "psql SQL", p)
    # Cohorts and unit economics, checked against the hand-written SQL's numbers before they are timed.
    cohort = "cohort retention by month periods 12"
    e = timed([ecsh, edb, "--format", "csv", "-c", cohort])
    p = timed(psql(pdb, "--csv", "-c", PG_COHORT_SQL))
    counts = {(r[0], int(r[1])): int(r[2]) for r in csv_rows(p[2])}
    ours, theirs = [], []
    for r in csv_rows(e[2])[1:]:
        if r[0] == "average":
            continue
        for k, share in enumerate(r[2:]):
            if share != "":
                ours.append([r[0], k, round(float(share) * int(r[1]))])
                theirs.append([r[0], k, counts.get((r[0], k), 0)])
    same_numbers(cohort + " (customers per cell, PostgreSQL)", ours, theirs)
    record(f"PG: {cohort} {label}", best(3, [ecsh, edb, "-c", cohort]), "psql SQL", best(3, psql(pdb, "-c", PG_COHORT_SQL)))
    ue = "unit economics"
    e = timed([ecsh, edb, "--format", "csv", "-c", ue])
    p = timed(psql(pdb, "--csv", "-c", PG_UE_SQL))
    header, row = csv_rows(e[2])[0], csv_rows(e[2])[1]
    pick = ["new_customers", "orders", "AOV", "CM2_per_order", "orders_per_customer_12m", "LTV_12m"]
    same_numbers(ue + " (scope all, PostgreSQL)", [[row[header.index(c)] for c in pick]], csv_rows(p[2]), tolerance=1e-6)
    record(f"PG: {ue} {label}", best(3, [ecsh, edb, "-c", ue]), "psql SQL", best(3, psql(pdb, "-c", PG_UE_SQL)))
    e = best(3, [ecsh, edb, "-c", "kpi new_customers, repeat_rate, f2_rate, active_members, retention_rate by month"])
    record(f"PG: lifecycle KPIs by month {label}", e, "(no hand-written peer)", None)
    e = best(2, [ecsh, edb, "-c", "predict ltv horizon 12 months"])
    record(f"PG: predict ltv horizon 12 months {label}", e, "(summaries on the server, fit in ecsh)", None)
    table()

if __name__ == "__main__":
    main()
