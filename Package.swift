// swift-tools-version:6.0
import PackageDescription

/// ecsh: an analysis shell for e-commerce data.
///
/// Data flows one way through the targets:
/// text → ECLanguage (tokens, AST, plan, SQL) → ECStore (SQLite rows)
/// → ECAnalytics (KPIs, cohorts, NPS, CLV) → ECRender (text) → ECShell (session) → ecsh.
let package = Package(
    name: "ecsh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ecsh", targets: ["ecsh"]),
        // Libraries for the fuzz package in Fuzz/ (built separately with -sanitize=fuzzer; see scripts/fuzz).
        .library(name: "ECStore", targets: ["ECStore"]),
        .library(name: "ECLanguage", targets: ["ECLanguage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        .target(name: "ECStore", dependencies: ["CSQLite"]),
        .target(name: "ECLanguage", dependencies: ["ECStore"]),
        .target(name: "ECAnalytics", dependencies: ["ECStore", "ECLanguage"]),
        .target(name: "ECRender", dependencies: ["ECStore"]),
        .target(
            name: "ECShell",
            dependencies: ["ECStore", "ECLanguage", "ECAnalytics", "ECRender", "CReadline"]
        ),
        .executableTarget(
            name: "ecsh",
            dependencies: [
                "ECShell",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "ECTestSupport", dependencies: ["ECStore"], path: "Sources/ECTestSupport"),
        .testTarget(name: "ECStoreTests", dependencies: ["ECStore", "ECTestSupport"]),
        .testTarget(name: "ECLanguageTests", dependencies: ["ECLanguage", "ECTestSupport"]),
        .testTarget(name: "ECAnalyticsTests", dependencies: ["ECAnalytics", "ECStore", "ECLanguage", "ECTestSupport"]),
        .testTarget(name: "ECRenderTests", dependencies: ["ECRender", "ECTestSupport"]),
        .testTarget(name: "ECShellTests", dependencies: ["ECShell", "ECLanguage", "ECTestSupport"],
                    exclude: ["Scripts", "Golden", "Fixtures"]),
    ]
)
