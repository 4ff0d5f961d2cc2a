import ECLanguage

/// An error found by a command handler (unknown table, bad setting value, ...).
struct ShellError: Error {
    var message: String
    /// Where in the statement the problem is; the whole statement when nil.
    var range: SourceRange?
    /// A way out: the command that would work, or where to look.
    var help: String?

    init(_ message: String, at range: SourceRange? = nil, help: String? = nil) {
        self.message = message
        self.range = range
        self.help = help
    }
}
