/// How a delimited file is written: what separates fields, what quotes them,
/// how a quote is written inside a quoted field, and what starts a comment.
struct CSVDialect: Equatable, Sendable, CustomStringConvertible {
    var delimiter: LoadOptions.Delimiter
    /// The quote character; nil when the file has no quoting (a quote is then plain text).
    var quote: UInt8? = 34
    /// The byte that escapes the next one inside quotes (`\"`); nil: a quote is doubled (`""`), RFC 4180.
    var escape: UInt8?
    /// A byte that starts a comment: a line starting with it is skipped, and after a value the rest of the line is.
    var comment: UInt8?
    /// With a detected (not set) comment byte: a line that starts with it but has this many fields,
    /// the header's, is a row and not a comment (`#1001,...`: Shopify names orders so). nil: every such line is a comment.
    var commentRowFields: Int?

    init(delimiter: LoadOptions.Delimiter, quote: UInt8? = 34, escape: UInt8? = nil, comment: UInt8? = nil) {
        self.delimiter = delimiter
        self.quote = quote
        self.escape = escape
        self.comment = comment
    }

    /// The settings as `with` options, for notes: `delimiter '\t', quote '''`.
    var description: String {
        var parts: [String] = []
        switch delimiter {
        case .whitespace: parts.append("delimiter whitespace")
        case .byte(9): parts.append("delimiter tab")
        case .byte(let b): parts.append("delimiter '\(CSVDialect.show(b))'")
        }
        parts.append(quote.map { "quote '\(CSVDialect.show($0))'" } ?? "quote none")
        if let escape { parts.append("escape '\(CSVDialect.show(escape))'") }
        if let comment { parts.append("comment '\(CSVDialect.show(comment))'") }
        return parts.joined(separator: ", ")
    }

    /// A `with quote|escape|comment` setting as a dialect byte (nil: off).
    static func byte(_ choice: LoadOptions.ByteChoice) -> UInt8? {
        if case .byte(let b) = choice { return b }
        return nil
    }

    /// The dialect with the user's `quote`, `escape` and `comment` settings in force
    /// (detection already chose with them; this covers its fallbacks). An escape equal
    /// to the quote means doubled quotes; without quoting there is nothing to escape.
    func overridden(by options: LoadOptions) -> CSVDialect {
        var d = self
        if case .whitespace = delimiter { return d }
        if let q = options.quote { d.quote = CSVDialect.byte(q) }
        if let e = options.escape { d.escape = CSVDialect.byte(e) }
        if let c = options.comment { d.comment = CSVDialect.byte(c) }
        if d.escape == d.quote || d.quote == nil { d.escape = nil }
        return d
    }

    /// The dialect, or an error when two roles share one character (`quote ','` with `,` as
    /// the delimiter): the reader could not tell them apart.
    func checked() throws -> CSVDialect {
        var roles: [(String, UInt8)] = []
        if case .byte(let d) = delimiter { roles.append(("delimiter", d)) }
        if let quote { roles.append(("quote", quote)) }
        if let escape { roles.append(("escape", escape)) }
        if let comment { roles.append(("comment", comment)) }
        for (i, a) in roles.enumerated() {
            if let b = roles[(i + 1)...].first(where: { $0.1 == a.1 }) {
                throw StoreError("\(a.0) and \(b.0) are both '\(CSVDialect.show(a.1))'; give them different characters")
            }
        }
        return self
    }

    static func show(_ b: UInt8) -> String {
        b == 39 ? "''" : String(decoding: [b], as: UTF8.self)
    }
}

/// Control characters shown the way a programmer writes them: `\0`, `\u{1B}`.
enum ControlEscaper {
    /// True for C0 controls other than tab, LF and CR, and for DEL.
    @inline(__always)
    static func isControl(_ b: UInt8) -> Bool {
        (b < 32 && b != 9 && b != 10 && b != 13) || b == 127
    }

    static func escaped(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        var plain: [UInt8] = []
        func flush() {
            out += String(decoding: plain, as: UTF8.self)
            plain.removeAll()
        }
        for b in bytes {
            if isControl(b) || b == 13 || b == 10 {
                flush()
                switch b {
                case 0: out += "\\0"
                case 10: out += "\\n"
                case 13: out += "\\r"
                default:
                    let hex = Array("0123456789ABCDEF")
                    out += "\\u{" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)]) + "}"
                }
            } else {
                plain.append(b)
            }
        }
        flush()
        return out
    }
}
