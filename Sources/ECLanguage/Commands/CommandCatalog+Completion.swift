extension CommandCatalog {
    /// Words that may complete the last (partial) word of a line, for tab completion.
    ///
    /// At the start of a line these are command words; after a multi-word command's first
    /// word, its second words; after a whole command, its keywords. Matching ignores case;
    /// `names` (datasets, segments, KPIs, columns known to the session) are offered after a command too.
    public static func completions(forLine line: String, names: [String] = []) -> [String] {
        let endsWithSpace = line.last.map { $0 == " " || $0 == "\t" } ?? true
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0).lowercased() }
        let partial = endsWithSpace ? "" : (words.popLast() ?? "")
        let candidates: [String]
        if words.isEmpty {
            candidates = firstWords
        } else if let (info, count) = match(words), count <= words.count {
            candidates = info.keywords + names
        } else {
            candidates = all.filter { $0.words.count > 1 && $0.words[0] == words[0] && words.count == 1 }.map { $0.words[1] }
        }
        var seen: Set<String> = []
        return candidates.filter { $0.lowercased().hasPrefix(partial) && seen.insert($0).inserted }
    }
}
