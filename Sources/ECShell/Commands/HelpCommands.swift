import Foundation
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
            text += "From sqlite3 or DuckDB: .help lists dot commands (.tables, .mode csv, .once FILE, ...); select/with/pragma run as SQL.\n"
            emit(text)
            return
        }
        let words = topic.map(\.folded)
        guard let (info, _) = CommandCatalog.match(words) else {
            // The first words of several commands (`help predict`, `help simulate`): each of them.
            let family = CommandCatalog.all.filter { $0.name.split(separator: " ").map(String.init).starts(with: words) }
            guard family.isEmpty else { return emit(family.map(Self.usageText).joined(separator: "\n")) }
            let names = CommandCatalog.all.map(\.name)
            throw Diagnostic.unknownName("command", topic.map(\.name).joined(separator: " "),
                                         at: topic.first!.range.union(topic.last!.range), among: names)
        }
        var text = Self.usageText(info)
        if let explained = Explainer.text(for: info.name, settings: try metricSettings(), db: database), info.group == .kpis {
            text += "\n" + explained + "\n"
        }
        emit(text)
    }

    /// A command's usage, summary and examples, as `help COMMAND` prints them.
    static func usageText(_ info: CommandInfo) -> String {
        var text = "\(info.usage)\n  \(info.summary)\n"
        if !info.examples.isEmpty {
            text += "Examples:\n" + info.examples.map { "  " + $0 + "\n" }.joined()
        }
        return text
    }

    /// `explain`: the topics; `explain NAME [sql]`: a KPI, a concept, or a command.
    ///
    /// The SQL comes only with a trailing `sql` (or `show sql` after): 40–70 lines
    /// of SQL buried the meaning, which is what most readers came for.
    func explain(_ topic: [Identifier], at range: SourceRange) throws {
        let defined = ((try? DerivedKPIs.load(database).keys.map { $0 }) ?? []).sorted()
        guard let first = topic.first, let last = topic.last else {
            emit(ExplainTopics.listing(definedKPIs: defined))
            return
        }
        let wantsSQL = topic.count > 1 && last.folded == "sql"
        let words = wantsSQL ? Array(topic.dropLast()) : topic
        let named = words.map(\.name).joined(separator: " ")
        let settings = try metricSettings()
        for candidate in ExplainTopics.spellings(of: words.map(\.name)) {
            if let text = Explainer.text(for: candidate, settings: settings, db: database) {
                emitExplanation(text, named: named, wantsSQL: wantsSQL)
                return
            }
        }
        if let (info, _) = CommandCatalog.match(topic.map(\.folded)) {
            try help(Array(topic.prefix(info.words.count)))
            return
        }
        // Another name for one KPI (`explain 客単価`, `explain cm2`): explain it under ecsh's name.
        let others = KPICatalogue.kpis(calledOtherwise: named).filter { !defined.contains($0) }
        if others.count == 1, let text = Explainer.text(for: others[0], settings: settings, db: database) {
            emit("(\(named) is what ecsh calls \(others[0]); kpi \(others[0]) computes it)\n")
            emitExplanation(text, named: others[0], wantsSQL: wantsSQL)
            return
        }
        let known = ExplainTopics.all(definedKPIs: defined).map(\.name) + (Explainer.teachingConcepts + Explainer.concepts).flatMap(\.keys) + CommandCatalog.all.map(\.name)
        let range = first.range.union(last.range)
        if others.count > 1 {
            // 売上: revenue in one report, GMV in the next; the learner picks.
            throw Diagnostic("unknown topic '\(named)'", at: range,
                             help: "did you mean " + others.map { "'\($0)'" }.joined(separator: " or ") + "?",
                             note: "explain alone lists every topic")
        }
        throw Diagnostic.unknownName("topic", named, at: range, among: known, note: "explain alone lists every topic")
    }

    /// An explanation's prose (with where its SQL is), or with `sql` its SQL only.
    private func emitExplanation(_ text: String, named: String, wantsSQL: Bool) {
        let (prose, sql) = Self.splitExplanation(text)
        if let sql { lastSQL = sql }
        if wantsSQL {
            emit(sql.map { "SQL ecsh runs for \(named):\n" + $0 } ?? "\(named) has no SQL of its own (load orders to compute it)")
        } else {
            emit(prose + (sql == nil ? "" : "\n\n(explain \(named) sql, or show sql, prints the SQL ecsh runs)"))
        }
    }

    /// The explanation without its SQL, and the SQL (after the explainer's "SQL ecsh runs:" line).
    static func splitExplanation(_ text: String) -> (prose: String, sql: String?) {
        guard let marker = text.range(of: "\n\nSQL ecsh runs:\n") else {
            return (text.trimmingCharacters(in: .newlines), nil)
        }
        return (String(text[..<marker.lowerBound]), String(text[marker.upperBound...]).trimmingCharacters(in: .newlines))
    }
}
