import Foundation
import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `load` and `export`.
extension Session {
    /// `load ROLE|table NAME from 'file' [append] [with …] [preset …] [map …]`.
    func runLoad(_ load: LoadStatement) throws {
        let target: LoadTarget
        switch load.target {
        case .role(let role, _): target = .role(role)
        case .table(let name):
            if name.name.hasPrefix("ecsh_") {
                throw ShellError("table names starting with 'ecsh_' are reserved for ecsh's bookkeeping", at: name.range)
            }
            target = .table(name.name)
        }
        var options: LoadOptions
        do {
            options = try LoadOptions(pairs: load.options.map { ($0.name.name, optionValue($0.value.value)) })
        } catch let e as StoreError {
            let bad = load.options.first { e.message.contains("'\($0.name.name)'") || e.message.hasPrefix($0.name.name.lowercased() + " ") }
            throw ShellError(e.message, at: bad?.name.range)
        }
        // `with scale '0-10'` confirms the scale of NPS answers; on any other load it would be read and ignored.
        if options.scaleConfirmed, target != .role(.nps) {
            let clause = load.options.first { $0.name.name.lowercased() == "scale" }
            throw ShellError("scale says the NPS question was asked 0–10: it is for `load nps`, and this load is of \(target.tableName)",
                             at: clause?.name.range,
                             help: "leave `with scale` out; answers on another scale are loaded as a table (load table csat from '…')")
        }
        // The workspace's time zone, unless the statement names one (`with timezone 'UTC'`).
        if options.timezone == nil { options.timezone = try metricSettings().timezone }
        // Amounts in a currency without a minor unit (yen): `1.500` is asked about, not read as 1.5.
        options.currencyDecimals = Currency(code: try metricSettings().currency).decimals
        var map: [String: String] = [:]
        for m in load.mappings { map[m.field.name] = m.header.name }
        let path = resolveDataPath(load.path.value)
        let request = LoadRequest(target: target, path: path, options: options, fieldMap: map,
                                  preset: load.preset?.name, append: load.append)
        let progress = LoadProgressBar(sink: err, enabled: err.isTerminal && isInteractive)
        // Wiped however the load ends: a failed or interrupted load leaves no bar above its error.
        defer { progress.finish() }
        // The load draws its own bar while it reads the rows: no second progress line then. Once the
        // rows are in, the steps after them (statuses and ids, the customer facts: a minute at 10M
        // orders) say what they do (`Database.during`): the bar gives way to the statement's activity line.
        let activity = database.onProgress
        let db = database
        // Held back while the bar is drawn: released by the first step that says what it does.
        activityLine?.finish()
        database.onProgress = {
            guard db.activity != nil else { return }
            progress.finish()
            activity?()
        }
        defer { database.onProgress = activity }
        // The customer facts and the order snapshot are built in the load's own transaction
        // (CustomerFacts.refreshInLoad): a kill at any moment leaves old rows with old facts or
        // new rows with new facts, and the first statement after the load only reads. A load of
        // customers or NPS answers joins its columns onto the facts without reading the orders.
        var refresh: ((Database) throws -> Void)?
        // An orders load also hands its rows, as they are parsed, to what builds the facts (`LoadPass`).
        var pass: CustomerFacts.LoadPass?
        var replaced: [String] = []
        if case .role(let role) = target {
            replaced = CustomerFacts.tablesReplaced(byLoadOf: role)
            let settings = try metricSettings()
            if role == .orders && database.engine == .sqlite { pass = CustomerFacts.LoadPass(settings: settings) }
            refresh = { [pass] in try CustomerFacts.refreshInLoad($0, role: role, settings: settings, collected: pass) }
        }
        if database.engine == .postgresql {
            // The facts are built on the server by SQL when a statement first needs them.
            refresh = { try OrderSnapshot.invalidate($0) }
        }
        let summary = database.engine == .postgresql
            ? try ServerLoader(database: database).load(request, progress: { progress.update($0) }, beforeCommit: refresh)
            : try Loader(database: database, rowObserver: pass, alsoReplaced: replaced)
                .load(request, progress: { progress.update($0) }, beforeCommit: refresh)
        progress.finish()
        say(summary.description)
        try sayStatuses(summary)
        for note in summary.notes { say("  note: \(note)") }
        if case .role(.orders) = target {
            for note in try unpaidAmountNotes(counted: ColumnStatistics.current(database, dataset: "orders")) { say("  note: \(note)") }
        }
    }

