import Foundation
import ECStore
import ECLanguage
import ECAnalytics

/// The names tab completion chooses from, by kind, refreshed after each statement.
///
/// Kept by kind (not one flat list) so the completer can offer what fits where
/// the cursor is: segments after `for`, grains and dimensions after `by`, …
struct CompletionVocabulary: Sendable, Equatable {
    var kpis: [String] = []
    var grains: [String] = TimeGrain.allCases.map(\.rawValue)
    /// Columns of `orders` (for `by` and `where`).
    var orderColumns: [String] = []
    /// Customer attributes (for `segment … =`, `by` and `cohort by`).
    var customerAttributes: [String] = []
    var segments: [String] = []
    var definedKPIs: [String] = []
    var tables: [String] = []
    /// Columns of every table (for `sql`).
    var columns: [String] = []
    /// Columns of `nps` that `nps by` accepts.
    var npsColumns: [String] = []
    /// `explain` topics: KPIs, concepts and commands.
    var topics: [String] = []
    var settings: [String] = SessionOptions.names + MetricSettings.names
    var settingValues: [String: [String]] = SessionOptions.values.merging(
        ["week_start": MetricSettings.WeekStart.allCases.map(\.rawValue), "currency": ["JPY", "USD", "EUR"]]) { a, _ in a }
}

extension Session {
    /// What the workspace holds now, for completion. Reads only names; never builds anything.
    func completionVocabulary() -> CompletionVocabulary {
        var v = CompletionVocabulary()
        let tables = ((try? database.tableNames()) ?? []).filter { !$0.hasPrefix("ecsh_") }
        v.tables = tables
        var columns: [String] = []
        for t in tables { columns += (try? database.columns(of: t).map(\.name)) ?? [] }
        v.columns = Array(Set(columns)).sorted()
        if tables.contains("orders") {
            v.orderColumns = ((try? database.columns(of: "orders").map(\.name)) ?? []).filter { $0 != "day" }
        }
        if tables.contains("nps") {
            v.npsColumns = ((try? database.columns(of: "nps").map(\.name)) ?? [])
                .filter { !["score", "responded_at", "day", "customer_id"].contains($0.lowercased()) }
        }
        var attributes = ((try? CustomerFacts.attributes(database).map(\.name)) ?? [])
        if tables.contains("customers") {
            attributes += ((try? database.columns(of: "customers").map(\.name)) ?? []).filter { !attributes.contains($0) }
        }
        v.customerAttributes = attributes.filter { $0 != "customer_id" }
        v.segments = ((try? segmentCatalog.definitions().values.map(\.name)) ?? []).sorted()
        v.definedKPIs = ((try? DerivedKPIs.load(database).keys.map { $0 }) ?? []).sorted()
        v.kpis = KPICatalogue.all.map(\.name) + v.definedKPIs
        v.topics = ExplainTopics.all(definedKPIs: v.definedKPIs).map(\.name)
        return v
    }
}
