/// What the first pass over a file decided: how to read it and what each column becomes.
struct FilePlan {
    var encoding: TextEncoding
    var dialect: CSVDialect
    var delimiter: LoadOptions.Delimiter { dialect.delimiter }
    var hasHeader: Bool
    /// Records before the header: `with skip N`, or a preamble the sniffer found.
    var skip = 0
    /// Column names of the file (headers, or column1...N).
    var names: [String]
    /// The header row as written (trimmed), before repeats were numbered in `names`; empty without a header.
    var headers: [String] = []
    var columns: [ColumnPlan]
    var notes: [String] = []
    /// Field index → the order of its `A/B/YYYY` dates, decided from the column's values.
    var slashOrders: [Int: SlashOrder] = [:]
    /// Records that look like a title above the header (0: none), for the `with skip N` hint.
    var preamble = 0
    /// The sample has dates written `D.M.YYYY` (a European file).
    var dayDotMonthDates = false
    /// Field index → the time zone Qualtrics' ImportId row gives the column (`"timeZone":"America/Denver"`).
    var writtenZones: [Int: String] = [:]
}

extension Loader {
    /// Bytes read to detect encoding and delimiter.
    static let sampleBytes = 64 * 1024
    /// Records read to infer column types.
    static let sampleRecords = 1000

    /// Picks the encoding: the option, else a BOM, else UTF-8, else CP932/EUC-JP when the bytes fit.
    func chooseEncoding(_ request: LoadRequest, notes: inout [String]) throws -> TextEncoding {
        if let name = request.options.encoding {
            guard let e = TextEncoding(name: name) else { throw StoreError("unknown encoding '\(name)'") }
            return e
        }
        let sample = try TextSource.sample(path: request.readPath, capacity: EncodingSniffer.sampleBytes)
        let verdict = sample.bytes.withUnsafeBufferPointer { EncodingSniffer.sniff($0, isWholeFile: sample.isWholeFile) }
        let file = request.path
        switch verdict {
        case .encoding(let found):
            if found != .utf8 { notes.append("detected encoding \(found.displayName)") }
            return found
        case .strayBytes(let line, _, _, .utf8) where request.options.onError == .skip:
            // The rows with bad bytes go to ecsh_rejects, one by one, as they are read.
            notes.append("line \(line) has bytes that are not valid utf-8: read as utf-8, rows with such bytes go to ecsh_rejects (on_error skip)")
            return .utf8
        case .strayBytes(let line, let column, let bytes, let encoding):
            throw LoadError(file: file, line: line, column: column,
                            reason: "has bytes \(Loader.hex(bytes)) that are not valid \(encoding.displayName) (the rest of the file is \(encoding.displayName))",
                            help: "fix or remove the bytes; or, if the whole file is in another encoding, name it: with encoding 'cp932' (or 'latin-1', 'euc-jp')")
        case .mixed(let firstLine, .utf8, let otherLine, _, let other) where request.options.onError == .skip:
            notes.append("line \(otherLine) is \(other.displayName) but line \(firstLine) is utf-8: the file mixes encodings; read as utf-8, rows that are not go to ecsh_rejects (on_error skip)")
            return .utf8
        case .mixed(let firstLine, let first, let otherLine, let column, let other):
            throw Loader.mixedError(file: file, firstLine: firstLine, first: first, otherLine: otherLine, column: column, other: other)
        case .unknown(let line, let column, let bytes):
            throw LoadError(file: file, line: line, column: column,
                            reason: "has bytes \(Loader.hex(bytes)) that are neither UTF-8 nor Shift_JIS (cp932) nor EUC-JP",
                            help: "name the encoding: with encoding 'latin-1' (or 'utf-16', 'cp932', 'euc-jp')")
        }
    }

