extension Loader {
    /// The role table's columns: every canonical field in order (mapped or NULL), then the file's other columns.
    ///
    /// `map` wins, then a preset's layout, then header aliases. A required
    /// field left unmapped is an error that lists the headers and the `map`
    /// clause that would fix it.
    /// The note on a date whose zone the file gives (`ColumnPlan.writtenZone`): its times are moved into the
    /// workspace's zone when one is set, else their days are the file's zone's, with the way out.
    static func writtenZoneNote(_ field: String, header: String, zone: String, workspace: String?) -> String {
        let said = "\(field) '\(header)' is in \(zone), as the export's ImportId row says"
        if let workspace, !workspace.isEmpty {
            return "\(said): its times are moved into '\(workspace)' before the day is taken"
        }
        let example = zone == "Asia/Tokyo" ? "Europe/London" : "Asia/Tokyo"
        return "\(said), and no time zone is set: its days are \(zone)'s as written; if the shop keeps another zone's days: "
            + "set timezone '\(example)' (the shop's zone) and load again"
    }

    func roleColumns(_ role: DatasetRole, _ plan: FilePlan, _ request: LoadRequest, preset: Preset?) throws -> [ColumnPlan] {
        let names = plan.names
        let normalized = names.map { HeaderAliases.normalize(HeaderAliases.withoutNotes($0)) }
        // A preset that reads the amount from item lines when they are there (Yahoo!), or as a fallback.
        let itemHeaders = preset?.itemAmount.map { [$0.price, $0.quantity] } ?? []
        let hasItems = !itemHeaders.isEmpty && itemHeaders.allSatisfy { h in normalized.contains(HeaderAliases.normalize(h)) }
        let fields = role.fields
        for key in request.fieldMap.keys where !fields.contains(where: { $0.name == key && !$0.derived }) {
            let known = fields.filter { !$0.derived }.map(\.name).joined(separator: ", ")
            throw LoadError(file: request.path, reason: "has nothing to map to '\(key)': \(role.rawValue) fields are \(known)")
        }
        // Headers that read the same (`amount,amount`, `Amount,amount`): the columns of each, in file order.
        let written = plan.headers.count == names.count ? plan.headers : names
        let alike = Dictionary(grouping: names.indices, by: { HeaderAliases.normalize(HeaderAliases.withoutNotes(written[$0])) })
            .filter { $0.value.count > 1 }
        var used = Set<Int>()
        var chosen: [String: ColumnPlan.Source] = [:]
        // Notes on a field taken from one of several alike columns (`HeaderAliases.orderLevelAmongShipments`).
        var alikeNotes: [String: String] = [:]
        // Explicit map first, so automatic matching cannot take its header.
        for field in fields where !field.derived {
            guard let header = request.fieldMap[field.name] else { continue }
            if header == "#line" { chosen[field.name] = .lineNumber; continue }
            guard let i = names.firstIndex(of: header) ?? normalized.firstIndex(of: HeaderAliases.normalize(header)) else {
                throw LoadError(file: request.path, reason: "has no column \"\(header)\" (from map \(field.name) = \"\(header)\")",
                                help: "columns in the file: \(Loader.listed(names))")
            }
            chosen[field.name] = .field(i)
            used.insert(i)
        }
        for field in fields where !field.derived && chosen[field.name] == nil {
            if let constant = preset?.constants[field.name] { chosen[field.name] = .constant(constant); continue }
            if preset?.itemOnlyFields.contains(field.name) == true && !hasItems { continue }
            if field.name == "amount" && hasItems && preset?.amountFromItemsFirst == true { continue }
            var keys = preset?.headers[field.name]?.map(HeaderAliases.normalize) ?? HeaderAliases.normalizedAliases(role: role, field: field.name)
            if role == .orders && field.name == "amount" && preset == nil {
                keys = Loader.amountKeys(keys, normalized: normalized, used: used, quantityMapped: request.fieldMap["quantity"] != nil)
            }
            for key in keys {
                if var i = normalized.indices.first(where: { normalized[$0] == key && !used.contains($0) }) {
                    // EC-CUBE's `対応状況(ID)` and `対応状況(名称)`: the name, not the code, is the field.
                    if let columns = alike.first(where: { $0.value.contains(i) })?.value,
                       let named = HeaderAliases.namedAmongCodes(columns.map { written[$0] }) {
                        i = columns[named]
                    } else if let columns = alike.first(where: { $0.value.contains(i) })?.value, preset == nil,
                              let (order, block) = HeaderAliases.orderLevelAmongShipments(columns, normalized: normalized) {
                        // EC-CUBE writes the order's `送料` and, in each shipment's block, the shipment's.
                        i = order
                        let others = columns.filter { $0 != order }
                        alikeNotes[field.name] = "\(field.name) is column \(order + 1) '\(written[order])', the order's: "
                            + others.map { "column \($0 + 1) '\(names[$0])'" }.joined(separator: ", ")
                            + " stands among a shipment's columns (from column \(block + 1) '\(written[block])') and is kept as a plain column; "
                            + "if it is the order's: map \(field.name) = \"\(names[others[0]])\" (column \(others[0] + 1))"
                    } else if let columns = alike.first(where: { $0.value.contains(i) })?.value, preset == nil {
                        let which = columns.map { "map \(field.name) = \"\(names[$0])\" (column \($0 + 1))" }
                        throw LoadError(file: request.path, field: written[i],
                                        reason: "has \(columns.count) columns headed alike (\(columns.map { "\($0 + 1) '\(written[$0])'" }.joined(separator: ", "))): ecsh cannot tell which one is \(field.name)",
                                        help: "say which: load \(role.rawValue) from '\(request.path)' \(which.joined(separator: ", or "))")
                    }
                    chosen[field.name] = .field(i)
                    used.insert(i)
                    break
                }
            }
        }
        // A survey export heads the score with its question (`How likely are you to recommend us to a friend?`).
        var scoreNote: String?
        if role == .nps && chosen["score"] == nil && request.fieldMap["score"] == nil,
           let i = HeaderAliases.recommendQuestion(normalized, used: used) {
            chosen["score"] = .field(i)
            used.insert(i)
            scoreNote = "score is column \(i + 1) '\(names[i])' (the question asks how likely the respondent is to recommend); map score = \"...\" names another"
        }
        // Typeform heads its response token `#` (which normalizes to nothing).
        if role == .nps && chosen["response_id"] == nil, let i = written.indices.first(where: { written[$0].trimmingBlanks == "#" }),
           !used.contains(i) {
            chosen["response_id"] = .field(i)
            used.insert(i)
        }
        let missing = fields.filter { $0.required && chosen[$0.name] == nil && !($0.name == "amount" && hasItems) }
        if !missing.isEmpty {
            // An export's item file misses the order's date: say which file to load rather than what to map.
            if role == .orders, let e = Preset.itemFileError(for: names, path: request.path, preset: preset) { throw e }
            let guesses = MapSuggestion.suggest(missing: missing, role: role, names: names, kinds: plan.columns.map(\.kind),
                                                taken: used)
            let clause = missing.map { "\($0.name) = \"\(guesses[$0.name] ?? "...")\"" }.joined(separator: ", ")
            let what = missing.map(\.name).joined(separator: ", ")
            throw LoadError(file: request.path,
                            reason: "has no column for \(what) (required for \(role.rawValue)); columns found: \(Loader.listed(names))",
                            help: "say which column it is: load \(role.rawValue) from '\(request.path)' map \(clause)"
                                + (missing.contains { $0.name == "order_id" } ? " (or map order_id = \"#line\" to number rows)" : ""))
        }
        let amountNote = role == .orders && preset == nil && request.fieldMap["amount"] == nil
            ? amountChoice(chosen, names: names, normalized: normalized, used: used) : nil
        var columns: [ColumnPlan] = []
        var mainIndex: Int?
        for field in fields {
            if field.name == "status_raw", let status = columns.first(where: { $0.name == "status" }) {
                // Same source as status: the raw word is kept, its meaning goes to status.
                columns.append(ColumnPlan(name: field.name, source: status.source, header: status.header, kind: .text,
                                          canonical: field))
                continue
            }
            if field.derived {
                columns.append(ColumnPlan(name: field.name, source: mainIndex.map { .dayOf($0) } ?? .none, header: nil,
                                          kind: .integer, canonical: field))
                continue
            }
            let source = chosen[field.name] ?? ColumnPlan.Source.none
            var header: String?
            if case .field(let i) = source { header = names[i] }
            if case .lineNumber = source { header = "#line" }
            if field.name == role.mainDate { mainIndex = columns.count }
            var column = ColumnPlan(name: field.name, source: source, header: header, kind: field.kind, canonical: field)
            if field.name == "score" { column.note = scoreNote }
            if let note = alikeNotes[field.name] { column.note = note }
            if case .field(let i) = source, Loader.countFields.contains(field.name), let first = plan.columns[i].firstBracketed {
                column.note = "\(field.name) '\(names[i])' has numbers in parentheses (\(first.text) at line \(first.line)), read as negatives "
                    + "as accounting writes them; a count in parentheses may be a note instead: if these are no returns, "
                    + "sql UPDATE \(role.rawValue) SET \(field.name) = -\(field.name) WHERE \(field.name) < 0"
            }
            if field.name == "status", source == .none, role == .orders, preset == nil {
                column.note = Loader.unmappedStatusNote(names: names, normalized: normalized, used: used, path: request.path)
            }
            if field.isDate, case .field(let i) = source, let zone = plan.writtenZones[i] {
                column.writtenZone = zone
                column.note = Loader.writtenZoneNote(field.name, header: names[i], zone: zone, workspace: request.options.timezone)
            } else if field.isDate, let header, HeaderAliases.saysUTC(header) {
                let zone = request.options.timezone.map { "'\($0)'" } ?? "the workspace's"
                column.note = "\(field.name) '\(header)' is in UTC, as its header says: its times are moved into \(zone) time zone before the day is taken"
            }
            if field.name == "amount", header != nil, !hasItems, preset?.amountFromItemsFirst == true {
                column.note = preset?.orderTotalNote
            }
            if field.name == "amount", let amountNote {
                column.note = amountNote.note
                column.timesQuantity = amountNote.timesQuantity
            }
            columns.append(column)
        }
        var taken = Set(columns.map { $0.name.lowercased() })
        for i in names.indices where !used.contains(i) {
            var column = plan.columns[i]
            var name = column.name
            var n = 2
            while taken.contains(name.lowercased()) { name = "\(column.name)_\(n)"; n += 1 }
            taken.insert(name.lowercased())
            if name != written[i] {
                column.note = "column \(i + 1) '\(written[i])' is loaded as '\(name)': another column has the same name"
            }
            column.name = name
            columns.append(column)
        }
        return columns
    }

