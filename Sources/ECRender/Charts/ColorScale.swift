/// Maps numbers onto a light-to-dark blue scale, for terminal cells and HTML.
///
/// The scale spans the smallest to the largest value shown, so small retention
/// differences stay visible; the legend prints the actual bounds.
public struct ColorScale: Sendable, Equatable {
    public var minimum: Double
    public var maximum: Double

    /// xterm 256-colour indices and matching HTML colours, light to dark.
    static let terminalSteps = [195, 159, 117, 75, 33, 25]
    static let htmlSteps = ["#e0f3ff", "#b3e0ff", "#80c6f2", "#4aa3df", "#1f78c1", "#0b4f8c"]
    /// Shade characters for output without colour, light to dark.
    static let shades: [Character] = ["░", "▒", "▓", "█"]

    /// A scale over the finite values given; nil when there are none. When all
    /// values are equal every value sits at the top (darkest) step.
    public init?(values: some Sequence<Double>) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        guard lo <= hi else { return nil }
        minimum = lo
        maximum = hi
    }

    /// Where a value sits on the scale, 0...1.
    public func position(_ v: Double) -> Double {
        guard maximum > minimum else { return 1 }
        return min(1, max(0, (v - minimum) / (maximum - minimum)))
    }

    /// The step (0..<count) a value falls into; the top value goes in the last step.
    public func step(_ v: Double, count: Int) -> Int {
        min(count - 1, Int(position(v) * Double(count)))
    }

    /// The lower bound of each of `count` equal steps, and the top.
    public func bounds(count: Int) -> [Double] {
        (0...count).map { minimum + (maximum - minimum) * Double($0) / Double(count) }
    }

    func terminalColor(_ v: Double) -> (index: Int, darkText: Bool) {
        let s = step(v, count: Self.terminalSteps.count)
        return (Self.terminalSteps[s], s < 3)
    }

    func htmlColor(_ v: Double) -> (background: String, text: String) {
        let s = step(v, count: Self.htmlSteps.count)
        return (Self.htmlSteps[s], s < 3 ? "#000000" : "#ffffff")
    }

    func shade(_ v: Double) -> Character { Self.shades[step(v, count: Self.shades.count)] }
}
