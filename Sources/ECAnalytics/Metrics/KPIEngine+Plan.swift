import ECStore
import ECRender

extension KPIEngine {
    /// A resolved query: grain, dimensions, date range, the measures to compute.
    struct Plan {
        struct Dimension {
            var name: String; var expression: String; var fromFacts: Bool
            /// A text column: ordered byte by byte (as SQLite orders text) on every engine.
            var isText = false
        }

        var grain: TimeGrain?
        var dims: [Dimension]
        /// Never empty: without segments, one unnamed segment '' over all customers.
        var segments: [NamedSegment]
        var hasSegments: Bool
        var measures: Set<Measure>
        var kpiNames: [String]
        var startDay: Int
        var endDay: Int
        var asOfDay: Int
        var f2Days: Int
        var windowDays: Int
        /// LTV's horizon h: month offsets 0...h after the first order (the ltv_horizon setting).
        var horizonMonths: Int
        var filter: SQLFragment?
        var settings: MetricSettings
        var hasOrders: Bool
        /// Per segment, the condition on a response `n` that its respondent is in the segment: over every
        /// customer (`CustomerFacts.respondentCondition`), since a respondent need not have a counted order.
        /// Empty unless NPS is split by segment.
        var respondentConditions: [SQLFragment] = []
        /// The statement's NPS counts per segment slot and day (`NPSDayCounts`, SQLite), which the NPS
        /// measures are summed from; nil: counted from `nps` by the SQL itself (the reference SQL).
        var npsDays: String?
        /// The customers columns of the facts when they are a view over two tables (SQLite: the SQL route joins
        /// the tables, `base()`); nil when the facts are one table (PostgreSQL) or not built.
        var factAttributes: [String]?

        var sources: Set<Measure.Source> { Set(measures.map(\.source)) }
        /// Lifecycle measures look at orders before the first period shown.
        var needsHistory: Bool { !sources.isDisjoint(with: [.repeats, .active, .retention]) || measures.contains(.returning_customers) }
        /// No time grain and no history: every counted order falls in the one period 'all' (period_no 0).
        var periodIsConstant: Bool { grain == nil && !needsHistory }
        /// Standard SQL for an engine other than SQLite (PostgreSQL): no bare columns beside an
        /// aggregate, `IS NOT DISTINCT FROM` for `IS`, aliases on every derived table.
        var portable = false

        /// `a IS b` (NULL-safe equality) in the engine's words.
        func same(_ a: String, _ b: String) -> String { portable ? "\(a) IS NOT DISTINCT FROM \(b)" : "\(a) IS \(b)" }
        /// A constant true column, and the fallback of a condition that may be NULL.
        var trueSQL: String { portable ? "TRUE" : "1" }
        var falseSQL: String { portable ? "FALSE" : "0" }
        /// The alias a derived table needs in standard SQL (SQLite takes none).
        func alias(_ name: String) -> String { portable ? " AS \(name)" : "" }
        var needsFacts: Bool {
            dims.contains(where: \.fromFacts) || !sources.isDisjoint(with: [.repeats, .lifetime])
                || !measures.isDisjoint(with: [.new_customers, .returning_customers, .f2_new, .f2_converted])
        }
        var needsBase: Bool { !sources.isDisjoint(with: [.orders, .repeats, .active, .retention, .lifetime]) }

        var keyFormats: [ColumnFormat] { [.text] + (grain == nil ? [] : [.text]) + dims.map { _ in ColumnFormat.text } }

