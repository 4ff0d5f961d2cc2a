import Foundation
import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `simulate transition …` and `assume NAME VALUE`: the mall-to-own projection and its assumptions.
extension Session {
    /// The assumptions a user may set, with what they mean.
    static let transitionAssumptions: [(name: String, meaning: String, isShare: Bool)] = [
        ("own_retention", "share of a quarter's own-site buyers who buy again the next quarter", true),
        ("mall_retention", "the same for the malls moved from", true),
        ("own_cac", "ad spend per new own-site customer", false),
    ]

    /// `assume NAME VALUE` or `assume NAME measured`.
    func assume(_ name: Identifier, _ value: Located<Double>) throws {
        guard let entry = Self.transitionAssumptions.first(where: { $0.name == name.folded }) else {
            throw Diagnostic.unknownName("assumption", name.name, at: name.range, among: Self.transitionAssumptions.map(\.name))
        }
        if value.value.isNaN {
            assumptions[entry.name] = nil
            say("\(entry.name): back to the value measured in this workspace")
            return
        }
        let valid = entry.isShare ? (0...1).contains(value.value) : value.value >= 0 && value.value.isFinite
        guard valid else {
            throw ShellError(entry.isShare ? "\(entry.name) is a share between 0% and 100%" : "\(entry.name) must be 0 or more",
                             at: value.range)
        }
        // Moved GMV comes back × own retention / mall retention: a mall keeping no one divides by 0.
        guard entry.name != "mall_retention" || value.value > 0 else {
            throw ShellError("mall_retention must be above 0%: the moved GMV is scaled by own_retention / mall_retention", at: value.range,
                             help: "a mall that keeps almost no one: assume mall_retention 1%")
        }
        assumptions[entry.name] = value.value
        say("\(entry.name) = \(entry.isShare ? String(format: "%.1f%%", value.value * 100) : String(format: "%.2f", value.value)) (set by you; assume \(entry.name) measured goes back)")
    }

