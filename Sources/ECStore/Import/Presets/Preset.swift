/// A known export layout: which headers feed which fields, and how line items collapse into orders.
///
/// Shopify's order export, Rakuten RMS's order download and Amazon's order
/// report write one row per line item; order-level values sit on the first row
/// (Shopify) or repeat on each (Rakuten, Amazon). The loader collapses
/// consecutive rows with the same order id (OrderCollapser). docs/presets.md
/// says, per preset, which column feeds which field and what counts as GMV.
struct Preset: Sendable {
    let name: String
    /// The export in the user's words, for notes and errors.
    let title: String
    /// Canonical field → header names to look for, first match wins (notes in parentheses ignored).
    let headers: [String: [String]]
    /// Fields with one value for the whole file.
    var constants: [String: String] = [:]
    /// Canonical fields added up over an order's line items (quantity always is).
    var summed: Set<String> = []
    /// Headers of an item's unit price and quantity: the order's amount is Σ price × quantity
    /// when no amount header is found (or always, with `amountFromItemsFirst`).
    var itemAmount: (price: String, quantity: String)?
    var amountFromItemsFirst = false
    /// Fields mapped only when the file has item rows (`itemAmount` headers): an order-only
    /// total is already net of them.
    var itemOnlyFields: Set<String> = []
    /// Said when a file with `amountFromItemsFirst` has no item rows and the amount is the order's total.
    var orderTotalNote: String?
    /// The export's file of item lines alone, which is no orders file (it has no order date, status or buyer).
    var itemFile: ItemFile?
    /// Headers that together say a file is this export.
    let signature: [[String]]
    /// The export gives no buyer identity: every order is a guest order.
    var noBuyerKey = false
    /// The export leaves a pending order's prices empty until it is priced (Amazon's All Orders report):
    /// such an order loads with its amount empty, and the load says so, where any other stops it.
    var pendingMayLackAmount = false
    /// Headers of an item's own status (Amazon's `item-status`): a cancelled item of an order that kept other
    /// items adds nothing to its amount, discount, shipping or quantity.
    var itemStatus: [String] = []
    /// Headers of the order's currency: amounts in two currencies cannot be added, so a file with more than one
    /// stops the load unless `with currency` picks one.
    var currency: [String] = []
    /// Adjusts a collapsed order row.
    var finish: @Sendable (inout [Value], PresetColumns) -> Void = { _, _ in }

    static let all: [Preset] = [shopify, rakuten, amazon, yahoo]
    static let known = all.map(\.name)

    static func named(_ name: String) -> Preset? {
        switch name.lowercased() {
        case "shopify": return shopify
        case "rakuten", "rms", "rakuten_rms": return rakuten
        case "amazon", "amazon_seller_central", "seller_central": return amazon
        case "yahoo", "yahoo_shopping": return yahoo
        default: return nil
        }
    }

    /// When headers look like a known export loaded without its preset, the clause to add.
    static func suggestion(for headers: [String], path: String) -> String? {
        let present = Set(headers.map(HeaderAliases.withoutNotes).map(HeaderAliases.normalize))
        for preset in all where preset.signature.allSatisfy({ choices in
            choices.contains { present.contains(HeaderAliases.normalize($0)) }
        }) {
            return "this looks like the \(preset.title): load orders from '\(path)' preset \(preset.name)"
        }
        return nil
    }

    /// The load's error when the file is an export's item file, loaded with its preset or without one.
    static func itemFileError(for headers: [String], path: String, preset: Preset?) -> LoadError? {
        let present = Set(headers.map(HeaderAliases.withoutNotes).map(HeaderAliases.normalize))
        for candidate in preset.map({ [$0] }) ?? all {
            guard let file = candidate.itemFile, file.matches(present) else { continue }
            return LoadError(file: path, reason: "is the \(file.title): it has no order date, status or buyer, so it is no orders file",
                             help: file.help)
        }
        return nil
    }
}

/// A file of an export that holds only item lines (Yahoo!'s item CSV beside its order CSV): loaded as orders it
/// would make an order of each line or miss the order's date, so the load stops and says which file to load.
struct ItemFile: Sendable {
    /// Headers that together say a file is the item file.
    let signature: [[String]]
    /// Headers whose absence tells it from a file with order fields and item rows.
    let orderHeaders: [String]
    /// The file in the user's words, and what to load instead.
    let title: String
    let help: String

    func matches(_ normalized: Set<String>) -> Bool {
        signature.allSatisfy { $0.contains { normalized.contains(HeaderAliases.normalize($0)) } }
            && !orderHeaders.contains { normalized.contains(HeaderAliases.normalize($0)) }
    }
}

/// The columns of a collapsed order row, for a preset's `finish`.
struct PresetColumns: Sendable {
    /// Table column names (canonical fields, then the file's other headers).
    let names: [String]
    /// The header each column came from (nil when not in the file).
    let headers: [String?]

    func index(_ name: String) -> Int? { names.firstIndex(of: name) }

    /// A key made from an e-mail address: trimmed and lower-cased; empty means a guest.
    static func emailKey(_ values: inout [Value], at k: Int?) {
        guard let k, case .text(let s) = values[k] else { return }
        let key = s.trimmingBlanks.lowercased()
        values[k] = key.isEmpty ? .null : .text(key)
    }
}

/// The preset names `load … preset NAME` accepts, for tab completion.
public enum LoadPresetNames {
    public static let all: [String] = Preset.known
}