        static func make(query: KPIQuery, measures: Set<Measure>, engine: KPIEngine) throws -> Plan {
            let db = engine.db, settings = engine.settings
            var grain: TimeGrain?
            var dims: [Dimension] = []
            // Spend and traffic can be asked for before any orders are loaded.
            let hasOrders = try db.tableExists("orders")
            let orderTypes = hasOrders ? try db.columns(of: "orders") : []
            let orderColumns = orderTypes.map(\.name)
            if hasOrders { try CustomerFacts.ensureCurrent(db, settings: settings) }
            let factTypes = hasOrders ? try CustomerFacts.attributes(db) : []
            let factColumns = factTypes.map(\.name)
            func isText(_ type: String?) -> Bool { type.map { ["TEXT", "DATE", "TIMESTAMP"].contains($0.uppercased()) } ?? false }
            for g in query.groupBy {
                switch g {
                case .grain(let t):
                    if let grain, grain != t { throw MetricsError("choose one time grain: by \(grain.rawValue) or by \(t.rawValue)") }
                    grain = t
                case .dimension(let name):
                    let n = name.lowercased() == "segment" ? "segment" : name
                    if n == "segment" { continue }
                    if let c = orderColumns.first(where: { $0.lowercased() == n.lowercased() }), c != "day" {
                        dims.append(Dimension(name: c, expression: "o." + quoteIdentifier(c), fromFacts: false,
                                              isText: isText(orderTypes.first { $0.name == c }?.type)))
                    } else if let c = factColumns.first(where: { $0.lowercased() == n.lowercased() }) {
                        dims.append(Dimension(name: c, expression: "f." + quoteIdentifier(c), fromFacts: true,
                                              isText: isText(factTypes.first { $0.name == c }?.type)))
                    } else if let computed = CustomerAge.expression(for: n.lowercased(), attributes: factColumns, prefix: "f.", engine: db.engine) {
                        dims.append(Dimension(name: n.lowercased(), expression: computed, fromFacts: true, isText: n.lowercased() == "age_band"))
                    } else {
                        let grains = TimeGrain.allCases.map(\.rawValue)
                        let near = KPIEngine.suggestion(for: n, among: grains + orderColumns + factColumns)
                        throw MetricsError("cannot group by '\(name)': it is neither a time grain (\(grains.joined(separator: ", "))), "
                            + "a column of orders nor a customer attribute" + (near.isEmpty ? "; describe orders lists the columns" : near),
                                           about: name)
                    }
                }
            }
            let names = query.kpis.map { $0.lowercased() }
            let sources = Set(measures.map(\.source))
            // The first KPI of the request that reads `source` (a defined KPI through its formula): an error
            // about what that source cannot do points at it, not at the first KPI written.
            let derived = (try? DerivedKPIs.load(db)) ?? [:]
            func reading(_ source: Measure.Source) -> String? {
                names.first { name in (try? engine.resolve(name, derived: derived))?.1.contains { $0.source == source } ?? false }
            }
            if !sources.isDisjoint(with: [.spend, .traffic]) {
                for (source, table) in [(Measure.Source.spend, "spend"), (.traffic, "traffic")] where sources.contains(source) {
                    if !query.segments.isEmpty {
                        // Name the KPIs that read the table (not gmv beside cac); a defined KPI is named whole.
                        let reading = names.filter { KPICatalogue.named($0).map { $0.needs.contains(table) } ?? true }
                        let named = reading.isEmpty ? names : reading
                        throw MetricsError("\(named.joined(separator: ", ")) cannot be split by segment: \(table) is not tied to customers",
                                           about: named.first)
                    }
                    if dims.count > 1 || (dims.count == 1 && dims[0].name.lowercased() != "channel") {
                        throw MetricsError("\(table) can only be split by channel, not by \(dims.map(\.name).joined(separator: ", "))",
                                           about: reading(source))
                    }
                    if dims.count == 1, try db.tableExists(table),
                       try !db.columns(of: table).contains(where: { $0.name == "channel" }) {
                        throw MetricsError("\(table) has no channel column, so it cannot be split by channel", about: reading(source))
                    }
                }
            }
            if sources.contains(.nps) {
                if !dims.isEmpty {
                    // The nps command groups answers by a customer attribute (one at a time), with its margins.
                    let segments = query.segments.isEmpty ? "" : " for " + query.segments.map(\.name).joined(separator: ", ")
                    throw MetricsError("nps can be split by time and segment only in kpi; by \(dims[0].name), write nps by \(dims[0].name)\(segments) "
                                       + "(each group's NPS with its margin of error)", about: reading(.nps))
                }
                if !query.segments.isEmpty, try db.tableExists("nps"),
                   try !db.columns(of: "nps").contains(where: { $0.name == "customer_id" }) {
                    throw MetricsError("nps cannot be split by segment: the nps data has no customer_id", about: reading(.nps))
                }
            }
            if sources.contains(.retention), grain == nil {
                throw MetricsError("retention and churn compare consecutive periods: add a time grain, e.g. by month",
                                   about: reading(.retention))
            }
            let asOf = try WorkspaceDates.asOfDay(db, settings: settings)
            let first = try WorkspaceDates.firstDay(db) ?? asOf
            let range = try KPIEngine.dateRange(db, settings: settings, from: query.from, to: query.to)
            let start = range.lowerBound, end = range.upperBound
            try PeriodCalendar.ensure(db, covering: min(start, first)...max(end, asOf), weekStart: settings.weekStart)
            var plan = Plan(grain: grain, dims: dims,
                        segments: query.segments.isEmpty ? [NamedSegment(name: "", predicate: SQLFragment("1"))] : query.segments,
                        hasSegments: !query.segments.isEmpty, measures: measures, kpiNames: names,
                        startDay: start, endDay: end, asOfDay: asOf, f2Days: query.f2WindowDays ?? settings.f2WindowDays,
                        windowDays: settings.activeWindowDays, horizonMonths: settings.ltvHorizonMonths, filter: query.orderFilter, settings: settings,
                        hasOrders: hasOrders)
            if sources.contains(.nps) {
                plan.respondentConditions = try query.segments.map { s in
                    hasOrders ? try CustomerFacts.respondentCondition(db, id: "n.customer_id", predicate: s.predicate)
                        : SQLFragment("n.customer_id IN (SELECT customer_id FROM \(CustomerFacts.table) AS f WHERE ") + s.predicate + SQLFragment(")")
                }
            }
            plan.portable = db.engine != .sqlite
            plan.factAttributes = try CustomerFacts.viewAttributes(db)
            return plan
        }

