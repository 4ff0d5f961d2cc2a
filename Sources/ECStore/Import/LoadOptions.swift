/// The `with` clause of `load`: settings that override what detection guesses.
public struct LoadOptions: Sendable, Equatable {
    /// What separates fields.
    public enum Delimiter: Sendable, Equatable {
        /// One byte: `,` `\t` `;` `|` or any other ASCII character.
        case byte(UInt8)
        /// Runs of spaces or tabs; leading and trailing blanks ignored (fixed-width-ish dumps).
        case whitespace
    }

    /// What to do with a bad row.
    public enum OnError: String, Sendable, Equatable {
        /// Stop at the first bad row; the workspace is left as it was.
        case stop
        /// Load the good rows; record bad ones in `ecsh_rejects`.
        case skip
    }

    /// A character setting that can also be switched off: `with quote none`.
    public enum ByteChoice: Sendable, Equatable {
        case none
        case byte(UInt8)
    }

    /// nil: detect from the first lines.
    public var delimiter: Delimiter?
    /// nil: detect (`"`, `'` or none); `.none`: quotes are plain text.
    public var quote: ByteChoice?
    /// nil: detect (doubled quotes or `\`); `.none` or the quote itself: a quote is doubled (RFC 4180).
    public var escape: ByteChoice?
    /// nil: detect (`#`); `.none`: no comments, a `#` is text.
    public var comment: ByteChoice?
    /// nil: detect whether the first row is a header.
    public var header: Bool?
    /// nil: UTF-8, or CP932 when the bytes say so.
    public var encoding: String?
    /// Lines to skip before the header (titles, export banners).
    public var skip: Int
    /// strftime-style pattern for dates the usual forms miss: `%d/%m/%Y`, `%Y%m%d`.
    public var dateFormat: String?
    /// The decimal mark in numbers: `.` or `,` (then `.` and spaces group thousands).
    public var decimal: Character {
        get { givenDecimal ?? "." }
        set { givenDecimal = newValue }
    }
    /// The decimal mark as the `with` clause gave it; nil: not given, `.` is read, and a money column
    /// whose every decimal has three digits after the dot is asked about (`Loader.ambiguousDecimals`).
    public var givenDecimal: Character?
    /// Minor-unit digits of the workspace currency (0 for yen, the default): where there are none,
    /// `1.500` as an amount is more likely 1500 than one and a half. The shell sets it from `currency`.
    public var currencyDecimals = 0
    public var onError: OnError
    /// A row with fewer fields than the header gets empty values for the missing ones (DuckDB's `null_padding`).
    public var nullPadding = false
    /// The workspace's time zone (`Asia/Tokyo`): timestamps with a UTC offset are moved into it. nil: the system's.
    public var timezone: String?
    /// Written before every order_id of the file (`with id_prefix 'yahoo-'`): keeps apart the ids of shops that
    /// number their orders alike, which `append` would otherwise take for one order (`Loader.idCollision`).
    public var idPrefix: String?
    /// The one currency to load from a preset export with a currency column (`with currency 'JPY'`): orders in
    /// other currencies are left out (their amounts cannot be added to these).
    public var currency: String?
    /// `with scale '0-10'`: the NPS question was asked 0–10, so answers all 5 or less load as they are
    /// (`Loader.checkScoreScale` otherwise takes them for a 1–5 scale).
    public var scaleConfirmed = false
    /// Customer id `0` is a real customer (`with zero_is_customer true`), not the guest placeholder it is by default
    /// (`CustomerKeyPlaceholders`).
    public var zeroIsCustomer = false

    public init(delimiter: Delimiter? = nil, header: Bool? = nil, encoding: String? = nil, skip: Int = 0,
                dateFormat: String? = nil, decimal: Character? = nil, onError: OnError = .stop) {
        self.delimiter = delimiter
        self.header = header
        self.encoding = encoding
        self.skip = skip
        self.dateFormat = dateFormat
        self.givenDecimal = decimal
        self.onError = onError
    }

    /// Option names accepted in `with`, in the order help lists them.
    public static let knownNames = ["delimiter", "quote", "escape", "comment", "header", "encoding", "skip", "date_format", "decimal",
                                    "on_error", "null_padding", "timezone", "id_prefix", "currency", "scale",
                                    "zero_is_customer"]

