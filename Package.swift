// swift-tools-version:6.0
import PackageDescription

/// ecsh: an analysis shell for e-commerce data.
///
/// How a statement travels: ecsh (arguments) → ECShell reads a line and hands it to
/// ECLanguage (tokens → AST with source ranges; segment and `where` predicates
/// compiled to SQL fragments) → ECShell dispatches the statement to ECAnalytics,
/// which plans KPIs, cohorts, NPS, unit economics and CLV from its catalogue and
/// reads the workspace through ECStore (SQLite, the CSV loader, the order snapshot;
/// ECAnalytics also parses stored KPI formulas with ECLanguage) → the result table
/// goes to ECRender (tables, charts, CSV/JSON/Markdown/HTML) → ECShell's output.
///
/// Linux only for now: the loader uses Glibc directly (iconv, mmap), so no
/// `platforms:` entry claims macOS.
let package = Package(
    name: "ecsh",
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
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "ECStore", dependencies: ["CSQLite", "CLibPQ"]),
        .target(name: "ECLanguage", dependencies: ["ECStore"]),
        .target(name: "ECAnalytics", dependencies: ["ECStore", "ECLanguage", "ECRender"]),
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
        .testTarget(name: "ECLanguageTests", dependencies: ["ECLanguage", "ECStore", "ECTestSupport"]),
        .testTarget(name: "ECAnalyticsTests", dependencies: ["ECAnalytics", "ECStore", "ECLanguage", "ECTestSupport"]),
        .testTarget(name: "ECRenderTests", dependencies: ["ECRender", "ECTestSupport"]),
        .testTarget(name: "ECShellTests", dependencies: ["ECShell", "ECLanguage", "ECStore", "ECTestSupport"],
                    exclude: ["Scripts", "Golden", "Fixtures"]),
    ]
)
