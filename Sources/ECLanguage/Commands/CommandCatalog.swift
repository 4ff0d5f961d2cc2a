/// The task a command belongs to, for grouped help.
public enum CommandGroup: String, Sendable, Hashable, CaseIterable {
    case data = "Data", segments = "Segments", kpis = "KPIs", analyses = "Analyses", teaching = "Teaching", session = "Session"
}

/// Every command of the language, one case each; the parser dispatches on it exhaustively.
public enum CommandID: String, Sendable, Hashable, CaseIterable {
    case sql, tables, describe, head, load, export, report, endReport
    case segment, segments, dropSegment
    case kpis, kpi, kpiTree, defineKPI, dropKPI, target, scorecard
    case cohort, nps, npsCompare, unitEconomics, predictLTV, predictAlive, predictValidate, simulateTransition, assume
    case explain, tutorial, answer, help
    case set, showSettings, showSQL, timer, chart, run, quit
    case rebuild
}

/// One command: its words, how to write it, what it does, and the keywords it accepts.
public struct CommandInfo: Sendable, Hashable {
    public var id: CommandID
    /// The command words, lower case: "kpi", "unit economics", "drop segment".
    public let name: String
    /// Other spellings of the whole name ("exit" for "quit").
    public var aliases: [String]
    public var usage: String
    public var summary: String
    public var group: CommandGroup
    public var examples: [String]
    /// Keywords that may follow the command words (for tab completion).
    public var keywords: [String]

    /// The name's words, split once here: the parser matches every statement against them.
    public let words: [String]

    public init(id: CommandID, name: String, aliases: [String], usage: String, summary: String, group: CommandGroup,
                examples: [String], keywords: [String]) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.usage = usage
        self.summary = summary
        self.group = group
        self.examples = examples
        self.keywords = keywords
        self.words = name.split(separator: " ").map(String.init)
    }
}

