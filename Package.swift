// swift-tools-version:5.9
import Foundation
import PackageDescription

let stageNames = ["fetch", "parse", "dedupe", "classify", "aggregate", "render"]

let package = Package(
    name: "compute-divide",
    platforms: [.macOS(.v13)],
    products: stageNames.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: zlib1g-dev, libxml2-dev, libssl-dev, libcurl4-openssl-dev). SHA-256
        // comes from the system libcrypto rather than swift-crypto: nothing to compile in CI
        // (BENCHMARKS.md, fetch). The live fetch calls libcurl's easy interface itself, not through
        // URLSession: only a synchronous write callback can stop a gzip body inflating past the budget.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Core libraries, one per concern. Data flows one way:
        // Core → XML → Sources → Dedupe → Classify → Aggregate → Report; Stats is pure math.
        .target(name: "DivideCore", dependencies: ["CZlib", "CLibCrypto"]),
        .target(name: "DivideXML", dependencies: ["CLibXML2", "DivideCore"]),
        .target(name: "DivideSources", dependencies: ["CCurl", "DivideCore", "DivideXML"]),
        .target(name: "DivideDedupe", dependencies: ["DivideCore"]),
        .target(name: "DivideStats"),
        .target(name: "DivideClassify", dependencies: ["DivideCore", "DivideStats"]),
        .target(name: "DivideAggregate", dependencies: ["DivideCore", "DivideStats", "DivideClassify"]),
        .target(name: "DivideReport", dependencies: ["DivideCore", "DivideStats", "DivideClassify", "DivideAggregate"]),

        // The stage commands (arguments → the libraries' stage functions), in a library so tests
        // run them in-process; six thin executables each call one.
        .target(name: "DivideCommands", dependencies: [
            "DivideCore", "DivideSources", "DivideXML", "DivideDedupe", "DivideClassify", "DivideAggregate", "DivideReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ] + stageNames.map { .executableTarget(name: $0, dependencies: ["DivideCommands"]) } + [
        // Tests of the libraries.
        // TestSnapshot locates the offline snapshot for the test targets.
        .target(name: "TestSnapshot", path: "Tests/TestSnapshot"),
        .testTarget(name: "DivideCoreTests", dependencies: ["DivideCore", "DivideStats"]),
        // Fixtures are read from the source tree (by #filePath), not bundled as resources.
        .testTarget(name: "DivideSourcesTests", dependencies: ["TestSnapshot", "DivideCore", "DivideSources", "DivideStats"], exclude: ["Fixtures"]),
        .testTarget(name: "DivideDedupeTests", dependencies: ["DivideCore", "DivideDedupe", "DivideSources"], exclude: ["Fixtures"]),
        .testTarget(name: "DivideClassifyTests", dependencies: ["TestSnapshot", "DivideCore", "DivideClassify", "DivideSources", "DivideStats"], exclude: ["Fixtures"]),
        .testTarget(name: "DivideStatsTests", dependencies: ["DivideStats"]),
        .testTarget(name: "DivideAggregateTests", dependencies: ["DivideCore", "DivideClassify", "DivideAggregate", "DivideStats"]),
        .testTarget(name: "DivideReportTests", dependencies: ["DivideCore", "DivideClassify", "DivideReport", "DivideAggregate"]),
        // Every stage command in-process: failure paths, exit codes.
        .testTarget(name: "DivideStageTests", dependencies: ["DivideCommands", "DivideCore", "DivideSources",
                                                             .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Hostile input, interruption, accounting and report safety; runs the built stage binaries
        // (DIVIDE_BIN, or beside the test bundle) on Tests/Fixtures/bad-input.
        .testTarget(name: "DivideReliabilityTests", dependencies: ["TestSnapshot", "CZlib", "DivideCore", "DivideSources", "DivideXML", "DivideReport"]),
    ]
)

// libFuzzer targets (Fuzz/README.md), one per folder of Fuzz/Targets, only for `make fuzz`
// (DIVIDE_FUZZ=1; built with -sanitize=fuzzer,address in their own scratch folder).
if ProcessInfo.processInfo.environment["DIVIDE_FUZZ"] == "1" {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Fuzz/Targets")) ?? []).sorted()
    package.targets += [.target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"), .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Support")]
    package.targets += names.map {
        .executableTarget(name: "fuzz-" + $0, dependencies: ["FuzzSupport", "DivideCore", "DivideSources"], path: "Fuzz/Targets/" + $0)
    }
}
