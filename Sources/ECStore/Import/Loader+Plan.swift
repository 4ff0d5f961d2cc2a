/// What the first pass over a file decided: how to read it and what each column becomes.
struct FilePlan {
    var encoding: TextEncoding
    var delimiter: LoadOptions.Delimiter
    var hasHeader: Bool
    /// Column names of the file (headers, or column1...N).
    var names: [String]
    var columns: [ColumnPlan]
    var notes: [String] = []
    /// Records that look like a title above the header (0: none), for the `with skip N` hint.
    var preamble = 0
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
        let sample = try TextSource.sample(path: request.path, capacity: Loader.sampleBytes)
        let found = sample.bytes.withUnsafeBufferPointer { TextEncoding.detect(sample: $0, isWholeFile: sample.isWholeFile) }
        if let found {
            if found != .utf8 { notes.append("detected encoding \(found.displayName)") }
            return found
        }
        let bad = sample.bytes.withUnsafeBufferPointer { UTF8Validator.check($0).invalidAt } ?? 0
        let line = sample.bytes[0..<bad].filter { $0 == 10 }.count + 1
        throw LoadError(file: request.path, line: line, reason: "is not UTF-8 text (byte \(Loader.hex(Array(sample.bytes[bad..<min(bad + 2, sample.bytes.count)])))) and not Shift_JIS either",
                        help: "name the encoding: with encoding 'euc-jp' (or 'latin-1', 'utf-16', 'cp932')")
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
        var delimiter = options.delimiter
        if delimiter == nil {
            let source = try TextSource(path: request.path, encoding: encoding)
            let probe = UnsafeMutablePointer<UInt8>.allocate(capacity: Loader.sampleBytes)
            defer { probe.deallocate() }
            var got = 0
            while got < Loader.sampleBytes - 16 {
                let n = (try? source.read(into: probe + got, capacity: Loader.sampleBytes - got)) ?? 0
                if n == 0 { break }
                got += n
            }
            delimiter = Dialect.detectDelimiter(UnsafeBufferPointer(start: probe, count: got))
        }
        let reader = CSVReader(source: try TextSource(path: request.path, encoding: encoding), delimiter: delimiter!, maxFields: maxColumns + 1)
        let numbers = NumberReader(decimal: options.decimal)
        let dates = DateReader(format: options.dateFormat)
        var skipped = 0
        while skipped < options.skip, try readRecord(reader, request) { skipped += 1 }
        guard try readRecord(reader, request) else {
            throw LoadError(file: request.path, reason: "has no rows\(options.skip > 0 ? " after skipping \(options.skip) lines" : "")")
        }
        let first = reader.strings
        if first.count > maxColumns {
            throw LoadError(file: request.path, line: reader.line,
                            reason: "has \(first.count) columns; a SQLite table holds at most \(maxColumns)")
        }
        let hasHeader = options.header ?? first.allSatisfy { field in
            // A number or a date in the first row means it is data, not names.
            let looksLikeData = field.utf8.withContiguousStorageIfAvailable { b in
                numbers.parse(b) != nil || dates.parse(b) != nil
            } ?? false
            return !looksLikeData
        }
        let names = hasHeader ? Loader.columnNames(first) : (1...max(1, first.count)).map { "column\($0)" }
        var guesses = [KindGuess](repeating: KindGuess(), count: names.count)
        if !hasHeader { observe(reader, &guesses, numbers, dates) }
        var seen = 0
        var fieldCounts = [first.count]
        while seen < Loader.sampleRecords, try readRecord(reader, request) {
            if reader.count == names.count { observe(reader, &guesses, numbers, dates) }
            if fieldCounts.count < 50 { fieldCounts.append(reader.count) }
            seen += 1
        }
        let kinds = guesses.map { $0.kind(preferDates: options.dateFormat != nil) }
        let columns = names.indices.map { i in
            ColumnPlan(name: names[i], source: .field(i), header: hasHeader ? names[i] : nil, kind: kinds[i])
        }
        return FilePlan(encoding: encoding, delimiter: delimiter!, hasHeader: hasHeader, names: names, columns: columns,
                        preamble: options.header == nil ? Loader.preambleLines(fieldCounts) : 0)
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
            guesses[i].observe(reader.field(i), numbers: numbers, dates: dates)
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
            throw Loader.loadError(error, request)
        }
    }

    static func loadError(_ failure: CSVFailure, _ request: LoadRequest) -> LoadError {
        let file = request.path
        switch failure {
        case .invalidEncoding(let line, let bytes):
            let current = request.options.encoding ?? "utf-8"
            return LoadError(file: file, line: line, reason: "has bytes \(hex(bytes)) that are not valid \(current)",
                             help: request.options.encoding == nil
                                 ? "if the file comes from Japanese Windows or a mall export: with encoding 'cp932'"
                                 : "check the encoding: with encoding 'utf-8', 'cp932', 'euc-jp', 'utf-16' or 'latin-1'")
        case .unterminatedQuote(let line, let column):
            return LoadError(file: file, line: line, column: column, reason: "has a quote that is never closed",
                             help: "a field starting with \" must end with \"; write a literal quote as \"\"")
        case .strayQuote(let line, let column):
            return LoadError(file: file, line: line, column: column, reason: "has text after a closing quote",
                             help: "inside a quoted field, write a literal quote as \"\"")
        case .recordTooLong(let line, let limit):
            return LoadError(file: file, line: line, reason: "has a row longer than \(limit >> 20) MB (a quote that is never closed?)")
        case .tooManyFields(let line, let limit):
            return LoadError(file: file, line: line, reason: "has a row with more than \(limit - 1) fields; a SQLite table holds at most \(limit - 1) columns",
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
