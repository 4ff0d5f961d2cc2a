import ECStore
import ECLanguage
import ECAnalytics

/// `help` and `explain`.
extension Session {
    /// `help`: commands grouped by task; `help COMMAND`: usage and examples.
    func help(_ topic: [Identifier]) throws {
        if topic.isEmpty {
            var text = "ecsh commands, by task (help COMMAND for details; explain NAME for a KPI or concept):\n"
            for group in CommandGroup.allCases {
                let commands = CommandCatalog.all.filter { $0.group == group }
                guard !commands.isEmpty else { continue }
                text += "\n\(group.rawValue):\n"
                let width = commands.map(\.name.count).max() ?? 0
                for c in commands {
                    text += "  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + c.summary + "\n"
                }
            }
            text += "\nStatements end at a newline or ';'. An open quote or parenthesis, or a trailing \\, continues on the next line.\n"
            emit(text)
            return
        }
        let words = topic.map(\.folded)
        guard let (info, _) = CommandCatalog.match(words) else {
            let names = CommandCatalog.all.map(\.name)
            throw Diagnostic.unknownName("command", topic.map(\.name).joined(separator: " "),
                                         at: topic.first!.range.union(topic.last!.range), among: names)
        }
        var text = "\(info.usage)\n  \(info.summary)\n"
        if !info.examples.isEmpty {
            text += "Examples:\n" + info.examples.map { "  " + $0 + "\n" }.joined()
        }
        if let explained = Explainer.text(for: info.name, settings: try metricSettings(), db: database), info.group == .kpis {
            text += "\n" + explained + "\n"
        }
        emit(text)
    }

    /// `explain NAME`: a KPI, a concept, or a command.
    func explain(_ topic: [Identifier], at range: SourceRange) throws {
        guard !topic.isEmpty else {
            throw ShellError("explain what?", at: range, help: "e.g. explain ltv, explain sales equation, explain cac; kpis lists every KPI")
        }
        let phrase = topic.map(\.folded).joined(separator: " ")
        let settings = try metricSettings()
        for candidate in [phrase, phrase.replacingOccurrences(of: " ", with: "_")] {
            if let text = Explainer.text(for: candidate, settings: settings, db: database) {
                emit(text)
                return
            }
        }
        if let (info, _) = CommandCatalog.match(topic.map(\.folded)) {
            try help(Array(topic.prefix(info.words.count)))
            return
        }
        let known = KPICatalogue.all.map(\.name) + Explainer.concepts.flatMap(\.keys) + CommandCatalog.all.map(\.name)
        throw Diagnostic.unknownName("topic", topic.map(\.name).joined(separator: " "),
                                     at: topic.first!.range.union(topic.last!.range), among: known)
    }
}
