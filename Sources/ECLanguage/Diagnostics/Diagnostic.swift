/// A located error in ecsh input: what went wrong, where, and a way out.
public struct Diagnostic: Error, Sendable, Hashable {
    public var message: String
    public var range: SourceRange
    /// A short suggestion joined to the headline, such as "did you mean 'aov'?".
    public var help: String?
    /// A longer way out shown under the source line, such as "run 'kpis' to list the KPIs".
    public var note: String?

    public init(_ message: String, at range: SourceRange, help: String? = nil, note: String? = nil) {
        self.message = message
        self.range = range
        self.help = help
        self.note = note
    }

    /// The headline: the message and, when there is one, the suggestion.
    public var headline: String { help.map { message + "; " + $0 } ?? message }
}

extension Diagnostic: CustomStringConvertible {
    /// `line:column: message`, for logs and test failures.
    public var description: String { "\(range.start.line):\(range.start.column): \(headline)" }
}

extension Diagnostic {
    /// "unknown KPI 'aovv'; did you mean 'aov'?" — the standard message for a name not in a list.
    public static func unknownName(_ what: String, _ name: String, at range: SourceRange,
                                   among candidates: [String], note: String? = nil) -> Diagnostic {
        let suggestion = didYouMean(name, among: candidates).map { "did you mean '\($0)'?" }
        return Diagnostic("unknown \(what) '\(name)'", at: range, help: suggestion, note: note)
    }
}