        /// When orders have channels and none is a marketplace: `mall_dependence` is 0%, which a shop whose malls go by
        /// names the setting does not know would read as no dependence at all. Scans `orders` only in that case.
        static func noMallNote(_ db: Database, _ malls: Marketplaces) throws -> String? {
            let mall = SQLFragment("SELECT 1 FROM orders WHERE ") + malls.condition("channel") + SQLFragment(" LIMIT 1")
            guard try db.query(mall.sql, mall.bindings).rows.isEmpty else { return nil }
            let channels = try db.query("SELECT DISTINCT channel FROM orders WHERE channel IS NOT NULL LIMIT 6").rows.compactMap { $0.first?.textValue }
            guard !channels.isEmpty else { return nil }
            let listed = channels.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (channels.count > 5 ? ", …" : "")
            return "mall_dependence: no order's channel is a marketplace (\(malls.described.isEmpty ? "none set" : malls.described)); "
                + "channels: \(listed); say which are with set marketplaces 'name, …'"
        }

        /// KPIs that divide orders by spend or sessions (cac, roas, cvr, …) when the range has counted
        /// orders in months the spend or traffic file has no rows for (`DataCoverage`).
        func coverageNotes(engine: KPIEngine) throws -> [String] {
            let derived = try DerivedKPIs.load(engine.db)
            let ordersSide: Set<Measure.Source> = [.orders, .repeats, .active, .retention, .lifetime]
            var notes: [String] = []
            for (source, table) in [(Measure.Source.spend, "spend"), (.traffic, "traffic")] where sources.contains(source) {
                let mixed = kpiNames.filter { name in
                    let read = Set(((try? engine.resolve(name.lowercased(), derived: derived).1) ?? []).map(\.source))
                    return read.contains(source) && !read.isDisjoint(with: ordersSide)
                }
                guard !mixed.isEmpty, let note = try DataCoverage.note(engine.db, table: table, range: startDay...endDay, kpis: mixed.joined(separator: ", "),
                                                                       counting: mixed.allSatisfy(["cac", "ltv_cac", "payback"].contains) ? .newCustomers : .orders,
                                                                       orders: ("orders", settings.countedCondition())) else { continue }
                notes.append(note)
            }
            return notes
        }

        /// By channel, a KPI that divides orders by sessions (cvr, the sales equation) matches traffic rows to orders by
        /// the channel's name. Analytics tools name channels their own way (GA4's `Organic Search`, `Paid Search`
        /// beside orders of `google`, `meta`): a traffic channel that is no order's channel shows a cvr of 0% and the
        /// orders' channel a blank, or a few sessions of a channel both name divide all its orders (google 3 orders /
        /// 100 sessions = 3.00%). Name the traffic channels no order has, and the way to rename them. Asked per traffic
        /// (or spend) channel with `EXISTS`, which stops at a channel's first order: a shop whose channels match pays no scan of
        /// its orders (10M rows) for the note.
        /// Spend rows likewise: an ad export's `google` beside orders of `Google Ads` left the orders' channel without
        /// spend (no cac) and the spend's channel without customers, without a word.
        func channelNote(_ db: Database, _ source: Measure.Source) throws -> String? {
            let table = source == .spend ? "spend" : "traffic", figure = source == .spend ? "spend" : "sessions"
            guard dims.count == 1, dims[0].name.lowercased() == "channel", sources.contains(source),
                  !sources.isDisjoint(with: [.orders, .repeats, .active, .retention, .lifetime]),
                  try db.tableExists(table), try db.tableExists("orders") else { return nil }
            let unmatched = try db.query("""
                SELECT t.channel, t.figure FROM (
                  SELECT channel, sum(\(figure)) AS figure FROM \(table) WHERE day BETWEEN ? AND ? AND channel IS NOT NULL GROUP BY channel
                ) t WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.channel = t.channel) ORDER BY t.figure DESC
                """, [.integer(Int64(startDay)), .integer(Int64(endDay))]).rows
            guard !unmatched.isEmpty else { return nil }
            let orderChannels = try db.query("SELECT DISTINCT channel FROM orders WHERE channel IS NOT NULL ORDER BY channel LIMIT 6").rows.compactMap { $0[0].textValue }
            let amount = { (v: Value) in
                source == .spend ? Currency(code: settings.currency).format(v.doubleValue ?? 0) : "\(LoadSummary.grouped(Int(v.intValue ?? 0))) sessions"
            }
            let named = unmatched.prefix(4).map { "'\($0[0].textValue ?? "")' (\(amount($0[1])))" }.joined(separator: ", ")
                + (unmatched.count > 4 ? " and \(unmatched.count - 4) more" : "")
            let orders = orderChannels.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (orderChannels.count > 5 ? ", …" : "")
            let from = (unmatched[0][0].textValue ?? "").replacingOccurrences(of: "'", with: "''")
            let (effect, whose) = source == .spend
                ? ("they have no new customers or orders, so their cac is blank and their roas 0, and the orders' channels show none of their spend",
                   "an ad platform's names for the orders' channels")
                : ("their cvr is 0% and their sessions count for no channel of the orders", "an analytics tool's names for the orders' channels (channel groups)")
            return "by channel, \(table) channels \(named) are no order's channel (orders: \(orders.isEmpty ? "none with a channel" : orders)): \(effect) "
                + "(the total is whole); if they are \(whose), rename them: sql UPDATE \(table) SET channel = '<order channel>' WHERE channel = '\(from)'"
        }

