import Foundation
import ECStore

/// Why an export failed, in words the user can act on.
public struct ExportError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a result to a file, the format chosen from the file's extension.
public enum ExportWriter {
    /// The file's contents for `format`. Machine formats are exact (raw values);
    /// Markdown, HTML and SVG use the people's formatting from `options`.
    public static func text(_ table: ResultTable, format: ExportFormat, options: RenderOptions = RenderOptions(), title: String = "ecsh result") throws(ExportError) -> String {
        switch format {
        case .csv: return CSVWriter.text(table)
        case .tsv: return TSVWriter.text(table)
        case .json: return JSONWriter.text(table)
        case .markdown: return MarkdownWriter.text(table, formatter: options.cellFormatter)
        case .html: return HTMLWriter.page(table, title: title, formatter: options.cellFormatter)
        case .svg:
            do {
                return try SVGChart.svg(for: table, standalone: true, formatter: options.cellFormatter)
            } catch {
                throw ExportError("cannot export an SVG: \(error.description); export to .csv or .html instead")
            }
        }
    }

    /// Writes a finished document (a run's report) to `path`, replacing any file there.
    public static func writeText(_ text: String, to path: String) throws(ExportError) {
        try AtomicFile.write(Array(text.utf8), to: path)
    }

    /// `title` (the statement that made the result) heads an HTML page; the file name when nil.
    /// Returns what the reader should know about the file: CSV's note on cells written as text
    /// rather than formulas (`CSVWriter.formulaNote`), or nothing.
    @discardableResult
    public static func write(_ table: ResultTable, to path: String, options: RenderOptions = RenderOptions(),
                             title: String? = nil) throws(ExportError) -> [String] {
        guard let format = ExportFormat(path: path) else {
            throw ExportError("don't know how to export to '\(path)': use one of \(ExportFormat.knownExtensions)")
        }
        let title = title ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let contents = try text(table, format: format, options: options, title: title)
        try AtomicFile.write(Array(contents.utf8), to: path)
        return format == .csv ? CSVWriter.formulaNote(table).map { [$0] } ?? [] : []
    }
}
