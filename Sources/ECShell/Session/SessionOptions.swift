import ECRender

/// When colour is used on the terminal.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, on, off
}

/// The presentation settings of one session (`set format`, `set color`, `set maxrows`, `timer`).
///
/// Analysis settings that change definitions (completed statuses, active window,
/// as_of, ...) live in the workspace (ECAnalytics' MetricSettings) so a script
/// replayed on the same file gets the same numbers.
public struct SessionOptions: Sendable, Equatable {
    public var format: OutputFormat = .table
    public var color: ColorMode = .auto
    /// Rows shown before truncating a table; 0 shows all.
    public var maxRows: Int = 40
    /// Widest a table cell is shown before it is cut with "…" (`set maxwidth`); 0 never cuts.
    public var maxWidth: Int = 40
    /// Whether CSV and TSV start with a header line (`.headers on|off`).
    public var headers = true
    /// Page results taller than the terminal through `$PAGER` (`set pager on`).
    public var pager = false
    /// On a terminal, how a table wider than the screen is shown (`set wide panels|blocks|wrap`).
    public var wide: WideTables = .panels
    public var timer = false
    /// Draw a bar chart under KPI series (`chart on`).
    public var chart = false
    /// Print each statement before its result (`--echo`).
    public var echo = false
    /// Report every error in a script and exit non-zero at the end (`--keep-going`).
    public var keepGoing = false

    public init() {}

    /// The names `set` accepts for these options (for "did you mean" and completion).
    static let names = ["format", "color", "maxrows", "maxwidth", "headers", "pager", "wide"]

    /// The values each option takes, for completion after `set NAME`.
    static let values: [String: [String]] = [
        "format": OutputFormat.allCases.map(\.rawValue), "color": ColorMode.allCases.map(\.rawValue),
        "headers": ["on", "off"], "pager": ["on", "off"], "wide": WideTables.allCases.map(\.rawValue), "maxrows": ["0", "40"], "maxwidth": ["0", "40", "80"],
    ]

    /// Lines for `show settings`.
    var described: [(String, String)] {
        [("format", format.rawValue), ("color", color.rawValue),
         ("maxrows", maxRows == 0 ? "0 (all)" : String(maxRows)),
         ("maxwidth", maxWidth == 0 ? "0 (no cut)" : String(maxWidth)),
         ("headers", headers ? "on" : "off"),
         ("pager", pager ? "on" : "off"),
         ("wide", wide.rawValue),
         ("timer", timer ? "on" : "off")]
    }
}
