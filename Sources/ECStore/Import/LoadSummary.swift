/// What a finished load did, for the shell to print.
public struct LoadSummary: Sendable {
    public var table: String
    public var role: DatasetRole?
    public var source: String
    /// Rows in the table that came from this load.
    public var rows: Int
    public var columns: Int
    /// Bad rows written to `ecsh_rejects` (only with `on_error skip`).
    public var skipped: Int
    public var seconds: Double
    /// Things worth knowing: detected encoding, widened columns, where rejects went.
    public var notes: [String]

    /// "loaded 12,345 orders (14 columns) from 'x.csv' in 0.41 s (30,110 rows/s)"
    public var description: String {
        let what = role?.rawValue ?? "rows into \(table)"
        let rate = seconds > 0 ? Int((Double(rows) / seconds).rounded()) : rows
        var text = "loaded \(LoadSummary.grouped(rows)) \(what) (\(columns) columns) from '\(source)'"
        text += " in \(String(format2: seconds)) s (\(LoadSummary.grouped(rate)) rows/s)"
        if skipped > 0 {
            text += "; skipped \(LoadSummary.grouped(skipped)) bad rows (see ecsh_rejects)"
        }
        return text
    }

    /// 1234567 → "1,234,567" (no locale involved).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}

extension String {
    /// Two decimals without Foundation's locale-dependent formatting.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let frac = hundredths % 100
        self = "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
