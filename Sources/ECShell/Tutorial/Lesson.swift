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
        /// A number, accepted within `tolerance` (absolute, in the units asked for). `unit` is what one of
        /// those units is as a plain number (0.01 for percent, 1,000,000 for millions of yen): the same
        /// amount written plainly (`0.34` for 34%, `¥8,199,232` or `8.2M` for 8.2 million) is accepted too.
        case number(Double, tolerance: Double, unit: Double = 1)
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
        case .number(let value, let tolerance, let unit):
            guard let number = Self.number(text) else { return false }
            return abs(number - value) <= tolerance || abs(number / unit - value) <= tolerance
        case .choice(let accepted):
            // `active members` for `active_members`: a learner types the name as words.
            let word = text.trimmingCharacters(in: CharacterSet(charactersIn: "'\"."))
            return accepted.contains(word) || accepted.contains(word.replacingOccurrences(of: " ", with: "_"))
        }
    }

    /// A number as a learner may write it: `3.4`, `-71`, `34%`, `41.1 pt`, `¥2,667`, `2667 yen`, `x3.4`,
    /// with a scale (`8.2M`, `1.4k`, `820万`), or typed with a Japanese input method (`３４％`, `－７１`).
    static func number(_ text: String) -> Double? {
        // Full-width digits and signs (an input method left on) are the ASCII ones (NFKC).
        var t = text.precomposedStringWithCompatibilityMapping.lowercased()
        for noise in ["¥", "yen", "%", "points", "point", "pts", "pt", ",", "x", "×", " ", "円"] {
            t = t.replacingOccurrences(of: noise, with: "")
        }
        t = t.replacingOccurrences(of: "−", with: "-")
        let scales: [(String, Double)] = [("million", 1e6), ("m", 1e6), ("k", 1e3), ("万", 1e4), ("億", 1e8)]
        for (suffix, scale) in scales where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(t)
    }

    /// Is the learner's answer a number at all (for a choice question, a hint to answer with a word)?
    var wantsNumber: Bool { if case .number = expected { return true } else { return false } }
}

/// The tables a lesson's statements showed, in order (statements that show none, such as
/// `segment`, leave no entry).
struct Shown: Sendable {
    let tables: [ResultTable]
    /// Every table shown, a statement's earlier ones too (`predict ltv`'s by-channel table before its by-cohort one).
    var every: [ResultTable] = []

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
    /// "¥2,433.43": with `places` decimals, for a product the reader checks by hand.
    static func yen(_ value: Double, places: Int) -> String {
        let digits = fixed(abs(value), places).split(separator: ".")
        let whole = grouped(Int(digits[0]) ?? 0)
        return (value < 0 ? "-¥" : "¥") + whole + (digits.count > 1 ? "." + digits[1] : "")
    }
    static func percent(_ ratio: Double, places: Int = 1) -> String { fixed(ratio * 100, places) + "%" }
    /// A ratio in percent rounded to one decimal, as `percent` writes it: the figure a reader computes with.
    static func shownPercent(_ ratio: Double) -> Double { (ratio * 1000).rounded() / 10 }
    static func fixed(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }
    static func count(_ value: Double) -> String { grouped(Int(value.rounded())) }
    /// "+12.3%" / "-4.0%" for a change ratio.
    static func change(_ ratio: Double) -> String { (ratio >= 0 ? "+" : "") + percent(ratio) }
}
