/// String literals compared with a customer key that read as e-mail addresses, lower-cased as the key is stored.
///
/// `load` keeps a customer id with an `@` with its ASCII letters in lower case (docs/language.md), so
/// `where customer_id = 'BOB@x.com'` compared as written matched nothing, silently. The compiler lowers such a
/// literal when it is compared with `=`, `!=` or `in` to a key column (`show sql` shows the lowered text), and
/// `changes` lists them for the note that says so.
public enum EmailKeyLiterals {
    /// The columns (folded names) whose e-mail values the load keeps in lower case: `customer_id` in orders,
    /// customers, nps and the customer facts.
    public static let keyColumns: Set<String> = ["customer_id"]

    /// The literal as the load would store it, when `subject` is a key column and `literal` a text with an `@`
    /// and an upper-case ASCII letter; nil otherwise (kept as written).
    static func lowered(_ literal: Literal, comparedWith subject: Expr) -> String? {
        guard case .identifier(let id) = subject.kind, keyColumns.contains(id.folded),
              case .string(let text) = literal, text.contains("@"),
              text.unicodeScalars.contains(where: { ("A"..."Z").contains($0) }) else { return nil }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }

    /// Every literal of `expr` that the compiler lowers, as written and as compared, in the order written.
    public static func changes(in expr: Expr) -> [(written: String, compared: String)] {
        var out: [(written: String, compared: String)] = []
        func add(_ subject: Expr, _ items: [Expr]) {
            for item in items {
                if case .literal(let l) = item.kind, case .string(let written) = l, let compared = lowered(l, comparedWith: subject) {
                    out.append((written, compared))
                }
            }
        }
        var pending = [expr]
        while let e = pending.popLast() {
            switch e.kind {
            case .literal, .identifier: break
            case .negate(let x), .not(let x), .isNull(let x, _): pending.append(x)
            case .binary(let op, let l, let r):
                if op == .equal || op == .notEqual { add(l, [r]); add(r, [l]) }
                pending += [r, l]
            case .inList(let s, let items, _): add(s, items); pending += items.reversed() + [s]
            case .between(let s, let low, let high, _): pending += [high, low, s]
            case .like(let s, let p, _): pending += [p, s]
            }
        }
        return out
    }

    /// The note for `changes(in:)`, or nil when there are none.
    public static func note(_ changes: [(written: String, compared: String)]) -> String? {
        guard !changes.isEmpty else { return nil }
        let listed = changes.prefix(3).map { "'\($0.written)' as '\($0.compared)'" }.joined(separator: ", ") + (changes.count > 3 ? ", …" : "")
        return "compared \(listed): customer ids that are e-mail addresses are stored in lower case"
    }
}
