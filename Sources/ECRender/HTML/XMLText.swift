import Foundation

/// Escaping and number printing for HTML and SVG output.
enum XMLText {
    /// Text safe inside an element or a double-quoted attribute.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // XML 1.0 forbids most control characters even as references.
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with one decimal, independent of locale.
    static func number(_ d: Double) -> String {
        String(format: "%.1f", locale: nil, d.isFinite ? d : 0)
    }
}
