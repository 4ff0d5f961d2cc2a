import ECStore
/// One parsed ecsh statement and the source range it was written at.
///
/// Named `ShellStatement`, not `Statement`, because ECStore already has a public
/// `Statement` (a prepared SQLite statement) and the shell imports both modules.
public struct ShellStatement: Sendable, Hashable {
    public var kind: StatementKind
    /// From the first character of the command word to the end of the statement.
    public var range: SourceRange

    public init(_ kind: StatementKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// What a statement asks for; one case per command of `CommandCatalog`.
public enum StatementKind: Sendable, Hashable {
    // MARK: Data
    /// `sql <raw SQLite SQL>`
    case sql(RawSQL)
    /// `tables`
    case tables
    /// `rebuild`: recompute derived data now
    case rebuild
    /// `describe NAME`
    case describe(Identifier)
    /// `head NAME [n]`
    case head(Identifier, rows: Located<Int>?)
    /// `load ROLE from 'file' …` or `load table NAME from 'file' …`
    case load(LoadStatement)
    /// `export to 'file.ext' [with bom]`; `bom` is the range of the word, when given.
    case export(path: Located<String>, bom: SourceRange?)

    // MARK: Segments
    /// `segment NAME = PREDICATE`
    case defineSegment(name: Identifier, predicate: Expr)
    /// `segments`
    case segments
    /// `drop segment NAME`
    case dropSegment(Identifier)

    // MARK: KPIs
    /// `kpis`
    case kpis
    /// `kpi A, B [within …] [by …] [for …] [where …] [from … to …] [chart]`
    case kpi(KPIQuery)
    /// `kpi tree NAME [by GRAIN] [from … to …]`
    case kpiTree(KPITreeQuery)
    /// `define kpi NAME = EXPR`
    case defineKPI(name: Identifier, formula: Expr)
    /// `drop kpi NAME`
    case dropKPI(Identifier)
    /// `target KPI OP VALUE`
    case target(TargetStatement)
    /// `scorecard [by GRAIN]`
    case scorecard(by: Identifier?)

    // MARK: Analyses
    /// `cohort [metric] [cumulative] [by …] [mode …] [periods N] [for …] [where …]`
    case cohort(CohortQuery)
    /// `nps [by X, …] [for SEG, …]`
    case nps(NPSQuery)
    /// `nps compare A, B` or `nps compare by X [for SEG, …]`
    case npsCompare(NPSComparison)
    /// `unit economics [by X, …] [horizon N months]`
    case unitEconomics(UnitEconomicsQuery)
    /// `predict ltv [horizon N months] [for SEG, …] [discount R% per year] [as_of DATE]`
    case predictLTV(PredictLTVQuery)
    /// `predict alive [for SEG, …] [top N] [horizon …] [model M] [discount …] [as_of DATE]`
    case predictAlive(PredictAliveQuery)
    /// `predict validate [holdout N weeks] [model M]`
    case predictValidate(holdout: Located<TimeSpan>?, model: Identifier?)
    /// `simulate transition [from A, B] to NAME [by R% per quarter] [for N quarters]`
    case simulateTransition(TransitionQuery)
    /// `assume NAME VALUE`: a simulation assumption set by the user (`assume own_retention 40%`).
    case assume(name: Identifier, value: Located<Double>)

    // MARK: Teaching
    /// `explain WORDS` (`explain ltv`, `explain sales equation`); the words as written.
    case explain(topic: [Identifier])
    /// `tutorial [next | N]`
    case tutorial(TutorialStep)
    /// `answer TEXT`: the learner's answer to the tutorial's question, as written.
    case answer(String)
    /// `help [command words]`
    case help(topic: [Identifier])

    // MARK: Session
    /// `set NAME VALUE[, VALUE…]`; `format`, `color` and `maxrows` values are validated by the parser.
    case set(SetStatement)
    /// `show settings`
    case showSettings
    /// `show sql`
    case showSQL
    /// `timer on|off`
    case timer(Bool)
    /// `chart on|off`
    case chart(Bool)
    /// `run 'file.ecsh'`
    case run(path: Located<String>)
    /// `quit` or `exit`
    case quit
}

/// The raw SQL of a `sql` statement, exactly as written.
public struct RawSQL: Sendable, Hashable {
    /// The SQL text. A line-joining `\` and each Character of a `#` comment are replaced by a space, so
    /// offsets and lines still match the source.
    public var text: String
    /// Where `text` starts and ends in the source.
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// A dataset role: the canonical datasets analyses read (one definition, in ECStore).
public typealias DatasetRole = ECStore.DatasetRole

/// `load …`
public struct LoadStatement: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// `load orders from …`
        case role(DatasetRole, range: SourceRange)
        /// `load table NAME from …`
        case table(Identifier)
    }

    public var target: Target
    public var path: Located<String>
    /// `append`: add rows instead of replacing the dataset.
    public var append: Bool
    /// `with name value, …` in the order written (e.g. `encoding 'cp932'`, `header true`, `skip 2`).
    public var options: [LoadOption]
    /// `preset NAME`
    public var preset: Identifier?
    /// `map field = "Header", …`
    public var mappings: [FieldMapping]

    public init(target: Target, path: Located<String>, append: Bool = false, options: [LoadOption] = [],
                preset: Identifier? = nil, mappings: [FieldMapping] = []) {
        self.target = target
        self.path = path
        self.append = append
        self.options = options
        self.preset = preset
        self.mappings = mappings
    }
}

/// One `with` option of `load`: a name and a value.
public struct LoadOption: Sendable, Hashable {
    public var name: Identifier
    public var value: Located<OptionValue>
    public init(name: Identifier, value: Located<OptionValue>) { self.name = name; self.value = value }
}

/// `field = "Header"`: a canonical field read from a differently named column.
public struct FieldMapping: Sendable, Hashable {
    public var field: Identifier
    /// The header as written: `"Created at"` (quoted identifier) or `'Created at'` (string) both give `Created at`.
    public var header: Identifier
    public init(field: Identifier, header: Identifier) { self.field = field; self.header = header }
}

/// `set NAME VALUE[, VALUE…]`
public struct SetStatement: Sendable, Hashable {
    public var name: Identifier
    public var values: [Located<OptionValue>]
    public init(name: Identifier, values: [Located<OptionValue>]) { self.name = name; self.values = values }
}

/// A calendar bound of `from … to …`: a day or a whole month.
public enum DateBound: Sendable, Hashable {
    case day(CalendarDate)
    case month(CalendarMonth)
}

/// `kpi …`
public struct KPIQuery: Sendable, Hashable {
    /// The KPI names, in the order written.
    public var kpis: [Identifier]
    /// `within N days`: the window of windowed KPIs such as f2_rate.
    public var within: Located<TimeSpan>?
    /// `by`: a time grain and/or dimensions, as written (resolved by the analytics layer).
    public var by: [Identifier]
    /// `for`: segments shown side by side.
    public var segments: [Identifier]
    /// `where`: a filter on order rows.
    public var filter: Expr?
    public var from: Located<DateBound>?
    public var to: Located<DateBound>?
    /// `chart`: draw a chart under the table.
    public var chart: Bool

