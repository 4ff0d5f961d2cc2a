/// Bounds on the shape of an already-compiled SQL predicate (a segment used inside another).
///
/// The compiler knows the shape of what it emits; a segment arrives as text, so its
/// parenthesis nesting is measured and its tree depth bounded from above: every tree
/// level the compiler emits is either a parenthesis level or an operator of a flattened
/// `+ - * /` chain, so nesting plus the number of such operators is never less than the depth.
struct SQLShape {
    var nesting = 0
    var depthBound = 0
    /// True when the whole text is one parenthesized group, `( … )`, as every compiled predicate
    /// with an operator is; it can then be used as an operand without another pair of parentheses.
    var isOneGroup = false

    init(_ sql: String) {
        var open = 0, operators = 0
        var inQuotes = false
        var previous: UInt8 = 0
        var bytes = sql.utf8.makeIterator()
        var current = bytes.next()
        var closedBeforeEnd = false
        while let c = current {
            let next = bytes.next()
            if c == UInt8(ascii: "\"") {
                inQuotes.toggle()  // a doubled "" inside a name toggles twice: still inside
            } else if !inQuotes {
                switch c {
                case UInt8(ascii: "("): open += 1; nesting = max(nesting, open)
                case UInt8(ascii: ")"):
                    open -= 1
                    if open == 0 && next != nil { closedBeforeEnd = true }
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"):
                    if previous == UInt8(ascii: " ") && next == UInt8(ascii: " ") { operators += 1 }
                default: break
                }
            }
            previous = c
            current = next
        }
        depthBound = 2 * nesting + operators + 1
        isOneGroup = sql.utf8.first == UInt8(ascii: "(") && !closedBeforeEnd && open == 0
    }
}
