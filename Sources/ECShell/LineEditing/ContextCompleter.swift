import Foundation
import ECLanguage
import ECStore

/// Tab completion that looks at where the cursor is: KPI names after `kpi`, grains and
/// dimensions after `by`, segments after `for`, topics after `explain`, setting names and
/// then their values after `set`, file names inside the quotes of `from '` and `run '`,
/// customer attributes after `segment NAME =`.
///
/// `candidates(before:)` works on the text before the cursor and returns whole words
/// for the token being typed (`samples/tour.ecsh`, `ltv/cac`); `readlineMatches` cuts
/// them to readline's word, which also breaks at `/`, `.` and `-`.
struct ContextCompleter {
    var vocabulary: CompletionVocabulary
    /// Lists a folder's entries (names only); folders end in "/".
    var listFolder: (String) -> [String] = ContextCompleter.folderEntries

    /// Words that may replace the token before the cursor (the text after the last blank,
    /// quote, comma, `=` or parenthesis), filtered by that token's prefix, ignoring case.
    func candidates(before text: String) -> [String] {
        let (token, context) = Self.split(text)
        let all = candidatesFor(context: context, token: token)
        var seen = Set<String>()
        let lowered = token.lowercased()
        return all.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0).inserted }
    }

    /// For readline: `line` up to `wordStart` ends with part of the token; drop that part.
    func readlineMatches(line: String, wordStart: Int, word: String) -> [String] {
        let beforeCursor = String(line.prefix(wordStart)) + word
        let (token, _) = Self.split(beforeCursor)
        let consumed = max(0, token.count - word.count)
        return candidates(before: beforeCursor).map { String($0.dropFirst(consumed)) }
    }

    /// What precedes the token: the words (lower case), whether the token is inside
    /// an open quote (and which), and whether a comma came right before it.
    struct Context {
        var words: [String]
        var inQuote: Bool
        var afterComma: Bool
        var afterEquals: Bool
        /// The open quote the token is in (`'` or `"`), nil outside quotes.
        var quote: Character? = nil
        /// Whether the last word was written in quotes (a file name, a header), not a keyword.
        var lastWordQuoted = false
    }

    /// Cuts `text` into the words before the token and the token itself. Inside quotes a doubled
    /// quote (`'it''s'`) is the quote escape: it stays in the word as typed, so a file name with
    /// a quote in it is one token.
    static func split(_ text: String) -> (token: String, context: Context) {
        var words: [String] = []
        var current = ""
        var quote: Character?
        // The quote just seen inside quotes: it closes them unless the next character repeats it.
        var closing = false
        var afterComma = false, afterEquals = false, lastWordQuoted = false
        func finish(quoted: Bool = false) {
            if !current.isEmpty || quoted {
                words.append(current.lowercased()); afterComma = false; afterEquals = false; lastWordQuoted = quoted
            }
            current = ""
        }
        for c in text {
            if let q = quote {
                if closing {
                    closing = false
                    if c == q { current.append(q); current.append(q); continue }
                    quote = nil
                    finish(quoted: true)
                } else {
                    if c == q { closing = true } else { current.append(c) }
                    continue
                }
            }
            switch c {
            case "'", "\"": finish(); quote = c
            case " ", "\t", "(", ")": finish()
            case ",": finish(); afterComma = true
            case "=", "<", ">", "!": finish(); words.append(String(c)); afterEquals = c == "="; lastWordQuoted = false
            default: current.append(c)
            }
        }
        if closing { quote = nil; finish(quoted: true) }
        return (current, Context(words: words, inQuote: quote != nil, afterComma: afterComma, afterEquals: afterEquals,
                                 quote: quote, lastWordQuoted: lastWordQuoted))
    }

    private func candidatesFor(context: Context, token: String) -> [String] {
        let words = context.words
        guard let first = words.first else {
            return token.hasPrefix(".") ? DotCommandInfo.spellings : CommandCatalog.firstWords
        }
        if first.hasPrefix(".") {
            return ["read", "once", "output"].contains(String(first.dropFirst())) ? files(token) : dotArguments(first, words.count)
        }
        if context.inQuote {
            // Inside quotes after from/run/to (load, run, export): a file name.
            if let previous = words.last, ["from", "run", "to"].contains(previous) { return files(token, quote: context.quote) }
            return []
        }
        guard let (info, count) = CommandCatalog.match(words) else {
            return CommandCatalog.all.filter { $0.words.count > 1 && $0.words[0] == first && words.count == 1 }.map { $0.words[1] }
        }
        let rest = Array(words.dropFirst(count))
        let v = vocabulary
        switch info.id {
        case .kpi:
            return clauseValues(rest, context, start: v.kpis, keywords: ["by", "for", "where", "from", "to", "within", "chart"]) { clause in
                switch clause {
                case "by": return v.grains + ["cohort"] + v.orderColumns + v.customerAttributes
                case "for": return v.segments
                case "where": return v.orderColumns
                default: return []
                }
            }
        case .cohort:
            return clauseValues(rest, context, start: info.keywords, keywords: ["by", "mode", "periods", "for", "where", "cumulative"]) { clause in
                switch clause {
                case "by": return ["month", "quarter", "week", "first_channel"] + v.customerAttributes
                case "for": return v.segments
                case "where": return v.orderColumns
                case "mode": return ["on", "on_or_after", "cumulative"]
                default: return []
                }
            }
        case .nps, .npsCompare:
            return clauseValues(rest, context, start: info.id == .npsCompare ? v.segments + ["by"] : ["by", "for", "compare"], keywords: ["by", "for"]) { clause in
                switch clause {
                case "by": return ["week", "month", "quarter"] + v.npsColumns + ["first_channel"] + v.customerAttributes
                case "for": return v.segments
                default: return []
                }
            }
        case .unitEconomics:
            return clauseValues(rest, context, start: ["by", "horizon"], keywords: ["by", "horizon"]) { clause in
                clause == "by" ? v.orderColumns + ["first_channel"] + v.customerAttributes : []
            }
        case .predictLTV, .predictAlive:
            let clauses = ["horizon", "for", "discount", "as_of", "model"] + (info.id == .predictLTV ? ["by"] : ["top"])
            return clauseValues(rest, context, start: clauses, keywords: clauses) { $0 == "for" ? v.segments : [] }
        case .scorecard:
            return rest.last == "by" ? ["month", "quarter", "year"] : (rest.isEmpty ? ["by"] : [])
        case .segment:
            // segment NAME = PREDICATE: attributes, other segments and the predicate words.
            guard rest.contains("=") else { return [] }
            return v.customerAttributes + v.segments + info.keywords
        case .explain:
            // `explain TOPIC sql` ends the statement: nothing after `sql`.
            if rest.isEmpty { return v.topics }
            return context.afterComma || rest.last == "sql" ? [] : ["sql"]
        case .set:
            if rest.isEmpty { return v.settings + ["completed", "excluded"] }
            let name = rest[0] == "completed" ? "completed_statuses" : rest[0]
            return rest.count == 1 || context.afterComma ? v.settingValues[name] ?? [] : []
        case .describe, .head:
            return rest.isEmpty ? v.tables : []
        case .dropSegment: return rest.isEmpty ? v.segments : []
        case .dropKPI: return rest.isEmpty ? v.definedKPIs : []
        case .target: return rest.isEmpty ? v.kpis : []
        case .help: return rest.isEmpty ? CommandCatalog.all.map(\.name) : []
        case .timer, .chart: return rest.isEmpty ? ["on", "off"] : []
        case .report: return rest.isEmpty ? ["to"] : rest.count == 2 ? ["title"] : []
        case .endReport: return []
        case .load:
            return loadWords(rest, context)
        case .export:
            // `export to 'FILE'`: the file name completes inside its quotes; nothing follows it.
            return rest.isEmpty ? ["to"] : []
        case .run:
            return []
        case .sql:
            return v.tables + v.columns
        default:
            return info.keywords + v.tables
        }
    }

    /// Values of the clause the token is in (`by …`, `for A, …`), the first list's values
    /// right after the command, or the clause keywords once a value is complete.
    private func clauseValues(_ rest: [String], _ context: Context, start: [String], keywords: [String],
                              values: (String) -> [String]) -> [String] {
        let clauseWords = Set(keywords)
        guard let last = rest.last else { return start }
        if clauseWords.contains(last) { return values(last) }
        if context.afterComma {
            let clause = rest.last { clauseWords.contains($0) }
            return clause.map(values) ?? start
        }
        // A value just ended: the next thing is another clause.
        return keywords.filter { !rest.contains($0) }
    }

    /// `load ROLE|table NAME from 'FILE' [append] [with …] [preset NAME] [map …]`: the dataset, then
    /// `from`; once the file is named, only the clauses not used yet (never `from` or a dataset again).
    private func loadWords(_ rest: [String], _ context: Context) -> [String] {
        let roles = ["orders", "customers", "spend", "traffic", "nps", "table"]
        guard let from = rest.firstIndex(of: "from") else {
            if rest.isEmpty { return roles }
            return rest.first == "table" && rest.count == 1 ? [] : ["from"]
        }
        let afterFrom = rest[(from + 1)...]
        // Unquoted after `from`: only standard input (a file name needs quotes).
        guard let file = afterFrom.first else { return ["stdin"] }
        guard afterFrom.count > 1 || context.lastWordQuoted || file == "stdin" else { return [] }
        let clauses = ["append", "with", "preset", "map"]
        let used = Set(afterFrom.dropFirst()).intersection(clauses)
        let open = afterFrom.dropFirst().last { clauses.contains($0) }
        let remaining = clauses.filter { !used.contains($0) }
        switch open {
        case "preset" where afterFrom.last == "preset":
            return LoadPresetNames.all
        case "with", "map":
            // An option or a mapping is being written: its names are free; after a complete one, more clauses.
            return afterFrom.last == open || context.afterComma || context.afterEquals || context.inQuote ? [] : remaining
        default:
            return remaining
        }
    }

    private func dotArguments(_ command: String, _ wordCount: Int) -> [String] {
        guard wordCount == 1 else { return [] }
        switch command {
        case ".mode": return ["table", "box", "csv", "tsv", "tabs", "json", "markdown", "line"]
        case ".headers", ".header", ".timer": return ["on", "off"]
        case ".schema": return vocabulary.tables
        default: return []
        }
    }

    /// File names for the path typed so far (folder part kept, so candidates are whole paths).
    /// Inside single quotes a `'` in a name is written `''`, the language's quote escape, both in
    /// what was typed and in the candidates.
    private func files(_ typed: String, quote: Character? = nil) -> [String] {
        let escape: (String) -> String = quote == "'" ? { $0.replacingOccurrences(of: "'", with: "''") } : { $0 }
        let path = quote == "'" ? typed.replacingOccurrences(of: "''", with: "'") : typed
        let expanded = path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst(1) : path
        let folder = expanded.lastIndex(of: "/").map { String(expanded[...$0]) } ?? ""
        let shownFolder = typed.lastIndex(of: "/").map { String(typed[...$0]) } ?? ""
        return listFolder(folder.isEmpty ? "." : folder).map { shownFolder + escape($0) }.sorted()
    }

    /// A folder's visible entries; folders end in "/".
    static func folderEntries(_ folder: String) -> [String] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") }.map { name in
            var isFolder: ObjCBool = false
            let exists = fm.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return exists && isFolder.boolValue ? name + "/" : name
        }
    }
}