    /// The amount's header aliases in the order they are tried: GMV is the goods before tax and shipping, so with a
    /// unit price and a quantity in the file, price × quantity comes before a total (`HeaderAliases.totals`, which
    /// may include tax and shipping), after an amount or a subtotal (`単価,数量,合計金額`: 単価 × 数量).
    static func amountKeys(_ keys: [String], normalized: [String], used: Set<Int>, quantityMapped: Bool) -> [String] {
        let free = normalized.indices.filter { !used.contains($0) }.map { normalized[$0] }
        guard free.contains(where: HeaderAliases.unitPrice.contains) else { return keys }
        let quantity = HeaderAliases.normalizedAliases(role: .orders, field: "quantity")
        guard quantityMapped || free.contains(where: quantity.contains),
              let firstTotal = keys.firstIndex(where: HeaderAliases.totals.contains) else { return keys }
        let prices = keys.filter(HeaderAliases.unitPrice.contains)
        var out = keys.filter { !HeaderAliases.unitPrice.contains($0) }
        out.insert(contentsOf: prices, at: min(firstTotal, out.count))
        return out
    }

    /// What the load says about the header that became `amount` when the choice was not the only one: a unit
    /// price beside a quantity is multiplied by it; other amount-like headers stay plain columns.
    func amountChoice(_ chosen: [String: ColumnPlan.Source], names: [String], normalized: [String], used: Set<Int>)
        -> (note: String, timesQuantity: Bool)? {
        guard case .field(let a)? = chosen["amount"] else { return nil }
        let aliases = HeaderAliases.normalizedAliases(role: .orders, field: "amount")
        let others = names.indices.filter { !used.contains($0) && aliases.contains(normalized[$0]) }
        // The way out names a header that can be an order's amount; a unit price only as the price of one unit.
        let perUnit = { (i: Int) in HeaderAliases.unitPrice.contains(normalized[i]) }
        var otherText = ""
        if !others.isEmpty {
            otherText = "; also amount-like, kept as plain columns: "
                + others.map { "'\(names[$0])'\(perUnit($0) ? " (the price of one unit)" : "")" }.joined(separator: ", ")
            if let whole = others.first(where: { !perUnit($0) }) {
                otherText += " (map amount = \"\(names[whole])\" to use one instead)"
            } else {
                otherText += " (map amount = \"\(names[others[0]])\" only if it is each order's whole amount)"
            }
        }
        if perUnit(a) {
            if case .field(let q)? = chosen["quantity"] {
                return ("amount is '\(names[a])' × '\(names[q])': '\(names[a])' is the price of one unit (an empty quantity counts as 1; map amount = \"\(names[a])\" if it is the line's total)\(otherText)", true)
            }
            return ("amount is '\(names[a])', read as the order's amount: the file has no quantity column to multiply a unit price by\(otherText)", false)
        }
        guard !others.isEmpty else { return nil }
        if HeaderAliases.totals.contains(normalized[a]) {
            return ("amount is '\(names[a])', a total that may include tax and shipping (GMV is the goods before them): the file has no subtotal, nor a unit price with a quantity\(otherText)", false)
        }
        return ("amount is '\(names[a])' (GMV is the goods before tax and shipping)\(otherText)", false)
    }