    /// Data paths in a script are resolved from the script's folder, like `run`.
    /// `~` at the start is the home folder, as in a shell (`HomePath`).
    func resolveDataPath(_ path: String) -> String {
        let path = HomePath.expand(path)
        let resolved = resolveScriptPath(path, from: scriptStack.last)
        if FileManager.default.fileExists(atPath: resolved) { return resolved }
        return path
    }

    /// Files a script writes (`export to`, `report to`) go to the script's folder too, so that
    /// `ecsh -f analysis/monthly.ecsh` puts `export to 'out.csv'` beside the script and the data it
    /// loads, from whatever folder it is run; at the prompt, with -c or from standard input, the current folder.
    func resolveOutputPath(_ path: String) -> String {
        resolveScriptPath(HomePath.expand(path), from: scriptStack.last)
    }

    func optionValue(_ v: OptionValue) -> Value {
        switch v {
        case .word(let w): return .text(w)
        case .literal(let l):
            switch l {
            case .string(let s): return .text(s)
            case .integer(let i): return .integer(i)
            case .real(let d), .percent(let d): return .real(d)
            case .boolean(let b): return .integer(b ? 1 : 0)
            case .date(let d): return .text(d.description)
            case .month(let m): return .text(m.description)
            case .duration(let t): return .real(t.days)
            case .null: return .null
            }
        }
    }

    /// `export to 'file.ext' [with bom]`: the last result, format from the extension.
    func export(to path: Located<String>, bom: SourceRange?) throws {
        guard let shown = lastResult else {
            throw ShellError("nothing to export yet", at: path.range, help: "run a statement that shows a table (e.g. kpi gmv by month), then export it")
        }
        let table = try lastResultWhole.map { try $0() } ?? shown
        var options = RenderOptions()
        options.currency = (try? metricSettings().currency) ?? "JPY"
        let notes: [String]
        do {
            notes = try ExportWriter.write(table, to: resolveOutputPath(path.value), options: options, title: lastResultStatement, bom: bom != nil)
        } catch {
            throw ShellError("\(error)", at: path.range, help: error.help)
        }
        for note in notes { say("note: " + note) }
        say("exported \(grouped(table.rows.count)) row\(table.rows.count == 1 ? "" : "s") to '\(resolveOutputPath(path.value))'")
    }
}

/// A one-line progress bar on the terminal for loads that take more than a second.
final class LoadProgressBar {
    let sink: FileSink
    let enabled: Bool
    private var shown = false
    private var lastDraw = 0.0

    init(sink: FileSink, enabled: Bool) {
        self.sink = sink
        self.enabled = enabled
    }

    func update(_ p: LoadProgress) {
        guard enabled, p.elapsed >= 1.0, p.elapsed - lastDraw >= 0.2 || !shown else { return }
        lastDraw = p.elapsed
        shown = true
        let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesDone) / Double(p.bytesTotal)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = Double(p.rows) / max(p.elapsed, 0.001)
        let left = fraction > 0 ? p.elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        sink.write("\r\(bar) \(Int(fraction * 100))%  \(p.bytesDone >> 20)/\(p.bytesTotal >> 20) MB  \(grouped(Int(rate))) rows/s  \(Int(left.rounded())) s left ")
        sink.flush()
    }

    func finish() {
        guard shown else { return }
        shown = false
        sink.write("\r\u{1B}[K")
        sink.flush()
    }
}