    /// `simulate transition [from A, B] to own [by 10% per quarter] [for 8 quarters]`
    func simulateTransition(_ q: TransitionQuery) throws {
        try requireTable("orders", for: "the transition simulation", load: "orders", at: nil)
        let settings = try metricSettings()
        let target = q.to?.folded ?? "own"
        if let clash = q.from.first(where: { $0.folded == target }) {
            throw ShellError("'\(clash.name)' is both moved from and moved to", at: clash.range)
        }
        let step = q.step?.value ?? 0.10
        guard step > 0 && step <= 1 else { throw ShellError("the step must be above 0% and at most 100% per quarter", at: q.step?.range) }
        let quarters = q.quarters?.value ?? 8
        guard quarters >= 1 && quarters <= TransitionSimulation.maximumQuarters else {
            throw ShellError("the simulation runs 1 to \(TransitionSimulation.maximumQuarters) quarters", at: q.quarters?.range)
        }
        let calibrated = try calibration(asOf: nil)
        let measured = try measureChannels(end: calibrated.end, firstPurchase: calibrated.firstPurchase)
        let known = Set(measured.byChannel.keys)
        // By default the channels measured that the marketplaces setting counts (`Marketplaces`: other spellings too),
        // in the setting's order.
        var malls = q.from.map(\.folded)
        if q.from.isEmpty {
            for entry in settings.marketplaceChannels.map({ Marketplaces([$0]) }) {
                malls += known.filter { entry.contains($0) && !malls.contains($0) && $0 != target }.sorted()
            }
            // `to amazon` moves the other malls to amazon, not amazon to itself.
            guard !malls.isEmpty else {
                throw ShellError("no mall other than '\(target)' has counted orders in the measured year to move from", at: q.to?.range,
                                 help: "name the channels to move: simulate transition from CHANNEL, ... to \(target)")
            }
        }
        for (name, id) in zip(malls, q.from.isEmpty ? [] : q.from) where !known.contains(name) {
            throw ShellError("no counted orders through channel '\(id.name)' in the measured year", at: id.range,
                             help: "channels: " + known.sorted().joined(separator: ", "))
        }
        guard let own = measured.byChannel[target] else {
            throw ShellError("no counted orders through channel '\(target)' in the measured year", at: q.to?.range,
                             help: "channels: " + known.sorted().joined(separator: ", "))
        }
        var mall = malls.compactMap { measured.byChannel[$0] }.reduce(ChannelQuarter(), +)
        // A buyer of two malls in one quarter is one buyer to win over (the per-channel counts hold them twice).
        mall.customers = try distinctBuyers(malls, measured: measured)
        let spendLoaded = try database.tableExists("spend")
        let period = measured.period
        var assumptionRows: [TransitionSimulation.Assumption] = []
        func note(_ name: String, _ value: Double, _ source: String) -> Double {
            assumptionRows.append(.init(name: name, value: value, source: source)); return value
        }
        let from = "measured: \(malls.joined(separator: " + ")), \(period), per quarter"
        let mine = "measured: \(target), \(period), per quarter"
        func chosen(_ name: String, _ measuredValue: Double, _ source: String) -> Double {
            if let v = assumptions[name] { return note(name, v, "set by you (assume \(name) …)") }
            return note(name, measuredValue, source)
        }
        let inputs = TransitionSimulation.Inputs(
            mallGMV: note("mall_gmv", mall.gmv, from), mallRevenue: note("mall_revenue", mall.revenue, from),
            mallMargin: note("mall_margin", mall.margin, from), mallFees: note("mall_fees", mall.fees, from + "; commission + discounts + points"),
            mallCustomers: note("mall_customers", mall.customers, from),
            ownGMV: note("own_gmv", own.gmv, mine), ownRevenue: note("own_revenue", own.revenue, mine),
            ownMargin: note("own_margin", own.margin, mine), ownFees: note("own_fees", own.fees, mine + "; commission + discounts + points"),
            ownRetention: chosen("own_retention", own.retention, "measured: \(target) quarter-on-quarter retention_rate, \(period), pooled: Σ retained / Σ last quarter's buyers"),
            mallRetention: chosen("mall_retention", mall.retention, "measured: retention_rate of \(malls.joined(separator: " + ")), \(period), pooled: Σ retained / Σ last quarter's buyers"),
            ownCAC: chosen("own_cac", measured.ownCAC[target] ?? 0,
                           measured.ownCAC[target] != nil ? "measured: cac of \(target) (spend / new customers), \(period)"
                               + (measured.spendTo == measured.to ? "" : ", spend to \(measured.spendTo), the last day the orders cover")
                           : spendLoaded ? "no ad spend on \(target) in \(period): 0" : "no spend loaded: 0"),
            step: note("step", step, q.step == nil ? "default 10% per quarter" : "set by you"),
            quarters: Int(note("quarters", Double(quarters), q.quarters == nil ? "default 8 quarters" : "set by you")))
        let simulation: TransitionSimulation
        do { simulation = try TransitionSimulation(inputs) } catch let error as CLVError { throw ShellError(error.description) }
        // Each value in its own unit (money, buyers, a share, quarters); the machine formats keep the numbers.
        let formatter = CellFormatter(currency: settings.currency)
        func shown(_ a: TransitionSimulation.Assumption) -> Value {
            let format: ColumnFormat = switch a.name {
            case "mall_customers": .decimal(places: 1)
            case "own_retention", "mall_retention", "step": .percent(places: 1)
            case "quarters": .auto
            default: .currency(code: settings.currency)
            }
            return .text(formatter.text(.real(a.value), format: format))
        }
        var assumed = ResultTable(columns: ["assumption", "value", "source"],
                                  rows: assumptionRows.map { [.text($0.name), shown($0), .text($0.source)] },
                                  formats: [.text, .text, .text],
                                  notes: ["money in \(settings.currency) per quarter, buyers per quarter; retention and step are shares (fractions in CSV and JSON); "
                                          + "change with assume NAME VALUE"])
        assumed.notes.insert(contentsOf: measured.notes, at: 0)
        assumed.machineRows = assumptionRows.map { [.text($0.name), .real($0.value), .text($0.source)] }
        show(assumed, sql: nil)
        var table = simulation.table(currency: settings.currency)
        // With no spend behind own_cac the moved buyers cost nothing to win, and the payback comes too early.
        if assumptions["own_cac"] == nil, measured.ownCAC[target] == nil {
            table.notes.insert("ad_spend is 0 because " + (spendLoaded ? "no ad spend on \(target) was found in \(period)" : "no spend is loaded")
                + ": winning the moved buyers costs nothing here, so the payback comes early; "
                + (spendLoaded ? "" : "load spend from '…', or ") + "assume own_cac VALUE (the ad spend per new \(target) customer)", at: 0)
        }
        show(table, sql: nil)
        // The cumulative cash flow as bars either side of zero, under the table view only (not in csv/json).
        if options.format == .table, let column = table.columns.firstIndex(of: "cumulative_cash_flow") {
            var ro = RenderOptions()
            ro.color = colorEnabled
            let marks = simulation.paybackQuarter.map { [$0 - 1: "pays back"] } ?? [:]
            do { try DivergingBarRenderer(options: ro).render(table, valueColumn: column, marks: marks, to: results) } catch {
                say("(no chart: \(error))")
            }
        }
    }

