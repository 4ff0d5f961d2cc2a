import ECStore
/// Fitting cell text into a fixed number of terminal columns.
enum CellText {
    /// Control characters made visible, so a cell never breaks a table line.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text cut to at most `width` columns, ending in "…" when something was cut;
    /// a width of 0 or less means no limit (`set maxwidth 0`).
    static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0, DisplayWidth.of(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }  // keep one column for the ellipsis
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// The text padded with spaces to exactly `width` columns (when it is not wider).
    static func pad(_ text: String, to width: Int, right: Bool) -> String {
        let gap = max(0, width - DisplayWidth.of(text))
        let spaces = String(repeating: " ", count: gap)
        return right ? spaces + text : text + spaces
    }
}
