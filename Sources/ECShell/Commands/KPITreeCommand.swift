import ECStore
import ECLanguage
import ECAnalytics

/// `kpi tree revenue|gmv|margin|customer_equity [by GRAIN] [from A to B]`.
extension Session {
    func runKPITree(_ q: ECLanguage.KPITreeQuery) throws {
        guard let root = KPITreeRoot(rawValue: q.root.folded) else {
            throw Diagnostic.unknownName("KPI tree", q.root.name, at: q.root.range, among: KPITreeRoot.allCases.map(\.rawValue))
        }
        guard try database.tableExists("orders") else {
            throw ShellError("kpi tree needs orders", at: q.root.range, help: "load orders from 'orders.csv' (or try ecsh --demo)")
        }
        var grain = ECAnalytics.TimeGrain.month
        if let by = q.by {
            guard let g = ECAnalytics.TimeGrain(rawValue: by.folded), g != ECAnalytics.TimeGrain.day else {
                throw Diagnostic.unknownName("time grain", by.name, at: by.range, among: ["week", "month", "quarter", "year"])
            }
            grain = g
        }
        func bound(_ b: Located<DateBound>?) -> String? {
            switch b?.value {
            case .day(let d): return d.description
            case .month(let m): return m.description
            case nil: return nil
            }
        }
        let query = ECAnalytics.KPITreeQuery(root: root, grain: grain, from: bound(q.from), to: bound(q.to))
        let result: KPITreeResult
        do {
            result = try KPITreeEngine.run(query, db: database, settings: try metricSettings(),
                                           selection: try orderSelection(segments: [], filter: nil))
        } catch let e as MetricsError {
            throw ShellError(e.message, at: q.from?.range ?? q.root.range)
        }
        show(result.table, sql: nil)
    }
}
