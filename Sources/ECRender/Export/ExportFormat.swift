/// The file formats `export to 'file.ext'` can write, chosen by extension.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, tsv, json, markdown, html, svg

    /// Extensions accepted for each format (lower case, no dot).
    public var extensions: [String] {
        switch self {
        case .csv: return ["csv"]
        case .tsv: return ["tsv", "tab"]
        case .json: return ["json"]
        case .markdown: return ["md", "markdown"]
        case .html: return ["html", "htm"]
        case .svg: return ["svg"]
        }
    }

    /// The format for a path's extension (case-insensitive), or nil.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        guard let match = ExportFormat.allCases.first(where: { $0.extensions.contains(ext) }) else { return nil }
        self = match
    }

    /// ".csv .tsv .json .md .html .svg", for error messages and help.
    public static var knownExtensions: String {
        allCases.map { "." + $0.extensions[0] }.joined(separator: " ")
    }
}
