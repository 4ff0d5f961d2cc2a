import ECAnalytics

/// One thing `explain` can tell about, with the group it is listed under.
struct ExplainTopic: Sendable, Equatable {
    enum Group: String, Sendable, CaseIterable {
        case kpis = "KPIs", defined = "KPIs defined in this workspace", concepts = "Concepts"
    }
    var name: String
    var group: Group
    var summary: String
}

/// The topics of `explain`, from the KPI catalogue and the explainer's concepts
/// (one source each, so a new KPI or concept is listed and completed without more work).
enum ExplainTopics {
    static func all(definedKPIs: [String]) -> [ExplainTopic] {
        KPICatalogue.all.map { ExplainTopic(name: $0.name, group: .kpis, summary: $0.meaning) }
            + definedKPIs.map { ExplainTopic(name: $0, group: .defined, summary: "a KPI you defined (define kpi)") }
            + Explainer.concepts.compactMap { c in
                c.keys.first.map { ExplainTopic(name: $0.replacingOccurrences(of: " ", with: "_"), group: .concepts, summary: c.title) }
            }
    }

    /// The spellings tried for a typed topic, so `ltv/cac`, `LTV/CAC`, `ltv_cac` and
    /// `ltv cac` all find the same entry: lower case, with `_`, `/` and `-` read as spaces.
    static func spellings(of words: [String]) -> [String] {
        let phrase = words.joined(separator: " ").lowercased()
        let spaced = phrase.map { "_/-".contains($0) ? " " : String($0) }.joined()
            .split(separator: " ").joined(separator: " ")
        var result: [String] = []
        for candidate in [phrase, spaced, spaced.replacingOccurrences(of: " ", with: "_"), spaced.replacingOccurrences(of: " ", with: "/")]
        where !result.contains(candidate) {
            result.append(candidate)
        }
        return result
    }

    /// `explain` alone: the topics grouped, one line each.
    static func listing(definedKPIs: [String]) -> String {
        let topics = all(definedKPIs: definedKPIs)
        let width = topics.map(\.name.count).max() ?? 0
        var text = "explain TOPIC tells what it means, its formula, pitfalls and its value here (explain TOPIC sql adds the SQL).\n"
        for group in ExplainTopic.Group.allCases {
            let members = topics.filter { $0.group == group }
            guard !members.isEmpty else { continue }
            text += "\n\(group.rawValue):\n"
            for t in members {
                text += "  " + t.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + t.summary + "\n"
            }
        }
        text += "\nCommands too: explain nps compare, explain unit economics (as help COMMAND).\n"
        return text
    }
}
