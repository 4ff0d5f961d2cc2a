// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for ecsh, kept out of the main package so that the normal
/// `swift build` never sees `-sanitize=fuzzer` (libFuzzer supplies `main`).
/// Build and run them with `scripts/fuzz [SECONDS]`; docs/reliability.md has the figures.
let package = Package(
    name: "ecsh-fuzz",
    dependencies: [
        .package(name: "ecsh", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzLanguage",
            dependencies: ["FuzzSupport", .product(name: "ECLanguage", package: "ecsh"), .product(name: "ECStore", package: "ecsh")]
        ),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", .product(name: "ECStore", package: "ecsh")]),
        .executableTarget(name: "FuzzLoad", dependencies: ["FuzzSupport", .product(name: "ECStore", package: "ecsh")]),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", .product(name: "ECStore", package: "ecsh")]),
        .target(name: "CFuzzer"),
    ]
)