    /// Without a status column every order counts as a sale. When headers the aliases do not know look like an
    /// order's state (`発送状況`, `入金状況`, `キャンセル`, `Order state`), the load names them and the way out:
    /// a cancelled order would otherwise count without a word.
    static func unmappedStatusNote(names: [String], normalized: [String], used: Set<Int>, path: String) -> String? {
        // A cancel flag first (カラーミーショップ's `キャンセル`): it is the state that decides a sale; a payment or
        // shipping state (`入金状況`, `発送状況`) says nothing of one cancelled.
        let words = ["キャンセル", "取消", "cancel", "ステータス", "状態", "status", "state", "状況"]
        let rank = { (i: Int) in words.firstIndex { normalized[i].contains($0) } }
        let found = names.indices.filter { !used.contains($0) && rank($0) != nil }.sorted { (rank($0)!, $0) < (rank($1)!, $1) }
        guard let first = found.first else { return nil }
        return "no column became status, so every order counts as a sale (cancelled ones too); "
            + "\(found.map { "'\(names[$0])'" }.joined(separator: ", ")) may say an order's state: "
            + "load orders from '\(path)' map status = \"\(names[first])\" reads it (words it does not know are listed)"
    }

    /// Canonical fields that count things: `(2)` in one is no plain accounting negative (`ColumnPlan.firstBracketed`).
    static let countFields: Set<String> = ["quantity", "impressions", "clicks", "sessions"]

    static func fits(_ kind: FieldKind, _ field: CanonicalField) -> Bool {
        switch field.kind {
        case .date, .timestamp: return kind == .date || kind == .timestamp
        case .integer: return kind == .integer
        case .real: return kind == .integer || kind == .real
        case .text: return true
        }
    }

    static func listed(_ names: [String]) -> String {
        let shown = names.prefix(30).map { "\"\($0)\"" }.joined(separator: ", ")
        return names.count > 30 ? shown + ", … (\(names.count) in all)" : shown
    }
}
