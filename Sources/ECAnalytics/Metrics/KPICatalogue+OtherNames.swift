import Foundation

/// The names analysts and Japanese EC reports give ecsh's KPIs (`cm2`, `conversion rate`,
/// `客単価`, `リピート率`), so an unknown name can point at ecsh's own.
///
/// Only a pointer: `kpi 売上` is not computed as one of them, since 売上 is GMV in one report
/// and net revenue in the next; the error names both and the user chooses.
extension KPICatalogue {
    /// Folded other name → ecsh KPI names (the first is the usual meaning).
    static let otherNames: [String: [String]] = {
        let table: [(names: [String], kpis: [String])] = [
            (["gross merchandise value", "gross sales", "gross revenue", "流通総額", "流通額", "総売上", "総売上高"], ["gmv"]),
            (["net sales", "net revenue", "純売上", "純売上高"], ["revenue"]),
            (["売上", "売上高", "売上金額", "sales amount", "turnover"], ["revenue", "gmv"]),
            (["order count", "number of orders", "transactions", "注文数", "注文件数", "受注数", "受注件数"], ["orders"]),
            (["average order value", "aov net", "basket size", "客単価", "注文単価", "平均注文単価", "平均客単価"], ["aov", "aov_gross"]),
            (["units sold", "items", "items sold", "quantity", "販売数", "販売個数", "販売点数", "数量"], ["units"]),
            (["buyers", "purchasers", "active customers", "active buyers", "購入者数", "購入客数", "顧客数"], ["customers"]),
            (["new buyers", "first time buyers", "acquisitions", "新規顧客数", "新規購入者数", "新規客数"], ["new_customers"]),
            (["existing customers", "repeat customers", "既存顧客数", "リピーター数", "リピート客数"], ["returning_customers"]),
            (["repeat purchase rate", "repurchase rate", "リピート率", "再購入率"], ["repeat_rate"]),
            (["f2 conversion", "f2 conversion rate", "f2転換率", "f2移行率", "2回目購入率"], ["f2_rate"]),
            (["active member count", "アクティブ会員数", "アクティブ顧客数"], ["active_members"]),
            (["継続率", "リテンション率", "定着率"], ["retention_rate"]),
            (["離脱率", "解約率", "チャーン率"], ["churn_rate"]),
            (["visits", "traffic", "アクセス数", "訪問数", "セッション数"], ["sessions"]),
            (["conversion rate", "conversion", "cv rate", "転換率", "コンバージョン率", "購入率"], ["cvr"]),
            (["sales equation", "売上の公式", "売上公式"], ["sales"]),
            (["ad spend", "ad cost", "ad costs", "advertising", "広告費", "広告宣伝費"], ["spend"]),
            (["customer acquisition cost", "顧客獲得単価", "新規獲得単価", "獲得単価"], ["cac"]),
            (["clv", "customer lifetime value", "lifetime value", "顧客生涯価値", "生涯価値"], ["ltv"]),
            (["ltv/cac", "ltv cac ratio", "ltv to cac", "ltv over cac"], ["ltv_cac"]),
            (["cac payback", "payback period", "回収期間"], ["payback"]),
            (["cost per order", "cost per conversion", "注文獲得単価"], ["cpa"]),
            (["return on ad spend", "広告費用対効果"], ["roas"]),
            (["marketing efficiency ratio", "blended roas"], ["mer"]),
            (["cm", "cm2", "contribution margin", "contribution", "限界利益", "貢献利益"], ["margin"]),
            (["cm rate", "cm2 rate", "contribution margin rate", "margin ratio", "限界利益率", "貢献利益率"], ["margin_rate"]),
            (["fees", "commissions", "mall fees", "手数料", "モール手数料", "決済手数料"], ["commission"]),
            (["mall share", "marketplace share", "marketplace dependence", "モール依存度", "モール比率"], ["mall_dependence"]),
            (["discount", "discounts", "discount share", "値引率", "割引率"], ["discount_rate"]),
            (["net promoter score", "ネットプロモータースコア"], ["nps"]),
        ]
        var map: [String: [String]] = [:]
        for row in table {
            for name in row.names { map[fold(name)] = row.kpis }
        }
        return map
    }()

    /// Case, width (`ＣＶＲ`), spaces, `_`, `-` and `/` do not tell names apart.
    static func fold(_ name: String) -> String {
        let narrow = name.precomposedStringWithCompatibilityMapping.lowercased()
        return String(narrow.unicodeScalars.filter { !" _-/・　".unicodeScalars.contains($0) }.map(Character.init))
    }

    /// ecsh's KPIs that `name` (not one of them) may mean: another name for one
    /// (`cm2` → margin, `客単価` → aov, aov_gross), or the start of exactly one KPI's name
    /// (`churn` → churn_rate, `f2` → f2_rate). Empty when nothing fits.
    public static func kpis(calledOtherwise name: String) -> [String] {
        let folded = fold(name)
        if let kpis = otherNames[folded] { return kpis }
        // `ＣＶＲ`, `Repeat Rate`, `aov-gross`: ecsh's own name written otherwise.
        if let own = all.first(where: { fold($0.name) == folded }) { return [own.name] }
        let lower = name.lowercased()
        let starting = all.map(\.name).filter { $0.hasPrefix(lower + "_") }
        return starting.count == 1 ? starting : []
    }
}
