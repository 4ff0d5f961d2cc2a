import Foundation

/// Numbers written for people: thousands separators, fixed decimals, no locale.
///
/// The shell's output must not change with the machine's locale, so grouping is
/// done here by hand and decimals come from `%.Nf` under the POSIX locale.
public enum NumberText {
    /// An integer with thousands separators: 1234567 → "1,234,567".
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + group(digits)
    }

    /// A real with exactly `places` decimals and a grouped integer part.
    public static func fixed(_ value: Double, places: Int) -> String {
        if let special = nonFinite(value) { return special }
        let p = max(0, min(places, 15))
        var text = String(format: "%.\(p)f", locale: nil, value)
        var negative = false
        if text.hasPrefix("-") { negative = true; text.removeFirst() }
        let parts = text.split(separator: ".", maxSplits: 1)
        var out = group(String(parts[0]))
        if parts.count == 2 { out += "." + parts[1] }
        // "-0.00" reads as a sign error; a value that rounds to zero has no sign.
        if negative && out.contains(where: { $0 != "0" && $0 != "." && $0 != "," }) { out = "-" + out }
        return out
    }

    /// A real with at most `places` decimals, trailing zeros dropped: 2.50 → "2.5".
    public static func upTo(_ value: Double, places: Int) -> String {
        var text = fixed(value, places: places)
        guard value.isFinite, text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// "NaN", "∞" or "-∞" for values that are not finite, nil otherwise.
    static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-∞" : "∞" }
        return nil
    }

    private static func group(_ digits: String) -> String {
        guard digits.count > 3 else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
