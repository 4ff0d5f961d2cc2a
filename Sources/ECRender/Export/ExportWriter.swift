import Foundation
import ECStore

/// Why an export failed, in words the user can act on.
public struct ExportError: Error, CustomStringConvertible, Equatable {
    public var description: String
    /// The way out, when there is one beyond the description (`help:` under the error).
    public var help: String?
    public init(_ description: String, help: String? = nil) {
        self.description = description
        self.help = help
    }
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
    /// `~` at the start of `path` is the home folder, as in a shell (`HomePath`).
    public static func writeText(_ text: String, to path: String) throws(ExportError) {
        try AtomicFile.write(Array(text.utf8), to: HomePath.expand(path))
    }

    /// The UTF-8 byte order mark, which Excel needs to read a CSV as UTF-8 rather than the
    /// system's code page (Shift-JIS on Japanese Windows, which garbles `楽天市場`).
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `title` (the statement that made the result) heads an HTML page; the file name when nil.
    /// Returns what the reader should know about the file: CSV's note on cells written as text
    /// rather than formulas and NUL characters replaced (`CSVWriter.notes`), or nothing.
    /// `bom` starts a CSV or TSV file with the UTF-8 byte order mark, for Excel.
    /// `~` at the start of `path` is the home folder, as in a shell (`HomePath`).
    @discardableResult
    public static func write(_ table: ResultTable, to path: String, options: RenderOptions = RenderOptions(),
                             title: String? = nil, bom: Bool = false) throws(ExportError) -> [String] {
        guard let format = ExportFormat(path: path) else {
            throw ExportError("don't know how to export to '\(path)': use one of \(ExportFormat.knownExtensions)")
        }
        if bom && format != .csv && format != .tsv {
            throw ExportError("'with bom' is for .csv and .tsv files (for Excel), not .\(format.extensions[0]); export without it")
        }
        let title = title ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let contents = try text(table, format: format, options: options, title: title)
        try AtomicFile.write((bom ? byteOrderMark : []) + Array(contents.utf8), to: HomePath.expand(path))
        switch format {
        case .csv: return CSVWriter.notes(table)
        case .tsv: return CSVWriter.notes(table, tsv: true)
        default: return []
        }
    }
}