    /// Per-quarter figures of one channel (or a sum of channels).
    struct ChannelQuarter {
        var gmv = 0.0, revenue = 0.0, margin = 0.0, fees = 0.0, customers = 0.0
        /// Buyers who bought again the next quarter, and the buyers of the quarters before (retention_rate's denominator).
        var retained = 0.0, previousBuyers = 0.0
        /// Pooled quarter-on-quarter retention: Σ retained / Σ previous quarter's buyers, so a quarter counts by the
        /// buyers it could keep, and one with no buyers before it (retention_rate ∅) does not count as 0%.
        var retention: Double { previousBuyers > 0 ? retained / previousBuyers : 0 }
        static func + (l: ChannelQuarter, r: ChannelQuarter) -> ChannelQuarter {
            ChannelQuarter(gmv: l.gmv + r.gmv, revenue: l.revenue + r.revenue, margin: l.margin + r.margin, fees: l.fees + r.fees,
                           customers: l.customers + r.customers, retained: l.retained + r.retained,
                           previousBuyers: l.previousBuyers + r.previousBuyers)
        }
    }

    /// What `measureChannels` measured: per-channel quarterly averages, CAC by channel, the span (as the
    /// sources name it, its first month and last day, the quarters' labels) and the notes on it.
    struct MeasuredChannels {
        var byChannel: [String: ChannelQuarter], ownCAC: [String: Double]
        var period: String, from: String, to: String, quarterLabels: Set<String>
        /// The last day of the spend CAC is measured over: the day the orders cover (after `to` when no order was counted on the quarter's last days).
        var spendTo: String
        var notes: [String]
    }

