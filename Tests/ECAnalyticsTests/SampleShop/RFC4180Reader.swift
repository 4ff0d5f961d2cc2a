import Foundation

/// A tiny RFC 4180 reader written for the tests, independent of the generator's writer.
///
/// Quoted fields may hold commas, doubled quotes and line breaks; records end
/// in LF or CRLF. Returns nil for malformed input (a stray quote, an unclosed field).
enum RFC4180Reader {
    static func records(_ bytes: [UInt8]) -> [[String]]? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterQuote = false  // just closed a quoted field
        var i = 0
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    field.append(c)
                }
            } else if c == comma {
                endField()
            } else if c == lf || (c == cr && i + 1 < bytes.count && bytes[i + 1] == lf) {
                if c == cr { i += 1 }
                endField()
                records.append(record)
                record = []
            } else if c == quote {
                guard field.isEmpty && !afterQuote else { return nil }
                inQuotes = true
            } else {
                guard !afterQuote else { return nil }
                field.append(c)
            }
            i += 1
        }
        if inQuotes { return nil }
        if !field.isEmpty || !record.isEmpty || afterQuote {
            endField()
            records.append(record)
        }
        return records
    }

    /// Header plus rows (each the same width as the header); nil when malformed or ragged.
    static func table(_ bytes: [UInt8]) -> RFC4180Reader.Table? {
        guard let all = records(bytes), let header = all.first else { return nil }
        let rows = Array(all.dropFirst())
        guard rows.allSatisfy({ $0.count == header.count }) else { return nil }
        return Table(header: header, rows: rows)
    }

    /// A CSV file read back: header and rows, with columns looked up by name.
    struct Table: Sendable {
        let header: [String]
        let rows: [[String]]

        /// Column index of `name`; fails the caller loudly when missing.
        func column(_ name: String) -> Int {
            guard let index = header.firstIndex(of: name) else { fatalError("no column \(name) in \(header)") }
            return index
        }

        /// The values of one column.
        func values(_ name: String) -> [String] {
            let i = column(name)
            return rows.map { $0[i] }
        }
    }
}
