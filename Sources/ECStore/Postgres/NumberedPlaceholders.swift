/// ecsh writes SQL with SQLite's anonymous `?` placeholders (`SQLFragment`); PostgreSQL numbers
/// them (`$1`, `$2`, …). This rewrites one into the other, leaving every `?` that is not a
/// placeholder alone: inside 'string literals' (with '' and E'\'' escapes), "quoted identifiers",
/// $tag$dollar-quoted$tag$ bodies, -- line and /* nested */ block comments.
public enum NumberedPlaceholders {
    /// The SQL with its placeholders numbered from 1, and how many there were.
    public static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var count = 0, i = 0
        let n = bytes.count
        func at(_ k: Int) -> UInt8 { k < n ? bytes[k] : 0 }
        while i < n {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "?"):
                count += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: String(count).utf8)
                i += 1
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                // E'…' strings allow backslash escapes; standard strings and identifiers double the quote.
                let backslashes = c == UInt8(ascii: "'") && i > 0 && (bytes[i - 1] | 0x20) == UInt8(ascii: "e")
                    && (i < 2 || !isWordByte(bytes[i - 2]))
                var j = i + 1
                while j < n {
                    if backslashes && bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
                    if bytes[j] == c {
                        if at(j + 1) == c { j += 2; continue }
                        break
                    }
                    j += 1
                }
                let end = min(j + 1, n)
                out.append(contentsOf: bytes[i..<end])
                i = end
            case UInt8(ascii: "-") where at(i + 1) == UInt8(ascii: "-"):
                var j = i
                while j < n && bytes[j] != UInt8(ascii: "\n") { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "*"):
                var depth = 0, j = i
                repeat {
                    if at(j) == UInt8(ascii: "/") && at(j + 1) == UInt8(ascii: "*") { depth += 1; j += 2 }
                    else if at(j) == UInt8(ascii: "*") && at(j + 1) == UInt8(ascii: "/") { depth -= 1; j += 2 }
                    else { j += 1 }
                } while depth > 0 && j < n
                let end = min(j, n)
                out.append(contentsOf: bytes[i..<end])
                i = end
            case UInt8(ascii: "$") where i == 0 || !isWordByte(bytes[i - 1]):
                // $tag$ … $tag$ (tag empty or an identifier); a lone `$1` is a parameter already.
                var j = i + 1
                while j < n && isWordByte(bytes[j]) && !(bytes[j] >= 48 && bytes[j] <= 57 && j == i + 1) { j += 1 }
                if at(j) == UInt8(ascii: "$") {
                    let tag = Array(bytes[i...j])
                    var k = j + 1
                    var end = n
                    while k + tag.count <= n {
                        if bytes[k] == UInt8(ascii: "$") && Array(bytes[k..<k + tag.count]) == tag { end = k + tag.count; break }
                        k += 1
                    }
                    out.append(contentsOf: bytes[i..<end])
                    i = end
                } else {
                    out.append(c)
                    i += 1
                }
            default:
                out.append(c)
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), count)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b >= 0x80
    }
}

extension PostgresConnection {
    /// Runs an ecsh SQL fragment (`?` placeholders) and returns its rows.
    public func query(_ fragment: SQLFragment) throws -> ResultTable {
        let numbered = NumberedPlaceholders.rewrite(fragment.sql)
        guard numbered.count == fragment.bindings.count else {
            throw PostgresError("the statement has \(numbered.count) placeholders for \(fragment.bindings.count) values", sql: fragment.sql)
        }
        return try query(numbered.sql, fragment.bindings)
    }
}