    /// Quarterly averages per channel over the four calendar quarters ending with the one holding `end`, from the
    /// quarter of the first purchase on when it is later (a shop younger than a year: the quarters before it had no
    /// shop, a note says so; an empty quarter after it counts as 0), from the KPI engine (one definition of every
    /// measure), and CAC by channel over the same span. A note says when the last quarter is cut short: no order
    /// row (of any status) and no as_of reaches its last day; it still counts as a whole quarter in the averages.
    func measureChannels(end: Int, firstPurchase: Int) throws -> MeasuredChannels {
        // The calendar's quarters (labels and running numbers, as the KPI table labels them): the one holding
        // `end`, the three before it, and the one before those, whose buyers are the first quarter's retention denominator.
        func quarter(of day: Int) -> (label: String, number: Int, start: Int, end: Int) {
            PeriodCalendar.period(of: day, grain: .quarter, weekStart: .monday)
        }
        let last = quarter(of: end)
        var quarters = [last]
        for _ in 0..<4 { quarters.insert(quarter(of: quarters[0].start - 1), at: 0) }
        let before = quarters[0]
        let opening = quarter(of: firstPurchase)
        let firstQuarter = opening.number > quarters[1].number ? opening : quarters[1]
        let counted = quarters.filter { $0.number >= firstQuarter.number }
        var notes: [String] = []
        // The orders export runs to its last row whatever its status; as_of, when set, is the user's word.
        let covered = try metricSettings().asOf != nil ? end : max(end, try WorkspaceDates.lastDay(of: "orders", database) ?? end)
        if covered < last.end {
            notes.append("\(last.label)'s orders end on \(DayNumber.isoDate(covered)) (\(covered - last.start + 1) of its \(last.end - last.start + 1) days) "
                + "but it counts as a whole quarter in these averages, which understates the per-quarter money and buyers if orders are missing after that day; "
                + "set as_of \(DayNumber.isoDate(last.start - 1)) to measure whole quarters before it, or set as_of \(DayNumber.isoDate(last.end)) "
                + "if the orders export covers the quarter to its end")
        }
        if counted.count < 4 {
            let cut = firstPurchase > opening.start
                ? " (\(opening.label) from that day only, \(opening.end - firstPurchase + 1) of its \(opening.end - opening.start + 1) days, which understates it)" : ""
            notes.append("the first purchase is on \(DayNumber.isoDate(firstPurchase)): the averages are over the \(counted.count) "
                + "quarter\(counted.count == 1 ? "" : "s") \(opening.label)\(counted.count == 1 ? "" : " to \(last.label)"), not four\(cut)")
        }
        let from = String(DayNumber.isoDate(firstQuarter.start).prefix(7)), to = DayNumber.isoDate(end)
        let engine = KPIEngine(database, settings: try metricSettings())
        let result = try engine.run(ECAnalytics.KPIQuery(kpis: ["gmv", "revenue", "margin", "commission", "discount_rate", "customers", "retention_rate"],
                                                         groupBy: [.grain(.quarter), .dimension(name: "channel")],
                                                         from: String(DayNumber.isoDate(before.start).prefix(7)), to: to))
        let t = result.table
        func col(_ name: String) -> Int? { t.columns.firstIndex(of: name) }
        let numbers = Dictionary(uniqueKeysWithValues: quarters.map { ($0.label, $0.number) })
        let first = firstQuarter.number
        var sums: [String: ChannelQuarter] = [:]
        var buyers: [String: [Int: Double]] = [:]
        var rows: [(channel: String, quarter: Int, row: [Value])] = []
        for (i, row) in t.rows.enumerated() where !t.summaryRows.contains(i) {
            guard let c = col("channel"), let channel = row[c].textValue?.lowercased(),
                  let qc = col("quarter"), let quarter = row[qc].textValue.flatMap({ numbers[$0] }) else { continue }
            buyers[channel, default: [:]][quarter] = col("customers").flatMap { row[$0].doubleValue } ?? 0
            if quarter >= first { rows.append((channel, quarter, row)) }
        }
        for (channel, quarter, row) in rows {
            func v(_ name: String) -> Double { col(name).flatMap { row[$0].doubleValue } ?? 0 }
            let gmv = v("gmv"), previous = buyers[channel]?[quarter - 1] ?? 0
            let add = ChannelQuarter(gmv: gmv, revenue: v("revenue"), margin: v("margin"),
                                     fees: v("commission") + v("discount_rate") * gmv, customers: v("customers"),
                                     retained: v("retention_rate") * previous, previousBuyers: previous)
            sums[channel] = (sums[channel] ?? ChannelQuarter()) + add
        }
        // A channel's quarter with no buyers has no row, but its buyers may still come back the quarter after.
        for (channel, byQuarter) in buyers where sums[channel] != nil {
            for quarter in counted.map(\.number) where byQuarter[quarter] == nil {
                sums[channel, default: ChannelQuarter()].previousBuyers += byQuarter[quarter - 1] ?? 0
            }
        }
        let n = Double(counted.count)
        let averages = sums.mapValues { s in
            ChannelQuarter(gmv: s.gmv / n, revenue: s.revenue / n, margin: s.margin / n, fees: s.fees / n,
                           customers: s.customers / n, retained: s.retained, previousBuyers: s.previousBuyers)
        }
        var cac: [String: Double] = [:]
        // Spend runs to the day the orders are known to cover (as_of, or the export's last row of any status), not
        // the last counted order: ad spend on the quarter's last days after its last order was dropped from CAC.
        let spendTo = DayNumber.isoDate(min(covered, last.end))
        if try database.tableExists("spend") {
            // The engine ends a range at the last order unless as_of says the data runs later: here it does, to `covered`.
            var through = try metricSettings()
            through.asOf = spendTo
            let r = try KPIEngine(database, settings: through).run(ECAnalytics.KPIQuery(kpis: ["cac"], groupBy: [.dimension(name: "channel")],
                                                                                         from: from, to: spendTo)).table
            if let c = r.columns.firstIndex(of: "channel"), let k = r.columns.firstIndex(of: "cac") {
                for (i, row) in r.rows.enumerated() where !r.summaryRows.contains(i) {
                    if let ch = row[c].textValue?.lowercased(), let v = row[k].doubleValue { cac[ch] = v }
                }
            }
        }
        return MeasuredChannels(byChannel: averages, ownCAC: cac, period: "\(from) to \(to) (\(counted.count) quarter\(counted.count == 1 ? "" : "s"))",
                                from: from, to: to, quarterLabels: Set(counted.map(\.label)), spendTo: spendTo, notes: notes)
    }

    /// Buyers per quarter of `malls` together, over the measured quarters: a customer buying on two of them in one
    /// quarter counts once, as one buyer the own site has to win.
    func distinctBuyers(_ malls: [String], measured: MeasuredChannels) throws -> Double {
        let filter = SQLFragment("lower(\"channel\") IN (" + malls.map { _ in "?" }.joined(separator: ", ") + ")", malls.map { .text($0) })
        let t = try KPIEngine(database, settings: try metricSettings())
            .run(ECAnalytics.KPIQuery(kpis: ["customers"], groupBy: [.grain(.quarter)], orderFilter: filter, from: measured.from, to: measured.to)).table
        guard let q = t.columns.firstIndex(of: "quarter"), let c = t.columns.firstIndex(of: "customers") else { return 0 }
        let buyers = t.rows.enumerated().filter { !t.summaryRows.contains($0.offset) && measured.quarterLabels.contains($0.element[q].textValue ?? "") }
            .reduce(0.0) { $0 + ($1.element[c].doubleValue ?? 0) }
        return buyers / Double(measured.quarterLabels.count)
    }
}
