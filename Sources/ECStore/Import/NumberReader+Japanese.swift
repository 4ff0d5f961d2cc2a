/// Numbers written the Japanese way: full-width, with a bookkeeping minus, or with a Shift_JIS yen sign.
extension NumberReader {
    /// `b` folded to ASCII (full-width digits and `，．－＋＄（）`, `−`, the ideographic space; `\` to `¥` when
    /// `backslashIsYen`), then read, with a leading `▲`/`△` or enclosing parentheses as the minus. Nil when
    /// `b` has nothing to fold or is still no number: `▲-1,000` and `(-1,000)` say the sign twice; `１．２３４` (with
    /// decimal `.`), whose three decimals the load's question about `.` grouping thousands would not see.
    func parseWritten(_ b: UnsafeBufferPointer<UInt8>) -> ParsedNumber? {
        guard b.contains(where: { $0 >= 0x80 || $0 == 40 || ($0 == 92 && backslashIsYen) }) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * b.count) { buffer in
            let q = buffer.baseAddress!
            var n = fold(b, into: q)
            var start = 0
            while start < n && (q[start] == 32 || q[start] == 9) { start += 1 }
            while n > start && (q[n - 1] == 32 || q[n - 1] == 9) { n -= 1 }
            // `１２．５００`: the load's question whether `.` groups thousands (`Loader.ambiguousDecimals`) looks
            // at the field as written and would not see it, so it counted as a plain decimal and settled the column.
            if decimalMark == 46 && Self.hidesThreeDecimals(b, UnsafeBufferPointer(start: q + start, count: n - start)) { return nil }
            var negative = false
            if n - start > 3 && q[start] == 0xE2 && q[start + 1] == 0x96 && (q[start + 2] == 0xB2 || q[start + 2] == 0xB3) {
                negative = true  // ▲ △
                start += 3
            } else if n - start > 2 && q[start] == 40 && q[n - 1] == 41 {
                negative = true
                start += 1
                n -= 1
            }
            let rest = UnsafeBufferPointer(start: q + start, count: n - start)
            if !negative { return parsePlain(rest) }
            if rest.contains(45) || rest.contains(43) { return nil }
            switch parsePlain(rest) {
            case .integer(let v)?: return .integer(-v)
            case .zeroPadded(let v)?: return .zeroPadded(-v)
            case .real(let d)?: return .real(d == 0 ? 0 : -d)
            case nil: return nil
            }
        }
    }

    /// Writes `b` folded to ASCII into `q` (room for 2 × `b.count`): full-width digits and `，．－＋＄（）`, `−`, the
    /// ideographic space, and `\` as `¥` when `backslashIsYen`. Returns the length.
    private func fold(_ b: UnsafeBufferPointer<UInt8>, into q: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBC, let ascii = NumberReader.fullWidth(b[i + 2]) {
                q[n] = ascii; n += 1; i += 3
            } else if c == 0xE2 && i + 2 < b.count && b[i + 1] == 0x88 && b[i + 2] == 0x92 {
                q[n] = 45; n += 1; i += 3  // − U+2212, the minus of JIS X 0208 (Shift_JIS 0x817C as iconv's SHIFT_JIS reads it)
            } else if c == 0xE3 && i + 2 < b.count && b[i + 1] == 0x80 && b[i + 2] == 0x80 {
                q[n] = 32; n += 1; i += 3  // the ideographic space
            } else if c == 92 && backslashIsYen {
                q[n] = 0xC2; q[n + 1] = 0xA5; n += 2; i += 1
            } else {
                q[n] = c; n += 1; i += 1
            }
        }
        return n
    }

    /// The folded value has three digits after a lone dot (`1.234`) but the field as written does not show it.
    private static func hidesThreeDecimals(_ written: UnsafeBufferPointer<UInt8>, _ folded: UnsafeBufferPointer<UInt8>) -> Bool {
        RowConverter.hasThreeDigitsAfterLoneDot(folded) && !RowConverter.hasThreeDigitsAfterLoneDot(written)
    }

    /// The ASCII character of the full-width form U+FF00 + (`low` − 0x80) (`RowConverter.fullWidthASCII`), for the
    /// characters a number uses only: digits, `，．－＋＄（）` (not `Ｅ`, so `１Ｅ３` is no number).
    private static func fullWidth(_ low: UInt8) -> UInt8? {
        guard let c = RowConverter.fullWidthASCII(0xBC, low), (48...57).contains(c) || numberMarks.contains(c) else { return nil }
        return c
    }

    private static let numberMarks: Set<UInt8> = Set(",.-+$()".utf8)

    /// The way out for a value refused as no number when it is written in a Japanese form ecsh does not read
    /// (a `\` yen sign outside Shift_JIS, 万/千/億, a minus after the number, ▼, a sign said twice); nil otherwise.
    static func refusalHelp(_ text: String, encoding: TextEncoding) -> String? {
        let t = text.trimmingBlanks
        let digits = t.unicodeScalars.contains { ("0"..."9").contains($0) || ("０"..."９").contains($0) }
        guard digits else { return nil }
        if t.contains("\\") && encoding != .cp932 {
            return "a backslash before a number is the yen sign of a Shift_JIS (cp932) file, but this file is read as \(encoding.displayName): "
                + "write ¥ or no sign"
        }
        let written = Array(t.utf8)
        let hidden = written.withUnsafeBufferPointer { w in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * w.count) { buffer in
                let n = NumberReader(decimal: ".").fold(w, into: buffer.baseAddress!)
                return hidesThreeDecimals(w, UnsafeBufferPointer(start: buffer.baseAddress, count: n))
            }
        }
        if hidden {
            return "in full-width digits three digits after the point (１２．５００) may be a decimal or thousands grouped by '.': "
                + "write the amounts in half-width digits (the load then asks which when the column does not tell)"
        }
        if t.contains(where: { "万千億".contains($0) }) {
            return "amounts in 万, 千 or 億 are not read (1.2万 is usually a rounded display of the amount): "
                + "export the whole amounts (1万2千円 is 12000)"
        }
        if t.hasPrefix("▼") || t.hasPrefix("▽") {
            return "▲ and △ are read as the minus of bookkeeping; ▼ and ▽ mark a fall in some reports and a negative in others: "
                + "write -1,000 (or ▲1,000) for a negative"
        }
        if (t.hasPrefix("▲") || t.hasPrefix("△") || t.hasPrefix("(") || t.hasPrefix("（")) && t.contains(where: { "-+－＋−".contains($0) }) {
            return "▲, △ and parentheses already say minus: write ▲1,000, (1,000) or -1,000, with one sign"
        }
        if t.contains(where: { "▲△".contains($0) }) {
            return "▲ and △ (minus) come first, before the currency: ▲¥1,000"
        }
        if t.hasSuffix("-") || t.hasSuffix("－") || t.hasSuffix("−") {
            return "a minus after the number is read two ways: a negative (as some accounting systems print it) or the end mark of "
                + "a yen amount (¥1,000- on a receipt): write -1,000 for a negative, 1,000 for a positive"
        }
        return nil
    }
}