/// The one command table: it drives dispatch, help, tab completion and "did you mean".
public enum CommandCatalog {
    public static let all: [CommandInfo] = [
        // Data
        c(.load, "load", "load ROLE|table NAME from 'FILE' [append] [with OPTION VALUE, ...] [preset NAME] [map FIELD = \"Header\", ...]",
          "Load a CSV file as a dataset (orders, customers, spend, traffic, nps) or a plain table.", .data,
          ["load orders from 'samples/shop/orders.csv'", "load spend from 'samples/shop/ad_spend.csv'", "load table regions from 'samples/shop/customers.csv' with header true"],
          ["orders", "customers", "spend", "traffic", "nps", "table", "from", "append", "with", "preset", "map"]),
        c(.tables, "tables", "tables", "List datasets: role, rows, date range and source file; when derived data was built, and from which load.", .data, ["tables"], []),
        c(.rebuild, "rebuild", "rebuild", "Recompute all derived data (customer facts, order snapshot, period calendar) from the loaded datasets now.", .data, ["rebuild"], []),
        c(.describe, "describe", "describe NAME", "Show a dataset's columns, types, role mapping, nulls, min and max.", .data,
          ["describe orders"], ["orders", "customers", "spend", "traffic", "nps"]),
        c(.head, "head", "head NAME [N]", "Show the first rows of a dataset (10 by default).", .data,
          ["head orders", "head customers 5"], ["orders", "customers", "spend", "traffic", "nps"]),
        c(.sql, "sql", "sql SQLITE-SQL", "Run raw SQLite SQL against the workspace.", .data,
          ["sql select channel, count(*) from orders group by 1"], []),
        c(.export, "export", "export to 'FILE.EXT' [with bom]", "Write the last result to a file; the format follows the extension (.csv .json .md .html).", .data,
          ["export to 'out.csv'", "export to 'report.md'", "export to 'for-excel.csv' with bom"], ["to", "with"]),
        // Recognised before the parser (they frame other statements); listed here for help and completion.
        c(.report, "report", "report to 'FILE.html' [title 'TEXT'] ... end report",
          "Collect every result until end report into one HTML page: a title, the statement, the table and chart of each.", .data,
          ["report to 'kpis.html' title 'Sample shop KPIs'"], ["to", "title"]),
        c(.endReport, "end report", "end report", "Write the page that report to started and stop collecting.", .data,
          ["end report"], []),
        // Segments
        c(.segment, "segment", "segment NAME = PREDICATE", "Define a named customer filter.", .segments,
          ["segment repeaters = orders >= 2", "segment one_timers = orders = 1", "segment own_first = first_channel = 'own'",
           "segment at_risk = recency > 180 days and orders >= 2", "segment vip = revenue >= 50000 and region in ('Tokyo', 'Osaka')"], ["and", "or", "not", "in", "between", "like", "is", "null"]),
        c(.segments, "segments", "segments", "List segments: name, definition, customers and share.", .segments, ["segments"], []),
        c(.dropSegment, "drop segment", "drop segment NAME", "Forget a segment.", .segments, ["drop segment vip"], []),
        // KPIs
        c(.kpis, "kpis", "kpis", "List the KPI catalogue: name, meaning and the data each needs.", .kpis, ["kpis"], []),
        c(.kpi, "kpi", "kpi NAME[, ...] [within N days] [by GRAIN|DIMENSION, ...] [for SEGMENT, ...] [where PREDICATE] [from DATE to DATE] [chart]",
          "Compute KPIs, optionally by time grain or dimension, per segment, filtered.", .kpis,
          ["kpi gmv, orders, aov by month", "kpi f2_rate within 90 days by cohort", "kpi cac, roas by channel from 2024-01 to 2024-12",
           "kpi gmv, aov by quarter for repeaters, one_timers"],
          ["within", "by", "for", "where", "from", "to", "chart", "day", "week", "month", "quarter", "year"]),
        c(.kpiTree, "kpi tree", "kpi tree revenue|gmv|margin|customer_equity [by month|quarter|year] [from DATE to DATE]",
          "A KPI's decomposition as a tree: each node's value and change on the period before, the biggest mover marked.", .kpis,
          ["kpi tree revenue", "kpi tree margin by quarter", "kpi tree gmv by month from 2024-03 to 2024-05"], ["by", "from", "to"]),
        c(.defineKPI, "define kpi", "define kpi NAME = FORMULA", "Define a KPI from other KPIs with + - * / and numbers.", .kpis,
          ["define kpi margin_per_customer = margin / customers"], []),
        c(.dropKPI, "drop kpi", "drop kpi NAME", "Forget a defined KPI and its target.", .kpis, ["drop kpi margin_per_customer"], []),
        c(.target, "target", "target KPI OP VALUE [under \"OBJECTIVE\"]", "Set a target for a KPI, shown by scorecard (a key result under an objective).", .kpis,
          ["target repeat_rate >= 35%", "target cac <= 3000 under \"Grow customer equity\""], ["under"]),
        c(.scorecard, "scorecard", "scorecard [by GRAIN]", "KPIs against their targets, with trend.", .kpis,
          ["scorecard", "scorecard by quarter"], ["by", "month", "quarter", "year"]),
        // Analyses
        c(.cohort, "cohort", "cohort [retention|customers|orders|revenue|margin] [cumulative] [by ...] [mode on|on_or_after|cumulative] [periods N] [for SEGMENT] [where PREDICATE]",
          "A cohort table by month of first order (retention by default, 12 periods).", .analyses,
          ["cohort", "cohort retention by quarter for own_first", "cohort margin cumulative by month"],
          ["retention", "customers", "orders", "revenue", "margin", "cumulative", "by", "mode", "on", "on_or_after", "periods", "for", "where"]),
        c(.nps, "nps", "nps [by X, ...] [for SEGMENT, ...]", "Net Promoter Score with its margin of error.", .analyses,
          ["nps", "nps by month"], ["by", "for", "compare"]),
        c(.npsCompare, "nps compare", "nps compare SEGMENT, SEGMENT | nps compare by GRAIN|X [for SEGMENT, ...]",
          "Compare the NPS of two segments, or of each group of X against the rest, with a significance test.", .analyses,
          ["nps compare repeaters, one_timers", "nps compare by first_channel", "nps compare by quarter"], ["by", "for"]),
        c(.unitEconomics, "unit economics", "unit economics [by X, ...] [horizon N months]", "CAC, AOV, margin, LTV, LTV/CAC and payback.", .analyses,
          ["unit economics", "unit economics by channel horizon 12 months"], ["by", "horizon", "months"]),
        c(.predictLTV, "predict ltv", "predict ltv [horizon N months] [for SEGMENT, ...] [by DIMENSION] [pooled|separate] [model bgnbd|mbgnbd|paretonbd|auto] [discount R% per year] [as_of DATE]",
          "Predict customer lifetime value (BG/NBD or another purchase model, and Gamma-Gamma), per group.", .analyses,
          ["predict ltv horizon 12 months", "predict ltv for repeaters discount 10% per year", "predict ltv by first_channel separate"],
          ["horizon", "for", "by", "pooled", "separate", "model", "bgnbd", "mbgnbd", "paretonbd", "auto", "discount", "per", "year", "as_of"]),
        c(.predictAlive, "predict alive", "predict alive [for SEGMENT, ...] [top N] [horizon N months] [model bgnbd|mbgnbd|paretonbd|auto] [discount R% per year] [as_of DATE]",
          "The probability each customer is still active.", .analyses,
          ["predict alive for at_risk top 20", "predict alive top 5 horizon 24 months discount 5% per year"],
          ["for", "top", "horizon", "model", "bgnbd", "mbgnbd", "paretonbd", "auto", "discount", "per", "year", "as_of"]),
        c(.predictValidate, "predict validate", "predict validate [holdout N weeks] [model bgnbd|mbgnbd|paretonbd|auto]",
          "Check the model on a holdout period (default: the last quarter): purchases, spend and margin, predicted vs actual.", .analyses,
          ["predict validate", "predict validate holdout 26 weeks"], ["holdout", "weeks", "model", "bgnbd", "mbgnbd", "paretonbd", "auto"]),
        c(.simulateTransition, "simulate transition", "simulate transition [from CHANNEL, ...] to CHANNEL [by R% per quarter] [for N quarters]",
          "Project moving mall sales to the own site quarter by quarter: GMV, mall fees avoided and own-site fees added, margin, ad spend, cash flow, payback.", .analyses,
          ["simulate transition to own", "simulate transition from rakuten, yahoo to own by 10% per quarter for 8 quarters"],
          ["from", "to", "by", "per", "quarter", "for", "quarters"]),
        c(.assume, "assume", "assume NAME VALUE", "Set a simulation assumption (own_retention, mall_retention, own_cac) instead of the measured value.", .analyses,
          ["assume own_retention 35%"], ["own_retention", "mall_retention", "own_cac", "measured"]),
        // Teaching
        c(.explain, "explain", "explain [TOPIC [sql]]", "What a KPI or idea means, its formula, pitfalls and how ecsh computes it.", .teaching,
          ["explain", "explain ltv", "explain ltv/cac", "explain sales equation", "explain gmv sql"], ["sql"]),
        c(.tutorial, "tutorial", "tutorial [next|N]", "Guided lessons with questions, on the tutorial's own copy of the sample shop.", .teaching,
          ["tutorial", "tutorial next", "tutorial 3"], ["next"]),
        c(.answer, "answer", "answer VALUE", "Answer the tutorial's question: a number (3.4, -71, 34%) or a word (own).", .teaching,
          ["answer 3.4", "answer own"], []),
        c(.help, "help", "help [COMMAND]", "List commands by task, or show one command's usage and examples.", .teaching,
          ["help", "help kpi", "help unit economics"], []),
        // Session
        c(.set, "set", "set NAME VALUE[, VALUE...]", "Change a setting (format, color, maxrows, currency, as_of, week_start, completed, ...).", .session,
          ["set format csv", "set as_of 2024-12-31", "set completed 'completed', 'shipped'"],
          ["format", "color", "maxrows", "maxwidth", "headers", "pager", "wide", "currency", "as_of", "week_start", "completed", "active_window", "f2_window", "ltv_horizon", "timezone",
           "table", "csv", "tsv", "json", "markdown", "line", "auto", "on", "off", "panels", "blocks", "wrap"]),
        c(.showSettings, "show settings", "show settings", "Show every setting and its value.", .session, ["show settings"], []),
        c(.showSQL, "show sql", "show sql", "Print the SQL of the last statement.", .session, ["show sql"], []),
        c(.timer, "timer", "timer on|off", "Show how long each statement takes.", .session, ["timer on"], ["on", "off"]),
        c(.chart, "chart", "chart on|off", "Draw charts under KPI tables by default.", .session, ["chart on"], ["on", "off"]),
        c(.run, "run", "run 'FILE.ecsh'", "Run the statements of a script file.", .session, ["run 'samples/nps.ecsh'"], []),
        c(.quit, "quit", "quit", "Leave ecsh.", .session, ["quit"], [], aliases: ["exit"]),
    ]

