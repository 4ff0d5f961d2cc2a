import Foundation
import ECStore
import ECLanguage
import ECRender

/// `set`, `show settings`, `show sql`, `timer`, `run`, `quit`.
extension Session {
    /// `set NAME VALUE`: presentation settings here; analysis settings go to the workspace.
    func set(_ s: SetStatement) throws {
        let name = s.name.folded
        func single() throws -> Located<OptionValue> {
            guard s.values.count == 1 else {
                throw ShellError("set \(name) takes one value", at: s.values.dropFirst().first?.range ?? s.name.range)
            }
            return s.values[0]
        }
        switch name {
        case "format":
            let v = try single()
            guard let text = v.value.text, let f = OutputFormat(rawValue: text.lowercased()) else {
                throw ShellError("unknown format", at: v.range, help: "use one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.format = f
        case "color", "colour":
            let v = try single()
            guard let text = v.value.text, let mode = ColorMode(rawValue: text.lowercased()) else {
                throw ShellError("unknown colour mode", at: v.range, help: "use: set color auto|on|off")
            }
            options.color = mode
        case "maxrows":
            let v = try single()
            guard case .literal(.integer(let n)) = v.value, n >= 0 else {
                throw ShellError("maxrows takes a whole number (0 shows every row)", at: v.range)
            }
            options.maxRows = Int(n)
        case "maxwidth":
            let v = try single()
            guard case .literal(.integer(let n)) = v.value, n >= 0 else {
                throw ShellError("maxwidth takes a whole number of characters (0 never cuts a cell)", at: v.range)
            }
            options.maxWidth = Int(n)
        case "headers", "pager":
            let v = try single()
            guard let text = v.value.text?.lowercased(), ["on", "off"].contains(text) else {
                throw ShellError("\(name) takes on or off", at: v.range, help: "use: set \(name) on|off")
            }
            if name == "headers" { options.headers = text == "on" } else { options.pager = text == "on" }
        case "wide":
            let v = try single()
            guard let text = v.value.text?.lowercased(), let mode = WideTables(rawValue: text) else {
                throw ShellError("wide takes panels, blocks or wrap", at: v.range, help: "use: set wide panels|blocks|wrap")
            }
            options.wide = mode
        case "status":
            try setStatusWord(s)
        default:
            try setAnalysisSetting(s)
        }
    }

    /// `show sql`: the SQL of the last statement that ran one.
    func showSQL() {
        guard let sql = lastSQL else {
            say("no SQL for the last statement: show sql prints the SQL of kpi, cohort, unit economics, explain NAME, "
                + "sql and head (nps, kpi tree, scorecard, segment, predict and simulate compute their results in ecsh)")
            return
        }
        emit(sql)
    }

    /// `run 'file.ecsh'`: runs a script; relative to the including script's folder.
    /// While it runs, the including statement is on `inclusions`, so errors inside name the chain.
    func runNested(_ path: Located<String>) throws {
        let including = runningStatement.map(Inclusion.init)
        if let including { inclusions.append(including) }
        defer { if including != nil { inclusions.removeLast() } }
        // `-f -` reads standard input; `run` reads files only (standard input may be the very script or
        // terminal this `run` came from). Said plainly instead of "no such script file '-'".
        if path.value == "-", !FileManager.default.fileExists(atPath: resolveScriptPath("-", from: scriptStack.last)),
           !FileManager.default.fileExists(atPath: "-") {
            throw ShellError("run reads a script file, not standard input: '-' (standard input) is for the command line's -f -", at: path.range,
                             help: "give the script on the command line (ecsh shop.db -f - < script.ecsh), or save it and run 'script.ecsh'")
        }
        // `quit` in a script run by `run` ends that script only, and the statement after the `run` goes on,
        // as `\q` in a file read by psql's `\i` and `.quit` in a file read by sqlite3's `.read` do.
        defer { quitRequested = false }
        if try !runScript(path: path.value, from: scriptStack.last, at: path.range) {
            throw AlreadyReported()
        }
    }
}

/// An error whose message has already been written (e.g. inside a nested script).
struct AlreadyReported: Error {}