    public init(kpis: [Identifier], within: Located<TimeSpan>? = nil, by: [Identifier] = [],
                segments: [Identifier] = [], filter: Expr? = nil,
                from: Located<DateBound>? = nil, to: Located<DateBound>? = nil, chart: Bool = false) {
        self.kpis = kpis
        self.within = within
        self.by = by
        self.segments = segments
        self.filter = filter
        self.from = from
        self.to = to
        self.chart = chart
    }
}

/// `target KPI OP VALUE [under "OBJECTIVE"]`
public struct TargetStatement: Sendable, Hashable {
    public var kpi: Identifier
    public var comparison: Located<ComparisonOperator>
    public var value: Located<Literal>
    /// The objective this target is a key result of (`under "Grow customer equity"`).
    public var objective: Located<String>?
    public init(kpi: Identifier, comparison: Located<ComparisonOperator>, value: Located<Literal>, objective: Located<String>? = nil) {
        self.kpi = kpi
        self.comparison = comparison
        self.value = value
        self.objective = objective
    }
}

/// What a cohort table shows in each cell.
public enum CohortMetric: String, Sendable, Hashable, CaseIterable {
    case retention, customers, orders, revenue, margin
}

/// When a customer counts as retained at offset k (docs/metrics.md, Cohorts): the one
/// definition, which the parser reads and the cohort engine computes.
public enum RetentionMode: String, Sendable, Hashable, CaseIterable {
    /// Ordered in period c + k (the default; 100% at offset 0).
    case on
    /// Ordered in period c + k or any later period.
    case onOrAfter = "on_or_after"
    /// Has made a repeat (second) order by period c + k.
    case cumulative
}

/// `cohort …`
public struct CohortQuery: Sendable, Hashable {
    /// Nil means the default (retention).
    public var metric: Located<CohortMetric>?
    public var cumulative: Bool
    public var by: [Identifier]
    public var mode: Located<RetentionMode>?
    public var periods: Located<Int>?
    public var segments: [Identifier]
    public var filter: Expr?

