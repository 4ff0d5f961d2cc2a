import ECLanguage

/// A number the user wrote, as a whole `Int` no larger than `limit`, or a located error.
///
/// `Int(someDouble)` traps (SIGILL) on a value beyond Int's range such as
/// `99999999999999999999 days`; every command that needs a count from a user's number goes here.
func wholeNumber(_ value: Double, _ what: String, at range: SourceRange?, limit: Int) throws -> Int {
    guard value.isFinite, abs(value) <= Double(limit) else {
        throw ShellError("\(what) must be at most \(grouped(limit))", at: range)
    }
    return Int(value.rounded(.towardZero))
}