    /// The entry for a command.
    public static func info(_ id: CommandID) -> CommandInfo { all.first { $0.id == id }! }

    /// Every first word a statement may start with (names and aliases), for "did you mean" and completion.
    public static let firstWords: [String] = {
        var seen: [String] = []
        for entry in all { for w in entry.words.prefix(1) + entry.aliases where !seen.contains(w) { seen.append(w) } }
        return seen
    }()

    /// The command whose words start `words` (case-insensitive), preferring the longest name, and how many words it used.
    public static func match(_ words: [String]) -> (info: CommandInfo, wordCount: Int)? {
        let lowered = words.map { $0.lowercased() }
        var best: (CommandInfo, Int)?
        for entry in all {
            for spelling in [entry.words] + entry.aliases.map({ [$0] }) where lowered.starts(with: spelling) {
                if spelling.count > (best?.1 ?? 0) { best = (entry, spelling.count) }
            }
        }
        return best
    }

    private static func c(_ id: CommandID, _ name: String, _ usage: String, _ summary: String, _ group: CommandGroup,
                          _ examples: [String], _ keywords: [String], aliases: [String] = []) -> CommandInfo {
        CommandInfo(id: id, name: name, aliases: aliases, usage: usage, summary: summary, group: group,
                    examples: examples, keywords: keywords)
    }
}
