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
    public var timer = false
    /// Draw a bar chart under KPI series (`chart on`).
    public var chart = false
    /// Print each statement before its result (`--echo`).
    public var echo = false
    /// Report every error in a script and exit non-zero at the end (`--keep-going`).
    public var keepGoing = false

    public init() {}

    /// Lines for `show settings`.
    var described: [(String, String)] {
        [("format", format.rawValue), ("color", color.rawValue),
         ("maxrows", maxRows == 0 ? "0 (all)" : String(maxRows)),
         ("timer", timer ? "on" : "off")]
    }
}