    public init(metric: Located<CohortMetric>? = nil, cumulative: Bool = false, by: [Identifier] = [],
                mode: Located<RetentionMode>? = nil, periods: Located<Int>? = nil,
                segments: [Identifier] = [], filter: Expr? = nil) {
        self.metric = metric
        self.cumulative = cumulative
        self.by = by
        self.mode = mode
        self.periods = periods
        self.segments = segments
        self.filter = filter
    }
}

/// `nps [by …] [for …]`
public struct NPSQuery: Sendable, Hashable {
    public var by: [Identifier]
    public var segments: [Identifier]
    public init(by: [Identifier] = [], segments: [Identifier] = []) { self.by = by; self.segments = segments }
}

/// `nps compare …`: two segments, or every group of one dimension against a reference.
public enum NPSComparison: Sendable, Hashable {
    /// `nps compare A, B`
    case segments(Identifier, Identifier)
    /// `nps compare by X [for SEG, …]`: X is a time grain, a column of the responses or a customer attribute,
    /// resolved by the shell.
    case by(Identifier, segments: [Identifier])
}

/// `unit economics [by …] [horizon N months]`
public struct UnitEconomicsQuery: Sendable, Hashable {
    public var by: [Identifier]
    public var horizon: Located<TimeSpan>?
    public init(by: [Identifier] = [], horizon: Located<TimeSpan>? = nil) { self.by = by; self.horizon = horizon }
}

/// `predict ltv …`
public struct PredictLTVQuery: Sendable, Hashable {
    public var horizon: Located<TimeSpan>?
    public var segments: [Identifier]
    /// `by DIMENSION`: one row per value of a customer attribute (first_channel, cohort, …).
    public var by: Identifier?
    /// `pooled` (one fit, grouped summaries) or `separate` (one fit per group); nil means pooled.
    public var fitting: Located<CLVFitting>?
    /// `model bgnbd|mbgnbd|paretonbd|auto`: the purchase model, resolved by the shell.
    public var model: Identifier?
    /// `discount 10% per year`: the annual discount rate as a fraction (0.10).
    public var annualDiscountRate: Located<Double>?
    public var asOf: Located<CalendarDate>?

    public init(horizon: Located<TimeSpan>? = nil, segments: [Identifier] = [], by: Identifier? = nil,
                fitting: Located<CLVFitting>? = nil, model: Identifier? = nil,
                annualDiscountRate: Located<Double>? = nil, asOf: Located<CalendarDate>? = nil) {
        self.horizon = horizon
        self.segments = segments
        self.by = by
        self.fitting = fitting
        self.model = model
        self.annualDiscountRate = annualDiscountRate
        self.asOf = asOf
    }
}

/// `simulate transition …`
public struct TransitionQuery: Sendable, Hashable {
    /// The marketplaces to move from; empty means every marketplace channel (setting `marketplaces`).
    public var from: [Identifier]
    /// The channel to move to (`own`).
    public var to: Identifier?
    /// `by 10% per quarter`: the share of the malls' GMV moved each quarter, as a fraction.
    public var step: Located<Double>?
    /// `for 8 quarters`
    public var quarters: Located<Int>?
    public init(from: [Identifier] = [], to: Identifier? = nil, step: Located<Double>? = nil, quarters: Located<Int>? = nil) {
        self.from = from
        self.to = to
        self.step = step
        self.quarters = quarters
    }
}

/// How `predict ltv` fits groups: one model for everybody, or one per group.
public enum CLVFitting: String, Sendable, Hashable, CaseIterable {
    case pooled, separate
}

/// `predict alive [for …] [top N] [horizon N months] [model M] [discount R% per year] [as_of DATE]`
public struct PredictAliveQuery: Sendable, Hashable {
    public var segments: [Identifier]
    public var top: Located<Int>?
    /// The horizon of the expected purchases and the CLV, as in `predict ltv` (12 months when not given).
    public var horizon: Located<TimeSpan>?
    /// `model bgnbd|mbgnbd|paretonbd|auto`, resolved by the shell.
    public var model: Identifier?
    /// `discount 10% per year` as a fraction.
    public var annualDiscountRate: Located<Double>?
    public var asOf: Located<CalendarDate>?

    public init(segments: [Identifier] = [], top: Located<Int>? = nil, horizon: Located<TimeSpan>? = nil,
                model: Identifier? = nil, annualDiscountRate: Located<Double>? = nil, asOf: Located<CalendarDate>? = nil) {
        self.segments = segments
        self.top = top
        self.horizon = horizon
        self.model = model
        self.annualDiscountRate = annualDiscountRate
        self.asOf = asOf
    }
}

/// `tutorial [next | N]`
public enum TutorialStep: Sendable, Hashable {
    /// `tutorial`: start, or show the current lesson.
    case current
    case next
    /// `tutorial 3`
    case lesson(Int)
}

/// `kpi tree NAME [by GRAIN] [from DATE to DATE]`: a KPI's decomposition as a tree.
public struct KPITreeQuery: Sendable, Hashable {
    /// revenue, gmv, margin or customer_equity.
    public var root: Identifier
    /// month, quarter or year (default: month); the tree compares the last period with the one before.
    public var by: Identifier?
    public var from: Located<DateBound>?
    public var to: Located<DateBound>?

    public init(root: Identifier, by: Identifier? = nil, from: Located<DateBound>? = nil, to: Located<DateBound>? = nil) {
        self.root = root
        self.by = by
        self.from = from
        self.to = to
    }
}
