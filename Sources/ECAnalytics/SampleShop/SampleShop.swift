import Foundation

/// A deterministic generator of a realistic sample e-commerce shop, written as CSV files.
///
/// A Japanese tea shop selling on Rakuten, Amazon, Yahoo! Shopping and its own
/// site: customers bought with ad spend, buying by a BG/NBD process, some
/// moving from the marketplaces to the own site, with seasonality, sale events,
/// discounts, points, costs, commissions, cancellations, traffic and NPS
/// answers. The headers are the canonical field names of docs/workspace.md,
/// so `load orders from 'DIR/orders.csv'` (and so on) maps every column.
///
/// Memory stays constant in the `.byCustomer` layout: customers are made day by
/// day in acquisition order and each is written out with its orders before the
/// next one is drawn (only one day's arrivals are held, to sort them by time).
public enum SampleShop {
    /// The files `generate` writes, in the order it writes them.
    public static let fileNames = ["ad_spend.csv", "customers.csv", "orders.csv", "nps.csv", "traffic.csv"]

    /// Writes the shop described by `spec` into `directory` (created if missing), replacing those files.
    public static func generate(_ spec: SampleShopSpec, into directory: String) throws -> SampleShopSummary {
        try spec.validate()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SampleShopError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        let path = { (name: String) in directory.hasSuffix("/") ? directory + name : directory + "/" + name }
        let firstDay = spec.start.daysSinceEpoch
        let seasons = Seasons(firstDay: firstDay, dayCount: spec.end.daysSinceEpoch - firstDay + 1)

        var marketingRandom = Random(seed: spec.seed, stream: 1)
        var plan = AcquisitionPlan(seasons: seasons, random: &marketingRandom)
        plan.fit(targetOrders: spec.orders, seasons: seasons, seed: spec.seed)
        let spend = try CSVWriter(path: path("ad_spend.csv"),
                                  header: ["date", "channel", "campaign", "spend", "impressions", "clicks"])
        writeSpend(plan: plan, seasons: seasons, random: &marketingRandom, to: spend)
        try spend.close()

        let customers = try CSVWriter(path: path("customers.csv"), header: [
            "customer_id", "signed_up_at", "acquisition_channel", "region", "age_band", "gender",
            "acquisition_campaign"])
        let orders = try CSVWriter(path: path("orders.csv"), header: [
            "order_id", "customer_id", "ordered_at", "amount", "discount", "points", "cogs", "shipping",
            "commission", "quantity", "channel", "status", "product", "category"])
        let nps = try CSVWriter(path: path("nps.csv"), header: ["responded_at", "customer_id", "score", "comment"])
        var run = CustomerRun(seasons: seasons, plan: plan, seed: spec.seed, chronological: spec.isChronological)
        try run.generate(customers: customers, orders: orders, nps: nps)
        try customers.close()
        try orders.close()
        try nps.close()

        let traffic = try CSVWriter(path: path("traffic.csv"), header: ["date", "channel", "sessions"])
        var trafficRandom = Random(seed: spec.seed, stream: 3)
        writeTraffic(ordersPerDay: run.ordersPerDay, seasons: seasons, random: &trafficRandom, to: traffic)
        try traffic.close()

        let files = [spend, customers, orders, nps, traffic].map {
            SampleShopSummary.File(name: String($0.path.split(separator: "/").last ?? ""), path: $0.path,
                                   rows: $0.rows, bytes: $0.bytesWritten)
        }
        return SampleShopSummary(directory: directory, files: files, customers: customers.rows,
                                 orders: orders.rows, chronological: spec.isChronological)
    }
}