        /// Cost fields that are empty count as 0 in margin: which are empty on every order, and which on some of
        /// the counted orders of the range (a cogs column filled for half the products overstates margin as much
        /// as none, and used to pass without a word).
        func marginNote(_ db: Database) throws -> String? {
            let fields = ["cogs", "shipping", "commission"]
            var none: [String] = []
            // The load's own figures say at once which fields are empty everywhere or nowhere; only a field empty on
            // some rows takes the scan (it made every `kpi margin` read all orders: 0.05 → 0.35 s at 1M orders).
            let counted = try ColumnStatistics.current(db, dataset: "orders")
            var full: Set<String> = []
            for f in fields {
                if let counted, let nonNull = counted.figures(of: f)?.nonNull {
                    if nonNull == 0 { none.append(f) } else if nonNull == counted.rows { full.insert(f) }
                } else if try db.scalar("SELECT 1 FROM orders WHERE \(quoteIdentifier(f)) IS NOT NULL LIMIT 1").isNull {
                    none.append(f)
                }
            }
            let partial = fields.filter { !none.contains($0) && !full.contains($0) }
            var parts = none.isEmpty ? [] : ["no \(none.joined(separator: ", ")) in orders"]
            if !partial.isEmpty {
                let count = SQLFragment("SELECT count(*)" + partial.map { ", sum(CASE WHEN \(quoteIdentifier($0)) IS NULL THEN 1 ELSE 0 END)" }.joined()
                                        + " FROM orders WHERE ") + settings.countedCondition()
                    + SQLFragment(" AND day BETWEEN ? AND ?", [.integer(Int64(startDay)), .integer(Int64(endDay))])
                let row = try db.query(count.sql, count.bindings).rows.first ?? []
                let orders = row.first?.intValue ?? 0
                for (i, f) in partial.enumerated() {
                    if let n = row[i + 1].intValue, n > 0 { parts.append("\(f) empty on \(n) of \(orders) counted orders") }
                }
            }
            return parts.isEmpty ? nil : "margin: " + parts.joined(separator: "; ") + "; counted as 0"
        }

        /// Lines printed under the table: definitions in force and caveats.
        func notes(engine: KPIEngine) throws -> [String] {
            var notes: [String] = []
            if measures.contains(.margin), let note = try marginNote(engine.db) { notes.append(note) }
            if measures.contains(.f2_new) {
                notes.append("f2_rate: second order within \(f2Days) days; blank where that window has not elapsed by as_of")
            }
            if measures.contains(.ltv_final) {
                notes.append("ltv: CM2 per customer acquired in the period over month offsets 0..\(horizonMonths) (ltv_horizon); blank where that horizon has not elapsed by as_of")
            }
            if measures.contains(.payback_months) {
                notes.append("payback: months after acquisition until CM2 per customer reaches CAC; blank when not reached yet or without CAC")
            }
            if measures.contains(.active_members) { notes.append("active_members: ordered in the \(windowDays) days up to the period end") }
            if measures.contains(.mall_gmv), let note = try Self.noMallNote(engine.db, settings.marketplaces) { notes.append(note) }
            notes += try coverageNotes(engine: engine)
            for source in [Measure.Source.spend, .traffic] {
                if let note = try channelNote(engine.db, source) { notes.append(note) }
            }
            if filter != nil, !sources.isDisjoint(with: [.spend, .traffic]) {
                notes.append("where filters orders only; spend and traffic are not filtered")
            }
            return notes
        }
    }
}
