import ECStore

/// How results are written: aligned table (or one `column = value` per line) for people, the rest for machines.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, tsv, json, markdown, line
}

/// A destination for rendered text (stdout, a file, a test buffer).
public protocol TextSink: AnyObject {
    func write(_ text: String)
}

/// Collects text in memory; for tests and exports.
public final class StringSink: TextSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
}
