import ECStore

/// A time grain for `by day|week|month|quarter|year`.
public enum TimeGrain: String, Sendable, Equatable, CaseIterable {
    case day, week, month, quarter, year
}

/// One `by` item: a time grain or a dimension (a column of orders or of the customer facts).
public enum Grouping: Sendable, Equatable {
    case grain(TimeGrain)
    /// `channel`, `status` or any orders column; `first_channel`, `cohort`
    /// or any customer attribute (customer facts, customers dataset).
    case dimension(name: String)
}

/// A named customer filter: a predicate over `ecsh_customer_facts` columns.
public struct NamedSegment: Sendable, Equatable {
    public var name: String
    public var predicate: SQLFragment
    public init(name: String, predicate: SQLFragment) {
        self.name = name
        self.predicate = predicate
    }
}

/// What `kpi …` asks for.
public struct KPIQuery: Sendable, Equatable {
    public var kpis: [String]
    public var groupBy: [Grouping]
    /// Segments to compare. Without a grain or dimension, one row per segment under a
    /// leading `segment` column; with one and two or more segments, one row per key
    /// and the segments side by side (`vip gmv`, `one_timers gmv`, see `pivotingSegments`).
    public var segments: [NamedSegment]
    /// A condition over the columns of `orders` (`where …`).
    public var orderFilter: SQLFragment?
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the first period shown.
    public var from: String?
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the last period shown (inclusive).
    public var to: String?
    /// Overrides the f2_window setting (`within 90 days`).
    public var f2WindowDays: Int?

    public init(kpis: [String], groupBy: [Grouping] = [], segments: [NamedSegment] = [],
                orderFilter: SQLFragment? = nil, from: String? = nil, to: String? = nil, f2WindowDays: Int? = nil) {
        self.kpis = kpis
        self.groupBy = groupBy
        self.segments = segments
        self.orderFilter = orderFilter
        self.from = from
        self.to = to
        self.f2WindowDays = f2WindowDays
    }
}

/// The answer to a `KPIQuery`.
public struct KPIResult: Sendable {
    /// Key columns (segment, period, dimensions) then one or more columns per KPI;
    /// a total row (in `summaryRows`) when rows are summable. With two or more
    /// segments and a grain or dimension: period and dimensions, then each
    /// segment's KPI columns (`vip gmv`, `vip aov`, `one_timers gmv`, …).
    public var table: ResultTable
    /// The SQL that produced the rows, laid out for reading (`show sql`).
    public var sql: String
    /// Its bound values, in placeholder order.
    public var bindings: [Value]
    /// True when `sql` is what ran; false when the snapshot route computed the
    /// same numbers and `sql` is the reference SQL (`show sql` says which).
    public var ranReferenceSQL: Bool
    /// The days the query covered (`from … to …`, or the first data day to as_of), so callers
    /// marking partial periods need not work it out again.
    public var dateRange: ClosedRange<Int>?

    public init(table: ResultTable, sql: String, bindings: [Value], ranReferenceSQL: Bool = true, dateRange: ClosedRange<Int>? = nil) {
        self.table = table
        self.sql = sql
        self.bindings = bindings
        self.ranReferenceSQL = ranReferenceSQL
        self.dateRange = dateRange
    }
}