    /// Line `otherLine` (its first non-ASCII character at `column`) is in `other`, in a file that is in `first` from
    /// line `firstLine` (the first with non-ASCII text) on: two exports joined, one from a system that writes CP932.
    static func mixedError(file: String, firstLine: Int, first: TextEncoding, otherLine: Int, column: Int, other: TextEncoding) -> LoadError {
        let help = first == .utf8
            ? "convert the \(other.displayName) lines to utf-8 (iconv -f \(other.displayName) -t utf-8 on the export they came from, before joining the files); or load the utf-8 rows: with on_error skip (the \(other.displayName) rows go to ecsh_rejects)"
            : "convert the file to one encoding before joining the exports (iconv -f \(first.displayName) -t utf-8 on the \(first.displayName) part); ecsh reads a file in one encoding"
        return LoadError(file: file, line: otherLine, column: column,
                         reason: "line \(otherLine) is \(other.displayName), but the file is \(first.displayName) (line \(firstLine) is the first with \(first.displayName) text): the file mixes encodings",
                         help: help)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let digits = Array("0123456789ABCDEF")
            return "0x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
        }.joined(separator: " ")
    }

    /// First pass: delimiter, header, column names and inferred types from the first records.
    func planFile(_ request: LoadRequest, encoding: TextEncoding, maxColumns: Int) throws -> FilePlan {
        let options = request.options
        let dialect: CSVDialect
        var skip = options.skip
        var notes: [String] = []
        if case .whitespace? = options.delimiter {
            dialect = CSVDialect(delimiter: .whitespace, quote: nil)
        } else {
            let source = try TextSource(path: request.readPath, encoding: encoding)
            let probe = UnsafeMutablePointer<UInt8>.allocate(capacity: Loader.sampleBytes)
            defer { probe.deallocate() }
            var got = 0
            var atEnd = false
            while got < Loader.sampleBytes - 16 {
                let n = (try? source.read(into: probe + got, capacity: Loader.sampleBytes - got)) ?? 0
                if n == 0 { atEnd = true; break }
                got += n
            }
            var skipped = UnsafeBufferPointer(start: probe, count: got)
            // Lines skipped with `with skip N` are no part of the dialect.
            var toSkip = options.skip
            while toSkip > 0, let lf = skipped.firstIndex(of: 10) {
                skipped = UnsafeBufferPointer(rebasing: skipped[(lf + 1)...])
                toSkip -= 1
            }
            let found = DialectSniffer.detect(skipped, isWholeFile: atEnd, delimiter: options.delimiter, options: options)
            dialect = try found.dialect.overridden(by: options).checked()
            if options.skip == 0 && found.preamble > 0 && options.header != false {
                skip = found.preamble
                notes.append("skipped \(skip) line\(skip == 1 ? "" : "s") above the header (as with skip \(skip))")
            }
        }
        let reader = CSVReader(source: try TextSource(path: request.readPath, encoding: encoding), dialect: dialect, maxFields: maxColumns + 1,
                               passControls: options.onError == .skip)
        let numbers = NumberReader(decimal: options.decimal, backslashIsYen: encoding == .cp932)
        let dates = DateReader(format: options.dateFormat)
        var skipped = 0
        while skipped < skip, try readRecord(reader, request) { skipped += 1 }
        guard try readRecord(reader, request) else {
            throw LoadError(file: request.path, reason: "has no rows\(skip > 0 ? " after skipping \(skip) lines" : "")")
        }
        // The header is never a row to skip: a control character there stops the load as it always does.
        if let (column, text, reason) = reader.firstBadField() {
            throw LoadError(file: request.path, line: reader.line, column: column, rawValue: text,
                            reason: reason, help: CSVReader.controlHelp)
        }
        let first = reader.strings
        let firstLine = reader.line
        // A detected comment byte: a line starting with it that has the header's fields is a row (`#1001,...`).
        let commentRowFields = options.comment == nil && dialect.comment != nil ? first.count : nil
        reader.commentRowFields = commentRowFields
        if first.count > maxColumns {
            throw LoadError(file: request.path, line: reader.line,
                            reason: "has \(first.count) columns; a SQLite table holds at most \(maxColumns)")
        }
        // Types of the records after the first decide whether the first is a header.
        var guesses = [KindGuess](repeating: KindGuess(), count: first.count)
        var seen = 0
        var fieldCounts = [first.count]
        var writtenZones: [Int: String] = [:]
        while seen < Loader.sampleRecords, try readRecord(reader, request) {
            if seen < 2 && writtenZones.isEmpty { writtenZones = Loader.importIdZones(reader.strings) }
            if reader.count == first.count && !(reader.passControls && reader.firstBadField() != nil) {
                observe(reader, &guesses, numbers, dates)
            }
            if fieldCounts.count < 50 { fieldCounts.append(reader.count) }
            seen += 1
        }
        let restKinds = guesses.map { $0.kind(preferDates: options.dateFormat != nil) }
        let hasHeader = options.header ?? Loader.looksLikeHeader(first, restKinds: restKinds, numbers: numbers, dates: dates)
        let names = hasHeader ? Loader.columnNames(first) : (1...max(1, first.count)).map { "column\($0)" }
        if !hasHeader {
            for (i, field) in first.enumerated() where i < guesses.count {
                var text = field
                text.withUTF8 { guesses[i].observe($0, line: firstLine, numbers: numbers, dates: dates) }
            }
        }
        let kinds = guesses.map { $0.kind(preferDates: options.dateFormat != nil) }
        let columns = names.indices.map { i in
            var column = ColumnPlan(name: names[i], source: .field(i), header: hasHeader ? names[i] : nil, kind: kinds[i])
            column.firstBracketed = guesses[i].firstBracketed
            if guesses[i].allBracketed, let first = guesses[i].firstBracketed {
                column.note = "column \(i + 1) '\(names[i])' is kept as text: every value is a number in parentheses (\(first.text) at line \(first.line)), "
                    + "a code or a note rather than accounting's negatives, which stand among positives; if they are negatives: "
                    + "sql SELECT -CAST(trim(\"\(names[i])\", '()（）') AS REAL) …"
            }
            return column
        }
        var rowDialect = dialect
        rowDialect.commentRowFields = commentRowFields
        var plan = FilePlan(encoding: encoding, dialect: rowDialect, hasHeader: hasHeader, skip: skip, names: names, columns: columns,
                            notes: notes, preamble: options.header == nil ? max(skip - options.skip, Loader.preambleLines(fieldCounts)) : 0)
        plan.dayDotMonthDates = guesses.contains { $0.dayDotMonth }
        plan.writtenZones = writtenZones
        if hasHeader { plan.headers = first.map(\.trimmingBlanks) }
        if options.dateFormat == nil {
            plan.slashOrders = try slashOrders(request, plan: plan, guesses: guesses, sampled: seen)
        }
        if dialect != CSVDialect(delimiter: dialect.delimiter) { plan.notes.append("read with \(dialect)") }
        return plan
    }

    /// Qualtrics' ImportId row (every filled field `{"ImportId":…}`): the columns whose field names a `"timeZone"`
    /// (its dates: `{"ImportId":"recordedDate","timeZone":"America/Denver"}`). Empty for any other record.
    static func importIdZones(_ fields: [String]) -> [Int: String] {
        let filled = fields.map(\.trimmingBlanks)
        guard filled.contains(where: { !$0.isEmpty }), filled.allSatisfy({ $0.isEmpty || $0.hasPrefix("{\"ImportId\"") }) else { return [:] }
        var zones: [Int: String] = [:]
        for (i, field) in filled.enumerated() {
            let key = "\"timeZone\":\""
            guard let start = field.range(of: key)?.upperBound else { continue }
            let zone = field[start...].prefix { $0 != "\"" }
            if !zone.isEmpty { zones[i] = String(zone) }
        }
        return zones
    }

    /// A header, in the manner of DuckDB: a value of the first record does not fit the
    /// type its column has below it (`amount` over numbers), or no value of it is a
    /// number or a date at all (names, not data).
    static func looksLikeHeader(_ first: [String], restKinds: [FieldKind], numbers: NumberReader, dates: DateReader) -> Bool {
        var anyData = false
        for (i, field) in first.enumerated() {
            var text = field
            let (isNumber, isDate) = text.withUTF8 { b in (numbers.parse(b) != nil, dates.parse(b) != nil) }
            if isNumber || isDate { anyData = true }
            guard i < restKinds.count, !field.trimmingBlanks.isEmpty else { continue }
            switch restKinds[i] {
            case .integer, .real: if !isNumber { return true }
            case .date, .timestamp: if !isDate { return true }
            case .text: break
            }
        }
        return !anyData
    }

    /// Records above the real header: leading records with fewer fields than the rest of the file
    /// (a title such as `Report exported 2024-12-31`), for the `with skip N` hint.
    static func preambleLines(_ counts: [Int]) -> Int {
        guard counts.count >= 3 else { return 0 }
        var frequency: [Int: Int] = [:]
        for c in counts.dropFirst() { frequency[c, default: 0] += 1 }
        guard let modal = frequency.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key,
              modal > 1, counts[0] < modal,
              let header = counts.firstIndex(of: modal) else { return 0 }
        return header
    }

    private func observe(_ reader: CSVReader, _ guesses: inout [KindGuess], _ numbers: NumberReader, _ dates: DateReader) {
        for i in 0..<min(reader.count, guesses.count) {
            guesses[i].observe(reader.field(i), line: reader.line, numbers: numbers, dates: dates)
        }
    }

    /// Headers made usable as column names: trimmed, blanks named columnN, repeats numbered.
    static func columnNames(_ headers: [String]) -> [String] {
        var used = Set<String>()
        var names: [String] = []
        for (i, raw) in headers.enumerated() {
            var name = raw.trimmingBlanks
            if name.isEmpty { name = "column\(i + 1)" }
            var candidate = name
            var n = 2
            while used.contains(candidate.lowercased()) { candidate = "\(name)_\(n)"; n += 1 }
            used.insert(candidate.lowercased())
            names.append(candidate)
        }
        return names
    }

    /// `reader.next()` with structural failures turned into `LoadError`s naming the file.
    func readRecord(_ reader: CSVReader, _ request: LoadRequest) throws -> Bool {
        do {
            return try reader.next()
        } catch {
            throw Loader.loadError(error, request, encoding: reader.encoding)
        }
    }

    /// `encoding`: the one the file is being read in (detected or named).
    static func loadError(_ failure: CSVFailure, _ request: LoadRequest, encoding: TextEncoding) -> LoadError {
        let file = request.path
        switch failure {
        case .invalidEncoding(let line, let column, let found):
            let current = encoding.displayName
            // The bad bytes up to the end of their line (the reader may have more of the file after them).
            let inLine = Array(found.prefix { $0 != 10 && $0 != 13 })
            let bytes = inLine.isEmpty ? Array(found.prefix(1)) : inLine
            // Read as UTF-8 (detected from the first MB, or named): a later line in another encoding is told apart from a stray byte.
            if encoding == .utf8, let verdict = EncodingSniffer.laterLine(path: request.readPath, line: line) {
                switch verdict {
                case .mixed(let firstLine, let first, let otherLine, _, let other):
                    return mixedError(file: file, firstLine: firstLine, first: first, otherLine: otherLine, column: column, other: other)
                case .encoding(let other):
                    return LoadError(file: file, line: line, column: column,
                                     reason: "has bytes \(hex(bytes)) that are not valid utf-8; the lines above are plain ASCII and this one reads as \(other.displayName)",
                                     help: "the whole file is probably \(other.displayName): with encoding '\(other.displayName)'")
                default: break
                }
            }
            // Read as CP932 or EUC-JP: a line that is UTF-8 text is named as such (at its first non-ASCII character).
            if encoding != .utf8, let utf8Column = EncodingSniffer.utf8Text(path: request.readPath, line: line) {
                return LoadError(file: file, line: line, column: utf8Column,
                                 reason: "line \(line) is utf-8 text, not \(current) (it has bytes \(hex(bytes)) that are not valid \(current))",
                                 help: "if the file is utf-8: with encoding 'utf-8'; if it joins exports in two encodings, convert it to one first (iconv -f \(current) -t utf-8 on the \(current) part)")
            }
            return LoadError(file: file, line: line, column: column, reason: "has bytes \(hex(bytes)) that are not valid \(current)",
                             help: request.options.encoding == nil
                                 ? "fix or remove the bytes (the file reads as \(current) up to here); or, if the whole file is in another encoding, name it: with encoding 'cp932' (or 'latin-1', 'euc-jp')"
                                 : "check the encoding: with encoding 'utf-8', 'cp932', 'euc-jp', 'utf-16' or 'latin-1'")
        case .controlCharacter(let line, let column, let text):
            return LoadError(file: file, line: line, column: column, rawValue: text,
                             reason: CSVReader.controlReason,
                             help: CSVReader.controlHelp + ", or check the encoding: with encoding 'utf-16'; to load the other rows: with on_error skip")
        case .unterminatedQuote(let line, let column):
            return LoadError(file: file, line: line, column: column, reason: "has a quote that is never closed",
                             help: "a field starting with \" must end with \"; write a literal quote as \"\"")
        case .strayQuote(let line, let column):
            return LoadError(file: file, line: line, column: column, reason: "has text after a closing quote",
                             help: "inside a quoted field, write a literal quote as \"\"")
        case .recordTooLong(let line, let limit):
            return LoadError(file: file, line: line, reason: "has a row longer than \(limit >> 20) MB (a quote that is never closed?)")
        case .tooManyFields(let line, let limit):
            return LoadError(file: file, line: line, column: limit, reason: "has a row with more than \(limit - 1) fields; a SQLite table holds at most \(limit - 1) columns",
                             help: "check the delimiter: with delimiter ','")
        }
    }
}

extension String {
    var trimmingBlanks: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\u{3000}" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\u{3000}" { s.removeLast() }
        return String(s)
    }
}
