import ECStore

/// The KPI reference in docs/metrics.md, written from the catalogue so the two
/// cannot disagree (MetricsDocTests fails when the file and this text differ).
extension KPICatalogue {
    /// Where the generated part of docs/metrics.md starts and ends.
    public static let docsBegin = "<!-- generated from KPICatalogue: do not edit by hand -->"
    public static let docsEnd = "<!-- end of generated part -->"

    /// One section per KPI: meaning, formula, datasets, total rule, direction, pitfalls.
    public static func markdownReference() -> String {
        var out = [docsBegin, ""]
        out.append("| KPI | meaning | formula | reads | total row | direction |")
        out.append("|---|---|---|---|---|---|")
        for def in all {
            let reads = DatasetRole.allCases.filter { def.datasets.contains($0) }.map(\.rawValue).joined(separator: ", ")
            let totals = def.outputs.count == 1 ? def.total.rawValue
                : KPIDefinition.TotalRule.allCases.compactMap { rule in
                    let names = def.outputs.filter { $0.total == rule }.map(\.name)
                    return names.isEmpty ? nil : "\(rule.rawValue): \(names.joined(separator: ", "))"
                }.joined(separator: "; ")
            out.append("| `\(def.name)` | \(cell(def.meaning)) | \(cell(def.formula)) | \(reads) | \(totals) | \(def.direction.rawValue) |")
        }
        out.append("")
        out.append("Total rules: " + KPIDefinition.TotalRule.allCases.map { "**\($0.rawValue)** — \($0.explanation)" }.joined(separator: "; ") + ".")
        out.append("")
        out.append("### Pitfalls")
        out.append("")
        for def in all {
            for p in def.pitfalls { out.append("- `\(def.name)`: \(p)") }
        }
        out.append("")
        out.append(docsEnd)
        return out.joined(separator: "\n")
    }

    /// Text safe inside a Markdown table cell.
    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
