// swift-tools-version:6.2
import PackageDescription

// libFuzzer targets for oomlens, kept apart from the main package so that its build never needs the
// fuzzer flags. Build and run them with `scripts/fuzz [SECONDS]`, which passes
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` (libFuzzer supplies `main`).
let package = Package(
    name: "oomlens-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "oomlens", path: ".."),
    ],
    targets: [
        // One parser per run: OOMLENS_FUZZ_KIND=<FileKind raw value>, or the input's first byte picks the kind.
        .executableTarget(
            name: "FuzzParsers", dependencies: ["FuzzerEntry", .product(name: "OOMLens", package: "oomlens")]),
        // The input is a bundle file: read, parse, correlate, diagnose and render it.
        .executableTarget(
            name: "FuzzBundle", dependencies: ["FuzzerEntry", .product(name: "OOMLens", package: "oomlens")]),
        // `<Module>_main` entry points that start libFuzzer's driver (SwiftPM renames `main` in debug builds).
        .target(name: "FuzzerEntry"),
    ]
)
