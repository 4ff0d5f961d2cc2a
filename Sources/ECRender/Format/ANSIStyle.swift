/// ANSI SGR escape sequences, applied only when colour is on.
enum ANSIStyle {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let dim = "\u{1B}[2m"
    static let italic = "\u{1B}[3m"
    static let green = "\u{1B}[32m"
    static let red = "\u{1B}[31m"

    /// The text wrapped in a style, or unchanged when colour is off.
    static func apply(_ code: String, _ text: String, when enabled: Bool) -> String {
        enabled && !text.isEmpty ? code + text + reset : text
    }

    /// A 256-colour background with a readable foreground.
    static func background(_ index: Int, darkText: Bool) -> String {
        "\u{1B}[48;5;\(index)m" + (darkText ? "\u{1B}[38;5;16m" : "\u{1B}[38;5;231m")
    }
}
