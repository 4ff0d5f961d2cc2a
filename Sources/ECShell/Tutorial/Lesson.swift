import Foundation
import ECStore

/// One lesson: a concept in plain words, the statements that show it on the
/// tutorial shop, what the numbers shown mean, and a question the learner answers.
///
/// The interpretation and the question are computed from the tables the
/// statements actually showed (`Shown`), never written in advance, so they
/// stay true when the sample shop changes.
struct Lesson: Sendable {
    let title: String
    let text: String
    let statements: [String]
    /// "What this means", from the tables shown.
    let interpret: @Sendable (Shown) throws -> String
    let question: @Sendable (Shown) throws -> Question
    /// Something to try next in `ecsh --demo` (the tutorial's shop is its own).
    let tryNext: String
}

/// A question with an answer the shell can check.
struct Question: Sendable {
    enum Expected: Sendable {
        /// A number, accepted within `tolerance` (absolute, in the units asked for).
        case number(Double, tolerance: Double)
        /// One of a few words; `accepted` are the right ones (lower case).
        case choice(accepted: Set<String>)
    }

    let prompt: String
    let expected: Expected
    /// The answer as ecsh would write it, shown after two wrong tries.
    let answerText: String
    let hint: String
    /// Why the answer is right, shown once it is answered.
    let explanation: String

    /// Whether the learner's words answer the question.
    func accepts(_ raw: String) -> Bool {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        switch expected {
        case .number(let value, let tolerance):
            guard let number = Self.number(text) else { return false }
            return abs(number - value) <= tolerance
        case .choice(let accepted):
            let word = text.trimmingCharacters(in: CharacterSet(charactersIn: "'\"."))
            return accepted.contains(word)
        }
    }

    /// A number as a learner may write it: `3.4`, `-71`, `34%`, `¥2,667`, `2667 yen`, `x3.4`.
    static func number(_ text: String) -> Double? {
        var t = text
        for noise in ["¥", "yen", "%", ",", "x", "×", " ", "円"] { t = t.replacingOccurrences(of: noise, with: "") }
        t = t.replacingOccurrences(of: "−", with: "-")
        return Double(t)
    }

    /// Is the learner's answer a number at all (for a choice question, a hint to answer with a word)?
    var wantsNumber: Bool { if case .number = expected { return true } else { return false } }
}

/// The tables a lesson's statements showed, in order (statements that show none, such as
/// `segment`, leave no entry).
struct Shown: Sendable {
    let tables: [ResultTable]

    func table(_ index: Int) throws -> ResultTable {
        guard index < tables.count else { throw LessonDataError("the lesson expected a table it did not get") }
        return tables[index]
    }
}

/// A lesson could not read a number it needed from its own output (a bug, or an odd shop).
struct LessonDataError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ResultTable {
    /// The numeric cell in `column` of the row whose first cell is `label`.
    func number(_ label: String, _ column: String) throws -> Double {
        guard let c = columns.firstIndex(of: column),
              let row = rows.first(where: { $0.first.flatMap(Self.label) == label }),
              let value = row[c].doubleValue else {
            throw LessonDataError("no number for \(label) in column \(column)")
        }
        return value
    }

    /// The text cell in `column` of the row labelled `label`.
    func text(_ label: String, _ column: String) throws -> String {
        guard let c = columns.firstIndex(of: column),
              let row = rows.first(where: { $0.first.flatMap(Self.label) == label }) else {
            throw LessonDataError("no cell for \(label) in column \(column)")
        }
        return Self.label(row[c]) ?? ""
    }

    /// (label, number) of every body row (totals and averages left out) with a number in `column`.
    func series(_ column: String) throws -> [(label: String, value: Double)] {
        guard let c = columns.firstIndex(of: column) else { throw LessonDataError("no column \(column)") }
        return rows.enumerated().compactMap { i, row in
            guard !summaryRows.contains(i), let label = row.first.flatMap(Self.label), let v = row[c].doubleValue else { return nil }
            return (label, v)
        }
    }

    private static func label(_ value: Value) -> String? {
        switch value {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        default: return nil
        }
    }
}

/// Number formatting for lesson prose, as the tables show them.
enum Say {
    static func yen(_ value: Double) -> String {
        let n = Int(value.rounded())
        return (n < 0 ? "-¥" : "¥") + grouped(abs(n))
    }
    static func percent(_ ratio: Double, places: Int = 1) -> String { fixed(ratio * 100, places) + "%" }
    static func fixed(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }
    static func count(_ value: Double) -> String { grouped(Int(value.rounded())) }
    /// "+12.3%" / "-4.0%" for a change ratio.
    static func change(_ ratio: Double) -> String { (ratio >= 0 ? "+" : "") + percent(ratio) }
}
