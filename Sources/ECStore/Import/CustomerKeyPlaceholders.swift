/// Values that exports write in a customer id column for "no customer" (guest checkout, a deleted
/// account, a spreadsheet's missing value): read as no customer key wherever a `customer_id` is read
/// (orders, customers, NPS), so a placeholder never becomes one big customer who buys again and again.
///
/// Matched after trimming blanks, ASCII letters in any case. `0` is here because auto-numbered customer
/// ids start at 1 and WooCommerce and others export guest checkouts as customer 0; only `0` itself,
/// not `00` or `000123`, which are real zero-padded ids. The list is the one in docs/language.md (`load`).
enum CustomerKeyPlaceholders {
    static let words = ["-", "--", "null", "nil", "n/a", "na", "#n/a", "none", "guest", "unknown", "0", "ゲスト", "非会員"]

    private static let bytes: [[UInt8]] = words.map { Array($0.utf8) }

    /// The index of `0` in `words`: no placeholder when the load says customer 0 is real (`with zero_is_customer true`).
    static let zero = words.firstIndex(of: "0")!

    /// The index in `words` of the placeholder `value` is, or nil when it is a customer id.
    static func index(of value: UnsafeBufferPointer<UInt8>) -> Int? {
        guard value.count <= 9 else { return nil }
        return bytes.firstIndex { word in
            word.count == value.count && zip(word, value).allSatisfy { w, v in w == (v >= 65 && v <= 90 ? v + 32 : v) }
        }
    }

    /// `'-' ×2, 'NULL', 'guest'`: each placeholder as first written in the file, most frequent first
    /// (then in the order the file first has them).
    static func listed(_ seen: [Seen]) -> String {
        seen.sorted { $0.count != $1.count ? $0.count > $1.count : $0.line < $1.line }
            .map { "'\($0.written)'" + ($0.count > 1 ? " ×\(LoadSummary.grouped($0.count))" : "") }
            .joined(separator: ", ")
    }

    /// A placeholder a load met: as first written, on which line, and how often.
    struct Seen: Equatable {
        var written: String
        var line: Int
        var count: Int
    }
}