    /// Builds options from a `with` clause: `with delimiter ';', header false, on_error skip`.
    ///
    /// Unknown names and unreadable values are errors that list what is accepted.
    public init(pairs: [(name: String, value: Value)]) throws {
        self.init()
        for (rawName, value) in pairs {
            let name = rawName.lowercased()
            let text = LoadOptions.text(of: value)
            switch name {
            case "delimiter", "sep", "separator":
                guard let d = LoadOptions.delimiter(named: text) else {
                    throw StoreError("delimiter '\(text)' is not one character; use ',', 'tab', ';', '|' or 'whitespace'")
                }
                delimiter = d
            case "quote", "quotechar", "escape", "escapechar", "comment":
                let which = name.hasPrefix("quote") ? "quote" : name.hasPrefix("escape") ? "escape" : "comment"
                guard let choice = LoadOptions.byteChoice(text) else {
                    let example = ["quote": "''''", "escape": "'\\'", "comment": "'#'"][which] ?? "'#'"
                    throw StoreError("\(which) '\(text)' is not one character; write e.g. \(which) \(example), or \(which) none")
                }
                switch which {
                case "quote": quote = choice
                case "escape": escape = choice
                default: comment = choice
                }
            case "header":
                guard let b = LoadOptions.bool(value) else {
                    throw StoreError("header must be true or false, not '\(text)'")
                }
                header = b
            case "encoding":
                guard TextEncoding(name: text) != nil else {
                    throw StoreError("unknown encoding '\(text)'; use one of: \(TextEncoding.knownNames.joined(separator: ", "))")
                }
                encoding = text
            case "skip":
                guard let n = value.intValue ?? Int64(text), n >= 0 else {
                    throw StoreError("skip must be a number of lines (0 or more), not '\(text)'")
                }
                skip = Int(n)
            case "date_format", "dateformat":
                guard text.contains("%") else {
                    throw StoreError("date_format '\(text)' has no % fields; write it like '%d/%m/%Y' or '%Y%m%d'")
                }
                try DateFormat.validate(text)
                dateFormat = text
            case "decimal":
                guard text == "." || text == "," else {
                    throw StoreError("decimal must be '.' or ',', not '\(text)'")
                }
                decimal = Character(text)
            case "on_error", "onerror":
                guard let mode = OnError(rawValue: text.lowercased()) else {
                    throw StoreError("on_error must be 'stop' or 'skip', not '\(text)'")
                }
                onError = mode
            case "timezone", "time_zone", "tz":
                _ = try ZoneConverter(identifier: text)
                timezone = text
            case "id_prefix", "idprefix":
                guard !text.isEmpty, !text.contains(where: \.isNewline) else {
                    throw StoreError("id_prefix must be some text to write before each order_id, such as 'yahoo-'")
                }
                idPrefix = text
            case "currency":
                let code = text.trimmingBlanks.uppercased()
                guard !code.isEmpty, !code.contains(where: \.isNewline) else {
                    throw StoreError("currency must be the code of the orders' currency to load, such as 'JPY'")
                }
                currency = code
            case "scale":
                guard ["0-10", "0..10", "0–10", "10"].contains(text.filter { $0 != " " }) else {
                    throw StoreError("scale must be '0-10' (the NPS question's scale), not '\(text)'; answers on another scale are no NPS: load them as a table")
                }
                scaleConfirmed = true
            case "null_padding", "nullpadding":
                guard let b = LoadOptions.bool(value) else {
                    throw StoreError("null_padding must be true or false, not '\(text)'")
                }
                nullPadding = b
            case "zero_is_customer":
                guard let b = LoadOptions.bool(value) else {
                    throw StoreError("zero_is_customer must be true or false, not '\(text)'")
                }
                zeroIsCustomer = b
            default:
                throw StoreError("unknown load option '\(rawName)'; known options: \(LoadOptions.knownNames.joined(separator: ", "))")
            }
        }
    }

    static func text(of value: Value) -> String {
        switch value {
        case .text(let s): return s
        case .null: return ""
        default: return value.description
        }
    }

    static func bool(_ value: Value) -> Bool? {
        if let i = value.intValue, i == 0 || i == 1 { return i == 1 }
        switch text(of: value).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// `none` or `''` (empty): off; otherwise one ASCII character other than a line break.
    static func byteChoice(_ text: String) -> ByteChoice? {
        if text.isEmpty || text.lowercased() == "none" { return ByteChoice.none }
        let bytes = Array(text.utf8)
        guard bytes.count == 1, bytes[0] < 128, bytes[0] != 10, bytes[0] != 13 else { return nil }
        return .byte(bytes[0])
    }

    static func delimiter(named name: String) -> Delimiter? {
        switch name.lowercased() {
        case "tab", "\\t", "\t": return .byte(9)
        case "comma": return .byte(44)
        case "semicolon": return .byte(59)
        case "pipe": return .byte(124)
        case "whitespace", "space", "spaces", " ": return .whitespace
        default:
            let bytes = Array(name.utf8)
            guard bytes.count == 1, bytes[0] < 128, bytes[0] != 34, bytes[0] != 10, bytes[0] != 13 else { return nil }
            return .byte(bytes[0])
        }
    }
}
